/**
 * Decoding of error bodies. PagerDuty documents `{"error":{"code","message","errors":[]}}`,
 * but real bodies also come as `{"error":["..."]}`, `{"error":"..."}`, `"errors":"a string"`,
 * Events API `{"status","message","errors"}`, OAuth `{"error","error_description"}`, HTML
 * from a proxy, or nothing. None of them may crash decoding: every input yields a result.
 *
 * Bounded: a body over {@link maxParsedLength} characters is not parsed (only its start is
 * kept), the JSON is read with one cached `Schema.parseJson` decoder (never throws), the shapes
 * are `Schema` structs whose fields are `Unknown` (nothing deep is traversed), and values are
 * rendered to text by {@link render}, which stops at {@link maxDepth} levels and
 * {@link MAX_BODY} characters. A body nested 100 000 levels deep is a short string, never a
 * `RangeError`.
 */
import { Either, Schema } from "effect"
import type { RateLimitInfo } from "../PagerDutyError.js"

export interface DecodedErrorBody {
  readonly code?: number | string
  readonly errorMessage?: string
  readonly errors?: ReadonlyArray<string>
  /** The raw text, truncated, when the body did not have a recognisable shape. */
  readonly body?: string
}

/** Longest kept body text. */
export const MAX_BODY = 2000
/** Bodies longer than this are not parsed as JSON. */
export const maxParsedLength = 1_000_000
/** Deepest level {@link render} descends into. */
export const maxDepth = 8
const MAX_ITEMS = 100

export const truncate = (text: string): string => (text.length > MAX_BODY ? `${text.slice(0, MAX_BODY - 1)}…` : text)

/**
 * A bounded, JSON-like rendering of any value: strings as they are at the top level, nested
 * values in JSON syntax, `…` past {@link maxDepth} levels, {@link MAX_ITEMS} items or
 * {@link MAX_BODY} characters. Cannot throw and does not recurse deeper than `maxDepth`.
 */
export const render = (u: unknown): string => {
  const out: Array<string> = []
  let length = 0
  const push = (s: string): boolean => {
    out.push(s)
    length += s.length
    return length < MAX_BODY
  }
  const go = (v: unknown, depth: number): boolean => {
    if (typeof v === "string") return push(depth === 0 ? v : JSON.stringify(v))
    if (typeof v === "number" || typeof v === "boolean" || v === null) return push(String(v))
    if (typeof v !== "object") return push(typeof v)
    if (depth >= maxDepth) return push(Array.isArray(v) ? "[…]" : "{…}")
    const entries: ReadonlyArray<readonly [string | undefined, unknown]> = Array.isArray(v)
      ? v.slice(0, MAX_ITEMS).map((x) => [undefined, x] as const)
      : Object.entries(v).slice(0, MAX_ITEMS)
    const total = Array.isArray(v) ? v.length : Object.keys(v).length
    if (!push(Array.isArray(v) ? "[" : "{")) return false
    for (let i = 0; i < entries.length; i++) {
      const [key, value] = entries[i]!
      if (i > 0 && !push(",")) return false
      if (key !== undefined && !push(`${JSON.stringify(key)}:`)) return false
      if (!go(value, depth + 1)) return false
    }
    if (total > entries.length && !push(",…")) return false
    return push(Array.isArray(v) ? "]" : "}")
  }
  go(u, 0)
  return truncate(out.join(""))
}

const decodeJson = Schema.decodeUnknownEither(Schema.parseJson())

const Code = Schema.Union(
  Schema.Number.pipe(Schema.filter(Number.isFinite)),
  Schema.NonEmptyTrimmedString
)
const optionalUnknown = Schema.optional(Schema.Unknown)

/** `{"error":{"code","message","errors"}}`: PagerDuty's documented shape. */
const Documented = Schema.Struct({
  error: Schema.Struct({ code: optionalUnknown, message: optionalUnknown, errors: optionalUnknown })
})
/** `{"error":["...", ...]}` */
const ErrorList = Schema.Struct({ error: Schema.Array(Schema.Unknown) })
/** `{"error":"invalid_grant","error_description":"..."}` (OAuth) and `{"error":"..."}`. */
const ErrorString = Schema.Struct({ error: Schema.String, error_description: optionalUnknown, errors: optionalUnknown })
/** Events API v1/v2: `{"status":"invalid event","message":"...","errors":[...]}` */
const Events = Schema.Struct({ message: optionalUnknown, errors: optionalUnknown })

