/**
 * The PagerDuty REST API v2 client: raw verbs, JSON verbs (`j*`), entity-wrapped verbs (`r*`,
 * with optional `effect/Schema` decoding), `Stream` pagination (classic, cursor, history
 * bisection and the bespoke listings), and python-pagerduty's helpers (`listAll`, `dictAll`,
 * `find`, `persist`, `getTotal`, abilities, API key access, subdomain, multi-update).
 *
 * Built on {@link ApiClient.make} (origin check, retries, errors, metrics, spans), with the
 * {@link EntityWrapping.EntityWrappingService} in context (default: the generated REST tables).
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import {
  Chunk,
  Config,
  type ConfigError,
  Context,
  Data,
  Duration,
  Effect,
  Either,
  Layer,
  Option,
  type ParseResult,
  Redacted,
  Schema,
  Stream
} from "effect"
import * as ApiClient from "./ApiClient.js"
import * as Auth from "./Auth.js"
import * as EntityWrapping from "./EntityWrapping.js"
import * as RestApiTables from "./generated/RestApiTables.js"
import * as Pagination from "./Pagination.js"
import { HttpError, type PagerDutyError, ServerHttpError, UrlError } from "./PagerDutyError.js"
import * as Region from "./Region.js"
import type * as RetryPolicy from "./RetryPolicy.js"
import { isRecord } from "./internal/record.js"

/**
 * A REST resource: a path (`/users/P1`), a full URL on the base origin, or an object with a
 * `self` URL (as every PagerDuty resource returned by the API has); any other object is a
 * `UrlError` (`InvalidResource`) and nothing is sent.
 *
 * @example
 * ```ts
 * import type { RestApi } from "@effect-pagerduty/client"
 *
 * const a: RestApi.Target = "/incidents/PABC123"
 * const b: RestApi.Target = { self: "https://api.pagerduty.com/incidents/PABC123" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Target = string | object

/**
 * Options of one call.
 *
 * @example
 * ```ts
 * import type { RestApi } from "@effect-pagerduty/client"
 *
 * const options: RestApi.CallOptions = { params: { statuses: ["triggered"] }, headers: { From: "me@example.com" } }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface CallOptions {
  /** Query parameters; list values are sent as `name[]` (see {@link normalizeParams}). */
  readonly params?: ApiClient.Query | undefined
  /** Extra headers (they cannot replace the credential or the client's `From`: use `from`). */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** `From` for this call, replacing the client's `defaultFrom`. */
  readonly from?: string | undefined
  /** JSON body. */
  readonly json?: unknown
  /** A body sent as given (e.g. `text/csv`), instead of `json`: see `ApiClient.RequestOptions.body`. */
  readonly body?: ApiClient.RequestOptions["body"]
  readonly timeout?: Duration.DurationInput | undefined
  readonly retry?: RetryPolicy.Options | undefined
}

/**
 * Options of the entity-wrapped verbs (`rget`, `rpost`, ...).
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import type { RestApi } from "@effect-pagerduty/client"
 *
 * const options: RestApi.EntityOptions<{ readonly id: string }, { readonly id: string }> = { schema: Schema.Struct({ id: Schema.String }) }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface EntityOptions<A = unknown, I = unknown> extends CallOptions {
  /** Decode the unwrapped entity; a mismatch is a `ServerHttpError` (`SchemaMismatch`). */
  readonly schema?: Schema.Schema<A, I, never> | undefined
  /** Send `json` exactly as given (never wrapped). */
  readonly passThrough?: boolean | undefined
}

/**
 * Options of {@link RestApi.iterAll}.
 *
 * @example
 * ```ts
 * import type { RestApi } from "@effect-pagerduty/client"
 *
 * const options: RestApi.IterOptions = { params: { statuses: ["triggered"] }, pageSize: 100, concurrency: 4 }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface IterOptions<A = unknown, I = unknown> {
  readonly params?: ApiClient.Query | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** Page size (`limit`): `pageSize` when given, else `params.limit`, else 100. */
  readonly pageSize?: number | undefined
  /** Classic pagination only: pages fetched at once once `total` is known (default 1). */
  readonly concurrency?: number | undefined
  /** Classic pagination only: `"fail"` (default) or `"stop"` at the 10 000 offset cap. */
  readonly onLimit?: Pagination.OnLimit | undefined
  /** Decode each item; a mismatch fails the stream with `ServerHttpError` (`SchemaMismatch`). */
  readonly schema?: Schema.Schema<A, I, never> | undefined
  /**
   * A time bound on the whole listing, counted from when the stream starts: when it passes,
   * the stream fails with `Pagination.PaginationDeadlineError` (the items emitted before it
   * were delivered). Default: none (each request still has its own timeout and retry deadline).
   */
  readonly deadline?: Duration.DurationInput | undefined
}

