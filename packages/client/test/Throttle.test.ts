import { RateLimiter } from "@effect/experimental"
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Duration, Effect, Exit, Fiber, Layer, Logger, LogLevel, Redacted, TestClock } from "effect"
import * as NodeCrypto from "node:crypto"
import { ApiClient, Auth, RetryPolicy } from "../src/index.js"
import * as Throttle from "../src/Throttle.js"
import { budgetKey, sha256Hex } from "../src/internal/throttleKey.js"
import * as Mock from "./utils/mock.js"

const KEY_A = "u+SECRET_A_abcdef123456"
const KEY_B = "u+SECRET_B_zyxwvu987654"
const auth = (key: string) => ({ authorization: `Token token=${key}` })

/** A PagerDuty-like fixed window: `limit` requests per window per credential, then 429s. */
const fixedWindowServer = (limit: number, windowMs: number) => {
  const windows = new Map<string, { start: number; count: number }>()
  return (request: Mock.Recorded) =>
    Effect.map(TestClock.currentTimeMillis, (now) => {
      const credential = request.headers["authorization"] ?? "none"
      let w = windows.get(credential)
      if (w === undefined || now >= w.start + windowMs) {
        w = { start: now, count: 0 }
        windows.set(credential, w)
      }
      w.count++
      const reset = String(Math.ceil((w.start + windowMs - now) / 1000))
      if (w.count > limit) {
        return Mock.json({ error: { code: 2020, message: "Rate Limit Exceeded" } }, 429, {
          "ratelimit-limit": String(limit),
          "ratelimit-remaining": "0",
          "ratelimit-reset": reset
        })
      }
      return Mock.json({ ok: true }, 200, {
        "ratelimit-limit": String(limit),
        "ratelimit-remaining": String(limit - w.count),
        "ratelimit-reset": reset
      })
    })
}

const sent = Effect.map(Mock.recorded, (rs) => rs.length)
const sentWith = (key: string) => Effect.map(Mock.recorded, (rs) => rs.filter((r) => r.headers["authorization"]?.includes(key)).length)

const get = (key: string, path = "/users", extra: Record<string, string> = {}) =>
  Effect.flatMap(HttpClient.HttpClient, (client) =>
    client.execute(HttpClientRequest.get(`https://api.pagerduty.com${path}`, { headers: { ...auth(key), ...extra } })))

const statusOf = Effect.flatMap(Throttle.ThrottleService, (t) => t.status)

const throttled = (options: Throttle.Options, handler: Parameters<typeof Mock.layer>[0]) =>
  Layer.provideMerge(Throttle.layer(options), Mock.layer(handler))

describe("keys", () => {
  it("SHA-256 matches node:crypto", () => {
    for (const input of ["", "abc", "Token token=u+abc", "x".repeat(55), "y".repeat(56), "z".repeat(64), "é€😀".repeat(40)]) {
      assert.strictEqual(sha256Hex(input), NodeCrypto.createHash("sha256").update(input, "utf8").digest("hex"))
    }
  })

  it("a key is a fingerprint of the credential (never the credential), else the host, else a hashed custom key", () => {
    const withAuth = HttpClientRequest.get("https://api.pagerduty.com/users", { headers: auth(KEY_A) })
    const key = budgetKey(withAuth, undefined)
    assert.match(key, /^cred:[0-9a-f]{32}$/)
    assert.notInclude(key, KEY_A)
    assert.notStrictEqual(key, budgetKey(HttpClientRequest.get("https://api.pagerduty.com/users", { headers: auth(KEY_B) }), undefined))
    assert.strictEqual(budgetKey(HttpClientRequest.post("https://events.pagerduty.com/v2/enqueue"), undefined), "host:events.pagerduty.com")
    const custom = budgetKey(HttpClientRequest.post("https://events.pagerduty.com/v2/enqueue"), () => "R0UTINGKEY")
    assert.match(custom, /^custom:[0-9a-f]{32}$/)
    assert.notInclude(custom, "R0UTINGKEY")
  })
})

