import { HttpClient } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { type Duration, Effect, Either, Fiber, Metric, Redacted, Ref, Schedule, TestClock } from "effect"
import { ApiClient, Auth, RetryPolicy } from "../src/index.js"
import * as Mock from "./utils/mock.js"

const API_KEY = "u+SECRETKEY_abcd1234"

const options = (overrides: Partial<ApiClient.Options> = {}): ApiClient.Options => ({
  name: "rest",
  baseUrl: "https://api.pagerduty.com",
  auth: Auth.token(Redacted.make(API_KEY)),
  permittedMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
  retry: RetryPolicy.make({ backoff: RetryPolicy.exponentialBackoff({ jitter: false }) }),
  ...overrides
})

const client = (overrides: Partial<ApiClient.Options> = {}) => ApiClient.make(options(overrides))
const count = Effect.map(Mock.recorded, (rs) => rs.length)

/** Fork `self`, then move the clock by each step and record the request count after it. */
const countsAfter = <A, E, R>(self: Effect.Effect<A, E, R>, steps: ReadonlyArray<Duration.DurationInput>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(Effect.either(self))
    yield* TestClock.adjust(0)
    const counts: Array<number> = [yield* count]
    for (const step of steps) {
      yield* TestClock.adjust(step)
      counts.push(yield* count)
    }
    return { counts, result: yield* Fiber.join(fiber) }
  })

describe("which header sets the wait", () => {
  it.effect("ratelimit-reset on a 503 is ignored: it waits the 3 s backoff, not 40 s", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const { counts, result } = yield* countsAfter(api.json({ url: "/users" }), ["2999 millis", "1 millis"])
      assert.deepStrictEqual(counts, [1, 1, 2])
      assert.isTrue(Either.isRight(result))
    }).pipe(Effect.provide(Mock.layer((_, n) =>
      n === 1 ? Mock.json({}, 503, { "ratelimit-reset": "40", "ratelimit-remaining": "12" }) : Mock.json({ ok: true })
    ))))

  it.effect("ratelimit-reset sets the wait of any response whose ratelimit-remaining is 0", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const { counts } = yield* countsAfter(api.json({ url: "/users" }), ["4999 millis", "1 millis"])
      assert.deepStrictEqual(counts, [1, 1, 2])
    }).pipe(Effect.provide(Mock.layer((_, n) =>
      n === 1 ? Mock.json({}, 503, { "ratelimit-reset": "5", "ratelimit-remaining": "0" }) : Mock.json({ ok: true })
    ))))

  it.effect("Retry-After is honoured on 503 (capped at 30 s) but not on 500 (backoff)", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const capped = yield* countsAfter(api.json({ url: "/a" }), ["29999 millis", "1 millis"])
      assert.deepStrictEqual(capped.counts, [1, 1, 2])
      const on500 = yield* countsAfter(api.json({ url: "/b" }), ["2999 millis", "1 millis"])
      assert.deepStrictEqual(on500.counts, [3, 3, 4])
    }).pipe(Effect.provide(Mock.layer((r, n) =>
      n === 1 ? Mock.json({}, 503, { "retry-after": "600" })
      : n === 3 ? Mock.json({}, 500, { "retry-after": "20" })
      : Mock.json({ ok: r.url })
    ))))

  it.effect("a 429's ratelimit-reset is capped at maxHeaderDelay (default 60 s)", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const { counts } = yield* countsAfter(api.json({ url: "/users" }), ["59999 millis", "1 millis"])
      assert.deepStrictEqual(counts, [1, 1, 2])
    }).pipe(Effect.provide(Mock.layer((_, n) => n === 1 ? Mock.json({}, 429, { "ratelimit-reset": "100000" }) : Mock.json({ ok: true })))))

  it.effect("honourRateLimitHeaders: false makes a 429 wait the backoff", () =>
    Effect.gen(function*() {
      const api = yield* client({
        retry: RetryPolicy.make({ honourRateLimitHeaders: false, backoff: RetryPolicy.exponentialBackoff({ jitter: false }) })
      })
      const { counts } = yield* countsAfter(api.json({ url: "/users" }), ["2999 millis", "1 millis", "1 minute"])
      assert.deepStrictEqual(counts, [1, 1, 2, 2])
    }).pipe(Effect.provide(Mock.layer((_, n) => n === 1 ? Mock.json({}, 429, { "ratelimit-reset": "20", "retry-after": "20" }) : Mock.json({ ok: true })))))
})

