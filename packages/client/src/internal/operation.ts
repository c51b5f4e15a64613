/**
 * The runtime of the typed operations (generated/RestOperations.ts): it interprets one
 * operation descriptor (method, path template, query parameter names, constant headers,
 * result schema) with RestApi's public verbs, so retry, auth, entity wrapping, throttling and
 * pagination stay in RestApi. Decoding uses one cached synchronous decoder per schema (per
 * page for listings) and turns a mismatch into a {@link SchemaMismatchError}.
 *
 * @since 0.2.0
 */
import { Chunk, Data, type Duration, Effect, Either, type ParseResult, Schema, Stream } from "effect"
import { ArrayFormatter } from "effect/ParseResult"
import type * as ApiClient from "../ApiClient.js"
import type * as Pagination from "../Pagination.js"
import { type PagerDutyError, TransportError, UrlError } from "../PagerDutyError.js"
import type * as RestApi from "../RestApi.js"
import { RestApiService } from "../RestApi.js"
import type * as RetryPolicy from "../RetryPolicy.js"

/**
 * A typed operation's response (or one item of a listing) does not match the spec's schema.
 * Names the operation, the request path and the first field that failed (`incidents[3].status`),
 * with the schema's message. Raised instead of returning a value of the wrong type; pass
 * `decode: false` to skip the check.
 *
 * @example
 * ```ts
 * import { PagerDuty } from "@effect-pagerduty/client"
 *
 * const e = new PagerDuty.SchemaMismatchError({
 *   operation: "getIncident",
 *   method: "GET",
 *   path: "/incidents/P1",
 *   field: "status",
 *   detail: "Expected string, actual 1"
 * })
 * e.message // "getIncident (GET /incidents/P1): the response does not match the spec at status: Expected string, actual 1"
 * ```
 *
 * @since 0.2.0
 * @category errors
 */
export class SchemaMismatchError extends Data.TaggedError("SchemaMismatchError")<{
  /** The spec's `operationId`. */
  readonly operation: string
  readonly method: string
  /** The request path (path parameters filled in). */
  readonly path: string
  /** Where in the unwrapped entity (or item) the first mismatch is; `(root)` for the entity itself. */
  readonly field: string
  /** The schema's message for that field. */
  readonly detail: string
  /** Index of the item in its page, for listings. */
  readonly item?: number | undefined
}> {
  override get message(): string {
    return `${this.operation} (${this.method} ${this.path}): the response does not match the spec at ${this.field}: ${this.detail}`
  }
}

/**
 * Errors of an operation that returns an `Effect`.
 *
 * @example
 * ```ts
 * import type { PagerDuty } from "@effect-pagerduty/client"
 *
 * const tag = (e: PagerDuty.OperationError) => e._tag
 * ```
 *
 * @since 0.2.0
 * @category errors
 */
export type OperationError = PagerDutyError | SchemaMismatchError

/**
 * Errors of a listing `Stream` (those of `RestApi.iterAll` and {@link SchemaMismatchError}).
 *
 * @example
 * ```ts
 * import type { PagerDuty } from "@effect-pagerduty/client"
 *
 * const tag = (e: PagerDuty.StreamError) => e._tag
 * ```
 *
 * @since 0.2.0
 * @category errors
 */
export type StreamError = RestApi.StreamError | SchemaMismatchError

/**
 * Options every operation takes besides its query parameters and body.
 *
 * @example
 * ```ts
 * import type { PagerDuty } from "@effect-pagerduty/client"
 *
 * const options: PagerDuty.CallOptions = { decode: false, timeout: "10 seconds" }
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface CallOptions {
  /** Check the response against the spec's schema (default `true`; `false`: types only, no runtime check). */
  readonly decode?: boolean | undefined
  /** Extra headers. */
  readonly headers?: Readonly<Record<string, string>> | undefined
  readonly timeout?: Duration.DurationInput | undefined
  readonly retry?: RetryPolicy.Options | undefined
}

