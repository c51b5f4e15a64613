/**
 * Pagination as `Stream`s over an {@link ApiClient.ApiClient}, for every PagerDuty API that
 * pages like REST API v2:
 *
 * - {@link classic} / {@link classicPages}: `limit`/`offset`/`more` (with optional concurrent page
 *   fetches once `total` is known, items still in order);
 * - {@link cursor} / {@link cursorPages}: `cursor`/`next_cursor` (or any cursor names, e.g.
 *   `after`), keeping every user parameter;
 * - {@link history} / {@link historyPages}: bisection of `since`/`until` windows with
 *   {@link getTotal} to list more than the 10 000 records classic pagination can reach.
 *
 * Streams are lazy: nothing is requested until the stream runs, each page is requested only
 * when the consumer needs it, and interrupting the consumer (e.g. `Stream.take`) stops
 * fetching at once. Each page is a span `PagerDuty.page`.
 *
 * Differences from python-pagerduty: reaching the offset cap fails with
 * {@link PaginationLimitError} (or, with `onLimit: "stop"`, ends with a warning log) instead of a
 * silent truncation; the page size stays the requested one (Python shrinks it to the last page's
 * length); an empty page with `more: true` ends the stream instead of looping with `limit=0`;
 * `total=false` is not sent by default; `null` `limit`/`offset` in responses are ignored.
 *
 * @since 0.1.0
 */
import { Chunk, Data, Effect, Either, Option, Stream } from "effect"
import * as ApiClient from "./ApiClient.js"
import * as EntityWrapping from "./EntityWrapping.js"
import type { PagerDutyError, ServerHttpError } from "./PagerDutyError.js"
import { isRecord } from "./internal/record.js"

/**
 * The hard cap of classic pagination: `offset + limit` may not exceed 10 000 (PagerDuty
 * answers 400, code 2002).
 *
 * @example
 * ```ts
 * import { Pagination } from "@effect-pagerduty/client"
 *
 * Pagination.offsetCap // 10000
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const offsetCap = 10_000

/**
 * Classic pagination reached the offset cap while the API still reported more records.
 * Use `RestApi.iterHistory` (time-window bisection) to list them all.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { Pagination } from "@effect-pagerduty/client"
 *
 * declare const items: Stream.Stream<unknown, Pagination.PaginationLimitError>
 * const program = Stream.runCount(items).pipe(
 *   Effect.catchTag("PaginationLimitError", (e) => Effect.logWarning(e.message).pipe(Effect.as(e.offset)))
 * )
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class PaginationLimitError extends Data.TaggedError("PaginationLimitError")<{
  /** The path (or URL) being paginated. */
  readonly path: string
  /** The offset that could not be requested (the number of records already listed). */
  readonly offset: number
  readonly cap: number
  /** The `since`/`until` window, when the cap was reached inside `iterHistory`. */
  readonly window?: { readonly since: string; readonly until: string } | undefined
}> {
  override get message(): string {
    return this.window === undefined
      ? `GET ${this.path}: classic pagination reached the maximum offset (${this.cap}) the API permits and more records remain; use iterHistory (since/until time-window bisection) to list them all, or pass onLimit: "stop" to end at the cap`
      : `GET ${this.path}: the window ${this.window.since} to ${this.window.until} cannot be bisected further and still holds more than ${this.cap} records; request a narrower window or pass onLimit: "stop" to end at the cap`
  }
}

