/**
 * Slack incident channel routes (`/integration-slack/incidents/{incident_id}/...`): an
 * incident's dedicated channel (`GET`/`POST`/`DELETE .../dedicated_channel`, wrapped in
 * `channel`; POST 422 when one exists) and its notification channels (`GET` answers
 * `{"channels"}`, `POST` adds one from `{"channel":{id, slack_team_id}}`, `PUT` replaces them
 * from `{"channels":[...]}`, `DELETE .../notification_channels/{channel_id}` unlinks one).
 * Channels get `link` and `deep_link` as in the spec's examples. The incident must exist
 * (else 404). One store per `State`.
 *
 * @internal
 */
import type { Route, RouteContext } from "../router.js"
import type { State } from "../state.js"
import { asObject, asString, empty, json, parseJsonObject, type SimResponse } from "../wire.js"
import { SIM_SLACK_TEAM } from "./slack.js"

interface Channel {
  readonly id: string
  readonly name: string
  readonly slack_team_id: string
  readonly link: string
  readonly deep_link: string
}

interface Store {
  readonly dedicated: Map<string, Channel>
  readonly notification: Map<string, Array<Channel>>
  next: number
}

const stores = new WeakMap<State, Store>()

const storeOf = (ctx: RouteContext): Store => {
  let store = stores.get(ctx.state)
  if (store === undefined) {
    store = { dedicated: new Map(), notification: new Map(), next: 1 }
    stores.set(ctx.state, store)
  }
  return store
}

const channel = (id: string, name: string, team: string): Channel => ({
  id,
  name,
  slack_team_id: team,
  link: `https://slack.com/app_redirect?channel=${encodeURIComponent(id)}&team=${encodeURIComponent(team)}`,
  deep_link: `slack://channel?team=${encodeURIComponent(team)}&id=${encodeURIComponent(id)}`
})

const PREFIX = "/integration-slack/incidents/{incident_id}"

/** The spec's error bodies (`{"error":{"message"}}`). */
const error = (status: number, message: string): SimResponse => json(status, { error: { message } })

const withIncident = (ctx: RouteContext, then: (incidentId: string, store: Store) => SimResponse): SimResponse => {
  const incident = ctx.state.incidentById(ctx.params["incident_id"]!)
  return incident === undefined ? error(404, "Not Found") : then(incident.id, storeOf(ctx))
}

/** A notification channel reference `{id, slack_team_id?}` from a request. */
const reference = (value: unknown): { readonly id: string; readonly team: string } | undefined => {
  const ref = asObject(value)
  const id = asString(ref?.["id"])
  return id === undefined ? undefined : { id, team: asString(ref?.["slack_team_id"]) ?? SIM_SLACK_TEAM }
}

export const routes: ReadonlyArray<Route> = [
  {
    method: "GET",
    path: `${PREFIX}/dedicated_channel`,
    auth: "rest",
    handle: (ctx) =>
      withIncident(ctx, (id, store) => {
        const found = store.dedicated.get(id)
        return found === undefined ? error(404, "Not Found") : json(200, { channel: found })
      })
  },
  {
    method: "POST",
    path: `${PREFIX}/dedicated_channel`,
    auth: "rest",
    handle: (ctx) =>
      withIncident(ctx, (id, store) => {
        const body = asObject(parseJsonObject(ctx.req.body)?.["channel"])
        if (body === undefined) return error(400, `The request body must be a JSON object with a "channel" object.`)
        const privacy = body["privacy"]
        if (privacy !== undefined && privacy !== "public" && privacy !== "private") return error(400, "privacy must be public or private")
        if (store.dedicated.has(id)) return error(422, "The incident already has a dedicated channel.")
        const created = channel(
          `C0SIMDED${String(store.next++).padStart(3, "0")}`,
          asString(body["name"]) ?? `inc-${id.toLowerCase()}`,
          asString(body["slack_team_id"]) ?? SIM_SLACK_TEAM
        )
        store.dedicated.set(id, created)
        return json(201, { channel: created }, { location: ctx.req.url.pathname })
      })
  },
  {
    method: "DELETE",
    path: `${PREFIX}/dedicated_channel`,
    auth: "rest",
    handle: (ctx) => withIncident(ctx, (id, store) => (store.dedicated.delete(id) ? empty(204) : error(404, "Not Found")))
  },
  {
    method: "GET",
    path: `${PREFIX}/notification_channels`,
    auth: "rest",
    handle: (ctx) => withIncident(ctx, (id, store) => json(200, { channels: store.notification.get(id) ?? [] }))
  },
  {
    method: "POST",
    path: `${PREFIX}/notification_channels`,
    auth: "rest",
    handle: (ctx) =>
      withIncident(ctx, (id, store) => {
        const ref = reference(parseJsonObject(ctx.req.body)?.["channel"])
        if (ref === undefined) return error(400, `The request body must be a JSON object with a "channel" object that has an id.`)
        const list = store.notification.get(id) ?? []
        if (list.some((c) => c.id === ref.id && c.slack_team_id === ref.team)) return error(422, "The channel is already linked.")
        const linked = channel(ref.id, `notification-${list.length + 1}`, ref.team)
        store.notification.set(id, [...list, linked])
        return json(201, { channel: linked })
      })
  },
  {
    method: "PUT",
    path: `${PREFIX}/notification_channels`,
    auth: "rest",
    handle: (ctx) =>
      withIncident(ctx, (id, store) => {
        const raw = parseJsonObject(ctx.req.body)?.["channels"]
        const refs = Array.isArray(raw) ? raw.map(reference) : undefined
        if (refs === undefined || refs.some((r) => r === undefined)) {
          return error(400, `The request body must be a JSON object with a "channels" array of {id, slack_team_id}.`)
        }
        const channels = refs.map((r, i) => channel(r!.id, `notification-${i + 1}`, r!.team))
        store.notification.set(id, channels)
        return json(200, { channels })
      })
  },
  {
    method: "DELETE",
    path: `${PREFIX}/notification_channels/{channel_id}`,
    auth: "rest",
    handle: (ctx) =>
      withIncident(ctx, (id, store) => {
        const list = store.notification.get(id) ?? []
        const rest = list.filter((c) => c.id !== ctx.params["channel_id"])
        if (rest.length === list.length) return error(404, "Not Found")
        store.notification.set(id, rest)
        return empty(204)
      })
  }
]
