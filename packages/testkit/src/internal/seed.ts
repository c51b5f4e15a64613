/**
 * Deterministic seed data. Small collections (users, teams, services, escalation policies,
 * schedules) are built eagerly; incidents are described by pure functions of their index so
 * 100 000 of them cost nothing until a page asks for them.
 *
 * @internal
 */
import * as Ids from "./ids.js"
import type {
  AlertGroupingSettingRec,
  EscalationPolicyRec,
  IncidentRec,
  IncidentStatus,
  PriorityRec,
  ScheduleRec,
  ServiceRec,
  TagRec,
  TeamRec,
  UserRec
} from "./model.js"
import { hash, pick } from "./prng.js"

export interface SeedSizes {
  readonly incidents: number
  readonly users: number
  readonly teams: number
  readonly services: number
  readonly schedules: number
}

const FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Dennis", "Radia", "Leslie", "Hedy", "Tim", "Katherine", "Linus"]
const LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton", "Ritchie", "Perlman", "Lamport", "Lamarr", "Berners-Lee", "Johnson", "Torvalds"]
const TEAMS = ["Platform", "Payments", "Search", "Mobile", "Data", "Identity", "Edge", "Storage"]
const SERVICES = ["Checkout API", "Web Frontend", "Search Indexer", "Billing Worker", "Auth Gateway", "Image CDN", "Orders DB", "Notification Service", "Mobile Backend", "Reporting ETL"]
const COLORS = ["green", "red", "purple", "teal", "orange", "blue", "pink"]
const ZONES = ["UTC", "America/New_York", "Europe/London", "Asia/Tokyo", "America/Los_Angeles"]
const PROBLEMS = ["High CPU", "Disk almost full", "Elevated 5xx rate", "Latency above SLO", "Replica lag", "Certificate expires soon", "Queue backlog growing", "Health check failing"]

const SEED_USER = 1
const SEED_INCIDENT = 2

/** How far back seeded incidents reach: inside PagerDuty's default one-month list window. */
export const INCIDENT_SPAN_MS = 28 * 24 * 3600 * 1000

export const users = (seed: number, n: number, teams: ReadonlyArray<TeamRec>): Array<UserRec> =>
  Array.from({ length: n }, (_, i) => {
    const h = hash(seed, SEED_USER, i)
    // Names walk the lists in order (user 0 is Ada Lovelace, ada.lovelace0@example.com) so
    // tests and docs can name seeded users; the seed varies the other fields.
    const first = FIRST[i % FIRST.length]
    const last = LAST[(i + Math.floor(i / LAST.length)) % LAST.length]
    const name = i < FIRST.length ? `${first} ${last}` : `${first} ${last} ${i}`
    return {
      id: Ids.encode("user", i),
      name,
      email: `${first.toLowerCase()}.${last.toLowerCase().replace(/[^a-z]/g, "")}${i}@example.com`,
      time_zone: pick(ZONES, h >>> 4),
      role: i === 0 ? "owner" : i % 5 === 1 ? "admin" : "user",
      color: pick(COLORS, h >>> 12),
      job_title: i % 2 === 0 ? "Site Reliability Engineer" : "Software Engineer",
      description: null,
      teamIds: teams.length > 0 ? [teams[i % teams.length].id] : []
    }
  })

export const teams = (n: number): Array<TeamRec> =>
  Array.from({ length: n }, (_, i) => ({
    id: Ids.encode("team", i),
    name: i < TEAMS.length ? TEAMS[i] : `Team ${i}`,
    description: `The ${i < TEAMS.length ? TEAMS[i] : `Team ${i}`} team`,
    parentId: null
  }))

/** One weekly rotation per schedule over the users, handing off Mondays 09:00 UTC. */
export const schedules = (n: number, users: ReadonlyArray<UserRec>, teams: ReadonlyArray<TeamRec>, startMs: number): Array<ScheduleRec> => {
  const day = 24 * 3600 * 1000
  // A Monday 09:00 UTC 64 weeks before the start: long enough that "last quarter" and
  // longer histories are fully covered, and 64 = 4 (mod 3), so with up to three members the
  // rotation is at the same turn "now" as a rotation started four weeks back.
  const d = new Date(startMs - 64 * 7 * day)
  const monday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7), 9)
  return Array.from({ length: n }, (_, i) => {
    const members = users.length === 0 ? [] : Array.from({ length: Math.min(3, users.length) }, (_, k) => users[(i + k) % users.length].id)
    return {
      id: Ids.encode("schedule", i),
      name: `${i < TEAMS.length ? TEAMS[i] : `Schedule ${i}`} Primary`,
      description: "Weekly primary rotation",
      time_zone: "UTC",
      layers: [{
        id: Ids.encode("layer", i),
        name: "Layer 1",
        start: monday,
        end: null,
        rotation_virtual_start: monday,
        rotation_turn_length_seconds: 7 * 24 * 3600,
        userIds: members,
        restrictions: []
      }],
      overrides: [],
      teamIds: teams.length > 0 ? [teams[i % teams.length].id] : []
    }
  })
}

