import { assert, describe, it } from "@effect/vitest"
import { Cause, Duration, Effect, Either, Exit, Fiber, Option, Redacted, Schedule, Schema, TestClock } from "effect"
import { ApiClient, Auth, PagerDutyError, RetryPolicy } from "../src/index.js"
import * as Mock from "./utils/mock.js"
import { type Captured, everything, observe } from "./utils/observe.js"

const API_KEY = "u+SECRETKEY_abcd1234"

const restOptions = (overrides: Partial<ApiClient.Options> = {}): ApiClient.Options => ({
  name: "rest",
  baseUrl: "https://api.pagerduty.com",
  auth: Auth.token(Redacted.make(API_KEY)),
  permittedMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
  headers: { Accept: "application/vnd.pagerduty+json;version=2" },
  // deterministic waits: no jitter in these tests
  retry: RetryPolicy.make({ backoff: RetryPolicy.exponentialBackoff({ jitter: false }) }),
  ...overrides
})

const client = (overrides: Partial<ApiClient.Options> = {}) => ApiClient.make(restOptions(overrides))

describe("URL normalisation", () => {
  it.effect("joins paths onto the base URL, with or without leading slashes", () =>
    Effect.gen(function*() {
      const api = yield* client()
      for (const path of ["users", "/users", "//users"]) {
        yield* api.request({ url: path })
      }
      yield* api.request({ url: "https://api.pagerduty.com/users?include[]=teams", params: { limit: 5 } })
      const urls = (yield* Mock.recorded).map((r) => r.url)
      assert.deepStrictEqual(urls, [
        "https://api.pagerduty.com/users",
        "https://api.pagerduty.com/users",
        "https://api.pagerduty.com/users",
        "https://api.pagerduty.com/users?include%5B%5D=teams&limit=5"
      ])
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({ users: [] })))))

  it.effect("refuses URLs on another origin and sends nothing", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const foreign = [
        "https://api.pagerduty.com.evil.com/users",
        "https://evil.com/?u=https://api.pagerduty.com",
        "http://api.pagerduty.com/users",
        "https://api.pagerduty.com:8443/users",
        "https://user:pw@api.pagerduty.com/users",
        "https://events.pagerduty.com/v2/enqueue"
      ]
      for (const url of foreign) {
        const error = yield* Effect.flip(api.request({ url }))
        assert.strictEqual(error._tag, "UrlError")
        if (error._tag === "UrlError") assert.strictEqual(error.reason, "ForeignOrigin")
      }
      const backslash = yield* Effect.flip(api.request({ url: "/\\evil.com/users" }))
      assert.strictEqual(backslash._tag, "UrlError")
      assert.strictEqual((yield* Mock.recorded).length, 0)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({})))))

  it.effect("keeps requests under a base URL's path", () =>
    Effect.gen(function*() {
      const api = yield* client({ baseUrl: "https://api.pagerduty.com/integration-slack" })
      yield* api.request({ url: "/incidents/P1/dedicated_channel" })
      const escaped = yield* Effect.flip(api.request({ url: "https://api.pagerduty.com/users" }))
      assert.strictEqual(escaped._tag, "UrlError")
      const dotted = yield* Effect.flip(api.request({ url: "../users" }))
      assert.strictEqual(dotted._tag, "UrlError")
      assert.deepStrictEqual((yield* Mock.recorded).map((r) => r.url), [
        "https://api.pagerduty.com/integration-slack/incidents/P1/dedicated_channel"
      ])
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({})))))

  it.effect("refuses methods outside the permitted set before sending", () =>
    Effect.gen(function*() {
      const api = yield* client({ permittedMethods: ["POST"] })
      const error = yield* Effect.flip(api.request({ method: "get", url: "/v2/enqueue" }))
      assert.strictEqual(error._tag, "UrlError")
      assert.strictEqual(error.message, "GET /v2/enqueue: MethodNotPermitted (permitted methods: POST)")
      yield* api.request({ method: " post ", url: "/v2/enqueue", json: {} })
      assert.strictEqual((yield* Mock.recorded).length, 1)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({}, 202)))))

  it.effect("requires https base URLs except on loopback", () =>
    Effect.gen(function*() {
      const insecure = yield* Effect.flip(client({ baseUrl: "http://api.pagerduty.com" }))
      assert.strictEqual(insecure.reason, "InsecureScheme")
      const local = yield* client({ baseUrl: "http://127.0.0.1:8080" })
      assert.strictEqual(local.baseUrl, "http://127.0.0.1:8080/")
      const malformed = yield* Effect.flip(client({ baseUrl: "not a url" }))
      assert.strictEqual(malformed.reason, "Malformed")
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({})))))
})

