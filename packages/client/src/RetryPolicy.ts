/**
 * Which failures are retried, how often, and how long to wait.
 *
 * - 429 is retried for every method (PagerDuty did not act on the request).
 * - 5xx and network errors are retried for idempotent methods (GET, HEAD, PUT, DELETE,
 *   OPTIONS) and for POST/PATCH only when `retryNonIdempotent` is set (the Events API sets
 *   it: its `dedup_key` makes retries safe).
 * - A 2xx whose body is unreadable JSON (truncated, garbled) is retried, within the network
 *   budget, for idempotent methods and for calls that set `retryUnreadableBody` (Events);
 *   any other method fails at once with `ServerHttpError` `InvalidJson` saying the request
 *   may have been applied.
 * - 401 is not retried unless `statusBudgets[401]` is set; an `Auth` with `onUnauthorized`
 *   (an OAuth token source) refreshes and re-sends once first. Every verb, raw ones
 *   included, then fails with `HttpError` 401.
 * - Each status has its own budget, all statuses share `maxHttpRetries`, network errors and
 *   unreadable bodies share `maxNetworkRetries`, and no retry starts if its wait would end
 *   past `deadline` (counted from the first attempt).
 *
 * The wait before a retry:
 * - 429 (or any response with `ratelimit-remaining: 0`): `ratelimit-reset` seconds; else, on
 *   429, `Retry-After` (seconds or an HTTP date); capped at `maxHeaderDelay` (default 60 s).
 * - 503: `Retry-After`, capped at 30 s.
 * - the first retry after a network error or an unreadable body: immediately (a dropped
 *   connection costs one round trip, not a backoff);
 * - everything else: the next delay of `backoff`. The default is python-pagerduty's
 *   `sleep_timer` 1.5 s × `sleep_timer_base` 2 to the n-th power from n = 1: **3 s, 6 s,
 *   12 s, 24 s, then 30 s** (the cap) for every later retry, each multiplied by a jitter
 *   factor drawn from [0.8, 1.2) before the cap (so 2.4-3.6 s, 4.8-7.2 s, 9.6-14.4 s,
 *   19.2-28.8 s, then 24-30 s). One backoff sequence is shared by every retry of a call.
 *
 * Exhaustion: when the default (unlimited) 429 budget ends through `maxHttpRetries` (an
 * endless 429 is sent exactly 11 times by default) or the deadline, every verb fails with
 * `HttpError` 429. When a finite per-status budget (5xx by default, or one you configure,
 * 429 included) runs out, the raw verbs (`request`, `RestApi.get`...) return the last
 * response, as python-pagerduty does, and the JSON and entity verbs fail with it.
 *
 * Unlike the Python client, nothing retries forever: 429s have a budget and a deadline.
 *
 * @since 0.1.0
 */
import { Context, Duration, Layer, Option, Schedule } from "effect"

/**
 * A retry policy.
 *
 * @example
 * ```ts
 * import { RetryPolicy } from "@effect-pagerduty/client"
 *
 * const policy: RetryPolicy.RetryPolicy = RetryPolicy.make({ maxHttpRetries: 3 })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryPolicy {
  /** Delays between attempts when the response gives no rate-limit hint. */
  readonly backoff: Schedule.Schedule<unknown, unknown>
  /** Retries allowed per HTTP status; statuses not listed (and 401) are never retried. */
  readonly statusBudgets: Readonly<Record<number, number>>
  /** Retries across all statuses of one call (Python's `max_http_attempts`, default 10). */
  readonly maxHttpRetries: number
  /** Retries after network errors (Python's `max_network_attempts`, default 3). */
  readonly maxNetworkRetries: number
  /** Retry 5xx and network errors for POST and PATCH too (default `false`). */
  readonly retryNonIdempotent: boolean
  /** No retry starts once this much time has passed since the first attempt (default 5 minutes). */
  readonly deadline: Duration.Duration
  /** Wait as long as `ratelimit-reset` / `Retry-After` say (default `true`). */
  readonly honourRateLimitHeaders: boolean
  /** Longest wait a 429's `ratelimit-reset` / `Retry-After` may ask for (default 60 s; a 503's `Retry-After` is capped at 30 s). */
  readonly maxHeaderDelay?: Duration.Duration | undefined
}

