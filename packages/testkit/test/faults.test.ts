import { HttpClient, HttpClientRequest } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Fiber, TestClock } from "effect"
import { Simulator } from "../src/index.js"
import { AUTH, EVENTS, getJson, trigger } from "./helpers.js"

const withSim = (options: Simulator.Options = {}) => Effect.provide(Simulator.layer({ incidents: 5, now: "2026-03-01T00:00:00Z", ...options }))
const { Fault } = Simulator

/** Sends an event and returns status and raw text, or the transport error. */
const rawEvent = (dedupKey: string) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const res = yield* client.execute(HttpClientRequest.post(`${EVENTS}/v2/enqueue`).pipe(HttpClientRequest.bodyUnsafeJson({
      routing_key: Simulator.DEFAULT_ROUTING_KEY,
      event_action: "trigger",
      dedup_key: dedupKey,
      payload: { summary: "s", source: "h", severity: "error" }
    })))
    return { status: res.status, text: yield* res.text, contentType: res.headers["content-type"] }
  })

const rawGet = (path: string) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const res = yield* client.execute(HttpClientRequest.get(`https://api.pagerduty.com${path}`).pipe(HttpClientRequest.setHeaders(AUTH)))
    return { status: res.status, text: yield* res.text }
  })

describe("faults", () => {
  it.effect("status429 on listed request numbers, with ratelimit headers and code 2020", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      yield* sim.addFault({ method: "GET", path: "/incidents", nth: [1, 3], kind: Fault.status429({ reset: 7, retryAfter: 7 }) })
      const results: Array<any> = []
      for (let i = 0; i < 4; i++) results.push(yield* getJson("/incidents"))
      assert.deepStrictEqual(results.map((r) => r.status), [429, 200, 429, 200])
      assert.strictEqual(results[0].body.error.code, 2020)
      assert.strictEqual(results[0].headers["ratelimit-reset"], "7")
      assert.strictEqual(results[0].headers["ratelimit-remaining"], "0")
      assert.strictEqual(results[0].headers["retry-after"], "7")
      assert.strictEqual(yield* sim.rateLimited429s, 2)
      assert.strictEqual((yield* getJson("/users")).status, 200)
    }).pipe(withSim()))

  it.effect("every nth: nth 2 fires on the 2nd and 4th matching request; glob paths match one segment", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      yield* sim.addFault({ path: "/incidents/*", nth: 2, kind: Fault.status5xx(502) })
      const statuses: Array<number> = []
      for (let i = 0; i < 4; i++) statuses.push((yield* rawGet("/incidents/Q000000")).status)
      assert.deepStrictEqual(statuses, [200, 502, 200, 502])
      assert.strictEqual((yield* rawGet("/incidents/Q000000/notes")).status, 200)
    }).pipe(withSim()))

  it.effect("a 5xx on an event has an HTML body and the event is not processed", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      yield* sim.addFault({ path: "/v2/enqueue", nth: [1], kind: Fault.status5xx(503) })
      const r = yield* rawEvent("k1")
      assert.strictEqual(r.status, 503)
      assert.include(r.contentType, "text/html")
      assert.include(r.text, "<h1>503")
      assert.strictEqual(yield* sim.state.incidentCount, 0)
      assert.deepStrictEqual(yield* sim.eventsByDedupKey, {})
      const retry = yield* rawEvent("k1")
      assert.strictEqual(retry.status, 202)
      assert.strictEqual(yield* sim.state.incidentCount, 1)
    }).pipe(withSim({ incidents: 0 })))

  it.effect("drop fails with a Transport RequestError and processes nothing; afterProcessing processes then drops", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      yield* sim.addFault({ path: "/v2/enqueue", nth: [1], kind: Fault.drop() })
      yield* sim.addFault({ path: "/v2/enqueue", nth: [2], kind: Fault.drop({ afterProcessing: true }) })
      const dropped = yield* Effect.either(rawEvent("d1"))
      assert.isTrue(Either.isLeft(dropped))
      if (Either.isLeft(dropped)) {
        assert.strictEqual(dropped.left._tag, "RequestError")
        assert.strictEqual(dropped.left._tag === "RequestError" ? dropped.left.reason : "", "Transport")
      }
      assert.strictEqual(yield* sim.state.incidentCount, 0)
      const droppedAfter = yield* Effect.either(rawEvent("d1"))
      assert.isTrue(Either.isLeft(droppedAfter))
      assert.strictEqual(yield* sim.state.incidentCount, 1)
      // The client retries: dedup keeps one incident, the counter shows two deliveries.
      assert.strictEqual((yield* rawEvent("d1")).status, 202)
      assert.strictEqual(yield* sim.state.incidentCount, 1)
      assert.deepStrictEqual(yield* sim.eventsByDedupKey, { d1: 2 })
      const recorded = yield* sim.requests
      assert.deepStrictEqual(recorded.map((r) => r.outcome), ["dropped", "dropped", "response"])
    }).pipe(withSim({ incidents: 0 })))

  it.effect("invalidJson and the odd error bodies", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      yield* sim.addFault({ path: "/incidents", nth: [1], kind: Fault.invalidJson() })
      yield* sim.addFault({ path: "/incidents", nth: [2], kind: Fault.oddErrorBody("array") })
      yield* sim.addFault({ path: "/incidents", nth: [3], kind: Fault.oddErrorBody("errorsString", 500) })
      yield* sim.addFault({ path: "/incidents", nth: [4], kind: Fault.oddErrorBody("string") })
      const bad = yield* rawGet("/incidents")
      assert.strictEqual(bad.status, 200)
      assert.throws(() => JSON.parse(bad.text))
      assert.deepStrictEqual(JSON.parse((yield* rawGet("/incidents")).text), { error: ["Something went wrong"] })
      const third = yield* rawGet("/incidents")
      assert.strictEqual(third.status, 500)
      assert.deepStrictEqual(JSON.parse(third.text), { error: { message: "x", errors: "a string" } })
      assert.deepStrictEqual(JSON.parse((yield* rawGet("/incidents")).text), { error: "Something went wrong" })
      assert.strictEqual((yield* rawGet("/incidents")).status, 200)
    }).pipe(withSim()))

  it.effect("latency waits on the Clock; timeout hangs until interrupted and changes nothing", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      yield* sim.addFault({ path: "/users", kind: Fault.latency(5_000) })
      const slow = yield* Effect.fork(getJson("/users"))
      yield* TestClock.adjust("4999 millis")
      assert.isTrue((yield* Fiber.poll(slow))._tag === "None")
      yield* TestClock.adjust("1 millis")
      assert.strictEqual((yield* Fiber.join(slow)).status, 200)

      yield* sim.addFault({ path: "/v2/enqueue", nth: [1], kind: Fault.timeout() })
      const hung = yield* Effect.fork(rawEvent("h1"))
      yield* TestClock.adjust("1 hour")
      assert.isTrue((yield* Fiber.poll(hung))._tag === "None")
      yield* Fiber.interrupt(hung)
      assert.strictEqual(yield* sim.state.incidentCount, 0)
      const timedOut = yield* rawEvent("h1").pipe(Effect.timeout("1 second"), Effect.either)
      assert.isTrue(Either.isRight(timedOut))
    }).pipe(withSim({ incidents: 0 })))

  it.effect("probability faults are deterministic for a seed", () =>
    Effect.gen(function*() {
      const run = Effect.gen(function*() {
        const out: Array<number> = []
        for (let i = 0; i < 40; i++) out.push((yield* rawGet("/users")).status)
        return out
      })
      const a = yield* run.pipe(withSim({ faults: [{ path: "/users", probability: 0.3, seed: 9, kind: Fault.status5xx(500) }] }))
      const b = yield* run.pipe(withSim({ faults: [{ path: "/users", probability: 0.3, seed: 9, kind: Fault.status5xx(500) }] }))
      assert.deepStrictEqual(a, b)
      const failures = a.filter((s) => s === 500).length
      assert.isAbove(failures, 3)
      assert.isBelow(failures, 25)
    }))

  it.effect("clearFaults and reset", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      yield* sim.addFault({ kind: Fault.status5xx(500) })
      assert.strictEqual((yield* rawGet("/users")).status, 500)
      yield* sim.clearFaults
      assert.strictEqual((yield* rawGet("/users")).status, 200)
      yield* trigger("r1")
      assert.strictEqual(yield* sim.state.incidentCount, 6)
      yield* sim.reset
      assert.strictEqual(yield* sim.state.incidentCount, 5)
      assert.deepStrictEqual(yield* sim.requests, [])
      assert.deepStrictEqual(yield* sim.eventsByDedupKey, {})
    }).pipe(withSim()))
})