describe("headers", () => {
  it.effect("sends Accept, User-Agent, Content-Type for JSON, auth, and merges user headers case-insensitively", () =>
    Effect.gen(function*() {
      const api = yield* client({ headers: { Accept: "application/vnd.pagerduty+json;version=2", From: "ops@example.com" } })
      yield* api.request({ method: "POST", url: "/incidents", json: { incident: { title: "x" } }, from: "me@example.com", headers: { "X-Extra": "1" } })
      yield* api.request({ url: "/users" })
      const [post, get] = yield* Mock.recorded
      assert.strictEqual(post!.headers["accept"], "application/vnd.pagerduty+json;version=2")
      assert.strictEqual(post!.headers["user-agent"], "effect-pagerduty/0.1.0")
      assert.strictEqual(post!.headers["content-type"], "application/json")
      assert.strictEqual(post!.headers["from"], "me@example.com")
      assert.strictEqual(post!.headers["x-extra"], "1")
      assert.strictEqual(post!.headers["authorization"], `Token token=${API_KEY}`)
      assert.strictEqual(post!.body, JSON.stringify({ incident: { title: "x" } }))
      assert.strictEqual(get!.headers["from"], "ops@example.com")
      assert.isUndefined(get!.headers["content-type"])
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({})))))

  it.effect("bearer, pass-through, routing key in the body, and client credentials in a form", () =>
    Effect.gen(function*() {
      const bearer = yield* client({ auth: Auth.bearer(Redacted.make("tok")) })
      yield* bearer.request({ url: "/users" })
      const passThru = yield* client({ auth: Auth.passThru(Redacted.make("Custom abc")) })
      yield* passThru.request({ url: "/users" })
      const events = yield* client({ baseUrl: "https://events.pagerduty.com", auth: Auth.routingKey(Redacted.make("RK")) })
      yield* events.request({ method: "POST", url: "/v2/enqueue", json: { event_action: "trigger", routing_key: "caller" } })
      const oauth = yield* client({ baseUrl: "https://identity.pagerduty.com", auth: Auth.clientCredentials("cid", Redacted.make("cs")) })
      yield* oauth.request({ method: "POST", url: "/oauth/token", form: { grant_type: "client_credentials", scope: "read" } })
      const rs = yield* Mock.recorded
      assert.strictEqual(rs[0]!.headers["authorization"], "Bearer tok")
      assert.strictEqual(rs[1]!.headers["authorization"], "Custom abc")
      assert.deepStrictEqual(JSON.parse(rs[2]!.body!), { event_action: "trigger", routing_key: "RK" })
      assert.isUndefined(rs[2]!.headers["authorization"])
      assert.strictEqual(rs[3]!.headers["content-type"], "application/x-www-form-urlencoded")
      assert.strictEqual(rs[3]!.body, "grant_type=client_credentials&scope=read&client_id=cid&client_secret=cs")
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({})))))

  it.effect("a raw body (string or bytes) is sent as given with its Content-Type; with json or form it is an Encode error, never sent", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const url = "/enrichment/schemas/S1/records"
      yield* api.request({ method: "POST", url, body: { contentType: "text/csv", data: "name,email\nAda,ada@example.com\n" } })
      yield* api.request({ method: "POST", url, body: { contentType: "text/csv; charset=utf-8", data: new TextEncoder().encode("a,é\n") } })
      const rs = yield* Mock.recorded
      assert.strictEqual(rs[0]!.headers["content-type"], "text/csv")
      assert.strictEqual(rs[0]!.body, "name,email\nAda,ada@example.com\n")
      assert.strictEqual(rs[1]!.headers["content-type"], "text/csv; charset=utf-8")
      assert.strictEqual(rs[1]!.body, "a,é\n")
      for (const other of [{ json: { a: 1 } }, { form: { a: "1" } }]) {
        const error = yield* Effect.flip(api.request({ method: "POST", url, body: { contentType: "text/csv", data: "a\n" }, ...other }))
        assert.strictEqual(error._tag, "TransportError")
        if (error._tag === "TransportError") {
          assert.strictEqual(error.reason, "Encode")
          assert.isFalse(error.maySent)
        }
      }
      assert.strictEqual((yield* Mock.recorded).length, 2)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({})))))
})