/**
 * An exponential backoff: the n-th retry waits `base` × `factor`^n (n = 1, 2, ...), jittered
 * by ×[0.8, 1.2) unless `jitter: false`, then capped at `cap`. The defaults (`base` 1.5 s,
 * `factor` 2, `cap` 30 s) are python-pagerduty's `sleep_timer` and `sleep_timer_base`: 3 s,
 * 6 s, 12 s, 24 s, 30 s, 30 s, ... before jitter.
 *
 * @example
 * ```ts
 * import { Schedule } from "effect"
 * import { RetryPolicy } from "@effect-pagerduty/client"
 *
 * const slower = RetryPolicy.make({ backoff: RetryPolicy.exponentialBackoff({ base: "3 seconds", cap: "1 minute" }) })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const exponentialBackoff = (options?: {
  readonly base?: Duration.DurationInput | undefined
  readonly factor?: number | undefined
  readonly cap?: Duration.DurationInput | undefined
  readonly jitter?: boolean | undefined
}): Schedule.Schedule<Duration.Duration> => {
  const cap = Duration.decode(options?.cap ?? "30 seconds")
  const factor = options?.factor ?? 2
  // `Schedule.exponential(b, f)` waits b × f^n from n = 0; Python multiplies before the first sleep.
  const base = Schedule.exponential(Duration.times(Duration.decode(options?.base ?? "1.5 seconds"), factor), factor)
  const jittered = options?.jitter === false ? base : Schedule.jittered(base)
  return Schedule.modifyDelay(jittered, (d) => Duration.min(d, cap))
}

/**
 * Default per-status retry budgets: 429 up to `maxHttpRetries`, 500 ×2, 502 ×4, 503 ×6,
 * 504 ×6 (the Python Events client's table).
 *
 * @example
 * ```ts
 * import { RetryPolicy } from "@effect-pagerduty/client"
 *
 * RetryPolicy.defaultStatusBudgets[503] // 6
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultStatusBudgets: Readonly<Record<number, number>> = {
  429: Number.POSITIVE_INFINITY,
  500: 2,
  502: 4,
  503: 6,
  504: 6
}

/**
 * The default policy (see the module description).
 *
 * @example
 * ```ts
 * import { RetryPolicy } from "@effect-pagerduty/client"
 *
 * RetryPolicy.defaults.maxHttpRetries // 10
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults: RetryPolicy = {
  backoff: exponentialBackoff(),
  statusBudgets: defaultStatusBudgets,
  maxHttpRetries: 10,
  maxNetworkRetries: 3,
  retryNonIdempotent: false,
  deadline: Duration.minutes(5),
  honourRateLimitHeaders: true,
  maxHeaderDelay: Duration.minutes(1)
}

/**
 * Options of {@link make}: any field of {@link RetryPolicy}, with durations as `DurationInput`.
 *
 * @example
 * ```ts
 * import type { RetryPolicy } from "@effect-pagerduty/client"
 *
 * const options: RetryPolicy.Options = { deadline: "1 minute", retryNonIdempotent: true }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly backoff?: Schedule.Schedule<unknown, unknown> | undefined
  readonly statusBudgets?: Readonly<Record<number, number>> | undefined
  readonly maxHttpRetries?: number | undefined
  readonly maxNetworkRetries?: number | undefined
  readonly retryNonIdempotent?: boolean | undefined
  readonly deadline?: Duration.DurationInput | undefined
  readonly honourRateLimitHeaders?: boolean | undefined
  readonly maxHeaderDelay?: Duration.DurationInput | undefined
}

/**
 * A policy from the defaults and the given overrides (`statusBudgets` are merged).
 *
 * @example
 * ```ts
 * import { RetryPolicy } from "@effect-pagerduty/client"
 *
 * const policy = RetryPolicy.make({ statusBudgets: { 500: 0 }, deadline: "30 seconds" })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}, base: RetryPolicy = defaults): RetryPolicy => ({
  backoff: options.backoff ?? base.backoff,
  statusBudgets: options.statusBudgets === undefined ? base.statusBudgets : { ...base.statusBudgets, ...options.statusBudgets },
  maxHttpRetries: options.maxHttpRetries ?? base.maxHttpRetries,
  maxNetworkRetries: options.maxNetworkRetries ?? base.maxNetworkRetries,
  retryNonIdempotent: options.retryNonIdempotent ?? base.retryNonIdempotent,
  deadline: options.deadline === undefined ? base.deadline : Duration.decode(options.deadline),
  honourRateLimitHeaders: options.honourRateLimitHeaders ?? base.honourRateLimitHeaders,
  maxHeaderDelay: options.maxHeaderDelay === undefined ? base.maxHeaderDelay : Duration.decode(options.maxHeaderDelay)
})

/**
 * Is `u` a whole {@link RetryPolicy} (as opposed to {@link Options} to merge over one)?
 *
 * @example
 * ```ts
 * import { RetryPolicy } from "@effect-pagerduty/client"
 *
 * RetryPolicy.isRetryPolicy(RetryPolicy.defaults) // true
 * RetryPolicy.isRetryPolicy({ deadline: "1 minute" }) // false
 * ```
 *
 * @since 0.1.0
 * @category predicates
 */