/**
 * Options of the listing operations (classic or cursor pagination, as `RestApi.iterAll`).
 *
 * @example
 * ```ts
 * import type { PagerDuty } from "@effect-pagerduty/client"
 *
 * const options: PagerDuty.ListOptions = { pageSize: 100, concurrency: 4, onLimit: "stop" }
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface ListOptions {
  /** Check each item against the spec's schema (default `true`; `false`: types only). */
  readonly decode?: boolean | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** Page size (`limit`), default 100. */
  readonly pageSize?: number | undefined
  /** Classic pagination only: pages fetched at once once `total` is known (default 1). */
  readonly concurrency?: number | undefined
  /** Classic pagination only: `"fail"` (default) or `"stop"` at the 10 000 offset cap. */
  readonly onLimit?: Pagination.OnLimit | undefined
}

/**
 * One page of a listing operation (`<operation>Pages`), its items decoded.
 *
 * @example
 * ```ts
 * import type { PagerDuty } from "@effect-pagerduty/client"
 * import type * as RestSchemas from "@effect-pagerduty/client/generated/RestSchemas"
 *
 * const more = (page: PagerDuty.Page<RestSchemas.Incident>) => page.more
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  /** `more` of the page body (classic pagination), or whether a next cursor was given. */
  readonly more: boolean
  /**
   * `total` of the page body, when PagerDuty sent one: classic pagination asks for it on the
   * first page when `concurrency` > 1 (`RestApi.getTotal` counts without listing).
   */
  readonly total: number | undefined
  /** Page number, from 0. */
  readonly page: number
  readonly offset?: number | undefined
  readonly cursor?: string | undefined
  /** The whole page body. */
  readonly body: Readonly<Record<string, unknown>>
}

/**
 * What a generated operation is built from.
 *
 * @example
 * ```ts
 * import type { PagerDuty } from "@effect-pagerduty/client"
 *
 * const d: PagerDuty.Descriptor = { name: "getAbility", method: "GET", path: "/abilities/{id}" }
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface Descriptor {
  readonly name: string
  readonly method: string
  /** The spec's path template (`/incidents/{id}`); parameters are filled in order. */
  readonly path: string
  /** Query parameter names as sent (`include[]`); a trailing `,` means "send a list comma-separated". */
  readonly query?: ReadonlyArray<string> | undefined
  /** Constant headers (e.g. `X-EARLY-ACCESS`). */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /**
   * The `Content-Type` of a body sent as given (`text/csv`): `body` is then a string or a
   * `Uint8Array`; absent: `body` is the JSON entity.
   */
  readonly bodyType?: string | undefined
  /** The result (or item) schema; absent: the result is not checked. */
  readonly schema?: (() => Schema.Schema.AnyNoContext) | undefined
  /**
   * A generated validator accepting exactly what `schema` decodes (the schemas have no
   * transformations, so a value that passes is its own decoded value): the fast path; the schema
   * itself describes a failure.
   */
  readonly check?: ((u: unknown) => boolean) | undefined
}

type AnyOptions = CallOptions & ListOptions & {
  readonly body?: unknown
  readonly from?: string | undefined
  readonly [key: string]: unknown
}

/**
 * A generated operation function, with what `PagerDuty.make` needs to run it on a given `RestApi`.
 *
 * @example
 * ```ts
 * import { PagerDuty } from "@effect-pagerduty/client"
 *
 * PagerDuty.getIncident.descriptor.path // "/incidents/{id}"
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface Runnable {
  readonly descriptor: Descriptor
  /** `"effect"` or `"stream"`. */
  readonly returns: "effect" | "stream"
  /** Run with a RestApi; `defaults` are applied under the call's options (e.g. `{ decode: false }`). */
  readonly run: (api: RestApi.RestApi, args: ReadonlyArray<unknown>, defaults?: Partial<CallOptions>) => unknown
}

