/**
 * The account's directory: users (incl. `/users/me`), teams, services, escalation
 * policies, tags, priorities and abilities.
 *
 * @internal
 */
import type { EscalationPolicyRec, EscalationTarget, UserRec } from "../model.js"
import { classicPage, isResponse, readPage } from "../pagination.js"
import type { Route, RouteContext } from "../router.js"
import { isValidTimeZone } from "../time.js"
import { asObject, asString, empty, invalidInput, json, notFound, pdError, queryArray, type SimResponse } from "../wire.js"
import { isSim, matchesQuery, refId, unwrap } from "./common.js"

/** Abilities an account on a full plan has (REST.json `/abilities` example). */
export const KNOWN_ABILITIES: ReadonlyArray<string> = [
  "advanced_reports", "analytics", "coordinated_responding", "event_rules", "event_intelligence",
  "manage_api_keys", "manage_schedules", "preview_incident_alert_split", "read_only_users",
  "response_operations", "response_plays", "service_support_hours", "sso", "teams", "urgencies",
  "user_roles", "uptime_percentage", "incident_workflows", "status_dashboard"
]

const list = <A>(key: string, items: (ctx: RouteContext) => Iterable<A>, render: (ctx: RouteContext, a: A) => unknown) => (ctx: RouteContext): SimResponse => {
  const page = readPage(ctx.query)
  return isResponse(page) ? page : classicPage(key, page, items(ctx), (a) => render(ctx, a))
}

const get = <A>(key: string, lookup: (ctx: RouteContext) => A | undefined, render: (ctx: RouteContext, a: A) => unknown) => (ctx: RouteContext): SimResponse => {
  const a = lookup(ctx)
  return a === undefined ? notFound() : json(200, { [key]: render(ctx, a) })
}

/**
 * The tail of every directory write: store the record, add it to the audit trail (when the
 * route audits), bump the state version (drops cached pages), and answer it wrapped.
 */
const commit = <A extends { readonly id: string }>(
  ctx: RouteContext,
  store: Map<string, A>,
  record: A,
  answer: { readonly status: 200 | 201; readonly key: string; readonly render: (a: A) => unknown },
  audit?: { readonly resource: string; readonly summary: string; readonly action: "create" | "update" }
): SimResponse => {
  store.set(record.id, record)
  if (audit !== undefined) ctx.state.audit(ctx.now, audit.resource, record.id, audit.summary, audit.action, ctx.caller?.userId ?? null)
  ctx.state.version++
  return json(answer.status, { [answer.key]: answer.render(record) })
}

const userFields = (ctx: RouteContext, body: Record<string, unknown>, base: UserRec | undefined): UserRec | string => {
  const name = body.name === undefined ? base?.name : asString(body.name)
  const email = body.email === undefined ? base?.email : asString(body.email)
  if (name === undefined) return "Name cannot be empty."
  if (email === undefined || !/^[^@\s]+@[^@\s]+$/.test(email)) return "Email is invalid."
  const clash = ctx.state.userByEmail(email)
  if (clash !== undefined && clash.id !== base?.id) return "Email has already been taken."
  const tz = body.time_zone === undefined ? base?.time_zone ?? "UTC" : asString(body.time_zone)
  if (tz === undefined || !isValidTimeZone(tz)) return "Time zone is invalid."
  const role = body.role === undefined ? base?.role ?? "user" : asString(body.role)
  if (role === undefined || !["admin", "limited_user", "observer", "owner", "read_only_user", "restricted_access", "read_only_limited_user", "user"].includes(role)) return "Role is invalid."
  return {
    id: base?.id ?? ctx.state.nextId("user"),
    name,
    email,
    time_zone: tz,
    role,
    color: asString(body.color) ?? base?.color ?? "purple",
    job_title: asString(body.job_title) ?? base?.job_title ?? "",
    description: body.description === undefined ? base?.description ?? null : asString(body.description) ?? null,
    teamIds: base?.teamIds ?? []
  }
}