/**
 * Options of {@link RestApi.iterHistory}.
 *
 * @example
 * ```ts
 * import type { RestApi } from "@effect-pagerduty/client"
 *
 * const options: RestApi.HistoryOptions = { since: "2025-01-01T00:00:00Z", until: "2025-04-01T00:00:00Z", params: { is_overview: true } }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface HistoryOptions<A = unknown, I = unknown> extends IterOptions<A, I> {
  readonly since: Pagination.Instant
  readonly until: Pagination.Instant
}

/**
 * Options of {@link RestApi.iterAnalyticsRawIncidents}.
 *
 * @example
 * ```ts
 * import type { RestApi } from "@effect-pagerduty/client"
 *
 * const options: RestApi.AnalyticsOptions = { order: "asc", orderBy: "created_at", limit: 1000, timeZone: "Etc/UTC" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface AnalyticsOptions {
  readonly order?: "asc" | "desc" | undefined
  readonly orderBy?: string | undefined
  readonly limit?: number | undefined
  readonly timeZone?: string | undefined
}

/**
 * Whether the API key is an account-level key or a user-level key.
 *
 * @example
 * ```ts
 * import type { RestApi } from "@effect-pagerduty/client"
 *
 * const access: RestApi.KeyAccess = "account"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type KeyAccess = "account" | "user"

/**
 * Bad arguments to a helper (e.g. `persist` without the idempotency key in `values`). Nothing
 * is sent.
 *
 * @example
 * ```ts
 * import { RestApi } from "@effect-pagerduty/client"
 *
 * const e = new RestApi.InvalidArgumentError({ method: "persist", detail: "values must contain email" })
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidArgumentError extends Data.TaggedError("InvalidArgumentError")<{
  readonly method: string
  readonly detail: string
}> {
  override get message(): string {
    return `${this.method}: ${this.detail}`
  }
}

/**
 * Errors of the streams: request errors, the classic offset cap, bad history windows, and
 * the `deadline` of a whole listing.
 *
 * @example
 * ```ts
 * import type { RestApi } from "@effect-pagerduty/client"
 *
 * const tag = (e: RestApi.StreamError) => e._tag
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export type StreamError =
  | PagerDutyError
  | Pagination.PaginationLimitError
  | Pagination.HistoryWindowError
  | Pagination.PaginationDeadlineError

/**
 * The REST API v2 client.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { RestApi } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const pd = yield* RestApi.RestApiService
 *   const user = yield* pd.rget("/users/PABC123")
 *   const triggered = yield* pd.iterAll("/incidents", { params: { statuses: ["triggered"] } }).pipe(Stream.runCount)
 *   return { user, triggered }
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RestApi {
  /** The underlying request service. */
  readonly client: ApiClient.ApiClient
  readonly wrapping: EntityWrapping.EntityWrapping

  /** Send a request; the response whatever its status (after retries). */
  readonly request: (method: string, target: Target, options?: CallOptions) => Effect.Effect<ApiClient.ApiResponse, PagerDutyError>
  readonly get: (target: Target, options?: CallOptions) => Effect.Effect<ApiClient.ApiResponse, PagerDutyError>
  readonly post: (target: Target, options?: CallOptions) => Effect.Effect<ApiClient.ApiResponse, PagerDutyError>
  readonly put: (target: Target, options?: CallOptions) => Effect.Effect<ApiClient.ApiResponse, PagerDutyError>
  readonly patch: (target: Target, options?: CallOptions) => Effect.Effect<ApiClient.ApiResponse, PagerDutyError>
  readonly delete: (target: Target, options?: CallOptions) => Effect.Effect<ApiClient.ApiResponse, PagerDutyError>

  /** The decoded JSON body of a successful response (`null` when empty). */
  readonly jget: (target: Target, options?: CallOptions) => Effect.Effect<unknown, PagerDutyError>
  readonly jpost: (target: Target, options?: CallOptions) => Effect.Effect<unknown, PagerDutyError>
  readonly jput: (target: Target, options?: CallOptions) => Effect.Effect<unknown, PagerDutyError>

  /** GET and unwrap the entity (`/users/P1` gives the user, not `{user: ...}`). */
  readonly rget: EntityVerb
  /** POST `json` wrapped under the operation's request wrapper; the unwrapped entity. */
  readonly rpost: EntityVerb
  readonly rput: EntityVerb
  readonly rpatch: EntityVerb
  readonly rdelete: EntityVerb

  /** Every item of a listing (classic, or cursor for cursor paths, with every parameter kept). */
  readonly iterAll: IterAll
  /** The pages of {@link RestApi.iterAll}. */
  readonly iterAllPages: (target: Target, options?: IterOptions) => Stream.Stream<Pagination.Page, StreamError>
  /** Every item of a cursor-paginated listing. */
  readonly iterCursor: IterAll
  /** Every record between `since` and `until`, past the 10 000 cap, each exactly once. */
  readonly iterHistory: <A = unknown, I = unknown>(target: Target, options: HistoryOptions<A, I>) => Stream.Stream<A, StreamError>
  /** Notes of one incident (`/incidents/{id}/notes`), or annotations of every incident (`/log_entries`). */
  readonly iterIncidentNotes: (
    incidentId?: string | undefined,
    options?: IterOptions
  ) => Stream.Stream<unknown, StreamError>
  /** `GET /alert_grouping_settings`, paged with `after`. */
  readonly iterAlertGroupingSettings: (
    options?: { readonly serviceIds?: ReadonlyArray<string> | undefined; readonly limit?: number | undefined }
  ) => Stream.Stream<unknown, PagerDutyError>
  /** `POST /analytics/raw/incidents`, paged with `starting_after`/`last`. */
  readonly iterAnalyticsRawIncidents: (
    filters: Readonly<Record<string, unknown>>,
    options?: AnalyticsOptions
  ) => Stream.Stream<unknown, PagerDutyError>

  /** Collect {@link RestApi.iterAll}; any failure fails the whole call (no partial result). */
  readonly listAll: <A = unknown, I = unknown>(target: Target, options?: IterOptions<A, I>) => Effect.Effect<ReadonlyArray<A>, StreamError>
  /** {@link RestApi.listAll} keyed by an attribute (default `id`); an item without it fails. */
  readonly dictAll: <A = unknown, I = unknown>(
    target: Target,
    options?: IterOptions<A, I> & { readonly by?: string | undefined }
  ) => Effect.Effect<Readonly<Record<string, A>>, StreamError>
  /** The number of records matching `params` (`total=true&limit=1`). */
  readonly getTotal: (target: Target, options?: { readonly params?: ApiClient.Query | undefined }) => Effect.Effect<number, PagerDutyError>
  /**
   * The first item whose `attribute` (default `name`) equals `query`, case-insensitively;
   * paging stops at the first match.
   */
  readonly find: (
    resource: string,
    query: string,
    options?: { readonly attribute?: string | undefined; readonly params?: ApiClient.Query | undefined }
  ) => Effect.Effect<Option.Option<Readonly<Record<string, unknown>>>, StreamError>
  /**
   * Create a resource unless one with the same `attr` exists (idempotent create). With
   * `update`, an existing resource whose fields differ from `values` is updated with a PUT of
   * the changed fields only.
   */
  readonly persist: (
    resource: string,
    attr: string,
    values: Readonly<Record<string, unknown>>,
    options?: { readonly update?: boolean | undefined }
  ) => Effect.Effect<unknown, StreamError | InvalidArgumentError>

  /** 204 → true, 402 → false; 403 and 404 are `HttpError`s; anything else fails. */
  readonly accountHasAbility: (ability: string) => Effect.Effect<boolean, PagerDutyError>
  /** Whether the key is an account-level or user-level key (memoised once known). */
  readonly apiKeyAccess: Effect.Effect<KeyAccess, PagerDutyError>
  /** The account subdomain (`acme` of `acme.pagerduty.com`), memoised once known. */
  readonly subdomain: Effect.Effect<string, PagerDutyError>
  /** Update many incidents in one request (`PUT /incidents`), with `From`. */
  readonly updateIncidents: (
    incidents: ReadonlyArray<Readonly<Record<string, unknown>>>,
    options?: { readonly from?: string | undefined }
  ) => Effect.Effect<ReadonlyArray<unknown>, PagerDutyError>
}

