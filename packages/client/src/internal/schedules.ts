/**
 * Pure helpers of `Schedules`: instants, validation, splitting a window into chunks the API
 * accepts, stitching the chunks' rendered entries back into one exact timeline, and the
 * outer-edge overflow rule.
 *
 * @internal
 */
import { Option, Schema } from "effect"

/** An instant as users give it: a `Date`, epoch milliseconds, or an ISO-8601 string. */
export type Instant = Date | number | string

/** A rendered entry as the API returns it (`start`, `end`, `user`, plus whatever else). */
export type RawEntry = Readonly<Record<string, unknown>>

/** An entry with its parsed bounds and the user id it belongs to. */
export interface Piece<R = unknown> {
  readonly startMs: number
  readonly endMs: number
  readonly userId: string
  /** The entry, with `start`/`end` strings matching `startMs`/`endMs`. */
  readonly raw: RawEntry
  /** Where the entry came from (e.g. the response, for error reports). */
  readonly origin: R
}

/** Parses an instant; `undefined` when it is not a valid date. */
export const parseInstant = (input: Instant): number | undefined => {
  if (input instanceof Date) {
    const ms = input.getTime()
    return Number.isFinite(ms) ? ms : undefined
  }
  if (typeof input === "number") return Number.isFinite(input) ? input : undefined
  if (typeof input !== "string" || input.trim() === "") return undefined
  const ms = Date.parse(input.trim())
  return Number.isNaN(ms) ? undefined : ms
}

/** Whether `timeZone` is an IANA zone the runtime knows (`Intl` throws `RangeError` otherwise). */
export const isValidTimeZone = (timeZone: string): boolean => {
  if (typeof timeZone !== "string" || timeZone.trim() === "") return false
  try {
    new Intl.DateTimeFormat(undefined, { timeZone })
    return true
  } catch {
    return false
  }
}

/** PagerDuty ids are non-empty alphanumeric strings (`P4MHU96`). */
export const isValidId = (id: unknown): id is string => typeof id === "string" && /^[A-Za-z0-9]+$/.test(id)

/**
 * Consecutive `[from, to)` windows covering `[since, until)`, each at most `maxMs` long; the
 * last one ends exactly at `until`.
 */
export const splitWindow = (since: number, until: number, maxMs: number): Array<readonly [number, number]> => {
  const out: Array<readonly [number, number]> = []
  if (!(maxMs > 0) || until <= since) return [[since, until]]
  for (let from = since; from < until; from += maxMs) out.push([from, Math.min(until, from + maxMs)])
  return out
}

const formatters = new Map<string, Intl.DateTimeFormat>()

const partsIn = (ms: number, timeZone: string): Record<string, number> => {
  let f = formatters.get(timeZone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit"
    })
    formatters.set(timeZone, f)
  }
  const out: Record<string, number> = {}
  for (const p of f.formatToParts(new Date(ms))) if (p.type !== "literal") out[p.type] = Number(p.value)
  return out
}

/**
 * An ISO-8601 string of `ms` as PagerDuty renders times in a zone: `2026-01-05T09:00:00Z`
 * in UTC, `2026-01-05T10:00:00+01:00` elsewhere (whole seconds).
 */
export const formatInZone = (ms: number, timeZone: string): string => {
  const whole = Math.floor(ms / 1000) * 1000
  const p = partsIn(whole, timeZone)
  const local = Date.UTC(p["year"]!, p["month"]! - 1, p["day"]!, p["hour"]!, p["minute"]!, p["second"]!)
  const offset = local - whole
  const stamp = new Date(local).toISOString().slice(0, 19)
  if (offset === 0) return `${stamp}Z`
  const abs = Math.abs(offset) / 60_000
  return `${stamp}${offset < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`
}

/** What a rendered entry must have: `start`, `end` and `user.id` strings (anything else is kept as is). */
const RenderedEntry = Schema.Struct({
  start: Schema.String,
  end: Schema.String,
  user: Schema.Struct({ id: Schema.String })
})
const decodeEntry = Schema.decodeUnknownOption(RenderedEntry)

/** Parses one rendered entry; `undefined` when it lacks a valid `start`, `end` or `user.id`. */
export const toPiece = <R>(entry: unknown, origin: R): Piece<R> | undefined =>
  Option.match(decodeEntry(entry), {
    onNone: () => undefined,
    onSome: (e) => {
      const startMs = parseInstant(e.start)
      const endMs = parseInstant(e.end)
      // decoding kept only the known fields: the piece carries the entry as the API sent it
      return startMs === undefined || endMs === undefined ? undefined : { startMs, endMs, userId: e.user.id, raw: entry as RawEntry, origin }
    }
  })

const byStart = <R>(a: Piece<R>, b: Piece<R>) => a.startMs - b.startMs || a.endMs - b.endMs

