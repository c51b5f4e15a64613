/**
 * The simulator's mutable state. Small collections live in insertion-ordered Maps; incidents
 * are either seeded (generated from their index on demand), overlaid (a seeded incident that
 * was changed, kept as a full record) or created (appended). Log entries and alerts of seeded
 * incidents are derived from the incident, so 100 000 seeded incidents hold no memory beyond
 * the overlay of the ones that changed.
 *
 * @internal
 */
import * as Ids from "./ids.js"
import type {
  AlertGroupingSettingRec,
  AlertRec,
  AuditRecordRec,
  ChangeEventRec,
  EscalationPolicyRec,
  IncidentRec,
  LogEntryRec,
  LogEntryType,
  NoteRec,
  PriorityRec,
  ScheduleRec,
  ServiceRec,
  TagRec,
  TeamRec,
  UserRec
} from "./model.js"
import * as Seed from "./seed.js"
import { WebhookStore } from "./webhooks.js"

export interface StateConfig {
  readonly seed: number
  readonly sizes: Seed.SeedSizes
  /** Simulator time at start, the anchor of the seed data. */
  readonly startMs: number
}

/** Enough for the 10 000 items classic pagination can reach, at about 2 KB each. */
const RENDER_CACHE_SIZE = 10_000

/** 128 pages of 100 incidents is about 25 MB at most. */
const PAGE_CACHE_SIZE = 128
const encoder = new TextEncoder()

const byId = <A extends { id: string }>(items: ReadonlyArray<A>): Map<string, A> => new Map(items.map((a) => [a.id, a]))

export class State {
  readonly users: Map<string, UserRec>
  readonly teams: Map<string, TeamRec>
  readonly services: Map<string, ServiceRec>
  readonly escalationPolicies: Map<string, EscalationPolicyRec>
  readonly schedules: Map<string, ScheduleRec>
  readonly priorities: Map<string, PriorityRec>
  readonly tags: Map<string, TagRec>
  readonly alertGroupingSettings: Map<string, AlertGroupingSettingRec>
  readonly changeEvents: Array<ChangeEventRec> = []
  readonly auditRecords: Array<AuditRecordRec> = []
  /** Notes by incident id. */
  readonly notes = new Map<string, Array<NoteRec>>()
  /** Log entries recorded after start, in order. */
  readonly logEntries: Array<LogEntryRec> = []
  readonly logEntriesByIncident = new Map<string, Array<LogEntryRec>>()
  /** Alerts of created incidents and extra alerts of seeded ones, by incident id. */
  readonly alerts = new Map<string, Array<AlertRec>>()
  /** Webhook subscriptions, and the events incident changes produce for them (`webhooks.ts`). */
  readonly webhooks = new WebhookStore()
  readonly seededIncidents: number
  private readonly created: Array<IncidentRec> = []
  private readonly overlay = new Map<number, IncidentRec>()
  /** Open incident index by `serviceId \0 incident_key`, for created and overlaid incidents. */
  private readonly openByKey = new Map<string, number>()
  private readonly counters = new Map<Ids.Kind, number>()
  private readonly serviceList: ReadonlyArray<ServiceRec>
  private readonly userList: ReadonlyArray<UserRec>
  private readonly priorityList: ReadonlyArray<PriorityRec>
  /** Bumped on every mutation, so caches of rendered output can tell they are stale. */
  version = 0
  /**
   * Serialised incidents by `base \0 index`, valid for `renderedVersion` only. Serialising a
   * 100-item page is most of a list request's cost, and benchmarks page through the same
   * items repeatedly; the cache is bounded and emptied by any state change.
   */
  private readonly rendered = new Map<string, string>()
  /** Whole encoded pages by a key the route builds (same validity rule as `rendered`). */
  private readonly pages = new Map<string, Uint8Array>()
  private renderedVersion = -1

