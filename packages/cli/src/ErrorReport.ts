/**
 * How the `pagerduty` command reports a failure: every error tag becomes one line on
 * stderr and its own exit code, with no stack trace, and no secret (API key, routing key)
 * ever printed: the keys are `Redacted` throughout, and as a last line of defence every
 * message is scrubbed of the key values the command was given.
 *
 * | exit | error |
 * |---|---|
 * | 0 | success |
 * | 1 | unexpected internal error (a bug: set `PAGERDUTY_DEBUG=1` for the full cause) |
 * | 2 | usage: bad or missing flags or arguments (`@effect/cli` `ValidationError`, {@link UsageError}) |
 * | 3 | `UrlError`: malformed URL or path, foreign origin, method not permitted |
 * | 4 | `HttpError`: a 4xx answer (401: wrong key or wrong region) |
 * | 5 | `ServerHttpError`: a 5xx after retries, or a response body that is not what the API promises |
 * | 6 | `TransportError`: no response (refused, reset, DNS, timeout) |
 * | 7 | `InvalidEvent`: the event failed validation and nothing was sent |
 * | 8 | {@link MissingConfiguration}, `MissingRoutingKey` or a `ConfigError`: no key, a blank key, or a bad environment variable |
 * | 9 | {@link ListingLimitError} (`PaginationLimitError`): a listing reached the API's 10 000-record cap; the message names the flags to add (`--since`/`--until`) |
 * | 10 | `HistoryWindowError` / `ScheduleQueryError`: a bad time window |
 * | 11 | `InvalidArgumentError`: a helper refused its arguments |
 * | 130 | interrupted (Ctrl-C) |
 *
 * @since 0.1.0
 */
import { ValidationError } from "@effect/cli"
import * as PagerDutyError from "@effect-pagerduty/client/PagerDutyError"
import { Cause, ConfigError, Data, Option, Redacted } from "effect"

/**
 * A usage problem found after parsing (a malformed `--param`, `--details` that is not a JSON
 * object, conflicting flags). Exit code 2.
 *
 * @example
 * ```ts
 * import { ErrorReport } from "@effect-pagerduty/cli"
 *
 * const e = new ErrorReport.UsageError({ message: "--param expects key=value, got 'limit'" })
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class UsageError extends Data.TaggedError("UsageError")<{ readonly message: string }> {}

/**
 * A required setting is absent (no API key, no routing key). Exit code 8.
 *
 * @example
 * ```ts
 * import { ErrorReport } from "@effect-pagerduty/cli"
 *
 * const e = new ErrorReport.MissingConfiguration({ setting: "API key", flag: "--api-key", env: "PAGERDUTY_API_KEY" })
 * e.message // "no API key: pass --api-key or set PAGERDUTY_API_KEY (or try --simulator)"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class MissingConfiguration extends Data.TaggedError("MissingConfiguration")<{
  readonly setting: string
  readonly flag: string
  readonly env: string
}> {
  override get message(): string {
    return `no ${this.setting}: pass ${this.flag} or set ${this.env} (or try --simulator)`
  }
}

/**
 * A listing reached the 10 000-record cap of classic pagination and more records remain.
 * `hint` says which flags get past it (`--since`/`--until`, or a narrower window). Exit code 9.
 *
 * @example
 * ```ts
 * import { ErrorReport } from "@effect-pagerduty/cli"
 *
 * const e = new ErrorReport.ListingLimitError({ path: "/incidents", cap: 10_000, hint: "add --since and --until" })
 * e.message // "GET /incidents: the API lists at most 10000 records this way and more remain; add --since and --until"
 * ```
 *
 * @since 0.2.0
 * @category errors
 */
export class ListingLimitError extends Data.TaggedError("ListingLimitError")<{
  readonly path: string
  readonly cap: number
  readonly hint: string
}> {
  override get message(): string {
    return `GET ${this.path}: the API lists at most ${this.cap} records this way and more remain; ${this.hint}`
  }
}

/**
 * The exit code of each error tag (see the module documentation for the table).
 *
 * @example
 * ```ts
 * import { ErrorReport } from "@effect-pagerduty/cli"
 *
 * ErrorReport.exitCodes.HttpError // 4
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const exitCodes = {
  Success: 0,
  Internal: 1,
  ValidationError: 2,
  UsageError: 2,
  UrlError: 3,
  HttpError: 4,
  ServerHttpError: 5,
  TransportError: 6,
  InvalidEvent: 7,
  MissingConfiguration: 8,
  MissingRoutingKey: 8,
  ConfigError: 8,
  PaginationLimitError: 9,
  ListingLimitError: 9,
  HistoryWindowError: 10,
  ScheduleQueryError: 10,
  InvalidArgumentError: 11,
  Interrupted: 130
} as const

/**
 * What to print and which code to exit with.
 *
 * @example
 * ```ts
 * import type { ErrorReport } from "@effect-pagerduty/cli"
 *
 * const r: ErrorReport.Report = { code: 4, message: "Error: GET https://api.pagerduty.com/users: 404 Not Found" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Report {
  readonly code: number
  /** The line(s) for stderr; `""` when nothing is to be printed (already printed by `@effect/cli`). */
  readonly message: string
}