const policyFields = (ctx: RouteContext, body: Record<string, unknown>, base: EscalationPolicyRec | undefined): EscalationPolicyRec | string => {
  const name = body.name === undefined ? base?.name : asString(body.name)
  if (name === undefined) return "Name cannot be empty."
  let rules = base?.rules ?? []
  if (body.escalation_rules !== undefined) {
    if (!Array.isArray(body.escalation_rules) || body.escalation_rules.length === 0) return "Escalation rules must be a non-empty array."
    rules = []
    for (const r of body.escalation_rules) {
      const o = asObject(r)
      const targets: Array<EscalationTarget> = []
      for (const t of Array.isArray(o?.targets) ? o.targets : []) {
        const to = asObject(t)
        const id = asString(to?.id)
        const type = to?.type === "schedule_reference" || to?.type === "schedule" ? "schedule_reference" : to?.type === "user_reference" || to?.type === "user" ? "user_reference" : undefined
        if (id === undefined || type === undefined) return "Each target needs an id and a type of user_reference or schedule_reference."
        if (type === "user_reference" ? !ctx.state.users.has(id) : !ctx.state.schedules.has(id)) return `Target ${id} not found.`
        targets.push({ type, id })
      }
      if (targets.length === 0) return "Each escalation rule needs at least one target."
      rules.push({ id: ctx.state.nextId("rule"), escalation_delay_in_minutes: typeof o?.escalation_delay_in_minutes === "number" ? o.escalation_delay_in_minutes : 30, targets })
    }
  }
  if (rules.length === 0) return "Escalation rules must be a non-empty array."
  return {
    id: base?.id ?? ctx.state.nextId("escalationPolicy"),
    name,
    description: body.description === undefined ? base?.description ?? null : asString(body.description) ?? null,
    num_loops: typeof body.num_loops === "number" ? body.num_loops : base?.num_loops ?? 0,
    rules,
    teamIds: Array.isArray(body.teams) ? body.teams.map(refId).filter((x): x is string => x !== undefined) : base?.teamIds ?? []
  }
}

