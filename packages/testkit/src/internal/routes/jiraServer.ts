/**
 * Jira Server (Jira service integration) routes (`/integration-jira-service/rules...`), with
 * classic pagination and `rule` wrapping. As the spec says, every request needs an OAuth
 * access token (`Authorization: Bearer ...`; an API key is 401) and the
 * `x-pagerduty-jira-signature` header (missing or blank: 403 "Authorization error"). Any
 * non-blank signature is accepted. One store per `State`, seeded with three rules.
 *
 * @internal
 */
import { classicPage, isResponse, readPage } from "../pagination.js"
import type { Route, RouteContext } from "../router.js"
import type { State } from "../state.js"
import { asObject, empty, json, parseJsonObject, pdError, type SimResponse } from "../wire.js"

type Rule = Record<string, unknown> & { readonly id: string }

interface Store {
  readonly rules: Map<string, Rule>
  next: number
}

const stores = new WeakMap<State, Store>()

const PREFIX = "/integration-jira-service"
const SIGNATURE_HEADER = "x-pagerduty-jira-signature"

const storeOf = (ctx: RouteContext): Store => {
  let store = stores.get(ctx.state)
  if (store === undefined) {
    store = { rules: new Map(), next: 1 }
    const at = new Date(ctx.now).toISOString()
    const services = [...ctx.state.services.values()]
    for (let i = 0; i < 3; i++) {
      const service = services[i % Math.max(1, services.length)]
      add(store, {
        name: `Jira rule ${i + 1}`,
        enabled: i !== 2,
        created_at: at,
        config: {
          sync_comments: true,
          services: service === undefined ? [] : [{ id: service.id, type: "service_reference" }],
          projects: [{ key: "OPS", id: "10000", label: "Operations" }],
          issue_types: [{ id: "10004", label: "Bug" }]
        }
      })
    }
    stores.set(ctx.state, store)
  }
  return store
}

const add = (store: Store, body: Record<string, unknown>): Rule => {
  const id = `PJSRL${String(store.next++).padStart(2, "0")}`
  const rule: Rule = { ...body, id }
  store.rules.set(id, rule)
  return rule
}

/** The spec's Forbidden and ArgumentError bodies (no `code`). */
const forbidden = (): SimResponse => json(403, { error: { message: "Authorization error" } })
const argumentError = (...errors: ReadonlyArray<string>): SimResponse => json(400, { error: { message: "Invalid Input Provided", errors } })
const recordNotFound = (): SimResponse => json(404, { error: { message: "Record not found" } })

/** Bearer only, and a signature: checked before the handler runs. */
const guarded = (handle: (ctx: RouteContext, store: Store) => SimResponse) => (ctx: RouteContext): SimResponse => {
  if (!/^Bearer\s/i.test(ctx.req.headers["authorization"] ?? "")) {
    return pdError(401, 2006, "Unauthorized", ["The Jira service integration API needs an OAuth access token (Bearer)."])
  }
  if ((ctx.req.headers[SIGNATURE_HEADER] ?? "").trim() === "") return forbidden()
  return handle(ctx, storeOf(ctx))
}

/** A rule from `{"rule": {...}}`; `name`, `enabled` and `config` are required on create. */
const readRule = (body: string, create: boolean): { readonly rule: Record<string, unknown> } | { readonly error: SimResponse } => {
  const rule = asObject(parseJsonObject(body)?.["rule"])
  if (rule === undefined) return { error: argumentError(`The request body must be a JSON object with a "rule" object.`) }
  if (create) {
    const missing = ["name", "enabled", "config"].filter((k) => rule[k] === undefined)
    if (missing.length > 0) return { error: argumentError(...missing.map((k) => `${k} can't be blank`)) }
  }
  return { rule }
}

export const routes: ReadonlyArray<Route> = [
  {
    method: "GET",
    path: `${PREFIX}/rules`,
    auth: "rest",
    handle: guarded((ctx, store) => {
      const page = readPage(ctx.query)
      return isResponse(page) ? page : classicPage("rules", page, store.rules.values(), (r) => r)
    })
  },
  {
    method: "POST",
    path: `${PREFIX}/rules`,
    auth: "rest",
    handle: guarded((ctx, store) => {
      const read = readRule(ctx.req.body, true)
      if ("error" in read) return read.error
      return json(201, { rule: add(store, { ...read.rule, created_at: new Date(ctx.now).toISOString() }) })
    })
  },
  {
    method: "GET",
    path: `${PREFIX}/rules/{id}`,
    auth: "rest",
    handle: guarded((ctx, store) => {
      const rule = store.rules.get(ctx.params["id"]!)
      return rule === undefined ? recordNotFound() : json(200, { rule })
    })
  },
  {
    method: "PUT",
    path: `${PREFIX}/rules/{id}`,
    auth: "rest",
    handle: guarded((ctx, store) => {
      const current = store.rules.get(ctx.params["id"]!)
      if (current === undefined) return recordNotFound()
      const read = readRule(ctx.req.body, false)
      if ("error" in read) return read.error
      const updated: Rule = { ...current, ...read.rule, id: current.id, created_at: current["created_at"] }
      store.rules.set(current.id, updated)
      return json(200, { rule: updated })
    })
  },
  {
    method: "DELETE",
    path: `${PREFIX}/rules/{id}`,
    auth: "rest",
    handle: guarded((ctx, store) => (store.rules.delete(ctx.params["id"]!) ? empty(204) : recordNotFound()))
  }
]
