import { assert, describe, it } from "@effect/vitest"
import { Cause, Chunk, Duration, Effect, Exit, Fiber, Option, Redacted, TestClock } from "effect"
import * as fc from "fast-check"
import { ApiClient, Auth, PagerDutyError, RetryPolicy } from "../src/index.js"
import { decodeErrorBody } from "../src/internal/errorBody.js"
import * as HeadersInternal from "../src/internal/headers.js"
import * as Mock from "./utils/mock.js"

// Generated responses (status, headers, body) against the client through a mock HttpClient,
// on the TestClock: every call must end (no hang) with a success or a typed PagerDutyError,
// never a defect (`Die`) in its Cause; and the pure parts of the request path (error-body
// decoding, retry waits, header validation) over more generated input, where a throw would be
// a `Die` in the pipeline. 600 + 200 + 20 + 5 000 + 3 200 + 1 000 + 100 = 10 120 cases.
// Seeds are fixed so a failure is reproducible.

interface Generated {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | null
}

const nested = (depth: number, leaf: string) => `${"[".repeat(depth)}${leaf}${"]".repeat(depth)}`

const deepBody = fc.integer({ min: 1, max: 6000 }).chain((depth) =>
  fc.constantFrom(
    `{"error":{"errors":${nested(depth, "1")}}}`,
    `{"error":${nested(depth, "\"x\"")}}`,
    `{"error":{"message":"m","code":2001,"errors":[${nested(depth, "{}")}]}}`,
    `{"message":"bad","errors":${nested(depth, "null")}}`,
    nested(depth, "0"),
    `${"{\"a\":".repeat(depth)}1${"}".repeat(depth)}`
  )
)

const jsonText = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 3 }).map((error) => JSON.stringify({ error })),
  fc.record({ code: fc.jsonValue({ maxDepth: 2 }), message: fc.jsonValue({ maxDepth: 2 }), errors: fc.jsonValue({ maxDepth: 3 }) })
    .map((error) => JSON.stringify({ error })),
  fc.record({ users: fc.array(fc.record({ id: fc.string() }), { maxLength: 3 }), more: fc.boolean() }).map((b) => JSON.stringify(b))
)

const body = fc.oneof(
  { weight: 4, arbitrary: jsonText },
  { weight: 2, arbitrary: jsonText.chain((t) => fc.nat({ max: Math.max(0, t.length - 1) }).map((n) => t.slice(0, n))) }, // truncated
  { weight: 2, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constantFrom("", "   ", "null", "<html>502 Bad Gateway</html>", "{\"error\":null}", "\u0000\uffff") },
  { weight: 1, arbitrary: deepBody }
)

const headerNumber = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc.double({ noNaN: false }).map(String),
  fc.constantFrom("NaN", "Infinity", "-Infinity", "1e400", "-0", "", " 3 ", "abc", "9".repeat(400), "0")
)

const retryAfter = fc.oneof(
  headerNumber,
  fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }).map((offset) => new Date(Date.UTC(1970, 0, 1) + Math.abs(offset) * 1000).toUTCString()),
  fc.constantFrom("Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "not a date")
)

const headers = fc.record({
  "content-type": fc.constantFrom("application/json", "text/html", "text/plain", "application/vnd.pagerduty+json;version=2", "application/octet-stream"),
  "ratelimit-reset": headerNumber,
  "ratelimit-remaining": headerNumber,
  "ratelimit-limit": headerNumber,
  "retry-after": retryAfter,
  location: fc.constantFrom("https://evil.example/steal", "//evil.example", "/users", "http://127.0.0.1:1/x"),
  "x-request-id": fc.string({ maxLength: 20 }).map((s) => s.replace(/[^\x20-\x7e]/g, "x"))
}, { requiredKeys: [] })

const statusCode = fc.oneof(
  fc.constantFrom(200, 201, 202, 204, 301, 302, 303, 304, 307, 308, 400, 401, 402, 403, 404, 408, 409, 429, 500, 502, 503, 504),
  fc.integer({ min: 200, max: 599 })
)

const nullBody = new Set([204, 205, 304])
const response = fc.record({ status: statusCode, headers, body }).map((g): Generated => ({
  ...g,
  body: nullBody.has(g.status) ? null : g.body
}))

const calls = fc.record({
  method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH"),
  verb: fc.constantFrom("request", "requestOk", "json"),
  retryUnreadableBody: fc.boolean()
})

