/**
 * MS Teams integration routes (`/integration-ms-teams/incidents/{incident_id}/...`): an
 * incident's meeting (`POST .../meeting`, needs `mst_team_id`, answers `{"meeting"}`) and its
 * dedicated group chat (`POST .../dedicated_chat` needs `mst_tenant_id` and answers 201
 * `{"chat"}`, 409 when one exists; `GET` answers `{"chat","tenant_id"}`; `DELETE` 204). The
 * incident must exist (else 404). One store per `State`.
 *
 * @internal
 */
import type { Route, RouteContext } from "../router.js"
import type { State } from "../state.js"
import { asObject, asString, empty, json, parseJsonObject, type SimResponse } from "../wire.js"

interface Chat {
  readonly name: string
  readonly url: string
  readonly tenantId: string
}

interface Store {
  readonly chats: Map<string, Chat>
  meetings: number
}

const stores = new WeakMap<State, Store>()

const storeOf = (ctx: RouteContext): Store => {
  let store = stores.get(ctx.state)
  if (store === undefined) {
    store = { chats: new Map(), meetings: 0 }
    stores.set(ctx.state, store)
  }
  return store
}

const PREFIX = "/integration-ms-teams/incidents/{incident_id}"

/** The spec's error bodies (`{"error":{"message"}}`). */
const error = (status: number, message: string): SimResponse => json(status, { error: { message } })

/** The incident, its title and the parsed body, or the error to answer. */
const withIncident = (
  ctx: RouteContext,
  then: (incident: { readonly id: string; readonly title: string }, store: Store) => SimResponse
): SimResponse => {
  const incident = ctx.state.incidentById(ctx.params["incident_id"]!)
  return incident === undefined ? error(404, "Not Found") : then(incident, storeOf(ctx))
}

const slug = (s: string): string => encodeURIComponent(s.toLowerCase().replace(/[^a-z0-9]+/g, "_"))

export const routes: ReadonlyArray<Route> = [
  {
    method: "POST",
    path: `${PREFIX}/meeting`,
    auth: "rest",
    handle: (ctx) =>
      withIncident(ctx, (incident, store) => {
        const body = parseJsonObject(ctx.req.body)
        const teamId = asString(body?.["mst_team_id"])
        if (teamId === undefined) return error(400, "mst_team_id is required")
        const name = asString(asObject(body?.["meeting"])?.["name"]) ?? incident.title
        store.meetings++
        return json(201, {
          meeting: { name, url: `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${incident.id}_${store.meetings}%40thread.v2/0?team=${encodeURIComponent(teamId)}` }
        })
      })
  },
  {
    method: "POST",
    path: `${PREFIX}/dedicated_chat`,
    auth: "rest",
    handle: (ctx) =>
      withIncident(ctx, (incident, store) => {
        const body = parseJsonObject(ctx.req.body)
        const tenantId = asString(body?.["mst_tenant_id"])
        if (tenantId === undefined) return error(400, "mst_tenant_id is required")
        if (store.chats.has(incident.id)) return error(409, "The Group Chat already exists for this Incident.")
        const name = asString(asObject(body?.["chat"])?.["name"]) ?? `Incident: ${incident.title}`
        const chat: Chat = { name, url: `https://teams.microsoft.com/l/chat/19%3A${slug(incident.id)}%40thread.v2/0`, tenantId }
        store.chats.set(incident.id, chat)
        return json(201, { chat: { name: chat.name, url: chat.url } })
      })
  },
  {
    method: "GET",
    path: `${PREFIX}/dedicated_chat`,
    auth: "rest",
    handle: (ctx) =>
      withIncident(ctx, (incident, store) => {
        const chat = store.chats.get(incident.id)
        return chat === undefined ? error(404, "Not Found") : json(200, { chat: { name: chat.name, url: chat.url }, tenant_id: chat.tenantId })
      })
  },
  {
    method: "DELETE",
    path: `${PREFIX}/dedicated_chat`,
    auth: "rest",
    handle: (ctx) => withIncident(ctx, (incident, store) => (store.chats.delete(incident.id) ? empty(204) : error(404, "Not Found")))
  }
]