/** Where to read the usage: the help of the command that was run, when it is known. */
const usageHint = (command: ReadonlyArray<string>): string =>
  command.length === 0
    ? "Run 'pagerduty --help' (or 'pagerduty <command> --help') for usage."
    : `Run '${["pagerduty", ...command, "--help"].join(" ")}' for usage.`

const hasTag = (u: unknown): u is { readonly _tag: string; readonly message?: unknown } =>
  typeof u === "object" && u !== null && "_tag" in u && typeof (u as { _tag: unknown })._tag === "string"

const isEventsUrl = (url: string): boolean => /\/(v2\/(change\/)?enqueue|generic\/)/.test(url)

const httpHint = (error: { readonly status?: unknown; readonly url?: unknown }): string => {
  const key = typeof error.url === "string" && isEventsUrl(error.url) ? "routing key" : "API key"
  switch (error.status) {
    case 401:
      return ` (the ${key} was refused: it may be wrong or revoked, or belong to the other service region; check --region us|eu)`
    case 403:
      return ` (the ${key} is valid but not allowed to do this)`
    case 429:
      return " (still rate limited after the retry budget; try again later)"
    default:
      return ""
  }
}

/**
 * The exit code and message for one error value (a failure of the command). A usage error
 * points to the help of `command` (the command names, e.g. `["incidents", "list"]`) when given.
 *
 * @example
 * ```ts
 * import { PagerDutyError } from "@effect-pagerduty/client"
 * import { ErrorReport } from "@effect-pagerduty/cli"
 *
 * ErrorReport.describe(new PagerDutyError.HttpError({ status: 401, method: "GET", url: "https://api.pagerduty.com/users" })).code // 4
 * ```
 *
 * @since 0.1.0
 * @category reporting
 */
export const describe = (error: unknown, command: ReadonlyArray<string> = []): Report => {
  if (ValidationError.isValidationError(error)) {
    // `@effect/cli` has already printed what was wrong (or the help text).
    return { code: exitCodes.ValidationError, message: usageHint(command) }
  }
  if (ConfigError.isConfigError(error)) {
    return { code: exitCodes.ConfigError, message: `Error: bad configuration: ${String(error)}` }
  }
  if (hasTag(error)) {
    const text = typeof error.message === "string" ? error.message : error._tag
    switch (error._tag) {
      case "UsageError":
        return { code: exitCodes.UsageError, message: `Error: ${text}\n${usageHint(command)}` }
      case "HttpError":
        return { code: exitCodes.HttpError, message: `Error: ${text}${httpHint(error as { status?: unknown; url?: unknown })}` }
      case "UrlError":
      case "ServerHttpError":
      case "TransportError":
      case "InvalidEvent":
      case "MissingConfiguration":
      case "MissingRoutingKey":
      case "PaginationLimitError":
      case "ListingLimitError":
      case "HistoryWindowError":
      case "ScheduleQueryError":
      case "InvalidArgumentError":
        return { code: exitCodes[error._tag], message: `Error: ${text}` }
    }
    return { code: exitCodes.Internal, message: `Error: ${error._tag}: ${text}` }
  }
  const text = error instanceof Error ? error.message : String(error)
  return { code: exitCodes.Internal, message: `Error: ${text}` }
}

/**
 * Replaces the secrets' values in `text` with `<redacted>`: the client library's own scrubbing
 * (`PagerDutyError.scrubSecrets`, the one applied to every error body a server echoes), so
 * the command and the library redact alike: secrets of at least 8 characters, where they
 * stand as a whole token, plain, percent-encoded or JSON-escaped.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { ErrorReport } from "@effect-pagerduty/cli"
 *
 * ErrorReport.scrub("key u+abc12345 refused", [Redacted.make("u+abc12345")]) // "key <redacted> refused"
 * ```
 *
 * @since 0.1.0
 * @category reporting
 */
export const scrub = (text: string, secrets: ReadonlyArray<Redacted.Redacted>): string => PagerDutyError.scrubSecrets(text, secrets)

/**
 * The report of a whole failed run: the first typed failure decides; an interruption exits
 * 130 silently; a defect is an internal error (its full cause only with `debug`). `command`
 * names the command that ran, for the usage hint.
 *
 * @example
 * ```ts
 * import { Cause } from "effect"
 * import { ErrorReport } from "@effect-pagerduty/cli"
 *
 * ErrorReport.fromCause(Cause.fail(new ErrorReport.UsageError({ message: "bad --param" })), []).code // 2
 * ```
 *
 * @since 0.1.0
 * @category reporting
 */
export const fromCause = (
  cause: Cause.Cause<unknown>,
  secrets: ReadonlyArray<Redacted.Redacted>,
  debug = false,
  command: ReadonlyArray<string> = []
): Report => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    const report = describe(failure.value, command)
    return { code: report.code, message: scrub(report.message, secrets) }
  }
  if (Cause.isInterruptedOnly(cause)) return { code: exitCodes.Interrupted, message: "" }
  const defect = Cause.dieOption(cause)
  const text = Option.isSome(defect) ? describe(defect.value).message : "Error: unexpected failure"
  const detail = debug ? `\n${Cause.pretty(cause)}` : "\n(this is a bug in pagerduty; set PAGERDUTY_DEBUG=1 for details)"
  return { code: exitCodes.Internal, message: scrub(`${text.replace(/^Error: /, "Internal error: ")}${detail}`, secrets) }
}
