/**
 * The REST API v2 client against the testkit simulator (`Simulator.layer`, in memory): entity
 * wrapped verbs with `From`, multi-update, find/persist, the bespoke listings (notes, alert
 * grouping settings, analytics raw incidents), account helpers, and decoding simulator
 * incidents with the generated `Incident` schema. Results are checked against the simulator's
 * state and recorded requests.
 */
import { assert, describe, it } from "@effect/vitest"
import { Simulator } from "@effect-pagerduty/testkit"
import { Chunk, Effect, Layer, Option, Redacted, Schema, Stream } from "effect"
import * as RestSchemas from "../src/generated/RestSchemas.js"
import { PagerDutyError, RestApi } from "../src/index.js"

const ADA = "ada.lovelace0@example.com"

const sim = (simOptions: Simulator.Options = {}, options: Partial<RestApi.Options> = {}) =>
  RestApi.layer({ apiKey: Redacted.make(Simulator.DEFAULT_API_KEY), defaultFrom: ADA, ...options }).pipe(
    Layer.provideMerge(Simulator.layer(simOptions))
  )

type Incident = { readonly id: string; readonly status: string; readonly title: string; readonly self: string; readonly [k: string]: unknown }

const ids = (items: Iterable<unknown>) => [...items].map((i) => (i as { readonly id: string }).id)
const requests = Effect.flatMap(Simulator.Simulator, (s) => s.requests)
const writes = Effect.map(requests, (rs) => rs.filter((r) => r.method !== "GET").map((r) => [r.method, r.path, JSON.parse(r.body)] as const))
const stateIncident = (id: string) =>
  Effect.flatMap(Simulator.Simulator, (s) => Effect.map(s.state.incident(id), (o) => Option.getOrThrow(o) as unknown as Incident))

describe("entity-wrapped verbs on the simulator", () => {
  it.effect("rpost creates an incident (wrapped body, From sent); rget by resource object; rput updates it", () =>
    Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const s = yield* Simulator.Simulator
      const service = (yield* s.state.services)[0]!
      const before = yield* s.state.incidentCount
      const created = (yield* pd.rpost("/incidents", {
        json: { type: "incident", title: "Disk full on db-1", service: { id: service.id, type: "service_reference" } }
      })) as Incident
      assert.strictEqual(created.title, "Disk full on db-1")
      assert.strictEqual(created.status, "triggered")
      assert.strictEqual(yield* s.state.incidentCount, before + 1)
      assert.deepStrictEqual(created, yield* stateIncident(created.id))
      const [post] = yield* requests
      assert.strictEqual(post!.headers["from"], ADA)
      assert.strictEqual(post!.headers["accept"], RestApi.accept)
      assert.deepStrictEqual(Object.keys(JSON.parse(post!.body)), ["incident"])

      // r-verbs take the resource itself: its `self`
      assert.deepStrictEqual(yield* pd.rget(created), created)
      const updated = (yield* pd.rput(created, { json: { type: "incident_reference", status: "acknowledged", title: "Disk full (db-1)" } })) as Incident
      assert.strictEqual(updated.status, "acknowledged")
      assert.strictEqual(updated.title, "Disk full (db-1)")
      assert.deepStrictEqual(updated, yield* stateIncident(created.id))
      assert.deepStrictEqual((yield* writes).map(([m, p, b]) => [m, p, Object.keys(b)]), [
        ["POST", "/incidents", ["incident"]],
        ["PUT", `/incidents/${created.id}`, ["incident"]]
      ])
    }).pipe(Effect.provide(sim())))

  it.effect("without From, an account-level key cannot create: HttpError 400, nothing created", () =>
    Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const s = yield* Simulator.Simulator
      const service = (yield* s.state.services)[0]!
      const error = yield* Effect.flip(pd.rpost("/incidents", { json: { title: "x", service: { id: service.id, type: "service_reference" } } }))
      assert.strictEqual(error._tag === "HttpError" && error.status, 400)
      assert.include(error.message, "From")
      assert.strictEqual(yield* s.state.incidentCount, 25)
      // the same call with an explicit From header works
      const created = yield* pd.rpost("/incidents", {
        json: { title: "x", service: { id: service.id, type: "service_reference" } },
        headers: { From: ADA }
      })
      assert.strictEqual((created as Incident).title, "x")
    }).pipe(Effect.provide(sim({}, { defaultFrom: undefined }))))

  it.effect("updateIncidents: one PUT /incidents with a list; the simulator's state follows", () =>
    Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const s = yield* Simulator.Simulator
      const triggered = (yield* s.state.incidents({ statuses: ["triggered"] })).slice(0, 3)
      assert.strictEqual(triggered.length, 3)
      const updated = yield* pd.updateIncidents(triggered.map((i) => ({ id: i.id, status: "acknowledged" })))
      assert.deepStrictEqual(ids(updated), ids(triggered))
      for (const i of triggered) assert.strictEqual((yield* stateIncident(i.id)).status, "acknowledged")
      const [[method, path, body]] = yield* writes
      assert.deepStrictEqual([method, path], ["PUT", "/incidents"])
      assert.deepStrictEqual(body, { incidents: triggered.map((i) => ({ id: i.id, status: "acknowledged", type: "incident_reference" })) })
      assert.deepStrictEqual(yield* s.countsByEndpoint, { "PUT /incidents": 1 })
    }).pipe(Effect.provide(sim({ incidents: 60 }))))

  it.effect("an unknown incident is a not-found HttpError; a wrong key is a 401 that is not retried", () =>
    Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const missing = yield* Effect.flip(pd.rget("/incidents/QNOPE00"))
      assert.isTrue(PagerDutyError.isNotFound(missing))
      const bad = yield* RestApi.make({ apiKey: Redacted.make("not-a-key") })
      const unauthorized = yield* Effect.flip(bad.rget("/incidents/QNOPE00"))
      assert.strictEqual(unauthorized._tag === "HttpError" && unauthorized.status, 401)
      assert.strictEqual((yield* requests).length, 2)
    }).pipe(Effect.provide(sim())))
})

