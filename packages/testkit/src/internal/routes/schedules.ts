/**
 * Schedules (with rendered layer and final entries), their users and overrides, and
 * on-calls computed from escalation policies and schedules.
 *
 * @internal
 */
import type { LayerRec, RestrictionRec, ScheduleRec } from "../model.js"
import { classicPage, isResponse, readPage } from "../pagination.js"
import type { Route, RouteContext } from "../router.js"
import { clip, coverage, finalEntries, layerEntries, type Entry } from "../schedule.js"
import { iso, isoInZone, isValidTimeZone, parseTime } from "../time.js"
import { asObject, asString, empty, invalidInput, json, notFound, parseJsonObject, queryArray, type SimResponse } from "../wire.js"
import { isSim, matchesQuery, readRange, refId, unwrap } from "./common.js"

const TWO_WEEKS = 14 * 24 * 3600 * 1000

interface Window {
  readonly since: number
  readonly until: number
  readonly overflow: boolean
  readonly zone: string
}

/** since/until as GET /schedules/{id} reads them: each defaults to two weeks from the other. */
const scheduleWindow = (ctx: RouteContext, schedule: ScheduleRec): Window | undefined | SimResponse => {
  const range = readRange(ctx)
  if (isSim(range)) return range
  const zone = ctx.query.get("time_zone") ?? schedule.time_zone
  if (!isValidTimeZone(zone)) return invalidInput(`Invalid time_zone: ${zone}`)
  if (range.since === undefined && range.until === undefined) return undefined
  const since = range.since ?? range.until! - TWO_WEEKS
  const until = range.until ?? since + TWO_WEEKS
  return { since, until, overflow: ctx.query.get("overflow") === "true", zone }
}

const renderEntries = (ctx: RouteContext, entries: ReadonlyArray<Entry>, w: Window) =>
  (w.overflow ? entries : clip(entries, w.since, w.until)).map((e) => ({
    start: isoInZone(e.start, w.zone),
    end: isoInZone(e.end, w.zone),
    user: ctx.render.userRef(e.userId)
  }))

const renderSchedule = (ctx: RouteContext, s: ScheduleRec, w: Window | undefined) => {
  const fmt = (ms: number) => isoInZone(ms, w?.zone ?? s.time_zone)
  const final = w === undefined ? [] : finalEntries(s, w.since, w.until)
  return {
    id: s.id,
    type: "schedule",
    summary: s.name,
    self: `${ctx.render.base}/schedules/${s.id}`,
    html_url: `${ctx.render.html}/schedules/${s.id}`,
    name: s.name,
    description: s.description,
    time_zone: s.time_zone,
    escalation_policies: [...ctx.state.escalationPolicies.values()]
      .filter((p) => p.rules.some((r) => r.targets.some((t) => t.type === "schedule_reference" && t.id === s.id)))
      .map((p) => ctx.render.escalationPolicyRef(p.id)),
    users: [...new Set(s.layers.flatMap((l) => l.userIds))].map((u) => ctx.render.userRef(u)),
    teams: s.teamIds.map((t) => ctx.render.teamRef(t)),
    schedule_layers: s.layers.map((l) => {
      const entries = w === undefined ? [] : layerEntries(l, s.time_zone, w.since, w.until)
      return {
        id: l.id,
        name: l.name,
        start: fmt(l.start),
        end: l.end === null ? null : fmt(l.end),
        rotation_virtual_start: fmt(l.rotation_virtual_start),
        rotation_turn_length_seconds: l.rotation_turn_length_seconds,
        users: l.userIds.map((u) => ({ user: ctx.render.userRef(u) })),
        restrictions: l.restrictions.map((r) => r.type === "weekly_restriction" ? { ...r } : { type: r.type, start_time_of_day: r.start_time_of_day, duration_seconds: r.duration_seconds }),
        rendered_schedule_entries: w === undefined ? [] : renderEntries(ctx, entries, w),
        rendered_coverage_percentage: w === undefined ? null : coverage(entries, w.since, w.until)
      }
    }),
    overrides_subschedule: {
      name: "Overrides",
      rendered_schedule_entries: w === undefined ? [] : renderEntries(ctx, s.overrides.filter((o) => o.start < w.until && o.end > w.since), w),
      rendered_coverage_percentage: null
    },
    final_schedule: {
      name: "Final Schedule",
      rendered_schedule_entries: w === undefined ? [] : renderEntries(ctx, final, w),
      rendered_coverage_percentage: w === undefined ? null : coverage(final, w.since, w.until)
    }
  }
}