describe("in-process throttle", () => {
  it.effect("learns the budget from ratelimit-limit and spreads requests over the window", () =>
    Effect.gen(function*() {
      // The server reports a budget of 10 per minute and never runs out: the throttle must
      // still pace at 10 per minute (one every 6 s once the 10 are spent).
      const fiber = yield* Effect.fork(Effect.forEach(Array.from({ length: 14 }), () => get(KEY_A), { discard: true }))
      yield* TestClock.adjust("1 millis")
      // 1 request on the default budget of 960, then the learned budget of 10 (starting at the reported 9 left)
      assert.strictEqual(yield* sent, 10)
      const [status] = yield* statusOf
      assert.strictEqual(status.limit, 10)
      assert.strictEqual(status.reportedLimit, 10)
      yield* TestClock.adjust("5998 millis")
      assert.strictEqual(yield* sent, 10)
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* sent, 11)
      yield* TestClock.adjust("6 seconds")
      assert.strictEqual(yield* sent, 12)
      yield* TestClock.adjust("12 seconds")
      yield* Fiber.join(fiber)
      assert.strictEqual(yield* sent, 14)
    }).pipe(Effect.provide(throttled({}, (_, n) =>
      Mock.json({}, 200, { "ratelimit-limit": "10", "ratelimit-remaining": String(Math.max(1, 10 - n)), "ratelimit-reset": "60" })
    ))))

  it.effect("learns the remaining budget: when PagerDuty reports less left than the bucket holds, the bucket is drawn down", () =>
    Effect.gen(function*() {
      // Someone else uses the key: after our first request PagerDuty says only 1 is left.
      const fiber = yield* Effect.fork(Effect.forEach(Array.from({ length: 4 }), () => get(KEY_A), { discard: true }))
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* sent, 2) // not 4: the bucket (10) was drawn down to the reported 1
      yield* TestClock.adjust("998 millis")
      assert.strictEqual(yield* sent, 2)
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* sent, 3) // then one per second (10 per 10 s)
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(fiber)
      assert.strictEqual(yield* sent, 4)
    }).pipe(Effect.provide(throttled({ limit: 10, window: "10 seconds" }, () =>
      Mock.json({}, 200, { "ratelimit-limit": "10", "ratelimit-remaining": "1", "ratelimit-reset": "10" })
    ))))

  it.effect("pauses until ratelimit-reset when ratelimit-remaining hits 0: nothing is sent before the reset", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(Effect.forEach(Array.from({ length: 25 }), () => get(KEY_A), { discard: true }))
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* sent, 10)
      yield* TestClock.adjust("59998 millis")
      assert.strictEqual(yield* sent, 10)
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* sent, 20)
      yield* TestClock.adjust("59999 millis")
      assert.strictEqual(yield* sent, 20)
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(fiber)
      assert.strictEqual(yield* sent, 25)
      const statuses = (yield* Mock.recorded).length
      assert.strictEqual(statuses, 25)
      const [status] = yield* statusOf
      assert.strictEqual(status.rateLimited, 0)
      assert.strictEqual(status.pauses, 2)
    }).pipe(Effect.provide(throttled({}, fixedWindowServer(10, 60_000)))))

  it.effect("a 429 pauses every fiber of that key until ratelimit-reset, and no other key", () =>
    Effect.gen(function*() {
      const first = yield* get(KEY_A)
      assert.strictEqual(first.status, 429)
      const fibers = yield* Effect.forEach(Array.from({ length: 5 }), () => Effect.fork(get(KEY_A)))
      const other = yield* Effect.fork(get(KEY_B))
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* sentWith(KEY_A), 1)
      assert.strictEqual(yield* sentWith(KEY_B), 1)
      yield* Fiber.join(other)
      yield* TestClock.adjust("19998 millis")
      assert.strictEqual(yield* sentWith(KEY_A), 1)
      yield* TestClock.adjust("1 millis")
      yield* Fiber.joinAll(fibers)
      assert.strictEqual(yield* sentWith(KEY_A), 6)
      const a = (yield* statusOf).find((s) => s.rateLimited > 0)
      assert.isDefined(a)
      assert.strictEqual(a?.pauses, 1)
    }).pipe(Effect.provide(throttled({}, (r, n) =>
      n === 1 && r.headers["authorization"]?.includes(KEY_A)
        ? Mock.json({ error: { code: 2020 } }, 429, { "ratelimit-reset": "20" })
        : Mock.json({ ok: true })
    ))))

  it.effect("a 429 without headers pauses at least one second; Retry-After is honoured", () =>
    Effect.gen(function*() {
      yield* get(KEY_A)
      const next = yield* Effect.fork(get(KEY_A))
      yield* TestClock.adjust("999 millis")
      assert.strictEqual(yield* sent, 1)
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(next)
      assert.strictEqual(yield* sent, 2)
      // second answer: Retry-After 4
      const third = yield* Effect.fork(get(KEY_A))
      yield* TestClock.adjust("3999 millis")
      assert.strictEqual(yield* sent, 2)
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(third)
      assert.strictEqual(yield* sent, 3)
    }).pipe(Effect.provide(throttled({}, (_, n) =>
      n === 1 ? Mock.json({}, 429) : n === 2 ? Mock.json({}, 429, { "retry-after": "4" }) : Mock.json({ ok: true })
    ))))

  it.effect("fair across fibers: once the burst is spent, waiting fibers take turns in arrival order", () =>
    Effect.gen(function*() {
      const worker = (name: string) =>
        Effect.forEach(Array.from({ length: 5 }), () => get(KEY_A, "/users", { "x-fiber": name }), { discard: true })
      const fiber = yield* Effect.fork(Effect.all([worker("a"), worker("b"), worker("c")], { concurrency: "unbounded" }))
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* sent, 3) // the full bucket
      for (let second = 1; second <= 12; second++) {
        yield* TestClock.adjust("1 second")
        assert.strictEqual(yield* sent, 3 + second) // then exactly one per second
      }
      yield* Fiber.join(fiber)
      const order = (yield* Mock.recorded).map((r) => r.headers["x-fiber"])
      // The burst may go to whichever fiber runs first (here "a" takes all three tokens).
      // After it, turns are handed out in arrival order: between two turns of one fiber,
      // every other fiber that still has work gets a turn.
      assert.strictEqual(order.length, 15)
      for (let i = 3; i < order.length; i++) {
        const previous = order.lastIndexOf(order[i], i - 1)
        if (previous < 3) continue
        for (const other of ["a", "b", "c"]) {
          if (other === order[i]) continue
          const done = order.slice(0, previous + 1).filter((f) => f === other).length === 5
          if (done) continue
          assert.include(order.slice(previous + 1, i), other, `turns ${previous}..${i}: ${order.join("")}`)
        }
      }
      assert.deepStrictEqual(["a", "b", "c"].map((f) => order.filter((x) => x === f).length), [5, 5, 5])
    }).pipe(Effect.provide(throttled({ limit: 3, window: "3 seconds" }, () => Mock.json({ ok: true })))))

  it.effect("two keys do not share a budget", () =>
    Effect.gen(function*() {
      const a = yield* Effect.fork(Effect.forEach(Array.from({ length: 4 }), () => get(KEY_A), { discard: true }))
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* sentWith(KEY_A), 2)
      const b = yield* Effect.fork(Effect.forEach(Array.from({ length: 2 }), () => get(KEY_B), { discard: true }))
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* sentWith(KEY_B), 2)
      yield* Fiber.join(b)
      yield* TestClock.adjust("5 seconds")
      assert.strictEqual(yield* sentWith(KEY_A), 3)
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(a)
      assert.strictEqual(yield* sentWith(KEY_A), 4)
      assert.strictEqual((yield* statusOf).length, 2)
    }).pipe(Effect.provide(throttled({ limit: 2, window: "10 seconds" }, () => Mock.json({ ok: true })))))

  it.effect("fixed-window: limit per window, the rest wait for the next window", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(Effect.forEach(Array.from({ length: 7 }), () => get(KEY_A), { concurrency: "unbounded", discard: true }))
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* sent, 3)
      yield* TestClock.adjust("9998 millis")
      assert.strictEqual(yield* sent, 3)
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* sent, 6)
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(fiber)
      assert.strictEqual(yield* sent, 7)
    }).pipe(Effect.provide(throttled({ limit: 3, window: "10 seconds", algorithm: "fixed-window" }, () => Mock.json({ ok: true })))))

  it.effect("Events requests (no Authorization) share a budget per host, or per caller-supplied key", () =>
    Effect.gen(function*() {
      const post = (routingKey: string) =>
        Effect.flatMap(HttpClient.HttpClient, (client) =>
          client.execute(HttpClientRequest.post("https://events.pagerduty.com/v2/enqueue", { headers: { "x-routing": routingKey } })))
      const fiber = yield* Effect.fork(Effect.all([post("R1"), post("R1"), post("R2"), post("R2")], { concurrency: "unbounded" }))
      yield* TestClock.adjust("1 millis")
      // one budget of 1 per routing key: one event per key goes at once
      assert.strictEqual(yield* sent, 2)
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(fiber)
      assert.strictEqual(yield* sent, 4)
      const keys = (yield* statusOf).map((s) => s.key)
      assert.strictEqual(keys.length, 2)
      for (const key of keys) assert.match(key, /^custom:[0-9a-f]{32}$/)
    }).pipe(Effect.provide(throttled({ limit: 1, window: "10 seconds", key: (r) => r.headers["x-routing"] }, () => Mock.json({ status: "success" }, 202)))))

  it.effect("no secret in keys or debug logs", () =>
    Effect.gen(function*() {
      const logs: Array<string> = []
      const logger = Logger.make(({ annotations, message }) => logs.push(`${JSON.stringify(message)} ${JSON.stringify([...annotations])}`))
      yield* get(KEY_A).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)), Logger.withMinimumLogLevel(LogLevel.Debug))
      assert.isAbove(logs.length, 0)
      const everything = [...logs, ...(yield* statusOf).map((s) => JSON.stringify(s))].join("\n")
      assert.notInclude(everything, KEY_A)
      assert.notInclude(everything, "SECRET")
    }).pipe(Effect.provide(throttled({}, () => Mock.json({}, 429, { "ratelimit-limit": "5", "ratelimit-remaining": "0", "ratelimit-reset": "1" })))))
})