/**
 * `since`/`until` given to a history listing are not valid dates, or `since` is not before `until`.
 *
 * @example
 * ```ts
 * import { Pagination } from "@effect-pagerduty/client"
 *
 * const e = new Pagination.HistoryWindowError({ since: "2025-02-01", until: "2025-01-01", detail: "since must be before until" })
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class HistoryWindowError extends Data.TaggedError("HistoryWindowError")<{
  readonly since: string
  readonly until: string
  readonly detail: string
}> {
  override get message(): string {
    return `invalid history window ${this.since} to ${this.until}: ${this.detail}`
  }
}

/**
 * One page of a listing.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import type { Pagination } from "@effect-pagerduty/client"
 *
 * const sizes = (pages: Stream.Stream<Pagination.Page>) => Stream.map(pages, (p) => `${p.page}: ${p.items.length}`)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Page {
  /** The items of the page (the array under the wrapper). */
  readonly items: ReadonlyArray<unknown>
  /** The whole decoded page body (`more`, `total`, `next_cursor`...). */
  readonly body: Readonly<Record<string, unknown>>
  /** The last HTTP response of this page. */
  readonly response: ApiClient.ApiResponse
  /** Page number, from 0. */
  readonly page: number
  /** Offset of the first item (classic pagination). */
  readonly offset?: number | undefined
  /** Cursor sent for this page (cursor pagination; absent for the first page). */
  readonly cursor?: string | undefined
}

/**
 * What to do when classic pagination reaches {@link offsetCap} with more records left:
 * `"fail"` (default) fails with {@link PaginationLimitError}; `"stop"` ends the stream with a
 * warning log.
 *
 * @example
 * ```ts
 * import type { Pagination } from "@effect-pagerduty/client"
 *
 * const onLimit: Pagination.OnLimit = "stop"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type OnLimit = "fail" | "stop"

/**
 * Options shared by every listing.
 *
 * @example
 * ```ts
 * import type { Pagination } from "@effect-pagerduty/client"
 *
 * const common: Pagination.CommonOptions = { wrapper: "incidents", params: { "statuses[]": ["triggered"] }, pageSize: 100 }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface CommonOptions {
  /** The key of the items array in each page body (e.g. `incidents`). */
  readonly wrapper: string
  /** Query parameters sent with every page (never mutated). */
  readonly params?: ApiClient.Query | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** Page size (`limit`); default: `params.limit`, else 100. */
  readonly pageSize?: number | undefined
}

/**
 * Options of classic (offset) pagination.
 *
 * @example
 * ```ts
 * import type { Pagination } from "@effect-pagerduty/client"
 *
 * const options: Pagination.ClassicOptions = { wrapper: "incidents", concurrency: 4, onLimit: "stop" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ClassicOptions extends CommonOptions {
  /**
   * Fetch up to this many pages at once (default 1: sequential, kinder to rate limits). The
   * first page is requested with `total=true`; the other offsets are then fetched in parallel
   * and items are still emitted in order.
   */
  readonly concurrency?: number | undefined
  readonly onLimit?: OnLimit | undefined
  /** The offset cap (default {@link offsetCap}). */
  readonly cap?: number | undefined
}

/**
 * Options of cursor pagination.
 *
 * @example
 * ```ts
 * import type { Pagination } from "@effect-pagerduty/client"
 *
 * // GET /alert_grouping_settings pages with `after`
 * const options: Pagination.CursorOptions = { wrapper: "alert_grouping_settings", cursorParam: "after", nextCursorField: "after" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface CursorOptions extends CommonOptions {
  /** The query parameter carrying the cursor (default `cursor`). */
  readonly cursorParam?: string | undefined
  /** The body field holding the next cursor (default `next_cursor`). */
  readonly nextCursorField?: string | undefined
}

/**
 * A point in time for a history window: a `Date`, epoch milliseconds, or an ISO 8601 string.
 *
 * @example
 * ```ts
 * import type { Pagination } from "@effect-pagerduty/client"
 *
 * const since: Pagination.Instant = "2025-01-01T00:00:00Z"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Instant = Date | number | string

/**
 * Options of history pagination.
 *
 * @example
 * ```ts
 * import type { Pagination } from "@effect-pagerduty/client"
 *
 * const options: Pagination.HistoryOptions = {
 *   wrapper: "log_entries",
 *   since: "2025-01-01T00:00:00Z",
 *   until: "2025-02-01T00:00:00Z"
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface HistoryOptions extends CommonOptions {
  readonly since: Instant
  readonly until: Instant
  /** The path pages by cursor: no bisection is needed, `since`/`until` are passed through. */
  readonly cursor?: boolean | undefined
  /** What to do when a one-second window still holds more than the cap (default `"fail"`). */
  readonly onLimit?: OnLimit | undefined
  readonly cap?: number | undefined
}

