import { assert, it } from "@effect/vitest"
import { EventsApi, RestApi } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import { Effect, Layer, Redacted } from "effect"
import { program } from "../src/quick-start.js"

// The README's quick start runs as printed, with the simulator standing in for PagerDuty.
it.effect("the quick start streams titles, maps a 404 to null and triggers an event", () =>
  Effect.gen(function*() {
    const sim = yield* Simulator.Simulator
    const triggered = yield* sim.state.incidents({ statuses: ["triggered"] })
    const result = yield* program
    assert.deepStrictEqual(result.titles, triggered.map((i) => i.title))
    assert.isNull(result.user)
    assert.strictEqual((yield* sim.eventsByDedupKey)[result.dedupKey], 1)
  }).pipe(
    Effect.provide(
      Layer.mergeAll(
        RestApi.layer({ apiKey: Redacted.make(Simulator.DEFAULT_API_KEY) }),
        EventsApi.layer({ routingKey: Redacted.make(Simulator.DEFAULT_ROUTING_KEY) })
      ).pipe(Layer.provideMerge(Simulator.layer({ seed: 3, incidents: 120 })))
    )
  ))
