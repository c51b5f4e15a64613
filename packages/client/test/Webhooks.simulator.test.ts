/**
 * Webhooks end to end on the testkit simulator: a subscription made with
 * `Webhooks.createSubscription` (through RestApi), incident changes made through RestApi,
 * signed deliveries to `Webhooks.handler` served by @effect/platform-node on 127.0.0.1 (and
 * in process), verified typed events, a handler that fails once and the simulator's retry
 * on TestClock, and the other subscription helpers.
 */
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Simulator } from "@effect-pagerduty/testkit"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Layer, Option, Queue, Redacted, Ref, Stream, TestClock } from "effect"
import * as http from "node:http"
import { RestApi, Webhooks } from "../src/index.js"

const ADA = "ada.lovelace0@example.com"
const LIFECYCLE: ReadonlyArray<Webhooks.EventType> = ["incident.triggered", "incident.acknowledged", "incident.resolved"]

const rest = (simOptions: Simulator.Options = {}) =>
  RestApi.layer({ apiKey: Redacted.make(Simulator.DEFAULT_API_KEY), defaultFrom: ADA }).pipe(Layer.provideMerge(Simulator.layer({ incidents: 0, ...simOptions })))

const ServerLive = NodeHttpServer.layer(() => http.createServer(), { port: 0, host: "127.0.0.1" })

/** A receiver whose secret is known only once the subscription exists: the handler reads it from a Ref per request. */
const receiver = <E>(onEvent: (event: Webhooks.WebhookEvent, delivery: Webhooks.Delivery) => Effect.Effect<unknown, E>) =>
  Effect.gen(function*() {
    const secret = yield* Ref.make<ReadonlyArray<Redacted.Redacted<string>>>([])
    const app: HttpApp.Default = Webhooks.handler(Ref.get(secret), onEvent)
    return { secret, app }
  })

/** Waits until the simulator's delivery fiber has scheduled its retry. */
const retryScheduled = TestClock.sleeps().pipe(Effect.zipLeft(Effect.yieldNow()), Effect.repeat({ until: Chunk.isNonEmpty }))

const lifecycle = Effect.gen(function*() {
  const pd = yield* RestApi.RestApiService
  const created = (yield* pd.rpost("/incidents", { json: { type: "incident", title: "Checkout is down", service: { id: "PV00000", type: "service_reference" } } })) as { id: string }
  yield* pd.rput(`/incidents/${created.id}`, { json: { type: "incident", status: "acknowledged" } })
  yield* pd.rput(`/incidents/${created.id}`, { json: { type: "incident", status: "resolved" } })
  return created.id
})

