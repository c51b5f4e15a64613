/**
 * Proactive rate limiting: keep every request of one API key under PagerDuty's budget
 * (960 requests per minute per key) *before* PagerDuty has to answer 429.
 *
 * `Throttle` is `HttpClient` middleware, so it needs no change to the clients: provide
 * {@link layer} under the API clients (or pass {@link transform} as their
 * `transformClient`) and every request made through that `HttpClient` (REST calls,
 * pagination with `concurrency`, batches of events, user programs) draws from one budget
 * per key, across all fibers.
 *
 * - **Keyed by credential.** The budget key is a SHA-256 fingerprint of the `Authorization`
 *   header (the raw value is never stored or logged); requests without one (Events API,
 *   whose routing key is in the body) are keyed by host, or by a caller-supplied `key`.
 * - **Spread, not burst-and-fail.** Requests take a token from `@effect/experimental`'s
 *   `RateLimiter` (token bucket by default, or fixed window) and wait their turn; waiting
 *   callers are served in arrival order, so every fiber gets turns.
 * - **Learns from responses.** `ratelimit-limit` lowers the budget when PagerDuty reports a
 *   smaller one (the new budget starts from the reported `ratelimit-remaining`); when
 *   `ratelimit-remaining` reaches 0, or a 429 arrives, every request of that key pauses
 *   until `ratelimit-reset` (else `Retry-After`) has passed.
 * - **One store, many processes.** The budget lives in a `RateLimiterStore`: in memory by
 *   default, or in Redis with `ThrottleRedis` so several processes share one budget.
 *
 * Throttle waits happen inside the `HttpClient` call, so they count towards the client's
 * per-attempt timeout (60 s by default): keep queues of concurrent requests shorter than a
 * minute of budget.
 *
 * @since 0.1.0
 */
import * as RateLimiter from "@effect/experimental/RateLimiter"
// individual modules, not the `@effect/platform` index (see ApiClient.ts)
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Clock, Config, type ConfigError, Context, Data, Duration, Effect, Either, Layer, Option } from "effect"
import { rateLimitInfo } from "./internal/errorBody.js"
import { budgetKey } from "./internal/throttleKey.js"
import * as RetryPolicy from "./RetryPolicy.js"

/**
 * Options of the throttle.
 *
 * @example
 * ```ts
 * import type * as Throttle from "@effect-pagerduty/client/Throttle"
 *
 * const options: Throttle.Options = { limit: 960, window: "1 minute", algorithm: "token-bucket" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Requests allowed per `window` and key (default 960, PagerDuty's REST budget). */
  readonly limit?: number | undefined
  /** The window of `limit` (default one minute). */
  readonly window?: Duration.DurationInput | undefined
  /**
   * `"token-bucket"` (default): a full bucket allows a burst of `limit`, then one request
   * every `window / limit`. `"fixed-window"`: `limit` requests per window, later ones wait
   * for the next window.
   */
  readonly algorithm?: "token-bucket" | "fixed-window" | undefined
  /**
   * The budget key of a request, when the default (the credential, else the host) is not
   * right: e.g. one key per Events routing key. Return `undefined` to use the default.
   * The value is hashed before use, so it may be a secret.
   */
  readonly key?: ((request: HttpClientRequest.HttpClientRequest) => string | undefined) | undefined
  /** Learn the limit and pauses from `ratelimit-*` headers and 429s (default `true`). */
  readonly learnFromHeaders?: boolean | undefined
  /** Prefix of budget keys in the store, to separate applications sharing one store (default `"pagerduty:"`). */
  readonly keyPrefix?: string | undefined
  /**
   * What to do when the store fails (e.g. Redis is down): `"allow"` (default) sends the
   * request unthrottled and logs a warning, `"fail"` fails the request with a transport
   * `RequestError`.
   */
  readonly onStoreError?: "allow" | "fail" | undefined
}

