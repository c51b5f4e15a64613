/**
 * The typed PagerDuty API against the testkit simulator:
 *
 * - typed calls stream and return decoded entities (listIncidents, getIncident);
 * - conformance: every REST operation the simulator implements (its route table, read from
 *   packages/testkit/src/internal/routes) is called once through its typed function with
 *   `decode: false`, and the simulator's answer is decoded with the operation's generated
 *   schema, so the simulator cannot drift from the spec's shapes unnoticed. A route added to
 *   the simulator without a step here fails the coverage check.
 */
import { assert, describe, it } from "@effect/vitest"
import { Simulator } from "@effect-pagerduty/testkit"
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Chunk, Effect, Either, Layer, ParseResult, Redacted, Schema, Stream } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { PagerDuty, RestApi } from "../src/index.js"

const ADA = "ada.lovelace0@example.com"
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..")

const sim = (simOptions: Simulator.Options = {}, options: Partial<RestApi.Options & PagerDuty.Options> = {}) =>
  PagerDuty.layerRestApi({ apiKey: Redacted.make(Simulator.DEFAULT_API_KEY), defaultFrom: ADA, ...options }).pipe(
    Layer.provideMerge(Simulator.layer(simOptions))
  )

const requests = Effect.flatMap(Simulator.Simulator, (s) => s.requests)

describe("typed operations on the simulator", () => {
  it.effect("listIncidents streams decoded incidents; getIncident returns the unwrapped entity", () =>
    Effect.gen(function*() {
      const pd = yield* PagerDuty.PagerDuty
      const s = yield* Simulator.Simulator
      const all = Chunk.toReadonlyArray(yield* Stream.runCollect(pd.listIncidents({ statuses: ["triggered", "acknowledged"], pageSize: 7 })))
      assert.isAbove(all.length, 7)
      for (const i of all) assert.include(["triggered", "acknowledged"], i.status)
      const first = all[0]!
      const one = yield* pd.getIncident(first.id)
      assert.strictEqual(one.id, first.id)
      assert.strictEqual(one.title, (yield* s.state.incidents()).find((i) => i.id === first.id)!.title)
      const [list] = yield* requests
      assert.deepStrictEqual(new URL(list!.url, "http://x").searchParams.getAll("statuses[]"), ["triggered", "acknowledged"])
      // the page-level variant: with concurrency the first page carries PagerDuty's total
      const [page] = yield* Stream.runCollect(Stream.take(pd.listIncidentsPages({ statuses: ["triggered", "acknowledged"], pageSize: 7, concurrency: 2 }), 1))
      assert.strictEqual(page!.total, all.length)
      assert.isTrue(page!.more)
      assert.strictEqual(page!.items.length, 7)
    }).pipe(Effect.provide(sim())))
})

// ---------------------------------------------------------------------------------------
// conformance of the simulator's answers with the generated schemas

/** `METHOD /path` of every route in the simulator's route modules, mapped to the spec's operationId. */
const simulatedOperations = (): ReadonlyArray<string> => {
  const spec = JSON.parse(fs.readFileSync(path.join(root, "specs/REST.json"), "utf8")) as { paths: Record<string, Record<string, { operationId: string }>> }
  const byRoute = new Map<string, string>()
  for (const [p, item] of Object.entries(spec.paths)) {
    for (const m of ["get", "post", "put", "patch", "delete"]) if (item[m] !== undefined) byRoute.set(`${m.toUpperCase()} ${p}`, item[m].operationId)
  }
  const dir = path.join(root, "packages/testkit/src/internal/routes")
  const ids = new Set<string>()
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    const text = fs.readFileSync(path.join(dir, file), "utf8")
    for (const m of text.matchAll(/method:\s*"(\w+)",\s*path:\s*"([^"]+)"/g)) {
      const id = byRoute.get(`${m[1]} ${m[2]}`)
      if (id !== undefined) ids.add(id)
    }
  }
  return [...ids].sort()
}

type Step = (pd: PagerDuty.Operations, ids: Ids, asUser: PagerDuty.Operations) => Effect.Effect<unknown, unknown> | Stream.Stream<unknown, unknown>

interface Ids {
  incident: string
  user: string
  userEmail: string
  alertGrouping: string
  team: string
  service: string
  policy: string
  schedule: string
  logEntry: string
  changeEvent: string
  override: string
  webhook: string
  tag: string
}

