/**
 * Wire schemas of the Events APIs (v2 events, v2 change events, v1 events) and their
 * validation: every body is checked with `effect/Schema` before anything is sent, and a
 * failure is reported as field paths (PagerDuty's own names, e.g. `payload.summary`) with a
 * reason.
 *
 * @internal
 */
import { Either, ParseResult, Schema } from "effect"
import { HttpError, type PagerDutyError, ServerHttpError, TransportError } from "../PagerDutyError.js"
import { isRecord } from "./record.js"

/** One validation problem: the wire field path and why it is wrong. */
export interface Issue {
  readonly field: string
  readonly reason: string
}

const isoTimestamp = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/

/** Is `s` an ISO 8601 date-time with a zone (`Z` or an offset), naming a real instant? */
export const isIsoTimestamp = (s: string): boolean => {
  const m = isoTimestamp.exec(s)
  if (m === null) return false
  const [month, day, hour, minute, second] = [Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)]
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 60) return false
  const daysInMonth = new Date(Date.UTC(Number(m[1]), month, 0)).getUTCDate()
  return day >= 1 && day <= daysInMonth
}

const parsesAsUrl = (s: string, schemes: ReadonlyArray<string>): boolean => {
  try {
    return schemes.includes(new URL(s).protocol)
  } catch {
    return false
  }
}

const opt = <S extends Schema.Schema.Any>(schema: S) => Schema.optionalWith(schema, { exact: true })

const oneOf = <const L extends ReadonlyArray<string>>(field: string, values: L) =>
  text(field).pipe(
    Schema.filter((s): s is L[number] => values.includes(s), { message: () => `${field} must be one of ${values.join(", ")}` })
  )

const text = (field: string) =>
  Schema.String.annotations({ message: () => `${field} must be a string` })

// The message functions must be total: Schema also asks a refinement for its message when
// the value under it is missing or not a string (issue.actual is then anything at all).
const lengthOf = (u: unknown): string => typeof u === "string" ? ` (got ${u.length})` : ""

const nonEmpty = (field: string, max: number) =>
  text(field).pipe(
    Schema.filter((s) => s.trim().length > 0, { message: () => `${field} must not be empty or blank` }),
    Schema.filter((s) => s.length <= max, { message: (issue) => `${field} must be at most ${max} characters${lengthOf(issue.actual)}` })
  )

const httpUrl = (field: string, schemes: ReadonlyArray<string> = ["http:", "https:"]) =>
  text(field).pipe(
    Schema.filter((s) => parsesAsUrl(s, schemes), {
      message: () => `${field} must be an absolute ${schemes.map((x) => x.slice(0, -1)).join(" or ")} URL`
    })
  )

/** ISO 8601 timestamp with a zone. */
export const Timestamp = text("timestamp").pipe(
  Schema.filter(isIsoTimestamp, { message: () => "timestamp must be an ISO 8601 date-time with a zone, e.g. 2025-01-31T12:00:00Z" })
)

/** The four severities of Events API v2. */
export const Severity = oneOf("severity", ["critical", "error", "warning", "info"])

const Details = Schema.Record({ key: Schema.String, value: Schema.Unknown }).annotations({
  message: () => "custom details must be a JSON object"
})

/** `{ href, text? }` */
export const Link = Schema.Struct({
  href: httpUrl("link href"),
  text: opt(text("link text"))
})

/** `{ src, href?, alt? }`: PagerDuty shows images served over https only. */
export const Image = Schema.Struct({
  src: httpUrl("image src", ["https:"]),
  href: opt(httpUrl("image href")),
  alt: opt(text("image alt"))
})

/** A dedup key: non-blank, at most 255 characters. */
export const DedupKey = nonEmpty("dedup_key", 255)

const Payload = Schema.Struct({
  summary: nonEmpty("summary", 1024),
  source: nonEmpty("source", 255),
  severity: Severity,
  timestamp: opt(Timestamp),
  component: opt(text("component")),
  group: opt(text("group")),
  class: opt(text("class")),
  custom_details: opt(Details)
})

/** The body of a v2 trigger (without `routing_key`, which the auth adds). */
export const TriggerBody = Schema.Struct({
  event_action: Schema.Literal("trigger"),
  dedup_key: DedupKey,
  payload: Payload,
  client: opt(text("client")),
  client_url: opt(httpUrl("client_url")),
  links: opt(Schema.Array(Link)),
  images: opt(Schema.Array(Image))
})

/** The body of a v2 acknowledge or resolve. */
export const ActionBody = Schema.Struct({
  event_action: oneOf("event_action", ["acknowledge", "resolve"]),
  dedup_key: DedupKey
})

/** The body of a v2 change event. */
export const ChangeBody = Schema.Struct({
  payload: Schema.Struct({
    summary: nonEmpty("summary", 1024),
    source: opt(nonEmpty("source", 255)),
    timestamp: opt(Timestamp),
    custom_details: opt(Details)
  }),
  links: opt(Schema.Array(Link)),
  images: opt(Schema.Array(Image))
})

