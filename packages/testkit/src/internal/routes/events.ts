/**
 * Events API v2 (`/v2/enqueue`, `/v2/change/enqueue`), the legacy Events API v1 generic
 * endpoint, and the REST view of change events. Events authenticate by routing key in the
 * body, not by header, so these routes use `auth: "none"` and check keys themselves.
 *
 * @internal
 */
import type { IncidentRec } from "../model.js"
import { classicPage, isResponse, readPage } from "../pagination.js"
import type { Route, RouteContext } from "../router.js"
import { parseTime } from "../time.js"
import { asObject, asString, json, notFound, queryArray, type SimResponse } from "../wire.js"
import { isSim, readRange } from "./common.js"
import { openIncident, transition } from "./incidents.js"

const SEVERITIES: ReadonlyArray<string> = ["critical", "error", "warning", "info"]
const ACTIONS: ReadonlyArray<string> = ["trigger", "acknowledge", "resolve"]

const invalidEvent = (errors: ReadonlyArray<string>): SimResponse =>
  json(400, { status: "invalid event", message: "Event object is invalid", errors })

const unrecognized = (): SimResponse =>
  json(400, { status: "Unrecognized object", message: "Event object format is unrecognized", errors: ["JSON parse error"] })

const parseBody = (ctx: RouteContext): Record<string, unknown> | undefined => {
  try {
    return asObject(JSON.parse(ctx.req.body))
  } catch {
    return undefined
  }
}

/** Checks a routing key; an error message when it is unusable. */
const routingKeyError = (ctx: RouteContext, key: unknown, field: string): string | undefined => {
  if (typeof key !== "string" || key.trim() === "") return `'${field}' is missing or blank`
  if (ctx.env.serviceForRoutingKey(key) !== undefined) return undefined
  if (key.length !== 32) return `Length of '${field}' is incorrect (should be 32 characters)`
  return `'${field}' is invalid: no integration with this key`
}

/** Applies an alert event to the service's incidents; shared by v1 and v2. */
const applyEvent = (
  ctx: RouteContext,
  serviceId: string,
  action: string,
  key: string,
  summary: string,
  severity: string,
  details: Record<string, unknown>
): void => {
  const state = ctx.state
  const open: IncidentRec | undefined = state.openIncidentByKey(serviceId, key)
  if (action === "trigger") {
    // A trigger for an open key is deduplicated: no new incident, no new alert.
    if (open !== undefined) return
    const rec = openIncident(state, ctx.now, {
      title: summary,
      serviceId,
      urgency: severity === "critical" || severity === "error" ? "high" : "low",
      incidentKey: key,
      createdBy: null,
      priorityId: null
    })
    state.addAlert({ incidentId: rec.id, alert_key: key, status: "triggered", summary, severity, serviceId, created_at: ctx.now, details })
    state.putIncident({ ...state.incident(rec.index), alertCount: 1 })
    return
  }
  if (open === undefined) return
  transition(state, open, action === "acknowledge" ? "acknowledged" : "resolved", null, ctx.now, "api")
}

const enqueue = (ctx: RouteContext): SimResponse => {
  const body = parseBody(ctx)
  if (body === undefined) return unrecognized()
  const errors: Array<string> = []
  const keyError = routingKeyError(ctx, body.routing_key, "routing_key")
  if (keyError !== undefined) errors.push(keyError)
  const action = body.event_action
  if (typeof action !== "string" || action === "") errors.push("'event_action' is missing or blank")
  else if (!ACTIONS.includes(action)) errors.push("'event_action' is invalid (must be one of: trigger, acknowledge, resolve)")
  const given = body.dedup_key
  if (given !== undefined && given !== null && typeof given !== "string") errors.push("'dedup_key' must be a string")
  let summary = ""
  let severity = "info"
  let details: Record<string, unknown> = {}
  if (action === "trigger") {
    const payload = asObject(body.payload)
    if (payload === undefined) errors.push("'payload' is missing or blank")
    else {
      const s = asString(payload.summary)
      if (s === undefined) errors.push("'payload.summary' is missing or blank")
      else if (s.length > 1024) errors.push("'payload.summary' is too long (maximum is 1024 characters)")
      if (asString(payload.source) === undefined) errors.push("'payload.source' is missing or blank")
      const sev = payload.severity
      if (typeof sev !== "string" || sev === "") errors.push("'payload.severity' is missing or blank")
      else if (!SEVERITIES.includes(sev)) errors.push("'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')")
      summary = s ?? ""
      severity = typeof sev === "string" ? sev : "info"
      details = asObject(payload.custom_details) ?? {}
    }
  } else if (typeof action === "string" && ACTIONS.includes(action) && (typeof given !== "string" || given === "")) {
    errors.push("'dedup_key' is missing or blank")
  }
  if (errors.length > 0) return invalidEvent(errors)
  const dedupKey = typeof given === "string" && given !== "" ? given : ctx.env.randomHex(32)
  const serviceId = ctx.env.serviceForRoutingKey(body.routing_key as string)!
  applyEvent(ctx, serviceId, action as string, dedupKey, summary, severity, details)
  ctx.env.countEvent(dedupKey)
  return json(202, { status: "success", message: "Event processed", dedup_key: dedupKey })
}

