/**
 * Call statistics and tracing conventions.
 *
 * Every `ApiClient` (so every PagerDuty client of this package) records Effect `Metric`s
 * (`pagerduty_requests_total`, `pagerduty_request_time_ms_total`, `pagerduty_request_duration`,
 * `pagerduty_retries_total`, tagged `api`, `method`, `path` (the canonical path template) and
 * `status`/`reason`) and wraps each call in a span `PagerDuty.<api>`; paginated listings add a
 * `PagerDuty.page` span per page. This module reads the metrics back as the Python client's
 * `api_call_counts` / `api_time` ({@link callStatistics}), and names the span attributes
 * ({@link SpanAttributes}). Export both with `@effect/opentelemetry` (see the README).
 *
 * Metrics live in Effect's process-wide registry: statistics are cumulative for the process,
 * across clients. Use {@link callStatisticsFor} to keep one API, or {@link measure} for the
 * calls made while one effect ran.
 *
 * @since 0.1.0
 */
import { Effect, Metric, MetricState } from "effect"

/**
 * Call statistics keyed by `"METHOD /canonical/path"` (e.g. `"GET /incidents/{id}"`).
 * Every attempt counts (a retried call counts once per response received).
 *
 * @example
 * ```ts
 * import type { Observability } from "@effect-pagerduty/client"
 *
 * const slowest = (stats: Observability.CallStatistics) =>
 *   Object.entries(stats.timeMs).sort(([, a], [, b]) => b - a)[0]
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface CallStatistics {
  /** Responses received per `"METHOD /path"` (Python: `api_call_counts`). */
  readonly counts: Readonly<Record<string, number>>
  /** Milliseconds spent waiting for those responses (Python: `api_time`, in seconds there). */
  readonly timeMs: Readonly<Record<string, number>>
  /** Responses per status, per `"METHOD /path"`: `{ "GET /users": { "200": 3, "429": 1 } }`. */
  readonly statuses: Readonly<Record<string, Readonly<Record<string, number>>>>
  /** Retries started per `"METHOD /path"` (after a 429, a 5xx or a network error). */
  readonly retries: Readonly<Record<string, number>>
  readonly totalCount: number
  readonly totalTimeMs: number
  readonly totalRetries: number
}

/**
 * The names of the metrics `ApiClient` records.
 *
 * @example
 * ```ts
 * import { Observability } from "@effect-pagerduty/client"
 *
 * Observability.MetricNames.requests // "pagerduty_requests_total"
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const MetricNames = {
  requests: "pagerduty_requests_total",
  timeMs: "pagerduty_request_time_ms_total",
  duration: "pagerduty_request_duration",
  retries: "pagerduty_retries_total"
} as const

/**
 * The attributes of the `PagerDuty.<api>` request spans. Header values are never recorded
 * and URLs appear only as templates, so no credential reaches a span.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Observability } from "@effect-pagerduty/client"
 *
 * const statusOf = Effect.map(Effect.currentSpan, (span) => span.attributes.get(Observability.SpanAttributes.status))
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const SpanAttributes = {
  /** `GET`, `POST`... */
  method: "http.request.method",
  /** The canonical path template, e.g. `/incidents/{id}/notes`. */
  template: "url.template",
  /** Host of the API's base URL. */
  serverAddress: "server.address",
  /** The final response's status. */
  status: "http.response.status_code",
  /** `x-request-id` of the final response (`""` when absent): quote it to PagerDuty support. */
  requestId: "pagerduty.request_id",
  /** Attempts after the first (retries and the one re-send after an OAuth refresh). */
  retryCount: "pagerduty.retry_count",
  /** The client's short name: `rest`, `events`, `oauth`, `slack`... */
  api: "pagerduty.api",
  /** On a `TransportError`: its reason (`Timeout`, `Transport`...). */
  errorType: "error.type"
} as const

interface Mutable {
  counts: Record<string, number>
  timeMs: Record<string, number>
  statuses: Record<string, Record<string, number>>
  retries: Record<string, number>
}

const empty = (): Mutable => ({ counts: {}, timeMs: {}, statuses: {}, retries: {} })

const add = (record: Record<string, number>, key: string, value: number) => {
  record[key] = (record[key] ?? 0) + value
}

const sum = (record: Readonly<Record<string, number>>): number => Object.values(record).reduce((a, b) => a + b, 0)

const finish = (m: Mutable): CallStatistics => ({
  counts: m.counts,
  timeMs: m.timeMs,
  statuses: m.statuses,
  retries: m.retries,
  totalCount: sum(m.counts),
  totalTimeMs: sum(m.timeMs),
  totalRetries: sum(m.retries)
})

const collect = (api: string | undefined): Effect.Effect<CallStatistics> =>
  Effect.map(Metric.snapshot, (pairs) => {
    const out = empty()
    for (const { metricKey, metricState } of pairs) {
      const name = metricKey.name
      if (name !== MetricNames.requests && name !== MetricNames.timeMs && name !== MetricNames.retries) continue
      if (!MetricState.isCounterState(metricState)) continue
      const tags: Record<string, string> = {}
      for (const label of metricKey.tags) tags[label.key] = label.value
      if (api !== undefined && tags.api !== api) continue
      const value = Number(metricState.count)
      if (value === 0) continue
      const key = `${tags.method ?? "?"} ${tags.path ?? "?"}`
      if (name === MetricNames.requests) {
        add(out.counts, key, value)
        add(out.statuses[key] ??= {}, tags.status ?? "?", value)
      } else if (name === MetricNames.timeMs) {
        add(out.timeMs, key, value)
      } else {
        add(out.retries, key, value)
      }
    }
    return finish(out)
  })