/**
 * An entity-wrapped verb: with a `schema` the result is decoded.
 *
 * @example
 * ```ts
 * import { Effect, Schema } from "effect"
 * import type { RestApi } from "@effect-pagerduty/client"
 *
 * const User = Schema.Struct({ id: Schema.String, email: Schema.String })
 * const getUser = (rget: RestApi.EntityVerb) => rget("/users/P1", { schema: User }) // Effect<{ id, email }, ...>
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface EntityVerb {
  <A, I>(target: Target, options: EntityOptions<A, I> & { readonly schema: Schema.Schema<A, I, never> }): Effect.Effect<A, PagerDutyError>
  (target: Target, options?: EntityOptions): Effect.Effect<unknown, PagerDutyError>
}

/**
 * An item stream: with a `schema` each item is decoded.
 *
 * @example
 * ```ts
 * import { Schema, Stream } from "effect"
 * import type { RestApi } from "@effect-pagerduty/client"
 *
 * const Incident = Schema.Struct({ id: Schema.String, status: Schema.String })
 * const statuses = (iterAll: RestApi.IterAll) => iterAll("/incidents", { schema: Incident }).pipe(Stream.map((i) => i.status))
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface IterAll {
  <A, I>(target: Target, options: IterOptions<A, I> & { readonly schema: Schema.Schema<A, I, never> }): Stream.Stream<A, StreamError>
  (target: Target, options?: IterOptions): Stream.Stream<unknown, StreamError>
}

/**
 * The tag of the REST API client.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { RestApi } from "@effect-pagerduty/client"
 *
 * const me = Effect.flatMap(RestApi.RestApiService, (pd) => pd.rget("/users/me"))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class RestApiService extends Context.Tag("@effect-pagerduty/client/RestApi")<RestApiService, RestApi>() {}

/**
 * Options of {@link make}.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import type { RestApi } from "@effect-pagerduty/client"
 *
 * const options: RestApi.Options = { apiKey: Redacted.make("u+key"), region: "eu", defaultFrom: "oncall@example.com" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends ApiClient.ClientOptions {
  /** The REST API key (or OAuth access token with `authType: "bearer"`). */
  readonly apiKey: Redacted.Redacted
  /** Use this `Auth` instead of deriving one from `apiKey` (e.g. a refreshing OAuth token). */
  readonly auth?: Auth.Auth | undefined
  /** Email sent as `From` with every request (required by PagerDuty for some writes). */
  readonly defaultFrom?: string | undefined
  readonly authType?: Auth.AuthType | undefined
  /** Extra headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>> | undefined
}

/**
 * The REST API v2 `Accept` header.
 *
 * @example
 * ```ts
 * import { RestApi } from "@effect-pagerduty/client"
 *
 * RestApi.accept // "application/vnd.pagerduty+json;version=2"
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const accept = "application/vnd.pagerduty+json;version=2"

/**
 * The methods the REST API permits.
 *
 * @example
 * ```ts
 * import { RestApi } from "@effect-pagerduty/client"
 *
 * RestApi.permittedMethods.includes("PATCH") // true
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const permittedMethods: ReadonlyArray<string> = ["GET", "PATCH", "POST", "PUT", "DELETE"]

/**
 * Multi-valued filters: a list value under a name without `[]` is sent as `name[]`
 * (`statuses: ["triggered"]` → `statuses[]=triggered`), merged with an existing `name[]`.
 * Other values are unchanged. The input is not mutated.
 *
 * @example
 * ```ts
 * import { RestApi } from "@effect-pagerduty/client"
 *
 * RestApi.normalizeParams({ statuses: ["triggered", "acknowledged"], limit: 10 })
 * // { "statuses[]": ["triggered", "acknowledged"], limit: 10 }
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const normalizeParams = (params: ApiClient.Query | undefined): ApiClient.Query | undefined => {
  if (params === undefined) return undefined
  const out: Record<string, ApiClient.QueryValue> = {}
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value) && !key.endsWith("[]")) {
      const name = `${key}[]`
      const existing = out[name]
      out[name] = Array.isArray(existing) ? [...existing, ...value] : existing === undefined || existing === null ? value : [existing as string, ...value]
    } else if (key.endsWith("[]") && Array.isArray(out[key]) && value !== undefined && value !== null) {
      out[key] = [...(out[key] as ReadonlyArray<string>), ...(Array.isArray(value) ? value : [value as string])]
    } else {
      out[key] = value
    }
  }
  return out
}

const targetUrl = (method: string, target: Target): Effect.Effect<string, UrlError> => {
  if (typeof target === "string") return Effect.succeed(target)
  if (isRecord(target) && typeof target["self"] === "string" && target["self"] !== "") return Effect.succeed(target["self"])
  return Effect.fail(
    new UrlError({
      url: isRecord(target) ? "(resource object)" : String(target),
      method,
      reason: "InvalidResource",
      detail: isRecord(target)
        ? "the object passed in place of a URL has no \"self\" URL and cannot be used as an API resource"
        : "a resource must be a path, a URL, or an object with \"self\""
    })
  )
}

const decodeWith = <A, I>(
  schema: Schema.Schema<A, I, never>,
  value: unknown,
  response: ApiClient.ApiResponse
): Effect.Effect<A, ServerHttpError> =>
  Schema.decodeUnknown(schema)(value).pipe(
    Effect.mapError((error: ParseResult.ParseError) =>
      ApiClient.unexpectedBody(response, "SchemaMismatch", error.message.split("\n").slice(0, 6).join(" "), error)
    )
  )

// One decoder per schema for whole pages: decoding a page in one synchronous pass is several
// times cheaper than one Effect per item (bench G). A mismatch fails the page, naming the item.
const pageDecoders = new WeakMap<object, (u: unknown) => Either.Either<ReadonlyArray<unknown>, ParseResult.ParseError>>()

const decodePage = <A, I>(schema: Schema.Schema<A, I, never>, page: Pagination.Page): Effect.Effect<ReadonlyArray<A>, ServerHttpError> => {
  let decode = pageDecoders.get(schema)
  if (decode === undefined) {
    decode = Schema.decodeUnknownEither(Schema.Array(schema as Schema.Schema<unknown, unknown, never>)) as (
      u: unknown
    ) => Either.Either<ReadonlyArray<unknown>, ParseResult.ParseError>
    pageDecoders.set(schema, decode)
  }
  return Either.match(decode(page.items), {
    onLeft: (error) =>
      Effect.fail(ApiClient.unexpectedBody(page.response, "SchemaMismatch", error.message.split("\n").slice(0, 6).join(" "), error)),
    onRight: (items) => Effect.succeed(items as ReadonlyArray<A>)
  })
}

/** Memoise the first success of an effect (failures are not cached: the next call retries). */
const memoSuccess = <A, E>(self: Effect.Effect<A, E>): Effect.Effect<Effect.Effect<A, E>> =>
  Effect.gen(function*() {
    const semaphore = yield* Effect.makeSemaphore(1)
    let value: Option.Option<A> = Option.none()
    return Effect.suspend(() =>
      Option.isSome(value)
        ? Effect.succeed(value.value)
        : semaphore.withPermits(1)(
          Effect.suspend(() =>
            Option.isSome(value) ? Effect.succeed(value.value) : Effect.tap(self, (a) => Effect.sync(() => (value = Option.some(a))))
          )
        )
    )
  })