describe("backoff numbers", () => {
  it.effect("un-jittered: 3 s, 6 s, 12 s, 24 s, then 30 s (python-pagerduty's 1.5 s x 2^n from n = 1, capped)", () =>
    Effect.gen(function*() {
      const api = yield* client({
        retry: RetryPolicy.make({ statusBudgets: { 503: 6 }, backoff: RetryPolicy.exponentialBackoff({ jitter: false }) })
      })
      const { counts, result } = yield* countsAfter(api.request({ url: "/users" }), [
        "2999 millis", "1 millis", "5999 millis", "1 millis", "11999 millis", "1 millis",
        "23999 millis", "1 millis", "29999 millis", "1 millis", "29999 millis", "1 millis"
      ])
      assert.deepStrictEqual(counts, [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7])
      // the 503 budget (6) ran out: the raw verb returns the last response
      assert.isTrue(Either.isRight(result) && result.right.status === 503 && result.right.attempts === 7)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({}, 503)))))

  it("RetryPolicy.exponentialBackoff's first delays are 3 s, 6 s, 12 s, 24 s, 30 s, 30 s", () => {
    const delays = Effect.runSync(
      Schedule.run(RetryPolicy.exponentialBackoff({ jitter: false }), 0, [1, 2, 3, 4, 5, 6])
    )
    assert.deepStrictEqual([...delays].map((d) => d.value._tag === "Millis" ? d.value.millis : -1).slice(0, 4), [3000, 6000, 12000, 24000])
  })
})

describe("unreadable 2xx bodies and dropped connections", () => {
  it.effect("an unreadable 2xx on GET is retried at once, then succeeds", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const body = yield* api.json({ url: "/users" })
      assert.deepStrictEqual(body, { users: [] })
      assert.strictEqual(yield* count, 2)
    }).pipe(Effect.provide(Mock.layer((_, n) =>
      n === 1 ? new Response("{\"users\":[{\"id\":\"P", { status: 200, headers: { "content-type": "application/json" } }) : Mock.json({ users: [] })
    ))))

  it.effect("an unreadable 2xx on POST fails at once saying the request may have been applied; retryUnreadableBody retries it", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const error = yield* Effect.flip(api.json({ method: "POST", url: "/incidents", json: {} }))
      assert.strictEqual(error._tag, "ServerHttpError")
      if (error._tag === "ServerHttpError") {
        assert.strictEqual(error.reason, "InvalidJson")
        assert.include(error.message, "the POST may have been applied")
      }
      assert.strictEqual(yield* count, 1)
      const retried = yield* api.json({ method: "POST", url: "/v2/enqueue", json: {}, retryUnreadableBody: true })
      assert.deepStrictEqual(retried, { status: "success" })
      assert.strictEqual(yield* count, 3)
    }).pipe(Effect.provide(Mock.layer((_, n) =>
      n <= 2 ? new Response("<html>garbled", { status: 202, headers: { "content-type": "application/json" } }) : Mock.json({ status: "success" }, 202)
    ))))

  it.effect("the first retry after a dropped connection is immediate; the next waits the backoff", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const { counts, result } = yield* countsAfter(api.json({ url: "/users" }), ["2999 millis", "1 millis"])
      assert.deepStrictEqual(counts, [2, 2, 3])
      assert.isTrue(Either.isRight(result))
    }).pipe(Effect.provide(Mock.layer((_, n) => n <= 2 ? "transport-error" : Mock.json({ ok: true })))))

  it.effect("a POST is not retried on 5xx: one request, however long the clock runs", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const { counts, result } = yield* countsAfter(api.request({ method: "POST", url: "/incidents", json: {} }), ["10 minutes"])
      assert.deepStrictEqual(counts, [1, 1])
      assert.isTrue(Either.isRight(result) && result.right.status === 502)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({}, 502)))))
})