describe("find and persist on the simulator", () => {
  it.effect("find: exact, case-insensitive, on any attribute; a partial match is none", () =>
    Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const byEmail = yield* pd.find("/users", ADA.toUpperCase(), { attribute: "email" })
      assert.deepStrictEqual(Option.map(byEmail, (u) => u["id"]), Option.some("PU00000"))
      const byName = yield* pd.find("/users", "ada lovelace")
      assert.deepStrictEqual(Option.map(byName, (u) => u["id"]), Option.some("PU00000"))
      assert.isTrue(Option.isNone(yield* pd.find("/users", "ada")))
      const queries = (yield* requests).map((r) => new URL(r.url).searchParams.get("query"))
      assert.deepStrictEqual(queries, [ADA.toUpperCase(), "ada lovelace", "ada"])
    }).pipe(Effect.provide(sim())))

  it.effect("persist: creates when missing, then finds it; update: true PUTs only the changed fields", () =>
    Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const s = yield* Simulator.Simulator
      const values = { type: "user", name: "Grace Hopper", email: "grace@example.com" }
      const created = (yield* pd.persist("/users", "email", values)) as { id: string; name: string }
      const again = (yield* pd.persist("/users", "email", values)) as { id: string }
      assert.strictEqual(again.id, created.id)
      assert.strictEqual((yield* s.state.users).filter((u) => u.email === "grace@example.com").length, 1)
      const kept = (yield* pd.persist("/users", "email", { ...values, name: "Rear Admiral Hopper" })) as { name: string }
      assert.strictEqual(kept.name, "Grace Hopper")
      const updated = (yield* pd.persist("/users", "email", { ...values, name: "Rear Admiral Hopper" }, { update: true })) as { id: string; name: string }
      assert.deepStrictEqual([updated.id, updated.name], [created.id, "Rear Admiral Hopper"])
      assert.strictEqual((yield* s.state.users).find((u) => u.id === created.id)?.name, "Rear Admiral Hopper")
      assert.deepStrictEqual(yield* writes, [
        ["POST", "/users", { user: values }],
        ["PUT", `/users/${created.id}`, { user: { name: "Rear Admiral Hopper", type: "user" } }]
      ])
    }).pipe(Effect.provide(sim())))
})

describe("bespoke listings on the simulator", () => {
  it.effect("iterIncidentNotes: an incident's notes, and every note's annotation in /log_entries", () =>
    Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const s = yield* Simulator.Simulator
      const [a, b] = yield* s.state.incidents()
      for (const [incident, content] of [[a!, "first"], [a!, "second"], [b!, "elsewhere"]] as const) {
        yield* pd.rpost(`/incidents/${incident.id}/notes`, { json: { content } })
      }
      const notes = yield* Stream.runCollect(pd.iterIncidentNotes(a!.id))
      assert.deepStrictEqual(Chunk.toReadonlyArray(notes).map((n) => (n as { content: string }).content), ["first", "second"])
      const annotations = Chunk.toReadonlyArray(yield* Stream.runCollect(pd.iterIncidentNotes(undefined, { pageSize: 100 }))) as ReadonlyArray<
        { type: string; incident: { id: string } }
      >
      const logEntries = (yield* pd.listAll("/log_entries", { pageSize: 100 })) as ReadonlyArray<{ type: string }>
      assert.isTrue(annotations.every((e) => e.type === "annotate_log_entry"))
      assert.strictEqual(annotations.length, logEntries.filter((e) => e.type === "annotate_log_entry").length)
      assert.isAbove(logEntries.length, annotations.length)
      assert.deepStrictEqual(annotations.slice(-3).map((e) => e.incident.id), [a!.id, a!.id, b!.id])
    }).pipe(Effect.provide(sim())))

  it.effect("iterAlertGroupingSettings pages with `after` and filters by service", () =>
    Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const s = yield* Simulator.Simulator
      const services = ids(yield* s.state.services)
      const all = Chunk.toReadonlyArray(yield* Stream.runCollect(pd.iterAlertGroupingSettings({ limit: 2 })))
      assert.strictEqual(all.length, services.length)
      assert.strictEqual(new Set(ids(all)).size, services.length)
      const afters = (yield* requests).map((r) => new URL(r.url).searchParams.get("after"))
      assert.deepStrictEqual(afters, [null, ids(all)[1], ids(all)[3]])
      const some = Chunk.toReadonlyArray(yield* Stream.runCollect(pd.iterAlertGroupingSettings({ serviceIds: services.slice(0, 2) })))
      assert.deepStrictEqual(ids(some), ids(all).slice(0, 2))
      const last = (yield* requests).at(-1)!
      assert.deepStrictEqual(new URL(last.url).searchParams.getAll("service_ids[]"), services.slice(0, 2))
    }).pipe(Effect.provide(sim())))

  it.effect("iterAnalyticsRawIncidents pages with starting_after = last, in order, with the filters", () =>
    Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const s = yield* Simulator.Simulator
      const incidents = yield* s.state.incidents()
      const asc = Chunk.toReadonlyArray(yield* Stream.runCollect(pd.iterAnalyticsRawIncidents({}, { limit: 10, order: "asc" })))
      assert.deepStrictEqual(ids(asc), ids(incidents))
      const bodies = (yield* requests).map((r) => JSON.parse(r.body) as { starting_after?: string; limit: number; order: string })
      assert.deepStrictEqual(bodies.map((b) => b.starting_after), [undefined, ids(incidents)[9], ids(incidents)[19]])
      assert.isTrue(bodies.every((b) => b.limit === 10 && b.order === "asc"))
      const high = Chunk.toReadonlyArray(yield* Stream.runCollect(pd.iterAnalyticsRawIncidents({ urgency: "high" }, { limit: 7 })))
      assert.deepStrictEqual(ids(high), ids(incidents.filter((i) => i.urgency === "high")).reverse())
    }).pipe(Effect.provide(sim({ incidents: 25 }))))
})

