/**
 * The simulator's transport-neutral request and response. Both front ends (the `HttpClient`
 * layer and the `node:http` server) translate to and from these, so the dispatcher is one
 * synchronous function that never touches a socket.
 *
 * @internal
 */

/** A request as the dispatcher sees it; header names are lower-case. */
export interface SimRequest {
  readonly method: string
  readonly url: URL
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** A response as the dispatcher produces it. */
export interface SimResponse {
  readonly status: number
  readonly headers: Record<string, string>
  /** Text, or already-encoded UTF-8 (cached pages skip re-encoding). */
  readonly body: string | Uint8Array | null
}

/** What a front end must do with a request. */
export type Outcome =
  | { readonly _tag: "Respond"; readonly delayMs: number; readonly response: SimResponse }
  | {
    readonly _tag: "Drop"
    readonly delayMs: number
    /** Written partially before the connection is destroyed (server only). */
    readonly partial: SimResponse
  }
  | { readonly _tag: "Hang"; readonly delayMs: number }

const JSON_TYPE = "application/json; charset=utf-8"

/** A JSON response from an already-serialised body. */
export const rawJson = (status: number, body: string | Uint8Array, headers: Record<string, string> = {}): SimResponse => ({
  status,
  headers: { "content-type": JSON_TYPE, ...headers },
  body
})

/** A JSON response. */
export const json = (status: number, value: unknown, headers: Record<string, string> = {}): SimResponse =>
  rawJson(status, JSON.stringify(value), headers)

/** An empty response (204 and friends). */
export const empty = (status: number, headers: Record<string, string> = {}): SimResponse => ({
  status,
  headers,
  body: null
})

/** PagerDuty's REST error body: `{"error":{"message","code","errors"}}`. */
export const pdError = (
  status: number,
  code: number,
  message: string,
  errors: ReadonlyArray<string> = []
): SimResponse => json(status, { error: { message, code, errors } })

/** 400 code 2001, the "Invalid Input Provided" error. */
export const invalidInput = (...errors: ReadonlyArray<string>): SimResponse =>
  pdError(400, 2001, "Invalid Input Provided", errors)

/** 404 code 2100. */
export const notFound = (): SimResponse => pdError(404, 2100, "Not Found")

/** Reads a JSON object body; `undefined` when the body is not a JSON object. */
export const parseJsonObject = (body: string): Record<string, unknown> | undefined => {
  if (body === "") return undefined
  try {
    const value: unknown = JSON.parse(body)
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? value as Record<string, unknown>
      : undefined
  } catch {
    return undefined
  }
}

/** Narrows an unknown to a plain object. */
export const asObject = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined

/** Narrows an unknown to a non-empty string. */
export const asString = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined

/** Reads an array query parameter, accepting both `name[]` and plain repeated `name`. */
export const queryArray = (query: URLSearchParams, name: string): ReadonlyArray<string> => {
  const withBrackets = query.getAll(`${name}[]`)
  const plain = query.getAll(name)
  const all = withBrackets.length > 0 ? withBrackets.concat(plain) : plain
  // Some clients send comma-separated values; PagerDuty accepts both.
  return all.flatMap((v) => v.split(",")).filter((v) => v !== "")
}
