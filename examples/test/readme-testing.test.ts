// docs/guide/testing.md's example ("Testing your code with the simulator"), verbatim: keep them in step.
import { assert, it } from "@effect/vitest"
import { RestApi } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import { Effect, Fiber, Layer, Redacted, Schema, Stream, TestClock } from "effect"

// Your code: acknowledge every triggered incident of a service, return how many.
const acknowledgeAll = (serviceId: string) =>
  Effect.gen(function*() {
    const pd = yield* RestApi.RestApiService
    const triggered = yield* pd.listAll("/incidents", {
      schema: Schema.Struct({ id: Schema.String }),
      params: { statuses: ["triggered"], service_ids: [serviceId], date_range: "all" }
    })
    if (triggered.length === 0) return 0
    yield* pd.updateIncidents(
      triggered.map((i) => ({ id: i.id, type: "incident_reference", status: "acknowledged" }))
    )
    return triggered.length
  })

// The test: RestApi on top of the in-memory simulator (no sockets, no account).
const TestLive = RestApi.layer({
  apiKey: Redacted.make(Simulator.DEFAULT_API_KEY),
  defaultFrom: "ada.lovelace0@example.com" // a seeded user: writes with an account key name one
}).pipe(Layer.provideMerge(Simulator.layer({ seed: 7, incidents: 200 })))

it.effect("acknowledges every triggered incident of the service, even through a 429", () =>
  Effect.gen(function*() {
    const sim = yield* Simulator.Simulator
    const service = (yield* sim.state.services)[0]!
    const before = (yield* sim.state.incidents({ statuses: ["triggered"] })).filter((i) => i.service.id === service.id)
    yield* sim.addFault({ method: "GET", path: "/incidents", nth: [1], kind: Simulator.Fault.status429({ reset: 2 }) })

    const fiber = yield* Effect.fork(acknowledgeAll(service.id))
    yield* TestClock.adjust("2 seconds") // the client waits ratelimit-reset on the TestClock
    const acknowledged = yield* Fiber.join(fiber)

    assert.strictEqual(acknowledged, before.length)
    assert.isAbove(acknowledged, 0)
    const after = (yield* sim.state.incidents({ statuses: ["triggered"] })).filter((i) => i.service.id === service.id)
    assert.strictEqual(after.length, 0)
    assert.strictEqual((yield* sim.countsByEndpoint)["PUT /incidents"], 1)
    assert.strictEqual(yield* sim.rateLimited429s, 1)
  }).pipe(Effect.provide(TestLive)))

it.effect("streams stop fetching as soon as enough items arrived", () =>
  Effect.gen(function*() {
    const pd = yield* RestApi.RestApiService
    const sim = yield* Simulator.Simulator
    const firstFive = yield* Stream.runCollect(Stream.take(pd.iterAll("/incidents", { params: { date_range: "all" } }), 5))
    assert.strictEqual(firstFive.length, 5)
    assert.strictEqual((yield* sim.countsByEndpoint)["GET /incidents"], 1)
  }).pipe(Effect.provide(TestLive)))