export const isRetryPolicy = (u: RetryPolicy | Options): u is RetryPolicy =>
  "backoff" in u && "deadline" in u && Duration.isDuration(u.deadline)

/**
 * The policy a client option names: a whole policy as given, overrides merged over `base`,
 * or `base` when there is none.
 *
 * @example
 * ```ts
 * import { RetryPolicy } from "@effect-pagerduty/client"
 *
 * RetryPolicy.resolve({ maxHttpRetries: 2 }, RetryPolicy.events).retryNonIdempotent // true
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const resolve = (retry: RetryPolicy | Options | undefined, base: RetryPolicy): RetryPolicy =>
  retry === undefined ? base : isRetryPolicy(retry) ? retry : make(retry, base)

/**
 * A policy that never retries.
 *
 * @example
 * ```ts
 * import { RetryPolicy } from "@effect-pagerduty/client"
 *
 * RetryPolicy.none.maxHttpRetries // 0
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const none: RetryPolicy = make({ maxHttpRetries: 0, maxNetworkRetries: 0, statusBudgets: {} })

/**
 * The policy for the Events API: PagerDuty asks senders to retry 429, 5xx and network
 * errors with backoff, and the `dedup_key` the client assigns makes POST retries safe.
 *
 * @example
 * ```ts
 * import { RetryPolicy } from "@effect-pagerduty/client"
 *
 * RetryPolicy.events.retryNonIdempotent // true
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const events: RetryPolicy = make({ retryNonIdempotent: true })

/**
 * A service holding the retry policy that API clients use when their own options name none,
 * so one layer can set it for every client of a program.
 *
 * @example
 * ```ts
 * import { RetryPolicy } from "@effect-pagerduty/client"
 *
 * const PatientRetries = RetryPolicy.layer({ deadline: "15 minutes" })
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class CurrentRetryPolicy extends Context.Tag("@effect-pagerduty/client/RetryPolicy")<
  CurrentRetryPolicy,
  RetryPolicy
>() {}

/**
 * Provide a retry policy to every API client built below this layer.
 *
 * @example
 * ```ts
 * import { RetryPolicy } from "@effect-pagerduty/client"
 *
 * const NoRetries = RetryPolicy.layer({ maxHttpRetries: 0, maxNetworkRetries: 0 })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<CurrentRetryPolicy> =>
  Layer.succeed(CurrentRetryPolicy, make(options))

const idempotent = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"])

/**
 * Is the method idempotent (safe to repeat after a lost response)?
 *
 * @example
 * ```ts
 * import { RetryPolicy } from "@effect-pagerduty/client"
 *
 * RetryPolicy.isIdempotent("POST") // false
 * ```
 *
 * @since 0.1.0
 * @category predicates
 */
export const isIdempotent = (method: string): boolean => idempotent.has(method.toUpperCase())

/**
 * How many retries `policy` allows for `status` on `method` (0 = not retried). 2xx and 3xx
 * are never retried; 401 only when `statusBudgets[401]` is set.
 *
 * @example
 * ```ts
 * import { RetryPolicy } from "@effect-pagerduty/client"
 *
 * RetryPolicy.statusBudget(RetryPolicy.defaults, "POST", 503) // 0
 * RetryPolicy.statusBudget(RetryPolicy.defaults, "GET", 503) // 6
 * ```
 *
 * @since 0.1.0
 * @category predicates
 */