const parseRestriction = (value: unknown): RestrictionRec | string => {
  const o = asObject(value)
  const type = o?.type
  if (type !== "daily_restriction" && type !== "weekly_restriction") return "Restriction type must be daily_restriction or weekly_restriction."
  const sod = asString(o?.start_time_of_day)
  if (sod === undefined || !/^\d{2}:\d{2}(:\d{2})?$/.test(sod)) return "Restriction start_time_of_day must be HH:MM:SS."
  const duration = o?.duration_seconds
  if (typeof duration !== "number" || duration <= 0) return "Restriction duration_seconds must be positive."
  const day = o?.start_day_of_week
  if (type === "weekly_restriction" && (typeof day !== "number" || day < 1 || day > 7)) return "Weekly restrictions need start_day_of_week 1-7."
  return { type, start_time_of_day: sod.length === 5 ? `${sod}:00` : sod, duration_seconds: duration, start_day_of_week: typeof day === "number" ? day : null }
}

const parseSchedule = (ctx: RouteContext, body: Record<string, unknown>): ScheduleRec | string => {
  const name = asString(body.name)
  if (name === undefined) return "Name cannot be empty."
  const zone = asString(body.time_zone) ?? "UTC"
  if (!isValidTimeZone(zone)) return "Time zone is invalid."
  if (!Array.isArray(body.schedule_layers) || body.schedule_layers.length === 0) return "Schedule layers must be a non-empty array."
  const layers: Array<LayerRec> = []
  for (const [i, raw] of body.schedule_layers.entries()) {
    const l = asObject(raw)
    const start = parseTime(asString(l?.start))
    const rvs = parseTime(asString(l?.rotation_virtual_start))
    const end = l?.end === undefined || l?.end === null ? null : parseTime(asString(l.end))
    const turn = l?.rotation_turn_length_seconds
    if (start === undefined || rvs === undefined || end === undefined) return `Layer ${i}: start, rotation_virtual_start (and end if given) must be ISO-8601 times.`
    if (typeof turn !== "number" || turn <= 0) return `Layer ${i}: rotation_turn_length_seconds must be positive.`
    const userIds: Array<string> = []
    for (const u of Array.isArray(l?.users) ? l.users : []) {
      const id = refId(asObject(u)?.user) ?? refId(u)
      if (id === undefined || !ctx.state.users.has(id)) return `Layer ${i}: user ${String(id)} not found.`
      userIds.push(id)
    }
    if (userIds.length === 0) return `Layer ${i}: users must be a non-empty array.`
    const restrictions: Array<RestrictionRec> = []
    for (const r of Array.isArray(l?.restrictions) ? l.restrictions : []) {
      const parsed = parseRestriction(r)
      if (typeof parsed === "string") return `Layer ${i}: ${parsed}`
      restrictions.push(parsed)
    }
    layers.push({ id: ctx.state.nextId("layer"), name: asString(l?.name) ?? `Layer ${i + 1}`, start, end, rotation_virtual_start: rvs, rotation_turn_length_seconds: turn, userIds, restrictions })
  }
  return { id: ctx.state.nextId("schedule"), name, description: asString(body.description) ?? null, time_zone: zone, layers, overrides: [], teamIds: [] }
}

const withSchedule = (f: (ctx: RouteContext, s: ScheduleRec) => SimResponse) => (ctx: RouteContext): SimResponse => {
  const s = ctx.state.schedules.get(ctx.params.id)
  return s === undefined ? notFound() : f(ctx, s)
}

const listOncalls = (ctx: RouteContext): SimResponse => {
  const page = readPage(ctx.query)
  if (isResponse(page)) return page
  const range = readRange(ctx)
  if (isSim(range)) return range
  const zone = ctx.query.get("time_zone") ?? "UTC"
  if (!isValidTimeZone(zone)) return invalidInput(`Invalid time_zone: ${zone}`)
  const since = range.since ?? ctx.now
  const until = range.until ?? (range.since === undefined ? ctx.now : Math.max(since, ctx.now))
  if (until < since) return invalidInput("'until' cannot be before 'since'")
  const epIds = new Set(queryArray(ctx.query, "escalation_policy_ids"))
  const scheduleIds = new Set(queryArray(ctx.query, "schedule_ids"))
  const userIds = new Set(queryArray(ctx.query, "user_ids"))
  const earliest = ctx.query.get("earliest") === "true"
  const out: Array<Record<string, unknown>> = []
  const seen = new Set<string>()
  for (const p of ctx.state.escalationPolicies.values()) {
    if (epIds.size > 0 && !epIds.has(p.id)) continue
    p.rules.forEach((rule, i) => {
      const level = i + 1
      for (const t of rule.targets) {
        const rows: Array<{ userId: string; start: number | null; end: number | null; scheduleId: string | null }> = []
        if (t.type === "user_reference") {
          if (scheduleIds.size > 0) continue
          rows.push({ userId: t.id, start: null, end: null, scheduleId: null })
        } else {
          if (scheduleIds.size > 0 && !scheduleIds.has(t.id)) continue
          const s = ctx.state.schedules.get(t.id)
          if (s === undefined) continue
          for (const e of finalEntries(s, since, until)) rows.push({ userId: e.userId, start: e.start, end: e.end, scheduleId: s.id })
        }
        for (const r of rows) {
          if (userIds.size > 0 && !userIds.has(r.userId)) continue
          const key = `${p.id}|${level}|${r.userId}`
          if (earliest && seen.has(key)) continue
          seen.add(key)
          out.push({
            escalation_policy: ctx.render.escalationPolicyRef(p.id),
            escalation_level: level,
            schedule: r.scheduleId === null ? null : ctx.render.scheduleRef(r.scheduleId),
            user: ctx.render.userRef(r.userId),
            start: r.start === null ? null : isoInZone(r.start, zone),
            end: r.end === null ? null : isoInZone(r.end, zone)
          })
        }
      }
    })
  }
  return classicPage("oncalls", page, out, (o) => o)
}