const cursorPaths = new Set(RestApiTables.cursorPaginatedPaths)
const classicPaths = new Set(RestApiTables.classicPaginatedPaths)
const historyPaths = new Set(RestApiTables.historyPaths)

// ---------------------------------------------------------------------------------------
// The service's parts: module functions over the request client and the wrapping tables
// ---------------------------------------------------------------------------------------

/** What every part of the service works on. */
interface Core {
  readonly client: ApiClient.ApiClient
  readonly wrapping: EntityWrapping.EntityWrapping
}

const callOptions = (method: string, url: string, o: CallOptions | undefined, json: unknown): ApiClient.RequestOptions => ({
  method,
  url,
  params: normalizeParams(o?.params),
  headers: o?.headers,
  from: o?.from,
  json,
  body: o?.body,
  timeout: o?.timeout,
  retry: o?.retry
})

const rawRequest = (core: Core) => (method: string, target: Target, o?: CallOptions) =>
  Effect.flatMap(targetUrl(method, target), (url) => core.client.request(callOptions(method, url, o, o?.json)))

const jsonVerb = (core: Core, method: string) => (target: Target, o?: CallOptions) =>
  Effect.flatMap(targetUrl(method, target), (url) =>
    Effect.flatMap(core.client.requestOk(callOptions(method, url, o, o?.json)), ApiClient.parseJson))