// ---------------------------------------------------------------------------------------

const pageSizeOf = (options: CommonOptions): number => {
  const fromParams = options.params?.["limit"]
  const raw = options.pageSize ?? (typeof fromParams === "number" || typeof fromParams === "string" ? Number(fromParams) : undefined)
  return raw === undefined || !Number.isFinite(raw) || raw < 1 ? 100 : Math.floor(raw)
}

const withoutKeys = (params: ApiClient.Query | undefined, keys: ReadonlyArray<string>): Record<string, ApiClient.QueryValue> => {
  const out: Record<string, ApiClient.QueryValue> = {}
  if (params === undefined) return out
  for (const [k, v] of Object.entries(params)) if (!keys.includes(k)) out[k] = v
  return out
}

const decodePage = (
  response: ApiClient.ApiResponse,
  wrapper: string
): Effect.Effect<{ readonly body: Record<string, unknown>; readonly items: ReadonlyArray<unknown> }, ServerHttpError> =>
  Effect.flatMap(ApiClient.parseJson(response), (body) =>
    Either.match(EntityWrapping.unwrapBody(response, body, wrapper), {
      onLeft: Effect.fail,
      onRight: (items) =>
        Array.isArray(items)
          ? Effect.succeed({ body: body as Record<string, unknown>, items })
          : Effect.fail(ApiClient.unexpectedBody(response, "UnexpectedBody", `expected "${wrapper}" to be an array of items`))
    }))

const pageSpan = (path: string, attributes: Record<string, unknown>) =>
  Effect.withSpan("PagerDuty.page", { attributes: { path, ...attributes }, captureStackTrace: false })

/**
 * The number of records matching `params`: one request with `total=true&limit=1&offset=0`.
 * A body without a numeric `total` is a `ServerHttpError` (`UnexpectedBody`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Pagination } from "@effect-pagerduty/client"
 * import type { ApiClient } from "@effect-pagerduty/client"
 *
 * declare const api: ApiClient.ApiClient
 * const triggered = Pagination.getTotal(api, "/incidents", { params: { "statuses[]": ["triggered"] } })
 * ```
 *
 * @since 0.1.0
 * @category getters
 */
export const getTotal = (
  client: ApiClient.ApiClient,
  url: string,
  options?: { readonly params?: ApiClient.Query | undefined; readonly headers?: Readonly<Record<string, string>> | undefined }
): Effect.Effect<number, PagerDutyError> =>
  Effect.gen(function*() {
    const response = yield* client.requestOk({
      method: "GET",
      url,
      params: { ...withoutKeys(options?.params, ["total", "limit", "offset"]), total: true, limit: 1, offset: 0 },
      headers: options?.headers
    })
    const body = yield* ApiClient.parseJson(response)
    const total = isRecord(body) ? body["total"] : undefined
    const n = typeof total === "number" ? total : typeof total === "string" && total.trim() !== "" ? Number(total) : NaN
    if (!Number.isFinite(n)) {
      return yield* ApiClient.unexpectedBody(
        response,
        "UnexpectedBody",
        `the response lacks a numeric "total" property: the endpoint may not support classic pagination`
      )
    }
    return n
  })

interface ClassicState {
  readonly offset: number
  readonly page: number
  readonly done: boolean
}

