/**
 * The table-driven client shared by the integration APIs (Jira Cloud, Jira Server, MS Teams,
 * Slack, Slack Connections, SCIM): raw verbs, `j*` (JSON) and `r*` (wrapped entity) verbs,
 * and classic pagination, all checked against the generated tables of each spec.
 */
import type { HttpClient } from "@effect/platform"
import { Config, Duration, Effect, Either, Option, Redacted, Stream } from "effect"
import * as ApiClient from "../ApiClient.js"
import * as Auth from "../Auth.js"
import * as EntityWrapping from "../EntityWrapping.js"
import * as Pagination from "../Pagination.js"
import { type PagerDutyError, UrlError } from "../PagerDutyError.js"
import * as Region from "../Region.js"
import type * as RetryPolicy from "../RetryPolicy.js"

/** The generated description of one integration API. */
export interface Tables {
  readonly baseUrls: { readonly us: string; readonly eu: string | null }
  readonly canonicalPaths: ReadonlyArray<string>
  readonly pathMethods: Readonly<Record<string, ReadonlyArray<string>>>
  readonly entityWrappers: Readonly<Record<string, readonly [string | null, string | null]>>
  readonly classicPaginatedPaths: ReadonlyArray<string>
}

/** Options every integration client accepts. */
export interface CommonOptions extends ApiClient.ClientOptions {
  /** An `Auth` (e.g. `OAuth.TokenSource`'s `auth`), or an API key / token sent with the client's default scheme. */
  readonly auth: Auth.Auth | Redacted.Redacted
  // `baseUrl` here overrides the whole base URL, path included (e.g. `.../integration-slack`).
}

/** Options of one call. */
export interface CallOptions {
  readonly params?: ApiClient.Query | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
  readonly timeout?: Duration.DurationInput | undefined
  readonly retry?: RetryPolicy.Options | undefined
}

/** Options of a call with a body. */
export interface BodyOptions extends CallOptions {
  /** Send the body as given, never wrapped. */
  readonly passThrough?: boolean | undefined
}

/** Options of a listing. */
export interface ListOptions {
  readonly params?: ApiClient.Query | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** Page size (`limit`), default 100. */
  readonly pageSize?: number | undefined
}

/** The verbs every table-driven integration client has. */
export interface Verbs {
  /** The underlying core client (base URL, raw `request`/`requestOk`/`json`). */
  readonly api: ApiClient.ApiClient
  /** Canonical paths and wrappers of this API. */
  readonly wrapping: EntityWrapping.EntityWrapping
  /** Send any request; the response whatever its status. */
  readonly request: (options: ApiClient.RequestOptions) => Effect.Effect<ApiClient.ApiResponse, PagerDutyError>
  /** GET and decode JSON (no unwrapping). */
  readonly jget: (path: string, options?: CallOptions) => Effect.Effect<unknown, PagerDutyError>
  /** POST JSON and decode JSON (no wrapping). */
  readonly jpost: (path: string, body: unknown, options?: CallOptions) => Effect.Effect<unknown, PagerDutyError>
  /** PUT JSON and decode JSON (no wrapping). */
  readonly jput: (path: string, body: unknown, options?: CallOptions) => Effect.Effect<unknown, PagerDutyError>
  /** GET and unwrap the entity per the spec's wrapper. */
  readonly rget: (path: string, options?: CallOptions) => Effect.Effect<unknown, PagerDutyError>
  /** POST, wrapping the body and unwrapping the response per the spec. */
  readonly rpost: (path: string, body?: unknown, options?: BodyOptions) => Effect.Effect<unknown, PagerDutyError>
  /** PUT, wrapping the body and unwrapping the response per the spec. */
  readonly rput: (path: string, body?: unknown, options?: BodyOptions) => Effect.Effect<unknown, PagerDutyError>
  /** PATCH, wrapping the body and unwrapping the response per the spec. */
  readonly rpatch: (path: string, body?: unknown, options?: BodyOptions) => Effect.Effect<unknown, PagerDutyError>
  /** DELETE; the decoded body (`null` for 204), unwrapped when the spec wraps it. */
  readonly rdelete: (path: string, options?: CallOptions) => Effect.Effect<unknown, PagerDutyError>
  /** Every item of a classic-paginated listing, as a `Stream`. */
  readonly iterAll: (path: string, options?: ListOptions) => Stream.Stream<unknown, PagerDutyError | Pagination.PaginationLimitError>
  /** {@link iterAll} collected. */
  readonly listAll: (path: string, options?: ListOptions) => Effect.Effect<ReadonlyArray<unknown>, PagerDutyError | Pagination.PaginationLimitError>
}

/** Build a path from a template, percent-encoding each parameter; empty parameters are a `UrlError`. */
export const path = (template: string, params: Readonly<Record<string, string>>): Effect.Effect<string, UrlError> => {
  let failed: string | undefined
  const out = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = params[name]
    if (value === undefined || value.trim() === "") {
      failed ??= name
      return ""
    }
    return encodeURIComponent(value)
  })
  return failed === undefined
    ? Effect.succeed(out)
    : Effect.fail(new UrlError({ url: template, reason: "Malformed", detail: `path parameter "${failed}" must not be empty` }))
}

