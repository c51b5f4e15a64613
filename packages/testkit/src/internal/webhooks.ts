/**
 * Webhooks v3 in the simulator: subscriptions (kept in `State`), the outbound events an
 * incident change produces, their v3 envelopes and signatures. Everything here is
 * synchronous and runs inside the dispatcher; the front end (`webhookDelivery.ts`) sends
 * what the `sink` receives.
 *
 * Events come from incident log entries, so every path that changes an incident (REST,
 * Events API v1/v2, the `state` helpers) produces them: a trigger log entry is
 * `incident.triggered`, acknowledge `incident.acknowledged`, resolve `incident.resolved`,
 * annotate `incident.annotated` (the note). Field changes seen by `State.putIncident` make
 * `incident.priority_updated`, `incident.reassigned` (other assignees) and
 * `incident.service_updated`.
 *
 * @internal
 */
import type { IncidentRec, LogEntryRec } from "./model.js"
import { Renderer } from "./render.js"
import { sha256 } from "./sha256.js"
import type { State } from "./state.js"

export interface WebhookSubscriptionRec {
  readonly id: string
  description: string | null
  events: Array<string>
  filter: { type: "account_reference" | "service_reference" | "team_reference"; id: string | null }
  active: boolean
  readonly url: string
  readonly deliveryMethodId: string
  readonly customHeaders: ReadonlyArray<{ readonly name: string; readonly value: string }>
  /** The signing secret: shown once in the create response, never again. */
  readonly secret: string
  temporarilyDisabled: boolean
}

/** One webhook ready to send: the same body, id and signature on every attempt. */
export interface Delivery {
  readonly subscriptionId: string
  readonly url: string
  /** `X-Webhook-Id`. */
  readonly webhookId: string
  readonly eventId: string
  readonly eventType: string
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
}

/** Hosts the simulator delivers to: loopback only, it never sends anywhere else. */
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"])

/** A delivery URL the simulator accepts: http(s) on a loopback host. */
export const isLoopbackUrl = (url: string): boolean => {
  try {
    const u = new URL(url)
    return (u.protocol === "http:" || u.protocol === "https:") && LOOPBACK_HOSTS.has(u.hostname) && u.username === "" && u.password === ""
  } catch {
    return false
  }
}

const encoder = new TextEncoder()

/** HMAC-SHA256 (RFC 2104) on the synchronous SHA-256 of `sha256.ts`. */
export const hmacSha256 = (key: Uint8Array, message: Uint8Array): Uint8Array => {
  const block = 64
  const k = key.length > block ? sha256(key) : key
  const padded = new Uint8Array(block)
  padded.set(k)
  const inner = new Uint8Array(block + message.length)
  const outer = new Uint8Array(block + 32)
  for (let i = 0; i < block; i++) {
    inner[i] = padded[i] ^ 0x36
    outer[i] = padded[i] ^ 0x5c
  }
  inner.set(message, block)
  outer.set(sha256(inner), block)
  return sha256(outer)
}

const hex = (bytes: Uint8Array): string => {
  let s = ""
  for (const b of bytes) s += b.toString(16).padStart(2, "0")
  return s
}

/** `v1=<hex HMAC-SHA256 of the body>`. */
export const signature = (secret: string, body: string): string => `v1=${hex(hmacSha256(encoder.encode(secret), encoder.encode(body)))}`

const EVENT_OF_LOG_ENTRY: Readonly<Record<string, string>> = {
  trigger_log_entry: "incident.triggered",
  acknowledge_log_entry: "incident.acknowledged",
  resolve_log_entry: "incident.resolved",
  annotate_log_entry: "incident.annotated"
}

interface Scope {
  readonly serviceId: string
  readonly teamIds: ReadonlyArray<string>
}

const iso = (ms: number) => new Date(ms).toISOString()

/** Subscriptions of one state, and the bridge to the delivery front end. */
export class WebhookStore {
  readonly subscriptions = new Map<string, WebhookSubscriptionRec>()
  /** Receives every webhook to send; unset when nothing delivers (then webhooks are dropped). */
  sink: ((delivery: Delivery) => void) | undefined = undefined
  subdomain = "acme"
  random: (n: number) => string = () => ""
  private counter = 0

