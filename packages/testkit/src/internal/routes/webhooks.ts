/**
 * Webhook subscriptions (v3): create (the secret is in this response only), list, get,
 * update, delete, enable and ping. Subscriptions live in `State.webhooks`; events are made
 * and signed by `../webhooks.ts` and sent by the front end. Only loopback URLs
 * (`http(s)://127.0.0.1`, `localhost`, `[::1]`) are accepted: the simulator never sends a
 * request anywhere else.
 *
 * @internal
 */
import { classicPage, isResponse, readPage } from "../pagination.js"
import type { Route, RouteContext } from "../router.js"
import { asObject, asString, empty, invalidInput, json, notFound, type SimResponse } from "../wire.js"
import { isLoopbackUrl, renderSubscription, type WebhookSubscriptionRec } from "../webhooks.js"
import { isSim, unwrap } from "./common.js"

type FilterType = WebhookSubscriptionRec["filter"]["type"]
const FILTER_TYPES: ReadonlyArray<FilterType> = ["account_reference", "service_reference", "team_reference"]

const readFilter = (ctx: RouteContext, value: unknown): WebhookSubscriptionRec["filter"] | string => {
  const o = asObject(value)
  const type = asString(o?.type)
  if (o === undefined || type === undefined || !(FILTER_TYPES as ReadonlyArray<string>).includes(type)) {
    return "filter.type must be one of account_reference, service_reference, team_reference."
  }
  if (type === "account_reference") return { type, id: null }
  const id = asString(o.id)
  if (id === undefined) return "filter.id is required for service_reference and team_reference filters."
  const exists = type === "service_reference" ? ctx.state.services.has(id) : ctx.state.teams.has(id)
  if (!exists) return `filter.id ${id} not found.`
  return { type: type as FilterType, id }
}

const readEvents = (value: unknown): Array<string> | string => {
  if (!Array.isArray(value) || value.length === 0 || !value.every((e) => typeof e === "string" && e !== "")) {
    return "events must be a non-empty array of event type names."
  }
  return [...new Set(value as Array<string>)]
}

const create = (ctx: RouteContext): SimResponse => {
  const body = unwrap(ctx, "webhook_subscription")
  if (isSim(body)) return body
  const method = asObject(body.delivery_method)
  const url = asString(method?.url)
  const errors: Array<string> = []
  if (method === undefined || (method.type !== undefined && method.type !== "http_delivery_method")) errors.push("delivery_method.type must be http_delivery_method.")
  if (url === undefined) errors.push("delivery_method.url is required.")
  else if (!isLoopbackUrl(url)) {
    errors.push("The simulator delivers webhooks only to http(s) URLs on 127.0.0.1, localhost or [::1] (no credentials in the URL).")
  }
  const events = readEvents(body.events)
  if (typeof events === "string") errors.push(events)
  const filter = readFilter(ctx, body.filter ?? { type: "account_reference" })
  if (typeof filter === "string") errors.push(filter)
  const headers: Array<{ name: string; value: string }> = []
  const rawHeaders = method?.custom_headers
  if (rawHeaders !== undefined) {
    if (!Array.isArray(rawHeaders)) errors.push("delivery_method.custom_headers must be an array.")
    else {
      for (const h of rawHeaders) {
        const o = asObject(h)
        const name = asString(o?.name)
        const value = asString(o?.value)
        if (name === undefined || value === undefined || !/^[A-Za-z0-9-]+$/.test(name) || /[\r\n]/.test(value)) {
          errors.push("Each custom header needs a token name and a single-line string value.")
        } else if (headers.some((x) => x.name.toLowerCase() === name.toLowerCase())) errors.push(`Custom header ${name} is given twice.`)
        else headers.push({ name, value })
      }
    }
  }
  if (errors.length > 0 || url === undefined || typeof events === "string" || typeof filter === "string") return invalidInput(...errors)
  const sub: WebhookSubscriptionRec = {
    id: ctx.state.webhooks.nextId("PW"),
    description: asString(body.description) ?? null,
    events,
    filter,
    active: body.active === false ? false : true,
    url,
    deliveryMethodId: ctx.state.webhooks.nextId("PD"),
    customHeaders: headers,
    // PagerDuty's secrets are long random strings; these are deterministic per seed.
    secret: ctx.env.randomHex(64),
    temporarilyDisabled: false
  }
  ctx.state.webhooks.subscriptions.set(sub.id, sub)
  ctx.state.audit(ctx.now, "webhook_subscriptions", sub.id, sub.description ?? sub.url, "create", ctx.caller?.userId ?? null)
  return json(200, { webhook_subscription: renderSubscription(sub, true) })
}

