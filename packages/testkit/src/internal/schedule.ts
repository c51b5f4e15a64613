/**
 * Schedule rendering: layer rotations (turns of `rotation_turn_length_seconds` from
 * `rotation_virtual_start`, cycling through the layer's users), restricted to daily or
 * weekly windows in the schedule's time zone, combined into a final schedule where the
 * first layer of `schedule_layers` has the highest priority and overrides beat every layer.
 *
 * Entries are computed with their full extent and then, unless `overflow=true`, truncated
 * to the requested window, which is PagerDuty's documented behaviour.
 *
 * @internal
 */
import type { LayerRec, RestrictionRec, ScheduleRec } from "./model.js"
import { localToInstant, parseTimeOfDay } from "./time.js"

export interface Entry {
  readonly start: number
  readonly end: number
  readonly userId: string
}

const DAY = 24 * 3600 * 1000
/** A bound on turns per layer per request, so a pathological layer cannot stall the server. */
const MAX_TURNS = 20_000

const mod = (a: number, n: number) => ((a % n) + n) % n

/** Union of a layer's restriction windows that intersect [from, to). */
const restrictionIntervals = (restrictions: ReadonlyArray<RestrictionRec>, timeZone: string, from: number, to: number): Array<[number, number]> => {
  const out: Array<[number, number]> = []
  // Start a week early: a weekly window that began before `from` may still be open.
  const first = new Date(from - 8 * DAY)
  const days = Math.ceil((to - from) / DAY) + 10
  for (let i = 0; i < days; i++) {
    const d = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate() + i))
    const weekday = ((d.getUTCDay() + 6) % 7) + 1
    for (const r of restrictions) {
      if (r.type === "weekly_restriction" && r.start_day_of_week !== weekday) continue
      const start = localToInstant(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), parseTimeOfDay(r.start_time_of_day), timeZone)
      const end = start + r.duration_seconds * 1000
      if (end > from && start < to) out.push([start, end])
    }
  }
  out.sort((a, b) => a[0] - b[0])
  const merged: Array<[number, number]> = []
  for (const iv of out) {
    const last = merged[merged.length - 1]
    if (last !== undefined && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1])
    else merged.push([iv[0], iv[1]])
  }
  return merged
}

/** Joins back-to-back entries of the same user. */
const mergeAdjacent = (entries: ReadonlyArray<Entry>): Array<Entry> => {
  const out: Array<Entry> = []
  for (const e of entries) {
    const last = out[out.length - 1]
    if (last !== undefined && last.userId === e.userId && last.end === e.start) out[out.length - 1] = { ...last, end: e.end }
    else out.push(e)
  }
  return out
}

const overlaps = (e: { start: number; end: number }, from: number, to: number): boolean =>
  from === to ? e.start <= from && e.end > from : e.start < to && e.end > from

/** A layer's entries overlapping [from, to), at full extent. */
export const layerEntries = (layer: LayerRec, timeZone: string, from: number, to: number): Array<Entry> => {
  const n = layer.userIds.length
  const turn = layer.rotation_turn_length_seconds * 1000
  if (n === 0 || turn <= 0) return []
  const layerEnd = layer.end ?? Number.POSITIVE_INFINITY
  const lo = Math.max(from, layer.start)
  const hi = Math.min(from === to ? to + 1 : to, layerEnd)
  if (lo >= hi) return []
  const rvs = layer.rotation_virtual_start
  const kFirst = Math.floor((lo - rvs) / turn)
  const kLast = Math.min(Math.floor((hi - 1 - rvs) / turn), kFirst + MAX_TURNS)
  const turns: Array<Entry> = []
  for (let k = kFirst; k <= kLast; k++) {
    const start = Math.max(rvs + k * turn, layer.start)
    const end = Math.min(rvs + (k + 1) * turn, layerEnd)
    if (start < end) turns.push({ start, end, userId: layer.userIds[mod(k, n)] })
  }
  let entries = turns
  if (layer.restrictions.length > 0 && turns.length > 0) {
    const windows = restrictionIntervals(layer.restrictions, timeZone, turns[0].start, turns[turns.length - 1].end)
    entries = []
    for (const t of turns) {
      for (const [ws, we] of windows) {
        const start = Math.max(t.start, ws)
        const end = Math.min(t.end, we)
        if (start < end) entries.push({ start, end, userId: t.userId })
      }
    }
  }
  return mergeAdjacent(entries).filter((e) => overlaps(e, from, to))
}

/** Combines layers (first wins) and overrides (beat layers; a later override beats an earlier one). */
const combine = (schedule: ScheduleRec, from: number, to: number): Array<Entry> => {
  const perLayer = schedule.layers.map((l) => layerEntries(l, schedule.time_zone, from, to))
  const overrides = schedule.overrides.filter((o) => overlaps(o, from, to))
  const points = new Set<number>()
  for (const list of perLayer) for (const e of list) points.add(Math.max(from, e.start)).add(Math.min(to, e.end))
  for (const o of overrides) points.add(Math.max(from, o.start)).add(Math.min(to, o.end))
  const sorted = [...points].sort((a, b) => a - b)
  const segments: Array<Entry> = []
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i]
    const b = sorted[i + 1]
    let userId: string | undefined
    for (let j = overrides.length - 1; j >= 0 && userId === undefined; j--) {
      if (overrides[j].start <= a && overrides[j].end >= b) userId = overrides[j].userId
    }
    for (let j = 0; j < perLayer.length && userId === undefined; j++) {
      const hit = perLayer[j].find((e) => e.start <= a && e.end >= b)
      if (hit !== undefined) userId = hit.userId
    }
    if (userId !== undefined) segments.push({ start: a, end: b, userId })
  }
  return mergeAdjacent(segments)
}

/** The final schedule's entries overlapping [from, to), at full extent. */
export const finalEntries = (schedule: ScheduleRec, from: number, to: number): Array<Entry> => {
  // First find how far the entries touching the window reach, then combine over that wider
  // span so an edge entry's full extent accounts for layers that start outside the window.
  let lo = from
  let hi = from === to ? to + 1 : to
  for (const l of schedule.layers) {
    for (const e of layerEntries(l, schedule.time_zone, from, to)) {
      lo = Math.min(lo, e.start)
      hi = Math.max(hi, e.end)
    }
  }
  for (const o of schedule.overrides) {
    if (overlaps(o, from, to)) {
      lo = Math.min(lo, o.start)
      hi = Math.max(hi, o.end)
    }
  }
  return combine(schedule, lo, hi).filter((e) => overlaps(e, from, to))
}

/** Truncates entries to the window (what `overflow=false` asks for). */
export const clip = (entries: ReadonlyArray<Entry>, from: number, to: number): Array<Entry> =>
  from === to ? entries.slice() : entries.map((e) => ({ ...e, start: Math.max(e.start, from), end: Math.min(e.end, to) }))

/** Percentage of [from, to) covered by entries. */
export const coverage = (entries: ReadonlyArray<Entry>, from: number, to: number): number => {
  if (to <= from) return 100
  let covered = 0
  for (const e of entries) covered += Math.max(0, Math.min(e.end, to) - Math.max(e.start, from))
  return Math.round((covered / (to - from)) * 10000) / 100
}

/** Who is on call on the schedule at an instant. */
export const onCallAt = (schedule: ScheduleRec, at: number): string | undefined =>
  finalEntries(schedule, at, at)[0]?.userId
