/**
 * The core request service every PagerDuty API client is built on.
 *
 * An `ApiClient` owns one base URL and one credential. For every call it:
 *
 * 1. checks the method against the API's permitted set and resolves the URL against the
 *    base (a full URL must have the base *origin*: `https://api.pagerduty.com.evil.com` is a
 *    `UrlError` and nothing is sent);
 * 2. sets the standard headers (`Accept`, `User-Agent`, `Content-Type` for bodies, optional
 *    `From`), merges the caller's headers case-insensitively (they never replace the
 *    credential, a secret header or the client's `From`), applies the `Auth`, and checks
 *    every header against RFC 9110 (a bad value is `TransportError` `Encode`, never sent);
 * 3. sends through the `HttpClient` in context (with a per-attempt timeout; interrupting the
 *    fiber aborts the request), retried by `Effect.retry` with a `Schedule` built from the
 *    {@link RetryPolicy.RetryPolicy}; a 2xx body announced as JSON is decoded once (with
 *    `Schema.parseJson`) and an unreadable one is retried on idempotent requests;
 * 4. maps failures to the tagged errors of `PagerDutyError` (error bodies decoded with bounded
 *    depth and size, and scrubbed of the request's credential when a server echoes it), logs
 *    through Effect's `Logger`, records `Metric`s and wraps the call in a span, never exposing
 *    a secret.
 *
 * @since 0.1.0
 */
// Individual modules, not the `@effect/platform` index: the index loads every platform
// module (HTTP server, workers, ...) and costs users ~30 MB of RSS (bench/RESULTS.md).
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Headers from "@effect/platform/Headers"
import type { HttpMethod } from "@effect/platform/HttpMethod"
import {
  Clock,
  Context,
  Duration,
  Effect,
  Either,
  FiberRef,
  identity,
  Layer,
  LogLevel,
  Metric,
  MetricLabel,
  Option,
  Ref,
  Schema
} from "effect"
import type * as Auth from "./Auth.js"
import { decodeErrorBody, rateLimitInfo, truncate } from "./internal/errorBody.js"
import * as HeadersInternal from "./internal/headers.js"
import * as Retry from "./internal/retry.js"
import * as Scrub from "./internal/scrub.js"
import * as UrlInternal from "./internal/url.js"
import { VERSION } from "./internal/version.js"
import {
  HttpError,
  type PagerDutyError,
  type RateLimitInfo,
  ServerHttpError,
  type ServerHttpErrorReason,
  TransportError,
  UrlError
} from "./PagerDutyError.js"
import type * as Region from "./Region.js"
import * as RetryPolicy from "./RetryPolicy.js"

/**
 * A query parameter value: arrays repeat the key, booleans are sent as `true`/`false`,
 * `null` and `undefined` are left out.
 *
 * @example
 * ```ts
 * import type { ApiClient } from "@effect-pagerduty/client"
 *
 * const params: ApiClient.Query = { "statuses[]": ["triggered", "acknowledged"], total: true, limit: 100 }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type QueryValue = UrlInternal.QueryValue

/**
 * Query parameters of a request.
 *
 * @example
 * ```ts
 * import type { ApiClient } from "@effect-pagerduty/client"
 *
 * const params: ApiClient.Query = { query: "Jane", limit: 25 }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Query = UrlInternal.Query

/**
 * One call: method, path or URL, and optional query, body, headers, timeout and retry overrides.
 *
 * @example
 * ```ts
 * import type { ApiClient } from "@effect-pagerduty/client"
 *
 * const call: ApiClient.RequestOptions = {
 *   method: "PUT",
 *   url: "/incidents/PABC123",
 *   json: { incident: { type: "incident_reference", status: "acknowledged" } },
 *   headers: { From: "oncall@example.com" }
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestOptions {
  /** HTTP method (default `GET`); case and surrounding spaces are ignored. */
  readonly method?: string | undefined
  /** A path joined to the base URL, or a full URL on the base origin. */
  readonly url: string
  readonly params?: Query | undefined
  /** A JSON body (sent with `Content-Type: application/json`). */
  readonly json?: unknown
  /** A form body (`application/x-www-form-urlencoded`), e.g. for OAuth. */
  readonly form?: ReadonlyArray<readonly [string, string]> | Readonly<Record<string, string>> | undefined
  /**
   * A body sent as given, with its `Content-Type` (e.g. `{ contentType: "text/csv", data: csv }`
   * for `POST /enrichment/schemas/{schema_id}/records`). A call with `body` and `json` or `form`
   * is a `TransportError` (`Encode`), never sent.
   */
  readonly body?: { readonly contentType: string; readonly data: string | Uint8Array } | undefined
  /**
   * Extra headers; they override the client's `Accept`, `User-Agent` and `Content-Type`
   * case-insensitively, but never the credential (`Authorization`), a secret header of the
   * client (the Jira signature) or the client's `From`: use {@link RequestOptions.from}.
   */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** `From` for this call; the only way to replace a client's default `From`. */
  readonly from?: string | undefined
  /** Per-attempt timeout for this call (default: the client's, 60 s). */
  readonly timeout?: Duration.DurationInput | undefined
  /** Retry overrides for this call. */
  readonly retry?: RetryPolicy.Options | undefined
  /**
   * Retry a 2xx whose body is unreadable JSON even when the method is not idempotent (within
   * the network budget). For requests that are safe to repeat by construction, such as Events
   * API calls carrying their `dedup_key`. Idempotent methods always do.
   */
  readonly retryUnreadableBody?: boolean | undefined
}

