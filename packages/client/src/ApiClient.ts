/**
 * The core request service every PagerDuty API client is built on.
 *
 * An `ApiClient` owns one base URL and one credential. For every call it:
 *
 * 1. checks the method against the API's permitted set and resolves the URL against the
 *    base (a full URL must have the base *origin*: `https://api.pagerduty.com.evil.com` is a
 *    `UrlError` and nothing is sent);
 * 2. sets the standard headers (`Accept`, `User-Agent`, `Content-Type` for bodies, optional
 *    `From`), merges the caller's headers case-insensitively, and applies the `Auth`;
 * 3. sends through the `HttpClient` in context (with a per-attempt timeout; interrupting the
 *    fiber aborts the request), following the {@link RetryPolicy.RetryPolicy};
 * 4. maps failures to the tagged errors of `PagerDutyError`, logs through Effect's `Logger`,
 *    records `Metric`s and wraps the call in a span, never exposing a secret.
 *
 * @since 0.1.0
 */
// Individual modules, not the `@effect/platform` index: the index loads every platform
// module (HTTP server, workers, ...) and costs users ~30 MB of RSS (bench/RESULTS.md).
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Headers from "@effect/platform/Headers"
import type { HttpMethod } from "@effect/platform/HttpMethod"
import {
  Clock,
  Context,
  Duration,
  Effect,
  Either,
  FiberRef,
  Layer,
  LogLevel,
  Metric,
  MetricLabel,
  Option,
  ScheduleDecision,
  ScheduleIntervals
} from "effect"
import type * as Auth from "./Auth.js"
import { decodeErrorBody, rateLimitInfo } from "./internal/errorBody.js"
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
  /** Extra headers; they override the client's headers case-insensitively. */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** Per-attempt timeout for this call (default: the client's, 60 s). */
  readonly timeout?: Duration.DurationInput | undefined
  /** Retry overrides for this call. */
  readonly retry?: RetryPolicy.Options | undefined
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
  /** User middleware over the underlying `HttpClient` (headers, proxies, throttling, tracing...). */
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
   * User middleware over the underlying `HttpClient` (headers, logging, tracing...). No
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
   * Send a request and return the final response whatever its status (after retries). Fails
   * only when no usable response arrived (`UrlError`, `TransportError`, or `ServerHttpError`
   * for a redirect).
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

const normalizeHeaders = (headers: Readonly<Record<string, string>> | undefined): Record<string, string> => {
  const out: Record<string, string> = {}
  if (headers === undefined) return out
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value
  return out
}

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

const toRecord = (headers: Headers.Headers): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v
  return out
}

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
 * `ServerHttpError` for 5xx), decoding PagerDuty's error body when it has one.
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
  const fields = { ...responseFields(response), ...decodeErrorBody(response.text) }
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
    body: response.text.length > 2000 ? `${response.text.slice(0, 1999)}…` : response.text,
    ...(cause === undefined ? {} : { cause })
  })

/**
 * Decode a response body as JSON: `null` for an empty body (204), a `ServerHttpError`
 * (`InvalidJson`) when it is not JSON.
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
  if (response.text.trim() === "") return Effect.succeed(null)
  try {
    return Effect.succeed(JSON.parse(response.text))
  } catch (cause) {
    return Effect.fail(unexpectedBody(response, "InvalidJson", undefined, cause))
  }
}

/** Debug logging that builds its message and annotations only when debug logs are on. */
const logDebug = (message: () => string, annotations: () => Record<string, unknown>): Effect.Effect<void> =>
  Effect.flatMap(FiberRef.get(FiberRef.currentMinimumLogLevel), (minimum) =>
    LogLevel.greaterThan(minimum, LogLevel.Debug)
      ? Effect.void
      : Effect.logDebug(message()).pipe(Effect.annotateLogs(annotations())))

type Attempt =
  | { readonly _tag: "Response"; readonly response: ApiResponse }
  | { readonly _tag: "Failure"; readonly error: TransportError }

interface Resolved {
  readonly policy: RetryPolicy.RetryPolicy
  readonly timeout: Duration.Duration
}