describe("rate limiter", () => {
  it.effect("a bucket of N: request N+1 is 429 with ratelimit-reset, and it refills over the window", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const statuses: Array<number> = []
      let last: any
      for (let i = 0; i < 6; i++) {
        last = yield* getJson("/incidents")
        statuses.push(last.status)
      }
      assert.deepStrictEqual(statuses, [200, 200, 200, 200, 200, 429])
      assert.strictEqual(last.body.error.code, 2020)
      assert.strictEqual(last.headers["ratelimit-limit"], "5")
      assert.strictEqual(last.headers["ratelimit-remaining"], "0")
      assert.strictEqual(last.headers["ratelimit-reset"], "1")
      assert.strictEqual(yield* sim.rateLimited429s, 1)
      // Another key has its own bucket.
      assert.strictEqual((yield* getJson("/incidents", { Authorization: `Token token=${Simulator.DEFAULT_USER_API_KEY}` })).status, 200)
      yield* TestClock.adjust("1 second")
      const after: Array<number> = []
      for (let i = 0; i < 6; i++) after.push((yield* getJson("/incidents")).status)
      assert.deepStrictEqual(after, [200, 200, 200, 200, 200, 429])
    }).pipe(withSim({ rateLimit: { limit: 5, window: "1 second" } })))
})