const at = "2026-01-05T00:00:00Z"
const later = "2026-01-12T00:00:00Z"

/** How each simulated operation is called (in this order; writes create what later steps read). */
const steps: ReadonlyArray<readonly [string, Step]> = [
  ["listIncidents", (pd) => pd.listIncidents({ decode: false })],
  ["getIncident", (pd, ids) => pd.getIncident(ids.incident, { decode: false })],
  ["createIncident", (pd, ids) => pd.createIncident({ decode: false, body: { type: "incident", title: "Conformance", service: { id: ids.service, type: "service_reference" } } })],
  ["updateIncident", (pd, ids) => pd.updateIncident(ids.incident, { decode: false, body: { type: "incident_reference", status: "acknowledged" } })],
  ["updateIncidents", (pd, ids) => pd.updateIncidents({ decode: false, body: [{ id: ids.incident, type: "incident_reference", status: "resolved" }] })],
  ["createIncidentNote", (pd, ids) => pd.createIncidentNote(ids.incident, { decode: false, body: { content: "checked" } })],
  ["listIncidentNotes", (pd, ids) => pd.listIncidentNotes(ids.incident, { decode: false })],
  ["listIncidentAlerts", (pd, ids) => pd.listIncidentAlerts(ids.incident, { decode: false })],
  ["listIncidentLogEntries", (pd, ids) => pd.listIncidentLogEntries(ids.incident, { decode: false })],
  ["listLogEntries", (pd) => pd.listLogEntries({ decode: false })],
  ["getLogEntry", (pd, ids) => pd.getLogEntry(ids.logEntry, { decode: false })],
  ["listUsers", (pd) => pd.listUsers({ decode: false })],
  ["getUser", (pd, ids) => pd.getUser(ids.user, { decode: false })],
  ["getCurrentUser", (_pd, _ids, asUser) => asUser.getCurrentUser({ decode: false })],
  ["createUser", (pd) => pd.createUser({ decode: false, body: { type: "user", name: "Grace Hopper", email: "grace.conformance@example.com" } })],
  ["updateUser", (pd, ids) => pd.updateUser(ids.user, { decode: false, body: { type: "user", name: "Ada L.", email: ids.userEmail } })],
  ["listTeams", (pd) => pd.listTeams({ decode: false })],
  ["getTeam", (pd, ids) => pd.getTeam(ids.team, { decode: false })],
  ["createTeam", (pd) => pd.createTeam({ decode: false, body: { type: "team", name: "Conformance team" } })],
  ["listEscalationPolicies", (pd) => pd.listEscalationPolicies({ decode: false })],
  ["getEscalationPolicy", (pd, ids) => pd.getEscalationPolicy(ids.policy, { decode: false })],
  [
    "createEscalationPolicy",
    (pd, ids) =>
      pd.createEscalationPolicy({
        decode: false,
        body: { type: "escalation_policy", name: "Conformance policy", escalation_rules: [{ escalation_delay_in_minutes: 30, targets: [{ id: ids.user, type: "user_reference" }] }] }
      })
  ],
  ["updateEscalationPolicy", (pd, ids) => pd.updateEscalationPolicy(ids.policy, { decode: false, body: { type: "escalation_policy", name: "Renamed policy", escalation_rules: [{ escalation_delay_in_minutes: 10, targets: [{ id: ids.user, type: "user_reference" }] }] } })],
  ["listServices", (pd) => pd.listServices({ decode: false })],
  ["getService", (pd, ids) => pd.getService(ids.service, { decode: false })],
  ["createService", (pd, ids) => pd.createService({ decode: false, body: { type: "service", name: "Conformance service", escalation_policy: { id: ids.policy, type: "escalation_policy_reference" } } })],
  ["updateService", (pd, ids) => pd.updateService(ids.service, { decode: false, body: { type: "service", description: "checked" } })],
  ["listPriorities", (pd) => pd.listPriorities({ decode: false })],
  ["listAbilities", (pd) => pd.listAbilities({ decode: false })],
  ["getAbility", (pd) => pd.getAbility("teams", { decode: false })],
  ["listTags", (pd) => pd.listTags({ decode: false })],
  ["createTags", (pd) => pd.createTags({ decode: false, body: { type: "tag", label: "conformance" } })],
  ["getTag", (pd, ids) => pd.getTag(ids.tag, { decode: false })],
  ["listSchedules", (pd) => pd.listSchedules({ decode: false })],
  ["getSchedule", (pd, ids) => pd.getSchedule(ids.schedule, { decode: false, since: at, until: later })],
  [
    "createSchedule",
    (pd, ids) =>
      pd.createSchedule({
        decode: false,
        body: {
          type: "schedule",
          name: "Conformance schedule",
          time_zone: "UTC",
          schedule_layers: [{ start: at, rotation_virtual_start: at, rotation_turn_length_seconds: 86_400, users: [{ user: { id: ids.user, type: "user_reference" } }] }]
        }
      })
  ],
  ["listScheduleUsers", (pd, ids) => pd.listScheduleUsers(ids.schedule, { decode: false, since: at, until: later })],
  ["createScheduleOverride", (pd, ids) => pd.createScheduleOverride(ids.schedule, { decode: false, body: [{ start: at, end: later, user: { id: ids.user, type: "user_reference" } }] })],
  ["listScheduleOverrides", (pd, ids) => pd.listScheduleOverrides(ids.schedule, { decode: false, since: at, until: later })],
  ["deleteScheduleOverride", (pd, ids) => pd.deleteScheduleOverride(ids.schedule, ids.override, { decode: false })],
  ["listOnCalls", (pd) => pd.listOnCalls({ decode: false })],
  ["listChangeEvents", (pd) => pd.listChangeEvents({ decode: false })],
  ["getChangeEvent", (pd, ids) => pd.getChangeEvent(ids.changeEvent, { decode: false })],
  ["listAuditRecords", (pd) => pd.listAuditRecords({ decode: false })],
  ["listAlertGroupingSettings", (pd) => pd.listAlertGroupingSettings({ decode: false })],
  ["getAlertGroupingSetting", (pd, ids) => pd.getAlertGroupingSetting(ids.alertGrouping, { decode: false })],
  ["getAnalyticsIncidents", (pd) => pd.getAnalyticsIncidents({ decode: false, body: { filters: { created_at_start: at, created_at_end: later } } })],
  ["listWebhookSubscriptions", (pd) => pd.listWebhookSubscriptions({ decode: false })],
  [
    "createWebhookSubscription",
    (pd) =>
      pd.createWebhookSubscription({
        decode: false,
        body: {
          type: "webhook_subscription",
          delivery_method: { type: "http_delivery_method", url: "http://127.0.0.1:9/pd" },
          events: ["incident.triggered"],
          filter: { type: "account_reference" }
        }
      })
  ],
  ["getWebhookSubscription", (pd, ids) => pd.getWebhookSubscription(ids.webhook, { decode: false })],
  ["updateWebhookSubscription", (pd, ids) => pd.updateWebhookSubscription(ids.webhook, { decode: false, body: { events: ["incident.acknowledged"] } })],
  ["enableWebhookSubscription", (pd, ids) => pd.enableWebhookSubscription(ids.webhook, { decode: false })],
  ["testWebhookSubscription", (pd, ids) => pd.testWebhookSubscription(ids.webhook, { decode: false })],
  ["deleteWebhookSubscription", (pd, ids) => pd.deleteWebhookSubscription(ids.webhook, { decode: false })],
  ["deleteUser", (pd, ids) => pd.deleteUser(ids.user, { decode: false })]
]