const pathParamCount = (path: string): number => {
  let n = 0
  for (let i = path.indexOf("{"); i >= 0; i = path.indexOf("{", i + 1)) n++
  return n
}

interface Request {
  readonly path: string
  readonly options: AnyOptions
  /** The body as sent when the descriptor has a `bodyType`. */
  readonly raw: ApiClient.RequestOptions["body"]
  readonly params: Record<string, ApiClient.QueryValue>
  readonly headers: Record<string, string> | undefined
}

/**
 * Fill the path template and collect query parameters and headers; an empty path parameter is
 * a UrlError, a raw body that is neither a string nor a `Uint8Array` a TransportError (`Encode`).
 */
const prepare = (
  d: Descriptor,
  args: ReadonlyArray<unknown>,
  defaults: Partial<CallOptions> | undefined
): Either.Either<Request, UrlError | TransportError> => {
  const count = pathParamCount(d.path)
  let i = 0
  let bad: string | undefined
  const path = d.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = args[i++]
    if (typeof value !== "string" || value === "") bad ??= name
    return encodeURIComponent(typeof value === "string" ? value : "")
  })
  if (bad !== undefined) {
    return Either.left(
      new UrlError({ url: d.path, method: d.method, reason: "InvalidResource", detail: `${d.name}: path parameter "${bad}" must be a non-empty string` })
    )
  }
  const given = (args[count] ?? {}) as AnyOptions
  const options: AnyOptions = defaults === undefined ? given : { ...defaults, ...given }
  const params: Record<string, ApiClient.QueryValue> = {}
  for (const name of d.query ?? []) {
    const joined = name.endsWith(",")
    const wire = joined ? name.slice(0, -1) : name
    const value = options[wire.endsWith("[]") ? wire.slice(0, -2) : wire]
    if (value === undefined || value === null) continue
    params[wire] = joined && Array.isArray(value) ? value.join(",") : (value as ApiClient.QueryValue)
  }
  const headers = d.headers === undefined && options.from === undefined && options.headers === undefined
    ? undefined
    : { ...d.headers, ...(options.from === undefined ? {} : { From: options.from }), ...options.headers }
  if (d.bodyType === undefined) return Either.right({ path, options, params, headers, raw: undefined })
  const data = options.body
  if (typeof data !== "string" && !(data instanceof Uint8Array)) {
    return Either.left(
      new TransportError({ method: d.method, url: path, reason: "Encode", maySent: false, cause: new Error(`${d.name}: body must be a string or a Uint8Array`) })
    )
  }
  return Either.right({ path, options, params, headers, raw: { contentType: d.bodyType, data } })
}