describe("with ApiClient", () => {
  const restOptions = (transformClient?: ApiClient.Options["transformClient"]): ApiClient.Options => ({
    name: "rest",
    baseUrl: "https://api.pagerduty.com",
    auth: Auth.token(Redacted.make(KEY_A)),
    permittedMethods: ["GET"],
    retry: RetryPolicy.make({ backoff: RetryPolicy.exponentialBackoff({ jitter: false }) }),
    ...(transformClient === undefined ? {} : { transformClient })
  })

  it.effect("as transformClient: clients given the same transform share one budget", () =>
    Effect.gen(function*() {
      const throttle = Throttle.transform({ limit: 2, window: "10 seconds" })
      const one = yield* ApiClient.make(restOptions(throttle))
      const two = yield* ApiClient.make(restOptions(throttle))
      const fiber = yield* Effect.fork(Effect.all([one.json({ url: "/users" }), two.json({ url: "/users" }), one.json({ url: "/teams" })], { concurrency: "unbounded" }))
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* sent, 2)
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(fiber)
      assert.strictEqual(yield* sent, 3)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({ ok: true })))))

  it.effect("as a layer under ApiClient: a 429 is retried once, after the reset, with no request in between", () =>
    Effect.gen(function*() {
      const api = yield* ApiClient.make(restOptions())
      const fibers = yield* Effect.forEach(Array.from({ length: 3 }), () => Effect.fork(api.json({ url: "/users" })))
      yield* TestClock.adjust("1 millis")
      const early = yield* sent
      yield* TestClock.adjust("2998 millis")
      assert.strictEqual(yield* sent, early)
      yield* TestClock.adjust("1 millis")
      yield* Fiber.joinAll(fibers)
      // exactly one 429: every later request waited for the reset
      const statuses = yield* Effect.map(statusOf, (s) => s[0].rateLimited)
      assert.strictEqual(statuses, 1)
    }).pipe(Effect.provide(throttled({}, (_, n) =>
      n === 1 ? Mock.json({ error: { code: 2020 } }, 429, { "ratelimit-reset": "3", "ratelimit-remaining": "0" }) : Mock.json({ ok: true })
    ))))
})