describe("errors", () => {
  it.effect("a header with a line break fails at once, sends nothing and does not echo the value", () =>
    Effect.gen(function*() {
      const api = yield* client({ auth: Auth.token(Redacted.make("abc\r\nX-Injected: 1")) })
      const error = yield* Effect.flip(api.json({ url: "/users" }))
      assert.strictEqual(error._tag, "TransportError")
      if (error._tag === "TransportError") {
        assert.strictEqual(error.reason, "Encode")
        assert.isFalse(error.maySent)
      }
      assert.include(error.message, "the authorization header value has a character RFC 9110 does not allow")
      assert.notInclude(error.message, "X-Injected")
      const good = yield* client()
      const fromHeader = yield* Effect.flip(good.json({ url: "/users", headers: { From: "a@b.c\n" } }))
      assert.include(fromHeader.message, "from header")
      assert.strictEqual((yield* Mock.recorded).length, 0)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({})))))

  it.effect("a 404 becomes an HttpError with PagerDuty's code, request id and a one-line message", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const error = yield* Effect.flip(api.json({ url: "/users/PXX" }))
      assert.strictEqual(error._tag, "HttpError")
      assert.strictEqual(error.message, "GET https://api.pagerduty.com/users/PXX: 404 Not Found (code 2100, request id abc)")
      assert.isTrue(PagerDutyError.isNotFound(error))
      assert.isFalse(PagerDutyError.isRetryable(error))
    }).pipe(Effect.provide(Mock.layer(() =>
      Mock.json({ error: { message: "Not Found", code: 2100 } }, 404, { "x-request-id": "abc" })
    ))))

  it.effect("odd error bodies decode without a crash and keep their text", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const arrayBody = yield* Effect.flip(api.json({ url: "/a" }))
      assert.deepStrictEqual(arrayBody._tag === "HttpError" ? arrayBody.errors : [], ["Invalid input", "Name is taken"])
      const stringErrors = yield* Effect.flip(api.json({ url: "/b" }))
      assert.deepStrictEqual(stringErrors._tag === "HttpError" ? stringErrors.errors : [], ["a string"])
      const html = yield* Effect.flip(api.json({ url: "/c" }))
      assert.strictEqual(html._tag, "HttpError")
      assert.include(html.message, "<html>Bad gateway</html>")
    }).pipe(Effect.provide(Mock.layer((r) =>
      r.url.endsWith("/a")
        ? Mock.json({ error: ["Invalid input", "Name is taken"] }, 400)
        : r.url.endsWith("/b")
        ? Mock.json({ error: { message: "Invalid Input Provided", code: 2001, errors: "a string" } }, 400)
        : new Response("<html>Bad gateway</html>", { status: 418 })
    ))))

  it.effect("a 2xx body that is not JSON is a ServerHttpError (after the network budget on GET)", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const fiber = yield* Effect.fork(Effect.flip(api.json({ url: "/users" })))
      yield* TestClock.adjust("1 minute")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "ServerHttpError")
      if (error._tag === "ServerHttpError") {
        assert.strictEqual(error.reason, "InvalidJson")
        assert.strictEqual(error.attempts, 4)
      }
      assert.strictEqual((yield* Mock.recorded).length, 4)
      const empty = yield* api.json({ url: "/empty" })
      assert.isNull(empty)
    }).pipe(Effect.provide(Mock.layer((r) => r.url.endsWith("/empty") ? new Response(null, { status: 204 }) : new Response("{oops", { status: 200 })))))

  it.effect("a redirect is a ServerHttpError and is not followed", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const error = yield* Effect.flip(api.request({ url: "/users" }))
      assert.strictEqual(error._tag, "ServerHttpError")
      if (error._tag === "ServerHttpError") assert.strictEqual(error.reason, "Redirect")
      assert.strictEqual((yield* Mock.recorded).length, 1)
    }).pipe(Effect.provide(Mock.layer(() => new Response(null, { status: 302, headers: { location: "https://evil.com/" } })))))
})

