/**
 * Slack Connections routes (`/integration-slack/workspaces/{slack_team_id}/connections`),
 * with classic pagination and `slack_connection` wrapping. One store per `State`, seeded
 * with three connections in workspace `T0SIMSLACK`.
 *
 * @internal
 */
import { classicPage, isResponse, readPage } from "../pagination.js"
import type { Route, RouteContext } from "../router.js"
import type { State } from "../state.js"
import { asObject, asString, empty, invalidInput, json, notFound, parseJsonObject } from "../wire.js"

type Connection = Record<string, unknown> & { readonly id: string }

interface Store {
  readonly workspaces: Map<string, Map<string, Connection>>
  next: number
}

const stores = new WeakMap<State, Store>()

/** The seeded Slack workspace. */
export const SIM_SLACK_TEAM = "T0SIMSLACK"

const storeOf = (ctx: RouteContext): Store => {
  let store = stores.get(ctx.state)
  if (store === undefined) {
    store = { workspaces: new Map([[SIM_SLACK_TEAM, new Map()]]), next: 1 }
    const services = [...ctx.state.services.values()]
    for (let i = 0; i < 3; i++) {
      const service = services[i % Math.max(1, services.length)]
      create(store, SIM_SLACK_TEAM, {
        source_id: service?.id ?? `PSVC0${i}`,
        source_name: service?.name ?? `Service ${i}`,
        source_type: "service_reference",
        channel_id: `C0SIM${i}`,
        channel_name: `sim-channel-${i}`,
        notification_type: "responder",
        config: { events: ["incident.triggered"], priorities: ["*"], urgency: null }
      })
    }
    stores.set(ctx.state, store)
  }
  return store
}

const create = (store: Store, team: string, body: Record<string, unknown>): Connection => {
  const id = `A${String(store.next++).padStart(6, "0")}`
  const connection: Connection = { ...body, id }
  let workspace = store.workspaces.get(team)
  if (workspace === undefined) {
    workspace = new Map()
    store.workspaces.set(team, workspace)
  }
  workspace.set(id, connection)
  return connection
}

const PREFIX = "/integration-slack/workspaces/{slack_team_id}/connections"

const readConnection = (body: string): Record<string, unknown> | undefined => asObject(parseJsonObject(body)?.["slack_connection"])

export const routes: ReadonlyArray<Route> = [
  {
    method: "GET",
    path: PREFIX,
    auth: "rest",
    handle: (ctx) => {
      const page = readPage(ctx.query)
      if (isResponse(page)) return page
      const workspace = storeOf(ctx).workspaces.get(ctx.params["slack_team_id"]!) ?? new Map<string, Connection>()
      return classicPage("slack_connections", page, workspace.values(), (c) => c)
    }
  },
  {
    method: "POST",
    path: PREFIX,
    auth: "rest",
    handle: (ctx) => {
      const body = readConnection(ctx.req.body)
      if (body === undefined) return invalidInput(`The request body must be a JSON object with a "slack_connection" object.`)
      if (asString(body["source_id"]) === undefined || asString(body["channel_id"]) === undefined) {
        return invalidInput("source_id and channel_id are required.")
      }
      return json(201, { slack_connection: create(storeOf(ctx), ctx.params["slack_team_id"]!, body) })
    }
  },
  {
    method: "GET",
    path: `${PREFIX}/{connection_id}`,
    auth: "rest",
    handle: (ctx) => {
      const c = storeOf(ctx).workspaces.get(ctx.params["slack_team_id"]!)?.get(ctx.params["connection_id"]!)
      return c === undefined ? notFound() : json(200, { slack_connection: c })
    }
  },
  {
    method: "PUT",
    path: `${PREFIX}/{connection_id}`,
    auth: "rest",
    handle: (ctx) => {
      const workspace = storeOf(ctx).workspaces.get(ctx.params["slack_team_id"]!)
      const current = workspace?.get(ctx.params["connection_id"]!)
      if (workspace === undefined || current === undefined) return notFound()
      const body = readConnection(ctx.req.body)
      if (body === undefined) return invalidInput(`The request body must be a JSON object with a "slack_connection" object.`)
      const updated: Connection = { ...current, ...body, id: current.id }
      workspace.set(current.id, updated)
      return json(200, { slack_connection: updated })
    }
  },
  {
    method: "DELETE",
    path: `${PREFIX}/{connection_id}`,
    auth: "rest",
    handle: (ctx) =>
      storeOf(ctx).workspaces.get(ctx.params["slack_team_id"]!)?.delete(ctx.params["connection_id"]!) === true ? empty(204) : notFound()
  }
]
