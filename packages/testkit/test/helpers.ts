import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Effect } from "effect"
import { Simulator } from "../src/index.js"

export const API = "https://api.pagerduty.com"
export const EVENTS = "https://events.pagerduty.com"
export const AUTH = { Authorization: `Token token=${Simulator.DEFAULT_API_KEY}` }
export const FROM = { From: "ada.lovelace0@example.com" }

/** GET a path and decode the JSON body, with the status. */
export const getJson = (path: string, headers: Record<string, string> = AUTH) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const res = yield* client.execute(HttpClientRequest.get(path.startsWith("http") ? path : `${API}${path}`).pipe(HttpClientRequest.setHeaders(headers)))
    const text = yield* res.text
    return { status: res.status, headers: res.headers, body: text === "" ? undefined : JSON.parse(text) as any }
  })

/** Sends a JSON body and decodes the JSON answer. */
export const sendJson = (method: "POST" | "PUT" | "DELETE", url: string, body: unknown, headers: Record<string, string> = AUTH) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const req = HttpClientRequest.make(method)(url.startsWith("http") ? url : `${API}${url}`).pipe(
      HttpClientRequest.setHeaders(headers),
      HttpClientRequest.bodyUnsafeJson(body)
    )
    const res = yield* client.execute(req)
    const text = yield* res.text
    return { status: res.status, headers: res.headers, body: text === "" ? undefined : JSON.parse(text) as any }
  })

export const trigger = (dedupKey: string | undefined, summary = "Disk full", routingKey = Simulator.DEFAULT_ROUTING_KEY) =>
  sendJson("POST", `${EVENTS}/v2/enqueue`, {
    routing_key: routingKey,
    event_action: "trigger",
    ...(dedupKey === undefined ? {} : { dedup_key: dedupKey }),
    payload: { summary, source: "db01", severity: "critical" }
  }, {})
