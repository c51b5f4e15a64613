/**
 * Which failures are retried, how often, and how long to wait.
 *
 * - 429 is retried for every method (PagerDuty did not act on the request).
 * - 5xx and network errors are retried for idempotent methods (GET, HEAD, PUT, DELETE) and
 *   for POST/PATCH only when `retryNonIdempotent` is set (the Events API sets it: its
 *   `dedup_key` makes retries safe).
 * - 401 is never retried (an `Auth` with `onUnauthorized`, such as an OAuth token source,
 *   refreshes and re-sends once instead).
 * - Each status has its own budget, all statuses share `maxHttpRetries`, network errors have
 *   `maxNetworkRetries`, and nothing is retried past `deadline`.
 * - The wait is `ratelimit-reset` seconds when the response has it, else `Retry-After`
 *   (seconds or an HTTP date), else the next delay of the `backoff` schedule
 *   (exponential from 1.5 s, ×2, jittered, capped at 30 s by default).
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
}

/**
 * The default backoff: exponential from 1.5 s with factor 2 (Python's `sleep_timer` and
 * `sleep_timer_base`), each delay jittered by ×[0.8, 1.2) and capped at 30 s.
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
  const base = Schedule.exponential(options?.base ?? "1.5 seconds", options?.factor ?? 2)
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
  honourRateLimitHeaders: true
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
  honourRateLimitHeaders: options.honourRateLimitHeaders ?? base.honourRateLimitHeaders
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
 * How many retries `policy` allows for `status` on `method` (0 = not retried).
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
  if (status === 401 || (status >= 200 && status < 400)) return 0
  const budget = policy.statusBudgets[status] ?? 0
  if (status === 429) return budget
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
