import { EventsApi, PagerDutyError, RetryPolicy } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import { assert, describe, it } from "@effect/vitest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { ConfigProvider, Effect, Either, Exit, Fiber, Layer, Option, Redacted, Schedule, TestClock } from "effect"
import * as Mock from "./utils/mock.js"

const KEY = Redacted.make(Simulator.DEFAULT_ROUTING_KEY)

const withSim = (options: Simulator.Options = {}, eventOptions: Partial<EventsApi.Options> = {}) =>
  EventsApi.layer({ routingKey: KEY, ...eventOptions }).pipe(
    Layer.provideMerge(Simulator.layer({ incidents: 0, ...options }))
  )

/** Runs `self` in a fiber and moves the TestClock a minute at a time until it is done. */
const settle = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(self)
    for (let i = 0; i < 60; i++) {
      const done = yield* Fiber.poll(fiber)
      if (Option.isSome(done)) break
      yield* TestClock.adjust("1 minute")
    }
    return yield* Fiber.join(fiber)
  })

const bodies = Effect.map(Simulator.Simulator, (sim) =>
  Effect.map(sim.requests, (rs) => rs.map((r) => JSON.parse(r.body) as Record<string, any>)))

const openIncidents = Effect.flatMap(Simulator.Simulator, (sim) => sim.state.incidents({ statuses: ["triggered", "acknowledged"] }))

