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
 * Page size: an explicit `pageSize` wins over `params.limit` (python-pagerduty lets
 * `params.limit` win over `page_size`; here the typed option is the one that states intent),
 * then `params.limit`, then 100. At the offset cap the last page shrinks so that
 * `limit + offset = 10 000` (PagerDuty refuses a request past it with 400, code 2002).
 *
 * With `concurrency: c`, pages after the first are fetched at most `c` at a time and emitted in
 * offset order whatever order the answers arrive in; a page is only requested when the consumer
 * pulls one of the `c - 1` pages before it, so `Stream.take(n)` requests at most the pages it
 * needs plus `c - 1`; once a page has failed (after its retries) no new page request starts
 * and the pages in flight are interrupted. {@link withDeadline} bounds a whole listing in time.
 *
 * Differences from python-pagerduty: reaching the offset cap fails with
 * {@link PaginationLimitError} (or, with `onLimit: "stop"`, ends with a warning log) instead of a
 * silent truncation; the page size does not shrink to the last page's length after a short
 * page (Python's next `limit` is the number of results just received); an empty page with
 * `more: true` ends the stream instead of looping with `limit=0`; `total=false` is not sent
 * by default; `null` `limit`/`offset` in responses are ignored.
 *
 * @since 0.1.0
 */
import { Cause, Chunk, Data, Deferred, Duration, Effect, Either, Fiber, Option, Schema, Stream } from "effect"
import * as ApiClient from "./ApiClient.js"
import * as EntityWrapping from "./EntityWrapping.js"
import type { PagerDutyError, ServerHttpError } from "./PagerDutyError.js"

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
 * A whole listing did not finish within the `deadline` given to {@link withDeadline} (or to
 * `RestApi.iterAll`/`iterHistory`). Items emitted before it were delivered; the page requests
 * in flight were interrupted.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { Pagination } from "@effect-pagerduty/client"
 *
 * declare const items: Stream.Stream<unknown, Pagination.PaginationDeadlineError>
 * const partial = Stream.runCollect(items).pipe(
 *   Effect.catchTag("PaginationDeadlineError", (e) => Effect.logWarning(e.message).pipe(Effect.as([])))
 * )
 * ```
 *
 * @since 0.2.0
 * @category errors
 */
export class PaginationDeadlineError extends Data.TaggedError("PaginationDeadlineError")<{
  /** The path (or URL) being listed. */
  readonly path: string
  /** The deadline that passed. */
  readonly deadline: Duration.Duration
}> {
  override get message(): string {
    return `GET ${this.path}: the listing did not finish within its deadline (${Duration.format(this.deadline)}); the items emitted before it were delivered`
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
  /**
   * Page size (`limit`). Precedence: `pageSize` when given, else `params.limit`, else 100.
   * Classic listings shrink the last page at the offset cap so that `limit + offset = 10 000`.
   */
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
   * and items are still emitted in order. A page is requested only when the consumer has
   * pulled the page `concurrency - 1` before it, and no page request starts after one failed.
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
    return yield* Option.match(totalOf(body), {
      onNone: () =>
        Effect.fail(ApiClient.unexpectedBody(
          response,
          "UnexpectedBody",
          `the response lacks a numeric "total" property: the endpoint may not support classic pagination`
        )),
      onSome: Effect.succeed
    })
  })

/** `total` of a page body: a finite number, or a numeric string (some proxies stringify it). */
const WithTotal = Schema.Struct({
  total: Schema.Union(Schema.Finite, Schema.compose(Schema.Trim, Schema.NumberFromString).pipe(Schema.finite()))
})
const decodeTotal = Schema.decodeUnknownOption(WithTotal)
const totalOf = (body: unknown): Option.Option<number> => Option.map(decodeTotal(body), (b) => b.total)

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
  const cap = options.cap ?? offsetCap
  const sequential = (offset: number, page: number) => classicFrom(client, url, options, { offset, page, done: false }, window)
  if (concurrency <= 1 || cap - offset0 <= 0) return sequential(offset0, 0)
  const limit = pageSizeOf(options)
  const base = withoutKeys(options.params, ["limit", "offset", "total"])
  return Stream.unwrap(
    Effect.gen(function*() {
      const first = yield* fetchClassicPage(client, url, options, base, offset0, Math.min(limit, cap - offset0), 0, { total: true })
      const more = moreOf(first)
      const total = totalOf(first.body)
      const next = offset0 + first.items.length
      if (more !== true || first.items.length === 0 || Option.isNone(total)) {
        // nothing more, or no usable total: continue sequentially (it handles every end case)
        yield* warnEnd(url, more, first.items.length, offset0)
        return Stream.concat(Stream.make(first), more === true && first.items.length > 0 ? sequential(next, 1) : Stream.empty)
      }
      const end = Math.min(total.value, cap)
      const planned: Array<Effect.Effect<Page, PagerDutyError>> = []
      for (let o = next; o < end; o += limit) {
        planned.push(fetchFilled(client, url, options, base, o, Math.min(limit, end - o), planned.length + 1))
      }
      // After the planned pages: if the API still reports more (records were added, or the
      // total is past the cap), carry on sequentially from there; it applies the cap rule.
      let last: Page = first
      const tail = Stream.suspend(() =>
        moreOf(last) === true ? sequential((last.offset ?? 0) + last.items.length, planned.length + 1) : Stream.empty
      )
      return Stream.concat(Stream.make(first), ordered(planned, concurrency)).pipe(
        Stream.tap((page) => Effect.sync(() => (last = page))),
        Stream.concat(tail)
      )
    })
  )
}

const warnEnd = (url: string, more: boolean | undefined, items: number, offset: number): Effect.Effect<void> =>
  more === undefined
    ? Effect.logWarning(`GET ${url}: the response lacks a "more" property, so only its first page is listed`)
    : more && items === 0
    ? Effect.logWarning(`GET ${url}: an empty page at offset ${offset} claims more records; the listing ends here`)
    : Effect.void

/**
 * Run `tasks` at most `concurrency` at a time and emit their results in task order. Pull
 * driven: pulling result `i` starts tasks up to `i + concurrency - 1`, so a consumer that
 * stops after result `k` has started at most `k + concurrency` tasks. The first failure
 * (after a task's own retries) fails the stream at once, no further task starts, and the
 * tasks in flight are interrupted when the stream's scope closes.
 */
const ordered = <A, E>(tasks: ReadonlyArray<Effect.Effect<A, E>>, concurrency: number): Stream.Stream<A, E> =>
  Stream.unwrapScoped(
    Effect.gen(function*() {
      const scope = yield* Effect.scope
      const failed = yield* Deferred.make<never, E>()
      // the fibers started and not yet emitted, by task index (an emitted page is not retained)
      const inFlight = new Map<number, Fiber.RuntimeFiber<A, E>>()
      let started = 0
      const record = (task: Effect.Effect<A, E>): Effect.Effect<A, E> =>
        Effect.tapErrorCause(task, (cause) => Cause.isInterruptedOnly(cause) ? Effect.void : Deferred.failCause(failed, cause))
      const startUpTo = (n: number): Effect.Effect<void> =>
        Effect.suspend(() =>
          started >= Math.min(n, tasks.length)
            ? Effect.void
            : Effect.flatMap(Deferred.isDone(failed), (done) =>
              done
                ? Effect.void
                : Effect.flatMap(Effect.forkIn(record(tasks[started]!), scope), (fiber) => {
                  inFlight.set(started++, fiber)
                  return startUpTo(n)
                }))
        )
      return Stream.unfoldEffect(0, (i) =>
        i >= tasks.length
          ? Effect.succeed(Option.none())
          : Effect.zipRight(
            startUpTo(i + concurrency),
            Effect.suspend(() => {
              // no fiber for `i` only when a failure stopped the starts: that failure ends the stream
              const fiber = inFlight.get(i)
              inFlight.delete(i)
              const result = fiber === undefined ? Deferred.await(failed) : Effect.raceFirst(Fiber.join(fiber), Deferred.await(failed))
              return Effect.map(result, (a) => Option.some([a, i + 1] as const))
            })
          ))
    })
  )

/** One planned page of a concurrent listing; refetches the rest when the API returns a short page. */
const fetchFilled = (
  client: ApiClient.ApiClient,
  url: string,
  options: CommonOptions,
  base: Record<string, ApiClient.QueryValue>,
  offset: number,
  expected: number,
  page: number
): Effect.Effect<Page, PagerDutyError> => {
  const fill = (items: ReadonlyArray<unknown>, current: Page): Effect.Effect<Page, PagerDutyError> =>
    items.length < expected && moreOf(current) === true && current.items.length > 0
      ? Effect.flatMap(
        fetchClassicPage(client, url, options, base, offset + items.length, expected - items.length, page),
        (next) => fill([...items, ...next.items], next)
      )
      : Effect.succeed({ ...current, items, offset, page })
  return Effect.flatMap(fetchClassicPage(client, url, options, base, offset, expected, page), (first) => fill(first.items, first))
}

/**
 * Bound a whole listing in time: the stream fails with {@link PaginationDeadlineError} when
 * `deadline` passes before it ends (counted from when the stream starts running; the page
 * requests in flight are interrupted). Without a deadline the stream is returned unchanged.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { Pagination } from "@effect-pagerduty/client"
 * import type { ApiClient } from "@effect-pagerduty/client"
 *
 * declare const api: ApiClient.ApiClient
 * const bounded = Pagination.withDeadline(Pagination.classic(api, "/users", { wrapper: "users" }), "/users", "2 minutes")
 * ```
 *
 * @since 0.2.0
 * @category combinators
 */
export const withDeadline = <A, E, R>(
  self: Stream.Stream<A, E, R>,
  path: string,
  deadline: Duration.DurationInput | undefined
): Stream.Stream<A, E | PaginationDeadlineError, R> => {
  if (deadline === undefined) return self
  const duration = Duration.decode(deadline)
  return Stream.interruptWhen(self, Effect.delay(Effect.fail(new PaginationDeadlineError({ path, deadline: duration })), duration))
}

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