  /** A fresh 7-character id with a 2-letter prefix (subscriptions, delivery methods). */
  nextId(prefix: string): string {
    return prefix + (this.counter++).toString(36).toUpperCase().padStart(5, "0")
  }

  /** Wires the store to its engine (called whenever the engine builds a state). */
  connect(options: { readonly subdomain: string; readonly random: (n: number) => string; readonly sink: (delivery: Delivery) => void }): void {
    this.subdomain = options.subdomain
    this.random = options.random
    this.sink = options.sink
  }

  /** Turns a new incident log entry into the events subscriptions asked for. */
  onLogEntry(state: State, entry: LogEntryRec): void {
    const eventType = EVENT_OF_LOG_ENTRY[entry.type]
    if (eventType === undefined || this.subscriptions.size === 0) return
    const rec = state.incidentById(entry.incidentId)
    if (rec === undefined) return
    const targets = this.matching(eventType, { serviceId: rec.serviceId, teamIds: rec.teamIds })
    if (targets.length === 0) return
    const render = new Renderer(state, "https://api.pagerduty.com", this.subdomain)
    const data = eventType === "incident.annotated" ? this.noteData(state, render, rec) : incidentData(render, rec)
    if (data === undefined) return
    const agent = entry.userId === null ? render.serviceRef(rec.serviceId) : render.userRef(entry.userId)
    const client = entry.channel === "api" || entry.channel === "events_api" ? { name: "PagerDuty API" } : { name: "PagerDuty" }
    for (const sub of targets) this.send(sub, { event_type: eventType, resource_type: "incident", occurred_at: iso(entry.created_at), agent, client, data })
  }

  /**
   * Field changes of an incident that keeps its status: a new priority is
   * `incident.priority_updated`, other assignees `incident.reassigned`, another service
   * `incident.service_updated`. (Status changes are events of their log entries.)
   */
  onIncidentChange(state: State, before: IncidentRec, after: IncidentRec): void {
    if (this.subscriptions.size === 0 || before.status !== after.status) return
    const types: Array<string> = []
    if (before.priorityId !== after.priorityId) types.push("incident.priority_updated")
    const assignees = (r: IncidentRec) => [...new Set(r.assigneeIds)].sort().join(",")
    if (assignees(before) !== assignees(after)) types.push("incident.reassigned")
    if (before.serviceId !== after.serviceId) types.push("incident.service_updated")
    if (types.length === 0) return
    const render = new Renderer(state, "https://api.pagerduty.com", this.subdomain)
    const data = incidentData(render, after)
    // who made a field change is not recorded: no agent
    const agent = null
    for (const eventType of types) {
      for (const sub of this.matching(eventType, { serviceId: after.serviceId, teamIds: after.teamIds })) {
        this.send(sub, { event_type: eventType, resource_type: "incident", occurred_at: iso(after.updated_at), agent, client: { name: "PagerDuty" }, data })
      }
    }
  }

  /** `POST /webhook_subscriptions/{id}/ping`: a `pagey.ping` to that subscription only. */
  ping(sub: WebhookSubscriptionRec, now: number): void {
    this.send(sub, {
      event_type: "pagey.ping",
      resource_type: "pagey",
      occurred_at: iso(now),
      agent: null,
      client: null,
      data: { message: "Hello from your friend Pagey!", type: "ping" }
    })
  }

  private matching(eventType: string, scope: Scope): Array<WebhookSubscriptionRec> {
    const out: Array<WebhookSubscriptionRec> = []
    for (const sub of this.subscriptions.values()) {
      if (!sub.active || sub.temporarilyDisabled || !sub.events.includes(eventType)) continue
      const f = sub.filter
      if (f.type === "service_reference" && f.id !== scope.serviceId) continue
      if (f.type === "team_reference" && (f.id === null || !scope.teamIds.includes(f.id))) continue
      out.push(sub)
    }
    return out
  }

  private noteData(state: State, render: Renderer, rec: IncidentRec): Record<string, unknown> | undefined {
    const notes = state.notes.get(rec.id)
    const note = notes?.[notes.length - 1]
    if (note === undefined) return undefined
    return { incident: render.incidentRef(rec), id: note.id, content: note.content, trimmed: false, type: "incident_note" }
  }