describe("exhaustion", () => {
  it.effect("the default policy: an endless 429 is sent exactly 11 times, then every verb fails with HttpError 429", () =>
    Effect.gen(function*() {
      const api = yield* ApiClient.make({ ...options(), retry: undefined })
      const { counts, result } = yield* countsAfter(api.request({ url: "/users" }), ["10 minutes"])
      assert.deepStrictEqual(counts, [1, 11])
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) {
        assert.strictEqual(result.left._tag, "HttpError")
        if (result.left._tag === "HttpError") {
          assert.strictEqual(result.left.status, 429)
          assert.strictEqual(result.left.attempts, 11)
        }
      }
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({ error: { code: 2020, message: "Rate Limit Exceeded" } }, 429, { "ratelimit-reset": "1" })))))

  it.effect("the deadline ending a 429 makes the raw verb fail with HttpError 429", () =>
    Effect.gen(function*() {
      const api = yield* client({ retry: RetryPolicy.make({ deadline: "5 seconds" }) })
      const { counts, result } = yield* countsAfter(api.request({ url: "/users" }), ["1 minute"])
      // waits of 2 s: attempts at 0, 2, 4 s; the next would start at 6 s > 5 s
      assert.deepStrictEqual(counts, [1, 3])
      assert.isTrue(Either.isLeft(result) && result.left._tag === "HttpError" && result.left.status === 429)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({}, 429, { "retry-after": "2" })))))

  it.effect("a configured budget running out: raw verbs return the last response, JSON verbs fail", () =>
    Effect.gen(function*() {
      const api = yield* client({ retry: RetryPolicy.make({ statusBudgets: { 404: 2, 429: 1 }, backoff: Schedule.spaced("1 second") }) })
      const raw = yield* countsAfter(api.request({ url: "/users/PX" }), ["1 minute"])
      assert.deepStrictEqual(raw.counts, [1, 3])
      assert.isTrue(Either.isRight(raw.result) && raw.result.right.status === 404 && raw.result.right.attempts === 3)
      const json = yield* countsAfter(api.json({ url: "/users/PX" }), ["1 minute"])
      assert.deepStrictEqual(json.counts, [4, 6])
      assert.isTrue(Either.isLeft(json.result) && json.result.left._tag === "HttpError" && json.result.left.status === 404)
      const limited = yield* countsAfter(api.request({ url: "/limited" }), ["1 minute"])
      assert.deepStrictEqual(limited.counts, [7, 8])
      assert.isTrue(Either.isRight(limited.result) && limited.result.right.status === 429)
    }).pipe(Effect.provide(Mock.layer((r) => r.url.endsWith("/limited") ? Mock.json({}, 429) : Mock.json({ error: { code: 2100 } }, 404)))))
})

describe("401", () => {
  it.effect("the raw verb fails with HttpError 401 at once", () =>
    Effect.gen(function*() {
      const api = yield* client()
      const error = yield* Effect.flip(api.request({ url: "/users" }))
      assert.strictEqual(error._tag, "HttpError")
      if (error._tag === "HttpError") assert.strictEqual(error.status, 401)
      assert.strictEqual(yield* count, 1)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({ error: { code: 2006, message: "Unauthorized" } }, 401)))))

  it.effect("onUnauthorized refreshes once and re-sends once; a second 401 fails with HttpError 401", () =>
    Effect.gen(function*() {
      const refreshes = yield* Ref.make(0)
      const api = yield* client({
        auth: Auth.dynamic({
          scheme: "Bearer",
          get: Effect.map(Ref.get(refreshes), (n) => Redacted.make(`token-number-${n}`)),
          refresh: Ref.update(refreshes, (n) => n + 1)
        })
      })
      const error = yield* Effect.flip(api.request({ url: "/users" }))
      assert.strictEqual(error._tag, "HttpError")
      if (error._tag === "HttpError") assert.strictEqual(error.status, 401)
      assert.strictEqual(yield* Ref.get(refreshes), 1)
      const sent = yield* Mock.recorded
      assert.deepStrictEqual(sent.map((r) => r.headers["authorization"]), ["Bearer token-number-0", "Bearer token-number-1"])
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({}, 401)))))

  it.effect("a configured statusBudgets[401] is honoured, then it fails with HttpError 401", () =>
    Effect.gen(function*() {
      const api = yield* client({ retry: RetryPolicy.make({ statusBudgets: { 401: 2 }, backoff: Schedule.spaced("1 second") }) })
      const { counts, result } = yield* countsAfter(api.request({ url: "/users" }), ["1 minute"])
      assert.deepStrictEqual(counts, [1, 3])
      assert.isTrue(Either.isLeft(result) && result.left._tag === "HttpError" && result.left.status === 401)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({}, 401)))))
})