/** Resolve a target to its URL and canonical path, before anything is sent. */
const locate = (core: Core, method: string, target: Target) =>
  Effect.gen(function*() {
    const url = yield* targetUrl(method, target)
    const resolved = yield* core.client.resolveUrl(url)
    const path = core.client.relativePath(resolved)
    const canonical = yield* Either.match(core.wrapping.canonicalPath(path), {
      onLeft: (e) => Effect.fail(new UrlError({ ...e, url, method })),
      onRight: Effect.succeed
    })
    return { url, canonical, path }
  })

const entityVerb = (core: Core, method: string): EntityVerb =>
  ((target: Target, o?: EntityOptions<unknown, unknown>) =>
    Effect.gen(function*() {
      const { canonical, url } = yield* locate(core, method, target)
      const { response: responseWrapper } = core.wrapping.wrappers(method, canonical)
      const body = yield* Either.match(core.wrapping.wrap(method, canonical, o?.json, { passThrough: o?.passThrough }), {
        onLeft: Effect.fail,
        onRight: Effect.succeed
      })
      const response = yield* core.client.requestOk(callOptions(method, url, o, body))
      const entity = yield* core.wrapping.unwrap(response, responseWrapper)
      return o?.schema === undefined ? entity : yield* decodeWith(o.schema, entity, response)
    })) as EntityVerb

/**
 * The GET response wrapper of a listing, or a UrlError when the path is not a collection.
 * The generated tables are consulted first: a path they mark paginated is a listing even
 * when its last segment is a parameter (`/tags/{id}/{entity_type}`); otherwise a last
 * parameter segment names an individual resource.
 */
const listing = (core: Core, target: Target) =>
  Effect.gen(function*() {
    const { canonical, path, url } = yield* locate(core, "GET", target)
    const isCursor = cursorPaths.has(canonical)
    const known = isCursor || classicPaths.has(canonical)
    const nodes = canonical.split("/")
    const lastIsParam = EntityWrapping.isPathParam(nodes[nodes.length - 1] ?? "")
    if (!known && lastIsParam) {
      return yield* new UrlError({ url, method: "GET", reason: "NotPaginated", detail: `${canonical} is an individual resource, not a collection` })
    }
    // the spec leaves some listing schemas empty; fall back to Python's inference for known
    // paginated paths (e.g. `records` for the audit trails), from the concrete path when the
    // listed collection is itself a parameter (`/tags/PT1/users` lists `users`, as Python's
    // own table names `/tags/{id}/users`)
    const declared = core.wrapping.wrappers("GET", canonical).response
    const wrapper = declared === null && known ? EntityWrapping.inferWrapper("GET", lastIsParam ? path : canonical) : declared
    if (wrapper === null) {
      return yield* new UrlError({ url, method: "GET", reason: "NotPaginated", detail: `pagination is not supported for GET ${canonical}` })
    }
    return { url, canonical, wrapper, isCursor }
  })

const decodeItems = <A, I>(schema: Schema.Schema<A, I, never> | undefined) =>
(pages: Stream.Stream<Pagination.Page, StreamError>): Stream.Stream<unknown, StreamError> =>
  schema === undefined
    ? Stream.mapChunks(pages, (chunk) => Chunk.flatMap(chunk, (p) => Chunk.unsafeFromArray(p.items as Array<unknown>)))
    : Stream.mapChunksEffect(pages, (chunk) =>
      Effect.map(
        Effect.forEach(chunk, (page) => decodePage(schema, page)),
        (decoded) => Chunk.unsafeFromArray(decoded.flat())
      ))

const commonOf = (wrapper: string, o: IterOptions<unknown, unknown> | undefined): Pagination.CommonOptions => ({
  wrapper,
  params: normalizeParams(o?.params),
  headers: o?.headers,
  pageSize: o?.pageSize
})

/** A listing's page stream, bounded by the `deadline` option from when it starts. */
const bounded = (target: Target, o: IterOptions<unknown, unknown> | undefined) =>
(pages: Stream.Stream<Pagination.Page, StreamError>): Stream.Stream<Pagination.Page, StreamError> =>
  Pagination.withDeadline(pages, typeof target === "string" ? target : "(resource)", o?.deadline)

const iterAllPages = (core: Core) => (target: Target, o?: IterOptions<unknown, unknown>): Stream.Stream<Pagination.Page, StreamError> =>
  Stream.unwrap(
    Effect.map(listing(core, target), ({ isCursor, url, wrapper }) =>
      isCursor
        ? Pagination.cursorPages(core.client, url, commonOf(wrapper, o))
        : Pagination.classicPages(core.client, url, { ...commonOf(wrapper, o), concurrency: o?.concurrency, onLimit: o?.onLimit }))
  ).pipe(bounded(target, o))

const iterAll = (core: Core): IterAll =>
  ((target: Target, o?: IterOptions<unknown, unknown>) => decodeItems(o?.schema)(iterAllPages(core)(target, o))) as IterAll