describe("account helpers on the simulator", () => {
  it.effect("accountHasAbility: 204 true, 402 false, unknown ability is a 404 HttpError", () =>
    Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      assert.isTrue(yield* pd.accountHasAbility("teams"))
      assert.isFalse(yield* pd.accountHasAbility("sso"))
      const unknown = yield* Effect.flip(pd.accountHasAbility("time_travel"))
      assert.strictEqual(unknown._tag === "HttpError" && unknown.status, 404)
      assert.include(unknown.message, "unknown ability")
    }).pipe(Effect.provide(sim({ missingAbilities: ["sso"] }))))

  it.effect("apiKeyAccess: the account key is account, the user key is user; memoised", () =>
    Effect.gen(function*() {
      const account = yield* RestApi.make({ apiKey: Redacted.make(Simulator.DEFAULT_API_KEY) })
      const user = yield* RestApi.make({ apiKey: Redacted.make(Simulator.DEFAULT_USER_API_KEY) })
      assert.strictEqual(yield* account.apiKeyAccess, "account")
      assert.strictEqual(yield* account.apiKeyAccess, "account")
      assert.strictEqual(yield* user.apiKeyAccess, "user")
      assert.strictEqual(yield* user.apiKeyAccess, "user")
      assert.deepStrictEqual(yield* Effect.flatMap(Simulator.Simulator, (s) => s.countsByEndpoint), { "GET /users/me": 2 })
    }).pipe(Effect.provide(sim())))

  it.effect("subdomain comes from the users' html_url, asked once", () =>
    Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      assert.strictEqual(yield* pd.subdomain, "globex")
      assert.strictEqual(yield* pd.subdomain, "globex")
      assert.deepStrictEqual(yield* Effect.flatMap(Simulator.Simulator, (s) => s.countsByEndpoint), { "GET /users": 1 })
    }).pipe(Effect.provide(sim({ subdomain: "globex" }))))
})

describe("decoding simulator incidents with the generated schema", () => {
  it.effect("every simulator incident decodes as RestSchemas.Incident, keeping every field", () =>
    Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const raw = (yield* pd.listAll("/incidents", { pageSize: 100 })) as ReadonlyArray<Record<string, unknown>>
      const decoded = yield* pd.listAll("/incidents", { pageSize: 100, schema: RestSchemas.Incident })
      assert.strictEqual(decoded.length, 60)
      assert.deepStrictEqual(decoded, raw)
      const one = yield* pd.rget(`/incidents/${raw[0]!["id"]}`, { schema: RestSchemas.Incident })
      assert.deepStrictEqual(one, raw[0])
      // fields the schema does not name are kept, not stripped
      const named = new Set(Object.keys(RestSchemas.Incident.fields))
      const extra = Object.keys(raw[0]!).filter((k) => !named.has(k))
      for (const k of extra) assert.deepStrictEqual((one as Record<string, unknown>)[k], raw[0]![k])
      // a schema the simulator's incidents do not satisfy is a typed SchemaMismatch
      const Numbered = Schema.Struct({ id: Schema.Number })
      const mismatch = yield* Effect.flip(pd.rget(`/incidents/${raw[0]!["id"]}`, { schema: Numbered }))
      assert.strictEqual(mismatch._tag === "ServerHttpError" && mismatch.reason, "SchemaMismatch")
    }).pipe(Effect.provide(sim({ incidents: 60 }))))
})