describe("retry", () => {
  it.effect("429 with ratelimit-reset: 3 waits 3 s on the clock, then succeeds", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const fiber = yield* Effect.fork(api.json({ url: "/users" }))
      yield* TestClock.adjust("2999 millis")
      assert.strictEqual((yield* Mock.recorded).length, 1)
      yield* TestClock.adjust("1 millis")
      const body = yield* Fiber.join(fiber)
      assert.deepStrictEqual(body, { users: [] })
      assert.strictEqual((yield* Mock.recorded).length, 2)
    }).pipe(Effect.provide(Mock.layer((_, n) =>
      n === 1
        ? Mock.json({ error: { message: "Rate limit exceeded", code: 2020 } }, 429, { "ratelimit-reset": "3", "ratelimit-remaining": "0" })
        : Mock.json({ users: [] })
    ))))

  it.effect("Retry-After in seconds and as an HTTP date are honoured", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const fiber = yield* Effect.fork(api.json({ url: "/users" }))
      yield* TestClock.adjust("4 seconds")
      assert.strictEqual((yield* Mock.recorded).length, 1)
      yield* TestClock.adjust("1 seconds")
      assert.strictEqual((yield* Mock.recorded).length, 2)
      // second answer: a date 7 s after the (test) clock's now
      yield* TestClock.adjust("7 seconds")
      yield* Fiber.join(fiber)
      assert.strictEqual((yield* Mock.recorded).length, 3)
    }).pipe(Effect.provide(Mock.layer((_, n) =>
      Effect.map(TestClock.currentTimeMillis, (now) =>
        n === 1
          ? Mock.json({}, 429, { "retry-after": "5" })
          : n === 2
          ? Mock.json({}, 503, { "retry-after": new Date(now + 7000).toUTCString() })
          : Mock.json({ ok: true }))
    ))))

  it.effect("503 on GET is retried with exponential backoff (3 s, 6 s: python-pagerduty's)", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const fiber = yield* Effect.fork(api.json({ url: "/users" }))
      yield* TestClock.adjust("2999 millis")
      assert.strictEqual((yield* Mock.recorded).length, 1)
      yield* TestClock.adjust("1 millis")
      assert.strictEqual((yield* Mock.recorded).length, 2)
      yield* TestClock.adjust("5999 millis")
      assert.strictEqual((yield* Mock.recorded).length, 2)
      yield* TestClock.adjust("1 millis")
      assert.deepStrictEqual(yield* Fiber.join(fiber), { ok: true })
    }).pipe(Effect.provide(Mock.layer((_, n) => n < 3 ? Mock.json({}, 503) : Mock.json({ ok: true })))))

  it.effect("503 on POST is not retried (not idempotent), unless the caller opts in", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const once = yield* Effect.fork(Effect.flip(api.json({ method: "POST", url: "/incidents", json: {} })))
      yield* TestClock.adjust("10 minutes")
      const error = yield* Fiber.join(once)
      assert.strictEqual(error._tag, "ServerHttpError")
      if (error._tag === "ServerHttpError") assert.strictEqual(error.status, 503)
      assert.strictEqual((yield* Mock.recorded).length, 1)
      const fiber = yield* Effect.fork(api.json({ method: "POST", url: "/incidents", json: {}, retry: { retryNonIdempotent: true } }))
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(fiber)
      assert.strictEqual((yield* Mock.recorded).length, 3)
    }).pipe(Effect.provide(Mock.layer((_, n) => n <= 2 ? Mock.json({}, 503) : Mock.json({ ok: true }, 201)))))

  it.effect("429 on POST is retried (PagerDuty did not act)", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const fiber = yield* Effect.fork(api.json({ method: "POST", url: "/incidents", json: {} }))
      yield* TestClock.adjust("1 seconds")
      assert.deepStrictEqual(yield* Fiber.join(fiber), { ok: true })
    }).pipe(Effect.provide(Mock.layer((_, n) => n === 1 ? Mock.json({}, 429, { "ratelimit-reset": "1" }) : Mock.json({ ok: true }, 201)))))

  it.effect("401 fails at once", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const error = yield* Effect.flip(api.json({ url: "/users" }))
      assert.strictEqual(error._tag, "HttpError")
      if (error._tag === "HttpError") assert.strictEqual(error.status, 401)
      assert.strictEqual((yield* Mock.recorded).length, 1)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({ error: { message: "Unauthorized", code: 2006 } }, 401)))))

  it.effect("an exhausted budget gives an HttpError with the last status", () =>
    Effect.gen(function*() {
      const api = yield* client({ retry: RetryPolicy.make({ maxHttpRetries: 2, backoff: RetryPolicy.exponentialBackoff({ jitter: false }) }) })
      const fiber = yield* Effect.fork(Effect.flip(api.json({ url: "/users" })))
      yield* TestClock.adjust("1 minute")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "HttpError")
      if (error._tag === "HttpError") {
        assert.strictEqual(error.status, 429)
        assert.strictEqual(error.attempts, 3)
      }
      assert.strictEqual((yield* Mock.recorded).length, 3)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({ error: { code: 2020, message: "Rate Limit Exceeded" } }, 429)))))

  it.effect("per-status budgets: 500 is retried twice by default", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const fiber = yield* Effect.fork(Effect.flip(api.json({ url: "/users" })))
      yield* TestClock.adjust("1 minute")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "ServerHttpError")
      if (error._tag === "ServerHttpError") {
        assert.strictEqual(error.status, 500)
        assert.strictEqual(error.reason, "ServerError")
      }
      assert.strictEqual((yield* Mock.recorded).length, 3)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({}, 500)))))

  it.effect("the network budget gives a TransportError after 3 retries", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const fiber = yield* Effect.fork(Effect.flip(api.json({ url: "/users" })))
      yield* TestClock.adjust("1 minute")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "TransportError")
      if (error._tag === "TransportError") {
        assert.strictEqual(error.attempts, 4)
        assert.strictEqual(error.reason, "Transport")
        assert.isTrue(error.maySent)
      }
      assert.strictEqual((yield* Mock.recorded).length, 4)
    }).pipe(Effect.provide(Mock.layer(() => "transport-error"))))

  it.effect("network errors on POST are not retried by default", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const error = yield* Effect.flip(api.json({ method: "POST", url: "/incidents", json: {} }))
      assert.strictEqual(error._tag, "TransportError")
      if (error._tag === "TransportError") {
        assert.strictEqual(error.reason, "Transport")
        assert.isTrue(error.maySent)
      }
      assert.strictEqual((yield* Mock.recorded).length, 1)
    }).pipe(Effect.provide(Mock.layer(() => "transport-error"))))

  it.effect("the deadline stops retries that would wait past it", () =>
    Effect.gen(function*() {
      const api = yield* client({ retry: RetryPolicy.make({ deadline: "10 seconds" }) })
      const fiber = yield* Effect.fork(Effect.flip(api.json({ url: "/users" })))
      yield* TestClock.adjust("1 minute")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "HttpError")
      if (error._tag === "HttpError") assert.strictEqual(error.status, 429)
      // 429 asking for 60 s exceeds the 10 s deadline: one attempt only
      assert.strictEqual((yield* Mock.recorded).length, 1)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({}, 429, { "ratelimit-reset": "60" })))))

  it.effect("a custom Schedule drives the backoff", () =>
    Effect.gen(function*() {
      const api = yield* client({ retry: RetryPolicy.make({ backoff: Schedule.spaced("100 millis").pipe(Schedule.intersect(Schedule.recurs(1))) }) })
      const fiber = yield* Effect.fork(Effect.flip(api.json({ url: "/users" })))
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(fiber)
      assert.strictEqual((yield* Mock.recorded).length, 2)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({}, 503)))))

  it.effect("the RetryPolicy layer sets the policy for clients built under it", () =>
    Effect.gen(function*() {
      const api = yield* ApiClient.make({ ...restOptions(), retry: undefined })
      const error = yield* Effect.flip(api.json({ url: "/users" }))
      assert.strictEqual(error._tag, "ServerHttpError")
      if (error._tag === "ServerHttpError") assert.strictEqual(error.status, 503)
      assert.strictEqual((yield* Mock.recorded).length, 1)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({}, 503))), Effect.provide(RetryPolicy.layer({ statusBudgets: { 503: 0 } }))))

  it.effect("jittered default backoff stays within [0.8, 1.2) of 3 s", () =>
    Effect.gen(function*() {
      const api = yield* ApiClient.make({ ...restOptions(), retry: undefined })
      const fiber = yield* Effect.fork(api.json({ url: "/users" }))
      yield* TestClock.adjust("2399 millis")
      assert.strictEqual((yield* Mock.recorded).length, 1)
      yield* TestClock.adjust("1201 millis")
      assert.strictEqual((yield* Mock.recorded).length, 2)
      yield* Fiber.join(fiber)
    }).pipe(Effect.provide(Mock.layer((_, n) => n === 1 ? Mock.json({}, 503) : Mock.json({})))))
})