/**
 * The defaults: PagerDuty's documented REST budget, 960 requests per minute per key, as a
 * token bucket.
 *
 * @example
 * ```ts
 * import * as Throttle from "@effect-pagerduty/client/Throttle"
 *
 * Throttle.defaults.limit // 960
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults = {
  limit: 960,
  window: Duration.minutes(1),
  algorithm: "token-bucket" as const,
  keyPrefix: "pagerduty:"
} as const

/**
 * Invalid throttle options (a limit that is not a positive integer, a window that is not
 * positive); nothing is sent.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as Throttle from "@effect-pagerduty/client/Throttle"
 *
 * const program = Throttle.make({ limit: 0 }).pipe(
 *   Effect.catchTag("ThrottleOptionsError", (e) => Effect.logError(e.message))
 * )
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class ThrottleOptionsError extends Data.TaggedError("ThrottleOptionsError")<{
  readonly option: string
  readonly detail: string
}> {
  override get message(): string {
    return `invalid throttle option ${this.option}: ${this.detail}`
  }
}

/**
 * What the throttle knows about one budget key.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as Throttle from "@effect-pagerduty/client/Throttle"
 *
 * const report = Effect.flatMap(Throttle.ThrottleService, (t) => t.status).pipe(
 *   Effect.map((keys) => keys.map((k: Throttle.KeyStatus) => `${k.key}: ${k.requests} requests, ${k.pauses} pauses`))
 * )
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface KeyStatus {
  /** The budget key: `cred:<fingerprint>`, `host:<host>` or `custom:<fingerprint>`. Never a secret. */
  readonly key: string
  /** The budget in force: the configured limit, lowered by a smaller `ratelimit-limit`. */
  readonly limit: number
  /** The last `ratelimit-limit` PagerDuty reported, if any. */
  readonly reportedLimit: number | undefined
  /** The last `ratelimit-remaining` PagerDuty reported, if any. */
  readonly reportedRemaining: number | undefined
  /** Clock time (epoch ms) until which requests of this key are paused (in the past when not paused). */
  readonly pausedUntil: number
  /** Requests that went through the throttle. */
  readonly requests: number
  /** Pauses started by `ratelimit-remaining: 0` or a 429. */
  readonly pauses: number
  /** 429 responses seen. */
  readonly rateLimited: number
  /** Total time requests waited in the throttle, in milliseconds. */
  readonly waitedMs: number
}

/**
 * A throttle: its middleware and what it knows about each key.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { HttpClient } from "@effect/platform"
 * import * as Throttle from "@effect-pagerduty/client/Throttle"
 *
 * const throttled = Effect.gen(function*() {
 *   const throttle = yield* Throttle.ThrottleService
 *   return throttle.transform(yield* HttpClient.HttpClient)
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Throttle {
  /** Wrap a client: every request waits for its key's budget. Clients wrapped by one throttle share budgets. */
  readonly transform: (client: HttpClient.HttpClient) => HttpClient.HttpClient
  /** A snapshot of every key seen so far. */
  readonly status: Effect.Effect<ReadonlyArray<KeyStatus>>
}