/**
 * A response with its body read as text.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import type { ApiClient } from "@effect-pagerduty/client"
 *
 * const log = (res: ApiClient.ApiResponse) => Effect.log(`${res.status} ${res.requestId ?? "-"}`)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ApiResponse {
  readonly method: string
  /** The full URL requested, including the query string. */
  readonly url: string
  readonly status: number
  /** Response headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
  /** `x-request-id`, when present. */
  readonly requestId: string | undefined
  readonly rateLimit: RateLimitInfo | undefined
  /** Number of attempts made for this call (1 when nothing was retried). */
  readonly attempts: number
}

/**
 * The transport options every API client accepts (`RestApi`, `EventsApi`, `OAuth`, the
 * integration clients...): where to send, how to retry, how long to wait, and user middleware.
 *
 * @example
 * ```ts
 * import { HttpClient } from "@effect/platform"
 * import { Effect } from "effect"
 * import type { ApiClient } from "@effect-pagerduty/client"
 *
 * const options: ApiClient.ClientOptions = {
 *   region: "eu",
 *   retry: { deadline: "1 minute" },
 *   timeout: "10 seconds",
 *   transformClient: HttpClient.tapRequest((request) => Effect.log(request.url))
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ClientOptions {
  /** Service region (default `"us"`). */
  readonly region?: Region.Region | undefined
  /** Overrides the region's host (a proxy, the simulator on 127.0.0.1, a new PagerDuty host). */
  readonly baseUrl?: string | undefined
  /** A whole retry policy, or overrides merged over the client's default policy. */
  readonly retry?: RetryPolicy.RetryPolicy | RetryPolicy.Options | undefined
  /** Per-attempt timeout (default 60 s). */
  readonly timeout?: Duration.DurationInput | undefined
  /**
   * User middleware over the underlying `HttpClient` (headers, proxies, throttling, tracing...).
   * It wraps each single attempt, inside the client's retry: it sees every request sent, and
   * the requests a retrying middleware makes are charged to the same retry budgets, so retries
   * add up instead of multiplying.
   */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
}

/**
 * Options of {@link make}.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { ApiClient, Auth } from "@effect-pagerduty/client"
 *
 * const options: ApiClient.Options = {
 *   name: "rest",
 *   baseUrl: "https://api.pagerduty.com",
 *   auth: Auth.token(Redacted.make("u+key")),
 *   permittedMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
 *   headers: { Accept: "application/vnd.pagerduty+json;version=2" }
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Short name of the API for logs, metrics and spans (`rest`, `events`, `oauth`...). */
  readonly name: string
  /** https base URL (http is accepted for loopback hosts only); may have a path. */
  readonly baseUrl: string
  readonly auth: Auth.Auth
  readonly permittedMethods: ReadonlyArray<string>
  /** Headers sent with every request (e.g. `Accept`, `From`). */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** Retry policy (default: the `RetryPolicy.CurrentRetryPolicy` in context, else `RetryPolicy.defaults`). */
  readonly retry?: RetryPolicy.RetryPolicy | RetryPolicy.Options | undefined
  /** Per-attempt timeout (default 60 s). */
  readonly timeout?: Duration.DurationInput | undefined
  /**
   * User middleware over the underlying `HttpClient` (headers, logging, tracing...). It wraps
   * each single attempt, inside the retry (`Effect.retry` with the policy's `Schedule`): it
   * sees every request that is sent, and every request that reaches the transport, including
   * those a retrying middleware (`HttpClient.retryTransient`) makes, is charged to the retry
   * budgets, so attempts never multiply. Headers it sets cannot replace the credential: the
   * `Auth` runs before it, but the request it receives already carries `Authorization`. No
   * trace-context headers (`traceparent`, `b3`) are sent unless this re-enables them with
   * `HttpClient.withTracerPropagation(true)`: PagerDuty's CORS allow-list rejects them.
   */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
  /** Maps a request path (relative to the base) to the path template used in metrics and spans. */
  readonly canonicalPath?: ((path: string) => string) | undefined
  /** Header names (besides `Authorization`) whose values must be masked in traces. */
  readonly secretHeaders?: ReadonlyArray<string> | undefined
}

/**
 * The core request service.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import type { ApiClient } from "@effect-pagerduty/client"
 *
 * const countUsers = (client: ApiClient.ApiClient) =>
 *   Effect.map(client.json({ url: "/users", params: { total: true, limit: 1 } }), (body) => body)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ApiClient {
  readonly name: string
  /** The normalised base URL (always ends with `/`). */
  readonly baseUrl: string
  readonly permittedMethods: ReadonlyArray<string>
  /** Resolve a path or URL against the base and check its origin, without sending anything. */
  readonly resolveUrl: (url: string, params?: Query | undefined) => Effect.Effect<URL, UrlError>
  /** The path of a resolved URL relative to the base path (e.g. `/users/P1`). */
  readonly relativePath: (url: URL) => string
  /** The path template for metrics and spans. */
  readonly canonicalPath: (path: string) => string
  /**
   * Send a request and return the final response whatever its status (after retries), as
   * python-pagerduty's raw verbs do. Fails when no usable response arrived (`UrlError`,
   * `TransportError`, `ServerHttpError` for a redirect or an unreadable 2xx body), on a 401
   * (`HttpError`, after at most one `onUnauthorized` refresh), and with `HttpError` 429 when
   * the default unlimited 429 budget ends through `maxHttpRetries` or the deadline. A finite
   * per-status budget running out returns the last response.
   */
  readonly request: (options: RequestOptions) => Effect.Effect<ApiResponse, PagerDutyError>
  /** Like `request`, but a non-2xx response fails with `HttpError` (4xx) or `ServerHttpError` (5xx). */
  readonly requestOk: (options: RequestOptions) => Effect.Effect<ApiResponse, PagerDutyError>
  /** `requestOk` and decode the JSON body (`null` for an empty body; invalid JSON is a `ServerHttpError`). */
  readonly json: (options: RequestOptions) => Effect.Effect<unknown, PagerDutyError>
}

