/**
 * Exactly-once events end to end: a real node:http server on 127.0.0.1 that processes an
 * event and then loses the answer (the socket is destroyed, or a 2xx comes back garbled).
 * The error carries the event's dedup key; resending with it opens no second incident.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Fiber, Option, Redacted, TestClock } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { EventsApi, EventsApiV1, PagerDutyError } from "../src/index.js"
import * as Mock from "./utils/mock.js"

type Mode = "drop" | "garble" | "ok" | "reject"

interface Events {
  readonly url: string
  /** Incidents opened, by dedup key (v2 `dedup_key`, v1 `incident_key`): one per distinct key triggered. */
  readonly incidents: Map<string, number>
  readonly requests: () => number
}

/**
 * A minimal Events API (v2 and v1) that counts triggers per dedup key. `mode(n)` decides
 * what happens to the nth request: processed then dropped, processed then answered with a
 * truncated 2xx body, processed and answered, or refused with a 400 (not processed).
 */
const eventsServer = (mode: (n: number) => Mode) =>
  Effect.acquireRelease(
    Effect.async<Events & { readonly srv: http.Server }>((resume) => {
      const incidents = new Map<string, number>()
      let n = 0
      const srv = http.createServer((req, res) => {
        let body = ""
        req.on("data", (c) => (body += c))
        req.on("end", () => {
          const m = mode(++n)
          if (m === "reject") {
            res.writeHead(400, { "content-type": "application/json" })
            res.end(JSON.stringify({ status: "invalid event", message: "Event object is invalid", errors: ["no"] }))
            return
          }
          const event = JSON.parse(body) as Record<string, unknown>
          const key = String(event["dedup_key"] ?? event["incident_key"])
          const action = event["event_action"] ?? event["event_type"]
          if (action === "trigger") incidents.set(key, (incidents.get(key) ?? 0) + 1)
          if (m === "drop") {
            res.socket?.destroy()
            return
          }
          res.writeHead(202, { "content-type": "application/json" })
          const answer = req.url === EventsApiV1.path
            ? { status: "success", message: "Event processed", incident_key: key }
            : { status: "success", message: "Event processed", dedup_key: key }
          res.end(m === "garble" ? JSON.stringify(answer).slice(0, 17) : JSON.stringify(answer))
        })
      })
      srv.listen(0, "127.0.0.1", () => {
        const { port } = srv.address() as AddressInfo
        resume(Effect.succeed({ url: `http://127.0.0.1:${port}`, incidents, requests: () => n, srv }))
      })
    }),
    ({ srv }) =>
      Effect.async<void>((resume) => {
        srv.closeAllConnections()
        srv.close(() => resume(Effect.void))
      })
  )

// No retries inside the client: each call is one request, so the test needs no clock and
// shows what the caller gets back when the answer is lost.
const noRetry = { maxNetworkRetries: 0, maxHttpRetries: 0 } as const

const v2 = (url: string) => EventsApi.make({ routingKey: Redacted.make("R0UT1NGKEY"), baseUrl: url, retry: noRetry })
const v1 = (url: string) => EventsApiV1.make({ serviceKey: Redacted.make("4baa5d20cfba466a5e075b02698f455c"), baseUrl: url, retry: noRetry })

const trigger: EventsApi.Trigger = { summary: "Checkout down", source: "checkout" }

/** The error's dedup key, asserting the error is one of the errors raised after sending. */
const keyOf = (e: EventsApi.EventsError): string => {
  assert.isTrue(e._tag === "TransportError" || e._tag === "ServerHttpError" || e._tag === "HttpError", e._tag)
  const key = "dedupKey" in e ? e.dedupKey : undefined
  assert.isString(key)
  return key!
}