const iterCursor = (core: Core): IterAll =>
  ((target: Target, o?: IterOptions<unknown, unknown>) =>
    decodeItems(o?.schema)(
      Stream.unwrap(
        Effect.flatMap(listing(core, target), ({ canonical, isCursor, url, wrapper }) =>
          isCursor
            ? Effect.succeed(Pagination.cursorPages(core.client, url, commonOf(wrapper, o)))
            : Effect.fail(new UrlError({ url, method: "GET", reason: "NotPaginated", detail: `${canonical} does not support cursor-based pagination` })))
      ).pipe(bounded(target, o))
    )) as IterAll

const iterHistory = (core: Core) => <A = unknown, I = unknown>(target: Target, o: HistoryOptions<A, I>): Stream.Stream<A, StreamError> =>
  decodeItems(o.schema)(
    Stream.unwrap(
      Effect.gen(function*() {
        const { canonical, isCursor, url, wrapper } = yield* listing(core, target)
        if (!historyPaths.has(canonical)) {
          return yield* new UrlError({ url, method: "GET", reason: "NotPaginated", detail: `iterHistory supports ${[...historyPaths].join(", ")}` })
        }
        if (canonical === "/oncalls") yield* Effect.logWarning("iterHistory may list duplicate on-call entries for GET /oncalls")
        return Pagination.historyPages(core.client, url, {
          ...commonOf(wrapper, o as IterOptions),
          since: o.since,
          until: o.until,
          cursor: isCursor,
          onLimit: o.onLimit
        })
      })
    ).pipe(bounded(target, o as IterOptions))
  ) as Stream.Stream<A, StreamError>

const iterIncidentNotes = (core: Core) => (incidentId?: string, o?: IterOptions) =>
  incidentId === undefined
    ? iterAll(core)("/log_entries", o).pipe(Stream.filter((entry) => isRecord(entry) && entry["type"] === "annotate_log_entry"))
    : iterAll(core)(`/incidents/${encodeURIComponent(incidentId)}/notes`, o)

const iterAlertGroupingSettings = (core: Core) =>
(
  o?: { readonly serviceIds?: ReadonlyArray<string> | undefined; readonly limit?: number | undefined }
) =>
  Pagination.cursor(core.client, "/alert_grouping_settings", {
    wrapper: "alert_grouping_settings",
    cursorParam: "after",
    nextCursorField: "after",
    pageSize: o?.limit,
    params: o?.serviceIds === undefined ? {} : { "service_ids[]": [...o.serviceIds] }
  })

/** A page of `POST /analytics/raw/incidents`: `data`, and `last`/`more` to continue. */
const AnalyticsPage = Schema.Struct({
  data: Schema.Array(Schema.Unknown),
  last: Schema.optional(Schema.Unknown),
  more: Schema.optional(Schema.Unknown)
})
const decodeAnalyticsPage = Schema.decodeUnknownEither(AnalyticsPage)

type AnalyticsState = { readonly last: string | undefined; readonly page: number; readonly done: boolean }

const analyticsPage = (core: Core, filters: Readonly<Record<string, unknown>>, o: AnalyticsOptions | undefined, state: AnalyticsState) => {
  const json = {
    filters,
    order: o?.order ?? "desc",
    order_by: o?.orderBy ?? "created_at",
    limit: o?.limit ?? 100,
    ...(o?.timeZone === undefined ? {} : { time_zone: o.timeZone }),
    ...(state.last === undefined ? {} : { starting_after: state.last })
  }
  return core.client.requestOk({ method: "POST", url: "/analytics/raw/incidents", json }).pipe(
    Effect.flatMap((response) =>
      Effect.flatMap(ApiClient.parseJson(response), (body) =>
        Either.match(decodeAnalyticsPage(body), {
          onLeft: () => Effect.fail(ApiClient.unexpectedBody(response, "UnexpectedBody", `expected a "data" array`)),
          onRight: (page) => {
            const last = typeof page.last === "string" && page.last !== "" ? page.last : undefined
            const more = page.more === true && last !== undefined && last !== state.last
            return Effect.succeed(Option.some([Chunk.unsafeFromArray([...page.data]), { last, page: state.page + 1, done: !more }] as const))
          }
        }))
    ),
    Effect.withSpan("PagerDuty.page", { attributes: { path: "/analytics/raw/incidents", cursor: state.last ?? "", page: state.page } })
  )
}

const iterAnalyticsRawIncidents = (core: Core) => (filters: Readonly<Record<string, unknown>>, o?: AnalyticsOptions) =>
  Stream.unfoldChunkEffect<AnalyticsState, unknown, PagerDutyError, never>(
    { last: undefined, page: 0, done: false },
    (state) => state.done ? Effect.succeed(Option.none()) : analyticsPage(core, filters, o, state)
  )

const listAll = (core: Core) => <A = unknown, I = unknown>(target: Target, o?: IterOptions<A, I>) =>
  Effect.map(Stream.runCollect(iterAll(core)(target, o as IterOptions)), (c) => Chunk.toReadonlyArray(c) as ReadonlyArray<A>)

