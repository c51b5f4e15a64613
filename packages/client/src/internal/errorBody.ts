/**
 * Decoding of error bodies. PagerDuty documents `{"error":{"code","message","errors":[]}}`,
 * but real bodies also come as `{"error":["..."]}`, `{"error":"..."}`, `"errors":"a string"`,
 * Events API `{"status","message","errors"}`, OAuth `{"error","error_description"}`, HTML
 * from a proxy, or nothing. None of them may crash decoding: every input yields a result.
 */
import type { RateLimitInfo } from "../PagerDutyError.js"
import { isRecord } from "./record.js"

export interface DecodedErrorBody {
  readonly code?: number | string
  readonly errorMessage?: string
  readonly errors?: ReadonlyArray<string>
  /** The raw text, truncated, when the body did not have a recognisable shape. */
  readonly body?: string
}

const MAX_BODY = 2000

const truncate = (text: string): string => (text.length > MAX_BODY ? `${text.slice(0, MAX_BODY - 1)}…` : text)

const stringify = (u: unknown): string => {
  if (typeof u === "string") return u
  try {
    const text = JSON.stringify(u)
    return text === undefined ? String(u) : text
  } catch {
    return String(u)
  }
}

const toStrings = (u: unknown): ReadonlyArray<string> | undefined => {
  if (u === undefined || u === null) return undefined
  if (Array.isArray(u)) return u.map(stringify)
  return [stringify(u)]
}

const toCode = (u: unknown): number | string | undefined => {
  if (typeof u === "number" && Number.isFinite(u)) return u
  if (typeof u === "string" && u.trim() !== "") {
    const n = Number(u)
    return Number.isInteger(n) ? n : u
  }
  return undefined
}

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

/** Decode any response text into PagerDuty's error fields; never throws. */
export const decodeErrorBody = (text: string): DecodedErrorBody => {
  if (text.trim() === "") return {}
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { body: truncate(text) }
  }
  if (!isRecord(json)) return { body: truncate(text) }
  const error = json["error"]
  if (isRecord(error)) {
    const decoded = compact({
      code: toCode(error["code"]),
      errorMessage: typeof error["message"] === "string" ? error["message"] : undefined,
      errors: toStrings(error["errors"])
    })
    return Object.keys(decoded).length === 0 ? { body: truncate(text) } : decoded
  }
  if (Array.isArray(error)) {
    const errors = error.map(stringify)
    return compact({ errorMessage: errors[0], errors })
  }
  if (typeof error === "string") {
    // OAuth (`{"error":"invalid_grant","error_description":"..."}`) and some legacy endpoints.
    const description = json["error_description"]
    return compact({
      code: typeof description === "string" ? error : undefined,
      errorMessage: typeof description === "string" ? description : error,
      errors: toStrings(json["errors"])
    })
  }
  // Events API v1/v2: `{"status":"invalid event","message":"...","errors":[...]}`
  const message = json["message"]
  const errors = toStrings(json["errors"])
  if (typeof message === "string" || errors !== undefined) {
    return compact({ errorMessage: typeof message === "string" ? message : undefined, errors })
  }
  return { body: truncate(text) }
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