  constructor(readonly config: StateConfig) {
    const { seed, sizes, startMs } = config
    const teams = Seed.teams(sizes.teams)
    const users = Seed.users(seed, sizes.users, teams)
    const schedules = Seed.schedules(sizes.schedules, users, teams, startMs)
    const policies = Seed.escalationPolicies(Math.max(1, sizes.services), schedules, users, teams)
    const services = Seed.services(Math.max(1, sizes.services), policies, teams, startMs)
    const priorities = Seed.priorities()
    this.teams = byId(teams)
    this.users = byId(users)
    this.schedules = byId(schedules)
    this.escalationPolicies = byId(policies)
    this.services = byId(services)
    this.priorities = byId(priorities)
    this.tags = byId(Seed.tags())
    this.alertGroupingSettings = byId(Seed.alertGroupingSettings(services, startMs))
    this.serviceList = services
    this.userList = users
    this.priorityList = priorities
    this.seededIncidents = sizes.incidents
    for (const [kind, n] of [
      ["user", users.length],
      ["team", teams.length],
      ["service", services.length],
      ["escalationPolicy", policies.length],
      ["schedule", schedules.length],
      ["layer", schedules.length],
      ["rule", policies.length * 2],
      ["priority", priorities.length],
      ["tag", this.tags.size],
      ["alertGroupingSetting", this.alertGroupingSettings.size]
    ] as const) this.counters.set(kind, n)
    // The account's history: one audit record per seeded object, a day apart, oldest first.
    const seededObjects: Array<[string, { id: string; name: string }]> = [
      ...teams.map((t) => ["teams", t] as [string, { id: string; name: string }]),
      ...users.map((u) => ["users", u] as [string, { id: string; name: string }]),
      ...schedules.map((s) => ["schedules", s] as [string, { id: string; name: string }]),
      ...policies.map((p) => ["escalation_policies", p] as [string, { id: string; name: string }]),
      ...services.map((s) => ["services", s] as [string, { id: string; name: string }])
    ]
    seededObjects.forEach(([type, o], i) =>
      this.auditRecords.push({
        id: Ids.encode("auditRecord", i),
        execution_time: startMs - (seededObjects.length - i) * 3600_000,
        resourceType: type,
        resourceId: o.id,
        resourceSummary: o.name,
        action: "create",
        actorUserId: users.length > 0 ? users[0].id : null
      })
    )
    this.counters.set("auditRecord", seededObjects.length)
  }

  /** A fresh id of the kind. */
  nextId(kind: Ids.Kind): string {
    const n = this.counters.get(kind) ?? 0
    this.counters.set(kind, n + 1)
    return Ids.encode(kind, n)
  }

  audit(now: number, resourceType: string, resourceId: string, summary: string, action: string, actorUserId: string | null): void {
    this.auditRecords.push({
      id: this.nextId("auditRecord"),
      execution_time: now,
      resourceType,
      resourceId,
      resourceSummary: summary,
      action,
      actorUserId
    })
  }

  // ---- incidents ----

  get incidentCount(): number {
    return this.seededIncidents + this.created.length
  }

  /** The incident at an index (0 <= index < incidentCount). */
  incident(index: number): IncidentRec {
    if (index >= this.seededIncidents) return this.created[index - this.seededIncidents]
    return this.overlay.get(index) ?? this.generated(index)
  }

  /** Whether a seeded incident at the index is still as generated. */
  isPristine(index: number): boolean {
    return index < this.seededIncidents && !this.overlay.has(index)
  }

  private generated(index: number): IncidentRec {
    return Seed.incident(
      this.config.seed,
      index,
      this.seededIncidents,
      this.config.startMs,
      this.serviceList,
      this.userList,
      this.priorityList
    )
  }

  incidentIndexOf(id: string): number | undefined {
    const index = Ids.decode("incident", id)
    return index !== undefined && index < this.incidentCount ? index : undefined
  }

  incidentById(id: string): IncidentRec | undefined {
    const index = this.incidentIndexOf(id)
    return index === undefined ? undefined : this.incident(index)
  }

  /** Stores a changed incident (a copy made by the caller). */
  putIncident(rec: IncidentRec): void {
    // the record before the change, for webhook events of field changes (only when subscribed)
    const before = this.webhooks.subscriptions.size > 0 && rec.index < this.incidentCount ? this.incident(rec.index) : undefined
    this.version++
    if (rec.index >= this.seededIncidents) this.created[rec.index - this.seededIncidents] = rec
    else this.overlay.set(rec.index, rec)
    const key = `${rec.serviceId}\u0000${rec.incident_key}`
    if (rec.status === "resolved") {
      if (this.openByKey.get(key) === rec.index) this.openByKey.delete(key)
    } else {
      this.openByKey.set(key, rec.index)
    }
    if (before !== undefined && before !== rec) this.webhooks.onIncidentChange(this, before, rec)
  }

  /** Appends a new incident; the caller fills everything but index, id and number. */
  addIncident(fields: Omit<IncidentRec, "index" | "id" | "incident_number">): IncidentRec {
    const index = this.incidentCount
    const rec: IncidentRec = { ...fields, index, id: Ids.encode("incident", index), incident_number: index + 1 }
    this.created.push(rec)
    this.putIncident(rec)
    return rec
  }

  /** The open (triggered or acknowledged) incident of a service with the key. */
  openIncidentByKey(serviceId: string, key: string): IncidentRec | undefined {
    const index = this.openByKey.get(`${serviceId}\u0000${key}`)
    if (index !== undefined) return this.incident(index)
    // Seeded incidents are never indexed; their keys name their index.
    const m = /^seed-(\d+)-(\d+)$/.exec(key)
    if (m !== null && Number(m[1]) === this.config.seed && Number(m[2]) < this.seededIncidents) {
      const rec = this.incident(Number(m[2]))
      if (rec.serviceId === serviceId && rec.status !== "resolved") return rec
    }
    return undefined
  }