const dictAll = (core: Core) => <A = unknown, I = unknown>(target: Target, o?: IterOptions<A, I> & { readonly by?: string | undefined }) => {
  const by = o?.by ?? "id"
  return Stream.runFoldEffect(
    iterAllPages(core)(target, o as IterOptions).pipe(
      Stream.flatMap((p) => Stream.fromIterable(p.items.map((item) => [item, p.response] as const)))
    ),
    {} as Record<string, A>,
    (acc, [item, response]) => {
      if (!isRecord(item) || !(by in item)) {
        return Effect.fail(ApiClient.unexpectedBody(response, "UnexpectedBody", `an item has no "${by}" attribute`))
      }
      return Effect.map(o?.schema === undefined ? Effect.succeed(item as A) : decodeWith(o.schema, item, response), (a) => {
        acc[String(item[by])] = a
        return acc
      })
    }
  )
}

const getTotal = (core: Core) => (target: Target, o?: { readonly params?: ApiClient.Query | undefined }) =>
  Effect.flatMap(targetUrl("GET", target), (url) => Pagination.getTotal(core.client, url, { params: normalizeParams(o?.params) }))

const find = (core: Core) =>
(resource: string, query: string, o?: { readonly attribute?: string | undefined; readonly params?: ApiClient.Query | undefined }) => {
  const attribute = o?.attribute ?? "name"
  const wanted = String(query).toLowerCase()
  return iterAll(core)(resource, { params: { ...o?.params, query } }).pipe(
    Stream.filter((item): item is Record<string, unknown> =>
      isRecord(item) && item[attribute] !== undefined && item[attribute] !== null && String(item[attribute]).toLowerCase() === wanted
    ),
    Stream.runHead
  )
}

/** The fields of `values` whose JSON differs from `current` (with `type` kept for PUT). */
const changedFields = (current: Readonly<Record<string, unknown>>, values: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const changed: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(values)) {
    if (JSON.stringify(current[k]) !== JSON.stringify(v)) changed[k] = v
  }
  if (Object.keys(changed).length > 0 && typeof current["type"] === "string" && !("type" in changed)) changed["type"] = current["type"]
  return changed
}

const persist = (core: Core) =>
(
  resource: string,
  attr: string,
  values: Readonly<Record<string, unknown>>,
  o?: { readonly update?: boolean | undefined }
) =>
  Effect.gen(function*() {
    if (!isRecord(values) || !Object.hasOwn(values, attr)) {
      return yield* new InvalidArgumentError({ method: "persist", detail: `values must contain the idempotency key "${attr}"` })
    }
    const existing = yield* find(core)(resource, String(values[attr]), { attribute: attr })
    if (Option.isNone(existing)) return yield* entityVerb(core, "POST")(resource, { json: values })
    const current = existing.value
    if (o?.update !== true) return current
    const changed = changedFields(current, values)
    if (Object.keys(changed).length === 0) return current
    const target: Target = typeof current["self"] === "string" ? current : `${resource.replace(/\/+$/, "")}/${String(current["id"])}`
    return yield* entityVerb(core, "PUT")(target, { json: changed })
  })

const accountHasAbility = (core: Core) => (ability: string) =>
  Effect.flatMap(core.client.request({ method: "GET", url: `/abilities/${encodeURIComponent(ability)}` }), (response) => {
    switch (response.status) {
      case 204:
        return Effect.succeed(true)
      case 402:
        return Effect.succeed(false)
      case 403:
        return Effect.fail(
          new HttpError({
            ...ApiClient.responseError(response),
            errorMessage: "the identity associated with the credentials does not have permission to read abilities"
          })
        )
      case 404:
        return Effect.fail(new HttpError({ ...ApiClient.responseError(response), errorMessage: `invalid or unknown ability "${ability}"` }))
      default:
        return response.status >= 200 && response.status < 300
          ? Effect.fail(ApiClient.unexpectedBody(response, "UnexpectedBody", "expected 204 (ability available) or 402 (not available)"))
          : Effect.fail(ApiClient.responseError(response))
    }
  })

const apiKeyAccess = (core: Core): Effect.Effect<KeyAccess, PagerDutyError> =>
  Effect.flatMap(core.client.request({ method: "GET", url: "/users/me" }), (response) => {
    if (response.status >= 200 && response.status < 300) return Effect.succeed("user" as const)
    if (response.status === 400 && /account-level access token/i.test(response.text)) return Effect.succeed("account" as const)
    return Effect.fail(ApiClient.responseError(response))
  })

const subdomain = (core: Core): Effect.Effect<string, PagerDutyError> =>
  Effect.gen(function*() {
    const response = yield* core.client.requestOk({ method: "GET", url: "/users", params: { limit: 1 } })
    const users = yield* core.wrapping.unwrap(response, "users")
    const first = Array.isArray(users) ? users[0] : undefined
    const htmlUrl = isRecord(first) ? first["html_url"] : undefined
    if (typeof htmlUrl === "string" && URL.canParse(htmlUrl)) return new URL(htmlUrl).hostname.split(".")[0]!
    return yield* ApiClient.unexpectedBody(response, "UnexpectedBody", "expected a user with an html_url to read the subdomain from")
  })

const updateIncidents = (core: Core) =>
(incidents: ReadonlyArray<Readonly<Record<string, unknown>>>, o?: { readonly from?: string | undefined }) =>
  Effect.map(
    entityVerb(core, "PUT")("/incidents", {
      json: { incidents: incidents.map((i) => ("type" in i ? i : { ...i, type: "incident_reference" })) },
      from: o?.from
    }),
    (updated) => (Array.isArray(updated) ? updated : [])
  )