const list = (ctx: RouteContext): SimResponse => {
  const page = readPage(ctx.query)
  if (isResponse(page)) return page
  const filterType = ctx.query.get("filter_type")
  const filterId = ctx.query.get("filter_id")
  if (filterType !== null && !["account", "service", "team"].includes(filterType)) return invalidInput("filter_type must be account, service or team.")
  const items = [...ctx.state.webhooks.subscriptions.values()].filter((s) =>
    (filterType === null || s.filter.type === `${filterType}_reference`) && (filterId === null || s.filter.id === filterId)
  )
  return classicPage("webhook_subscriptions", page, items, (s) => renderSubscription(s, false))
}

const withSubscription = (f: (ctx: RouteContext, sub: WebhookSubscriptionRec) => SimResponse) => (ctx: RouteContext): SimResponse => {
  const sub = ctx.state.webhooks.subscriptions.get(ctx.params.id)
  return sub === undefined ? notFound() : f(ctx, sub)
}

const update = withSubscription((ctx, sub) => {
  const body = unwrap(ctx, "webhook_subscription")
  if (isSim(body)) return body
  const errors: Array<string> = []
  const events = body.events === undefined ? undefined : readEvents(body.events)
  if (typeof events === "string") errors.push(events)
  const filter = body.filter === undefined ? undefined : readFilter(ctx, body.filter)
  if (typeof filter === "string") errors.push(filter)
  if (body.active !== undefined && typeof body.active !== "boolean") errors.push("active must be a boolean.")
  if (body.description !== undefined && body.description !== null && typeof body.description !== "string") errors.push("description must be a string.")
  if (errors.length > 0 || typeof events === "string" || typeof filter === "string") return invalidInput(...errors)
  if (events !== undefined) sub.events = events
  if (filter !== undefined) sub.filter = filter
  if (typeof body.active === "boolean") sub.active = body.active
  if (body.description !== undefined) sub.description = asString(body.description) ?? null
  ctx.state.audit(ctx.now, "webhook_subscriptions", sub.id, sub.description ?? sub.url, "update", ctx.caller?.userId ?? null)
  return json(200, { webhook_subscription: renderSubscription(sub, false) })
})

export const routes: ReadonlyArray<Route> = [
  { method: "GET", path: "/webhook_subscriptions", auth: "rest", handle: list },
  { method: "POST", path: "/webhook_subscriptions", auth: "rest", handle: create },
  { method: "GET", path: "/webhook_subscriptions/{id}", auth: "rest", handle: withSubscription((_ctx, sub) => json(200, { webhook_subscription: renderSubscription(sub, false) })) },
  { method: "PUT", path: "/webhook_subscriptions/{id}", auth: "rest", handle: update },
  {
    method: "DELETE",
    path: "/webhook_subscriptions/{id}",
    auth: "rest",
    handle: withSubscription((ctx, sub) => {
      ctx.state.webhooks.subscriptions.delete(sub.id)
      ctx.state.audit(ctx.now, "webhook_subscriptions", sub.id, sub.description ?? sub.url, "delete", ctx.caller?.userId ?? null)
      return empty(204)
    })
  },
  {
    method: "POST",
    path: "/webhook_subscriptions/{id}/enable",
    auth: "rest",
    handle: withSubscription((_ctx, sub) => {
      sub.temporarilyDisabled = false
      sub.active = true
      return json(200, { webhook_subscription: renderSubscription(sub, false) })
    })
  },
  {
    method: "POST",
    path: "/webhook_subscriptions/{id}/ping",
    auth: "rest",
    handle: withSubscription((ctx, sub) => {
      ctx.state.webhooks.ping(sub, ctx.now)
      return empty(202)
    })
  }
]