export const routes: ReadonlyArray<Route> = [
  // ---- users ----
  {
    method: "GET",
    path: "/users",
    auth: "rest",
    handle: list("users", (ctx) => {
      const q = ctx.query.get("query")
      const teams = new Set(queryArray(ctx.query, "team_ids"))
      return [...ctx.state.users.values()].filter((u) => matchesQuery(q, u.name, u.email) && (teams.size === 0 || u.teamIds.some((t) => teams.has(t))))
    }, (ctx, u) => ctx.render.user(u))
  },
  {
    method: "GET",
    path: "/users/me",
    auth: "rest",
    handle: (ctx) => {
      if (ctx.caller?.userId == null) {
        // PagerDuty answers with a bare string `error` here; python-pagerduty matches on its text.
        return json(400, { error: "Because this request was made using an account-level access token, we were unable to determine the user's identity. Please use a user-level token." })
      }
      const user = ctx.state.users.get(ctx.caller.userId)
      return user === undefined ? notFound() : json(200, { user: ctx.render.user(user) })
    }
  },
  { method: "GET", path: "/users/{id}", auth: "rest", handle: get("user", (ctx) => ctx.state.users.get(ctx.params.id), (ctx, u) => ctx.render.user(u)) },
  {
    method: "POST",
    path: "/users",
    auth: "rest",
    handle: (ctx) => {
      const body = unwrap(ctx, "user")
      if (isSim(body)) return body
      const user = userFields(ctx, body, undefined)
      if (typeof user === "string") return invalidInput(user)
      return commit(ctx, ctx.state.users, user, { status: 201, key: "user", render: (a) => ctx.render.user(a) }, { resource: "users", summary: user.name, action: "create" })
    }
  },
  {
    method: "PUT",
    path: "/users/{id}",
    auth: "rest",
    handle: (ctx) => {
      const base = ctx.state.users.get(ctx.params.id)
      if (base === undefined) return notFound()
      const body = unwrap(ctx, "user")
      if (isSim(body)) return body
      const user = userFields(ctx, body, base)
      if (typeof user === "string") return invalidInput(user)
      return commit(ctx, ctx.state.users, user, { status: 200, key: "user", render: (a) => ctx.render.user(a) }, { resource: "users", summary: user.name, action: "update" })
    }
  },
  {
    method: "DELETE",
    path: "/users/{id}",
    auth: "rest",
    handle: (ctx) => {
      const user = ctx.state.users.get(ctx.params.id)
      if (user === undefined) return notFound()
      ctx.state.users.delete(user.id)
      ctx.state.audit(ctx.now, "users", user.id, user.name, "delete", ctx.caller?.userId ?? null)
      ctx.state.version++
      return empty(204)
    }
  },
  // ---- teams ----
  {
    method: "GET",
    path: "/teams",
    auth: "rest",
    handle: list("teams", (ctx) => [...ctx.state.teams.values()].filter((t) => matchesQuery(ctx.query.get("query"), t.name)), (ctx, t) => ctx.render.team(t))
  },
  { method: "GET", path: "/teams/{id}", auth: "rest", handle: get("team", (ctx) => ctx.state.teams.get(ctx.params.id), (ctx, t) => ctx.render.team(t)) },
  {
    method: "POST",
    path: "/teams",
    auth: "rest",
    handle: (ctx) => {
      const body = unwrap(ctx, "team")
      if (isSim(body)) return body
      const name = asString(body.name)
      if (name === undefined) return invalidInput("Name cannot be empty.")
      if ([...ctx.state.teams.values()].some((t) => t.name === name)) return invalidInput("Name has already been taken.")
      const team = { id: ctx.state.nextId("team"), name, description: asString(body.description) ?? null, parentId: refId(body.parent) ?? null }
      return commit(ctx, ctx.state.teams, team, { status: 201, key: "team", render: (a) => ctx.render.team(a) }, { resource: "teams", summary: team.name, action: "create" })
    }
  },
  // ---- services ----
  {
    method: "GET",
    path: "/services",
    auth: "rest",
    handle: list("services", (ctx) => {
      const q = ctx.query.get("query")
      const teams = new Set(queryArray(ctx.query, "team_ids"))
      return [...ctx.state.services.values()].filter((s) => matchesQuery(q, s.name) && (teams.size === 0 || s.teamIds.some((t) => teams.has(t))))
    }, (ctx, s) => ctx.render.service(s))
  },
  { method: "GET", path: "/services/{id}", auth: "rest", handle: get("service", (ctx) => ctx.state.services.get(ctx.params.id), (ctx, s) => ctx.render.service(s)) },
  {
    method: "POST",
    path: "/services",
    auth: "rest",
    handle: (ctx) => {
      const body = unwrap(ctx, "service")
      if (isSim(body)) return body
      const name = asString(body.name)
      const ep = refId(body.escalation_policy)
      if (name === undefined) return invalidInput("Name cannot be empty.")
      if (ep === undefined || !ctx.state.escalationPolicies.has(ep)) return invalidInput("Escalation policy not found.")
      if ([...ctx.state.services.values()].some((s) => s.name === name)) return invalidInput("Name has already been taken.")
      const service = { id: ctx.state.nextId("service"), name, description: asString(body.description) ?? null, status: "active", escalationPolicyId: ep, teamIds: [], created_at: ctx.now, updated_at: ctx.now }
      return commit(ctx, ctx.state.services, service, { status: 201, key: "service", render: (a) => ctx.render.service(a) }, { resource: "services", summary: service.name, action: "create" })
    }
  },
  {
    method: "PUT",
    path: "/services/{id}",
    auth: "rest",
    handle: (ctx) => {
      const base = ctx.state.services.get(ctx.params.id)
      if (base === undefined) return notFound()
      const body = unwrap(ctx, "service")
      if (isSim(body)) return body
      const ep = body.escalation_policy === undefined ? base.escalationPolicyId : refId(body.escalation_policy)
      if (ep === undefined || !ctx.state.escalationPolicies.has(ep)) return invalidInput("Escalation policy not found.")
      const status = body.status === undefined ? base.status : asString(body.status)
      if (status === undefined || !["active", "warning", "critical", "maintenance", "disabled"].includes(status)) return invalidInput("Status is invalid.")
      const service = { ...base, name: asString(body.name) ?? base.name, description: body.description === undefined ? base.description : asString(body.description) ?? null, status, escalationPolicyId: ep, updated_at: ctx.now }
      return commit(ctx, ctx.state.services, service, { status: 200, key: "service", render: (a) => ctx.render.service(a) }, { resource: "services", summary: service.name, action: "update" })
    }
  },
  // ---- escalation policies ----
  {
    method: "GET",
    path: "/escalation_policies",
    auth: "rest",
    handle: list("escalation_policies", (ctx) => {
      const q = ctx.query.get("query")
      const users = new Set(queryArray(ctx.query, "user_ids"))
      const teams = new Set(queryArray(ctx.query, "team_ids"))
      return [...ctx.state.escalationPolicies.values()].filter((p) =>
        matchesQuery(q, p.name) &&
        (teams.size === 0 || p.teamIds.some((t) => teams.has(t))) &&
        (users.size === 0 || p.rules.some((r) => r.targets.some((t) => t.type === "user_reference" && users.has(t.id))))
      )
    }, (ctx, p) => ctx.render.escalationPolicy(p))
  },
  { method: "GET", path: "/escalation_policies/{id}", auth: "rest", handle: get("escalation_policy", (ctx) => ctx.state.escalationPolicies.get(ctx.params.id), (ctx, p) => ctx.render.escalationPolicy(p)) },
  {
    method: "POST",
    path: "/escalation_policies",
    auth: "rest",
    handle: (ctx) => {
      const body = unwrap(ctx, "escalation_policy")
      if (isSim(body)) return body
      const policy = policyFields(ctx, body, undefined)
      if (typeof policy === "string") return invalidInput(policy)
      return commit(ctx, ctx.state.escalationPolicies, policy, { status: 201, key: "escalation_policy", render: (a) => ctx.render.escalationPolicy(a) }, { resource: "escalation_policies", summary: policy.name, action: "create" })
    }
  },
  {
    method: "PUT",
    path: "/escalation_policies/{id}",
    auth: "rest",
    handle: (ctx) => {
      const base = ctx.state.escalationPolicies.get(ctx.params.id)
      if (base === undefined) return notFound()
      const body = unwrap(ctx, "escalation_policy")
      if (isSim(body)) return body
      const policy = policyFields(ctx, body, base)
      if (typeof policy === "string") return invalidInput(policy)
      return commit(ctx, ctx.state.escalationPolicies, policy, { status: 200, key: "escalation_policy", render: (a) => ctx.render.escalationPolicy(a) })
    }
  },
  // ---- tags, priorities, abilities ----
  {
    method: "GET",
    path: "/tags",
    auth: "rest",
    handle: list("tags", (ctx) => [...ctx.state.tags.values()].filter((t) => matchesQuery(ctx.query.get("query"), t.label)), (ctx, t) => ctx.render.tag(t))
  },
  { method: "GET", path: "/tags/{id}", auth: "rest", handle: get("tag", (ctx) => ctx.state.tags.get(ctx.params.id), (ctx, t) => ctx.render.tag(t)) },
  {
    method: "POST",
    path: "/tags",
    auth: "rest",
    handle: (ctx) => {
      const body = unwrap(ctx, "tag")
      if (isSim(body)) return body
      const label = asString(body.label)
      if (label === undefined) return invalidInput("Label cannot be empty.")
      if ([...ctx.state.tags.values()].some((t) => t.label === label)) return invalidInput("Label has already been taken.")
      const tag = { id: ctx.state.nextId("tag"), label }
      return commit(ctx, ctx.state.tags, tag, { status: 201, key: "tag", render: (a) => ctx.render.tag(a) })
    }
  },
  { method: "GET", path: "/priorities", auth: "rest", handle: list("priorities", (ctx) => ctx.state.priorities.values(), (ctx, p) => ctx.render.priority(p)) },
  {
    method: "GET",
    path: "/abilities",
    auth: "rest",
    handle: (ctx) => json(200, { abilities: KNOWN_ABILITIES.filter((a) => !ctx.env.missingAbilities.has(a)) })
  },
  {
    method: "GET",
    path: "/abilities/{id}",
    auth: "rest",
    handle: (ctx) => {
      const id = ctx.params.id
      if (ctx.env.missingAbilities.has(id)) return pdError(402, 2012, "Payment Required", [`The account does not have the ${id} ability.`])
      return KNOWN_ABILITIES.includes(id) ? empty(204) : notFound()
    }
  }
]