/** The request client of {@link make}: REST headers, auth and canonical paths. */
const restClient = (options: Options, wrapping: EntityWrapping.EntityWrapping) => {
  const headers: Record<string, string> = { Accept: accept, ...options.headers }
  if (options.defaultFrom !== undefined) headers["From"] = options.defaultFrom
  return ApiClient.make({
    name: "rest",
    baseUrl: options.baseUrl ?? Region.origin(options.region ?? "us", "api"),
    auth: options.auth ?? Auth.fromType(options.authType ?? "token", options.apiKey),
    permittedMethods,
    headers,
    retry: options.retry,
    timeout: options.timeout,
    transformClient: options.transformClient,
    canonicalPath: (path) => Either.getOrElse(wrapping.canonicalPath(path), () => ApiClient.templatePath(path))
  })
}

/**
 * Build a REST API client on the `HttpClient` in context (and the `EntityWrappingService` when
 * one is provided; the generated REST tables otherwise).
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { RestApi } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const pd = yield* RestApi.make({ apiKey: Redacted.make("u+key") })
 *   return yield* pd.rget("/users/me")
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<RestApi, UrlError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const wrapping = Option.getOrElse(yield* Effect.serviceOption(EntityWrapping.EntityWrappingService), () => EntityWrapping.rest)
    const client = yield* restClient(options, wrapping)
    const core: Core = { client, wrapping }
    const request = rawRequest(core)
    return {
      client,
      wrapping,
      request,
      get: (target, o) => request("GET", target, o),
      post: (target, o) => request("POST", target, o),
      put: (target, o) => request("PUT", target, o),
      patch: (target, o) => request("PATCH", target, o),
      delete: (target, o) => request("DELETE", target, o),
      jget: jsonVerb(core, "GET"),
      jpost: jsonVerb(core, "POST"),
      jput: jsonVerb(core, "PUT"),
      rget: entityVerb(core, "GET"),
      rpost: entityVerb(core, "POST"),
      rput: entityVerb(core, "PUT"),
      rpatch: entityVerb(core, "PATCH"),
      rdelete: entityVerb(core, "DELETE"),
      iterAll: iterAll(core),
      iterAllPages: iterAllPages(core),
      iterCursor: iterCursor(core),
      iterHistory: iterHistory(core),
      iterIncidentNotes: iterIncidentNotes(core),
      iterAlertGroupingSettings: iterAlertGroupingSettings(core),
      iterAnalyticsRawIncidents: iterAnalyticsRawIncidents(core),
      listAll: listAll(core),
      dictAll: dictAll(core),
      getTotal: getTotal(core),
      find: find(core),
      persist: persist(core),
      accountHasAbility: accountHasAbility(core),
      apiKeyAccess: yield* memoSuccess(apiKeyAccess(core)),
      subdomain: yield* memoSuccess(subdomain(core)),
      updateIncidents: updateIncidents(core)
    } satisfies RestApi
  })

/**
 * A layer providing {@link RestApiService}.
 *
 * @example
 * ```ts
 * import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
 * import { Layer, Redacted } from "effect"
 * import { RestApi } from "@effect-pagerduty/client"
 *
 * const PagerDutyLive = RestApi.layer({ apiKey: Redacted.make("u+key"), defaultFrom: "oncall@example.com" }).pipe(
 *   Layer.provide(NodeHttpClient.layerUndici)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<RestApiService, UrlError, HttpClient.HttpClient> =>
  Layer.effect(RestApiService, make(options))

/**
 * The configuration {@link layerConfig} reads: `PAGERDUTY_API_KEY` (redacted),
 * `PAGERDUTY_REGION` (`us`/`eu`, default `us`), `PAGERDUTY_FROM`, `PAGERDUTY_BASE_URL` and
 * `PAGERDUTY_AUTH_TYPE` (default `token`), the last three optional.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { RestApi } from "@effect-pagerduty/client"
 *
 * const program = Effect.map(RestApi.config, (o) => o.region)
 * ```
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<Options> = Config.map(
  Config.all({
    apiKey: Config.redacted("PAGERDUTY_API_KEY"),
    region: Region.config,
    defaultFrom: Config.option(Config.string("PAGERDUTY_FROM")),
    baseUrl: Config.option(Config.string("PAGERDUTY_BASE_URL")),
    authType: Config.literal("token", "bearer", "oauth2", "header_passthru")("PAGERDUTY_AUTH_TYPE").pipe(Config.withDefault("token" as const))
  }),
  ({ apiKey, authType, baseUrl, defaultFrom, region }): Options => ({
    apiKey,
    region,
    authType,
    ...(Option.isSome(defaultFrom) ? { defaultFrom: defaultFrom.value } : {}),
    ...(Option.isSome(baseUrl) ? { baseUrl: baseUrl.value } : {})
  })
)

/**
 * A layer reading {@link config}, with optional overrides (e.g. `transformClient`).
 *
 * @example
 * ```ts
 * import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
 * import { Layer } from "effect"
 * import { RestApi } from "@effect-pagerduty/client"
 *
 * // PAGERDUTY_API_KEY=... PAGERDUTY_REGION=eu PAGERDUTY_FROM=me@example.com
 * const PagerDutyLive = RestApi.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  overrides?: Partial<Omit<Options, "apiKey">>
): Layer.Layer<RestApiService, UrlError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.unwrapEffect(Effect.map(config, (options) => layer({ ...options, ...overrides })))