/**
 * The throttle provided by {@link layer}, for introspection.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as Throttle from "@effect-pagerduty/client/Throttle"
 *
 * const pausedKeys = Effect.flatMap(Throttle.ThrottleService, (t) => t.status).pipe(
 *   Effect.map((keys) => keys.filter((k) => k.pauses > 0).length)
 * )
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class ThrottleService extends Context.Tag("@effect-pagerduty/client/Throttle")<ThrottleService, Throttle>() {}

interface Resolved {
  readonly limit: number
  readonly window: Duration.Duration
  readonly algorithm: "token-bucket" | "fixed-window"
  readonly key: Options["key"]
  readonly learn: boolean
  readonly keyPrefix: string
  readonly onStoreError: "allow" | "fail"
}

const resolve = (options: Options | undefined): Either.Either<Resolved, ThrottleOptionsError> => {
  const limit = options?.limit ?? defaults.limit
  if (!Number.isSafeInteger(limit) || limit < 1) {
    return Either.left(new ThrottleOptionsError({ option: "limit", detail: `expected a positive integer, got ${limit}` }))
  }
  let window: Duration.Duration
  try {
    window = options?.window === undefined ? defaults.window : Duration.decode(options.window)
  } catch {
    return Either.left(new ThrottleOptionsError({ option: "window", detail: "not a duration" }))
  }
  const windowMs = Duration.toMillis(window)
  if (!Number.isFinite(windowMs) || windowMs <= 0) {
    return Either.left(new ThrottleOptionsError({ option: "window", detail: "expected a positive, finite duration" }))
  }
  const algorithm = options?.algorithm ?? defaults.algorithm
  if (algorithm !== "token-bucket" && algorithm !== "fixed-window") {
    return Either.left(new ThrottleOptionsError({ option: "algorithm", detail: `expected "token-bucket" or "fixed-window"` }))
  }
  return Either.right({
    limit,
    window,
    algorithm,
    key: options?.key,
    learn: options?.learnFromHeaders ?? true,
    keyPrefix: options?.keyPrefix ?? defaults.keyPrefix,
    onStoreError: options?.onStoreError ?? "allow"
  })
}

interface KeyState {
  reportedLimit: number | undefined
  reportedRemaining: number | undefined
  pausedUntil: number
  requests: number
  pauses: number
  rateLimited: number
  waitedMs: number
}

const headerRecord = (response: HttpClientResponse.HttpClientResponse): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(response.headers)) out[name.toLowerCase()] = value
  return out
}

const build = (limiter: RateLimiter.RateLimiter, config: Resolved): Throttle => {
  const keys = new Map<string, KeyState>()
  const windowMs = Duration.toMillis(config.window)

  const stateOf = (key: string): KeyState => {
    let state = keys.get(key)
    if (state === undefined) {
      state = { reportedLimit: undefined, reportedRemaining: undefined, pausedUntil: 0, requests: 0, pauses: 0, rateLimited: 0, waitedMs: 0 }
      keys.set(key, state)
    }
    return state
  }

  const limitOf = (state: KeyState): number =>
    state.reportedLimit !== undefined && state.reportedLimit < config.limit ? state.reportedLimit : config.limit

  // The limit and window are part of the store key: a learned limit starts a new budget
  // (stores keep a bucket's size from its first use), and processes configured differently
  // never corrupt each other's buckets.
  const storeKey = (key: string, limit: number) => `${config.keyPrefix}${key}:${limit}/${windowMs}ms:${config.algorithm}`

  /** Sleep until the key's pause (which may be extended meanwhile) is over. */
  const awaitPause = (state: KeyState): Effect.Effect<void> =>
    Effect.flatMap(Clock.currentTimeMillis, (now) =>
      state.pausedUntil > now
        ? Effect.zipRight(Effect.sleep(Duration.millis(state.pausedUntil - now)), Effect.suspend(() => awaitPause(state)))
        : Effect.void)

  const storeFailed = (request: HttpClientRequest.HttpClientRequest, error: RateLimiter.RateLimiterError) =>
    config.onStoreError === "fail"
      ? Effect.fail(
        new HttpClientError.RequestError({
          request,
          reason: "Transport",
          cause: error,
          description: "rate limiter store unavailable"
        })
      )
      : Effect.logWarning("PagerDuty throttle: rate limiter store unavailable; sending unthrottled").pipe(
        Effect.annotateLogs({ error: error.message })
      )

  /** Take a token (waiting for it); store failures follow `onStoreError`. */
  const acquire = (request: HttpClientRequest.HttpClientRequest, key: string, state: KeyState) =>
    limiter.consume({
      algorithm: config.algorithm,
      onExceeded: "delay",
      window: config.window,
      limit: limitOf(state),
      key: storeKey(key, limitOf(state))
    }).pipe(
      Effect.matchEffect({
        onFailure: (error) => storeFailed(request, error),
        onSuccess: (result) => Duration.isZero(result.delay) ? Effect.void : Effect.sleep(result.delay)
      })
    )

  /** Start a new (smaller) budget at what PagerDuty says is left of it. */
  const seed = (key: string, limit: number, remaining: number | undefined) => {
    const used = remaining === undefined ? 0 : Math.min(limit, Math.max(0, limit - Math.floor(remaining)))
    if (used === 0) return Effect.void
    return limiter.consume({
      algorithm: config.algorithm,
      onExceeded: "delay",
      window: config.window,
      limit,
      key: storeKey(key, limit),
      tokens: used
    }).pipe(Effect.ignore)
  }

  /**
   * Token bucket only: when PagerDuty reports fewer requests left than the bucket holds (the
   * key is also used elsewhere, or the server's window started earlier than ours), take the
   * difference from the bucket. Checked only when little is left, to spare the store.
   */
  const align = (key: string, limit: number, remaining: number) => {
    if (config.algorithm !== "token-bucket" || remaining > Math.max(1, Math.floor(limit / 10))) return Effect.void
    const consume = (tokens: number) =>
      limiter.consume({ algorithm: config.algorithm, onExceeded: "delay", window: config.window, limit, key: storeKey(key, limit), tokens })
    return consume(0).pipe(
      Effect.flatMap((bucket) => {
        const excess = Math.min(limit, Math.floor(bucket.remaining) - Math.floor(remaining))
        return excess > 0 ? consume(excess) : Effect.void
      }),
      Effect.ignore
    )
  }

  const learn = (key: string, state: KeyState, response: HttpClientResponse.HttpClientResponse) =>
    Effect.gen(function*() {
      const headers = headerRecord(response)
      const info = rateLimitInfo(headers)
      const before = limitOf(state)
      if (info?.limit !== undefined && Number.isSafeInteger(info.limit) && info.limit > 0) state.reportedLimit = info.limit
      if (info?.remaining !== undefined) state.reportedRemaining = info.remaining
      const after = limitOf(state)
      if (after !== before) {
        yield* Effect.logDebug(`PagerDuty throttle: budget of ${key} is ${after} per ${Duration.format(config.window)}`)
        yield* seed(key, after, info?.remaining)
      } else if (info?.remaining !== undefined && response.status !== 429) {
        yield* align(key, after, info.remaining)
      }
      const limited = response.status === 429
      if (limited) state.rateLimited++
      if (!limited && (info?.remaining === undefined || info.remaining > 0)) return
      const now = yield* Clock.currentTimeMillis
      // ratelimit-reset, else Retry-After; a 429 without either waits one window / limit, at least a second.
      const delay = Option.getOrElse(
        RetryPolicy.headerDelay(headers, now),
        () => Duration.millis(Math.max(limited ? 1000 : 0, windowMs / after))
      )
      const until = now + Duration.toMillis(delay)
      if (until > state.pausedUntil) {
        if (state.pausedUntil <= now) state.pauses++
        state.pausedUntil = until
        yield* Effect.logDebug(
          `PagerDuty throttle: ${limited ? "429" : "budget exhausted"} for ${key}; pausing for ${Duration.format(delay)}`
        )
      }
    })

  const transform = (client: HttpClient.HttpClient): HttpClient.HttpClient =>
    HttpClient.transform(client, (send, request) =>
      Effect.gen(function*() {
        const key = budgetKey(request, config.key)
        const state = stateOf(key)
        state.requests++
        const start = yield* Clock.currentTimeMillis
        yield* awaitPause(state)
        yield* acquire(request, key, state)
        // A pause may have started while this request waited for its token.
        yield* awaitPause(state)
        state.waitedMs += (yield* Clock.currentTimeMillis) - start
        const response = yield* send
        if (config.learn) yield* learn(key, state, response)
        return response
      }))

  const status = Effect.sync((): ReadonlyArray<KeyStatus> =>
    [...keys.entries()].map(([key, s]) => ({
      key,
      limit: limitOf(s),
      reportedLimit: s.reportedLimit,
      reportedRemaining: s.reportedRemaining,
      pausedUntil: s.pausedUntil,
      requests: s.requests,
      pauses: s.pauses,
      rateLimited: s.rateLimited,
      waitedMs: s.waitedMs
    }))
  )

  return { transform, status }
}

