import { EventsApiV1 } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Fiber, Layer, Option, Redacted, TestClock } from "effect"
import { createHash } from "node:crypto"
import { md5Hex } from "../src/internal/md5.js"
import * as Mock from "./utils/mock.js"

const KEY = Redacted.make(Simulator.DEFAULT_ROUTING_KEY)

const withSim = (options: Simulator.Options = {}, v1Options: Partial<EventsApiV1.Options> = {}) =>
  EventsApiV1.layer({ serviceKey: KEY, ...v1Options }).pipe(Layer.provideMerge(Simulator.layer({ incidents: 0, ...options })))

const sent = Effect.flatMap(Simulator.Simulator, (sim) =>
  Effect.map(sim.requests, (rs) => rs.map((r) => JSON.parse(r.body) as Record<string, any>)))

const incidentStatus = (key: string) =>
  Effect.flatMap(Simulator.Simulator, (sim) =>
    Effect.map(sim.state.incidents(), (is) => is.filter((i) => i.incident_key === key).map((i) => i.status)))

describe("md5 (RFC 1321)", () => {
  // RFC 1321, appendix A.5 test suite
  const vectors: ReadonlyArray<[string, string]> = [
    ["", "d41d8cd98f00b204e9800998ecf8427e"],
    ["a", "0cc175b9c0f1b6a831c399e269772661"],
    ["abc", "900150983cd24fb0d6963f7d28e17f72"],
    ["message digest", "f96b697d7cb7938d525a2f31aaf161d0"],
    ["abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"],
    ["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"],
    ["12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"]
  ]
  for (const [input, digest] of vectors) {
    it(`md5(${JSON.stringify(input.length > 20 ? `${input.slice(0, 20)}…` : input)})`, () => assert.strictEqual(md5Hex(input), digest))
  }

  it("matches node:crypto on UTF-8 text and every length around the 64-byte block boundaries", () => {
    const samples = ["héllo wörld", "☃ snowman", "𝄞 clef", "No data received", ...Array.from({ length: 200 }, (_, n) => "x".repeat(n))]
    for (const s of samples) assert.strictEqual(md5Hex(s), createHash("md5").update(s, "utf8").digest("hex"), `length ${s.length}`)
  })
})