/**
 * Call statistics of every PagerDuty client in this process, read from `Metric.snapshot`.
 *
 * @example
 * ```ts
 * import { Console, Effect } from "effect"
 * import { Observability } from "@effect-pagerduty/client"
 *
 * const report = Effect.flatMap(Observability.callStatistics, (stats) =>
 *   Console.log(`${stats.totalCount} calls, ${stats.totalTimeMs} ms; GET /users: ${stats.counts["GET /users"] ?? 0}`))
 * ```
 *
 * @since 0.1.0
 * @category statistics
 */
export const callStatistics: Effect.Effect<CallStatistics> = Effect.suspend(() => collect(undefined))

/**
 * Call statistics of one API only (the `name` of its `ApiClient`: `rest`, `events`,
 * `oauth`, `slack`, `scim`...).
 *
 * @example
 * ```ts
 * import { Observability } from "@effect-pagerduty/client"
 *
 * const restOnly = Observability.callStatisticsFor("rest")
 * ```
 *
 * @since 0.1.0
 * @category statistics
 */
export const callStatisticsFor = (api: string): Effect.Effect<CallStatistics> => Effect.suspend(() => collect(api))

const subtract = (
  after: Readonly<Record<string, number>>,
  before: Readonly<Record<string, number>>
): Record<string, number> => {
  const out: Record<string, number> = {}
  for (const [key, value] of Object.entries(after)) {
    const delta = value - (before[key] ?? 0)
    if (delta !== 0) out[key] = delta
  }
  return out
}

/**
 * What happened between two readings (`after - before`); keys with no change are left out.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Observability } from "@effect-pagerduty/client"
 *
 * declare const work: Effect.Effect<void>
 * const delta = Effect.gen(function*() {
 *   const before = yield* Observability.callStatistics
 *   yield* work
 *   return Observability.difference(yield* Observability.callStatistics, before)
 * })
 * ```
 *
 * @since 0.1.0
 * @category statistics
 */
export const difference = (after: CallStatistics, before: CallStatistics): CallStatistics => {
  const statuses: Record<string, Record<string, number>> = {}
  for (const [key, byStatus] of Object.entries(after.statuses)) {
    const delta = subtract(byStatus, before.statuses[key] ?? {})
    if (Object.keys(delta).length > 0) statuses[key] = delta
  }
  return finish({
    counts: subtract(after.counts, before.counts),
    timeMs: subtract(after.timeMs, before.timeMs),
    statuses,
    retries: subtract(after.retries, before.retries)
  })
}

/**
 * Run an effect and return its result with the call statistics of the PagerDuty calls made
 * meanwhile (the difference of two readings, so calls made by other fibers at the same time
 * are included).
 *
 * @example
 * ```ts
 * import { Console, Effect } from "effect"
 * import { Observability, RestApi } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const pd = yield* RestApi.RestApiService
 *   const [users, stats] = yield* Observability.measure(pd.listAll("/users"))
 *   yield* Console.log(`${users.length} users in ${stats.totalCount} calls`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category statistics
 */
export const measure = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<[A, CallStatistics], E, R> =>
  Effect.gen(function*() {
    const before = yield* callStatistics
    const result = yield* self
    const after = yield* callStatistics
    return [result, difference(after, before)]
  })

/**
 * A plain-text table of statistics, one line per `"METHOD /path"`, busiest first.
 *
 * @example
 * ```ts
 * import { Console, Effect } from "effect"
 * import { Observability } from "@effect-pagerduty/client"
 *
 * const printStats = Effect.flatMap(Observability.callStatistics, (stats) => Console.log(Observability.format(stats)))
 * ```
 *
 * @since 0.1.0
 * @category statistics
 */
export const format = (stats: CallStatistics): string => {
  const keys = Object.keys(stats.counts).sort((a, b) => (stats.counts[b] ?? 0) - (stats.counts[a] ?? 0) || a.localeCompare(b))
  const rows = keys.map((key) => [
    key,
    String(stats.counts[key] ?? 0),
    String(Math.round(stats.timeMs[key] ?? 0)),
    String(stats.retries[key] ?? 0),
    Object.entries(stats.statuses[key] ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([s, n]) => `${s}×${n}`).join(" ")
  ])
  const header = ["call", "count", "time ms", "retries", "statuses"]
  const total = ["total", String(stats.totalCount), String(Math.round(stats.totalTimeMs)), String(stats.totalRetries), ""]
  const all = [header, ...rows, total]
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]!.length)))
  const line = (row: ReadonlyArray<string>) =>
    row.map((cell, i) => (i === 0 || i === 4 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ").trimEnd()
  return all.map(line).join("\n")
}
