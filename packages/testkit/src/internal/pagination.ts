/**
 * PagerDuty's list protocols: classic offset pagination (`limit`, `offset`, `total`, `more`,
 * with the 10 000 cap) and cursor pagination (`cursor`/`next_cursor`). Items are consumed
 * lazily, so a page of a 100 000-item collection generates only the items it shows (plus
 * one to answer `more`) unless `total=true` asks for a count.
 *
 * @internal
 */
import { json, pdError, rawJson, type SimResponse } from "./wire.js"

export const MAX_OFFSET_PLUS_LIMIT = 10_000

export interface PageParams {
  readonly limit: number
  readonly offset: number
  readonly total: boolean
}

/** Reads classic pagination parameters, or the 400 PagerDuty answers for bad ones. */
export const readPage = (query: URLSearchParams, defaultLimit = 25, maxLimit = 100): PageParams | SimResponse => {
  const rawLimit = query.get("limit")
  const rawOffset = query.get("offset")
  const limit = rawLimit === null || rawLimit === "" ? defaultLimit : Number(rawLimit)
  const offset = rawOffset === null || rawOffset === "" ? 0 : Number(rawOffset)
  if (!Number.isInteger(limit) || !Number.isInteger(offset) || offset < 0 || limit < 0) {
    return pdError(400, 2001, "Invalid Input Provided", ["Offset and limit must be non-negative integers."])
  }
  // PagerDuty clamps an over-large limit rather than rejecting it; 0 means "the default".
  const effective = limit === 0 ? defaultLimit : Math.min(limit, maxLimit)
  if (offset + effective > MAX_OFFSET_PLUS_LIMIT) {
    return pdError(400, 2002, `Offset+limit exceeds maximum allowed value of ${MAX_OFFSET_PLUS_LIMIT}`, [
      `Offset+limit exceeds maximum allowed value of ${MAX_OFFSET_PLUS_LIMIT}`
    ])
  }
  return { limit: effective, offset, total: query.get("total") === "true" }
}

export const isResponse = (x: unknown): x is SimResponse =>
  typeof x === "object" && x !== null && "status" in x && "headers" in x

/**
 * One classic page: `{ <key>: [...], limit, offset, total, more }`. The page is assembled
 * as a string from the rendered items so nothing but the page itself is serialised.
 */
export const classicPage = <A>(
  key: string,
  page: PageParams,
  items: Iterable<A>,
  render: (a: A) => unknown,
  extra: Record<string, unknown> = {}
): SimResponse => {
  const shown: Array<string> = []
  let seen = 0
  let more = false
  const end = page.offset + page.limit
  for (const item of items) {
    if (seen >= page.offset && seen < end) shown.push(JSON.stringify(render(item)))
    seen++
    if (seen > end) {
      more = true
      if (!page.total) break
    }
  }
  const total = page.total ? seen : null
  let tail = `,"limit":${page.limit},"offset":${page.offset},"total":${total === null ? "null" : total},"more":${more}`
  for (const [k, v] of Object.entries(extra)) tail += `,${JSON.stringify(k)}:${JSON.stringify(v)}`
  return rawJson(200, `{${JSON.stringify(key)}:[${shown.join(",")}]${tail}}`)
}

/**
 * A classic page over a random-access source: only the shown items are generated, which is
 * what keeps unfiltered pages of 100 000 seeded incidents cheap at any offset.
 */
export const classicPageIndexed = (
  key: string,
  page: PageParams,
  length: number,
  /** The JSON text of item i. */
  at: (i: number) => string,
  /** Caches the assembled page under a key; identity when not caching. */
  cache: (pageKey: string, build: () => string) => string | Uint8Array = (_k, build) => build()
): SimResponse => {
  const end = Math.min(length, page.offset + page.limit)
  const pageKey = `${key}|${length}|${page.offset}|${page.limit}|${page.total}`
  return rawJson(200, cache(pageKey, () => {
    const shown: Array<string> = []
    for (let i = page.offset; i < end; i++) shown.push(at(i))
    const more = page.offset + page.limit < length
    const tail = `,"limit":${page.limit},"offset":${page.offset},"total":${page.total ? length : "null"},"more":${more}`
    return `{${JSON.stringify(key)}:[${shown.join(",")}]${tail}}`
  }))
}

/** Opaque cursors: base64 of the position, the way PagerDuty's look. */
export const encodeCursor = (position: number): string => btoa(`pos:${position}`)

export const decodeCursor = (cursor: string | null): number | undefined => {
  if (cursor === null || cursor === "") return 0
  try {
    const m = /^pos:(\d+)$/.exec(atob(cursor))
    return m === null ? undefined : Number(m[1])
  } catch {
    return undefined
  }
}

/** One cursor page over an array: `{ <key>: [...], limit, next_cursor }`. */
export const cursorPage = <A>(
  key: string,
  query: URLSearchParams,
  items: ReadonlyArray<A>,
  render: (a: A) => unknown,
  maxLimit = 100
): SimResponse => {
  const start = decodeCursor(query.get("cursor"))
  if (start === undefined) return pdError(400, 2001, "Invalid Input Provided", ["Invalid cursor."])
  const rawLimit = Number(query.get("limit") ?? maxLimit)
  if (!Number.isInteger(rawLimit) || rawLimit < 1) return pdError(400, 2001, "Invalid Input Provided", ["limit must be a positive integer."])
  const limit = Math.min(rawLimit, maxLimit)
  const slice = items.slice(start, start + limit)
  const next = start + limit < items.length ? encodeCursor(start + limit) : null
  return json(200, { [key]: slice.map(render), limit, next_cursor: next })
}
