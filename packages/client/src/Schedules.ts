/**
 * Schedules and on-call: rendered schedule entries over any date range (split into the
 * three-month windows the API allows and stitched back together exactly), who is on call
 * now or over a period (`/oncalls`), overrides, schedule users, and hours on call.
 *
 * The semantics are those of PagerDuty's schedule entries API: `since` and `until` are
 * mandatory, entries crossing the window's edges are truncated to it unless `overflow` is
 * set, and bad input (`until` not after `since`, an invalid date or time zone, a malformed
 * id) is refused before anything is sent, as a typed {@link ScheduleQueryError}.
 *
 * Built on the {@link RestApi.RestApiService} in context.
 *
 * @since 0.1.0
 */
import { Chunk, Context, Data, Duration, Effect, Layer, Option, type ParseResult, Schema, Stream } from "effect"
import * as ApiClient from "./ApiClient.js"
import * as Internal from "./internal/schedules.js"
import type { PagerDutyError } from "./PagerDutyError.js"
import type { ServerHttpError } from "./PagerDutyError.js"
import * as RestApi from "./RestApi.js"
import { isRecord } from "./internal/record.js"

/**
 * An instant: a `Date`, epoch milliseconds, or an ISO-8601 string (`2026-01-05T09:00:00Z`,
 * `2026-01-05T10:00:00+01:00`, or a date such as `2026-01-05`, read as midnight UTC).
 *
 * @example
 * ```ts
 * import type { Schedules } from "@effect-pagerduty/client"
 *
 * const since: Schedules.Instant = "2026-01-01T00:00:00Z"
 * const until: Schedules.Instant = new Date("2026-04-01T00:00:00Z")
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Instant = Internal.Instant

/**
 * The user of a rendered entry (a user reference: `id`, `summary`, `self`, ...).
 *
 * @example
 * ```ts
 * import type { Schedules } from "@effect-pagerduty/client"
 *
 * const user: Schedules.EntryUser = { id: "PU00000", summary: "Ada Lovelace", type: "user_reference" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface EntryUser {
  readonly id: string
  readonly summary?: string | undefined
  readonly [key: string]: unknown
}

/**
 * One rendered schedule entry: a user on call from `start` to `end` (ISO-8601 in the
 * rendering time zone). Unknown fields the API adds are kept.
 *
 * @example
 * ```ts
 * import type { Schedules } from "@effect-pagerduty/client"
 *
 * const entry: Schedules.Entry = {
 *   start: "2026-01-05T09:00:00Z",
 *   end: "2026-01-12T09:00:00Z",
 *   user: { id: "PU00000", summary: "Ada Lovelace" }
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Entry {
  readonly start: string
  readonly end: string
  readonly user: EntryUser
  readonly [key: string]: unknown
}

/**
 * One row of `GET /oncalls`: a user on call for an escalation policy at a level, through a
 * schedule (or directly: `schedule`, `start` and `end` are `null`). Unknown fields are kept.
 *
 * @example
 * ```ts
 * import type { Schedules } from "@effect-pagerduty/client"
 *
 * const levelOne = (o: Schedules.OnCall) => o.escalation_level === 1
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface OnCall {
  readonly escalation_policy: { readonly id: string; readonly summary?: string | undefined; readonly [key: string]: unknown }
  readonly escalation_level: number
  readonly schedule: { readonly id: string; readonly summary?: string | undefined; readonly [key: string]: unknown } | null
  readonly user: EntryUser
  readonly start: string | null
  readonly end: string | null
  readonly [key: string]: unknown
}

/**
 * A schedule override as the API returns it (`id`, `start`, `end`, `user`, ...).
 *
 * @example
 * ```ts
 * import type { Schedules } from "@effect-pagerduty/client"
 *
 * const who = (o: Schedules.Override) => o.user?.id
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Override {
  readonly id?: string | undefined
  readonly start?: string | undefined
  readonly end?: string | undefined
  readonly user?: EntryUser | undefined
  readonly [key: string]: unknown
}

/**
 * Why a query was refused before anything was sent (or, for `UnknownLayer`, after the schedule
 * came back without the requested layer).
 *
 * @example
 * ```ts
 * import type { Schedules } from "@effect-pagerduty/client"
 *
 * const reason: Schedules.ScheduleQueryReason = "InvalidRange"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export type ScheduleQueryReason =
  | "MissingArgument"
  | "InvalidDate"
  | "InvalidRange"
  | "InvalidTimeZone"
  | "InvalidId"
  | "InvalidOption"
  | "UnknownLayer"

/**
 * A schedule or on-call query with bad arguments, mirroring the schedule entries API's error
 * codes (2003 missing arguments, 2004 invalid `since`/`until`, 2005 invalid date range, 2001
 * invalid input). Nothing was sent.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { Schedules } from "@effect-pagerduty/client"
 *
 * const program = Effect.flatMap(Schedules.Schedules, (s) =>
 *   s.renderedEntries("PC00000", { since: "2026-02-01", until: "2026-01-01" }).pipe(
 *     Stream.runCollect,
 *     Effect.catchTag("ScheduleQueryError", (e) => Effect.succeed(e.reason)) // "InvalidRange"
 *   ))
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class ScheduleQueryError extends Data.TaggedError("ScheduleQueryError")<{
  readonly method: string
  readonly reason: ScheduleQueryReason
  readonly detail: string
}> {
  override get message(): string {
    return `${this.method}: ${this.reason} (${this.detail})`
  }
}

/**
 * The API answered a create-override request but rejected an override (its per-override
 * `status` is not 2xx); `errors` are PagerDuty's reasons.
 *
 * @example
 * ```ts
 * import { Schedules } from "@effect-pagerduty/client"
 *
 * const e = new Schedules.OverrideRejectedError({ status: 400, errors: ["user not found"], override: {} })
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class OverrideRejectedError extends Data.TaggedError("OverrideRejectedError")<{
  readonly status: number
  readonly errors: ReadonlyArray<string>
  readonly override: unknown
}> {
  override get message(): string {
    return `override rejected with status ${this.status}${this.errors.length === 0 ? "" : `: ${this.errors.join("; ")}`}`
  }
}

/**
 * Options of {@link Schedules.renderedEntries}.
 *
 * @example
 * ```ts
 * import type { Schedules } from "@effect-pagerduty/client"
 *
 * const options: Schedules.RenderOptions = {
 *   since: "2025-10-01T00:00:00Z",
 *   until: "2026-01-01T00:00:00Z", // 92 days: two requests, stitched
 *   overflow: false,
 *   timeZone: "Europe/Paris",
 *   userIds: ["PU00000"]
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RenderOptions<A = Entry, I = unknown> {
  /** Start of the window (mandatory). */
  readonly since: Instant
  /** End of the window (mandatory, after `since`). */
  readonly until: Instant
  /** Keep the first and last entries whole instead of truncating them to the window (default false). */
  readonly overflow?: boolean | undefined
  /** Time zone the entries are rendered in (default: the schedule's). */
  readonly timeZone?: string | undefined
  /** Only entries of these users. */
  readonly userIds?: ReadonlyArray<string> | undefined
  /** The final schedule (default), the overrides sub-schedule, or the layer at this index of `schedule_layers`. */
  readonly layer?: "final" | "overrides" | number | undefined
  /** Longest window asked for in one request (default {@link maxWindow}, 90 days). */
  readonly maxWindow?: Duration.DurationInput | undefined
  /** Decode each stitched entry (e.g. with a generated schema); a mismatch is a `ServerHttpError` (`SchemaMismatch`). */
  readonly schema?: Schema.Schema<A, I, never> | undefined
}

