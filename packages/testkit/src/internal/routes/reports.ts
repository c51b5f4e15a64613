/**
 * Audit records (cursor pagination), alert grouping settings (`after` cursor) and
 * analytics raw incidents (`starting_after`/`last`): the three non-classic list protocols.
 *
 * @internal
 */
import type { IncidentRec } from "../model.js"
import { cursorPage } from "../pagination.js"
import type { Route, RouteContext } from "../router.js"
import { isoInZone, isValidTimeZone, parseTime } from "../time.js"
import { asObject, asString, invalidInput, json, notFound, parseJsonObject, queryArray, type SimResponse } from "../wire.js"
import { isSim, readRange } from "./common.js"

const listAuditRecords = (ctx: RouteContext): SimResponse => {
  const range = readRange(ctx)
  if (isSim(range)) return range
  const types = new Set(queryArray(ctx.query, "root_resource_types"))
  const actions = new Set(queryArray(ctx.query, "actions"))
  // Newest first, as PagerDuty sorts audit records.
  const items = ctx.state.auditRecords.filter((a) =>
    (range.since === undefined || a.execution_time >= range.since) &&
    (range.until === undefined || a.execution_time < range.until) &&
    (types.size === 0 || types.has(a.resourceType)) &&
    (actions.size === 0 || actions.has(a.action))
  ).reverse()
  return cursorPage("records", ctx.query, items, (a) => ctx.render.auditRecord(a), 100)
}

const listAlertGroupingSettings = (ctx: RouteContext): SimResponse => {
  const serviceIds = new Set(queryArray(ctx.query, "service_ids"))
  const rawLimit = Number(ctx.query.get("limit") ?? 20)
  if (!Number.isInteger(rawLimit) || rawLimit < 1) return invalidInput("limit must be a positive integer")
  const limit = Math.min(rawLimit, 100)
  const all = [...ctx.state.alertGroupingSettings.values()].filter((s) => serviceIds.size === 0 || s.serviceIds.some((id) => serviceIds.has(id)))
  const after = ctx.query.get("after")
  let start = 0
  if (after !== null && after !== "") {
    const i = all.findIndex((s) => s.id === after)
    if (i < 0) return invalidInput("Invalid 'after' cursor")
    start = i + 1
  }
  const slice = all.slice(start, start + limit)
  const more = start + limit < all.length
  return json(200, {
    alert_grouping_settings: slice.map((s) => ctx.render.alertGroupingSetting(s)),
    after: more && slice.length > 0 ? slice[slice.length - 1].id : null,
    before: start > 0 && slice.length > 0 ? slice[0].id : null,
    limit,
    total: ctx.query.get("total") === "true" ? all.length : null
  })
}

const analyticsIncident = (ctx: RouteContext, r: IncidentRec, zone: string) => {
  const service = ctx.state.services.get(r.serviceId)
  const team = r.teamIds[0] === undefined ? undefined : ctx.state.teams.get(r.teamIds[0])
  const priority = r.priorityId === null ? undefined : ctx.state.priorities.get(r.priorityId)
  const policy = ctx.state.escalationPolicies.get(r.escalationPolicyId)
  const names = (ids: ReadonlyArray<string>) => ids.map((id) => ctx.state.users.get(id)?.name ?? id)
  return {
    id: r.id,
    incident_number: r.incident_number,
    description: r.title,
    created_at: isoInZone(r.created_at, zone),
    updated_at: isoInZone(r.updated_at, zone),
    resolved_at: r.resolved_at === null ? null : isoInZone(r.resolved_at, zone),
    status: r.status,
    urgency: r.urgency,
    major: priority !== undefined && (priority.name === "P1" || priority.name === "P2"),
    service_id: r.serviceId,
    service_name: service?.name ?? null,
    team_id: team?.id ?? null,
    team_name: team?.name ?? null,
    escalation_policy_id: r.escalationPolicyId,
    escalation_policy_name: policy?.name ?? null,
    priority_id: priority?.id ?? null,
    priority_name: priority?.name ?? null,
    priority_order: priority?.order ?? null,
    assigned_user_ids: r.assigneeIds,
    assigned_user_names: names(r.assigneeIds),
    acknowledged_user_ids: r.acknowledgerIds,
    acknowledged_user_names: names(r.acknowledgerIds),
    acknowledgement_count: r.acknowledgerIds.length,
    assignment_count: r.assigneeIds.length,
    seconds_to_resolve: r.resolved_at === null ? null : Math.round((r.resolved_at - r.created_at) / 1000),
    seconds_to_first_ack: r.acknowledgerIds.length > 0 ? Math.round((r.last_status_change_at - r.created_at) / 1000) : null,
    auto_resolved: false,
    escalation_count: 0,
    incident_type_id: null,
    incident_type_name: "incident_default"
  }
}

