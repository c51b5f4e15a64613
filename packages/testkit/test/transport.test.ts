import { HttpClient, HttpClientRequest } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Simulator } from "../src/index.js"

const options: Simulator.Options = { incidents: 40, seed: 7, now: "2026-03-01T00:00:00Z" }

/** One program: pages through incidents, triggers an event, reads it back. */
const program = (base: string) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const auth = { Authorization: `Token token=${Simulator.DEFAULT_API_KEY}` }
    const titles: Array<string> = []
    for (let offset = 0; ; offset += 15) {
      const res = yield* client.execute(HttpClientRequest.get(`${base}/incidents?limit=15&offset=${offset}&date_range=all`).pipe(HttpClientRequest.setHeaders(auth)))
      const body = (yield* res.json) as any
      titles.push(...body.incidents.map((i: any) => `${i.id} ${i.status} ${i.title}`))
      if (!body.more) break
    }
    const ev = yield* client.execute(HttpClientRequest.post(`${base}/v2/enqueue`).pipe(HttpClientRequest.bodyUnsafeJson({
      routing_key: Simulator.DEFAULT_ROUTING_KEY,
      event_action: "trigger",
      dedup_key: "same-everywhere",
      payload: { summary: "Queue backlog", source: "worker-1", severity: "warning" }
    })))
    const evBody = (yield* ev.json) as any
    const found = yield* client.execute(HttpClientRequest.get(`${base}/incidents?incident_key=same-everywhere`).pipe(HttpClientRequest.setHeaders(auth)))
    const foundBody = (yield* found.json) as any
    const incident = foundBody.incidents[0]
    return {
      titles,
      event: [ev.status, evBody.dedup_key],
      incident: { id: incident.id, status: incident.status, urgency: incident.urgency, self: incident.self.replace(base, "<base>") }
    }
  })

describe("same program, in memory and over the socket", () => {
  it.effect("Simulator.layer and Simulator.serve + NodeHttpClient give the same result", () =>
    Effect.gen(function*() {
      const inMemory = yield* program("https://api.pagerduty.com").pipe(Effect.provide(Simulator.layer(options)))
      const overSocket = yield* Effect.scoped(Effect.gen(function*() {
        const served = yield* Simulator.serve(options)
        assert.match(served.url, /^http:\/\/127\.0\.0\.1:\d+$/)
        const result = yield* program(served.url).pipe(Effect.provide(NodeHttpClient.layerUndici))
        const counts = yield* served.simulator.countsByEndpoint
        assert.deepStrictEqual(counts, { "GET /incidents": 4, "POST /v2/enqueue": 1 })
        return result
      }))
      assert.strictEqual(inMemory.titles.length, 41 - 1)
      assert.deepStrictEqual(overSocket, inMemory)
      assert.deepStrictEqual(inMemory.event, [202, "same-everywhere"])
      assert.deepStrictEqual(inMemory.incident.self, `<base>/incidents/${inMemory.incident.id}`)
    }), { timeout: 20_000 })

  it.effect("the server answers CORS preflight, drops connections, and closes with its scope", () =>
    Effect.gen(function*() {
      const url = yield* Effect.scoped(Effect.gen(function*() {
        const served = yield* Simulator.serve({ incidents: 1, faults: [{ path: "/users", nth: [1], kind: Simulator.Fault.drop() }] })
        const pre = yield* Effect.promise(() => fetch(`${served.url}/incidents`, { method: "OPTIONS", headers: { Origin: "http://localhost:3000", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization,from" } }))
        assert.strictEqual(pre.status, 204)
        assert.strictEqual(pre.headers.get("access-control-allow-origin"), "*")
        assert.include(pre.headers.get("access-control-allow-headers") ?? "", "From")
        const dropped = yield* Effect.promise(() => fetch(`${served.url}/users`, { headers: { Authorization: "Token token=sim-api-key" } }).then((r) => r.text()).then(() => "ok", (e) => `failed: ${String(e)}`))
        assert.match(dropped, /^failed/)
        const ok = yield* Effect.promise(() => fetch(`${served.url}/users`, { headers: { Authorization: "Token token=sim-api-key" } }))
        assert.strictEqual(ok.status, 200)
        assert.strictEqual(ok.headers.get("access-control-allow-origin"), "*")
        assert.isNotNull(ok.headers.get("x-request-id"))
        return served.url
      }))
      const after = yield* Effect.promise(() => fetch(`${url}/users`).then(() => "answered", () => "closed"))
      assert.strictEqual(after, "closed")
    }), { timeout: 20_000 })
})