export const statusBudget = (policy: RetryPolicy, method: string, status: number): number => {
  if (status >= 200 && status < 400) return 0
  const budget = policy.statusBudgets[status] ?? 0
  // 429 and 401: PagerDuty did not act on the request, so any method may be re-sent.
  if (status === 429 || status === 401) return budget
  return isIdempotent(method) || policy.retryNonIdempotent ? budget : 0
}

/**
 * May a network error on `method` be retried under `policy`?
 *
 * @example
 * ```ts
 * import { RetryPolicy } from "@effect-pagerduty/client"
 *
 * RetryPolicy.retriesNetworkErrors(RetryPolicy.events, "POST") // true
 * ```
 *
 * @since 0.1.0
 * @category predicates
 */
export const retriesNetworkErrors = (policy: RetryPolicy, method: string): boolean =>
  policy.maxNetworkRetries > 0 && (isIdempotent(method) || policy.retryNonIdempotent)

/**
 * The wait a response asks for: `ratelimit-reset` (seconds) first, then `Retry-After`
 * (seconds, or an HTTP date compared with `nowMillis`). Header names are lower case.
 *
 * @example
 * ```ts
 * import { RetryPolicy } from "@effect-pagerduty/client"
 *
 * RetryPolicy.headerDelay({ "ratelimit-reset": "3" }, 0) // Option.some(Duration.seconds(3))
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const headerDelay = (
  headers: Readonly<Record<string, string>>,
  nowMillis: number
): Option.Option<Duration.Duration> => {
  const reset = headers["ratelimit-reset"]
  if (reset !== undefined) {
    const seconds = Number(reset.trim())
    if (Number.isFinite(seconds) && seconds >= 0) return Option.some(Duration.seconds(seconds))
  }
  const retryAfter = headers["retry-after"]
  if (retryAfter !== undefined) {
    const trimmed = retryAfter.trim()
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Option.some(Duration.seconds(Number(trimmed)))
    const date = Date.parse(trimmed)
    if (Number.isFinite(date)) return Option.some(Duration.millis(Math.max(0, date - nowMillis)))
  }
  return Option.none()
}

const maxRetryAfter503 = Duration.seconds(30)
const defaultMaxHeaderDelay = Duration.minutes(1)

/**
 * The wait a retried response asks for, by the rules of the module description: for a 429
 * (or a response with `ratelimit-remaining: 0`) `ratelimit-reset`, else on 429 `Retry-After`,
 * capped at `maxHeaderDelay`; for a 503 `Retry-After` capped at 30 s; nothing for any other
 * status (it waits the backoff), nor when `honourRateLimitHeaders` is `false`.
 *
 * @example
 * ```ts
 * import { RetryPolicy } from "@effect-pagerduty/client"
 *
 * RetryPolicy.retryDelay(RetryPolicy.defaults, 503, { "ratelimit-reset": "40" }, 0) // Option.none(): 503 waits the backoff
 * RetryPolicy.retryDelay(RetryPolicy.defaults, 429, { "ratelimit-reset": "3" }, 0) // Option.some(3 seconds)
 * ```
 *
 * @since 0.2.0
 * @category utils
 */
export const retryDelay = (
  policy: RetryPolicy,
  status: number,
  headers: Readonly<Record<string, string>>,
  nowMillis: number
): Option.Option<Duration.Duration> => {
  if (!policy.honourRateLimitHeaders) return Option.none()
  const cap = policy.maxHeaderDelay ?? defaultMaxHeaderDelay
  const exhausted = Number((headers["ratelimit-remaining"] ?? "").trim() || Number.NaN) === 0
  if (status === 429 || exhausted) {
    const reset = headerDelay({ ...(headers["ratelimit-reset"] === undefined ? {} : { "ratelimit-reset": headers["ratelimit-reset"] }) }, nowMillis)
    if (Option.isSome(reset)) return Option.some(Duration.min(reset.value, cap))
  }
  if (status === 429 || status === 503) {
    const after = headers["retry-after"]
    const retryAfter = after === undefined ? Option.none() : headerDelay({ "retry-after": after }, nowMillis)
    if (Option.isSome(retryAfter)) {
      return Option.some(Duration.min(retryAfter.value, status === 429 ? cap : Duration.min(cap, maxRetryAfter503)))
    }
  }
  return Option.none()
}