/** One escalation policy per service: its schedule first, then a user. */
export const escalationPolicies = (
  n: number,
  schedules: ReadonlyArray<ScheduleRec>,
  users: ReadonlyArray<UserRec>,
  teams: ReadonlyArray<TeamRec>
): Array<EscalationPolicyRec> =>
  Array.from({ length: n }, (_, i) => {
    const rules: EscalationPolicyRec["rules"] = []
    if (schedules.length > 0) {
      rules.push({ id: Ids.encode("rule", i * 2), escalation_delay_in_minutes: 30, targets: [{ type: "schedule_reference", id: schedules[i % schedules.length].id }] })
    }
    if (users.length > 0) {
      rules.push({ id: Ids.encode("rule", i * 2 + 1), escalation_delay_in_minutes: 30, targets: [{ type: "user_reference", id: users[i % users.length].id }] })
    }
    return {
      id: Ids.encode("escalationPolicy", i),
      name: `${i < SERVICES.length ? SERVICES[i] : `Service ${i}`} Escalation`,
      description: null,
      num_loops: 0,
      rules,
      teamIds: teams.length > 0 ? [teams[i % teams.length].id] : []
    }
  })

export const services = (
  n: number,
  policies: ReadonlyArray<EscalationPolicyRec>,
  teams: ReadonlyArray<TeamRec>,
  startMs: number
): Array<ServiceRec> =>
  Array.from({ length: n }, (_, i) => ({
    id: Ids.encode("service", i),
    name: i < SERVICES.length ? SERVICES[i] : `Service ${i}`,
    description: null,
    status: "active",
    escalationPolicyId: policies[i % policies.length].id,
    teamIds: teams.length > 0 ? [teams[i % teams.length].id] : [],
    created_at: startMs - 365 * 24 * 3600 * 1000,
    updated_at: startMs - 30 * 24 * 3600 * 1000
  }))

export const priorities = (): Array<PriorityRec> =>
  ["P1", "P2", "P3", "P4", "P5"].map((name, i) => ({
    id: Ids.encode("priority", i),
    name,
    description: `Priority ${i + 1}`,
    order: (5 - i) * 256,
    color: ["a8171c", "eb6016", "f9b406", "2b4ac4", "6b7480"][i]
  }))

export const tags = (): Array<TagRec> =>
  ["production", "customer-facing", "database", "tier-1"].map((label, i) => ({ id: Ids.encode("tag", i), label }))

export const alertGroupingSettings = (serviceRecs: ReadonlyArray<ServiceRec>, startMs: number): Array<AlertGroupingSettingRec> =>
  serviceRecs.map((s, i) => ({
    id: Ids.encode("alertGroupingSetting", i),
    name: `${s.name} grouping`,
    description: "Content-based grouping on summary and source",
    type: i % 2 === 0 ? "content_based" : "time",
    config: i % 2 === 0 ? { time_window: 900, aggregate: "all", fields: ["summary", "source"] } : { timeout: 600 },
    serviceIds: [s.id],
    created_at: startMs - 90 * 24 * 3600 * 1000,
    updated_at: startMs - 90 * 24 * 3600 * 1000
  }))

/** Describes seeded incident `i` of `n`; a pure function, evaluated on demand. */
export const incident = (
  seed: number,
  i: number,
  n: number,
  anchorMs: number,
  serviceRecs: ReadonlyArray<ServiceRec>,
  userRecs: ReadonlyArray<UserRec>,
  priorityRecs: ReadonlyArray<PriorityRec>
): IncidentRec => {
  const h = hash(seed, SEED_INCIDENT, i)
  const step = Math.max(1000, Math.floor(INCIDENT_SPAN_MS / Math.max(1, n)))
  // Evenly spaced, oldest first, the newest one minute before the anchor: created_at is
  // monotonic in the index, which lets since/until become an index range.
  const created = anchorMs - 60_000 - (n - 1 - i) * step
  const r = h % 10
  const status: IncidentStatus = r < 2 ? "triggered" : r < 4 ? "acknowledged" : "resolved"
  const service = serviceRecs[(h >>> 4) % serviceRecs.length]
  const user = userRecs.length > 0 ? userRecs[(h >>> 8) % userRecs.length] : undefined
  // acknowledged/resolved up to an hour after creation, but never after the anchor ("now")
  const changed = status === "triggered" ? created : Math.min(created + 60_000 + ((h >>> 12) % 3600) * 1000, anchorMs)
  const title = `${pick(PROBLEMS, h >>> 16)} on ${service.name.toLowerCase().replace(/ /g, "-")}-${(h >>> 20) % 100}`
  return {
    index: i,
    id: Ids.encode("incident", i),
    incident_number: i + 1,
    title,
    description: title,
    status,
    urgency: (h >>> 24) % 4 === 0 ? "low" : "high",
    serviceId: service.id,
    escalationPolicyId: service.escalationPolicyId,
    assigneeIds: status === "resolved" || user === undefined ? [] : [user.id],
    acknowledgerIds: status === "acknowledged" && user !== undefined ? [user.id] : [],
    teamIds: service.teamIds.slice(),
    priorityId: priorityRecs.length > 0 && (h >>> 28) % 3 === 0 ? priorityRecs[(h >>> 26) % priorityRecs.length].id : null,
    incident_key: `seed-${seed}-${i}`,
    created_at: created,
    updated_at: changed,
    last_status_change_at: changed,
    resolved_at: status === "resolved" ? changed : null,
    createdBy: null,
    lastChangedBy: status === "triggered" || user === undefined ? null : user.id,
    alertCount: 1
  }
}