describe("EventsApiV1 against the simulator", () => {
  it.effect("trigger without a key sends md5(description) as incident_key and opens an incident", () =>
    Effect.gen(function*() {
      const v1 = yield* EventsApiV1.EventsApiV1Service
      const result = yield* v1.trigger({
        description: "No data received",
        client: "My Client",
        clientUrl: "http://mysite.com",
        details: { some_key: "some_value" },
        contexts: [{ type: "link", href: "https://acme.example.com/graphs" }]
      })
      // the seed's own example key: md5("No data received")
      assert.strictEqual(result.incidentKey, "0ace123ba99999160f35ea3bd381a318")
      assert.deepStrictEqual({ status: result.status, message: result.message }, { status: "success", message: "Event processed" })
      const [body] = yield* sent
      assert.deepStrictEqual(body, {
        event_type: "trigger",
        incident_key: result.incidentKey,
        description: "No data received",
        details: { some_key: "some_value" },
        client: "My Client",
        client_url: "http://mysite.com",
        contexts: [{ type: "link", href: "https://acme.example.com/graphs" }],
        service_key: Simulator.DEFAULT_ROUTING_KEY
      })
      const sim = yield* Simulator.Simulator
      assert.strictEqual((yield* sim.requests)[0]!.url, "https://events.pagerduty.com/generic/2010-04-15/create_event.json")
      assert.deepStrictEqual(yield* incidentStatus(result.incidentKey), ["triggered"])
    }).pipe(Effect.provide(withSim())))

  it.effect("the same description deduplicates onto one incident; acknowledge and resolve change it", () =>
    Effect.gen(function*() {
      const v1 = yield* EventsApiV1.EventsApiV1Service
      const a = yield* v1.trigger({ description: "Disk full on db-1" })
      const b = yield* v1.trigger({ description: "Disk full on db-1" })
      assert.strictEqual(a.incidentKey, b.incidentKey)
      assert.deepStrictEqual(yield* incidentStatus(a.incidentKey), ["triggered"])
      const sim = yield* Simulator.Simulator
      assert.deepStrictEqual(yield* sim.eventsByDedupKey, { [a.incidentKey]: 2 })
      yield* v1.acknowledge({ incidentKey: a.incidentKey, description: "Working on it.", details: { who: "ada" } })
      assert.deepStrictEqual(yield* incidentStatus(a.incidentKey), ["acknowledged"])
      yield* v1.resolve(a.incidentKey)
      assert.deepStrictEqual(yield* incidentStatus(a.incidentKey), ["resolved"])
      const bodies = yield* sent
      assert.deepStrictEqual(bodies[2], {
        event_type: "acknowledge",
        incident_key: a.incidentKey,
        description: "Working on it.",
        details: { who: "ada" },
        service_key: Simulator.DEFAULT_ROUTING_KEY
      })
    }).pipe(Effect.provide(withSim())))

  it.effect("an explicit incident key is used as given", () =>
    Effect.gen(function*() {
      const v1 = yield* EventsApiV1.EventsApiV1Service
      const r = yield* v1.trigger({ description: "HTTP down", incidentKey: "srv01/HTTP" })
      assert.strictEqual(r.incidentKey, "srv01/HTTP")
      assert.deepStrictEqual(yield* incidentStatus("srv01/HTTP"), ["triggered"])
    }).pipe(Effect.provide(withSim())))

  it.effect("an Alert remembers its trigger's key (Python's Alert object)", () =>
    Effect.gen(function*() {
      const v1 = yield* EventsApiV1.EventsApiV1Service
      const alert = yield* v1.alert
      assert.isTrue(Option.isNone(yield* alert.incidentKey))
      const early = yield* Effect.flip(alert.acknowledge())
      assert.strictEqual(early._tag, "InvalidIncidentKey")
      const { incidentKey } = yield* alert.trigger({ description: "Queue backlog" })
      assert.deepStrictEqual(yield* alert.incidentKey, Option.some(incidentKey))
      yield* alert.acknowledge({ description: "Working on it." })
      assert.deepStrictEqual(yield* incidentStatus(incidentKey), ["acknowledged"])
      yield* alert.resolve()
      assert.deepStrictEqual(yield* incidentStatus(incidentKey), ["resolved"])
    }).pipe(Effect.provide(withSim())))

  describe("typed errors, nothing sent", () => {
    const cases: ReadonlyArray<[string, (v1: EventsApiV1.EventsApiV1) => Effect.Effect<unknown, EventsApiV1.EventsV1Error>, string, string]> = [
      ["acknowledge without a key", (v1) => v1.acknowledge({ description: "x" }), "InvalidIncidentKey", "Missing"],
      ["resolve without a key", (v1) => v1.resolve({}), "InvalidIncidentKey", "Missing"],
      ["acknowledge with a blank key", (v1) => v1.acknowledge("  "), "InvalidIncidentKey", "Blank"],
      ["resolve with a non-string key", (v1) => v1.resolve({ incidentKey: 7 as never }), "InvalidIncidentKey", "Blank"],
      ["trigger with a key over 255", (v1) => v1.trigger({ description: "x", incidentKey: "k".repeat(256) }), "InvalidIncidentKey", "TooLong"],
      ["trigger with an empty description", (v1) => v1.trigger({ description: "" }), "InvalidEvent", "description"],
      ["trigger with a description over 1024", (v1) => v1.trigger({ description: "d".repeat(1025) }), "InvalidEvent", "description"],
      ["trigger with a bad client_url", (v1) => v1.trigger({ description: "x", clientUrl: "mysite" }), "InvalidEvent", "client_url"],
      ["trigger with an unknown context type", (v1) => v1.trigger({ description: "x", contexts: [{ type: "video" } as never] }), "InvalidEvent", "contexts[0].type"],
      ["trigger with an http image", (v1) => v1.trigger({ description: "x", contexts: [{ type: "image", src: "http://a.example.com/i.png" }] }), "InvalidEvent", "contexts[0].src"],
      ["details not an object", (v1) => v1.resolve({ incidentKey: "k", details: "x" as never }), "InvalidEvent", "details"]
    ]
    for (const [name, run, tag, detail] of cases) {
      it.effect(name, () =>
        Effect.gen(function*() {
          const v1 = yield* EventsApiV1.EventsApiV1Service
          const error = yield* Effect.flip(run(v1))
          assert.strictEqual(error._tag, tag)
          if (error._tag === "InvalidIncidentKey") assert.strictEqual(error.reason, detail)
          if (error._tag === "InvalidEvent") assert.strictEqual(error.field, detail)
          const sim = yield* Simulator.Simulator
          assert.strictEqual((yield* sim.requests).length, 0)
        }).pipe(Effect.provide(withSim())))
    }
  })

  it.effect("an unknown service key is an HttpError with PagerDuty's errors[]", () =>
    Effect.gen(function*() {
      const v1 = yield* EventsApiV1.EventsApiV1Service
      const error = yield* Effect.flip(v1.trigger({ description: "x" }))
      assert.strictEqual(error._tag, "HttpError")
      if (error._tag === "HttpError") {
        assert.strictEqual(error.status, 400)
        assert.deepStrictEqual(error.errors, ["Service key is invalid: no integration with this key"])
      }
    }).pipe(Effect.provide(withSim({}, { serviceKey: Redacted.make("s".repeat(32)) }))))

  it.effect("503 and dropped connections are retried with the same incident key: one incident", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      yield* sim.addFault({ method: "POST", path: EventsApiV1.path, nth: [1], kind: Simulator.Fault.status5xx(503) })
      yield* sim.addFault({ method: "POST", path: EventsApiV1.path, nth: [2], kind: Simulator.Fault.drop({ afterProcessing: true }) })
      const v1 = yield* EventsApiV1.EventsApiV1Service
      const fiber = yield* Effect.fork(v1.trigger({ description: "Flaky network" }))
      for (let i = 0; i < 10; i++) yield* TestClock.adjust("1 minute")
      const result = yield* Fiber.join(fiber)
      const bodies = yield* sent
      assert.strictEqual(bodies.length, 3)
      assert.isTrue(bodies.every((b) => b.incident_key === result.incidentKey))
      assert.deepStrictEqual(yield* sim.eventsByDedupKey, { [result.incidentKey]: 2 })
      assert.deepStrictEqual(yield* incidentStatus(result.incidentKey), ["triggered"])
    }).pipe(Effect.provide(withSim())))
})