/**
 * A tag for code that needs one `ApiClient` from context (most code uses the typed clients
 * such as `RestApi` instead).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ApiClient } from "@effect-pagerduty/client"
 *
 * const program = Effect.flatMap(ApiClient.ApiClientService, (client) => client.json({ url: "/abilities" }))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class ApiClientService extends Context.Tag("@effect-pagerduty/client/ApiClient")<ApiClientService, ApiClient>() {}

/**
 * The `User-Agent` every client sends.
 *
 * @example
 * ```ts
 * import { ApiClient } from "@effect-pagerduty/client"
 *
 * ApiClient.userAgent // "effect-pagerduty/0.1.0"
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const userAgent = `effect-pagerduty/${VERSION}`

// ---------------------------------------------------------------------------------------
// metrics: the Python client's `api_call_counts` / `api_time`, as Effect metrics
// ---------------------------------------------------------------------------------------

/**
 * Responses received, per attempt, tagged `api`, `method`, `path` (canonical) and `status`.
 * The Python client's `api_call_counts`.
 *
 * @example
 * ```ts
 * import { Effect, Metric } from "effect"
 * import { ApiClient } from "@effect-pagerduty/client"
 *
 * const getUsersCount = Metric.value(
 *   ApiClient.requestsTotal.pipe(Metric.tagged("api", "rest"), Metric.tagged("method", "GET"), Metric.tagged("path", "/users"), Metric.tagged("status", "200"))
 * )
 * ```
 *
 * @since 0.1.0
 * @category metrics
 */
export const requestsTotal = Metric.counter("pagerduty_requests_total", {
  description: "PagerDuty API responses received (every attempt counts)",
  incremental: true
})

/**
 * Milliseconds spent waiting for responses, tagged like {@link requestsTotal}. The Python
 * client's `api_time`.
 *
 * @example
 * ```ts
 * import { Metric } from "effect"
 * import { ApiClient } from "@effect-pagerduty/client"
 *
 * const timeOnIncidents = Metric.value(ApiClient.requestTimeMs.pipe(Metric.tagged("path", "/incidents")))
 * ```
 *
 * @since 0.1.0
 * @category metrics
 */
export const requestTimeMs = Metric.counter("pagerduty_request_time_ms_total", {
  description: "Milliseconds spent in PagerDuty API requests",
  incremental: true
})

/**
 * Latency distribution of PagerDuty requests, tagged `api`, `method`, `path`.
 *
 * @example
 * ```ts
 * import { Metric } from "effect"
 * import { ApiClient } from "@effect-pagerduty/client"
 *
 * const latency = Metric.value(ApiClient.requestDuration)
 * ```
 *
 * @since 0.1.0
 * @category metrics
 */
export const requestDuration = Metric.timer("pagerduty_request_duration", "Latency of PagerDuty API requests")

/**
 * Retries started, tagged `api`, `method`, `path` and `reason` (a status such as `429`, or `network`).
 *
 * @example
 * ```ts
 * import { Metric } from "effect"
 * import { ApiClient } from "@effect-pagerduty/client"
 *
 * const rateLimitRetries = Metric.value(ApiClient.retriesTotal.pipe(Metric.tagged("reason", "429")))
 * ```
 *
 * @since 0.1.0
 * @category metrics
 */
export const retriesTotal = Metric.counter("pagerduty_retries_total", {
  description: "PagerDuty API request retries",
  incremental: true
})

// ---------------------------------------------------------------------------------------

const idLike = /^(?:P[A-Z0-9]{5,}|Q[A-Z0-9]{5,}|[0-9]+|[0-9a-f-]{32,36}|[A-Z0-9]{14,})$/

/**
 * A canonical-path guess for APIs without a path table: segments that look like PagerDuty
 * ids (`P1ABC2D`, numbers, UUIDs) become `{id}`, so metrics do not get one series per id.
 *
 * @example
 * ```ts
 * import { ApiClient } from "@effect-pagerduty/client"
 *
 * ApiClient.templatePath("/incidents/PABC123/notes") // "/incidents/{id}/notes"
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const templatePath = (path: string): string =>
  path
    .split("/")
    .map((segment) => (idLike.test(segment) ? "{id}" : segment))
    .join("/")

const encodeForm = (form: NonNullable<RequestOptions["form"]>): ReadonlyArray<readonly [string, string]> =>
  Array.isArray(form) ? form as ReadonlyArray<readonly [string, string]> : Object.entries(form)

const networkErrorCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"])

const neverSent = (cause: unknown): boolean => {
  let current: unknown = cause
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === "string" && networkErrorCodes.has(code)) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

const notDecoded: unique symbol = Symbol("notDecoded")

/**
 * The responses the pipeline produces: an {@link ApiResponse} that also keeps, in private
 * fields (invisible to spreads, `JSON.stringify` and equality), the secret scrubber of its
 * request (for errors built on it later) and the JSON value of a 2xx body already decoded
 * (so `parseJson` does not parse it twice). Private fields, not `WeakMap`s: a `WeakMap` entry
 * per response measurably slows the garbage collector.
 */
class PipelineResponse implements ApiResponse {
  readonly method: string
  readonly url: string
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
  readonly requestId: string | undefined
  readonly rateLimit: RateLimitInfo | undefined
  readonly attempts: number
  readonly #scrub: (text: string) => string
  #decoded: unknown = notDecoded
  constructor(fields: ApiResponse, scrub: (text: string) => string) {
    this.method = fields.method
    this.url = fields.url
    this.status = fields.status
    this.headers = fields.headers
    this.text = fields.text
    this.requestId = fields.requestId
    this.rateLimit = fields.rateLimit
    this.attempts = fields.attempts
    this.#scrub = scrub
  }
  static scrub(response: ApiResponse, text: string): string {
    return response instanceof PipelineResponse ? response.#scrub(text) : text
  }
  static decoded(response: ApiResponse): unknown {
    return response instanceof PipelineResponse ? response.#decoded : notDecoded
  }
  static setDecoded(response: PipelineResponse, value: unknown): void {
    response.#decoded = value
  }
}