const classicFrom = (
  client: ApiClient.ApiClient,
  url: string,
  options: ClassicOptions,
  start: ClassicState,
  window?: { readonly since: string; readonly until: string }
): Stream.Stream<Page, PagerDutyError | PaginationLimitError> => {
  const limit = pageSizeOf(options)
  const cap = options.cap ?? offsetCap
  const base = withoutKeys(options.params, ["limit", "offset"])
  return Stream.unfoldEffect(start, (state): Effect.Effect<Option.Option<readonly [Page, ClassicState]>, PagerDutyError | PaginationLimitError> => {
    if (state.done) return Effect.succeed(Option.none())
    const pageLimit = Math.min(limit, cap - state.offset)
    if (pageLimit <= 0) {
      const error = new PaginationLimitError({ path: url, offset: state.offset, cap, window })
      return options.onLimit === "stop"
        ? Effect.as(Effect.logWarning(`${error.message}; the listing ends here (onLimit: "stop")`), Option.none())
        : Effect.fail(error)
    }
    return fetchClassicPage(client, url, options, base, state.offset, pageLimit, state.page).pipe(
      Effect.flatMap((page) => {
        const more = moreOf(page)
        if (more === undefined) {
          return Effect.as(
            Effect.logWarning(`GET ${url}: the response lacks a "more" property, so only its first page is listed`),
            Option.some([page, { ...state, done: true }] as const)
          )
        }
        if (more && page.items.length === 0) {
          return Effect.as(
            Effect.logWarning(`GET ${url}: an empty page at offset ${state.offset} claims more records; the listing ends here`),
            Option.some([page, { ...state, done: true }] as const)
          )
        }
        return Effect.succeed(
          Option.some([page, { offset: state.offset + page.items.length, page: state.page + 1, done: !more }] as const)
        )
      })
    )
  })
}

const moreOf = (page: Page): boolean | undefined => {
  if (!Object.hasOwn(page.body, "more")) return undefined
  return page.body["more"] === true
}

const fetchClassicPage = (
  client: ApiClient.ApiClient,
  url: string,
  options: CommonOptions,
  base: Record<string, ApiClient.QueryValue>,
  offset: number,
  limit: number,
  page: number,
  extra?: Record<string, ApiClient.QueryValue>
): Effect.Effect<Page, PagerDutyError> =>
  client.requestOk({ method: "GET", url, params: { ...base, ...extra, limit, offset }, headers: options.headers }).pipe(
    Effect.flatMap((response) =>
      Effect.map(decodePage(response, options.wrapper), ({ body, items }): Page => ({ items, body, response, page, offset }))
    ),
    pageSpan(url, { offset, page, limit })
  )

const startOffset = (params: ApiClient.Query | undefined): number => {
  const raw = params?.["offset"]
  const n = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw) : 0
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0
}

