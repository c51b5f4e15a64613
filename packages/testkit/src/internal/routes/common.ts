/**
 * Helpers shared by route modules: the acting user (From header or user-level token),
 * date-range parsing and entity unwrapping.
 *
 * @internal
 */
import type { UserRec } from "../model.js"
import type { RouteContext } from "../router.js"
import { parseTime } from "../time.js"
import { asObject, invalidInput, parseJsonObject, pdError, type SimResponse } from "../wire.js"

/**
 * The user a write acts as. PagerDuty requires a `From` header with a user's email on many
 * writes made with an account-level credential; a user-level credential is its own user.
 */
export const actingUser = (ctx: RouteContext, required: boolean): UserRec | null | SimResponse => {
  const from = ctx.req.headers["from"]
  if (from !== undefined && from !== "") {
    const user = ctx.state.userByEmail(from)
    if (user === undefined) return invalidInput("Requester User Not Found")
    return user
  }
  if (ctx.caller?.userId != null) return ctx.state.users.get(ctx.caller.userId) ?? null
  if (required) {
    return pdError(400, 2001, "Invalid Input Provided", [
      "You must specify a user's email address in the \"From\" header to perform this action"
    ])
  }
  return null
}

/** Reads `{ "<key>": {...} }` from the body, or the 400 PagerDuty answers. */
export const unwrap = (ctx: RouteContext, key: string): Record<string, unknown> | SimResponse => {
  const body = parseJsonObject(ctx.req.body)
  const inner = body === undefined ? undefined : asObject(body[key])
  return inner ?? invalidInput(`The request body must be a JSON object with a "${key}" object.`)
}

export const isSim = (x: unknown): x is SimResponse =>
  typeof x === "object" && x !== null && "status" in x && "headers" in x && "body" in x

export interface Range {
  readonly since: number | undefined
  readonly until: number | undefined
}

/** Parses `since`/`until`; an unparseable one is a 400. */
export const readRange = (ctx: RouteContext): Range | SimResponse => {
  const rawSince = ctx.query.get("since")
  const rawUntil = ctx.query.get("until")
  const since = parseTime(rawSince)
  const until = parseTime(rawUntil)
  if ((rawSince !== null && rawSince !== "" && since === undefined) || (rawUntil !== null && rawUntil !== "" && until === undefined)) {
    return pdError(400, 2001, "Invalid Input Provided", ["Invalid 'since' or 'until' parameter values"])
  }
  if (since !== undefined && until !== undefined && until < since) {
    return pdError(400, 2001, "Invalid Input Provided", ["'until' must be after 'since'"])
  }
  return { since, until }
}

/** Case-insensitive substring match used by `query=` filters. */
export const matchesQuery = (query: string | null, ...fields: ReadonlyArray<string>): boolean => {
  if (query === null || query === "") return true
  const q = query.toLowerCase()
  return fields.some((f) => f.toLowerCase().includes(q))
}

/** Reads `{ id }` of a reference object. */
export const refId = (value: unknown): string | undefined => {
  const o = asObject(value)
  return typeof o?.id === "string" ? o.id : undefined
}