describe("the credential wins over per-call headers", () => {
  it.effect("Authorization, the client's secret header and its From cannot be replaced by per-call headers; `from` can", () =>
    Effect.gen(function*() {
      const api = yield* client({ headers: { From: "default@example.com", "X-Signature": "sig-value-1234" }, secretHeaders: ["X-Signature"] })
      yield* api.request({
        url: "/users",
        headers: { authorization: "Token token=someone-elses", "x-signature": "forged", FROM: "forged@example.com", Accept: "text/plain" }
      })
      yield* api.request({ url: "/users", from: "me@example.com" })
      const [first, second] = yield* Mock.recorded
      assert.strictEqual(first!.headers["authorization"], `Token token=${API_KEY}`)
      assert.strictEqual(first!.headers["x-signature"], "sig-value-1234")
      assert.strictEqual(first!.headers["from"], "default@example.com")
      assert.strictEqual(first!.headers["accept"], "text/plain")
      assert.strictEqual(second!.headers["from"], "me@example.com")
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({})))))
})

describe("transformClient sits inside the retry, and a retrying middleware does not multiply attempts", () => {
  it.effect("HttpClient.retryTransient(times: 2) in transformClient: an endless 503 is sent 9 times (budget 6 + the middleware's 2 + 1), not 21", () =>
    Effect.gen(function*() {
      const api = yield* client({
        transformClient: HttpClient.retryTransient({ times: 2, schedule: Schedule.spaced("100 millis") })
      })
      const { counts, result } = yield* countsAfter(api.request({ url: "/users" }), ["10 minutes"])
      assert.deepStrictEqual(counts, [1, 9])
      assert.isTrue(Either.isRight(result) && result.right.status === 503 && result.right.attempts === 9)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({}, 503)))))

  it.effect("user middleware sees every attempt (it is applied per attempt)", () =>
    Effect.gen(function*() {
      const seen = yield* Ref.make(0)
      const api = yield* client({ transformClient: HttpClient.tapRequest(() => Ref.update(seen, (n) => n + 1)) })
      const { result } = yield* countsAfter(api.json({ url: "/users" }), ["10 seconds"])
      assert.isTrue(Either.isRight(result))
      assert.strictEqual(yield* Ref.get(seen), 2)
    }).pipe(Effect.provide(Mock.layer((_, n) => n === 1 ? Mock.json({}, 503) : Mock.json({ ok: true })))))
})

describe("retry logs and metrics", () => {
  it.effect("count the retries made, not the step that gives up: an exhausted 503 GET sent 7 times counts 6 retries", () =>
    Effect.gen(function*() {
      const api = yield* client({ name: "retry-count-test" })
      const retries = ApiClient.retriesTotal.pipe(
        Metric.tagged("api", "retry-count-test"),
        Metric.tagged("method", "GET"),
        Metric.tagged("path", "/users"),
        Metric.tagged("reason", "503")
      )
      const { counts, result } = yield* countsAfter(api.request({ url: "/users" }), ["10 minutes"])
      assert.deepStrictEqual(counts, [1, 7])
      assert.isTrue(Either.isRight(result) && result.right.status === 503)
      const state = yield* Metric.value(retries)
      assert.strictEqual(state.count, 6)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({}, 503)))))
})