/**
 * Build a throttle on the `RateLimiterStore` in context (`RateLimiter.layerStoreMemory` from
 * `@effect/experimental` for one process, `ThrottleRedis` for a fleet).
 *
 * @example
 * ```ts
 * import { RateLimiter } from "@effect/experimental"
 * import { Effect } from "effect"
 * import * as Throttle from "@effect-pagerduty/client/Throttle"
 *
 * const throttle = Throttle.make({ limit: 600 }).pipe(Effect.provide(RateLimiter.layerStoreMemory))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options?: Options): Effect.Effect<Throttle, ThrottleOptionsError, RateLimiter.RateLimiterStore> =>
  Effect.flatMap(
    Either.match(resolve(options), { onLeft: Effect.fail, onRight: Effect.succeed }),
    (config) => Effect.map(RateLimiter.make, (limiter) => build(limiter, config))
  )

const layerFrom = <E, R>(
  throttle: Effect.Effect<Throttle, E, R>
): Layer.Layer<HttpClient.HttpClient | ThrottleService, E, HttpClient.HttpClient | R> =>
  Layer.effectContext(
    Effect.gen(function*() {
      const t = yield* throttle
      const client = yield* HttpClient.HttpClient
      return Context.make(ThrottleService, t).pipe(Context.add(HttpClient.HttpClient, t.transform(client)))
    })
  )

/**
 * A throttled `HttpClient` over the `HttpClient` in context, with an in-memory budget per
 * key: provide it under the API clients and every request of the process shares it.
 *
 * @example
 * ```ts
 * import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
 * import { Layer, Redacted } from "effect"
 * import { ApiClient, Auth } from "@effect-pagerduty/client"
 * import * as Throttle from "@effect-pagerduty/client/Throttle"
 *
 * const Live = ApiClient.layer({
 *   name: "rest",
 *   baseUrl: "https://api.pagerduty.com",
 *   auth: Auth.token(Redacted.make("u+key")),
 *   permittedMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"]
 * }).pipe(Layer.provide(Throttle.layer({ limit: 960, window: "1 minute" })), Layer.provide(NodeHttpClient.layerUndici))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options?: Options
): Layer.Layer<HttpClient.HttpClient | ThrottleService, ThrottleOptionsError, HttpClient.HttpClient> =>
  layerFrom(make(options)).pipe(Layer.provide(RateLimiter.layerStoreMemory))

/**
 * Like {@link layer}, with the `RateLimiterStore` taken from context (e.g. a Redis store, to
 * share budgets between processes; `ThrottleRedis.layer` does this for you).
 *
 * @example
 * ```ts
 * import { RateLimiter } from "@effect/experimental"
 * import { Layer } from "effect"
 * import * as Throttle from "@effect-pagerduty/client/Throttle"
 *
 * const Throttled = Throttle.layerStore({ limit: 960 }).pipe(Layer.provide(RateLimiter.layerStoreMemory))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerStore = (
  options?: Options
): Layer.Layer<HttpClient.HttpClient | ThrottleService, ThrottleOptionsError, HttpClient.HttpClient | RateLimiter.RateLimiterStore> =>
  layerFrom(make(options))

/**
 * Throttle options read from configuration: `PAGERDUTY_RATE_LIMIT` (default 960),
 * `PAGERDUTY_RATE_LIMIT_WINDOW` (a duration such as `1 minute`, default one minute) and
 * `PAGERDUTY_RATE_LIMIT_ALGORITHM` (`token-bucket` or `fixed-window`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as Throttle from "@effect-pagerduty/client/Throttle"
 *
 * const options = Effect.runSync(Throttle.config) // { limit: 960, window: ..., algorithm: "token-bucket" }
 * ```
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<Options> = Config.all({
  limit: Config.integer("PAGERDUTY_RATE_LIMIT").pipe(Config.withDefault(defaults.limit)),
  window: Config.duration("PAGERDUTY_RATE_LIMIT_WINDOW").pipe(Config.withDefault(defaults.window)),
  algorithm: Config.literal("token-bucket", "fixed-window")("PAGERDUTY_RATE_LIMIT_ALGORITHM").pipe(
    Config.withDefault(defaults.algorithm)
  )
})

/**
 * {@link layer} with options from {@link config}; `overrides` (e.g. a custom `key`) win.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 * import * as Throttle from "@effect-pagerduty/client/Throttle"
 *
 * const Throttled = Throttle.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  overrides?: Options
): Layer.Layer<HttpClient.HttpClient | ThrottleService, ThrottleOptionsError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.unwrapEffect(Effect.map(config, (options) => layer({ ...options, ...overrides })))

/**
 * A `transformClient` for `ApiClient.make` and the API clients, with its own in-memory
 * budgets. Call it once and pass the same function to every client that should share the
 * budget (each call starts new budgets). Throws `ThrottleOptionsError` on invalid options.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { ApiClient, Auth } from "@effect-pagerduty/client"
 * import * as Throttle from "@effect-pagerduty/client/Throttle"
 *
 * const throttle = Throttle.transform({ limit: 960 })
 * const rest = ApiClient.make({
 *   name: "rest",
 *   baseUrl: "https://api.pagerduty.com",
 *   auth: Auth.token(Redacted.make("u+key")),
 *   permittedMethods: ["GET"],
 *   transformClient: throttle
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const transform = (options?: Options): (client: HttpClient.HttpClient) => HttpClient.HttpClient => {
  const config = Either.getOrThrowWith(resolve(options), (error) => error)
  const limiter = Effect.runSync(Effect.provide(RateLimiter.make, RateLimiter.layerStoreMemory))
  return build(limiter, config).transform
}