const scrubbed = (response: ApiResponse, text: string): string => PipelineResponse.scrub(response, text)

/**
 * The fields every HTTP error takes from a response: status, method, URL, request id,
 * rate-limit headers and attempts (never the body, which may hold secrets such as tokens).
 *
 * @example
 * ```ts
 * import { ApiClient, PagerDutyError } from "@effect-pagerduty/client"
 *
 * declare const res: ApiClient.ApiResponse
 * const error = new PagerDutyError.ServerHttpError({ ...ApiClient.responseFields(res), reason: "UnexpectedBody" })
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export const responseFields = (response: ApiResponse) => ({
  status: response.status,
  method: response.method,
  url: response.url,
  requestId: response.requestId,
  rateLimit: response.rateLimit,
  attempts: response.attempts
})

/**
 * Turn a non-2xx response into the matching tagged error (`HttpError` for 1xx/3xx/4xx,
 * `ServerHttpError` for 5xx), decoding PagerDuty's error body when it has one. The body is
 * decoded with bounded depth and size and cannot throw; a credential the request carried
 * and the server echoed is replaced by `<redacted>`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ApiClient } from "@effect-pagerduty/client"
 *
 * const failUnlessOk = (res: ApiClient.ApiResponse) =>
 *   res.status < 300 ? Effect.succeed(res) : Effect.fail(ApiClient.responseError(res))
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export const responseError = (response: ApiResponse): HttpError | ServerHttpError => {
  const fields = { ...responseFields(response), ...decodeErrorBody(scrubbed(response, response.text)) }
  return response.status >= 500
    ? new ServerHttpError({ ...fields, reason: "ServerError" })
    : new HttpError(fields)
}

/**
 * A `ServerHttpError` for a 2xx response whose body is not what the endpoint promises.
 *
 * @example
 * ```ts
 * import { ApiClient } from "@effect-pagerduty/client"
 *
 * declare const res: ApiClient.ApiResponse
 * const error = ApiClient.unexpectedBody(res, "MissingWrapper", 'expected a key "incident"')
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export const unexpectedBody = (
  response: ApiResponse,
  reason: ServerHttpErrorReason,
  detail?: string | undefined,
  cause?: unknown
): ServerHttpError =>
  new ServerHttpError({
    ...responseFields(response),
    reason,
    ...(detail === undefined ? {} : { errorMessage: detail }),
    body: truncate(scrubbed(response, response.text)),
    ...(cause === undefined ? {} : { cause })
  })

const decodeJson = Schema.decodeUnknownEither(Schema.parseJson())

/**
 * Decode a response body as JSON: `null` for an empty body (204), a `ServerHttpError`
 * (`InvalidJson`) when it is not JSON. Uses one cached `Schema.parseJson` decoder, and the
 * value the client already decoded when it checked the body of a 2xx.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ApiClient } from "@effect-pagerduty/client"
 *
 * declare const res: ApiClient.ApiResponse
 * const body = ApiClient.parseJson(res) // Effect<unknown, ServerHttpError>
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const parseJson = (response: ApiResponse): Effect.Effect<unknown, ServerHttpError> => {
  const decoded = PipelineResponse.decoded(response)
  if (decoded !== notDecoded) return Effect.succeed(decoded)
  if (response.text.trim() === "") return Effect.succeed(null)
  return Either.match(decodeJson(response.text), {
    onLeft: (cause) => Effect.fail(unexpectedBody(response, "InvalidJson", undefined, cause)),
    onRight: Effect.succeed
  })
}

/**
 * Decode a response body with a `Schema`: the JSON value (the one the client already decoded
 * for a 2xx, else parsed with the cached `Schema.parseJson` decoder) decoded by `schema`. Not
 * JSON is `ServerHttpError` `InvalidJson`; a value that does not match is `SchemaMismatch`
 * with the `ParseError` as cause and its first lines as `errorMessage`. The decoder is built
 * once per call of `schemaJson`: keep the returned function.
 *
 * @example
 * ```ts
 * import { Effect, Schema } from "effect"
 * import { ApiClient } from "@effect-pagerduty/client"
 *
 * const Token = Schema.Struct({ access_token: Schema.Redacted(Schema.String), expires_in: Schema.Number })
 * const decodeToken = ApiClient.schemaJson(Token)
 * const token = (client: ApiClient.ApiClient) =>
 *   Effect.flatMap(client.requestOk({ method: "POST", url: "/oauth/token", form: { grant_type: "client_credentials" } }), decodeToken)
 * ```
 *
 * @since 0.2.0
 * @category utils
 */
export const schemaJson = <A, I, R>(schema: Schema.Schema<A, I, R>) => {
  const decode = Schema.decodeUnknown(schema)
  return (response: ApiResponse): Effect.Effect<A, ServerHttpError, R> =>
    Effect.flatMap(parseJson(response), (json) =>
      Effect.mapError(decode(json), (error) =>
        unexpectedBody(response, "SchemaMismatch", error.message.split("\n").slice(0, 6).join(" "), error)))
}

/** Debug logging that builds its message and annotations only when debug logs are on. */
const logDebug = (message: () => string, annotations: () => Record<string, unknown>): Effect.Effect<void> =>
  Effect.flatMap(FiberRef.get(FiberRef.currentMinimumLogLevel), (minimum) =>
    LogLevel.greaterThan(minimum, LogLevel.Debug)
      ? Effect.void
      : Effect.logDebug(message()).pipe(Effect.annotateLogs(annotations())))