describe("timeout and interruption", () => {
  it.effect("a request that never answers times out after 60 s as a TransportError", () =>
    Effect.gen(function*() {
      const api = yield* client({ retry: RetryPolicy.none })
      const fiber = yield* Effect.fork(Effect.flip(api.json({ url: "/users" })))
      yield* TestClock.adjust("59 seconds")
      assert.isNull(yield* Fiber.poll(fiber).pipe(Effect.map((o) => o._tag === "Some" ? "done" : null)))
      yield* TestClock.adjust("1 seconds")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "TransportError")
      if (error._tag === "TransportError") assert.strictEqual(error.reason, "Timeout")
    }).pipe(Effect.provide(Mock.layer(() => "never"))))

  it.effect("the per-call timeout overrides the client's", () =>
    Effect.gen(function*() {
      const api = yield* client({ retry: RetryPolicy.none })
      const fiber = yield* Effect.fork(Effect.flip(api.json({ url: "/users", timeout: "2 seconds" })))
      yield* TestClock.adjust("2 seconds")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "TransportError")
      if (error._tag === "TransportError") assert.strictEqual(error.reason, "Timeout")
    }).pipe(Effect.provide(Mock.layer(() => "never"))))

  it.effect("interrupting the fiber interrupts the request", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const fiber = yield* Effect.fork(api.json({ url: "/users" }))
      yield* TestClock.adjust(Duration.millis(10))
      yield* Fiber.interrupt(fiber)
      const exit = yield* Fiber.await(fiber)
      assert.isTrue(Exit.isInterrupted(exit))
    }).pipe(Effect.provide(Mock.layer(() => "never"))))
})

