/**
 * The errors every PagerDuty client in this package can fail with.
 *
 * The Python client's hierarchy (`Error > HttpError > ServerHttpError`, and `UrlError`
 * beside it) becomes four `Data.TaggedError` classes grouped in the union
 * {@link PagerDutyError}, so `Effect.catchTag` and exhaustive `Match` work.
 *
 * No error ever contains a secret: API keys, routing keys, tokens and client secrets are
 * `Redacted` from configuration to the wire, and the only request data an error keeps is
 * the method and URL.
 *
 * @since 0.1.0
 */
import { Data, Predicate, type Redacted } from "effect"
import * as Scrub from "./internal/scrub.js"

/**
 * The rate-limit headers PagerDuty sends (`ratelimit-limit`, `ratelimit-remaining`,
 * `ratelimit-reset`), parsed as numbers, when the response had them.
 *
 * @example
 * ```ts
 * import type { PagerDutyError } from "@effect-pagerduty/client"
 *
 * const rl: PagerDutyError.RateLimitInfo = { limit: 960, remaining: 0, reset: 12 }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimitInfo {
  readonly limit?: number | undefined
  readonly remaining?: number | undefined
  /** Seconds until the budget is refilled. */
  readonly reset?: number | undefined
}

/**
 * What every HTTP-level error carries about the response.
 *
 * @example
 * ```ts
 * import { PagerDutyError } from "@effect-pagerduty/client"
 *
 * const e = new PagerDutyError.HttpError({ status: 404, method: "GET", url: "https://api.pagerduty.com/users/PXX", code: 2100 })
 * console.log(e.message) // GET https://api.pagerduty.com/users/PXX: 404 Not Found (code 2100)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface HttpErrorFields {
  /** HTTP status of the last response. */
  readonly status: number
  /** Request method, upper case. */
  readonly method: string
  /** The full request URL (no credentials are ever part of it). */
  readonly url: string
  /** `x-request-id` of the response: quote it to PagerDuty support. */
  readonly requestId?: string | undefined
  /** PagerDuty's error `code` (e.g. 2100 not found, 2001 invalid input, 2002 offset cap, 2020 rate limit). */
  readonly code?: number | string | undefined
  /** PagerDuty's error `message`, when the body had one. */
  readonly errorMessage?: string | undefined
  /** PagerDuty's `errors[]` details, when the body had them. */
  readonly errors?: ReadonlyArray<string> | undefined
  /** The raw body text (truncated), kept when it did not have PagerDuty's documented shape. */
  readonly body?: string | undefined
  /** Rate-limit headers of the response, when present. */
  readonly rateLimit?: RateLimitInfo | undefined
  /** Number of attempts made (1 when nothing was retried). */
  readonly attempts?: number | undefined
  /** Why a 2xx response was still an error, for `ServerHttpError`s raised on successful statuses. */
  readonly reason?: ServerHttpErrorReason | undefined
  /** The underlying failure (e.g. a JSON or schema parse error), when there was one. */
  readonly cause?: unknown
  /**
   * Events APIs only: the event's dedup key (`incident_key` for Events v1), fixed before the
   * first send. Send the same event again with this key to retry it without opening a
   * second incident.
   */
  readonly dedupKey?: string | undefined
  /**
   * Events APIs only: `true` when PagerDuty may have received and processed the event (a 2xx
   * with an unreadable body, a 5xx, or any failure after more than one attempt); `false`
   * when it certainly was not (a first-attempt 4xx, a redirect).
   */
  readonly mayHaveBeenDelivered?: boolean | undefined
}