describe("options and stores", () => {
  it.effect("invalid options are a typed error; transform throws it", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Throttle.make({ limit: 0 }).pipe(Effect.provide(RateLimiter.layerStoreMemory)))
      assert.isTrue(Exit.isFailure(exit))
      const error = yield* Effect.flip(Throttle.make({ window: "0 millis" }).pipe(Effect.provide(RateLimiter.layerStoreMemory)))
      assert.strictEqual(error._tag, "ThrottleOptionsError")
      assert.strictEqual(error.option, "window")
      assert.throws(() => Throttle.transform({ limit: 1.5 }), /limit/)
    }))

  const failingStore = Layer.succeed(
    RateLimiter.RateLimiterStore,
    RateLimiter.RateLimiterStore.of({
      fixedWindow: () => Effect.fail(new RateLimiter.RateLimitStoreError({ message: "down" })),
      tokenBucket: () => Effect.fail(new RateLimiter.RateLimitStoreError({ message: "down" }))
    })
  )

  it.effect("a failing store sends unthrottled by default, or fails the request with onStoreError: fail", () =>
    Effect.gen(function*() {
      const allowed = yield* get(KEY_A).pipe(
        Effect.provide(Throttle.layerStore({}).pipe(Layer.provide(failingStore), Layer.provide(Mock.layer(() => Mock.json({ ok: true })))))
      )
      assert.strictEqual(allowed.status, 200)
      const error = yield* Effect.flip(get(KEY_A).pipe(
        Effect.provide(Throttle.layerStore({ onStoreError: "fail" }).pipe(Layer.provide(failingStore), Layer.provide(Mock.layer(() => Mock.json({ ok: true })))))
      ))
      assert.strictEqual(error._tag, "RequestError")
    }))

  it.effect("layerConfig reads PAGERDUTY_RATE_LIMIT and PAGERDUTY_RATE_LIMIT_WINDOW", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(Effect.forEach(Array.from({ length: 3 }), () => get(KEY_A), { discard: true }))
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* sent, 2)
      yield* TestClock.adjust(Duration.seconds(2))
      yield* Fiber.join(fiber)
      assert.strictEqual(yield* sent, 3)
    }).pipe(
      Effect.provide(Layer.provideMerge(Throttle.layerConfig(), Mock.layer(() => Mock.json({ ok: true })))),
      Effect.withConfigProvider(
        ConfigProvider.fromMap(new Map([["PAGERDUTY_RATE_LIMIT", "2"], ["PAGERDUTY_RATE_LIMIT_WINDOW", "4 seconds"]]))
      )
    ))
})