const microtask = Effect.promise(() => Promise.resolve())
const nextTick = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

/**
 * Wait for `fiber` on the TestClock: while it sleeps, move the clock to its next wake-up;
 * while it waits for I/O (the mock's body promise), let the event loop turn. Gives up (returns
 * `none`: a hang) after 1 000 turns or once the clock passed an hour.
 */
const awaitOnTestClock = <A, E>(fiber: Fiber.RuntimeFiber<A, E>) =>
  Effect.gen(function*() {
    const start = yield* TestClock.currentTimeMillis
    for (let turn = 0; turn < 1000; turn++) {
      const exit = yield* Fiber.poll(fiber)
      if (Option.isSome(exit)) return exit
      const sleeps = Chunk.toReadonlyArray(yield* TestClock.sleeps())
      if ((yield* TestClock.currentTimeMillis) - start > 3_600_000) return Option.none()
      if (sleeps.length > 0) yield* TestClock.setTime(Math.min(...sleeps))
      else yield* (turn % 8 === 7 ? nextTick : microtask)
    }
    return yield* Fiber.poll(fiber)
  })

/**
 * A web `Response` whose body is already in memory: `text()` resolves in a microtask instead of
 * reading a stream over several event-loop turns (the same bytes, ~10x faster per case).
 */
const bodyNow = (g: Generated): Response => {
  const web = new Response(null, { status: g.status, headers: g.headers })
  const text = g.body ?? ""
  return Object.assign(web, {
    text: () => Promise.resolve(text),
    json: () => Promise.resolve().then(() => JSON.parse(text) as unknown),
    arrayBuffer: () => Promise.resolve(new TextEncoder().encode(text).buffer)
  })
}

/** Run every generated case; the handler answers the current case on every attempt. */
const runCases = (cases: ReadonlyArray<readonly [Generated, { readonly method: string; readonly verb: string; readonly retryUnreadableBody: boolean }]>) => {
  let current: Generated = { status: 200, headers: {}, body: "{}" }
  return Effect.gen(function*() {
    const api = yield* ApiClient.make({
      name: "rest",
      baseUrl: "https://api.pagerduty.com",
      auth: Auth.token(Redacted.make("u+propertykey_1234567")),
      permittedMethods: ["GET", "POST", "PUT", "DELETE", "PATCH"],
      // every retry path, but few sleeps per case: each TestClock sleep costs real timer ticks
      retry: RetryPolicy.make({ deadline: "5 minutes", maxHttpRetries: 1, maxNetworkRetries: 1 })
    })
    let failures = 0
    for (const [generated, call] of cases) {
      current = generated
      const options = { method: call.method, url: "/users", json: call.method === "GET" ? undefined : {}, retryUnreadableBody: call.retryUnreadableBody }
      const effect = call.verb === "request" ? api.request(options) : call.verb === "requestOk" ? api.requestOk(options) : api.json(options)
      const fiber = yield* Effect.fork(effect)
      const exit = yield* awaitOnTestClock(fiber)
      // no hang: an hour of test time ends every call (the deadline is 5 minutes)
      assert.isTrue(Option.isSome(exit), JSON.stringify(generated).slice(0, 300))
      if (Option.isNone(exit)) continue
      const cause = Exit.isFailure(exit.value) ? exit.value.cause : Cause.empty
      assert.isTrue(Option.isNone(Cause.dieOption(cause)), `a defect for ${JSON.stringify(generated).slice(0, 300)}: ${Cause.pretty(cause)}`)
      assert.isFalse(Cause.isInterrupted(cause))
      const failure = Cause.failureOption(cause)
      if (Option.isSome(failure)) {
        failures++
        assert.isTrue(PagerDutyError.isPagerDutyError(failure.value))
        assert.isString(failure.value.message)
      }
    }
    return failures
  }).pipe(Effect.provide(Mock.layer(() => bodyNow(current))))
}

