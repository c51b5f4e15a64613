import { EventsApi, EventsApiV1 } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import { assert, it } from "@effect/vitest"
import { Cause, Effect, Fiber, Inspectable, Layer, Redacted, TestClock } from "effect"
import { type Captured, observe } from "./utils/observe.js"

const ROUTING = "ROUTINGSECRETv2xxxxxxxxxxxxxxxxx"
const SERVICE = "SERVICESECRETv1xxxxxxxxxxxxxxxxx"
const UNKNOWN = "UNKNOWNSECRETxxxxxxxxxxxxxxxxxxx"

const Live = Layer.mergeAll(
  EventsApi.layer({ routingKey: Redacted.make(ROUTING) }),
  EventsApiV1.layer({ serviceKey: Redacted.make(SERVICE) })
).pipe(Layer.provideMerge(Simulator.layer({ incidents: 0, routingKeys: [ROUTING, SERVICE] })))

it.effect("routing and service keys appear in no error, log line or span (and do reach the wire)", () =>
  Effect.gen(function*() {
    const captured: Captured = { logs: [], spans: [] }
    const sim = yield* Simulator.Simulator
    yield* sim.addFault({ method: "POST", path: "/v2/enqueue", nth: [2, 3], kind: Simulator.Fault.status5xx(503) })
    yield* sim.addFault({ method: "POST", path: EventsApiV1.path, nth: [1], kind: Simulator.Fault.drop() })
    const scenario = Effect.gen(function*() {
      const v2 = yield* EventsApi.EventsApiService
      const v1 = yield* EventsApiV1.EventsApiV1Service
      const bad = yield* EventsApi.make({ routingKey: Redacted.make(UNKNOWN) })
      const outcomes: Array<unknown> = []
      const record = <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.tap(Effect.exit(self), (exit) => Effect.sync(() => outcomes.push(exit)))
      yield* record(v2.trigger({ summary: "ok", source: "s" }))
      yield* record(v2.trigger({ summary: "retried", source: "s" }))
      yield* record(v2.trigger({ summary: "", source: "s" }))
      yield* record(bad.trigger({ summary: "unknown key", source: "s" }))
      yield* record(v2.submit("deploy"))
      yield* record(v2.sendBatch([{ action: "resolve", dedupKey: "" }, { action: "acknowledge", dedupKey: "k" }]))
      yield* record(v1.trigger({ description: "v1 dropped once" }))
      yield* record(v1.acknowledge({}))
      yield* record(EventsApiV1.make({ serviceKey: Redacted.make(" ") }))
      return outcomes
    })
    const fiber = yield* Effect.fork(observe(scenario, captured))
    for (let i = 0; i < 10; i++) yield* TestClock.adjust("1 minute")
    const outcomes = yield* Fiber.join(fiber)
    assert.strictEqual(outcomes.length, 9)

    const texts: Array<string> = [...captured.logs]
    for (const outcome of outcomes) {
      texts.push(Inspectable.format(outcome))
      if (typeof outcome === "object" && outcome !== null && "cause" in outcome) {
        const cause = (outcome as { cause: Cause.Cause<unknown> }).cause
        texts.push(Cause.pretty(cause))
        for (const e of Cause.failures(cause)) texts.push(String(e), (e as Error).message ?? "", JSON.stringify(e))
      }
    }
    for (const span of captured.spans) texts.push(span.name, ...[...span.attributes].map(([k, v]) => `${k}=${String(v)}`), ...span.events)
    assert.isAbove(captured.logs.length, 5)
    assert.isAbove(captured.spans.length, 5)
    assert.isTrue(texts.some((t) => t.includes("HttpError")), "the unknown key's HttpError was observed")
    for (const secret of [ROUTING, SERVICE, UNKNOWN]) {
      for (const text of texts) assert.notInclude(text, secret)
    }
    // the keys did travel, in the body only
    const requests = yield* sim.requests
    assert.isTrue(requests.some((r) => r.body.includes(ROUTING)))
    assert.isTrue(requests.some((r) => r.body.includes(SERVICE)))
    assert.isTrue(requests.some((r) => r.body.includes(UNKNOWN)))
    assert.isFalse(requests.some((r) => r.url.includes("SECRET") || Object.values(r.headers).some((h) => h.includes("SECRET"))))
  }).pipe(Effect.provide(Live)))