const LinkContext = Schema.Struct({ type: Schema.Literal("link"), href: httpUrl("context href"), text: opt(text("context text")) })
const ImageContext = Schema.Struct({
  type: Schema.Literal("image"),
  src: httpUrl("context src", ["https:"]),
  href: opt(httpUrl("context href")),
  alt: opt(text("context alt")),
  text: opt(text("context text"))
})
const contextType = Schema.Struct({ type: oneOf("context type", ["link", "image"]) })
// checked in two steps so that an unknown `type` gives one clear reason
const V1Context = Schema.Unknown.pipe(
  Schema.filter((u) => Schema.is(contextType)(u) ? undefined : { path: ["type"], message: 'context type must be one of link, image' }),
  Schema.compose(Schema.Union(LinkContext, ImageContext), { strict: false })
)

/** The body of a v1 event (without `service_key`, which the auth adds). */
export const V1Body = Schema.Struct({
  event_type: oneOf("event_type", ["trigger", "acknowledge", "resolve"]),
  description: opt(nonEmpty("description", 1024)),
  incident_key: nonEmpty("incident_key", 255),
  details: opt(Details),
  client: opt(text("client")),
  client_url: opt(httpUrl("client_url")),
  contexts: opt(Schema.Array(V1Context))
})

const pathOf = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((acc, key) => typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`, "")

/**
 * Validate `body` against `schema`: `Right` with the decoded value when valid (send `body`
 * itself, which keeps any extra properties), else `Left` with every issue (wire paths such
 * as `payload.summary` or `links[0].href`).
 */
export const validate = <A, I>(schema: Schema.Schema<A, I>, body: unknown): Either.Either<A, ReadonlyArray<Issue>> =>
  Either.mapLeft(Schema.decodeUnknownEither(schema, { errors: "all" })(body), (error) => {
    const issues = ParseResult.ArrayFormatter.formatErrorSync(error).map((i) => ({ field: pathOf(i.path), reason: i.message }))
    return issues.length > 0 ? issues : [{ field: "", reason: error.message }]
  })

/** Drop `undefined` properties, so optional fields are absent from the wire body. */
export const compact = <T extends Record<string, unknown>>(record: T): T => {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = v
  return out as T
}

/**
 * A `Date` as ISO 8601; anything else (a string, or a value of the wrong type from untyped
 * code) is passed through unchanged and rejected, if it is wrong, by the body schema.
 */
export const timestampOf = (t: unknown): unknown =>
  t instanceof Date ? (Number.isNaN(t.getTime()) ? "Invalid Date" : t.toISOString()) : t

/** An optional list: an empty array is left out of the wire body; anything else is kept for validation. */
export const listOf = (u: unknown): unknown => Array.isArray(u) && u.length === 0 ? undefined : u

/** The fields of an event input: untyped callers may pass any value, which then has none. */
export const fieldsOf = (u: unknown): Readonly<Record<string, unknown>> => isRecord(u) ? u : {}

/** The answer to a v2 alert event: `dedup_key` is required, `status` and `message` default to `""`. */
const lenientText = Schema.optionalWith(
  Schema.Union(Schema.String, Schema.transform(Schema.Unknown, Schema.Literal(""), { strict: true, decode: () => "" as const, encode: (s) => s })),
  { default: () => "" }
)

/** The answer to a v2 alert event. */
export const EnqueueAnswer = Schema.Struct({ dedup_key: Schema.NonEmptyString, status: lenientText, message: lenientText })

/** The answer to a v2 change event. */
export const ChangeAnswer = Schema.Struct({ status: Schema.String, message: lenientText })

/** The answer to a v1 event. */
export const V1Answer = Schema.Struct({ incident_key: Schema.NonEmptyString, status: lenientText, message: lenientText })

/**
 * May PagerDuty have processed an event whose send failed with `error`? Yes after more than
 * one attempt (an earlier one may have landed), on a 2xx with an unreadable body or a 5xx,
 * and on a network failure once the request may have left; no on a first-attempt 4xx or
 * redirect, and when nothing was sent.
 */
export const mayHaveBeenDelivered = (error: HttpError | ServerHttpError | TransportError): boolean => {
  if ((error.attempts ?? 1) > 1) return true
  switch (error._tag) {
    case "TransportError":
      return error.maySent
    case "ServerHttpError":
      return error.status >= 500 || (error.status >= 200 && error.status < 300)
    case "HttpError":
      return false
  }
}

/**
 * Add the event's dedup key and {@link mayHaveBeenDelivered} to an error raised after the
 * event was handed to the transport, so the caller can resend the same logical event.
 */
export const withDedupKey = (dedupKey: string) => (error: PagerDutyError): PagerDutyError => {
  switch (error._tag) {
    case "UrlError":
      return error
    case "TransportError":
      return new TransportError({ ...error, cause: error.cause, dedupKey, mayHaveBeenDelivered: mayHaveBeenDelivered(error) })
    case "HttpError":
      return new HttpError({ ...error, cause: error.cause, dedupKey, mayHaveBeenDelivered: mayHaveBeenDelivered(error) })
    case "ServerHttpError":
      return new ServerHttpError({ ...error, cause: error.cause, dedupKey, mayHaveBeenDelivered: mayHaveBeenDelivered(error) })
  }
}

export { isRecord }

/** A random dedup key from the global Web Crypto (Node 19+, browsers, workers). */
export const randomKey = (): string => globalThis.crypto.randomUUID()

/** Batch concurrency: default 4, whole numbers, at least 1 (NaN counts as 1). */
export const concurrencyOf = (concurrency: number | undefined): number => {
  const n = Math.floor(concurrency ?? 4)
  return Number.isFinite(n) && n >= 1 ? n : 1
}
