/**
 * Jira Cloud integration routes (`/integration-jira-cloud/...`): accounts mappings and their
 * rules, with classic pagination. The store lives beside the simulator state (one per
 * `State`), seeded with two accounts mappings, the first with five rules.
 *
 * @internal
 */
import { classicPage, isResponse, readPage } from "../pagination.js"
import type { Route, RouteContext } from "../router.js"
import type { State } from "../state.js"
import { empty, invalidInput, json, notFound, parseJsonObject, type SimResponse } from "../wire.js"

interface Mapping {
  readonly id: string
  readonly created_at: string
  readonly updated_at: string
  readonly jira_cloud_account: { readonly base_url: string }
  readonly pagerduty_account: { readonly subdomain: string }
}

interface Store {
  readonly mappings: Map<string, Mapping>
  readonly rules: Map<string, Map<string, Record<string, unknown>>>
  nextRule: number
}

const stores = new WeakMap<State, Store>()

const storeOf = (ctx: RouteContext): Store => {
  let store = stores.get(ctx.state)
  if (store === undefined) {
    const at = new Date(ctx.now).toISOString()
    const mappings = new Map<string, Mapping>()
    const rules = new Map<string, Map<string, Record<string, unknown>>>()
    for (const [i, id] of ["PJMAP01", "PJMAP02"].entries()) {
      mappings.set(id, {
        id,
        created_at: at,
        updated_at: at,
        jira_cloud_account: { base_url: `https://sim-${i + 1}.atlassian.net` },
        pagerduty_account: { subdomain: ctx.env.subdomain }
      })
      rules.set(id, new Map())
    }
    store = { mappings, rules, nextRule: 1 }
    for (let i = 0; i < 5; i++) addRule(store, "PJMAP01", { name: `Rule ${i + 1}`, jira: { project: { key: "OPS" } } }, at)
    stores.set(ctx.state, store)
  }
  return store
}

const addRule = (store: Store, mappingId: string, body: Record<string, unknown>, at: string): Record<string, unknown> => {
  const id = `PJRUL${String(store.nextRule++).padStart(2, "0")}`
  const rule = { ...body, id, account_mapping: { id: mappingId, type: "jira_cloud_accounts_mapping_reference" }, created_at: at, updated_at: at }
  store.rules.get(mappingId)!.set(id, rule)
  return rule
}

const PREFIX = "/integration-jira-cloud"

const withMapping = (ctx: RouteContext, then: (store: Store, rules: Map<string, Record<string, unknown>>) => SimResponse): SimResponse => {
  const store = storeOf(ctx)
  const rules = store.rules.get(ctx.params["id"]!)
  return rules === undefined ? notFound() : then(store, rules)
}

export const routes: ReadonlyArray<Route> = [
  {
    method: "GET",
    path: `${PREFIX}/accounts_mappings`,
    auth: "rest",
    handle: (ctx) => {
      const page = readPage(ctx.query)
      return isResponse(page) ? page : classicPage("accounts_mappings", page, storeOf(ctx).mappings.values(), (m) => m)
    }
  },
  {
    method: "GET",
    path: `${PREFIX}/accounts_mappings/{id}`,
    auth: "rest",
    handle: (ctx) => {
      const mapping = storeOf(ctx).mappings.get(ctx.params["id"]!)
      return mapping === undefined ? notFound() : json(200, mapping)
    }
  },
  {
    method: "GET",
    path: `${PREFIX}/accounts_mappings/{id}/rules`,
    auth: "rest",
    handle: (ctx) =>
      withMapping(ctx, (_store, rules) => {
        const page = readPage(ctx.query)
        return isResponse(page) ? page : classicPage("rules", page, rules.values(), (r) => r)
      })
  },
  {
    method: "POST",
    path: `${PREFIX}/accounts_mappings/{id}/rules`,
    auth: "rest",
    handle: (ctx) =>
      withMapping(ctx, (store) => {
        const body = parseJsonObject(ctx.req.body)
        if (body === undefined || typeof body["name"] !== "string") return invalidInput("A rule needs a name.")
        return json(201, addRule(store, ctx.params["id"]!, body, new Date(ctx.now).toISOString()))
      })
  },
  {
    method: "GET",
    path: `${PREFIX}/accounts_mappings/{id}/rules/{rule_id}`,
    auth: "rest",
    handle: (ctx) =>
      withMapping(ctx, (_store, rules) => {
        const rule = rules.get(ctx.params["rule_id"]!)
        return rule === undefined ? notFound() : json(200, rule)
      })
  },
  {
    method: "PUT",
    path: `${PREFIX}/accounts_mappings/{id}/rules/{rule_id}`,
    auth: "rest",
    handle: (ctx) =>
      withMapping(ctx, (_store, rules) => {
        const rule = rules.get(ctx.params["rule_id"]!)
        if (rule === undefined) return notFound()
        const body = parseJsonObject(ctx.req.body)
        if (body === undefined) return invalidInput("The body must be a rule object.")
        const updated = { ...rule, ...body, id: rule["id"], updated_at: new Date(ctx.now).toISOString() }
        rules.set(ctx.params["rule_id"]!, updated)
        return json(200, updated)
      })
  },
  {
    method: "DELETE",
    path: `${PREFIX}/accounts_mappings/{id}/rules/{rule_id}`,
    auth: "rest",
    handle: (ctx) => withMapping(ctx, (_store, rules) => (rules.delete(ctx.params["rule_id"]!) ? empty(204) : notFound()))
  }
]