/** `held` widened by `next` (same user): the earlier start and the later end, with their strings. */
const union = <R>(held: Piece<R>, next: Piece<R>): Piece<R> => {
  const start = next.startMs < held.startMs ? next : held
  const end = next.endMs > held.endMs ? next : held
  if (start === held && end === held) return held
  return {
    startMs: start.startMs,
    endMs: end.endMs,
    userId: held.userId,
    raw: { ...held.raw, start: start.raw["start"], end: end.raw["end"] },
    origin: next.origin
  }
}

/**
 * Stitches the rendered entries of consecutive chunks (requested with `overflow=true`) into
 * one timeline, emitting entries as soon as no later chunk can change them.
 *
 * An entry of a new chunk is the same shift as a held entry of earlier chunks when they have
 * the same user and overlap (the identical entry an overflowing query returns in every chunk
 * it touches, or a differently cut piece of it). Such entries are merged into one; entries
 * within one chunk are never merged with each other (that is the server's rendering).
 *
 * Back-to-back entries of one user meeting exactly at a chunk edge are ambiguous: pieces of
 * one shift cut at the edge by a server that truncates despite `overflow=true`, or two shifts
 * the server renders separately. Once any response has shown an entry reaching past its
 * window (the server honours overflow) they are kept apart; until then they are joined.
 */
export class Stitcher<R> {
  /** Entries that may still merge with the next chunk, by start; `held[0]` is the first not yet emitted. */
  private held: Array<Piece<R>> = []
  /** Whether a response has returned an entry beyond its window (so edges are not cuts). */
  private honoursOverflow = false

  /**
   * Adds the entries of the chunk `[from, to)`; returns the entries that are final, in order.
   * Chunks must be given in order and adjacent (`from` = the previous `to`).
   */
  push(from: number, to: number, pieces: ReadonlyArray<Piece<R>>): Array<Piece<R>> {
    const fresh: Array<Piece<R>> = []
    const held = this.held.slice()
    if (pieces.some((p) => p.startMs < from || p.endMs > to)) this.honoursOverflow = true
    const joinAtEdge = !this.honoursOverflow
    for (const piece of [...pieces].sort(byStart)) {
      const i = held.findIndex((h) =>
        h.userId === piece.userId &&
        ((h.startMs < piece.endMs && piece.startMs < h.endMs) ||
          (h.startMs === piece.startMs && h.endMs === piece.endMs) ||
          (joinAtEdge && h.endMs === from && piece.startMs === from) ||
          (joinAtEdge && piece.endMs === from && h.startMs === from))
      )
      if (i >= 0) held[i] = union(held[i]!, piece)
      else fresh.push(piece)
    }
    const all = [...held, ...fresh].sort(byStart)
    // Emit the prefix of entries that end before the chunk's end: a later chunk only returns
    // entries reaching `to` or beyond, so it cannot touch them; keep the rest in order.
    const cut = all.findIndex((p) => p.endMs >= to)
    const done = cut < 0 ? all : all.slice(0, cut)
    this.held = cut < 0 ? [] : all.slice(cut)
    return done
  }

  /** The entries still held (call after the last chunk). */
  flush(): Array<Piece<R>> {
    const out = this.held
    this.held = []
    return out
  }
}

/**
 * Applies the caller's overflow choice at the OUTER edges: entries outside `[since, until)` are
 * dropped, and without overflow the first and last entries are truncated to the window (their
 * new bounds rendered in `timeZone`).
 */
export const applyOuterEdges = <R>(
  piece: Piece<R>,
  since: number,
  until: number,
  overflow: boolean,
  timeZone: string
): Piece<R> | undefined => {
  if (piece.endMs <= since || piece.startMs >= until) return undefined
  if (overflow || (piece.startMs >= since && piece.endMs <= until)) return piece
  const startMs = Math.max(piece.startMs, since)
  const endMs = Math.min(piece.endMs, until)
  return {
    ...piece,
    startMs,
    endMs,
    raw: {
      ...piece.raw,
      start: startMs === piece.startMs ? piece.raw["start"] : formatInZone(startMs, timeZone),
      end: endMs === piece.endMs ? piece.raw["end"] : formatInZone(endMs, timeZone)
    }
  }
}

/** The key under which `/oncalls` rows are the same on-call (used to de-duplicate chunks). */
export const oncallKey = (row: unknown): string => {
  const r = typeof row === "object" && row !== null ? row as Record<string, unknown> : {}
  const id = (v: unknown) => (typeof v === "object" && v !== null ? String((v as Record<string, unknown>)["id"] ?? "") : "")
  return JSON.stringify([id(r["escalation_policy"]), r["escalation_level"] ?? null, id(r["schedule"]), id(r["user"]), r["start"] ?? null, r["end"] ?? null])
}

/** The key of `earliest=true`: one on-call per escalation policy, level and user. */
export const earliestKey = (row: unknown): string => {
  const r = typeof row === "object" && row !== null ? row as Record<string, unknown> : {}
  const id = (v: unknown) => (typeof v === "object" && v !== null ? String((v as Record<string, unknown>)["id"] ?? "") : "")
  return JSON.stringify([id(r["escalation_policy"]), r["escalation_level"] ?? null, id(r["user"])])
}