const fieldOf = (error: ParseResult.ParseError): { readonly field: string; readonly detail: string } => {
  const issue = ArrayFormatter.formatErrorSync(error)[0]
  if (issue === undefined) return { field: "(root)", detail: error.message }
  const field = issue.path.reduce<string>(
    (acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`),
    ""
  )
  return { field: field === "" ? "(root)" : field, detail: issue.message }
}

type Decoder = (u: unknown) => Either.Either<unknown, ParseResult.ParseError>
const entityDecoders = new WeakMap<Descriptor, Decoder>()
const pageDecoders = new WeakMap<Descriptor, Decoder>()

const decoderOf = (cache: WeakMap<Descriptor, Decoder>, d: Descriptor, make: (s: Schema.Schema.AnyNoContext) => Schema.Schema.AnyNoContext): Decoder => {
  let decode = cache.get(d)
  if (decode === undefined) {
    decode = Schema.decodeUnknownEither(make(d.schema!()))
    cache.set(d, decode)
  }
  return decode
}

const identity = <A>(a: A): A => a

const every = (items: ReadonlyArray<unknown>, check: (u: unknown) => boolean): boolean => {
  for (let i = 0; i < items.length; i++) if (!check(items[i])) return false
  return true
}

const mismatch = (d: Descriptor, path: string, error: ParseResult.ParseError, items: boolean): SchemaMismatchError => {
  const { detail, field } = fieldOf(error)
  const index = items ? /^\[(\d+)\]/.exec(field) : null
  return new SchemaMismatchError({
    operation: d.name,
    method: d.method,
    path,
    field: index === null ? field : field.slice(index[0].length).replace(/^\./, "") || "(root)",
    detail,
    ...(index === null ? {} : { item: Number(index[1]) })
  })
}

const verbOf = (api: RestApi.RestApi, method: string): RestApi.EntityVerb => {
  switch (method) {
    case "POST":
      return api.rpost
    case "PUT":
      return api.rput
    case "PATCH":
      return api.rpatch
    case "DELETE":
      return api.rdelete
    default:
      return api.rget
  }
}

const call = (api: RestApi.RestApi, d: Descriptor, r: Request) =>
  verbOf(api, d.method)(r.path, {
    params: r.params,
    headers: r.headers,
    json: r.raw === undefined ? r.options.body : undefined,
    body: r.raw,
    timeout: r.options.timeout,
    retry: r.options.retry
  })

const runEntity = (api: RestApi.RestApi, d: Descriptor, args: ReadonlyArray<unknown>, defaults?: Partial<CallOptions>) =>
  Either.match(prepare(d, args, defaults), {
    onLeft: (e): Effect.Effect<unknown, OperationError> => Effect.fail(e),
    onRight: (r) =>
      Effect.flatMap(call(api, d, r), (entity): Effect.Effect<unknown, OperationError> => {
        if (d.schema === undefined || r.options.decode === false || d.check?.(entity) === true) return Effect.succeed(entity)
        return Either.match(decoderOf(entityDecoders, d, identity)(entity), {
          onLeft: (error) => Effect.fail(mismatch(d, r.path, error, false)),
          onRight: Effect.succeed
        })
      })
  })

const runNone = (api: RestApi.RestApi, d: Descriptor, args: ReadonlyArray<unknown>, defaults?: Partial<CallOptions>) =>
  Either.match(prepare(d, args, defaults), {
    onLeft: (e): Effect.Effect<void, OperationError> => Effect.fail(e),
    onRight: (r) => Effect.asVoid(call(api, d, r))
  })

const toPage = (p: Pagination.Page, items: ReadonlyArray<unknown>): Page<unknown> => ({
  items,
  more: p.body["more"] === true || (typeof p.body["next_cursor"] === "string" && p.body["next_cursor"] !== ""),
  total: typeof p.body["total"] === "number" ? p.body["total"] : undefined,
  page: p.page,
  offset: p.offset,
  cursor: p.cursor,
  body: p.body
})

const runPages = (api: RestApi.RestApi, d: Descriptor, args: ReadonlyArray<unknown>, defaults?: Partial<CallOptions>) =>
  Either.match(prepare(d, args, defaults), {
    onLeft: (e): Stream.Stream<Page<unknown>, StreamError> => Stream.fail(e),
    onRight: (r): Stream.Stream<Page<unknown>, StreamError> => {
      const pages = api.iterAllPages(r.path, {
        params: r.params,
        headers: r.headers,
        pageSize: r.options.pageSize,
        concurrency: r.options.concurrency,
        onLimit: r.options.onLimit
      })
      if (d.schema === undefined || r.options.decode === false) return Stream.map(pages, (p) => toPage(p, p.items))
      const check = d.check
      return Stream.mapEffect(pages, (p) =>
        check !== undefined && every(p.items, check) ? Effect.succeed(toPage(p, p.items)) : Either.match(decoderOf(pageDecoders, d, Schema.Array)(p.items), {
          onLeft: (error) => Effect.fail(mismatch(d, r.path, error, true)),
          onRight: (items) => Effect.succeed(toPage(p, items as ReadonlyArray<unknown>))
        }))
    }
  })

const runList = (api: RestApi.RestApi, d: Descriptor, args: ReadonlyArray<unknown>, defaults?: Partial<CallOptions>) =>
  Either.match(prepare(d, args, defaults), {
    onLeft: (e): Stream.Stream<unknown, StreamError> => Stream.fail(e),
    onRight: (r): Stream.Stream<unknown, StreamError> =>
      // unchecked: exactly RestApi.iterAll; checked: page by page (a mismatch names the item of its page)
      d.schema === undefined || r.options.decode === false
        ? api.iterAll(r.path, { params: r.params, headers: r.headers, pageSize: r.options.pageSize, concurrency: r.options.concurrency, onLimit: r.options.onLimit })
        : Stream.mapChunks(runPages(api, d, args, defaults), (chunk) => Chunk.flatMap(chunk, (p) => Chunk.unsafeFromArray(p.items as Array<unknown>)))
  })

const attach = <F extends (...args: ReadonlyArray<any>) => unknown>(
  f: F,
  descriptor: Descriptor,
  returns: "effect" | "stream",
  run: Runnable["run"]
): F & Runnable => Object.assign(f, { descriptor, returns, run })

/**
 * An operation that returns its (decoded) entity.
 *
 * @example
 * ```ts
 * import { PagerDuty } from "@effect-pagerduty/client"
 *
 * const getAbility = PagerDuty.entity({ name: "getAbility", method: "GET", path: "/abilities/{id}" })
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const entity = (descriptor: Descriptor) =>
  attach(
    (...args: ReadonlyArray<unknown>): Effect.Effect<any, OperationError, RestApiService> =>
      Effect.flatMap(RestApiService, (api) => runEntity(api, descriptor, args)),
    descriptor,
    "effect",
    (api, args, defaults) => runEntity(api, descriptor, args, defaults)
  )

/**
 * An operation without a JSON result (`void`).
 *
 * @example
 * ```ts
 * import { PagerDuty } from "@effect-pagerduty/client"
 *
 * const deleteTag = PagerDuty.none({ name: "deleteTag", method: "DELETE", path: "/tags/{id}" })
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const none = (descriptor: Descriptor) =>
  attach(
    (...args: ReadonlyArray<unknown>): Effect.Effect<void, OperationError, RestApiService> =>
      Effect.flatMap(RestApiService, (api) => runNone(api, descriptor, args)),
    descriptor,
    "effect",
    (api, args, defaults) => runNone(api, descriptor, args, defaults)
  )

/**
 * A listing operation: a `Stream` of its (decoded) items over every page.
 *
 * @example
 * ```ts
 * import { PagerDuty } from "@effect-pagerduty/client"
 *
 * const listTags = PagerDuty.list({ name: "listTags", method: "GET", path: "/tags", query: ["query"] })
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const list = (descriptor: Descriptor) =>
  attach(
    (...args: ReadonlyArray<unknown>): Stream.Stream<any, StreamError, RestApiService> =>
      Stream.unwrap(Effect.map(RestApiService, (api) => runList(api, descriptor, args))),
    descriptor,
    "stream",
    (api, args, defaults) => runList(api, descriptor, args, defaults)
  )

/**
 * The page-level variant of a listing operation: a `Stream` of {@link Page}s.
 *
 * @example
 * ```ts
 * import { PagerDuty } from "@effect-pagerduty/client"
 *
 * const listTagsPages = PagerDuty.pages(PagerDuty.listTags)
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const pages = (listing: Runnable) => {
  const descriptor = listing.descriptor
  return attach(
    (...args: ReadonlyArray<unknown>): Stream.Stream<Page<any>, StreamError, RestApiService> =>
      Stream.unwrap(Effect.map(RestApiService, (api) => runPages(api, descriptor, args))),
    descriptor,
    "stream",
    (api, args, defaults) => runPages(api, descriptor, args, defaults)
  )
}