describe("EventsApi v2 against the simulator", () => {
  it.effect("trigger opens an incident, with every field on the wire and the key returned", () =>
    Effect.gen(function*() {
      const events = yield* EventsApi.EventsApiService
      const result = yield* events.trigger({
        summary: "Disk 95% full on db-1",
        source: "db-1.example.com",
        severity: "warning",
        dedupKey: "db-1/disk",
        timestamp: new Date(Date.UTC(2025, 0, 31, 12)),
        component: "postgres",
        group: "prod-db",
        class: "disk",
        customDetails: { free: "5%" },
        links: [{ href: "https://runbooks.example.com/disk", text: "Runbook" }],
        images: [{ src: "https://charts.example.com/disk.png", alt: "disk" }],
        client: "Monitor",
        clientUrl: "https://monitor.example.com"
      })
      assert.deepStrictEqual(result, { dedupKey: "db-1/disk", status: "success", message: "Event processed" })
      const incidents = yield* openIncidents
      assert.strictEqual(incidents.length, 1)
      assert.strictEqual(incidents[0]!.title, "Disk 95% full on db-1")
      assert.strictEqual(incidents[0]!.incident_key, "db-1/disk")
      const [body] = yield* yield* bodies
      assert.deepStrictEqual(body, {
        event_action: "trigger",
        dedup_key: "db-1/disk",
        payload: {
          summary: "Disk 95% full on db-1",
          source: "db-1.example.com",
          severity: "warning",
          timestamp: "2025-01-31T12:00:00.000Z",
          component: "postgres",
          group: "prod-db",
          class: "disk",
          custom_details: { free: "5%" }
        },
        client: "Monitor",
        client_url: "https://monitor.example.com",
        links: [{ href: "https://runbooks.example.com/disk", text: "Runbook" }],
        images: [{ src: "https://charts.example.com/disk.png", alt: "disk" }],
        routing_key: Simulator.DEFAULT_ROUTING_KEY
      })
      const sim = yield* Simulator.Simulator
      assert.strictEqual((yield* sim.requests)[0]!.url, "https://events.pagerduty.com/v2/enqueue")
    }).pipe(Effect.provide(withSim())))

  it.effect("the same dedup key deduplicates: one incident, two events counted", () =>
    Effect.gen(function*() {
      const events = yield* EventsApi.EventsApiService
      yield* events.trigger({ summary: "CPU high", source: "web-1", dedupKey: "web-1/cpu" })
      yield* events.trigger({ summary: "CPU still high", source: "web-1", dedupKey: "web-1/cpu" })
      assert.strictEqual((yield* openIncidents).length, 1)
      const sim = yield* Simulator.Simulator
      assert.deepStrictEqual(yield* sim.eventsByDedupKey, { "web-1/cpu": 2 })
    }).pipe(Effect.provide(withSim())))

  it.effect("acknowledge then resolve change the incident", () =>
    Effect.gen(function*() {
      const events = yield* EventsApi.EventsApiService
      const sim = yield* Simulator.Simulator
      const { dedupKey } = yield* events.trigger({ summary: "Checkout down", source: "checkout" })
      const status = Effect.map(sim.state.incidents(), (is) => is.find((i) => i.incident_key === dedupKey)?.status)
      assert.strictEqual(yield* status, "triggered")
      const ack = yield* events.acknowledge(dedupKey)
      assert.strictEqual(ack.dedupKey, dedupKey)
      assert.strictEqual(yield* status, "acknowledged")
      yield* events.sendEvent({ action: "resolve", dedupKey })
      assert.strictEqual(yield* status, "resolved")
      const sent = yield* yield* bodies
      assert.deepStrictEqual(sent.map((b) => [b.event_action, b.dedup_key]), [
        ["trigger", dedupKey],
        ["acknowledge", dedupKey],
        ["resolve", dedupKey]
      ])
    }).pipe(Effect.provide(withSim())))

  it.effect("a trigger without a key gets a client-assigned UUID, sent and returned; severity defaults to critical", () =>
    Effect.gen(function*() {
      const events = yield* EventsApi.EventsApiService
      const a = yield* events.trigger({ summary: "A", source: "s" })
      const b = yield* events.trigger({ summary: "B", source: "s" })
      assert.match(a.dedupKey, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      assert.notStrictEqual(a.dedupKey, b.dedupKey)
      const sent = yield* yield* bodies
      assert.strictEqual(sent[0]!.dedup_key, a.dedupKey)
      assert.strictEqual(sent[0]!.payload.severity, "critical")
      assert.strictEqual((yield* openIncidents).length, 2)
    }).pipe(Effect.provide(withSim())))

  describe("validation before sending", () => {
    const cases: ReadonlyArray<[string, EventsApi.Event, string]> = [
      ["empty summary", { action: "trigger", summary: "", source: "s" }, "payload.summary"],
      ["blank summary", { action: "trigger", summary: "   ", source: "s" }, "payload.summary"],
      ["summary over 1024", { action: "trigger", summary: "x".repeat(1025), source: "s" }, "payload.summary"],
      ["empty source", { action: "trigger", summary: "x", source: "" }, "payload.source"],
      ["bad severity", { action: "trigger", summary: "x", source: "s", severity: "fatal" as EventsApi.Severity }, "payload.severity"],
      ["dedup key over 255", { action: "trigger", summary: "x", source: "s", dedupKey: "k".repeat(256) }, "dedup_key"],
      ["empty dedup key", { action: "trigger", summary: "x", source: "s", dedupKey: "" }, "dedup_key"],
      ["timestamp not ISO 8601", { action: "trigger", summary: "x", source: "s", timestamp: "31/01/2025" }, "payload.timestamp"],
      ["timestamp without zone", { action: "trigger", summary: "x", source: "s", timestamp: "2025-01-31T12:00:00" }, "payload.timestamp"],
      ["impossible date", { action: "trigger", summary: "x", source: "s", timestamp: "2025-02-30T12:00:00Z" }, "payload.timestamp"],
      ["invalid Date", { action: "trigger", summary: "x", source: "s", timestamp: new Date(Number.NaN) }, "payload.timestamp"],
      ["link without URL", { action: "trigger", summary: "x", source: "s", links: [{ href: "not a url" }] }, "links[0].href"],
      ["image over http", { action: "trigger", summary: "x", source: "s", images: [{ src: "http://x.example.com/a.png" }] }, "images[0].src"],
      ["custom details not an object", { action: "trigger", summary: "x", source: "s", customDetails: [1] as never }, "payload.custom_details"],
      ["client_url not a URL", { action: "trigger", summary: "x", source: "s", clientUrl: "monitor" }, "client_url"],
      ["acknowledge with empty key", { action: "acknowledge", dedupKey: "" }, "dedup_key"],
      ["resolve with a non-string key", { action: "resolve", dedupKey: 42 as never }, "dedup_key"],
      ["unknown action", { action: "escalate", dedupKey: "k" } as never, "event_action"]
    ]
    for (const [name, event, field] of cases) {
      it.effect(`${name}: InvalidEvent on ${field}, nothing sent`, () =>
        Effect.gen(function*() {
          const events = yield* EventsApi.EventsApiService
          const error = yield* Effect.flip(events.sendEvent(event))
          assert.strictEqual(error._tag, "InvalidEvent")
          if (error._tag !== "InvalidEvent") return
          assert.strictEqual(error.field, field)
          assert.include(error.message, field)
          const sim = yield* Simulator.Simulator
          assert.strictEqual((yield* sim.requests).length, 0)
        }).pipe(Effect.provide(withSim())))
    }

    it.effect("every problem is listed in issues", () =>
      Effect.gen(function*() {
        const events = yield* EventsApi.EventsApiService
        const error = yield* Effect.flip(events.trigger({ summary: "", source: "", severity: "bad" as never }))
        assert.strictEqual(error._tag, "InvalidEvent")
        if (error._tag !== "InvalidEvent") return
        assert.deepStrictEqual(error.issues.map((i) => i.field), ["payload.summary", "payload.source", "payload.severity"])
      }).pipe(Effect.provide(withSim())))

    it.effect("an invalid change event sends nothing", () =>
      Effect.gen(function*() {
        const events = yield* EventsApi.EventsApiService
        const error = yield* Effect.flip(events.sendChangeEvent({ summary: "Deploy", timestamp: "soon" }))
        assert.strictEqual(error._tag, "InvalidEvent")
        const sim = yield* Simulator.Simulator
        assert.strictEqual((yield* sim.requests).length, 0)
      }).pipe(Effect.provide(withSim())))
  })

  it.effect("a 400 is an HttpError with PagerDuty's errors[], not retried", () =>
    Effect.gen(function*() {
      const events = yield* EventsApi.EventsApiService
      const error = yield* Effect.flip(events.trigger({ summary: "x", source: "s" }))
      assert.strictEqual(error._tag, "HttpError")
      if (error._tag !== "HttpError") return
      assert.strictEqual(error.status, 400)
      assert.strictEqual(error.errorMessage, "Event object is invalid")
      assert.deepStrictEqual(error.errors, ["'routing_key' is invalid: no integration with this key"])
      const sim = yield* Simulator.Simulator
      assert.strictEqual((yield* sim.requests).length, 1)
    }).pipe(Effect.provide(withSim({}, { routingKey: Redacted.make("R".repeat(32)) }))))

  describe("retries are safe: exactly one incident per dedup key", () => {
    it.effect("429 twice (ratelimit-reset honoured), then accepted", () =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        yield* sim.addFault({ method: "POST", path: "/v2/enqueue", nth: [1, 2], kind: Simulator.Fault.status429({ reset: 5 }) })
        const events = yield* EventsApi.EventsApiService
        const fiber = yield* Effect.fork(events.trigger({ summary: "x", source: "s" }))
        yield* TestClock.adjust("4 seconds")
        assert.strictEqual((yield* sim.requests).length, 1)
        yield* TestClock.adjust("1 second")
        assert.strictEqual((yield* sim.requests).length, 2)
        yield* TestClock.adjust("5 seconds")
        const result = yield* Fiber.join(fiber)
        const sent = yield* yield* bodies
        assert.deepStrictEqual(sent.map((b) => b.dedup_key), [result.dedupKey, result.dedupKey, result.dedupKey])
        assert.deepStrictEqual(yield* sim.eventsByDedupKey, { [result.dedupKey]: 1 })
        assert.strictEqual((yield* openIncidents).length, 1)
      }).pipe(Effect.provide(withSim())))

    it.effect("503 three times, then accepted, with the client-assigned key on every attempt", () =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        yield* sim.addFault({ method: "POST", path: "/v2/enqueue", nth: [1, 2, 3], kind: Simulator.Fault.status5xx(503) })
        const events = yield* EventsApi.EventsApiService
        const result = yield* settle(events.trigger({ summary: "x", source: "s" }))
        const sent = yield* yield* bodies
        assert.strictEqual(sent.length, 4)
        assert.isTrue(sent.every((b) => b.dedup_key === result.dedupKey))
        assert.deepStrictEqual(yield* sim.eventsByDedupKey, { [result.dedupKey]: 1 })
        assert.strictEqual((yield* openIncidents).length, 1)
      }).pipe(Effect.provide(withSim())))

    it.effect("a connection dropped AFTER processing: the retry is deduplicated, one incident", () =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        yield* sim.addFault({ method: "POST", path: "/v2/enqueue", nth: [1], kind: Simulator.Fault.drop({ afterProcessing: true }) })
        const events = yield* EventsApi.EventsApiService
        const result = yield* settle(events.trigger({ summary: "x", source: "s" }))
        assert.deepStrictEqual(yield* sim.eventsByDedupKey, { [result.dedupKey]: 2 })
        assert.strictEqual((yield* openIncidents).length, 1)
        assert.strictEqual((yield* sim.state.incidents()).length, 1)
      }).pipe(Effect.provide(withSim())))

    it.effect("a connection dropped before processing, then accepted", () =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        yield* sim.addFault({ method: "POST", path: "/v2/enqueue", nth: [1, 2], kind: Simulator.Fault.drop() })
        const events = yield* EventsApi.EventsApiService
        const result = yield* settle(events.trigger({ summary: "x", source: "s", dedupKey: "mine" }))
        assert.strictEqual(result.dedupKey, "mine")
        assert.deepStrictEqual(yield* sim.eventsByDedupKey, { mine: 1 })
        assert.strictEqual((yield* sim.requests).length, 3)
      }).pipe(Effect.provide(withSim())))

    it.effect("retries are bounded: a 503 that never ends fails after 1 + 6 attempts", () =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        yield* sim.addFault({ method: "POST", path: "/v2/enqueue", kind: Simulator.Fault.status5xx(503) })
        const events = yield* EventsApi.EventsApiService
        const error = yield* settle(Effect.flip(events.trigger({ summary: "x", source: "s" })))
        assert.strictEqual(error._tag, "ServerHttpError")
        if (error._tag === "ServerHttpError") assert.strictEqual(error.attempts, 7)
        assert.strictEqual((yield* sim.requests).length, 7)
        assert.deepStrictEqual(yield* sim.eventsByDedupKey, {})
      }).pipe(Effect.provide(withSim())))

    it.effect("dropped connections are bounded too (3 network retries), as a TransportError", () =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        yield* sim.addFault({ method: "POST", path: "/v2/enqueue", kind: Simulator.Fault.drop() })
        const events = yield* EventsApi.EventsApiService
        const error = yield* settle(Effect.flip(events.acknowledge("k")))
        assert.strictEqual(error._tag, "TransportError")
        assert.strictEqual((yield* sim.requests).length, 4)
      }).pipe(Effect.provide(withSim())))

    it.effect("retry overrides merge over RetryPolicy.events", () =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        yield* sim.addFault({ method: "POST", path: "/v2/enqueue", kind: Simulator.Fault.status5xx(503) })
        const events = yield* EventsApi.EventsApiService
        const error = yield* settle(Effect.flip(events.trigger({ summary: "x", source: "s" })))
        assert.strictEqual(error._tag, "ServerHttpError")
        assert.strictEqual((yield* sim.requests).length, 3)
      }).pipe(Effect.provide(withSim({}, { retry: { statusBudgets: { 503: 2 } } }))))
  })

  describe("change events", () => {
    it.effect("sendChangeEvent posts to /v2/change/enqueue and returns PagerDuty's answer", () =>
      Effect.gen(function*() {
        const events = yield* EventsApi.EventsApiService
        const result = yield* events.sendChangeEvent({
          summary: "Deployed checkout v42",
          source: "ci",
          timestamp: "2025-01-31T12:00:00Z",
          customDetails: { commit: "abc123" },
          links: [{ href: "https://ci.example.com/builds/42" }]
        })
        assert.deepStrictEqual(result, { status: "success", message: "Change event processed" })
        const sim = yield* Simulator.Simulator
        const [request] = yield* sim.requests
        assert.strictEqual(request!.path, "/v2/change/enqueue")
        assert.deepStrictEqual(JSON.parse(request!.body), {
          payload: { summary: "Deployed checkout v42", source: "ci", timestamp: "2025-01-31T12:00:00Z", custom_details: { commit: "abc123" } },
          links: [{ href: "https://ci.example.com/builds/42" }],
          routing_key: Simulator.DEFAULT_ROUTING_KEY
        })
        const changes = yield* sim.state.changeEvents
        assert.strictEqual(changes.length, 1)
        assert.strictEqual(changes[0]!["summary"], "Deployed checkout v42")
      }).pipe(Effect.provide(withSim())))

    it.effect("submit defaults the timestamp to now (Effect Clock) and leaves out absent fields", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(Date.UTC(2025, 5, 1, 8, 30))
        const events = yield* EventsApi.EventsApiService
        const result = yield* events.submit("Config change", { source: "terraform" })
        assert.strictEqual(result.status, "success")
        const [body] = yield* yield* bodies
        assert.deepStrictEqual(body!.payload, { summary: "Config change", source: "terraform", timestamp: "2025-06-01T08:30:00.000Z" })
        assert.isFalse("links" in body!)
      }).pipe(Effect.provide(withSim())))
  })

  describe("batch", () => {
    it.effect("20 triggers with concurrency 5: 20 results in order, 20 incidents", () =>
      Effect.gen(function*() {
        const events = yield* EventsApi.EventsApiService
        const input = Array.from({ length: 20 }, (_, i) => ({ summary: `alert ${i}`, source: "batch", dedupKey: `k${i}` }))
        const results = yield* events.triggerAll(input, { concurrency: 5 })
        assert.deepStrictEqual(results.map((r) => Either.isRight(r) ? r.right.dedupKey : "error"), input.map((e) => e.dedupKey))
        assert.strictEqual((yield* openIncidents).length, 20)
      }).pipe(Effect.provide(withSim())))
  })
})

