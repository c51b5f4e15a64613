/**
 * Runs the REST examples against an in-memory stand-in for PagerDuty (an `HttpClient` layer).
 * When the testkit simulator exports `Simulator.layer`, it replaces `StandIn` one for one.
 */
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { RestApi } from "@effect-pagerduty/client"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import * as History from "../src/rest-history.js"
import * as Listing from "../src/rest-listing.js"
import * as Writes from "../src/rest-writes.js"

const BASE = "https://api.pagerduty.com"
const start = Date.UTC(2025, 0, 1)

const StandIn = Layer.sync(HttpClient.HttpClient, () => {
  const users: Array<Record<string, unknown>> = [1, 2, 3].map((i) => ({ id: `PU${i}`, name: `User ${i}`, email: `user${i}@example.com`, self: `${BASE}/users/PU${i}` }))
  const incidents: Array<Record<string, unknown>> = Array.from({ length: 250 }, (_, i) => ({
    id: `PI${i}`,
    title: `Incident ${i}`,
    status: i % 2 === 0 ? "triggered" : "acknowledged",
    self: `${BASE}/incidents/PI${i}`
  }))
  const logEntries = Array.from({ length: 12_000 }, (_, i) => ({ id: `L${i}`, type: i % 3 === 0 ? "annotate_log_entry" : "trigger_log_entry", at: start + i * 1000 }))
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } })
  const page = (wrapper: string, all: ReadonlyArray<unknown>, q: URLSearchParams) => {
    const limit = Number(q.get("limit") ?? 25)
    const offset = Number(q.get("offset") ?? 0)
    if (offset + limit > 10_000) return json({ error: { code: 2002, message: "Offset+limit exceeds maximum allowed value of 10000" } }, 400)
    return json({ [wrapper]: all.slice(offset, offset + limit), limit, offset, more: offset + limit < all.length, total: q.get("total") === "true" ? all.length : null })
  }
  return HttpClient.make((request, url) =>
    Effect.sync(() => {
      const q = url.searchParams
      const body = request.body._tag === "Uint8Array" ? JSON.parse(new TextDecoder().decode(request.body.body)) : undefined
      const path = url.pathname
      let answer: Response
      if (request.method === "GET" && path === "/users") {
        const query = (q.get("query") ?? "").toLowerCase()
        answer = page("users", users.filter((u) => JSON.stringify(u).toLowerCase().includes(query)), q)
      } else if (request.method === "POST" && path === "/users") {
        const user = { ...body.user, id: `PU${users.length + 1}`, self: `${BASE}/users/PU${users.length + 1}` }
        users.push(user)
        answer = json({ user }, 201)
      } else if (request.method === "GET" && path === "/incidents") {
        const statuses = q.getAll("statuses[]")
        answer = page("incidents", incidents.filter((i) => statuses.length === 0 || statuses.includes(i["status"] as string)), q)
      } else if (request.method === "POST" && path === "/incidents") {
        const incident = { ...body.incident, id: `PI${incidents.length}`, status: "triggered", self: `${BASE}/incidents/PI${incidents.length}` }
        incidents.push(incident)
        answer = json({ incident }, 201)
      } else if (request.method === "PUT" && path === "/incidents") {
        const updated = (body.incidents as Array<Record<string, unknown>>).map((u) => {
          const target = incidents.find((i) => i["id"] === u["id"])!
          Object.assign(target, { status: u["status"] })
          return target
        })
        answer = json({ incidents: updated })
      } else if (request.method === "GET" && path.startsWith("/incidents/")) {
        answer = json({ incident: incidents.find((i) => i["id"] === path.split("/")[2]) })
      } else if (request.method === "GET" && path === "/log_entries") {
        const s = Date.parse(q.get("since")!)
        const u = Date.parse(q.get("until")!)
        answer = page("log_entries", logEntries.filter((e) => e.at >= s && e.at < u), q)
      } else {
        answer = json({ error: { code: 2100, message: "Not Found" } }, 404)
      }
      return HttpClientResponse.fromWeb(request, answer)
    })
  )
})

const Live = RestApi.layer({ apiKey: Redacted.make("example-key"), defaultFrom: "examples@example.com" }).pipe(Layer.provide(StandIn))

describe("REST examples", () => {
  it.effect("rest-listing: lists, counts, streams typed items and finds by email", () =>
    Effect.gen(function*() {
      const lines = yield* Listing.program
      assert.deepStrictEqual(lines, [
        "users: 3",
        "triggered incidents: 125",
        "PI0 triggered: Incident 0",
        "PI1 acknowledged: Incident 1",
        "PI2 triggered: Incident 2",
        "found by email: true"
      ])
    }).pipe(Effect.provide(Live)))

  it.effect("rest-writes: creates, acknowledges with a multi-update, persists idempotently", () =>
    Effect.gen(function*() {
      const lines = yield* Writes.program("PSERVICE1")
      assert.deepStrictEqual(lines, ["created PI250 (triggered)", "acknowledged 1", "status now acknowledged", "persist is idempotent: true"])
    }).pipe(Effect.provide(Live)))

  it.effect("rest-history: 12 000 log entries (past the 10 000 cap), each once", () =>
    Effect.gen(function*() {
      const result = yield* History.program("2025-01-01T00:00:00Z", new Date(start + 12_000_000).toISOString())
      assert.deepStrictEqual(result, { count: 12_000, distinct: 12_000, byType: { annotate_log_entry: 4000, trigger_log_entry: 8000 } })
    }).pipe(Effect.provide(Live)))
})