describe("EventsApi exactly once (real server, answers lost)", () => {
  it.effect("dropped after processing: TransportError with the key; resending with it opens no second incident", () =>
    Effect.gen(function*() {
      const server = yield* eventsServer((n) => (n === 1 ? "drop" : "ok"))
      const events = yield* v2(server.url)
      const error = yield* Effect.flip(events.trigger(trigger))
      assert.strictEqual(error._tag, "TransportError")
      assert.strictEqual((error as PagerDutyError.TransportError).mayHaveBeenDelivered, true)
      const dedupKey = keyOf(error)
      const result = yield* events.trigger({ ...trigger, dedupKey })
      assert.strictEqual(result.dedupKey, dedupKey)
      assert.strictEqual(server.requests(), 2)
      assert.deepStrictEqual([...server.incidents.values()].length, 1) // one incident for one logical trigger
      assert.strictEqual(server.incidents.get(dedupKey), 2) // both sends deduplicated onto it
    }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici)))

  it.effect("garbled 2xx: ServerHttpError with the key and mayHaveBeenDelivered; resending opens no second incident", () =>
    Effect.gen(function*() {
      const server = yield* eventsServer((n) => (n === 1 ? "garble" : "ok"))
      const events = yield* v2(server.url)
      const error = yield* Effect.flip(events.trigger(trigger))
      assert.strictEqual(error._tag, "ServerHttpError")
      const e = error as PagerDutyError.ServerHttpError
      assert.strictEqual(e.status, 202)
      assert.strictEqual(e.reason, "InvalidJson")
      assert.strictEqual(e.mayHaveBeenDelivered, true)
      yield* events.trigger({ ...trigger, dedupKey: keyOf(error) })
      assert.strictEqual(server.incidents.size, 1)
    }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici)))

  it.effect("the contrast: calling trigger again without the key opens a second incident", () =>
    Effect.gen(function*() {
      const server = yield* eventsServer((n) => (n === 1 ? "drop" : "ok"))
      const events = yield* v2(server.url)
      yield* Effect.flip(events.trigger(trigger))
      yield* events.trigger(trigger)
      assert.strictEqual(server.incidents.size, 2)
    }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici)))

  it.effect("acknowledge and resolve errors carry the key they were given", () =>
    Effect.gen(function*() {
      const server = yield* eventsServer(() => "garble")
      const events = yield* v2(server.url)
      assert.strictEqual(keyOf(yield* Effect.flip(events.acknowledge("db-1/disk"))), "db-1/disk")
      assert.strictEqual(keyOf(yield* Effect.flip(events.resolve("db-1/disk"))), "db-1/disk")
    }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici)))

  it.effect("a first-attempt 400 carries the key and says it was not delivered", () =>
    Effect.gen(function*() {
      const server = yield* eventsServer(() => "reject")
      const events = yield* v2(server.url)
      const error = yield* Effect.flip(events.trigger({ ...trigger, dedupKey: "k-400" }))
      assert.strictEqual(error._tag, "HttpError")
      const e = error as PagerDutyError.HttpError
      assert.strictEqual(e.status, 400)
      assert.strictEqual(e.dedupKey, "k-400")
      assert.strictEqual(e.mayHaveBeenDelivered, false)
      assert.strictEqual(server.incidents.size, 0)
    }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici)))

  it.effect("triggerAll reports the key per failed item; resending the failed ones gives one incident per trigger", () =>
    Effect.gen(function*() {
      // requests 2 and 4 lose their answer (concurrency 1: request n is item n)
      const server = yield* eventsServer((n) => (n === 2 ? "drop" : n === 4 ? "garble" : "ok"))
      const events = yield* v2(server.url)
      const inputs = Array.from({ length: 5 }, (_, i): EventsApi.Trigger => ({ summary: `problem ${i}`, source: "batch" }))
      const results = yield* events.triggerAll(inputs, { concurrency: 1 })
      assert.deepStrictEqual(results.map(Either.isLeft), [false, true, false, true, false])
      const retried = results.flatMap((r, i) => Either.isLeft(r) ? [{ ...inputs[i]!, dedupKey: keyOf(r.left) }] : [])
      const again = yield* events.triggerAll(retried, { concurrency: 1 })
      assert.isTrue(again.every(Either.isRight))
      assert.strictEqual(server.incidents.size, 5) // 5 logical triggers, 7 sends, 5 incidents
      assert.strictEqual(server.requests(), 7)
    }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici)))

  it.effect("sendBatch reports the key per item too", () =>
    Effect.gen(function*() {
      const server = yield* eventsServer(() => "drop")
      const events = yield* v2(server.url)
      const results = yield* events.sendBatch([
        { action: "trigger", summary: "a", source: "s", dedupKey: "batch-a" },
        { action: "resolve", dedupKey: "batch-b" }
      ], { concurrency: 1 })
      assert.deepStrictEqual(results.map((r) => Either.isLeft(r) ? keyOf(r.left) : "ok"), ["batch-a", "batch-b"])
    }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici)))
})