/**
 * Build an `ApiClient` on the `HttpClient` in context. Fails with `UrlError` when the base URL
 * is not https (http is accepted on loopback hosts, for simulators and tests).
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
    const base = yield* Either.match(UrlInternal.parseBaseUrl(options.baseUrl), {
      onLeft: Effect.fail,
      onRight: Effect.succeed
    })
    const httpClient = yield* HttpClient.HttpClient
    const client = options.transformClient === undefined ? httpClient : options.transformClient(httpClient)
    const fetchInit = yield* Effect.serviceOption(FetchHttpClient.RequestInit)
    const contextPolicy = yield* Effect.serviceOption(RetryPolicy.CurrentRetryPolicy)
    const clientPolicy = RetryPolicy.resolve(options.retry, Option.getOrElse(contextPolicy, () => RetryPolicy.defaults))
    const clientTimeout = Duration.decode(options.timeout ?? "60 seconds")
    const permitted = options.permittedMethods.map((m) => m.toUpperCase())
    const permittedSet = new Set(permitted)
    const baseHeaders: Record<string, string> = { "user-agent": userAgent, ...normalizeHeaders(options.headers) }
    const canonicalPath = options.canonicalPath ?? templatePath
    const redacted = ["authorization", ...(options.secretHeaders ?? []).map((h) => h.toLowerCase())]
    // fetch follows redirects by default; PagerDuty APIs never redirect, and a followed
    // redirect could carry the request (and its body credentials) elsewhere.
    const requestInit: globalThis.RequestInit = { ...Option.getOrElse(fetchInit, () => ({})), redirect: "manual" }

    // Tagged metrics are cached per (method, path, status): `Metric.taggedWithLabels` builds
    // and hashes a new metric key on every call, a measurable share of a request's cost.
    const metricCache = new Map<string, {
      readonly requests: typeof requestsTotal
      readonly time: typeof requestTimeMs
      readonly duration: typeof requestDuration
    }>()
    const metricsFor = (method: string, path: string, status: number) => {
      const key = `${method} ${path} ${status}`
      let cached = metricCache.get(key)
      if (cached === undefined) {
        const labels = [
          MetricLabel.make("api", options.name),
          MetricLabel.make("method", method),
          MetricLabel.make("path", path)
        ]
        const withStatus = [...labels, MetricLabel.make("status", String(status))]
        cached = {
          requests: Metric.taggedWithLabels(requestsTotal, withStatus),
          time: Metric.taggedWithLabels(requestTimeMs, withStatus),
          duration: Metric.taggedWithLabels(requestDuration, labels)
        }
        if (metricCache.size < 10_000) metricCache.set(key, cached)
      }
      return cached
    }

    const resolveUrl = (url: string, params?: Query | undefined): Effect.Effect<URL, UrlError> =>
      Either.match(UrlInternal.resolve(base, url), {
        onLeft: Effect.fail,
        onRight: (resolved) => Effect.succeed(UrlInternal.appendQuery(resolved, params))
      })

    const relativePath = (url: URL) => UrlInternal.relativePath(base, url)

    const sendOnce = (
      method: string,
      url: URL,
      target: Auth.AuthTarget,
      timeout: Duration.Duration
    ): Effect.Effect<Attempt, UrlError> => {
      const href = url.href
      const transportFailure = (reason: TransportError["reason"], maySent: boolean, cause: unknown): Attempt => ({
        _tag: "Failure",
        error: new TransportError({ method, url: href, reason, maySent, cause })
      })
      // A header value with a line break (a pasted key, a bad `From`) can never be sent: say so
      // at once, without retries and without echoing the value (it may be a credential).
      for (const [name, value] of Object.entries(target.headers)) {
        if (/[\r\n\0]/.test(value)) {
          return Effect.succeed(
            transportFailure("Encode", false, new Error(`the ${name} header contains a line break or NUL character`))
          )
        }
      }
      let request = HttpClientRequest.make(method as HttpMethod)(href)
      request = HttpClientRequest.setHeaders(request, target.headers)
      if (target.form !== undefined) {
        request = HttpClientRequest.bodyUrlParams(request, target.form as Array<[string, string]>)
      } else if (target.json !== undefined) {
        let text: string
        try {
          text = JSON.stringify(target.json)
        } catch (cause) {
          return Effect.succeed(transportFailure("Encode", false, cause))
        }
        request = HttpClientRequest.bodyText(request, text, target.headers["content-type"] ?? "application/json")
      }
      const readResponse = (response: HttpClientResponse.HttpClientResponse) =>
        Effect.map(response.text, (text): Attempt => {
          const headers = toRecord(response.headers)
          return {
            _tag: "Response",
            response: {
              method,
              url: href,
              status: response.status,
              headers,
              text,
              requestId: headers["x-request-id"],
              rateLimit: rateLimitInfo(headers),
              attempts: 1
            }
          }
        })
      return client.execute(request).pipe(
        Effect.flatMap(readResponse),
        Effect.timeoutFail({
          duration: timeout,
          onTimeout: () => ({ _tag: "Timeout" as const })
        }),
        Effect.catchAll((error: HttpClientError.HttpClientError | { readonly _tag: "Timeout" }) => {
          switch (error._tag) {
            case "Timeout":
              return Effect.succeed(transportFailure("Timeout", true, undefined))
            case "RequestError":
              return error.reason === "InvalidUrl"
                ? Effect.fail(new UrlError({ url: href, reason: "Malformed", method }))
                : Effect.succeed(
                  transportFailure(error.reason === "Encode" ? "Encode" : "Transport", error.reason === "Transport" && !neverSent(error.cause), error.cause)
                )
            case "ResponseError":
              return Effect.succeed(transportFailure("BodyRead", true, error.cause))
          }
        }),
        Effect.provideService(FetchHttpClient.RequestInit, requestInit),
        // No `traceparent`/`b3` headers by default: PagerDuty's CORS allow-list rejects them
        // (every browser request would fail its preflight) and PagerDuty does not join traces.
        // Spans are still recorded; `transformClient: HttpClient.withTracerPropagation(true)` opts in.
        Effect.locally(HttpClient.currentTracerPropagation, false)
      )
    }

    const nextBackoff = (
      policy: RetryPolicy.RetryPolicy,
      state: { current: unknown },
      input: unknown
    ): Effect.Effect<Option.Option<Duration.Duration>> =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.map(policy.backoff.step(now, input, state.current), ([next, _out, decision]) => {
          state.current = next
          if (ScheduleDecision.isDone(decision)) return Option.none()
          return Option.some(Duration.millis(Math.max(0, ScheduleIntervals.start(decision.intervals) - now)))
        }))

    const request = (call: RequestOptions): Effect.Effect<ApiResponse, PagerDutyError> => {
      const method = (call.method ?? "GET").trim().toUpperCase()
      const pathTemplateOf = (url: URL) => canonicalPath(relativePath(url))
      return Effect.gen(function*() {
        if (!permittedSet.has(method)) {
          return yield* new UrlError({
            url: call.url,
            method,
            reason: "MethodNotPermitted",
            detail: `permitted methods: ${permitted.join(", ")}`
          })
        }
        const url = yield* resolveUrl(call.url, call.params)
        const path = pathTemplateOf(url)
        yield* Effect.annotateCurrentSpan("url.template", path)
        const resolved: Resolved = {
          policy: call.retry === undefined ? clientPolicy : RetryPolicy.make(call.retry, clientPolicy),
          timeout: call.timeout === undefined ? clientTimeout : Duration.decode(call.timeout)
        }
        const { policy } = resolved
        const headers: Record<string, string> = { ...baseHeaders }
        if (call.json !== undefined) headers["content-type"] = "application/json"
        if (call.form !== undefined) headers["content-type"] = "application/x-www-form-urlencoded"
        const userHeaders = normalizeHeaders(call.headers)
        const form = call.form === undefined ? undefined : encodeForm(call.form)
        const tags = [
          MetricLabel.make("api", options.name),
          MetricLabel.make("method", method),
          MetricLabel.make("path", path)
        ]
        const started = yield* Clock.currentTimeMillis
        const backoffState = { current: policy.backoff.initial }
        const perStatus = new Map<number, number>()
        let httpRetries = 0
        let networkRetries = 0
        let attempts = 0
        let refreshedAuth = false

        const wait = (delay: Duration.Duration, reason: string, href: string) =>
          Effect.gen(function*() {
            const now = yield* Clock.currentTimeMillis
            if (now - started + Duration.toMillis(delay) > Duration.toMillis(policy.deadline)) return false
            yield* Metric.increment(Metric.taggedWithLabels(retriesTotal, [...tags, MetricLabel.make("reason", reason)]))
            yield* logDebug(
              () => `${method} ${href}: ${reason === "network" ? "network error" : `status ${reason}`}; retrying in ${Duration.format(delay)}`,
              () => ({ method, url: href, reason, attempt: attempts })
            )
            yield* Effect.sleep(delay)
            return true
          })

        while (true) {
          attempts++
          const authed = yield* options.auth.apply({
            headers,
            json: call.json,
            form
          })
          const finalHeaders = { ...authed.headers, ...userHeaders }
          const attemptStart = yield* Clock.currentTimeMillis
          const attempt = yield* sendOnce(method, url, { ...authed, headers: finalHeaders }, resolved.timeout)
          const elapsed = (yield* Clock.currentTimeMillis) - attemptStart

          if (attempt._tag === "Failure") {
            const error = attempt.error
            if (error.reason !== "Encode" && RetryPolicy.retriesNetworkErrors(policy, method) && networkRetries < policy.maxNetworkRetries) {
              const delay = yield* nextBackoff(policy, backoffState, error)
              if (Option.isSome(delay) && (yield* wait(delay.value, "network", url.href))) {
                networkRetries++
                continue
              }
            }
            yield* Effect.annotateCurrentSpan({ "pagerduty.retry_count": attempts - 1, "error.type": error.reason })
            return yield* new TransportError({ ...error, method: error.method, url: error.url, reason: error.reason, maySent: error.maySent, attempts, cause: error.cause })
          }

          const response: ApiResponse = { ...attempt.response, attempts }
          const metrics = metricsFor(method, path, response.status)
          yield* Metric.increment(metrics.requests)
          yield* Metric.incrementBy(metrics.time, elapsed)
          yield* Metric.update(metrics.duration, Duration.millis(elapsed))
          yield* logDebug(() => `${method} ${url.href} ${response.status}`, () => ({
            method,
            url: url.href,
            status: response.status,
            requestId: response.requestId ?? "(none)",
            durationMs: elapsed,
            attempt: attempts
          }))

          if (response.status === 401 && options.auth.onUnauthorized !== undefined && !refreshedAuth) {
            refreshedAuth = true
            yield* options.auth.onUnauthorized
            continue
          }
          if (response.status >= 300 && response.status < 400) {
            yield* Effect.annotateCurrentSpan({
              "http.response.status_code": response.status,
              "pagerduty.request_id": response.requestId ?? "",
              "pagerduty.retry_count": attempts - 1
            })
            return yield* unexpectedBody(response, "Redirect")
          }
          const budget = RetryPolicy.statusBudget(policy, method, response.status)
          const used = perStatus.get(response.status) ?? 0
          if (budget > used && httpRetries < policy.maxHttpRetries) {
            const now = yield* Clock.currentTimeMillis
            const fromHeaders = policy.honourRateLimitHeaders
              ? RetryPolicy.headerDelay(response.headers, now)
              : Option.none()
            const delay = Option.isSome(fromHeaders) ? fromHeaders : yield* nextBackoff(policy, backoffState, response.status)
            if (Option.isSome(delay) && (yield* wait(delay.value, String(response.status), url.href))) {
              perStatus.set(response.status, used + 1)
              httpRetries++
              continue
            }
          }
          yield* Effect.annotateCurrentSpan({
            "http.response.status_code": response.status,
            "pagerduty.request_id": response.requestId ?? "",
            "pagerduty.retry_count": attempts - 1
          })
          return response
        }
      }).pipe(
        Effect.withSpan(`PagerDuty.${options.name}`, {
          kind: "client",
          // a stack trace per request is the single largest per-request cost in the bench
          captureStackTrace: false,
          attributes: {
            "http.request.method": method,
            "pagerduty.api": options.name,
            "server.address": base.host
          }
        }),
        Effect.locally(Headers.currentRedactedNames, redacted)
      )
    }

    const requestOk = (call: RequestOptions) =>
      Effect.flatMap(request(call), (response) =>
        response.status >= 200 && response.status < 300 ? Effect.succeed(response) : Effect.fail(responseError(response)))

    return {
      name: options.name,
      baseUrl: base.href,
      permittedMethods: permitted,
      resolveUrl,
      relativePath,
      canonicalPath,
      request,
      requestOk,
      json: (call) => Effect.flatMap(requestOk(call), parseJson)
    }
  })

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