/**
 * Filters of `GET /oncalls`.
 *
 * @example
 * ```ts
 * import type { Schedules } from "@effect-pagerduty/client"
 *
 * const filters: Schedules.OnCallFilters = { escalationPolicyIds: ["PE00000"], timeZone: "UTC" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface OnCallFilters<A = OnCall, I = unknown> {
  readonly escalationPolicyIds?: ReadonlyArray<string> | undefined
  readonly scheduleIds?: ReadonlyArray<string> | undefined
  readonly userIds?: ReadonlyArray<string> | undefined
  /** Time zone of `start`/`end` (default: the account's). */
  readonly timeZone?: string | undefined
  /** Page size (1-100, default 100). */
  readonly pageSize?: number | undefined
  /** Decode each on-call; a mismatch is a `ServerHttpError` (`SchemaMismatch`). */
  readonly schema?: Schema.Schema<A, I, never> | undefined
}

/**
 * Options of {@link Schedules.onCallNow}: the filters, and optionally the instant to ask
 * about (default: the server's current time).
 *
 * @example
 * ```ts
 * import type { Schedules } from "@effect-pagerduty/client"
 *
 * const options: Schedules.OnCallNowOptions = { scheduleIds: ["PC00000"], at: "2026-01-07T12:00:00Z" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface OnCallNowOptions<A = OnCall, I = unknown> extends OnCallFilters<A, I> {
  readonly at?: Instant | undefined
}

/**
 * Options of {@link Schedules.onCallsBetween}.
 *
 * @example
 * ```ts
 * import type { Schedules } from "@effect-pagerduty/client"
 *
 * const options: Schedules.OnCallsBetweenOptions = {
 *   since: "2026-01-01T00:00:00Z",
 *   until: "2026-02-01T00:00:00Z",
 *   userIds: ["PU00001"],
 *   earliest: true
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface OnCallsBetweenOptions<A = OnCall, I = unknown> extends OnCallFilters<A, I> {
  readonly since: Instant
  /** At or after `since` (equal: who is on call at that instant). */
  readonly until: Instant
  /** Only the earliest on-call of each escalation policy, level and user. */
  readonly earliest?: boolean | undefined
  /** Longer ranges are split into windows this long, with duplicates removed (default 90 days). */
  readonly maxWindow?: Duration.DurationInput | undefined
}

