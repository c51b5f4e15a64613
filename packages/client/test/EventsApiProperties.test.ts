/**
 * Every Events input from untyped code (any JSON value, or odder JavaScript values) is either
 * a typed `InvalidEvent`/`InvalidIncidentKey` (nothing sent) or a valid event: never a
 * defect (`Die`) in the `Cause`, never a synchronous throw.
 */
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, Redacted } from "effect"
import * as fc from "fast-check"
import { EventsApi, EventsApiV1 } from "../src/index.js"

// An events host that accepts everything at once (valid events get a well-formed answer).
const accepting = Layer.succeed(
  HttpClient.HttpClient,
  HttpClient.make((request) =>
    Effect.succeed(HttpClientResponse.fromWeb(
      request,
      new Response(JSON.stringify({ status: "success", message: "Event processed", dedup_key: "k", incident_key: "k" }), {
        status: 202,
        headers: { "content-type": "application/json" }
      })
    ))
  )
)

const clients = Effect.runSync(
  Effect.all({
    v2: EventsApi.make({ routingKey: Redacted.make("R0UT1NGKEY") }),
    v1: EventsApiV1.make({ serviceKey: Redacted.make("4baa5d20cfba466a5e075b02698f455c") })
  }).pipe(Effect.provide(accepting))
)

const typedTags = new Set(["InvalidEvent", "InvalidIncidentKey", "UrlError", "HttpError", "ServerHttpError", "TransportError"])

// Untyped callers: the typed signatures are bypassed on purpose, as JavaScript callers and
// JSON decoded at run time bypass them.
type Untyped = (input: unknown) => Effect.Effect<unknown, { readonly _tag: string }>
const entryPoints: ReadonlyArray<readonly [string, Untyped]> = [
  ["v2.trigger", clients.v2.trigger as Untyped],
  ["v2.acknowledge", clients.v2.acknowledge as Untyped],
  ["v2.resolve", clients.v2.resolve as Untyped],
  ["v2.sendEvent", clients.v2.sendEvent as Untyped],
  ["v2.sendChangeEvent", clients.v2.sendChangeEvent as Untyped],
  ["v2.submit", clients.v2.submit as Untyped],
  ["v2.submit(options)", (u) => (clients.v2.submit as (s: unknown, o: unknown) => Effect.Effect<unknown, { readonly _tag: string }>)("deploy", u)],
  ["v2.sendBatch", (u) => clients.v2.sendBatch([u] as Iterable<EventsApi.Event>)],
  ["v2.triggerAll", (u) => clients.v2.triggerAll([u] as Iterable<EventsApi.Trigger>)],
  ["v1.trigger", clients.v1.trigger as Untyped],
  ["v1.acknowledge", clients.v1.acknowledge as Untyped],
  ["v1.resolve", clients.v1.resolve as Untyped]
]

// Field values: any JSON value, and the odd JavaScript ones (undefined, NaN, dates, -0).
const value = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  fc.constantFrom(undefined, null, Number.NaN, -0, Infinity, new Date(Number.NaN), new Date(0), "", " ", "x".repeat(2000)),
  fc.string(),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 })
)
const link = fc.record({ href: value, text: value }, { requiredKeys: [] })
const image = fc.record({ src: value, href: value, alt: value }, { requiredKeys: [] })
// Event-shaped records with any values in the known fields, so validation goes deep.
const eventLike = fc.record({
  action: fc.oneof(fc.constantFrom("trigger", "acknowledge", "resolve", "TRIGGER", ""), value),
  summary: fc.oneof(fc.string(), value),
  source: fc.oneof(fc.string({ minLength: 1 }), value),
  severity: fc.oneof(fc.constantFrom("critical", "error", "warning", "info", "fatal"), value),
  dedupKey: value,
  incidentKey: value,
  description: fc.oneof(fc.string(), value),
  timestamp: fc.oneof(fc.date(), fc.constantFrom("2025-01-31T12:00:00Z", "2025-02-30T00:00:00Z", "yesterday"), value),
  component: value,
  group: value,
  class: value,
  customDetails: value,
  details: value,
  links: fc.oneof(fc.array(link, { maxLength: 2 }), value),
  images: fc.oneof(fc.array(image, { maxLength: 2 }), value),
  contexts: fc.oneof(fc.array(fc.record({ type: fc.oneof(fc.constantFrom("link", "image"), value), href: value, src: value, text: value }, { requiredKeys: [] }), { maxLength: 2 }), value),
  client: value,
  clientUrl: fc.oneof(fc.webUrl(), value)
}, { requiredKeys: [] })

const input = fc.oneof(
  { weight: 2, arbitrary: fc.jsonValue() },
  { weight: 3, arbitrary: eventLike },
  { weight: 1, arbitrary: fc.anything() }
)