/**
 * Why a `ServerHttpError` was raised: a 5xx status, an unexpected redirect, or a 2xx response
 * whose body is not what the endpoint promises.
 *
 * @example
 * ```ts
 * import type { PagerDutyError } from "@effect-pagerduty/client"
 *
 * const reason: PagerDutyError.ServerHttpErrorReason = "MissingWrapper"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type ServerHttpErrorReason =
  | "ServerError"
  | "Redirect"
  | "InvalidJson"
  | "MissingWrapper"
  | "UnexpectedBody"
  | "SchemaMismatch"

const statusTexts: Record<number, string> = {
  300: "Multiple Choices",
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  304: "Not Modified",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout"
}

/**
 * The standard reason phrase of an HTTP status (`404` gives `"Not Found"`), or `""`.
 *
 * @example
 * ```ts
 * import { PagerDutyError } from "@effect-pagerduty/client"
 *
 * PagerDutyError.statusText(429) // "Too Many Requests"
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const statusText = (status: number): string => statusTexts[status] ?? ""

const reasonTexts: Record<ServerHttpErrorReason, string> = {
  ServerError: "",
  Redirect: "PagerDuty APIs are not expected to redirect",
  InvalidJson: "the response body is not valid JSON",
  MissingWrapper: "the response body lacks the expected entity wrapper",
  UnexpectedBody: "the response body is not what the endpoint promises",
  SchemaMismatch: "the response body does not match the expected schema"
}

const httpMessage = (self: HttpErrorFields): string => {
  const text = statusText(self.status)
  let head = `${self.method} ${self.url}: ${self.status}${text === "" ? "" : ` ${text}`}`
  const details: Array<string> = []
  if (self.code !== undefined) details.push(`code ${self.code}`)
  if (self.requestId !== undefined) details.push(`request id ${self.requestId}`)
  if (self.attempts !== undefined && self.attempts > 1) details.push(`after ${self.attempts} attempts`)
  if (details.length > 0) head += ` (${details.join(", ")})`
  const explanation: Array<string> = []
  if (self.reason !== undefined && self.reason !== "ServerError") explanation.push(reasonTexts[self.reason])
  if (self.errorMessage !== undefined && self.errorMessage !== text) explanation.push(self.errorMessage)
  if (self.errors !== undefined && self.errors.length > 0) explanation.push(self.errors.join("; "))
  if (explanation.length === 0 && self.errorMessage === undefined && self.body !== undefined && self.body.trim() !== "") {
    explanation.push(oneLine(self.body))
  }
  return explanation.length === 0 ? head : `${head}: ${explanation.join(": ")}`
}

const oneLine = (text: string): string => {
  const flat = text.replace(/\s+/g, " ").trim()
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat
}

/**
 * A URL that is malformed or points at a host other than the client's base origin, or a
 * method the API does not permit. Raised before anything is sent.
 *
 * @example
 * ```ts
 * import { PagerDutyError } from "@effect-pagerduty/client"
 *
 * const e = new PagerDutyError.UrlError({ url: "https://evil.com/users", reason: "ForeignOrigin", detail: "expected https://api.pagerduty.com" })
 * e.message // "https://evil.com/users: ForeignOrigin (expected https://api.pagerduty.com)"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class UrlError extends Data.TaggedError("UrlError")<{
  readonly url: string
  readonly reason:
    | "Malformed"
    | "ForeignOrigin"
    | "InsecureScheme"
    | "MethodNotPermitted"
    | "UnknownPath"
    | "NotPaginated"
    | "InvalidResource"
  readonly detail?: string | undefined
  readonly method?: string | undefined
}> {
  override get message(): string {
    const target = this.method === undefined ? this.url : `${this.method} ${this.url}`
    return `${target}: ${this.reason}${this.detail === undefined ? "" : ` (${this.detail})`}`
  }
}

/**
 * A 4xx (or other non-2xx, non-5xx) response, after the retry policy gave up.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { PagerDutyError } from "@effect-pagerduty/client"
 *
 * const orNull = <A, R>(self: Effect.Effect<A, PagerDutyError.PagerDutyError, R>) =>
 *   self.pipe(Effect.catchIf(PagerDutyError.isNotFound, () => Effect.succeed(null)))
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class HttpError extends Data.TaggedError("HttpError")<HttpErrorFields> {
  override get message(): string {
    return httpMessage(this)
  }
}

/**
 * A 5xx response after retries, an unexpected redirect, or a 2xx response whose body is not
 * what the endpoint promises (invalid JSON, entity wrapper missing, `dedup_key` missing, a
 * schema mismatch): see `reason`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import type { PagerDutyError } from "@effect-pagerduty/client"
 *
 * const report = (e: PagerDutyError.ServerHttpError) =>
 *   Effect.logError(`PagerDuty failed (${e.reason}), request id ${e.requestId}`)
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class ServerHttpError extends Data.TaggedError("ServerHttpError")<HttpErrorFields> {
  override get message(): string {
    return httpMessage(this)
  }
}

/**
 * The request never got a (complete) response: connection refused or reset, DNS failure,
 * timeout, or the body could not be read, after the network retry budget.
 * `maySent` is `true` when the server may have received and acted on the request.
 *
 * @example
 * ```ts
 * import { PagerDutyError } from "@effect-pagerduty/client"
 *
 * const e = new PagerDutyError.TransportError({ method: "GET", url: "https://api.pagerduty.com/users", reason: "Timeout", maySent: true })
 * e.message // "GET https://api.pagerduty.com/users: network error (Timeout)"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class TransportError extends Data.TaggedError("TransportError")<{
  readonly method: string
  readonly url: string
  readonly reason: "Transport" | "Timeout" | "BodyRead" | "Encode"
  readonly maySent: boolean
  readonly attempts?: number | undefined
  readonly cause?: unknown
  /** Events APIs only: the event's dedup key (`incident_key` for v1); resend with it to retry exactly once. */
  readonly dedupKey?: string | undefined
  /** Events APIs only: whether PagerDuty may have processed the event (`maySent`, or more than one attempt). */
  readonly mayHaveBeenDelivered?: boolean | undefined
}> {
  override get message(): string {
    const attempts = this.attempts !== undefined && this.attempts > 1 ? ` after ${this.attempts} attempts` : ""
    const cause = causeMessage(this.cause)
    return `${this.method} ${this.url}: network error (${this.reason})${attempts}${cause === "" ? "" : `: ${cause}`}`
  }
}