/**
 * An override to create.
 *
 * @example
 * ```ts
 * import type { Schedules } from "@effect-pagerduty/client"
 *
 * const input: Schedules.OverrideInput = { start: "2026-01-10T09:00:00Z", end: "2026-01-10T17:00:00Z", userId: "PU00003" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface OverrideInput {
  readonly start: Instant
  readonly end: Instant
  readonly userId: string
  readonly timeZone?: string | undefined
}

/**
 * One result of {@link Schedules.createOverrides}: the per-override status PagerDuty
 * answers (`201` created, `400` rejected with `errors`).
 *
 * @example
 * ```ts
 * import type { Schedules } from "@effect-pagerduty/client"
 *
 * const created = (r: Schedules.OverrideResult) => r.status === 201
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface OverrideResult {
  readonly status: number
  readonly override: Override
  readonly errors: ReadonlyArray<string>
}

/**
 * Hours on call of one user, from {@link hoursOnCall}.
 *
 * @example
 * ```ts
 * import type { Schedules } from "@effect-pagerduty/client"
 *
 * const line = (h: Schedules.UserHours) => `${h.user.summary}: ${h.hours.toFixed(1)} h`
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface UserHours {
  readonly user: EntryUser
  readonly hours: number
  readonly entries: number
}

/**
 * The schedules and on-call service.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { Schedules } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const schedules = yield* Schedules.Schedules
 *   const entries = yield* schedules.renderedEntries("PC00000", { since: "2025-10-01", until: "2026-01-01" }).pipe(Stream.runCollect)
 *   const now = yield* schedules.onCallNow({ escalationPolicyIds: ["PE00000"] }).pipe(Stream.runCollect)
 *   return { entries, now }
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface SchedulesService {
  /**
   * Rendered entries of a schedule over `[since, until)`, in order, however long the range:
   * windows longer than `maxWindow` are requested in consecutive chunks with `overflow=true`
   * and stitched so every shift appears once, whole; the caller's `overflow` applies at the
   * outer edges only.
   */
  readonly renderedEntries: {
    <A, I>(scheduleId: string, options: RenderOptions<A, I> & { readonly schema: Schema.Schema<A, I, never> }): Stream.Stream<
      A,
      PagerDutyError | ScheduleQueryError
    >
    (scheduleId: string, options: RenderOptions): Stream.Stream<Entry, PagerDutyError | ScheduleQueryError>
  }
  /** Who is on call now (or `at`), from `GET /oncalls`, all pages. */
  readonly onCallNow: {
    <A, I>(options: OnCallNowOptions<A, I> & { readonly schema: Schema.Schema<A, I, never> }): Stream.Stream<A, RestApi.StreamError | ScheduleQueryError>
    (options?: OnCallNowOptions): Stream.Stream<OnCall, RestApi.StreamError | ScheduleQueryError>
  }
  /** On-calls overlapping `[since, until]`, from `GET /oncalls`, all pages (long ranges in windows, de-duplicated). */
  readonly onCallsBetween: {
    <A, I>(options: OnCallsBetweenOptions<A, I> & { readonly schema: Schema.Schema<A, I, never> }): Stream.Stream<
      A,
      RestApi.StreamError | ScheduleQueryError
    >
    (options: OnCallsBetweenOptions): Stream.Stream<OnCall, RestApi.StreamError | ScheduleQueryError>
  }
  /** Overrides of a schedule in `[since, until)` (`GET /schedules/{id}/overrides`). */
  readonly listOverrides: (
    scheduleId: string,
    options: { readonly since: Instant; readonly until: Instant; readonly timeZone?: string | undefined; readonly editable?: boolean | undefined }
  ) => Effect.Effect<ReadonlyArray<Override>, PagerDutyError | ScheduleQueryError>
  /** Create one override; a rejected override is an {@link OverrideRejectedError}. */
  readonly createOverride: (
    scheduleId: string,
    override: OverrideInput
  ) => Effect.Effect<Override, PagerDutyError | ScheduleQueryError | OverrideRejectedError>
  /** Create several overrides in one request (`{"overrides":[...]}`); one result per override, in order. */
  readonly createOverrides: (
    scheduleId: string,
    overrides: ReadonlyArray<OverrideInput>
  ) => Effect.Effect<ReadonlyArray<OverrideResult>, PagerDutyError | ScheduleQueryError>
  /** Delete an override. */
  readonly deleteOverride: (scheduleId: string, overrideId: string) => Effect.Effect<void, PagerDutyError | ScheduleQueryError>
  /** Users on call on the schedule in `[since, until)` (`GET /schedules/{id}/users`); without a window, every layer user. */
  readonly scheduleUsers: (
    scheduleId: string,
    options?: { readonly since?: Instant | undefined; readonly until?: Instant | undefined }
  ) => Effect.Effect<ReadonlyArray<Readonly<Record<string, unknown>>>, PagerDutyError | ScheduleQueryError>
}