const changeEnqueue = (ctx: RouteContext): SimResponse => {
  const body = parseBody(ctx)
  if (body === undefined) return unrecognized()
  const errors: Array<string> = []
  const keyError = routingKeyError(ctx, body.routing_key, "routing_key")
  if (keyError !== undefined) errors.push(keyError)
  const payload = asObject(body.payload)
  const summary = asString(payload?.summary)
  if (payload === undefined) errors.push("'payload' is missing or blank")
  else if (summary === undefined) errors.push("'payload.summary' is missing or blank")
  const rawTimestamp = payload?.timestamp
  const timestamp = typeof rawTimestamp === "string" ? parseTime(rawTimestamp) : undefined
  if (rawTimestamp !== undefined && timestamp === undefined) errors.push("'payload.timestamp' is invalid")
  if (errors.length > 0 || summary === undefined) return invalidEvent(errors)
  ctx.state.changeEvents.push({
    id: `CE${ctx.env.randomHex(24).toUpperCase()}`,
    summary,
    timestamp: timestamp ?? ctx.now,
    source: asString(payload?.source) ?? null,
    serviceIds: [ctx.env.serviceForRoutingKey(body.routing_key as string)!],
    custom_details: asObject(payload?.custom_details) ?? {},
    links: Array.isArray(body.links) ? body.links : []
  })
  ctx.state.version++
  return json(202, { status: "success", message: "Change event processed" })
}

const v1Event = (ctx: RouteContext): SimResponse => {
  const body = parseBody(ctx)
  if (body === undefined) return unrecognized()
  const errors: Array<string> = []
  const keyError = routingKeyError(ctx, body.service_key, "service_key")
  if (keyError !== undefined) errors.push(keyError.replace("'service_key'", "Service key"))
  const type = body.event_type
  if (typeof type !== "string" || type === "") errors.push("Event type is missing")
  else if (!ACTIONS.includes(type)) errors.push("Event type is invalid (must be one of: trigger, acknowledge, resolve)")
  const given = asString(body.incident_key)
  const description = asString(body.description)
  if (type === "trigger" && description === undefined) errors.push("Description is missing")
  if ((type === "acknowledge" || type === "resolve") && given === undefined) errors.push("Incident key is missing")
  if (errors.length > 0) return invalidEvent(errors)
  const key = given ?? ctx.env.randomHex(32)
  const serviceId = ctx.env.serviceForRoutingKey(body.service_key as string)!
  applyEvent(ctx, serviceId, type as string, key, description ?? "", "error", asObject(body.details) ?? {})
  ctx.env.countEvent(key)
  return json(200, { status: "success", message: "Event processed", incident_key: key })
}

export const routes: ReadonlyArray<Route> = [
  { method: "POST", path: "/v2/enqueue", auth: "none", handle: enqueue },
  { method: "POST", path: "/v2/change/enqueue", auth: "none", handle: changeEnqueue },
  { method: "POST", path: "/generic/2010-04-15/create_event.json", auth: "none", handle: v1Event },
  {
    method: "GET",
    path: "/change_events",
    auth: "rest",
    handle: (ctx) => {
      const page = readPage(ctx.query)
      if (isResponse(page)) return page
      const range = readRange(ctx)
      if (isSim(range)) return range
      const teamIds = new Set(queryArray(ctx.query, "team_ids"))
      const items = ctx.state.changeEvents.filter((c) =>
        (range.since === undefined || c.timestamp >= range.since) &&
        (range.until === undefined || c.timestamp < range.until) &&
        (teamIds.size === 0 || c.serviceIds.some((s) => (ctx.state.services.get(s)?.teamIds ?? []).some((t) => teamIds.has(t))))
      )
      return classicPage("change_events", page, items, (c) => ctx.render.changeEvent(c))
    }
  },
  {
    method: "GET",
    path: "/change_events/{id}",
    auth: "rest",
    handle: (ctx) => {
      const c = ctx.state.changeEvents.find((e) => e.id === ctx.params.id)
      return c === undefined ? notFound() : json(200, { change_event: ctx.render.changeEvent(c) })
    }
  }
]