describe("property: no response makes the client die or hang", () => {
  it.effect("600 generated statuses, headers and bodies through every verb", () =>
    Effect.gen(function*() {
      const cases = fc.sample(fc.tuple(response, calls), { numRuns: 600, seed: 14 })
      const failures = yield* runCases(cases)
      assert.isAbove(failures, 150)
    }), 120_000)

  it.effect("200 deeply nested error bodies (up to 6 000 levels) with every status", () =>
    Effect.gen(function*() {
      const deep = fc.record({ status: fc.constantFrom(200, 400, 404, 422, 429, 500, 503), headers, body: deepBody })
      const cases = fc.sample(fc.tuple(deep, calls), { numRuns: 200, seed: 1401 })
      yield* runCases(cases)
    }), 120_000)

  it.effect("20 huge bodies (2 MB JSON and text) on 2xx and 4xx", () =>
    Effect.gen(function*() {
      const huge = JSON.stringify({ error: { message: "x".repeat(2_000_000), errors: ["y".repeat(100_000)] } })
      const cases = fc.sample(
        fc.tuple(fc.record({ status: fc.constantFrom(200, 400, 500), headers, body: fc.constantFrom(huge, huge.slice(0, 1_500_000), "z".repeat(2_000_000)) }), calls),
        { numRuns: 20, seed: 1402 }
      )
      yield* runCases(cases)
    }))
})

const responseOf = (status: number, text: string, headers: Readonly<Record<string, string>> = {}): ApiClient.ApiResponse => ({
  method: "GET",
  url: "https://api.pagerduty.com/x",
  status,
  headers,
  text,
  requestId: undefined,
  rateLimit: undefined,
  attempts: 1
})

describe("property: the pure parts never throw (a throw in the pipeline would be a Die)", () => {
  it("5 000 generated error bodies (any JSON, truncated JSON, text, deep nesting) give a one-line typed error", () => {
    fc.assert(
      fc.property(body, fc.integer({ min: 300, max: 599 }), (text, status) => {
        const error = ApiClient.responseError(responseOf(status, text))
        assert.include(error.message, `GET https://api.pagerduty.com/x: ${status}`)
        assert.notInclude(error.message, "\n")
        assert.isAtMost(error.message.length, 10_000)
      }),
      { numRuns: 5000, seed: 1404 }
    )
  })

  it("3 200 generated header sets: the retry wait is bounded and set by headers only for 429, 503 and ratelimit-remaining 0", () => {
    fc.assert(
      fc.property(statusCode, headers, fc.integer({ min: -1e12, max: 1e13 }), (status, hs, now) => {
        const delay = RetryPolicy.retryDelay(RetryPolicy.defaults, status, hs, now)
        if (Option.isSome(delay)) {
          assert.isAtMost(Duration.toMillis(delay.value), 60_000)
          assert.isAtLeast(Duration.toMillis(delay.value), 0)
          const exhausted = Number((hs["ratelimit-remaining"] ?? "").trim() || Number.NaN) === 0
          assert.isTrue(status === 429 || status === 503 || exhausted)
          if (status === 503 && !exhausted) assert.isAtMost(Duration.toMillis(delay.value), 30_000)
        }
      }),
      { numRuns: 3200, seed: 1405 }
    )
  })
})

describe("property: header validation", () => {
  it("1 000 generated header values: the RFC 9110 check never throws, and accepts exactly HTAB, SP, VCHAR and obs-text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (value) => {
        const verdict = HeadersInternal.invalid({ authorization: value })
        assert.strictEqual(Option.isNone(verdict), /^[\t\x20-\x7e\x80-\xff]*$/.test(value), JSON.stringify(value))
        if (Option.isSome(verdict)) assert.notInclude(verdict.value, value.length > 3 ? value : "\u0000never")
      }),
      { numRuns: 1000, seed: 1406 }
    )
  })
})

describe("property: error-body decoding is bounded", () => {
  it("100 bodies nested up to 100 000 levels decode without throwing, to short text", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom("[", "{\"a\":"), (depth, open) => {
        const close = open === "[" ? "]" : "}"
        const text = `{"error":{"errors":${open.repeat(depth)}1${close.repeat(depth)}}}`
        const decoded = decodeErrorBody(text)
        for (const e of decoded.errors ?? []) assert.isAtMost(e.length, 2000)
        const error = ApiClient.responseError({
          method: "GET",
          url: "https://api.pagerduty.com/x",
          status: 400,
          headers: {},
          text,
          requestId: undefined,
          rateLimit: undefined,
          attempts: 1
        })
        assert.isAtMost(error.message.length, 10_000)
      }),
      { numRuns: 100, seed: 1403 }
    )
  })
})