  /** The JSON text of an incident for a base URL, from the bounded render cache. */
  renderedIncident(base: string, index: number, render: (rec: IncidentRec) => unknown): string {
    this.checkRenderCaches()
    const key = `${base}\u0000${index}`
    let text = this.rendered.get(key)
    if (text === undefined) {
      text = JSON.stringify(render(this.incident(index)))
      if (this.rendered.size >= RENDER_CACHE_SIZE) this.rendered.delete(this.rendered.keys().next().value!)
      this.rendered.set(key, text)
    }
    return text
  }

  /** An encoded page from the cache, built by `build` on a miss. */
  cachedPage(key: string, build: () => string): Uint8Array {
    this.checkRenderCaches()
    let page = this.pages.get(key)
    if (page === undefined) {
      page = encoder.encode(build())
      if (this.pages.size >= PAGE_CACHE_SIZE) this.pages.delete(this.pages.keys().next().value!)
      this.pages.set(key, page)
    }
    return page
  }

  private checkRenderCaches(): void {
    if (this.renderedVersion !== this.version) {
      this.rendered.clear()
      this.pages.clear()
      this.renderedVersion = this.version
    }
  }

  // ---- log entries and alerts ----

  /** Log entries an incident was seeded with (derived, never stored). */
  seededLogEntries(index: number): Array<LogEntryRec> {
    const rec = this.generated(index)
    const base = (type: LogEntryType, k: number, at: number, userId: string | null, summary: string): LogEntryRec => ({
      id: Ids.encode("logEntry", index * 4 + k),
      type,
      incidentId: rec.id,
      created_at: at,
      userId,
      serviceId: rec.serviceId,
      summary,
      channel: userId === null ? "api" : "web_ui"
    })
    const out = [base("trigger_log_entry", 0, rec.created_at, null, `Triggered through the API.`)]
    if (rec.status === "acknowledged") out.push(base("acknowledge_log_entry", 1, rec.last_status_change_at, rec.lastChangedBy, "Acknowledged"))
    if (rec.status === "resolved") out.push(base("resolve_log_entry", 2, rec.last_status_change_at, rec.lastChangedBy, "Resolved"))
    return out
  }

  /** All log entries of an incident, oldest first. */
  incidentLogEntries(rec: IncidentRec): Array<LogEntryRec> {
    const recorded = this.logEntriesByIncident.get(rec.id) ?? []
    return rec.index < this.seededIncidents ? this.seededLogEntries(rec.index).concat(recorded) : recorded.slice()
  }

  addLogEntry(entry: Omit<LogEntryRec, "id">): LogEntryRec {
    const rec: LogEntryRec = { ...entry, id: "RL" + this.nextId("logEntry").slice(2) }
    this.logEntries.push(rec)
    const list = this.logEntriesByIncident.get(rec.incidentId)
    if (list === undefined) this.logEntriesByIncident.set(rec.incidentId, [rec])
    else list.push(rec)
    this.version++
    this.webhooks.onLogEntry(this, rec)
    return rec
  }

  /** Alerts of an incident: the derived one of a seeded incident, then recorded ones. */
  incidentAlerts(rec: IncidentRec): Array<AlertRec> {
    const recorded = this.alerts.get(rec.id) ?? []
    if (rec.index >= this.seededIncidents) return recorded.slice()
    const seeded = this.generated(rec.index)
    return [{
      id: Ids.encode("alert", rec.index),
      incidentId: rec.id,
      alert_key: seeded.incident_key,
      status: rec.status === "resolved" ? "resolved" : "triggered",
      summary: seeded.title,
      severity: seeded.urgency === "high" ? "critical" : "warning",
      serviceId: seeded.serviceId,
      created_at: seeded.created_at,
      details: {}
    } satisfies AlertRec].concat(recorded)
  }

  addAlert(alert: Omit<AlertRec, "id">): AlertRec {
    // Alert ids of seeded incidents use the incident index; recorded ones start above them.
    const n = this.counters.get("alert") ?? 0
    this.counters.set("alert", n + 1)
    const rec: AlertRec = { ...alert, id: "AL" + n.toString(36).toUpperCase().padStart(5, "0") }
    const list = this.alerts.get(rec.incidentId)
    if (list === undefined) this.alerts.set(rec.incidentId, [rec])
    else list.push(rec)
    this.version++
    return rec
  }

  /** Resolves the recorded alerts of an incident. */
  resolveAlerts(incidentId: string): void {
    for (const a of this.alerts.get(incidentId) ?? []) a.status = "resolved"
  }

  // ---- lookups ----

  userByEmail(email: string): UserRec | undefined {
    const lower = email.toLowerCase()
    for (const u of this.users.values()) if (u.email.toLowerCase() === lower) return u
    return undefined
  }

  serviceByIndex(i: number): ServiceRec {
    const list = [...this.services.values()]
    return list[i % list.length]
  }
}