describe("secrets", () => {
  it.effect("no error message, log line or span attribute contains the API key", () =>
    Effect.gen(function*() {
      const captured: Captured = { logs: [], spans: [] }
      const program = Effect.gen(function*() {
        const api = yield* client()
        const messages: Array<string> = []
        for (const url of ["/unauthorized", "/missing", "/flaky", "/users", "https://evil.com/x"]) {
          const exit = yield* Effect.exit(api.json({ url }))
          if (Exit.isFailure(exit)) messages.push(String(exit.cause), JSON.stringify(exit.cause))
        }
        return messages
      })
      const fiber = yield* Effect.fork(observe(program, captured))
      yield* TestClock.adjust("5 minutes")
      const messages = yield* Fiber.join(fiber)
      const all = [...messages, everything(captured)].join("\n")
      assert.isAbove(captured.logs.length, 3)
      assert.isAbove(captured.spans.length, 3)
      assert.include(all, "request id")
      assert.notInclude(all, API_KEY)
      assert.notInclude(all, "SECRETKEY")
    }).pipe(Effect.provide(Mock.layer((r) => {
      if (r.url.endsWith("/unauthorized")) return Mock.json({ error: { message: "Unauthorized", code: 2006 } }, 401)
      if (r.url.endsWith("/missing")) return Mock.json({ error: { message: "Not Found", code: 2100 } }, 404)
      if (r.url.endsWith("/flaky")) return "transport-error"
      return Mock.json({ users: [] })
    }))))

  it("Redacted keys print as <redacted>", () => {
    const key = Redacted.make(API_KEY)
    assert.strictEqual(String(key), "<redacted>")
    assert.notInclude(JSON.stringify({ key }), API_KEY)
  })
})