describe("EventsApiV1 with a scripted server", () => {
  it.effect("403 (v1 throttling) is retried; a 200 without incident_key is UnexpectedBody", () =>
    Effect.gen(function*() {
      const v1 = yield* EventsApiV1.EventsApiV1Service
      const fiber = yield* Effect.fork(Effect.flip(v1.resolve("k")))
      for (let i = 0; i < 5; i++) yield* TestClock.adjust("1 minute")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "ServerHttpError")
      if (error._tag === "ServerHttpError") assert.strictEqual(error.reason, "UnexpectedBody")
      assert.strictEqual((yield* Mock.recorded).length, 3)
    }).pipe(Effect.provide(
      EventsApiV1.layer({ serviceKey: KEY }).pipe(Layer.provideMerge(Mock.layer((_, n) =>
        n < 3 ? Mock.json({ status: "throttled", message: "Too many requests" }, 403) : Mock.json({ status: "success" })
      )))
    )))

  it.effect("MissingServiceKey for a blank key and when PAGERDUTY_SERVICE_KEY is absent; layerConfig reads the env", () =>
    Effect.gen(function*() {
      const blank = yield* Effect.flip(EventsApiV1.make({ serviceKey: Redacted.make(" ") }))
      assert.strictEqual(blank._tag, "MissingServiceKey")
      const fromEnv = (env: Record<string, string>) =>
        Effect.map(EventsApiV1.EventsApiV1Service, (v1) => v1.client.baseUrl).pipe(
          Effect.provide(EventsApiV1.layerConfig()),
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
        )
      const missing = yield* Effect.flip(fromEnv({}))
      assert.strictEqual(missing._tag, "MissingServiceKey")
      assert.strictEqual(yield* fromEnv({ PAGERDUTY_SERVICE_KEY: "k", PAGERDUTY_REGION: "eu" }), "https://events.eu.pagerduty.com/")
      assert.strictEqual(yield* fromEnv({ PAGERDUTY_SERVICE_KEY: "k", PAGERDUTY_EVENTS_URL: "http://127.0.0.1:1234" }), "http://127.0.0.1:1234/")
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({})))))
})