/** Does a 2xx body claim to be JSON (so that an unreadable one is a transfer fault)? */
const claimsJson = (headers: Readonly<Record<string, string>>, text: string): boolean => {
  if (text.trim() === "") return false
  const type = headers["content-type"]
  return type === undefined || type.toLowerCase().includes("json") || /^\s*[[{]/.test(text)
}

/** The requests of the current attempt that reached the transport (set per attempt). */
const currentSends = FiberRef.unsafeMake<Ref.Ref<ReadonlyArray<Retry.Send>> | undefined>(undefined)

const recordSend = (send: Retry.Send) =>
  Effect.flatMap(FiberRef.get(currentSends), (ref) => ref === undefined ? Effect.void : Ref.update(ref, (s) => [...s, send]))

/**
 * Under the user's `transformClient`: records every request that reaches the transport, so
 * retry budgets count the ones a user's retrying middleware makes too.
 */
const recording = (client: HttpClient.HttpClient): HttpClient.HttpClient =>
  HttpClient.transform(client, (send) =>
    send.pipe(
      Effect.tap((response) => recordSend(response.status)),
      Effect.tapError(() => recordSend("network"))
    ))

/** One call, checked and resolved: everything an attempt needs. */
interface Prepared {
  readonly method: string
  readonly url: URL
  readonly path: string
  readonly policy: RetryPolicy.RetryPolicy
  readonly timeout: Duration.Duration
  readonly headers: Readonly<Record<string, string>>
  readonly json: unknown
  readonly form: ReadonlyArray<readonly [string, string]> | undefined
  readonly body: RequestOptions["body"]
  readonly retryUnreadableBody: boolean
}

/** State of one call across its attempts. */
interface CallState {
  readonly attempts: number
  readonly sends: number
  readonly refreshed: boolean
}

type Signal = Retry.Signal<ApiResponse | TransportError | ServerHttpError>

/**
 * Build an `ApiClient` on the `HttpClient` in context. Fails with `UrlError` when the base URL
 * is not https (http is accepted on loopback hosts, for simulators and tests).
 *
 * The request path is a pipeline of small parts: `prepare` (method, URL and origin check,
 * headers), `attempt` (auth, header validation, one send under the per-attempt timeout,
 * status classification), `Effect.retry` with the `Schedule` of `internal/retry.ts`, and
 * `settle` (what an exhausted retry returns). `transformClient` wraps each single attempt
 * (inside the retry): user middleware sees every request that is sent, and a retrying
 * middleware's extra requests are charged to the same budgets.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { ApiClient, Auth } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const client = yield* ApiClient.make({
 *     name: "rest",
 *     baseUrl: "https://api.pagerduty.com",
 *     auth: Auth.token(Redacted.make("u+key")),
 *     permittedMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
 *     headers: { Accept: "application/vnd.pagerduty+json;version=2" }
 *   })
 *   return yield* client.json({ url: "/users", params: { limit: 10 } })
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<ApiClient, UrlError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const base = yield* UrlInternal.parseBaseUrl(options.baseUrl)
    const httpClient = yield* HttpClient.HttpClient
    const client = (options.transformClient ?? identity)(recording(httpClient))
    const fetchInit = yield* Effect.serviceOption(FetchHttpClient.RequestInit)
    const contextPolicy = yield* Effect.serviceOption(RetryPolicy.CurrentRetryPolicy)
    const clientPolicy = RetryPolicy.resolve(options.retry, Option.getOrElse(contextPolicy, () => RetryPolicy.defaults))
    const env: Env = {
      options,
      base,
      client,
      clientPolicy,
      clientTimeout: Duration.decode(options.timeout ?? "60 seconds"),
      permitted: options.permittedMethods.map((m) => m.toUpperCase()),
      baseHeaders: { "user-agent": userAgent, ...HeadersInternal.normalize(options.headers) },
      protectedHeaders: new Set(["from", ...(options.secretHeaders ?? []).map((h) => h.toLowerCase())]),
      canonicalPath: options.canonicalPath ?? templatePath,
      redacted: ["authorization", ...(options.secretHeaders ?? []).map((h) => h.toLowerCase())],
      // fetch follows redirects by default; PagerDuty APIs never redirect, and a followed
      // redirect could carry the request (and its body credentials) elsewhere.
      requestInit: { ...Option.getOrElse(fetchInit, () => ({})), redirect: "manual" },
      metrics: metricsCache(options.name)
    }
    const request = requestWith(env)
    const requestOk = (call: RequestOptions) =>
      Effect.flatMap(request(call), (response) =>
        response.status >= 200 && response.status < 300 ? Effect.succeed(response) : Effect.fail(responseError(response)))
    return {
      name: options.name,
      baseUrl: base.href,
      permittedMethods: env.permitted,
      resolveUrl: (url, params) => resolveUrlIn(base, url, params),
      relativePath: (url) => UrlInternal.relativePath(base, url),
      canonicalPath: env.canonicalPath,
      request,
      requestOk,
      json: (call) => Effect.flatMap(requestOk(call), parseJson)
    }
  })

/** What `make` fixes once per client. */
interface Env {
  readonly options: Options
  readonly base: URL
  readonly client: HttpClient.HttpClient
  readonly clientPolicy: RetryPolicy.RetryPolicy
  readonly clientTimeout: Duration.Duration
  readonly permitted: ReadonlyArray<string>
  readonly baseHeaders: Readonly<Record<string, string>>
  readonly protectedHeaders: ReadonlySet<string>
  readonly canonicalPath: (path: string) => string
  readonly redacted: ReadonlyArray<string>
  readonly requestInit: globalThis.RequestInit
  readonly metrics: ReturnType<typeof metricsCache>
}

const resolveUrlIn = (base: URL, url: string, params?: Query | undefined): Effect.Effect<URL, UrlError> =>
  Effect.map(UrlInternal.resolve(base, url), (resolved) => UrlInternal.appendQuery(resolved, params))

/**
 * Tagged metrics cached per (method, path, status): `Metric.taggedWithLabels` builds and
 * hashes a new metric key on every call, a measurable share of a request's cost.
 */
const metricsCache = (api: string) => {
  const cache = new Map<string, {
    readonly requests: typeof requestsTotal
    readonly time: typeof requestTimeMs
    readonly duration: typeof requestDuration
  }>()
  return (method: string, path: string, status: number) => {
    const key = `${method} ${path} ${status}`
    const cached = cache.get(key)
    if (cached !== undefined) return cached
    const labels = [MetricLabel.make("api", api), MetricLabel.make("method", method), MetricLabel.make("path", path)]
    const withStatus = [...labels, MetricLabel.make("status", String(status))]
    const fresh = {
      requests: Metric.taggedWithLabels(requestsTotal, withStatus),
      time: Metric.taggedWithLabels(requestTimeMs, withStatus),
      duration: Metric.taggedWithLabels(requestDuration, labels)
    }
    if (cache.size < 10_000) cache.set(key, fresh)
    return fresh
  }
}

/** Method check, URL resolution and origin check, policy, timeout and headers of a call. */
const prepare = (env: Env, call: RequestOptions): Effect.Effect<Prepared, UrlError> => {
  const method = (call.method ?? "GET").trim().toUpperCase()
  if (!env.permitted.includes(method)) {
    return Effect.fail(
      new UrlError({ url: call.url, method, reason: "MethodNotPermitted", detail: `permitted methods: ${env.permitted.join(", ")}` })
    )
  }
  return Effect.map(resolveUrlIn(env.base, call.url, call.params), (url): Prepared => {
    const headers: Record<string, string> = { ...env.baseHeaders }
    if (call.json !== undefined) headers["content-type"] = "application/json"
    if (call.form !== undefined) headers["content-type"] = "application/x-www-form-urlencoded"
    if (call.body !== undefined) headers["content-type"] = call.body.contentType
    return {
      method,
      url,
      path: env.canonicalPath(UrlInternal.relativePath(env.base, url)),
      policy: call.retry === undefined ? env.clientPolicy : RetryPolicy.make(call.retry, env.clientPolicy),
      timeout: call.timeout === undefined ? env.clientTimeout : Duration.decode(call.timeout),
      headers: HeadersInternal.merge(headers, HeadersInternal.normalize(call.headers), env.protectedHeaders, call.from),
      json: call.json,
      form: call.form === undefined ? undefined : encodeForm(call.form),
      body: call.body,
      retryUnreadableBody: call.retryUnreadableBody === true
    }
  })
}

const transportError = (p: Prepared, reason: TransportError["reason"], maySent: boolean, cause: unknown) =>
  new TransportError({ method: p.method, url: p.url.href, reason, maySent, cause })

/**
 * The request to send after the `Auth` ran: a header that RFC 9110 does not allow (a line
 * break, a control character, DEL, a character above U+00FF) or a body that cannot be
 * encoded fails at once, without echoing the value, and is never retried.
 */
const buildRequest = (p: Prepared, target: Auth.AuthTarget): Either.Either<HttpClientRequest.HttpClientRequest, TransportError> => {
  const bad = HeadersInternal.invalid(target.headers)
  if (Option.isSome(bad)) return Either.left(transportError(p, "Encode", false, new Error(bad.value)))
  const request = HttpClientRequest.setHeaders(HttpClientRequest.make(p.method as HttpMethod)(p.url.href), target.headers)
  if (p.body !== undefined) {
    if (target.json !== undefined || target.form !== undefined) {
      return Either.left(transportError(p, "Encode", false, new Error("a request has one body: give one of json, form and body")))
    }
    const contentType = target.headers["content-type"] ?? p.body.contentType
    return Either.right(
      typeof p.body.data === "string"
        ? HttpClientRequest.bodyText(request, p.body.data, contentType)
        : HttpClientRequest.bodyUint8Array(request, p.body.data, contentType)
    )
  }
  if (target.form !== undefined) return Either.right(HttpClientRequest.bodyUrlParams(request, target.form as Array<[string, string]>))
  if (target.json === undefined) return Either.right(request)
  return Either.map(
    Either.try({ try: () => JSON.stringify(target.json), catch: (cause) => transportError(p, "Encode", false, cause) }),
    (text) => HttpClientRequest.bodyText(request, text, target.headers["content-type"] ?? "application/json")
  )
}

/** A response with its body read. */
interface Raw {
  readonly status: number
  readonly headers: Headers.Headers
  readonly bodyText: string
}

const fromClientError = (p: Prepared, error: HttpClientError.HttpClientError): TransportError | UrlError => {
  if (error._tag === "ResponseError") return transportError(p, "BodyRead", true, error.cause)
  if (error.reason === "InvalidUrl") return new UrlError({ url: p.url.href, reason: "Malformed", method: p.method })
  return transportError(p, error.reason === "Encode" ? "Encode" : "Transport", error.reason === "Transport" && !neverSent(error.cause), error.cause)
}

/** One send through the (user-transformed) client, its body read as text, under the per-attempt timeout. */
const send = (env: Env, p: Prepared, request: HttpClientRequest.HttpClientRequest): Effect.Effect<Raw, TransportError | UrlError> =>
  env.client.execute(request).pipe(
    Effect.flatMap((response) =>
      Effect.map(response.text, (bodyText): Raw => ({ status: response.status, headers: response.headers, bodyText }))
    ),
    Effect.mapError((error) => fromClientError(p, error)),
    Effect.timeoutFail({ duration: p.timeout, onTimeout: () => transportError(p, "Timeout", true, undefined) }),
    Effect.provideService(FetchHttpClient.RequestInit, env.requestInit),
    // No `traceparent`/`b3` headers by default: PagerDuty's CORS allow-list rejects them
    // (every browser request would fail its preflight) and PagerDuty does not join traces.
    // Spans are still recorded; `transformClient: HttpClient.withTracerPropagation(true)` opts in.
    Effect.locally(HttpClient.currentTracerPropagation, false)
  )

/** Metrics and the debug log line of one response. */
const observeResponse = (env: Env, p: Prepared, response: ApiResponse, elapsed: number) => {
  const metrics = env.metrics(p.method, p.path, response.status)
  return Metric.increment(metrics.requests).pipe(
    Effect.zipRight(Metric.incrementBy(metrics.time, elapsed)),
    Effect.zipRight(Metric.update(metrics.duration, Duration.millis(elapsed))),
    Effect.zipRight(logDebug(() => `${p.method} ${p.url.href} ${response.status}`, () => ({
      method: p.method,
      url: p.url.href,
      status: response.status,
      requestId: response.requestId ?? "(none)",
      durationMs: elapsed,
      attempt: response.attempts
    })))
  )
}

const toResponse = (
  p: Prepared,
  raw: Raw,
  attempts: number,
  scrub: (text: string) => string
): PipelineResponse => {
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(raw.headers)) headers[k.toLowerCase()] = v
  const ok = raw.status >= 200 && raw.status < 300
  return new PipelineResponse({
    method: p.method,
    url: p.url.href,
    status: raw.status,
    headers,
    // an error body is scrubbed of the credential at once; a 2xx body is data and kept intact
    text: ok ? raw.bodyText : scrub(raw.bodyText),
    requestId: headers["x-request-id"],
    rateLimit: rateLimitInfo(headers),
    attempts
  }, scrub)
}

const signal = (
  kind: Retry.Signal<unknown>["kind"],
  status: number,
  headers: Readonly<Record<string, string>>,
  sends: ReadonlyArray<Retry.Send>,
  value: ApiResponse | TransportError | ServerHttpError
): Signal => ({ _tag: "RetrySignal", kind, status, headers, sends, value })

/**
 * Status classification of one response: a 2xx with a readable body (or a non-2xx that is not
 * retried) succeeds; a redirect, a final 401, and an unreadable 2xx body on a request that
 * must not be repeated fail; a retryable status or an unreadable body becomes a {@link Signal}.
 */
const classify = (
  env: Env,
  p: Prepared,
  state: Ref.Ref<CallState>,
  response: PipelineResponse,
  sends: ReadonlyArray<Retry.Send>
): Effect.Effect<ApiResponse, PagerDutyError | Signal> => {
  const { status } = response
  if (status >= 200 && status < 300) {
    if (!claimsJson(response.headers, response.text)) return Effect.succeed(response)
    return Either.match(decodeJson(response.text), {
      onRight: (value) => {
        PipelineResponse.setDecoded(response, value)
        return Effect.succeed(response)
      },
      onLeft: () => {
        const repeatable = RetryPolicy.isIdempotent(p.method) || p.retryUnreadableBody
        // Neither the body nor the parse error (which quotes it) is kept: a 2xx body may hold
        // secrets the server issued (an OAuth token response).
        const error = new ServerHttpError({
          ...responseFields(response),
          reason: "InvalidJson",
          errorMessage: repeatable
            ? `${response.text.length} characters that are not valid JSON (truncated or garbled)`
            : `the ${p.method} may have been applied: its response body (${response.text.length} characters) is not valid JSON, so it was not retried`
        })
        return repeatable ? Effect.fail(signal("body", status, response.headers, sends, error)) : Effect.fail(error)
      }
    })
  }
  if (status >= 300 && status < 400) return Effect.fail(unexpectedBody(response, "Redirect"))
  if (status === 401 && env.options.auth.onUnauthorized !== undefined) {
    const refresh = env.options.auth.onUnauthorized
    return Effect.flatMap(Ref.getAndUpdate(state, (s) => ({ ...s, refreshed: true })), ({ refreshed }) =>
      refreshed
        ? classifyStatus(p, response, sends)
        : Effect.zipRight(refresh, Effect.fail(signal("refresh", status, response.headers, sends, response))))
  }
  return classifyStatus(p, response, sends)
}

const classifyStatus = (p: Prepared, response: ApiResponse, sends: ReadonlyArray<Retry.Send>): Effect.Effect<ApiResponse, PagerDutyError | Signal> =>
  RetryPolicy.statusBudget(p.policy, p.method, response.status) > 0
    ? Effect.fail(signal("status", response.status, response.headers, sends, response))
    : response.status === 401
    ? Effect.fail(responseError(response))
    : Effect.succeed(response)

/** A copy of a `TransportError` for this call (`cause` is not enumerable: a spread would lose it). */
const withAttempts = (e: TransportError, attempts: number | undefined, p: Prepared) =>
  new TransportError({
    method: p.method,
    url: p.url.href,
    reason: e.reason,
    maySent: e.maySent,
    cause: e.cause,
    ...(attempts === undefined ? {} : { attempts })
  })

/** One attempt: auth, header validation, one send, metrics and logs, classification. */
const attempt = (env: Env, p: Prepared, state: Ref.Ref<CallState>): Effect.Effect<ApiResponse, PagerDutyError | Signal> =>
  Effect.gen(function*() {
    const before: Auth.AuthTarget = { headers: p.headers, json: p.json, form: p.form }
    const authed = yield* env.options.auth.apply(before).pipe(
      // an `Auth` failing before it knows the request (`Auth.fromType` with an unknown type)
      Effect.mapError((e) => e._tag === "TransportError" && e.url === "" ? withAttempts(e, undefined, p) : e)
    )
    const scrub = Scrub.scrubber(Scrub.addedSecrets(before, authed))
    const request = yield* buildRequest(p, authed)
    const sendsRef = yield* Ref.make<ReadonlyArray<Retry.Send>>([])
    const started = yield* Clock.currentTimeMillis
    const outcome = yield* Effect.either(Effect.locally(send(env, p, request), currentSends, sendsRef))
    const elapsed = (yield* Clock.currentTimeMillis) - started
    const recorded = yield* Ref.get(sendsRef)
    const sends: ReadonlyArray<Retry.Send> = recorded.length > 0 ? recorded : [Either.isRight(outcome) ? outcome.right.status : "network"]
    const { attempts } = yield* Ref.updateAndGet(state, (s) => ({ ...s, attempts: s.attempts + 1, sends: s.sends + sends.length }))
      .pipe(Effect.map((s) => ({ attempts: Math.max(s.attempts, s.sends) })))
    if (Either.isLeft(outcome)) {
      const error = outcome.left
      if (error._tag === "UrlError" || error.reason === "Encode") return yield* error
      const counted = withAttempts(error, attempts, p)
      return yield* Effect.fail(signal("network", 0, {}, sends, counted))
    }
    const response = toResponse(p, outcome.right, attempts, scrub)
    yield* observeResponse(env, p, response, elapsed)
    return yield* classify(env, p, state, response, sends)
  })

/** What a call ends with when the schedule stops retrying a {@link Signal}. */
const settle = (p: Prepared, last: Signal): Effect.Effect<ApiResponse, PagerDutyError> => {
  const value = last.value
  if (value instanceof TransportError || value instanceof ServerHttpError) return Effect.fail(value)
  // 401 and 429 under the default (unlimited) 429 budget fail from every verb; any other
  // exhausted finite budget returns the last response to the raw verbs, as python-pagerduty.
  if (value.status === 401) return Effect.fail(responseError(value))
  if (value.status === 429 && !Number.isFinite(p.policy.statusBudgets[429] ?? 0)) return Effect.fail(responseError(value))
  return Effect.succeed(value)
}

/** The retry log line and metric of one allowed retry. */
const onRetry = (env: Env, p: Prepared) => (step: Retry.Step) =>
  Effect.zipRight(
    Metric.increment(Metric.taggedWithLabels(retriesTotal, [
      MetricLabel.make("api", env.options.name),
      MetricLabel.make("method", p.method),
      MetricLabel.make("path", p.path),
      MetricLabel.make("reason", step.reason)
    ])),
    logDebug(
      () =>
        `${p.method} ${p.url.href}: ${step.reason === "network" ? "network error or unreadable body" : `status ${step.reason}`}; retrying in ${
          Duration.format(step.delay)
        }`,
      () => ({ method: p.method, url: p.url.href, reason: step.reason })
    )
  )

/** A prepared call: attempts under `Effect.retry` with the policy's schedule, then settled. */
const run = (env: Env, p: Prepared): Effect.Effect<ApiResponse, PagerDutyError> =>
  Effect.gen(function*() {
    const state = yield* Ref.make<CallState>({ attempts: 0, sends: 0, refreshed: false })
    const started = yield* Clock.currentTimeMillis
    const schedule = Retry.tapRetries(Retry.schedule(p.policy, p.method, started, p.retryUnreadableBody), onRetry(env, p))
    return yield* attempt(env, p, state).pipe(
      Effect.retry(schedule),
      Effect.catchIf((e): e is Signal => Retry.isSignal(e), (last) => settle(p, last)),
      Effect.tap((response) =>
        Effect.annotateCurrentSpan({
          "http.response.status_code": response.status,
          "pagerduty.request_id": response.requestId ?? "",
          "pagerduty.retry_count": response.attempts - 1
        })
      ),
      Effect.tapError((error) =>
        Effect.flatMap(Ref.get(state), (s) =>
          Effect.annotateCurrentSpan({
            "pagerduty.retry_count": Math.max(0, Math.max(s.attempts, s.sends) - 1),
            "error.type": "reason" in error && error.reason !== undefined ? error.reason : error._tag
          }))
      )
    )
  })

const requestWith = (env: Env) => (call: RequestOptions): Effect.Effect<ApiResponse, PagerDutyError> =>
  prepare(env, call).pipe(
    Effect.tap((p) => Effect.annotateCurrentSpan("url.template", p.path)),
    Effect.flatMap((p) => run(env, p)),
    Effect.withSpan(`PagerDuty.${env.options.name}`, {
      kind: "client",
      // a stack trace per request is the single largest per-request cost in the bench
      captureStackTrace: false,
      attributes: {
        "http.request.method": (call.method ?? "GET").trim().toUpperCase(),
        "pagerduty.api": env.options.name,
        "server.address": env.base.host
      }
    }),
    Effect.locally(Headers.currentRedactedNames, env.redacted)
  )

/**
 * A layer providing {@link ApiClientService} built with {@link make}.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { ApiClient, Auth } from "@effect-pagerduty/client"
 *
 * const Live = ApiClient.layer({
 *   name: "scim",
 *   baseUrl: "https://api.pagerduty.com/scim/v2",
 *   auth: Auth.token(Redacted.make("u+key")),
 *   permittedMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"]
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<ApiClientService, UrlError, HttpClient.HttpClient> =>
  Layer.effect(ApiClientService, make(options))
