/**
 * Time helpers: ISO formatting without milliseconds (PagerDuty's style), parsing of query
 * dates, and time-zone arithmetic through `Intl` (no Node built-ins, so it runs in browsers).
 *
 * @internal
 */

/** `2026-01-01T00:00:00Z` */
export const iso = (ms: number): string => {
  const s = new Date(Math.floor(ms / 1000) * 1000).toISOString()
  return s.slice(0, 19) + "Z"
}

/** Parses an ISO-8601 date or date-time; `undefined` when absent or invalid. */
export const parseTime = (value: string | null | undefined): number | undefined => {
  if (value === null || value === undefined || value === "") return undefined
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? undefined : ms
}

const formatters = new Map<string, Intl.DateTimeFormat>()

const formatter = (timeZone: string): Intl.DateTimeFormat => {
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
      second: "2-digit",
      weekday: "short"
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** Whether `Intl` knows the time zone. */
export const isValidTimeZone = (timeZone: string): boolean => {
  try {
    formatter(timeZone)
    return true
  } catch {
    return false
  }
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 }

/** Wall-clock parts of an instant in a time zone; `weekday` is ISO (1 = Monday). */
export const localParts = (ms: number, timeZone: string) => {
  const parts: Record<string, string> = {}
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday ?? "Mon"] ?? 1
  }
}

/** Offset of the zone from UTC at an instant, in milliseconds (positive east of Greenwich). */
export const offsetMs = (ms: number, timeZone: string): number => {
  if (timeZone === "UTC" || timeZone === "Etc/UTC") return 0
  const p = localParts(ms, timeZone)
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
  return asUtc - Math.floor(ms / 1000) * 1000
}

/** The instant at which the zone's wall clock reads the given local date and time. */
export const localToInstant = (
  year: number,
  month: number,
  day: number,
  secondsOfDay: number,
  timeZone: string
): number => {
  const naive = Date.UTC(year, month - 1, day) + secondsOfDay * 1000
  // Two fixed-point steps settle the offset, including across a DST change.
  let guess = naive - offsetMs(naive, timeZone)
  guess = naive - offsetMs(guess, timeZone)
  return guess
}

/** ISO-8601 with the zone's offset, as PagerDuty renders times in a requested `time_zone`. */
export const isoInZone = (ms: number, timeZone: string): string => {
  const off = offsetMs(ms, timeZone)
  if (off === 0) return iso(ms)
  const local = new Date(Math.floor(ms / 1000) * 1000 + off).toISOString().slice(0, 19)
  const sign = off < 0 ? "-" : "+"
  const abs = Math.abs(off) / 60000
  const hh = String(Math.floor(abs / 60)).padStart(2, "0")
  const mm = String(abs % 60).padStart(2, "0")
  return `${local}${sign}${hh}:${mm}`
}

/** Parses `HH:MM:SS` (or `HH:MM`) into seconds of the day. */
export const parseTimeOfDay = (value: string): number => {
  const [h = "0", m = "0", s = "0"] = value.split(":")
  return Number(h) * 3600 + Number(m) * 60 + Number(s)
}