const analyticsRawIncidents = (ctx: RouteContext): SimResponse => {
  const body = parseJsonObject(ctx.req.body === "" ? "{}" : ctx.req.body)
  if (body === undefined) return invalidInput("The request body must be a JSON object.")
  const filters = asObject(body.filters) ?? {}
  const start = parseTime(asString(filters.created_at_start))
  const end = parseTime(asString(filters.created_at_end))
  if ((filters.created_at_start !== undefined && start === undefined) || (filters.created_at_end !== undefined && end === undefined)) {
    return invalidInput("created_at_start and created_at_end must be ISO-8601 times")
  }
  const limit = body.limit === undefined ? 20 : body.limit
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > 1000) return invalidInput("limit must be an integer between 1 and 1000")
  const order = body.order === undefined ? "desc" : body.order
  if (order !== "asc" && order !== "desc") return invalidInput("order must be asc or desc")
  const orderBy = body.order_by === undefined ? "created_at" : body.order_by
  if (orderBy !== "created_at") return invalidInput("order_by supports created_at in the simulator")
  const zone = asString(body.time_zone) ?? "Etc/UTC"
  if (!isValidTimeZone(zone)) return invalidInput("Invalid time_zone")
  const urgency = asString(filters.urgency)
  const serviceIds = new Set(Array.isArray(filters.service_ids) ? filters.service_ids.map(String) : [])
  const teamIds = new Set(Array.isArray(filters.team_ids) ? filters.team_ids.map(String) : [])
  const major = typeof filters.major === "boolean" ? filters.major : undefined
  const state = ctx.state
  const cursor = asString(body.starting_after)
  let from = order === "asc" ? 0 : state.incidentCount - 1
  if (cursor !== undefined) {
    const index = state.incidentIndexOf(cursor)
    if (index === undefined) return invalidInput("Invalid starting_after cursor")
    from = order === "asc" ? index + 1 : index - 1
  }
  const data: Array<ReturnType<typeof analyticsIncident>> = []
  let more = false
  const step = order === "asc" ? 1 : -1
  for (let i = from; i >= 0 && i < state.incidentCount; i += step) {
    const r = state.incident(i)
    if (start !== undefined && r.created_at < start) { if (order === "desc") break; else continue }
    if (end !== undefined && r.created_at >= end) { if (order === "asc") break; else continue }
    if (urgency !== undefined && r.urgency !== urgency) continue
    if (serviceIds.size > 0 && !serviceIds.has(r.serviceId)) continue
    if (teamIds.size > 0 && !r.teamIds.some((t) => teamIds.has(t))) continue
    const row = analyticsIncident(ctx, r, zone)
    if (major !== undefined && row.major !== major) continue
    if (data.length === limit) {
      more = true
      break
    }
    data.push(row)
  }
  return json(200, {
    data,
    first: data[0]?.id ?? null,
    last: data[data.length - 1]?.id ?? null,
    limit,
    more,
    order,
    order_by: orderBy,
    filters,
    time_zone: zone
  })
}

export const routes: ReadonlyArray<Route> = [
  { method: "GET", path: "/audit/records", auth: "rest", handle: listAuditRecords },
  { method: "GET", path: "/alert_grouping_settings", auth: "rest", handle: listAlertGroupingSettings },
  {
    method: "GET",
    path: "/alert_grouping_settings/{id}",
    auth: "rest",
    handle: (ctx) => {
      const s = ctx.state.alertGroupingSettings.get(ctx.params.id)
      return s === undefined ? notFound() : json(200, { alert_grouping_setting: ctx.render.alertGroupingSetting(s) })
    }
  },
  { method: "POST", path: "/analytics/raw/incidents", auth: "rest", handle: analyticsRawIncidents }
]