describe("EventsApi v2 over a real socket (Simulator.serve on 127.0.0.1)", () => {
  it.live("a socket destroyed after processing is retried with the same key: one incident", () =>
    Effect.scoped(Effect.gen(function*() {
      const served = yield* Simulator.serve({ incidents: 0 })
      yield* served.simulator.addFault({ method: "POST", path: "/v2/enqueue", nth: [1], kind: Simulator.Fault.drop({ afterProcessing: true }) })
      // no waiting between attempts (the backoff is not under test here)
      const events = yield* EventsApi.make({ routingKey: KEY, baseUrl: served.url, retry: { backoff: Schedule.forever } })
      const result = yield* events.trigger({ summary: "over http", source: "s" })
      assert.deepStrictEqual(yield* served.simulator.eventsByDedupKey, { [result.dedupKey]: 2 })
      const requests = yield* served.simulator.requests
      assert.deepStrictEqual(requests.map((r) => JSON.parse(r.body).dedup_key), [result.dedupKey, result.dedupKey])
      assert.strictEqual((yield* served.simulator.state.incidents()).length, 1)
    })).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})

describe("EventsApi v2 with a scripted server", () => {
  const eventsWith = (handler: Parameters<typeof Mock.layer>[0], options: Partial<EventsApi.Options> = {}) =>
    EventsApi.layer({ routingKey: KEY, retry: RetryPolicy.events, ...options }).pipe(Layer.provideMerge(Mock.layer(handler)))

  it.effect("a 202 without dedup_key is a ServerHttpError (UnexpectedBody)", () =>
    Effect.gen(function*() {
      const events = yield* EventsApi.EventsApiService
      const error = yield* Effect.flip(events.trigger({ summary: "x", source: "s" }))
      assert.strictEqual(error._tag, "ServerHttpError")
      if (error._tag !== "ServerHttpError") return
      assert.strictEqual(error.reason, "UnexpectedBody")
      assert.strictEqual(error.status, 202)
      assert.strictEqual((yield* Mock.recorded).length, 1)
    }).pipe(Effect.provide(eventsWith(() => Mock.json({ status: "success", message: "Event processed" }, 202)))))

  it.effect("a 202 that is not JSON is a ServerHttpError (InvalidJson)", () =>
    Effect.gen(function*() {
      const events = yield* EventsApi.EventsApiService
      const error = yield* Effect.flip(events.resolve("k"))
      assert.strictEqual(error._tag, "ServerHttpError")
      if (error._tag === "ServerHttpError") assert.strictEqual(error.reason, "InvalidJson")
    }).pipe(Effect.provide(eventsWith(() => new Response("<html>", { status: 202 })))))

  it.effect("a change event answer without status is a ServerHttpError (UnexpectedBody)", () =>
    Effect.gen(function*() {
      const events = yield* EventsApi.EventsApiService
      const error = yield* Effect.flip(events.submit("deploy"))
      assert.strictEqual(error._tag, "ServerHttpError")
      if (error._tag === "ServerHttpError") assert.strictEqual(error.reason, "UnexpectedBody")
    }).pipe(Effect.provide(eventsWith(() => Mock.json([], 202)))))

  it.effect("batch: bounded concurrency, a mix of results and errors, in input order, none lost", () => {
    let inFlight = 0
    let maxInFlight = 0
    const handler = (request: Mock.Recorded) =>
      Effect.gen(function*() {
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        const body = JSON.parse(request.body!) as { dedup_key: string; payload?: { summary: string } }
        // later inputs answer sooner, so completion order differs from input order
        yield* Effect.sleep(`${100 - Number(body.dedup_key.slice(1))} millis`)
        inFlight--
        if (body.payload?.summary === "reject") {
          return Mock.json({ status: "invalid event", message: "Event object is invalid", errors: ["nope"] }, 400)
        }
        return Mock.json({ status: "success", message: "Event processed", dedup_key: body.dedup_key }, 202)
      })
    return Effect.gen(function*() {
      const events = yield* EventsApi.EventsApiService
      const input: Array<EventsApi.Event> = Array.from({ length: 12 }, (_, i): EventsApi.Event =>
        i === 3
          ? { action: "trigger", summary: "", source: "s", dedupKey: `k${i}` } // invalid: never sent
          : i % 4 === 1
          ? { action: "trigger", summary: "reject", source: "s", dedupKey: `k${i}` }
          : i % 4 === 2
          ? { action: "resolve", dedupKey: `k${i}` }
          : { action: "trigger", summary: `ok ${i}`, source: "s", dedupKey: `k${i}` })
      const results = yield* settle(events.sendBatch(input, { concurrency: 3 }))
      assert.strictEqual(results.length, 12)
      const summary = results.map((r, i) =>
        Either.isRight(r) ? `${i}:ok:${r.right.dedupKey}` : `${i}:${r.left._tag}`
      )
      assert.deepStrictEqual(summary, [
        "0:ok:k0",
        "1:HttpError",
        "2:ok:k2",
        "3:InvalidEvent",
        "4:ok:k4",
        "5:HttpError",
        "6:ok:k6",
        "7:ok:k7",
        "8:ok:k8",
        "9:HttpError",
        "10:ok:k10",
        "11:ok:k11"
      ])
      assert.strictEqual(maxInFlight, 3)
      assert.strictEqual((yield* Mock.recorded).length, 11)
    }).pipe(Effect.provide(eventsWith(handler)))
  })

  it.effect("batch concurrency below 1 counts as 1", () => {
    let inFlight = 0
    let maxInFlight = 0
    const handler = (request: Mock.Recorded) =>
      Effect.gen(function*() {
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        yield* Effect.sleep("10 millis")
        inFlight--
        return Mock.json({ dedup_key: JSON.parse(request.body!).dedup_key }, 202)
      })
    return Effect.gen(function*() {
      const events = yield* EventsApi.EventsApiService
      const results = yield* settle(events.sendBatch(
        ["a", "b", "c"].map((k): EventsApi.Event => ({ action: "acknowledge", dedupKey: k })),
        { concurrency: 0 }
      ))
      assert.deepStrictEqual(results.map((r) => Either.getOrThrow(r).dedupKey), ["a", "b", "c"])
      assert.strictEqual(maxInFlight, 1)
    }).pipe(Effect.provide(eventsWith(handler)))
  })

  it.effect("region and baseUrl pick the host; only POST is permitted", () =>
    Effect.gen(function*() {
      const eu = yield* EventsApi.make({ routingKey: KEY, region: "eu" })
      assert.strictEqual(eu.client.baseUrl, "https://events.eu.pagerduty.com/")
      yield* eu.acknowledge("k")
      assert.strictEqual((yield* Mock.recorded)[0]!.url, "https://events.eu.pagerduty.com/v2/enqueue")
      const local = yield* EventsApi.make({ routingKey: KEY, baseUrl: "http://127.0.0.1:9999" })
      assert.strictEqual(local.client.baseUrl, "http://127.0.0.1:9999/")
      const notPermitted = yield* Effect.flip(eu.client.request({ method: "GET", url: "/v2/enqueue" }))
      assert.strictEqual(notPermitted._tag, "UrlError")
      assert.strictEqual((yield* Mock.recorded).length, 1)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({ dedup_key: "k" }, 202)))))

  it.effect("a blank routing key is MissingRoutingKey", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(EventsApi.make({ routingKey: Redacted.make("  ") }))
      assert.isTrue(Exit.isFailure(exit))
      const error = yield* Effect.flip(EventsApi.make({ routingKey: Redacted.make("") }))
      assert.strictEqual(error._tag, "MissingRoutingKey")
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({}, 202)))))

  it.effect("layerConfig reads PAGERDUTY_ROUTING_KEY, PAGERDUTY_REGION and PAGERDUTY_EVENTS_URL", () =>
    Effect.gen(function*() {
      const fromEnv = (env: Record<string, string>) =>
        Effect.flatMap(EventsApi.EventsApiService, (e) => Effect.succeed(e.client.baseUrl)).pipe(
          Effect.provide(EventsApi.layerConfig()),
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
        )
      assert.strictEqual(yield* fromEnv({ PAGERDUTY_ROUTING_KEY: "k" }), "https://events.pagerduty.com/")
      assert.strictEqual(yield* fromEnv({ PAGERDUTY_ROUTING_KEY: "k", PAGERDUTY_REGION: "eu" }), "https://events.eu.pagerduty.com/")
      assert.strictEqual(
        yield* fromEnv({ PAGERDUTY_ROUTING_KEY: "k", PAGERDUTY_EVENTS_URL: "http://127.0.0.1:8080" }),
        "http://127.0.0.1:8080/"
      )
      const missing = yield* Effect.flip(fromEnv({}))
      assert.include(String(missing), "PAGERDUTY_ROUTING_KEY")
      const config = yield* EventsApi.config.pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["PAGERDUTY_ROUTING_KEY", "secret-key"]])))
      )
      assert.isTrue(Redacted.isRedacted(config.routingKey))
      assert.notInclude(String(config.routingKey), "secret-key")
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({}, 202)))))

  it.effect("isRetryable agrees: the simulator's 400 is final", () =>
    Effect.sync(() => assert.isFalse(PagerDutyError.isRetryable(new PagerDutyError.HttpError({ status: 400, method: "POST", url: "u" })))))
})