/**
 * Pages of a classic (offset) listing. See {@link classic}.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { Pagination } from "@effect-pagerduty/client"
 * import type { ApiClient } from "@effect-pagerduty/client"
 *
 * declare const api: ApiClient.ApiClient
 * const totals = Pagination.classicPages(api, "/users", { wrapper: "users" }).pipe(Stream.map((p) => p.items.length))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const classicPages = (
  client: ApiClient.ApiClient,
  url: string,
  options: ClassicOptions
): Stream.Stream<Page, PagerDutyError | PaginationLimitError> =>
  classicPagesInternal(client, url, options, undefined)

const classicPagesInternal = (
  client: ApiClient.ApiClient,
  url: string,
  options: ClassicOptions,
  window: { readonly since: string; readonly until: string } | undefined
): Stream.Stream<Page, PagerDutyError | PaginationLimitError> => {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1))
  const offset0 = startOffset(options.params)
  if (concurrency <= 1) return classicFrom(client, url, options, { offset: offset0, page: 0, done: false }, window)
  const limit = pageSizeOf(options)
  const cap = options.cap ?? offsetCap
  const base = withoutKeys(options.params, ["limit", "offset", "total"])
  return Stream.unwrap(
    Effect.gen(function*() {
      if (cap - offset0 <= 0) return classicFrom(client, url, options, { offset: offset0, page: 0, done: false }, window)
      const first = yield* fetchClassicPage(client, url, options, base, offset0, Math.min(limit, cap - offset0), 0, { total: true })
      const more = moreOf(first)
      const total = first.body["total"]
      const next = offset0 + first.items.length
      if (more !== true || first.items.length === 0 || typeof total !== "number") {
        // nothing more, or no usable total: continue sequentially (it handles every end case)
        if (more === undefined) yield* Effect.logWarning(`GET ${url}: the response lacks a "more" property, so only its first page is listed`)
        if (more === true && first.items.length === 0) {
          yield* Effect.logWarning(`GET ${url}: an empty page at offset ${offset0} claims more records; the listing ends here`)
        }
        const rest = more === true && first.items.length > 0
          ? classicFrom(client, url, options, { offset: next, page: 1, done: false }, window)
          : Stream.empty
        return Stream.concat(Stream.make(first), rest)
      }
      const end = Math.min(total, cap)
      const offsets: Array<number> = []
      for (let o = next; o < end; o += limit) offsets.push(o)
      const lastIndex = offsets.length
      const parallel = Stream.fromIterable(offsets.map((o, i) => [o, i + 1] as const)).pipe(
        Stream.mapEffect(([o, page]) => fetchFilled(client, url, options, base, o, Math.min(limit, end - o), page), { concurrency })
      )
      // After the planned pages: if the API still reports more (records were added, or the
      // total is past the cap), carry on sequentially from there; it applies the cap rule.
      const lastPage: { value: Page | undefined } = { value: first }
      const tail = Stream.unwrap(
        Effect.sync(() => {
          const last = lastPage.value
          if (last === undefined || moreOf(last) !== true) return Stream.empty
          return classicFrom(client, url, options, { offset: (last.offset ?? 0) + last.items.length, page: lastIndex + 1, done: false }, window)
        })
      )
      return Stream.concat(Stream.make(first), parallel).pipe(
        Stream.tap((page) => Effect.sync(() => (lastPage.value = page))),
        Stream.concat(tail)
      )
    })
  )
}

/** One planned page of a concurrent listing; refetches the rest when the API returns a short page. */
const fetchFilled = (
  client: ApiClient.ApiClient,
  url: string,
  options: CommonOptions,
  base: Record<string, ApiClient.QueryValue>,
  offset: number,
  expected: number,
  page: number
): Effect.Effect<Page, PagerDutyError> =>
  Effect.gen(function*() {
    let current = yield* fetchClassicPage(client, url, options, base, offset, expected, page)
    const items = [...current.items]
    while (items.length < expected && moreOf(current) === true && current.items.length > 0) {
      current = yield* fetchClassicPage(client, url, options, base, offset + items.length, expected - items.length, page)
      items.push(...current.items)
    }
    return { ...current, items, offset, page }
  })

