/**
 * Incidents: list (filters, date window, sort), create, get, update, multi-update, notes,
 * log entries and alerts. Incident state changes go through `transition` so every path
 * (REST, Events v1/v2) writes the same log entries.
 *
 * @internal
 */
import type { IncidentRec, IncidentStatus, UserRec } from "../model.js"
import { classicPage, classicPageIndexed, isResponse, readPage } from "../pagination.js"
import type { Route, RouteContext } from "../router.js"
import { onCallAt } from "../schedule.js"
import type { State } from "../state.js"
import { json, notFound, pdError, queryArray, asObject, asString, invalidInput, parseJsonObject, type SimResponse } from "../wire.js"
import { actingUser, isSim, readRange, refId, unwrap } from "./common.js"

const MONTH = 30 * 24 * 3600 * 1000
const STATUSES: ReadonlyArray<string> = ["triggered", "acknowledged", "resolved"]

/** First index whose incident was created at or after `t` (created_at grows with the index). */
const lowerBound = (state: State, t: number): number => {
  let lo = 0
  let hi = state.incidentCount
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (state.incident(mid).created_at < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The user the escalation policy's first rule points at, now. */
export const firstResponder = (state: State, escalationPolicyId: string, now: number): string | undefined => {
  const policy = state.escalationPolicies.get(escalationPolicyId)
  const target = policy?.rules[0]?.targets[0]
  if (target === undefined) return undefined
  if (target.type === "user_reference") return target.id
  const schedule = state.schedules.get(target.id)
  return schedule === undefined ? undefined : onCallAt(schedule, now)
}

/** Applies a status change, writing the log entry; `by` is null for integrations. */
export const transition = (state: State, rec: IncidentRec, status: IncidentStatus, by: UserRec | null, now: number, channel: string): IncidentRec => {
  if (rec.status === status || rec.status === "resolved") return rec
  const next: IncidentRec = {
    ...rec,
    status,
    updated_at: now,
    last_status_change_at: now,
    lastChangedBy: by?.id ?? null,
    acknowledgerIds: status === "acknowledged" && by !== null ? [...new Set([...rec.acknowledgerIds, by.id])] : rec.acknowledgerIds,
    assigneeIds: status === "resolved" ? [] : rec.assigneeIds,
    resolved_at: status === "resolved" ? now : null
  }
  state.putIncident(next)
  if (status === "resolved") state.resolveAlerts(rec.id)
  state.addLogEntry({
    type: status === "acknowledged" ? "acknowledge_log_entry" : "resolve_log_entry",
    incidentId: rec.id,
    created_at: now,
    userId: by?.id ?? null,
    serviceId: rec.serviceId,
    summary: status === "acknowledged" ? `Acknowledged by ${by?.name ?? "the API"}` : `Resolved by ${by?.name ?? "the API"}`,
    channel
  })
  return next
}

/** Creates an incident with its trigger log entry, assigned through its escalation policy. */
export const openIncident = (
  state: State,
  now: number,
  fields: { title: string; serviceId: string; urgency: "high" | "low"; incidentKey: string; createdBy: UserRec | null; priorityId: string | null; description?: string }
): IncidentRec => {
  const service = state.services.get(fields.serviceId)!
  const responder = firstResponder(state, service.escalationPolicyId, now)
  const rec = state.addIncident({
    title: fields.title,
    description: fields.description ?? fields.title,
    status: "triggered",
    urgency: fields.urgency,
    serviceId: service.id,
    escalationPolicyId: service.escalationPolicyId,
    assigneeIds: responder === undefined ? [] : [responder],
    acknowledgerIds: [],
    teamIds: service.teamIds.slice(),
    priorityId: fields.priorityId,
    incident_key: fields.incidentKey,
    created_at: now,
    updated_at: now,
    last_status_change_at: now,
    resolved_at: null,
    createdBy: fields.createdBy?.id ?? null,
    lastChangedBy: null,
    alertCount: 0
  })
  state.addLogEntry({
    type: "trigger_log_entry",
    incidentId: rec.id,
    created_at: now,
    userId: fields.createdBy?.id ?? null,
    serviceId: service.id,
    summary: fields.createdBy === null ? "Triggered through the API." : `Triggered by ${fields.createdBy.name}`,
    channel: fields.createdBy === null ? "api" : "web_ui"
  })
  return rec
}

const listIncidents = (ctx: RouteContext): SimResponse => {
  const page = readPage(ctx.query)
  if (isResponse(page)) return page
  const range = readRange(ctx)
  if (isSim(range)) return range
  const { query, state } = ctx
  const statuses = queryArray(query, "statuses")
  if (statuses.some((s) => !STATUSES.includes(s))) return invalidInput(`Invalid status: ${statuses.filter((s) => !STATUSES.includes(s)).join(", ")}`)
  const serviceIds = new Set(queryArray(query, "service_ids"))
  const teamIds = new Set(queryArray(query, "team_ids"))
  const userIds = new Set(queryArray(query, "user_ids"))
  const urgencies = new Set(queryArray(query, "urgencies"))
  const incidentKey = query.get("incident_key")
  const statusSet = new Set(statuses)

  let since = range.since
  let until = range.until
  if (query.get("date_range") !== "all") {
    // PagerDuty's default window is one month: ending now, or around whichever bound was given.
    if (since === undefined && until === undefined) {
      until = ctx.now + 1
      since = ctx.now - MONTH
    } else if (since === undefined) since = until! - MONTH
    else if (until === undefined) until = Math.max(since + MONTH, ctx.now + 1)
  } else {
    since = undefined
    until = undefined
  }
  const lo = since === undefined ? 0 : lowerBound(state, since)
  const hi = until === undefined ? state.incidentCount : lowerBound(state, until)

  const keep = (r: IncidentRec): boolean =>
    (statusSet.size === 0 || statusSet.has(r.status)) &&
    (serviceIds.size === 0 || serviceIds.has(r.serviceId)) &&
    (urgencies.size === 0 || urgencies.has(r.urgency)) &&
    (teamIds.size === 0 || r.teamIds.some((t) => teamIds.has(t))) &&
    (userIds.size === 0 || r.assigneeIds.some((u) => userIds.has(u))) &&
    (incidentKey === null || r.incident_key === incidentKey)

  const sortBy = (query.get("sort_by") ?? "").split(",").filter((s) => s !== "")
  const [field, direction] = (sortBy[0] ?? "created_at:asc").split(":")
  const desc = direction === "desc"
  if (!["created_at", "incident_number", "resolved_at", "urgency"].includes(field)) return invalidInput(`Invalid sort_by field: ${field}`)

  const unfiltered = statusSet.size === 0 && serviceIds.size === 0 && urgencies.size === 0 && teamIds.size === 0 && userIds.size === 0 && incidentKey === null
  if (unfiltered && (field === "created_at" || field === "incident_number")) {
    // No filters: the page is an index range, found without touching skipped incidents.
    const render = (r: IncidentRec) => ctx.render.incident(r)
    return classicPageIndexed(
      "incidents",
      page,
      hi - lo,
      (k) => state.renderedIncident(ctx.render.base, desc ? hi - 1 - k : lo + k, render),
      // The window [lo, hi) and direction are part of the key, so "now"-relative windows stay correct.
      (pageKey, build) => state.cachedPage(`${ctx.render.base}|${lo}|${desc}|${pageKey}`, build)
    )
  }
  let items: Iterable<IncidentRec>
  if (field === "created_at" || field === "incident_number") {
    // Index order is creation order, so these sorts are a walk over the index range.
    items = (function*() {
      if (desc) for (let i = hi - 1; i >= lo; i--) { const r = state.incident(i); if (keep(r)) yield r }
      else for (let i = lo; i < hi; i++) { const r = state.incident(i); if (keep(r)) yield r }
    })()
  } else {
    const all: Array<IncidentRec> = []
    for (let i = lo; i < hi; i++) {
      const r = state.incident(i)
      if (keep(r)) all.push(r)
    }
    const key = (r: IncidentRec): number => field === "urgency" ? (r.urgency === "high" ? 1 : 0) : (r.resolved_at ?? Number.MAX_SAFE_INTEGER)
    all.sort((a, b) => (key(a) - key(b)) * (desc ? -1 : 1) || a.index - b.index)
    items = all
  }
  return classicPage("incidents", page, items, (r) => ctx.render.incident(r))
}

const createIncident = (ctx: RouteContext): SimResponse => {
  const user = actingUser(ctx, true)
  if (isSim(user)) return user
  const body = unwrap(ctx, "incident")
  if (isSim(body)) return body
  const title = asString(body.title)
  const serviceId = refId(body.service)
  const errors: Array<string> = []
  if (title === undefined) errors.push("Title cannot be empty.")
  if (serviceId === undefined) errors.push("Service is required.")
  else if (!ctx.state.services.has(serviceId)) errors.push("Service not found.")
  const urgency = body.urgency === undefined ? "high" : body.urgency
  if (urgency !== "high" && urgency !== "low") errors.push("Urgency must be one of high, low.")
  const priorityId = refId(body.priority) ?? null
  if (priorityId !== null && !ctx.state.priorities.has(priorityId)) errors.push("Priority not found.")
  if (errors.length > 0 || title === undefined || serviceId === undefined || (urgency !== "high" && urgency !== "low")) return invalidInput(...errors)
  const key = asString(body.incident_key)
  if (key !== undefined && ctx.state.openIncidentByKey(serviceId, key) !== undefined) {
    return invalidInput("Open incident with key already exists.")
  }
  const details = asString(asObject(body.body)?.details)
  const rec = openIncident(ctx.state, ctx.now, {
    title,
    serviceId,
    urgency,
    incidentKey: key ?? ctx.env.randomHex(32),
    createdBy: user,
    priorityId,
    ...(details === undefined ? {} : { description: details })
  })
  ctx.state.audit(ctx.now, "incidents", rec.id, rec.title, "create", user?.id ?? null)
  return json(201, { incident: ctx.render.incident(rec) })
}

/**
 * The new assignment of an update: `assignments` (`[{ assignee: { id, type: "user_reference" } }]`,
 * existing users) or `escalation_policy` (an existing policy; its first responder now is
 * assigned, as PagerDuty does); undefined when the update has neither; an error string on bad input.
 */
const readAssignment = (
  ctx: RouteContext,
  update: Record<string, unknown>
): { readonly assigneeIds: Array<string>; readonly escalationPolicyId?: string } | undefined | string => {
  const { assignments, escalation_policy: policy } = update
  if (assignments !== undefined && policy !== undefined) return "Cannot specify both assignments and escalation_policy."
  if (policy !== undefined) {
    const id = refId(policy)
    if (id === undefined || asObject(policy)?.type !== "escalation_policy_reference") return "Escalation policy must be an escalation_policy_reference."
    if (!ctx.state.escalationPolicies.has(id)) return "Escalation policy not found."
    const responder = firstResponder(ctx.state, id, ctx.now)
    return { assigneeIds: responder === undefined ? [] : [responder], escalationPolicyId: id }
  }
  if (assignments === undefined) return undefined
  if (!Array.isArray(assignments) || assignments.length === 0) return "Assignments must be a non-empty array."
  const ids: Array<string> = []
  for (const a of assignments) {
    const assignee = asObject(asObject(a)?.assignee)
    const id = refId(assignee)
    if (id === undefined || assignee?.type !== "user_reference") return "Each assignment must have an assignee that is a user_reference."
    if (!ctx.state.users.has(id)) return `User ${id} not found.`
    if (!ids.includes(id)) ids.push(id)
  }
  return { assigneeIds: ids }
}

/**
 * Applies one `{ status, title, urgency, priority, assignments, escalation_policy, resolution }`
 * update; an error string on bad input (checked before anything changes).
 */
const applyUpdate = (ctx: RouteContext, rec: IncidentRec, update: Record<string, unknown>, user: UserRec | null): IncidentRec | string => {
  let next = rec
  const status = update.status
  if (status !== undefined) {
    if (status !== "acknowledged" && status !== "resolved" && status !== "triggered") return `Invalid status: ${String(status)}`
    if (rec.status === "resolved" && status !== "resolved") return "Incident Already Resolved"
    if (status === "triggered" && rec.status !== "triggered") return "Cannot re-trigger an incident."
  }
  const assignment = readAssignment(ctx, update)
  if (typeof assignment === "string") return assignment
  if (assignment !== undefined && rec.status === "resolved") return "Incident Already Resolved"
  const fields: Partial<IncidentRec> = {}
  if (assignment !== undefined) {
    fields.assigneeIds = assignment.assigneeIds
    if (assignment.escalationPolicyId !== undefined) fields.escalationPolicyId = assignment.escalationPolicyId
  }
  if (typeof update.title === "string") fields.title = update.title
  if (update.urgency === "high" || update.urgency === "low") fields.urgency = update.urgency
  else if (update.urgency !== undefined) return "Urgency must be one of high, low."
  if (update.priority !== undefined) {
    const pid = update.priority === null ? null : refId(update.priority)
    if (pid === undefined || (pid !== null && !ctx.state.priorities.has(pid))) return "Priority not found."
    fields.priorityId = pid
  }
  if (Object.keys(fields).length > 0) {
    next = { ...next, ...fields, updated_at: ctx.now }
    ctx.state.putIncident(next)
  }
  if (status === "acknowledged" || status === "resolved") next = transition(ctx.state, next, status, user, ctx.now, "web_ui")
  const resolution = asString(update.resolution)
  if (resolution !== undefined && status === "resolved") addNote(ctx, next, user, resolution)
  return next
}

const addNote = (ctx: RouteContext, rec: IncidentRec, user: UserRec | null, content: string) => {
  const note = { id: ctx.state.nextId("note"), incidentId: rec.id, userId: user?.id ?? null, content, created_at: ctx.now }
  const list = ctx.state.notes.get(rec.id)
  if (list === undefined) ctx.state.notes.set(rec.id, [note])
  else list.push(note)
  ctx.state.addLogEntry({ type: "annotate_log_entry", incidentId: rec.id, created_at: ctx.now, userId: user?.id ?? null, serviceId: rec.serviceId, summary: `Note added: ${content}`, channel: "note" })
  return note
}

const updateIncident = (ctx: RouteContext): SimResponse => {
  const rec = ctx.state.incidentById(ctx.params.id)
  if (rec === undefined) return notFound()
  const user = actingUser(ctx, true)
  if (isSim(user)) return user
  const body = unwrap(ctx, "incident")
  if (isSim(body)) return body
  const next = applyUpdate(ctx, rec, body, user)
  if (typeof next === "string") return invalidInput(next)
  return json(200, { incident: ctx.render.incident(next) })
}

const updateIncidents = (ctx: RouteContext): SimResponse => {
  const user = actingUser(ctx, true)
  if (isSim(user)) return user
  const body = parseJsonObject(ctx.req.body)
  const list = body?.incidents
  if (!Array.isArray(list) || list.length === 0) return invalidInput("The request body must have a non-empty \"incidents\" array.")
  if (list.length > 500) return invalidInput("At most 500 incidents may be updated at once.")
  // Validate everything first so a bad item leaves state untouched.
  const targets: Array<[IncidentRec, Record<string, unknown>]> = []
  for (const item of list) {
    const o = asObject(item)
    const id = asString(o?.id)
    const rec = id === undefined ? undefined : ctx.state.incidentById(id)
    if (o === undefined || rec === undefined) return pdError(404, 2100, "Not Found", [`Incident ${String(id)} not found.`])
    if (o.status !== undefined && !["acknowledged", "resolved", "triggered"].includes(String(o.status))) return invalidInput(`Invalid status: ${String(o.status)}`)
    const assignment = readAssignment(ctx, o)
    if (typeof assignment === "string") return invalidInput(assignment)
    targets.push([rec, o])
  }
  const out: Array<unknown> = []
  for (const [rec, o] of targets) {
    const next = applyUpdate(ctx, ctx.state.incident(rec.index), o, user)
    out.push(ctx.render.incident(typeof next === "string" ? ctx.state.incident(rec.index) : next))
  }
  return json(200, { incidents: out, limit: out.length, offset: 0, total: null, more: false })
}

const withIncident = (f: (ctx: RouteContext, rec: IncidentRec) => SimResponse) => (ctx: RouteContext): SimResponse => {
  const rec = ctx.state.incidentById(ctx.params.id)
  return rec === undefined ? notFound() : f(ctx, rec)
}

const listLogEntries = (ctx: RouteContext): SimResponse => {
  const page = readPage(ctx.query)
  if (isResponse(page)) return page
  const range = readRange(ctx)
  if (isSim(range)) return range
  const state = ctx.state
  const inRange = (t: number) => (range.since === undefined || t >= range.since) && (range.until === undefined || t < range.until)
  const items = (function*() {
    // Seeded incidents' derived entries, grouped by incident, then everything recorded since.
    for (let i = 0; i < state.seededIncidents; i++) for (const e of state.seededLogEntries(i)) if (inRange(e.created_at)) yield e
    for (const e of state.logEntries) if (inRange(e.created_at)) yield e
  })()
  return classicPage("log_entries", page, items, (e) => ctx.render.logEntry(e))
}

export const routes: ReadonlyArray<Route> = [
  { method: "GET", path: "/incidents", auth: "rest", handle: listIncidents },
  { method: "POST", path: "/incidents", auth: "rest", handle: createIncident },
  { method: "PUT", path: "/incidents", auth: "rest", handle: updateIncidents },
  { method: "GET", path: "/incidents/{id}", auth: "rest", handle: withIncident((ctx, rec) => json(200, { incident: ctx.render.incident(rec) })) },
  { method: "PUT", path: "/incidents/{id}", auth: "rest", handle: updateIncident },
  {
    method: "GET",
    path: "/incidents/{id}/notes",
    auth: "rest",
    handle: withIncident((ctx, rec) => json(200, { notes: (ctx.state.notes.get(rec.id) ?? []).map((n) => ctx.render.note(n)) }))
  },
  {
    method: "POST",
    path: "/incidents/{id}/notes",
    auth: "rest",
    handle: withIncident((ctx, rec) => {
      const user = actingUser(ctx, true)
      if (isSim(user)) return user
      const body = unwrap(ctx, "note")
      if (isSim(body)) return body
      const content = asString(body.content)
      if (content === undefined) return invalidInput("Note content cannot be empty.")
      return json(201, { note: ctx.render.note(addNote(ctx, rec, user, content)) })
    })
  },
  {
    method: "GET",
    path: "/incidents/{id}/log_entries",
    auth: "rest",
    handle: withIncident((ctx, rec) => {
      const page = readPage(ctx.query)
      if (isResponse(page)) return page
      return classicPage("log_entries", page, ctx.state.incidentLogEntries(rec), (e) => ctx.render.logEntry(e))
    })
  },
  {
    method: "GET",
    path: "/incidents/{id}/alerts",
    auth: "rest",
    handle: withIncident((ctx, rec) => {
      const page = readPage(ctx.query)
      if (isResponse(page)) return page
      const statuses = new Set(queryArray(ctx.query, "statuses"))
      const alerts = ctx.state.incidentAlerts(rec).filter((a) => statuses.size === 0 || statuses.has(a.status))
      return classicPage("alerts", page, alerts, (a) => ctx.render.alert(a))
    })
  },
  { method: "GET", path: "/log_entries", auth: "rest", handle: listLogEntries },
  {
    method: "GET",
    path: "/log_entries/{id}",
    auth: "rest",
    handle: (ctx) => {
      const id = ctx.params.id
      const recorded = ctx.state.logEntries.find((e) => e.id === id)
      if (recorded !== undefined) return json(200, { log_entry: ctx.render.logEntry(recorded) })
      const m = /^R([0-9A-Z]{6})$/.exec(id)
      if (m !== null) {
        const n = parseInt(m[1], 36)
        const index = Math.floor(n / 4)
        if (index < ctx.state.seededIncidents) {
          const e = ctx.state.seededLogEntries(index).find((x) => x.id === id)
          if (e !== undefined) return json(200, { log_entry: ctx.render.logEntry(e) })
        }
      }
      return notFound()
    }
  }
]