/** Decode a raw answer (or each streamed item) with the operation's generated schema. */
const conforms = (name: string, value: unknown): Either.Either<true, string> => {
  const operation = (PagerDuty.operations as unknown as Record<string, PagerDuty.Runnable>)[name]!
  const schema = operation.descriptor.schema
  if (schema === undefined) return Either.right(true)
  const items = operation.returns === "stream" ? (value as ReadonlyArray<unknown>) : [value]
  const decode = Schema.decodeUnknownEither(schema())
  for (const item of items) {
    const result = decode(item)
    if (Either.isLeft(result)) return Either.left(`${name}: ${ParseResult.TreeFormatter.formatErrorSync(result.left)}`)
  }
  return Either.right(true)
}

describe("simulator conformance with the spec's schemas", () => {
  it("every simulated REST operation has a conformance step", () => {
    const covered = new Set(steps.map(([name]) => name))
    assert.deepStrictEqual(simulatedOperations().filter((id) => !covered.has(id)), [])
    // and every step names a typed operation
    for (const [name] of steps) assert.isDefined((PagerDuty.operations as unknown as Record<string, unknown>)[name], name)
  })

  it("the testkit README lists exactly the simulated typed operations", () => {
    const readme = fs.readFileSync(path.join(root, "packages/testkit/README.md"), "utf8")
    const section = readme.split("## Typed operations the simulator implements")[1]?.split("\n## ")[0] ?? ""
    const listed = [...section.matchAll(/`([a-z]\w+)`/g)].map((m) => m[1]!).filter((n) => n in PagerDuty.operations).sort()
    assert.deepStrictEqual(listed, [...simulatedOperations()])
  })

  it.effect("each simulated operation answers in the shape of the spec (decoded with the generated schema)", () =>
    Effect.gen(function*() {
      const pd = yield* PagerDuty.PagerDuty
      const s = yield* Simulator.Simulator
      const users = yield* s.state.users
      const asUser = yield* PagerDuty.make().pipe(Effect.provide(RestApi.layer({ apiKey: Redacted.make(Simulator.DEFAULT_USER_API_KEY) })))
      // a change event for getChangeEvent, sent to the simulator's Events API
      yield* HttpClient.execute(
        HttpClientRequest.post("https://events.pagerduty.com/v2/change/enqueue").pipe(
          HttpClientRequest.bodyUnsafeJson({ routing_key: Simulator.DEFAULT_ROUTING_KEY, payload: { summary: "deploy 42", source: "ci", timestamp: at } })
        )
      )
      const ids: Ids = {
        incident: (yield* s.state.incidents({ statuses: ["triggered"] }))[0]!.id,
        user: users[users.length - 1]!.id,
        userEmail: users[users.length - 1]!.email,
        alertGrouping: "",
        team: (yield* s.state.teams)[0]!.id,
        service: (yield* s.state.services)[0]!.id,
        policy: (yield* s.state.escalationPolicies)[0]!.id,
        schedule: (yield* s.state.schedules)[0]!.id,
        logEntry: "",
        changeEvent: "",
        override: "",
        webhook: "",
        tag: ""
      }
      const failures: Array<string> = []
      for (const [name, step] of steps) {
        const run = step(pd, ids, asUser)
        const value = yield* (Stream.StreamTypeId in run
          ? Effect.map(Stream.runCollect(Stream.take(run as Stream.Stream<unknown, unknown>, 50)), Chunk.toReadonlyArray)
          : (run as Effect.Effect<unknown, unknown>)).pipe(Effect.either)
        if (Either.isLeft(value)) {
          failures.push(`${name}: the call failed: ${String((value.left as { message?: string }).message ?? value.left)}`)
          continue
        }
        Either.match(conforms(name, value.right), { onLeft: (e) => failures.push(e), onRight: () => undefined })
        // ids the later steps need, from what the simulator answered
        const first = (v: unknown): { readonly id?: string } | undefined => {
          if (Array.isArray(v)) return v[0] as { readonly id?: string } | undefined
          if (typeof v === "object" && v !== null && typeof (v as { readonly id?: unknown }).id === "string") return v as { readonly id: string }
          // a listing answered as a whole body: its first list property
          const list = typeof v === "object" && v !== null ? Object.values(v).find(Array.isArray) : undefined
          return (list?.[0] ?? v) as { readonly id?: string } | undefined
        }
        if (name === "listAlertGroupingSettings") ids.alertGrouping = first(value.right)?.id ?? ""
        if (name === "listLogEntries") ids.logEntry = first(value.right)?.id ?? ""
        if (name === "createTags") ids.tag = first(value.right)?.id ?? ""
        if (name === "createWebhookSubscription") ids.webhook = first(value.right)?.id ?? ""
        if (name === "createScheduleOverride") ids.override = (first(value.right) as { readonly override?: { readonly id?: string } } | undefined)?.override?.id ?? ""
        if (name === "listChangeEvents") ids.changeEvent = first(value.right)?.id ?? ids.changeEvent
      }
      assert.deepStrictEqual(failures, [])
    }).pipe(Effect.provide(sim({ now: "2026-01-06T00:00:00Z" }))), 60_000)
})