/** The base URL of a client: `baseUrl` when given, else the table's URL for the region. */
export const baseUrlOf = (tables: Tables, options: { readonly region?: Region.Region | undefined; readonly baseUrl?: string | undefined }, host?: Region.Host, suffix?: string): string => {
  if (options.baseUrl !== undefined) return options.baseUrl
  const region = options.region ?? "us"
  if (host !== undefined && suffix !== undefined) return `${Region.origin(region, host)}${suffix}`
  return region === "eu" ? tables.baseUrls.eu ?? tables.baseUrls.us : tables.baseUrls.us
}

/** An `Auth` from the `auth` option. */
export const authOf = (auth: Auth.Auth | Redacted.Redacted, scheme: "token" | "bearer"): Auth.Auth =>
  Redacted.isRedacted(auth) ? (scheme === "token" ? Auth.token(auth) : Auth.bearer(auth)) : auth

/** Build the verbs on an `ApiClient` for `tables`. */
export const make = (
  tables: Tables,
  options: Omit<ApiClient.Options, "canonicalPath" | "permittedMethods"> & { readonly permittedMethods?: ReadonlyArray<string> }
): Effect.Effect<Verbs, UrlError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const wrapping = EntityWrapping.make({
      canonicalPaths: tables.canonicalPaths,
      wrappers: tables.entityWrappers,
      inferMissing: false
    })
    const methods = options.permittedMethods ??
      ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((m) => Object.values(tables.pathMethods).some((ms) => ms.includes(m)))
    const api = yield* ApiClient.make({
      ...options,
      permittedMethods: methods,
      canonicalPath: (p) => Either.getOrElse(wrapping.canonicalPath(p), () => ApiClient.templatePath(p))
    })

    /** The canonical path of `path` (relative or a full URL on the base), checking the method. */
    const resolve = (method: string, target: string): Effect.Effect<string, UrlError> =>
      Effect.gen(function*() {
        const url = yield* api.resolveUrl(target)
        const relative = api.relativePath(url)
        const canonical = yield* Either.match(wrapping.canonicalPath(relative), { onLeft: Effect.fail, onRight: Effect.succeed })
        const allowed = tables.pathMethods[canonical] ?? []
        if (!allowed.includes(method)) {
          return yield* new UrlError({
            url: target,
            method,
            reason: "MethodNotPermitted",
            detail: `${canonical} permits ${allowed.join(", ") || "no method"}`
          })
        }
        return canonical
      })

    const call = (options?: CallOptions) => ({
      params: options?.params,
      headers: options?.headers,
      timeout: options?.timeout,
      retry: options?.retry
    })

    const jsonCall = (method: string) => (target: string, body: unknown, options?: CallOptions) =>
      api.json({ method, url: target, json: body, ...call(options) })

    const rcall = (method: string) => (target: string, body?: unknown, options?: BodyOptions) =>
      Effect.gen(function*() {
        const canonical = yield* resolve(method, target)
        const { response: responseWrapper } = wrapping.wrappers(method, canonical)
        const wrapped = yield* Either.match(wrapping.wrap(method, canonical, body, { passThrough: options?.passThrough }), {
          onLeft: Effect.fail,
          onRight: Effect.succeed
        })
        const response = yield* api.requestOk({
          method,
          url: target,
          ...(wrapped === undefined ? {} : { json: wrapped }),
          ...call(options)
        })
        return yield* wrapping.unwrap(response, response.text.trim() === "" && responseWrapper !== null && method === "DELETE" ? null : responseWrapper)
      })

    const iterAll: Verbs["iterAll"] = (target, listOptions) =>
      Stream.unwrap(
        Effect.gen(function*() {
          const canonical = yield* resolve("GET", target)
          if (!tables.classicPaginatedPaths.includes(canonical)) {
            return yield* new UrlError({ url: target, method: "GET", reason: "NotPaginated", detail: `${canonical} is not paginated` })
          }
          const { response: wrapper } = wrapping.wrappers("GET", canonical)
          return Pagination.classic(api, target, {
            wrapper: wrapper ?? canonical.split("/").pop()!,
            params: listOptions?.params,
            headers: listOptions?.headers,
            pageSize: listOptions?.pageSize
          })
        })
      )

    return {
      api,
      wrapping,
      request: api.request,
      jget: (target, o) => api.json({ method: "GET", url: target, ...call(o) }),
      jpost: jsonCall("POST"),
      jput: jsonCall("PUT"),
      rget: (target, o) => rcall("GET")(target, undefined, o),
      rpost: rcall("POST"),
      rput: rcall("PUT"),
      rpatch: rcall("PATCH"),
      rdelete: (target, o) => rcall("DELETE")(target, undefined, o),
      iterAll,
      listAll: (target, o) => Effect.map(Stream.runCollect(iterAll(target, o)), (chunk) => Array.from(chunk))
    }
  })

/** Configuration shared by the integration clients' `layerConfig`: key, auth type, region, base URL. */
export const commonConfig = (baseUrlVariable: string) =>
  Config.all({
    auth: Auth.config(),
    region: Region.config,
    baseUrl: Config.option(Config.string(baseUrlVariable))
  }).pipe(Config.map(({ auth, baseUrl, region }) => ({ auth, region, baseUrl: Option.getOrUndefined(baseUrl) })))