export const routes: ReadonlyArray<Route> = [
  {
    method: "GET",
    path: "/schedules",
    auth: "rest",
    handle: (ctx) => {
      const page = readPage(ctx.query)
      if (isResponse(page)) return page
      const items = [...ctx.state.schedules.values()].filter((s) => matchesQuery(ctx.query.get("query"), s.name))
      return classicPage("schedules", page, items, (s) => renderSchedule(ctx, s, undefined))
    }
  },
  {
    method: "GET",
    path: "/schedules/{id}",
    auth: "rest",
    handle: withSchedule((ctx, s) => {
      const w = scheduleWindow(ctx, s)
      if (isSim(w)) return w
      return json(200, { schedule: renderSchedule(ctx, s, w) })
    })
  },
  {
    method: "POST",
    path: "/schedules",
    auth: "rest",
    handle: (ctx) => {
      const body = unwrap(ctx, "schedule")
      if (isSim(body)) return body
      const s = parseSchedule(ctx, body)
      if (typeof s === "string") return invalidInput(s)
      ctx.state.schedules.set(s.id, s)
      ctx.state.audit(ctx.now, "schedules", s.id, s.name, "create", ctx.caller?.userId ?? null)
      ctx.state.version++
      return json(201, { schedule: renderSchedule(ctx, s, undefined) })
    }
  },
  {
    method: "GET",
    path: "/schedules/{id}/users",
    auth: "rest",
    handle: withSchedule((ctx, s) => {
      const range = readRange(ctx)
      if (isSim(range)) return range
      let ids: Array<string>
      if (range.since === undefined && range.until === undefined) ids = [...new Set(s.layers.flatMap((l) => l.userIds))]
      else {
        const since = range.since ?? range.until! - TWO_WEEKS
        const until = range.until ?? since + TWO_WEEKS
        ids = [...new Set(finalEntries(s, since, until).map((e) => e.userId))]
      }
      return json(200, { users: ids.flatMap((id) => { const u = ctx.state.users.get(id); return u === undefined ? [] : [ctx.render.user(u)] }) })
    })
  },
  {
    method: "GET",
    path: "/schedules/{id}/overrides",
    auth: "rest",
    handle: withSchedule((ctx, s) => {
      const range = readRange(ctx)
      if (isSim(range)) return range
      if (range.since === undefined || range.until === undefined) return invalidInput("since and until are required")
      const zone = ctx.query.get("time_zone") ?? s.time_zone
      const items = s.overrides.filter((o) => o.start < range.until! && o.end > range.since!)
      return json(200, { overrides: items.map((o) => ctx.render.override(o, (ms) => isoInZone(ms, zone))) })
    })
  },
  {
    method: "POST",
    path: "/schedules/{id}/overrides",
    auth: "rest",
    handle: withSchedule((ctx, s) => {
      const body = parseJsonObject(ctx.req.body)
      // Both the documented `{"overrides":[...]}` and the older single `{"override":{...}}`.
      const list = Array.isArray(body?.overrides) ? body.overrides : body?.override !== undefined ? [body.override] : undefined
      if (list === undefined || list.length === 0) return invalidInput("The request body must have a non-empty \"overrides\" array.")
      const results = list.map((raw) => {
        const o = asObject(raw)
        const start = parseTime(asString(o?.start))
        const end = parseTime(asString(o?.end))
        const userId = refId(o?.user)
        const errors: Array<string> = []
        if (start === undefined || end === undefined) errors.push("start and end must be ISO-8601 times")
        else if (end <= start) errors.push("end must be after start")
        if (userId === undefined || !ctx.state.users.has(userId)) errors.push("user not found")
        if (errors.length > 0 || start === undefined || end === undefined || userId === undefined) {
          return { status: 400, errors, override: o ?? {} }
        }
        const rec = { id: ctx.state.nextId("override"), start, end, userId }
        s.overrides.push(rec)
        ctx.state.version++
        return { status: 201, override: ctx.render.override(rec, iso) }
      })
      return json(201, results)
    })
  },
  {
    method: "DELETE",
    path: "/schedules/{id}/overrides/{override_id}",
    auth: "rest",
    handle: withSchedule((ctx, s) => {
      const i = s.overrides.findIndex((o) => o.id === ctx.params.override_id)
      if (i < 0) return notFound()
      s.overrides.splice(i, 1)
      ctx.state.version++
      return empty(204)
    })
  },
  { method: "GET", path: "/oncalls", auth: "rest", handle: listOncalls }
]