const causeMessage = (cause: unknown): string => {
  if (Predicate.isObject(cause) && "message" in cause && typeof cause.message === "string") {
    const inner = "cause" in cause ? causeMessage(cause.cause) : ""
    const own = oneLine(cause.message)
    return inner === "" || own.includes(inner) ? own : `${own} (${inner})`
  }
  return ""
}

/**
 * Every error a request to a PagerDuty API can fail with.
 *
 * @example
 * ```ts
 * import { Match } from "effect"
 * import type { PagerDutyError } from "@effect-pagerduty/client"
 *
 * const describe = Match.type<PagerDutyError.PagerDutyError>().pipe(
 *   Match.tagsExhaustive({
 *     UrlError: (e) => `bad URL: ${e.url}`,
 *     HttpError: (e) => `client error ${e.status}`,
 *     ServerHttpError: (e) => `server error ${e.status}`,
 *     TransportError: (e) => `network: ${e.reason}`
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export type PagerDutyError = UrlError | HttpError | ServerHttpError | TransportError

/**
 * The errors that carry an HTTP response.
 *
 * @example
 * ```ts
 * import type { PagerDutyError } from "@effect-pagerduty/client"
 *
 * const status = (e: PagerDutyError.ResponseError) => e.status
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export type ResponseError = HttpError | ServerHttpError

/**
 * Is this value one of the {@link PagerDutyError} classes?
 *
 * @example
 * ```ts
 * import { PagerDutyError } from "@effect-pagerduty/client"
 *
 * PagerDutyError.isPagerDutyError(new Error("x")) // false
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isPagerDutyError = (u: unknown): u is PagerDutyError =>
  u instanceof UrlError || u instanceof HttpError || u instanceof ServerHttpError || u instanceof TransportError

/**
 * Would trying again later plausibly succeed? True for network errors, 429, 408 and 5xx.
 * A `ServerHttpError` raised on a 2xx (bad body) is not retryable.
 *
 * @example
 * ```ts
 * import { PagerDutyError } from "@effect-pagerduty/client"
 *
 * PagerDutyError.isRetryable(new PagerDutyError.HttpError({ status: 429, method: "GET", url: "https://api.pagerduty.com/users" })) // true
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isRetryable = (u: unknown): boolean => {
  if (u instanceof TransportError) return true
  if (u instanceof HttpError) return u.status === 429 || u.status === 408
  if (u instanceof ServerHttpError) return u.status >= 500
  return false
}

/**
 * Was this a rate-limit answer (HTTP 429, or PagerDuty error code 2020)?
 *
 * @example
 * ```ts
 * import { PagerDutyError } from "@effect-pagerduty/client"
 *
 * PagerDutyError.isRateLimited(new PagerDutyError.HttpError({ status: 429, method: "GET", url: "https://api.pagerduty.com/users" })) // true
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isRateLimited = (u: unknown): u is HttpError =>
  u instanceof HttpError && (u.status === 429 || u.code === 2020)

/**
 * Does this error say the resource does not exist (HTTP 404, or PagerDuty code 2100)?
 *
 * @example
 * ```ts
 * import { PagerDutyError } from "@effect-pagerduty/client"
 *
 * PagerDutyError.isNotFound(new PagerDutyError.HttpError({ status: 404, method: "GET", url: "https://api.pagerduty.com/users/PXX" })) // true
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isNotFound = (u: unknown): u is HttpError =>
  u instanceof HttpError && (u.status === 404 || u.code === 2100)

/**
 * Replace the values of `secrets` in `text` with `<redacted>`, as the clients do to every error
 * body a server echoes: only secrets of at least 8 characters, and only where they stand as
 * a whole token (not inside a longer word), plain, percent-encoded or JSON-escaped. A wrong
 * key `"wrong"` leaves "it may be wrong" alone.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { PagerDutyError } from "@effect-pagerduty/client"
 *
 * PagerDutyError.scrubSecrets("key u+abc12345 refused", [Redacted.make("u+abc12345")]) // "key <redacted> refused"
 * ```
 *
 * @since 0.2.0
 * @category utils
 */
export const scrubSecrets = (text: string, secrets: ReadonlyArray<Redacted.Redacted>): string => Scrub.scrub(text, secrets)