  private send(sub: WebhookSubscriptionRec, event: Record<string, unknown>): void {
    const sink = this.sink
    // Only loopback URLs are ever stored; checked again here so nothing can slip through.
    if (sink === undefined || !isLoopbackUrl(sub.url)) return
    const id = uuid(this.random(32))
    const body = JSON.stringify({ event: { id, ...event } })
    const webhookId = uuid(this.random(32))
    const headers: Record<string, string> = {}
    for (const h of sub.customHeaders) headers[h.name.toLowerCase()] = h.value
    Object.assign(headers, {
      "content-type": "application/json",
      "user-agent": "PagerDuty-Webhook/V3.0",
      "x-pagerduty-signature": signature(sub.secret, body),
      "x-webhook-id": webhookId,
      "x-webhook-subscription": sub.id
    })
    sink({ subscriptionId: sub.id, url: sub.url, webhookId, eventId: id, eventType: String(event.event_type), body, headers })
  }
}

const uuid = (h: string): string => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`

/** The v3 `incident` data object (PagerDuty's "Event Data Types": incident). */
const incidentData = (render: Renderer, rec: IncidentRec): Record<string, unknown> => {
  const r = render.incident(rec)
  return {
    id: r.id,
    type: "incident",
    self: r.self,
    html_url: r.html_url,
    number: r.incident_number,
    status: r.status,
    incident_key: r.incident_key,
    created_at: r.created_at,
    title: r.title,
    incident_type: r.incident_type,
    service: r.service,
    assignees: (r.assignments as ReadonlyArray<{ readonly assignee: unknown }>).map((a) => a.assignee),
    escalation_policy: r.escalation_policy,
    teams: r.teams,
    priority: r.priority,
    urgency: r.urgency,
    conference_bridge: r.conference_bridge,
    resolve_reason: r.resolve_reason
  }
}

/** A subscription as the REST API renders it; the secret only when `withSecret` (the create response). */
export const renderSubscription = (sub: WebhookSubscriptionRec, withSecret: boolean): Record<string, unknown> => ({
  id: sub.id,
  type: "webhook_subscription",
  active: sub.active,
  description: sub.description,
  events: sub.events.slice(),
  filter: sub.filter.type === "account_reference" ? { type: sub.filter.type } : { id: sub.filter.id, type: sub.filter.type },
  delivery_method: {
    id: sub.deliveryMethodId,
    type: "http_delivery_method",
    url: sub.url,
    secret: withSecret ? sub.secret : null,
    temporarily_disabled: sub.temporarilyDisabled,
    custom_headers: sub.customHeaders.map((h) => ({ name: h.name, value: withSecret ? h.value : "-- redacted --" }))
  }
})

// ---------------------------------------------------------------------------
// Delivery attempts (written by the front end, read by `Simulator.webhookDeliveries`)
// ---------------------------------------------------------------------------

/** One attempt to deliver a webhook. */
export interface DeliveryAttempt {
  readonly subscriptionId: string
  readonly webhookId: string
  readonly eventId: string
  readonly eventType: string
  readonly url: string
  /** 1 for the first try. */
  readonly attempt: number
  /** The receiver's status, or 0 when there was no answer (connection error, timeout). */
  readonly status: number
  /** `delivered` (2xx), `retrying` (a retry is scheduled), `failed` (given up: a non-retryable 4xx or the last attempt). */
  readonly outcome: "delivered" | "retrying" | "failed"
  /** Simulator time of the attempt, epoch milliseconds. */
  readonly timestamp: number
}

/** Attempts in order, and fibers waiting for a count of them. */
export class DeliveryLog {
  readonly attempts: Array<DeliveryAttempt> = []
  private waiters: Array<{ readonly n: number; readonly wake: () => void }> = []

  record(attempt: DeliveryAttempt): void {
    this.attempts.push(attempt)
    const ready = this.waiters.filter((w) => w.n <= this.attempts.length)
    this.waiters = this.waiters.filter((w) => w.n > this.attempts.length)
    for (const w of ready) w.wake()
  }

  /** Calls `wake` once at least `n` attempts are recorded; returns a canceller. */
  onCount(n: number, wake: () => void): () => void {
    if (this.attempts.length >= n) {
      wake()
      return () => {}
    }
    const waiter = { n, wake }
    this.waiters.push(waiter)
    return () => {
      this.waiters = this.waiters.filter((w) => w !== waiter)
    }
  }
}
