/**
 * Runs the Events examples against the in-memory simulator, on the TestClock.
 */
import { EventsApi, EventsApiV1 } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Logger, LogLevel, Redacted, TestClock } from "effect"
import * as V1 from "../src/events-v1.js"
import * as V2 from "../src/events-v2.js"

const key = Redacted.make(Simulator.DEFAULT_ROUTING_KEY)
const quiet = Logger.minimumLogLevel(LogLevel.None)

describe("events examples", () => {
  it.effect("events-v2 prints every step", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(V2.program)
      for (let i = 0; i < 10; i++) yield* TestClock.adjust("1 minute")
      const lines = yield* Fiber.join(fiber)
      assert.deepStrictEqual(lines, [
        "1. triggered db-1/disk: success (Event processed)",
        "2. same key again: 1 open incident",
        "3. acknowledged and resolved: 0 open incidents",
        "4. InvalidEvent: invalid event, nothing sent: payload.summary: summary must not be empty or blank; requests sent: 0",
        "5. change event: success (Change event processed)",
        "6. batch: ok web-1/cpu, InvalidEvent, ok web-3/cpu, ok web-1/cpu",
        "7. dropped response, retried: 2 deliveries, 1 incident, key assigned by the client"
      ])
    }).pipe(
      Effect.provide(EventsApi.layer({ routingKey: key }).pipe(Layer.provideMerge(Simulator.layer({ incidents: 0 })))),
      Effect.provide(quiet)
    ))

  it.effect("events-v1 prints every step", () =>
    Effect.gen(function*() {
      const lines = yield* V1.program
      assert.deepStrictEqual(lines, [
        "1. triggered, incident_key 0ace123ba99999160f35ea3bd381a318",
        "2. acknowledged and resolved: success",
        "3. InvalidIncidentKey: acknowledge event not sent: an incident key is required",
        "4. alert resolved queue/backlog"
      ])
    }).pipe(
      Effect.provide(EventsApiV1.layer({ serviceKey: key }).pipe(Layer.provideMerge(Simulator.layer({ incidents: 0 })))),
      Effect.provide(quiet)
    ))
})