/** Runs every entry point on `u`; returns the description of any defect or untyped failure. */
const problemsOf = (u: unknown): Promise<ReadonlyArray<string>> =>
  Promise.all(entryPoints.map(async ([name, run]) => {
    let exit: Exit.Exit<unknown, { readonly _tag: string }>
    try {
      exit = await Effect.runPromiseExit(Effect.suspend(() => run(u)))
    } catch (thrown) {
      return `${name}: threw ${String(thrown)}`
    }
    if (Exit.isSuccess(exit)) {
      // sendBatch/triggerAll never fail: look inside their per-item results
      const items = Array.isArray(exit.value) ? exit.value : []
      const bad = items.find((r: { _tag?: string; left?: { _tag?: string } }) => r._tag === "Left" && !typedTags.has(r.left?._tag ?? ""))
      return bad === undefined ? "" : `${name}: untyped item error ${JSON.stringify(bad)}`
    }
    if (Cause.isDie(exit.cause) || Cause.isInterrupted(exit.cause)) return `${name}: ${Cause.pretty(exit.cause)}`
    const failure = Cause.failureOption(exit.cause)
    return failure._tag === "Some" && typedTags.has(failure.value._tag) ? "" : `${name}: untyped failure ${Cause.pretty(exit.cause)}`
  })).then((all) => all.filter((p) => p !== ""))

describe("Events inputs are never a defect", () => {
  it("10 000 generated inputs (any JSON value, event-shaped records, odd values) x 12 entry points: 0 Die", async () => {
    let runs = 0
    await fc.assert(
      fc.asyncProperty(input, async (u) => {
        runs++
        const problems = await problemsOf(u)
        assert.deepStrictEqual(problems, [])
      }),
      { numRuns: 10_000, seed: 14 }
    )
    assert.strictEqual(runs, 10_000)
  }, 120_000)

  it("the issue's cases: acknowledge/resolve without dedup_key, null, numbers as timestamps", async () => {
    for (
      const u of [
        { action: "acknowledge" },
        { action: "resolve", dedupKey: undefined },
        { action: "resolve", dedupKey: null },
        null,
        undefined,
        42,
        { summary: "s", source: "x", timestamp: 5 },
        { summary: "s", source: "x", links: null, images: 3 },
        { description: "d", contexts: null }
      ]
    ) assert.deepStrictEqual(await problemsOf(u), [])
    const exit = await Effect.runPromiseExit(clients.v2.sendEvent({ action: "acknowledge" } as unknown as EventsApi.Event))
    assert.isTrue(Exit.isFailure(exit))
    const failure = Exit.isFailure(exit) ? Cause.failureOption(exit.cause) : undefined
    assert.strictEqual(failure?._tag === "Some" ? failure.value._tag : "", "InvalidEvent")
  })
})

describe("optional fields given as undefined", () => {
  it.effect("are left out of the wire body (v2 trigger and change event, v1 trigger)", () =>
    Effect.gen(function*() {
      const bodies: Array<Record<string, unknown>> = []
      const recording = Layer.succeed(
        HttpClient.HttpClient,
        HttpClient.make((request) =>
          Effect.sync(() => {
            if (request.body._tag === "Uint8Array") bodies.push(JSON.parse(new TextDecoder().decode(request.body.body)) as Record<string, unknown>)
            return HttpClientResponse.fromWeb(request, new Response(JSON.stringify({ status: "success", message: "ok", dedup_key: "k", incident_key: "k" }), { status: 202 }))
          })
        )
      )
      const { v1, v2 } = yield* Effect.all({
        v2: EventsApi.make({ routingKey: Redacted.make("R0UT1NGKEY") }),
        v1: EventsApiV1.make({ serviceKey: Redacted.make("4baa5d20cfba466a5e075b02698f455c") })
      }).pipe(Effect.provide(recording))
      yield* v2.trigger({
        summary: "s",
        source: "x",
        severity: undefined,
        dedupKey: "k",
        timestamp: undefined,
        component: undefined,
        customDetails: undefined,
        links: undefined,
        images: undefined,
        client: undefined,
        clientUrl: undefined
      })
      yield* v2.sendChangeEvent({ summary: "deploy", source: undefined, timestamp: undefined, links: undefined })
      yield* v1.trigger({ description: "d", incidentKey: undefined, details: undefined, contexts: undefined })
      const [trigger, change, legacy] = bodies
      assert.deepStrictEqual(trigger, {
        routing_key: "R0UT1NGKEY",
        event_action: "trigger",
        dedup_key: "k",
        payload: { summary: "s", source: "x", severity: "critical" }
      })
      assert.deepStrictEqual(change, { routing_key: "R0UT1NGKEY", payload: { summary: "deploy" } })
      assert.deepStrictEqual(Object.keys(legacy!).sort(), ["description", "event_type", "incident_key", "service_key"])
    }))
})
