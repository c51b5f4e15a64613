/**
 * A small fake of PagerDuty's list endpoints on top of the mock HttpClient, for pagination
 * tests: classic (limit/offset/more/total with the 10 000 cap, code 2002), cursor
 * (cursor/next_cursor), since/until filtering on half-open windows, and scripted faults.
 */
import { Effect } from "effect"
import * as Mock from "./utils/mock.js"

export interface Collection {
  readonly wrapper: string
  readonly items: ReadonlyArray<Record<string, unknown>>
  readonly kind?: "classic" | "cursor"
  /** Field compared with since/until (epoch ms in the item). */
  readonly timeField?: string
  /** Answer `limit: null, offset: null` like pdpyras#61. */
  readonly nullLimitOffset?: boolean
  /** Cap on items per page regardless of the requested limit (like the API's max of 100). */
  readonly maxLimit?: number
}

export interface FakeOptions {
  readonly collections: Readonly<Record<string, Collection>>
  /** Return a Response to answer this request instead (fault injection), or undefined. */
  readonly fault?: (request: Mock.Recorded, n: number) => Response | undefined
  /** Other routes. */
  readonly fallback?: (request: Mock.Recorded, url: URL) => Response | undefined
  readonly cap?: number
}

export const makeItems = (n: number, prefix = "P", start = Date.UTC(2025, 0, 1), stepMs = 1000) =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}${String(i).padStart(6, "0")}`, name: `item ${i}`, created_at: start + i * stepMs }))

const error = (status: number, code: number, message: string) => Mock.json({ error: { code, message } }, status)

export const handler = (options: FakeOptions) => (request: Mock.Recorded, n: number): Mock.Answer => {
  const faulted = options.fault?.(request, n)
  if (faulted !== undefined) return faulted
  const url = new URL(request.url)
  const collection = options.collections[url.pathname]
  if (collection === undefined || request.method !== "GET") {
    return options.fallback?.(request, url) ?? error(404, 2100, "Not Found")
  }
  const q = url.searchParams
  let items = collection.items
  const since = q.get("since")
  const until = q.get("until")
  if (collection.timeField !== undefined && (since !== null || until !== null)) {
    const s = since === null ? -Infinity : Date.parse(since)
    const u = until === null ? Infinity : Date.parse(until)
    items = items.filter((item) => {
      const t = item[collection.timeField!] as number
      return t >= s && t < u
    })
  }
  const limit = Math.min(Number(q.get("limit") ?? 25), collection.maxLimit ?? Infinity)
  if (collection.kind === "cursor") {
    const from = Number(q.get("cursor") ?? 0)
    const page = items.slice(from, from + limit)
    const next = from + limit < items.length ? String(from + limit) : null
    return Mock.json({ [collection.wrapper]: page, limit, next_cursor: next })
  }
  const offset = Number(q.get("offset") ?? 0)
  if (offset + limit > (options.cap ?? 10_000)) {
    return error(400, 2002, "Offset+limit exceeds maximum allowed value of 10000")
  }
  const page = items.slice(offset, offset + limit)
  return Mock.json({
    [collection.wrapper]: page,
    limit: collection.nullLimitOffset ? null : limit,
    offset: collection.nullLimitOffset ? null : offset,
    more: offset + page.length < items.length,
    total: q.get("total") === "true" ? items.length : null
  })
}

export const layer = (options: FakeOptions) => Mock.layer(handler(options))

/** The query of each recorded request to `path`, as a plain object (repeated keys joined by ","). */
export const queries = (path: string) =>
  Effect.map(Mock.recorded, (rs) =>
    rs
      .map((r) => new URL(r.url))
      .filter((u) => u.pathname === path)
      .map((u) => {
        const out: Record<string, string> = {}
        for (const key of new Set(u.searchParams.keys())) out[key] = u.searchParams.getAll(key).join(",")
        return out
      }))