/**
 * The tag of the schedules service.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { Schedules } from "@effect-pagerduty/client"
 *
 * const who = Effect.flatMap(Schedules.Schedules, (s) => Stream.runCollect(s.onCallNow()))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class Schedules extends Context.Tag("@effect-pagerduty/client/Schedules")<Schedules, SchedulesService>() {}

/**
 * The longest window one schedule request covers by default: 90 days. The API allows at most
 * three months per query; longer ranges are split into consecutive windows of this length (a
 * calendar quarter of 91 or 92 days takes two requests).
 *
 * @example
 * ```ts
 * import { Duration } from "effect"
 * import { Schedules } from "@effect-pagerduty/client"
 *
 * Duration.toDays(Schedules.maxWindow) // 90
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const maxWindow: Duration.Duration = Duration.days(90)

const fail = (method: string, reason: ScheduleQueryReason, detail: string) => Effect.fail(new ScheduleQueryError({ method, reason, detail }))

const checkId = (method: string, name: string, id: unknown): Effect.Effect<string, ScheduleQueryError> =>
  Internal.isValidId(id)
    ? Effect.succeed(id)
    : fail(method, "InvalidId", `${name} must be a non-empty alphanumeric PagerDuty id, got ${JSON.stringify(id)}`)

const checkIds = (method: string, name: string, ids: ReadonlyArray<string> | undefined): Effect.Effect<ReadonlyArray<string> | undefined, ScheduleQueryError> =>
  ids === undefined ? Effect.succeed(undefined) : Effect.forEach(ids, (id) => checkId(method, name, id))

const checkInstant = (method: string, name: string, value: Instant | undefined): Effect.Effect<number, ScheduleQueryError> => {
  if (value === undefined || value === null) return fail(method, "MissingArgument", `${name} is required`)
  const ms = Internal.parseInstant(value)
  return ms === undefined ? fail(method, "InvalidDate", `${name} is not a valid ISO-8601 date: ${JSON.stringify(String(value))}`) : Effect.succeed(ms)
}

/** `since` and `until`, parsed, with `until` after `since` (or equal when `allowEqual`). */
const checkRange = (method: string, since: Instant | undefined, until: Instant | undefined, allowEqual = false) =>
  Effect.gen(function*() {
    const s = yield* checkInstant(method, "since", since)
    const u = yield* checkInstant(method, "until", until)
    if (u < s || (u === s && !allowEqual)) {
      return yield* fail(method, "InvalidRange", `until (${new Date(u).toISOString()}) must be ${allowEqual ? "at or " : ""}after since (${new Date(s).toISOString()})`)
    }
    return { since: s, until: u }
  })

const checkTimeZone = (method: string, timeZone: string | undefined): Effect.Effect<string | undefined, ScheduleQueryError> =>
  timeZone === undefined || Internal.isValidTimeZone(timeZone)
    ? Effect.succeed(timeZone)
    : fail(method, "InvalidTimeZone", `${JSON.stringify(timeZone)} is not a valid IANA time zone`)

const checkWindow = (method: string, input: Duration.DurationInput | undefined): Effect.Effect<number, ScheduleQueryError> => {
  if (input === undefined) return Effect.succeed(Duration.toMillis(maxWindow))
  const d = Duration.decodeUnknown(input)
  const ms = Option.isSome(d) ? Duration.toMillis(d.value) : Number.NaN
  return Number.isFinite(ms) && ms >= 1000
    ? Effect.succeed(ms)
    : fail(method, "InvalidOption", "maxWindow must be a finite duration of at least one second")
}