describe("EventsApiV1 exactly once (real server, answers lost)", () => {
  it.effect("dropped and garbled answers carry the incident key; resending with it opens no second incident", () =>
    Effect.gen(function*() {
      const server = yield* eventsServer((n) => (n === 1 ? "drop" : n === 2 ? "garble" : "ok"))
      const api = yield* v1(server.url)
      const dropped = yield* Effect.flip(api.trigger({ description: "No data received", incidentKey: "v1-key" }))
      assert.strictEqual(dropped._tag, "TransportError")
      assert.strictEqual((dropped as PagerDutyError.TransportError).dedupKey, "v1-key")
      assert.strictEqual((dropped as PagerDutyError.TransportError).mayHaveBeenDelivered, true)
      // the default key (md5 of the description) is reported too
      const garbled = yield* Effect.flip(api.trigger({ description: "Disk full" }))
      assert.strictEqual(garbled._tag, "ServerHttpError")
      const key = (garbled as PagerDutyError.ServerHttpError).dedupKey
      assert.match(key!, /^[0-9a-f]{32}$/)
      yield* api.trigger({ description: "Disk full", incidentKey: key! })
      yield* api.trigger({ description: "No data received", incidentKey: "v1-key" })
      assert.strictEqual(server.incidents.size, 2) // two logical triggers, four sends
      assert.strictEqual(server.requests(), 4)
    }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici)))
})

describe("unreadable 2xx answers are retried inside the client with the same key (TestClock)", () => {
  const garbledThenOk = (key: (body: Record<string, unknown>) => Record<string, unknown>) => (request: Mock.Recorded, n: number) =>
    n === 1
      ? new Response("{\"status\":\"succ", { status: 202, headers: { "content-type": "application/json" } })
      : Mock.json(key(JSON.parse(request.body!) as Record<string, unknown>), 202)

  /** Runs `self` in a fiber and moves the TestClock a second at a time until it is done. */
  const settle = <A, E, R>(self: Effect.Effect<A, E, R>) =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(self)
      for (let i = 0; i < 120 && Option.isNone(yield* Fiber.poll(fiber)); i++) yield* TestClock.adjust("1 second")
      return yield* Fiber.join(fiber)
    })

  it.effect("v2 trigger: the garbled answer is retried, both sends carry one dedup key", () =>
    Effect.gen(function*() {
      const events = yield* EventsApi.make({ routingKey: Redacted.make("R0UT1NGKEY") })
      const result = yield* settle(events.trigger(trigger))
      const sent = (yield* Mock.recorded).map((r) => (JSON.parse(r.body!) as { dedup_key: string }).dedup_key)
      assert.strictEqual(sent.length, 2)
      assert.deepStrictEqual(sent, [result.dedupKey, result.dedupKey])
    }).pipe(Effect.provide(Mock.layer(garbledThenOk((b) => ({ status: "success", message: "Event processed", dedup_key: b["dedup_key"] }))))))

  it.effect("v1 trigger: likewise, with the incident key", () =>
    Effect.gen(function*() {
      const v1 = yield* EventsApiV1.make({ serviceKey: Redacted.make("4baa5d20cfba466a5e075b02698f455c") })
      const result = yield* settle(v1.trigger({ description: "Disk full", incidentKey: "v1-k" }))
      assert.strictEqual(result.incidentKey, "v1-k")
      assert.strictEqual((yield* Mock.recorded).length, 2)
    }).pipe(Effect.provide(Mock.layer(garbledThenOk((b) => ({ status: "success", message: "Event processed", incident_key: b["incident_key"] }))))))

  it.effect("a change event (no key to deduplicate it) is not repeated on a garbled answer", () =>
    Effect.gen(function*() {
      const events = yield* EventsApi.make({ routingKey: Redacted.make("R0UT1NGKEY") })
      const error = yield* settle(Effect.flip(events.submit("Deployed v42")))
      assert.strictEqual(error._tag, "ServerHttpError")
      assert.strictEqual((error as PagerDutyError.ServerHttpError).reason, "InvalidJson")
      assert.strictEqual((yield* Mock.recorded).length, 1)
    }).pipe(Effect.provide(Mock.layer(garbledThenOk(() => ({ status: "success", message: "Change event processed" }))))))
})