describe("Webhooks on the simulator", () => {
  it.scoped("subscription -> signed delivery over 127.0.0.1 -> verified typed events; a failing handler is retried by the simulator", () =>
    Effect.gen(function*() {
      const events = yield* Queue.unbounded<Webhooks.WebhookEvent>()
      const seen = new Set<string>()
      let failures = 0
      const { app, secret } = yield* receiver((event) =>
        Effect.gen(function*() {
          // fail the first acknowledgement once: PagerDuty (here the simulator) must redeliver it
          if (event._tag === "incident.acknowledged" && failures === 0) {
            failures++
            return yield* Effect.fail("downstream unavailable")
          }
          if (seen.has(event.id)) return // idempotent: a redelivery of a processed event is skipped
          seen.add(event.id)
          yield* Queue.offer(events, event)
        })
      )
      yield* HttpServer.serveEffect(app)
      const address = (yield* HttpServer.HttpServer).address as HttpServer.TcpAddress
      const url = `http://127.0.0.1:${address.port}/pagerduty`

      const created = yield* Webhooks.createSubscription({ url, events: LIFECYCLE, description: "e2e" })
      assert.match(Redacted.value(created.secret), /^[0-9a-f]{64}$/)
      assert.notInclude(String(created.subscription.delivery_method.secret), Redacted.value(created.secret))
      yield* Ref.set(secret, [created.secret])

      const id = yield* lifecycle
      const triggered = yield* Queue.take(events)
      assert.strictEqual(triggered._tag, "incident.triggered")
      if (triggered._tag === "incident.triggered") {
        assert.strictEqual(triggered.data.id, id)
        assert.strictEqual(triggered.data.title, "Checkout is down")
        assert.strictEqual(triggered.data.status, "triggered")
        assert.strictEqual(triggered.data.service.id, "PV00000")
      }
      const sim = yield* Simulator.Simulator
      // the acknowledgement failed (500): nothing more arrives until the retry is due
      const firstTry = yield* sim.awaitWebhookDeliveries(2)
      assert.deepStrictEqual(firstTry.map((a) => [a.eventType, a.status, a.outcome]), [["incident.triggered", 202, "delivered"], ["incident.acknowledged", 500, "retrying"]])
      yield* retryScheduled
      yield* TestClock.adjust("75 seconds")
      const acknowledged = yield* Queue.take(events)
      const resolved = yield* Queue.take(events)
      assert.deepStrictEqual([acknowledged._tag, resolved._tag], ["incident.acknowledged", "incident.resolved"])
      if (resolved._tag === "incident.resolved") assert.strictEqual(resolved.data.status, "resolved")
      const attempts = yield* sim.awaitWebhookDeliveries(4)
      assert.deepStrictEqual(attempts.map((a) => [a.eventType, a.attempt, a.outcome]), [
        ["incident.triggered", 1, "delivered"],
        ["incident.acknowledged", 1, "retrying"],
        ["incident.acknowledged", 2, "delivered"],
        ["incident.resolved", 1, "delivered"]
      ])
      assert.strictEqual(failures, 1)
    }).pipe(Effect.provide(Layer.merge(rest(), ServerLive))))

  it.effect("in process: Simulator.layer delivers to Webhooks.handler as an HttpApp; a wrong secret is 401 and not retried", () =>
    Effect.gen(function*() {
      const events = yield* Queue.unbounded<Webhooks.WebhookEvent>()
      const { app, secret } = yield* receiver((event) => Queue.offer(events, event))
      yield* Effect.gen(function*() {
        const created = yield* Webhooks.createSubscription({ url: "http://localhost/hooks", events: ["incident.triggered", "incident.annotated"] })
        yield* Ref.set(secret, [Redacted.make("not-the-secret")])
        const pd = yield* RestApi.RestApiService
        const sim = yield* Simulator.Simulator
        yield* sim.state.addIncident({ title: "Rejected" })
        const rejected = yield* sim.awaitWebhookDeliveries(1)
        assert.deepStrictEqual(rejected.map((a) => [a.status, a.outcome]), [[401, "failed"]])

        // rotation: the new secret next to an old one
        yield* Ref.set(secret, [Redacted.make("old-secret"), created.secret])
        const incident = (yield* pd.rpost("/incidents", { json: { type: "incident", title: "Accepted", service: { id: "PV00000", type: "service_reference" } } })) as { id: string }
        yield* pd.rpost(`/incidents/${incident.id}/notes`, { json: { content: "looking" } })
        const triggered = yield* Queue.take(events)
        const annotated = yield* Queue.take(events)
        assert.strictEqual(triggered._tag, "incident.triggered")
        assert.strictEqual(annotated._tag, "incident.annotated")
        if (annotated._tag === "incident.annotated") {
          assert.strictEqual(annotated.data.content, "looking")
          assert.strictEqual(annotated.data.incident.id, incident.id)
        }
      }).pipe(Effect.provide(rest({ webhooks: { app } })))
    }))

  it.effect("subscription helpers: list (Stream, filters), get, update, enable, ping (a typed pagey.ping), delete", () =>
    Effect.gen(function*() {
      const events = yield* Queue.unbounded<Webhooks.WebhookEvent>()
      const { app, secret } = yield* receiver((event) => Queue.offer(events, event))
      yield* Effect.gen(function*() {
        const a = yield* Webhooks.createSubscription({ url: "http://127.0.0.1:1/a", events: ["incident.triggered"] })
        const b = yield* Webhooks.createSubscription({
          url: "http://127.0.0.1:1/b",
          events: ["incident.resolved"],
          filter: { type: "service_reference", id: "PV00001" },
          customHeaders: [{ name: "X-Env", value: Redacted.make("prod") }]
        })
        yield* Ref.set(secret, [a.secret, b.secret])
        const all = yield* Stream.runCollect(Webhooks.listSubscriptions())
        assert.deepStrictEqual(Chunk.toReadonlyArray(all).map((s) => s.id), [a.subscription.id, b.subscription.id])
        assert.isTrue(Chunk.toReadonlyArray(all).every((s) => s.delivery_method.secret === null))
        const byService = yield* Stream.runCollect(Webhooks.listSubscriptions({ filter: { type: "service_reference", id: "PV00001" } }))
        assert.deepStrictEqual(Chunk.toReadonlyArray(byService).map((s) => s.id), [b.subscription.id])

        const got = yield* Webhooks.getSubscription(b.subscription.id)
        assert.strictEqual(got.delivery_method.url, "http://127.0.0.1:1/b")
        assert.deepStrictEqual(got.filter, { id: "PV00001", type: "service_reference" })
        const updated = yield* Webhooks.updateSubscription(b.subscription.id, { events: ["incident.resolved", "incident.triggered"], active: false, description: "paused" })
        assert.strictEqual(updated.active, false)
        assert.strictEqual(updated.description, "paused")
        assert.strictEqual((yield* Webhooks.enableSubscription(b.subscription.id)).active, true)

        yield* Webhooks.pingSubscription(a.subscription.id)
        const ping = yield* Queue.take(events)
        assert.strictEqual(ping._tag, "pagey.ping")
        if (ping._tag === "pagey.ping") assert.strictEqual(ping.data.type, "ping")

        yield* Webhooks.deleteSubscription(a.subscription.id)
        const missing = yield* Effect.either(Webhooks.getSubscription(a.subscription.id))
        assert.isTrue(missing._tag === "Left" && missing.left._tag === "HttpError" && missing.left.status === 404)
        // the secret never reached a recorded request or a later response
        const recorded = JSON.stringify(yield* (yield* Simulator.Simulator).requests)
        assert.notInclude(recorded, Redacted.value(a.secret))
        assert.isTrue(Option.isNone(Option.fromNullable(got.delivery_method.secret)))
      }).pipe(Effect.provide(rest({ webhooks: { app } })))
    }))
})