const decodeDocumented = Schema.decodeUnknownEither(Documented)
const decodeErrorList = Schema.decodeUnknownEither(ErrorList)
const decodeErrorString = Schema.decodeUnknownEither(ErrorString)
const decodeEvents = Schema.decodeUnknownEither(Events)
const decodeCode = Schema.decodeUnknownEither(Code)

const toStrings = (u: unknown): ReadonlyArray<string> | undefined => {
  if (u === undefined || u === null) return undefined
  if (Array.isArray(u)) return u.slice(0, MAX_ITEMS).map(render)
  return [render(u)]
}

const toCode = (u: unknown): number | string | undefined =>
  Either.match(decodeCode(u), {
    onLeft: () => undefined,
    onRight: (code) => {
      if (typeof code === "number") return code
      const n = Number(code)
      return Number.isInteger(n) ? n : code
    }
  })

const text = (u: unknown): string | undefined => (typeof u === "string" ? u : undefined)

const compact = (fields: {
  code?: number | string | undefined
  errorMessage?: string | undefined
  errors?: ReadonlyArray<string> | undefined
  body?: string | undefined
}): DecodedErrorBody => {
  const out: { -readonly [K in keyof DecodedErrorBody]: DecodedErrorBody[K] } = {}
  if (fields.code !== undefined) out.code = fields.code
  if (fields.errorMessage !== undefined) out.errorMessage = fields.errorMessage
  if (fields.errors !== undefined && fields.errors.length > 0) out.errors = fields.errors
  if (fields.body !== undefined) out.body = fields.body
  return out
}

const fromJson = (json: unknown, raw: string): DecodedErrorBody => {
  const list = decodeErrorList(json)
  if (Either.isRight(list)) {
    const errors = list.right.error.slice(0, MAX_ITEMS).map(render)
    return compact({ errorMessage: errors[0], errors })
  }
  const documented = decodeDocumented(json)
  if (Either.isRight(documented)) {
    const { code, errors, message } = documented.right.error
    const decoded = compact({ code: toCode(code), errorMessage: text(message), errors: toStrings(errors) })
    return Object.keys(decoded).length === 0 ? { body: truncate(raw) } : decoded
  }
  const oauth = decodeErrorString(json)
  if (Either.isRight(oauth)) {
    const description = text(oauth.right.error_description)
    // an OAuth error code (`invalid_client`) is the code even without a description
    const isCode = description !== undefined || /^[a-z][a-z0-9_]*$/.test(oauth.right.error)
    return compact({
      code: isCode ? oauth.right.error : undefined,
      errorMessage: description ?? oauth.right.error,
      errors: toStrings(oauth.right.errors)
    })
  }
  const events = decodeEvents(json)
  if (Either.isRight(events) && typeof json === "object" && json !== null && !Array.isArray(json)) {
    const message = text(events.right.message)
    const errors = toStrings(events.right.errors)
    if (message !== undefined || errors !== undefined) return compact({ errorMessage: message, errors })
  }
  return { body: truncate(raw) }
}

/** Decode any response text into PagerDuty's error fields; never throws. */
export const decodeErrorBody = (raw: string): DecodedErrorBody => {
  if (raw.trim() === "") return {}
  if (raw.length > maxParsedLength) return { body: truncate(raw) }
  return Either.match(decodeJson(raw), {
    onLeft: () => ({ body: truncate(raw) }),
    onRight: (json) => fromJson(json, raw)
  })
}

const headerNumber = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  const n = Number(value.trim())
  return Number.isFinite(n) ? n : undefined
}

/** Read `ratelimit-limit`, `ratelimit-remaining`, `ratelimit-reset` (lower-case header record). */
export const rateLimitInfo = (headers: Readonly<Record<string, string>>): RateLimitInfo | undefined => {
  const limit = headerNumber(headers["ratelimit-limit"])
  const remaining = headerNumber(headers["ratelimit-remaining"])
  const reset = headerNumber(headers["ratelimit-reset"])
  if (limit === undefined && remaining === undefined && reset === undefined) return undefined
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(reset === undefined ? {} : { reset })
  }
}