/**
 * Items of a classic (offset) listing: `limit`/`offset` requests while the API says `more`,
 * advancing by the number of items actually received. Reaching the offset cap with more
 * records left fails with {@link PaginationLimitError} (or ends with a warning with
 * `onLimit: "stop"`). With `concurrency: n`, pages after the first are fetched `n` at a time,
 * in order.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { Pagination } from "@effect-pagerduty/client"
 * import type { ApiClient } from "@effect-pagerduty/client"
 *
 * declare const api: ApiClient.ApiClient
 * const names = Pagination.classic(api, "/users", { wrapper: "users", concurrency: 4 }).pipe(
 *   Stream.map((u) => (u as { name: string }).name),
 *   Stream.runCollect
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const classic = (
  client: ApiClient.ApiClient,
  url: string,
  options: ClassicOptions
): Stream.Stream<unknown, PagerDutyError | PaginationLimitError> => itemsOf(classicPages(client, url, options))

const itemsOf = <E>(pages: Stream.Stream<Page, E>): Stream.Stream<unknown, E> =>
  Stream.mapChunks(pages, (chunk) => Chunk.flatMap(chunk, (page) => Chunk.unsafeFromArray(page.items as Array<unknown>)))

/**
 * Pages of a cursor listing. See {@link cursor}.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { Pagination } from "@effect-pagerduty/client"
 * import type { ApiClient } from "@effect-pagerduty/client"
 *
 * declare const api: ApiClient.ApiClient
 * const cursors = Pagination.cursorPages(api, "/audit/records", { wrapper: "records" }).pipe(Stream.map((p) => p.cursor))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const cursorPages = (
  client: ApiClient.ApiClient,
  url: string,
  options: CursorOptions
): Stream.Stream<Page, PagerDutyError> => {
  const limit = pageSizeOf(options)
  const cursorParam = options.cursorParam ?? "cursor"
  const nextField = options.nextCursorField ?? "next_cursor"
  const base = withoutKeys(options.params, ["limit", cursorParam])
  const given = options.params?.[cursorParam]
  const initial = typeof given === "string" && given !== "" ? given : undefined
  type State = { readonly cursor: string | undefined; readonly page: number; readonly done: boolean }
  return Stream.unfoldEffect<State, Page, PagerDutyError, never>(
    { cursor: initial, page: 0, done: false },
    (state) => {
      if (state.done) return Effect.succeed(Option.none())
      return client.requestOk({
        method: "GET",
        url,
        params: { ...base, limit, ...(state.cursor === undefined ? {} : { [cursorParam]: state.cursor }) },
        headers: options.headers
      }).pipe(
        Effect.flatMap((response) => decodePage(response, options.wrapper).pipe(Effect.map((decoded) => ({ response, ...decoded })))),
        Effect.flatMap(({ body, items, response }) => {
          const page: Page = { items, body, response, page: state.page, cursor: state.cursor }
          const raw = body[nextField]
          const next = typeof raw === "string" && raw !== "" ? raw : typeof raw === "number" ? String(raw) : undefined
          if (next !== undefined && next === state.cursor) {
            return Effect.as(
              Effect.logWarning(`GET ${url}: the API returned the cursor it was given; the listing ends here`),
              Option.some([page, { cursor: next, page: state.page + 1, done: true }] as const)
            )
          }
          return Effect.succeed(Option.some([page, { cursor: next, page: state.page + 1, done: next === undefined }] as const))
        }),
        pageSpan(url, { cursor: state.cursor ?? "", page: state.page, limit })
      )
    }
  )
}

/**
 * Items of a cursor listing: `limit` plus every user parameter on each request, `cursor` set
 * from the previous page's `next_cursor` until it is missing, null or empty. The cursor
 * parameter and field names are options (`GET /alert_grouping_settings` uses `after`).
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { Pagination } from "@effect-pagerduty/client"
 * import type { ApiClient } from "@effect-pagerduty/client"
 *
 * declare const api: ApiClient.ApiClient
 * const records = Pagination.cursor(api, "/audit/records", { wrapper: "records", params: { "actions[]": ["create"] } })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const cursor = (
  client: ApiClient.ApiClient,
  url: string,
  options: CursorOptions
): Stream.Stream<unknown, PagerDutyError> => itemsOf(cursorPages(client, url, options))

// ---------------------------------------------------------------------------------------
// history

const toMillis = (instant: Instant): number =>
  instant instanceof Date ? instant.getTime() : typeof instant === "number" ? instant : Date.parse(instant)

/**
 * Format an instant as PagerDuty expects in `since`/`until` (ISO 8601 UTC, milliseconds only
 * when they are not zero).
 *
 * @example
 * ```ts
 * import { Pagination } from "@effect-pagerduty/client"
 *
 * Pagination.formatInstant(Date.UTC(2025, 0, 1)) // "2025-01-01T00:00:00Z"
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const formatInstant = (millis: number): string => {
  const iso = new Date(millis).toISOString()
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso
}

/**
 * Pages of a history listing. See {@link history}.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { Pagination } from "@effect-pagerduty/client"
 * import type { ApiClient } from "@effect-pagerduty/client"
 *
 * declare const api: ApiClient.ApiClient
 * const pages = Pagination.historyPages(api, "/log_entries", { wrapper: "log_entries", since: "2025-01-01T00:00:00Z", until: "2025-02-01T00:00:00Z" })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const historyPages = (
  client: ApiClient.ApiClient,
  url: string,
  options: HistoryOptions
): Stream.Stream<Page, PagerDutyError | PaginationLimitError | HistoryWindowError> =>
  Stream.unwrap(
    Effect.gen(function*() {
      const since = toMillis(options.since)
      const until = toMillis(options.until)
      const sinceText = String(options.since instanceof Date ? options.since.toString() : options.since)
      const untilText = String(options.until instanceof Date ? options.until.toString() : options.until)
      if (!Number.isFinite(since) || !Number.isFinite(until)) {
        return yield* new HistoryWindowError({ since: sinceText, until: untilText, detail: "since and until must be valid dates" })
      }
      if (since >= until) {
        return yield* new HistoryWindowError({ since: sinceText, until: untilText, detail: "since must be before until" })
      }
      const base = withoutKeys(options.params, ["since", "until"])
      const paramsOf = (s: number, u: number) => ({ ...base, since: formatInstant(s), until: formatInstant(u) })
      if (options.cursor === true) {
        return cursorPages(client, url, { ...options, params: paramsOf(since, until) })
      }
      const cap = options.cap ?? offsetCap
      let page = 0
      const renumber = (p: Page): Page => ({ ...p, page: page++ })
      const node = (s: number, u: number, depth: number): Stream.Stream<Page, PagerDutyError | PaginationLimitError> =>
        Stream.unwrap(
          Effect.gen(function*() {
            const params = paramsOf(s, u)
            const total = yield* getTotal(client, url, { params, headers: options.headers }).pipe(
              Effect.withSpan("PagerDuty.historyWindow", { attributes: { path: url, since: params.since, until: params.until, depth } })
            )
            if (total === 0) return Stream.empty
            const seconds = Math.floor((u - s) / 1000)
            if (total <= cap || seconds <= 1) {
              if (total > cap) {
                yield* Effect.logWarning(
                  `GET ${url}: the window ${params.since} to ${params.until} is already one second long and still holds ${total} records, more than classic pagination can list (${cap})`
                )
              }
              return classicPagesInternal(client, url, { ...options, params: { ...options.params, ...params } }, {
                since: params.since,
                until: params.until
              })
            }
            const mid = s + Math.floor(seconds / 2) * 1000
            return Stream.concat(node(s, mid, depth + 1), node(mid, u, depth + 1))
          })
        )
      return Stream.map(node(since, until, 0), renumber)
    })
  )

/**
 * Items of a history listing: every record between `since` and `until`, past the 10 000 cap of
 * classic pagination. The window's `total` is requested; if it exceeds the cap, the window is
 * split in two halves (whole seconds) and each half is listed in turn, depth first, so records
 * come in window order and each record (assuming the API's half-open `[since, until)` windows)
 * exactly once. Caller parameters are never mutated. Paths paged by cursor (`cursor: true`)
 * are listed by cursor with `since`/`until`.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { Pagination } from "@effect-pagerduty/client"
 * import type { ApiClient } from "@effect-pagerduty/client"
 *
 * declare const api: ApiClient.ApiClient
 * const entries = Pagination.history(api, "/log_entries", {
 *   wrapper: "log_entries",
 *   since: new Date("2025-01-01T00:00:00Z"),
 *   until: new Date("2025-04-01T00:00:00Z")
 * }).pipe(Stream.runCount)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const history = (
  client: ApiClient.ApiClient,
  url: string,
  options: HistoryOptions
): Stream.Stream<unknown, PagerDutyError | PaginationLimitError | HistoryWindowError> => itemsOf(historyPages(client, url, options))