describe("construction errors are typed", () => {
  it.effect("an untyped authType is InvalidAuthType: parseType refuses it, fromType's Auth fails before sending", () =>
    Effect.gen(function*() {
      const untyped: unknown = "basic"
      const parsed = Auth.parseType(untyped)
      assert.isTrue(Either.isLeft(parsed))
      if (Either.isLeft(parsed)) {
        assert.strictEqual(parsed.left._tag, "InvalidAuthType")
        assert.include(parsed.left.message, "unknown authType \"basic\"")
      }
      assert.isTrue(Either.isLeft(Auth.parseType(42)))
      assert.deepStrictEqual(Auth.parseType("oauth2"), Either.right("oauth2"))
      const api = yield* client({ auth: Auth.fromType(untyped as Auth.AuthType, Redacted.make(API_KEY)) })
      const exit = yield* Effect.exit(api.request({ url: "/users" }))
      assert.isTrue(Exit.isFailure(exit) && Option.isNone(Cause.dieOption(exit.cause)))
      const error = yield* Effect.flip(api.request({ url: "/users" }))
      assert.strictEqual(error._tag, "TransportError")
      if (error._tag === "TransportError") {
        assert.strictEqual(error.reason, "Encode")
        assert.isFalse(error.maySent)
        assert.strictEqual(error.url, "https://api.pagerduty.com/users")
        assert.include(error.message, "unknown authType")
      }
      assert.strictEqual((yield* Mock.recorded).length, 0)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({})))))
})

describe("schemaJson", () => {
  const User = Schema.Struct({ user: Schema.Struct({ id: Schema.String, email: Schema.String }) })
  const decodeUser = ApiClient.schemaJson(User)

  it.effect("decodes the body with a Schema; a mismatch is SchemaMismatch, bad JSON is InvalidJson", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const ok = yield* Effect.flatMap(api.requestOk({ url: "/users/P1" }), decodeUser)
      assert.deepStrictEqual(ok, { user: { id: "P1", email: "a@example.com" } })
      const mismatch = yield* Effect.flip(Effect.flatMap(api.requestOk({ url: "/users/P2" }), decodeUser))
      assert.strictEqual(mismatch.reason, "SchemaMismatch")
      assert.include(mismatch.message, "email")
      const text = { ...(yield* api.requestOk({ url: "/users/P1" })), text: "{nope" }
      const invalid = yield* Effect.flip(decodeUser(text))
      assert.strictEqual(invalid.reason, "InvalidJson")
    }).pipe(Effect.provide(Mock.layer((r) =>
      r.url.endsWith("/P1") ? Mock.json({ user: { id: "P1", email: "a@example.com" } }) : Mock.json({ user: { id: "P2" } })
    ))))
})