const iso = (ms: number) => new Date(ms).toISOString()

const decodeWith = <A, I>(schema: Schema.Schema<A, I, never>, value: unknown, response: ApiClient.ApiResponse): Effect.Effect<A, ServerHttpError> =>
  Schema.decodeUnknown(schema)(value).pipe(
    Effect.mapError((error: ParseResult.ParseError) =>
      ApiClient.unexpectedBody(response, "SchemaMismatch", error.message.split("\n").slice(0, 6).join(" "), error)
    )
  )

/**
 * Sums hours on call per user over entries (e.g. from {@link Schedules.renderedEntries} with
 * the default `overflow: false`, so entries are already cut to the window), most hours first
 * (ties by user id). Entries of several schedules add up.
 *
 * @example
 * ```ts
 * import { Schedules } from "@effect-pagerduty/client"
 *
 * Schedules.hoursOnCall([
 *   { start: "2026-01-05T09:00:00Z", end: "2026-01-06T09:00:00Z", user: { id: "PU1", summary: "Ada" } },
 *   { start: "2026-01-06T09:00:00Z", end: "2026-01-06T21:00:00Z", user: { id: "PU2", summary: "Grace" } }
 * ]) // [{ user: { id: "PU1", ... }, hours: 24, entries: 1 }, { user: { id: "PU2", ... }, hours: 12, entries: 1 }]
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const hoursOnCall = (entries: Iterable<Entry>): ReadonlyArray<UserHours> => {
  const acc = new Map<string, { user: EntryUser; ms: number; entries: number }>()
  for (const e of entries) {
    const start = Internal.parseInstant(e.start)
    const end = Internal.parseInstant(e.end)
    if (start === undefined || end === undefined || end <= start) continue
    const cur = acc.get(e.user.id)
    if (cur === undefined) acc.set(e.user.id, { user: e.user, ms: end - start, entries: 1 })
    else {
      cur.ms += end - start
      cur.entries++
    }
  }
  return [...acc.values()]
    .map((v) => ({ user: v.user, hours: v.ms / 3_600_000, entries: v.entries }))
    .sort((a, b) => b.hours - a.hours || (a.user.id < b.user.id ? -1 : a.user.id > b.user.id ? 1 : 0))
}

// ---------------------------------------------------------------------------------------
// The service's parts: module functions over the REST client
// ---------------------------------------------------------------------------------------


const getSchedule = (pd: RestApi.RestApi, method: string, scheduleId: string, params: ApiClient.Query) =>
  Effect.flatMap(
    pd.client.requestOk({ method: "GET", url: `/schedules/${encodeURIComponent(scheduleId)}`, params }),
    (response) => Effect.map(pd.wrapping.unwrap(response, "schedule"), (schedule) => ({ response, schedule }))
  ).pipe(Effect.withSpan("PagerDuty.Schedules.chunk", { attributes: { method, scheduleId, since: String(params["since"]), until: String(params["until"]) } }))

const entriesOf = (
  response: ApiClient.ApiResponse,
  schedule: unknown,
  layer: "final" | "overrides" | number
): Effect.Effect<ReadonlyArray<unknown>, ServerHttpError | ScheduleQueryError> => {
  if (!isRecord(schedule)) return Effect.fail(ApiClient.unexpectedBody(response, "UnexpectedBody", "expected a schedule object"))
  let sub: unknown
  let where: string
  if (layer === "final") {
    sub = schedule["final_schedule"]
    where = "final_schedule"
  } else if (layer === "overrides") {
    sub = schedule["overrides_subschedule"]
    where = "overrides_subschedule"
  } else {
    const layers = schedule["schedule_layers"]
    if (!Array.isArray(layers)) return Effect.fail(ApiClient.unexpectedBody(response, "UnexpectedBody", "expected schedule_layers"))
    if (layer >= layers.length) {
      return fail("renderedEntries", "UnknownLayer", `the schedule has ${layers.length} layer(s); layer ${layer} does not exist`)
    }
    sub = layers[layer]
    where = `schedule_layers[${layer}]`
  }
  const entries = isRecord(sub) ? sub["rendered_schedule_entries"] : undefined
  return Array.isArray(entries)
    ? Effect.succeed(entries)
    : Effect.fail(ApiClient.unexpectedBody(response, "UnexpectedBody", `expected ${where}.rendered_schedule_entries to be an array`))
}

const renderedEntries = (pd: RestApi.RestApi) => ((scheduleId: string, options: RenderOptions<unknown, unknown>) =>
  Stream.unwrap(
    Effect.gen(function*() {
      const method = "renderedEntries"
      const id = yield* checkId(method, "scheduleId", scheduleId)
      if (!isRecord(options)) return yield* fail(method, "MissingArgument", "since and until are required")
      const { since, until } = yield* checkRange(method, options.since, options.until)
      const timeZone = yield* checkTimeZone(method, options.timeZone)
      const userIds = yield* checkIds(method, "userIds", options.userIds)
      const maxMs = yield* checkWindow(method, options.maxWindow)
      const layer = options.layer ?? "final"
      if (layer !== "final" && layer !== "overrides" && !(Number.isInteger(layer) && layer >= 0)) {
        return yield* fail(method, "InvalidOption", `layer must be "final", "overrides" or a layer index, got ${JSON.stringify(layer)}`)
      }
      const overflow = options.overflow === true
      const users = userIds === undefined ? undefined : new Set(userIds)
      const stitcher = new Internal.Stitcher<ApiClient.ApiResponse>()
      let zone = timeZone ?? "UTC"

      const chunk = ([from, to]: readonly [number, number]) =>
        Effect.gen(function*() {
          const params: Record<string, string> = { since: iso(from), until: iso(to), overflow: "true" }
          if (timeZone !== undefined) params["time_zone"] = timeZone
          const { response, schedule } = yield* getSchedule(pd, method, id, params)
          if (timeZone === undefined && isRecord(schedule) && typeof schedule["time_zone"] === "string" && Internal.isValidTimeZone(schedule["time_zone"])) {
            zone = schedule["time_zone"]
          }
          const raw = yield* entriesOf(response, schedule, layer)
          const pieces: Array<Internal.Piece<ApiClient.ApiResponse>> = []
          for (const entry of raw) {
            const piece = Internal.toPiece(entry, response)
            if (piece === undefined) {
              return yield* ApiClient.unexpectedBody(response, "UnexpectedBody", `a rendered entry lacks a valid start, end or user.id: ${JSON.stringify(entry).slice(0, 200)}`)
            }
            pieces.push(piece)
          }
          return stitcher.push(from, to, pieces)
        })

      const finish = (piece: Internal.Piece<ApiClient.ApiResponse>) => {
        const cut = Internal.applyOuterEdges(piece, since, until, overflow, zone)
        return cut === undefined || (users !== undefined && !users.has(cut.userId)) ? Option.none() : Option.some(cut)
      }

      const stitched = Stream.fromIterable(Internal.splitWindow(since, until, maxMs)).pipe(
        Stream.mapEffect(chunk),
        Stream.concat(Stream.sync(() => stitcher.flush())),
        Stream.mapConcat((pieces) => pieces),
        Stream.filterMap(finish)
      )
      const schema = options.schema
      return schema === undefined
        ? Stream.map(stitched, (p) => p.raw as unknown)
        : Stream.mapEffect(stitched, (p) => decodeWith(schema, p.raw, p.origin))
    })
  )) as SchedulesService["renderedEntries"]

const oncallParams = (method: string, o: OnCallFilters<unknown, unknown> | undefined) =>
  Effect.gen(function*() {
    const escalationPolicyIds = yield* checkIds(method, "escalationPolicyIds", o?.escalationPolicyIds)
    const scheduleIds = yield* checkIds(method, "scheduleIds", o?.scheduleIds)
    const userIds = yield* checkIds(method, "userIds", o?.userIds)
    const timeZone = yield* checkTimeZone(method, o?.timeZone)
    const pageSize = o?.pageSize ?? 100
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
      return yield* fail(method, "InvalidOption", `pageSize must be an integer from 1 to 100, got ${pageSize}`)
    }
    const params: Record<string, ApiClient.QueryValue> = {}
    if (escalationPolicyIds !== undefined) params["escalation_policy_ids[]"] = escalationPolicyIds
    if (scheduleIds !== undefined) params["schedule_ids[]"] = scheduleIds
    if (userIds !== undefined) params["user_ids[]"] = userIds
    if (timeZone !== undefined) params["time_zone"] = timeZone
    return { params, pageSize }
  })

type Row = { readonly item: unknown; readonly response: ApiClient.ApiResponse }

const oncallRows = (pd: RestApi.RestApi, params: ApiClient.Query, pageSize: number): Stream.Stream<Row, RestApi.StreamError> =>
  pd.iterAllPages("/oncalls", { params, pageSize }).pipe(
    Stream.mapConcat((page) => page.items.map((item) => ({ item, response: page.response })))
  )

const decodeRows = <A, I>(rows: Stream.Stream<Row, RestApi.StreamError | ScheduleQueryError>, schema: Schema.Schema<A, I, never> | undefined) =>
  schema === undefined
    ? Stream.map(rows, (r) => r.item)
    : Stream.mapEffect(rows, (r) => decodeWith(schema, r.item, r.response))

const onCallNow = (pd: RestApi.RestApi) => ((o?: OnCallNowOptions<unknown, unknown>) =>
  Stream.unwrap(
    Effect.gen(function*() {
      const method = "onCallNow"
      const { pageSize, params } = yield* oncallParams(method, o)
      if (o?.at !== undefined) {
        const at = iso(yield* checkInstant(method, "at", o.at))
        params["since"] = at
        params["until"] = at
      }
      return decodeRows(oncallRows(pd, params, pageSize), o?.schema)
    })
  )) as SchedulesService["onCallNow"]

const onCallsBetween = (pd: RestApi.RestApi) => ((o: OnCallsBetweenOptions<unknown, unknown>) =>
  Stream.unwrap(
    Effect.gen(function*() {
      const method = "onCallsBetween"
      if (!isRecord(o)) return yield* fail(method, "MissingArgument", "since and until are required")
      const { since, until } = yield* checkRange(method, o.since, o.until, true)
      const { pageSize, params } = yield* oncallParams(method, o)
      const maxMs = yield* checkWindow(method, o.maxWindow)
      if (o.earliest === true) params["earliest"] = true
      const windows = Internal.splitWindow(since, until, maxMs)
      const rows = Stream.flatMap(
        Stream.fromIterable(windows),
        ([from, to]) => oncallRows(pd, { ...params, since: iso(from), until: iso(to) }, pageSize)
      )
      if (windows.length === 1) return decodeRows(rows, o.schema)
      // Several windows: an on-call crossing a window edge comes back in each; keep it once
      // (and, with `earliest`, only the first of each policy, level and user).
      const seen = new Set<string>()
      const deduped = Stream.filter(rows, (r) => {
        const key = o.earliest === true ? Internal.earliestKey(r.item) : Internal.oncallKey(r.item)
        if (seen.has(key)) return false
        seen.add(key)
        return true
      })
      return decodeRows(deduped, o.schema)
    })
  )) as SchedulesService["onCallsBetween"]

const listOverrides = (pd: RestApi.RestApi): SchedulesService["listOverrides"] => (scheduleId, o) =>
  Effect.gen(function*() {
    const method = "listOverrides"
    const id = yield* checkId(method, "scheduleId", scheduleId)
    if (!isRecord(o)) return yield* fail(method, "MissingArgument", "since and until are required")
    const { since, until } = yield* checkRange(method, o.since, o.until)
    const timeZone = yield* checkTimeZone(method, o.timeZone)
    const params: Record<string, ApiClient.QueryValue> = { since: iso(since), until: iso(until) }
    if (timeZone !== undefined) params["time_zone"] = timeZone
    if (o.editable === true) params["editable"] = true
    const overrides = yield* pd.rget(`/schedules/${id}/overrides`, { params })
    return Array.isArray(overrides) ? overrides as ReadonlyArray<Override> : []
  })

const overrideBody = (method: string, input: OverrideInput, index: number) =>
  Effect.gen(function*() {
    if (!isRecord(input)) return yield* fail(method, "MissingArgument", `override ${index}: start, end and userId are required`)
    const { since: start, until: end } = yield* checkRange(method, input.start, input.end).pipe(
      Effect.mapError((e) => new ScheduleQueryError({ ...e, detail: `override ${index}: ${e.detail.replace(/\bsince\b/g, "start").replace(/\buntil\b/g, "end")}` }))
    )
    const userId = yield* checkId(method, "userId", input.userId)
    const timeZone = yield* checkTimeZone(method, input.timeZone)
    return {
      start: iso(start),
      end: iso(end),
      user: { id: userId, type: "user_reference" },
      ...(timeZone === undefined ? {} : { time_zone: timeZone })
    }
  })

const createOverrides = (pd: RestApi.RestApi): SchedulesService["createOverrides"] => (scheduleId, overrides) =>
  Effect.gen(function*() {
    const method = "createOverrides"
    const id = yield* checkId(method, "scheduleId", scheduleId)
    if (!Array.isArray(overrides) || overrides.length === 0) return yield* fail(method, "MissingArgument", "at least one override is required")
    const body = yield* Effect.forEach(overrides, (o, i) => overrideBody(method, o, i))
    const response = yield* pd.client.requestOk({ method: "POST", url: `/schedules/${id}/overrides`, json: { overrides: body } })
    const results = yield* ApiClient.parseJson(response)
    // The spec answers an array of `{status, override, errors?}`; accept a wrapped `overrides` too.
    const list = Array.isArray(results) ? results : isRecord(results) && Array.isArray(results["overrides"]) ? results["overrides"] : undefined
    if (list === undefined || list.length !== body.length) {
      return yield* ApiClient.unexpectedBody(response, "UnexpectedBody", `expected an array of ${body.length} override result(s)`)
    }
    return list.map((r): OverrideResult => {
      const rec = isRecord(r) ? r : {}
      const hasStatus = typeof rec["status"] === "number"
      const override = isRecord(rec["override"]) ? rec["override"] : hasStatus ? {} : rec
      return {
        status: hasStatus ? rec["status"] as number : response.status,
        override: override as Override,
        errors: Array.isArray(rec["errors"]) ? rec["errors"].map(String) : []
      }
    })
  })

const createOverride = (pd: RestApi.RestApi): SchedulesService["createOverride"] => (scheduleId, override) =>
  Effect.flatMap(
    createOverrides(pd)(scheduleId, [override]).pipe(
      Effect.mapError((e) => (e._tag === "ScheduleQueryError" ? new ScheduleQueryError({ ...e, method: "createOverride" }) : e))
    ),
    ([result]) =>
      result !== undefined && result.status >= 200 && result.status < 300
        ? Effect.succeed(result.override)
        : Effect.fail(new OverrideRejectedError({ status: result?.status ?? 0, errors: result?.errors ?? [], override: result?.override ?? null }))
  )

const deleteOverride = (pd: RestApi.RestApi): SchedulesService["deleteOverride"] => (scheduleId, overrideId) =>
  Effect.gen(function*() {
    const method = "deleteOverride"
    const id = yield* checkId(method, "scheduleId", scheduleId)
    const oid = yield* checkId(method, "overrideId", overrideId)
    yield* pd.client.requestOk({ method: "DELETE", url: `/schedules/${id}/overrides/${oid}` })
  })

const scheduleUsers = (pd: RestApi.RestApi): SchedulesService["scheduleUsers"] => (scheduleId, o) =>
  Effect.gen(function*() {
    const method = "scheduleUsers"
    const id = yield* checkId(method, "scheduleId", scheduleId)
    const params: Record<string, ApiClient.QueryValue> = {}
    if (o?.since !== undefined && o?.until !== undefined) {
      const range = yield* checkRange(method, o.since, o.until)
      params["since"] = iso(range.since)
      params["until"] = iso(range.until)
    } else if (o?.since !== undefined) params["since"] = iso(yield* checkInstant(method, "since", o.since))
    else if (o?.until !== undefined) params["until"] = iso(yield* checkInstant(method, "until", o.until))
    const users = yield* pd.rget(`/schedules/${id}/users`, { params })
    return Array.isArray(users) ? users.filter(isRecord) : []
  })

/**
 * Build the service on the {@link RestApi.RestApiService} in context.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { Schedules } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const schedules = yield* Schedules.make
 *   return yield* Stream.runCollect(schedules.onCallNow())
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<SchedulesService, never, RestApi.RestApiService> = Effect.map(RestApi.RestApiService, (pd) =>
  Schedules.of({
    renderedEntries: renderedEntries(pd),
    onCallNow: onCallNow(pd),
    onCallsBetween: onCallsBetween(pd),
    listOverrides: listOverrides(pd),
    createOverride: createOverride(pd),
    createOverrides: createOverrides(pd),
    deleteOverride: deleteOverride(pd),
    scheduleUsers: scheduleUsers(pd)
  }))

/**
 * A layer providing {@link Schedules} on the {@link RestApi.RestApiService} in context.
 *
 * @example
 * ```ts
 * import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
 * import { Layer, Redacted } from "effect"
 * import { RestApi, Schedules } from "@effect-pagerduty/client"
 *
 * const Live = Schedules.layer.pipe(
 *   Layer.provideMerge(RestApi.layer({ apiKey: Redacted.make("u+key") })),
 *   Layer.provide(NodeHttpClient.layerUndici)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Schedules, never, RestApi.RestApiService> = Layer.effect(Schedules, make)

/**
 * Collect a stream of entries into an array (a convenience for `Stream.runCollect` plus
 * `Chunk.toReadonlyArray`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Schedules } from "@effect-pagerduty/client"
 *
 * const entries = Effect.flatMap(Schedules.Schedules, (s) =>
 *   Schedules.collect(s.renderedEntries("PC00000", { since: "2026-01-01", until: "2026-02-01" })))
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const collect = <A, E, R>(stream: Stream.Stream<A, E, R>): Effect.Effect<ReadonlyArray<A>, E, R> =>
  Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)
