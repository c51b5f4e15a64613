import { assert, describe, it } from "@effect/vitest"
import { Chunk, ConfigProvider, Effect, Layer, Option, Redacted, Schema, Stream } from "effect"
import { EntityWrapping, PagerDutyError, RestApi, RetryPolicy } from "../src/index.js"
import * as Fake from "./RestApiFake.js"
import * as Mock from "./utils/mock.js"
import { type Captured, everything, observe } from "./utils/observe.js"

const API_KEY = "u+RESTSECRET_wxyz9876"

const options: RestApi.Options = {
  apiKey: Redacted.make(API_KEY),
  retry: RetryPolicy.make({ backoff: RetryPolicy.exponentialBackoff({ jitter: false }) })
}

const pd = (overrides: Partial<RestApi.Options> = {}) => RestApi.make({ ...options, ...overrides })

const bodyOf = (r: Mock.Recorded) => (r.body === undefined ? undefined : JSON.parse(r.body))

/** Echo server: answers with a wrapper chosen per route, recording everything. */
const users = Fake.makeItems(5).map((u) => ({ ...u, email: `${u.name.replace(" ", "")}@example.com`, self: `https://api.pagerduty.com/users/${u.id}`, html_url: `https://acme-corp.pagerduty.com/users/${u.id}` }))

const routes = (request: Mock.Recorded, url: URL): Response | undefined => {
  const path = url.pathname
  const m = request.method
  if (m === "GET" && path === "/users/P1") return Mock.json({ user: { id: "P1", email: "a@example.com", type: "user" } })
  if (m === "GET" && path === "/users/BAD") return Mock.json({ users: [] })
  if (m === "GET" && path === "/users/NUM") return Mock.json({ user: { id: 1 } })
  if (m === "PUT" && path.startsWith("/users/")) {
    const body = bodyOf(request)
    return Mock.json({ user: { id: path.split("/")[2], ...body.user } })
  }
  if (m === "POST" && path === "/users") return Mock.json({ user: { id: "PNEW", ...bodyOf(request).user } }, 201)
  if (m === "POST" && path === "/incidents") return Mock.json({ incident: { id: "PI1", ...bodyOf(request).incident } }, 201)
  if (m === "PUT" && path === "/incidents") return Mock.json({ incidents: bodyOf(request).incidents })
  if (m === "DELETE" && path.startsWith("/users/")) return Mock.json(null, 204)
  if (m === "PUT" && path === "/teams/T1/users/P1") return Mock.json(null, 204)
  if (m === "PATCH" && path === "/workflows/integrations/W1/connections/C1") {
    const body = bodyOf(request)
    // PagerDuty answers this PATCH wrapped (the spec's example, Python's table)
    return Mock.json({ connection: { id: "C1", ...(body.connection ?? body) } })
  }
  if (m === "GET" && path === "/event_orchestrations/services/PSVC1") return Mock.json({ orchestration_path: { type: "service" } })
  if (path.startsWith("/abilities/")) {
    const ability = path.split("/")[2]
    const status = ({ teams: 204, sso: 402, forbidden: 403, nope: 404, broken: 500, odd: 200 } as Record<string, number>)[ability!] ?? 404
    return Mock.json(status === 204 ? null : { error: { message: "x", code: 2100 } }, status)
  }
  if (path === "/analytics/raw/incidents") {
    const body = bodyOf(request)
    const start = body.starting_after === undefined ? 0 : Number(body.starting_after)
    const data = Array.from({ length: Math.max(0, Math.min(body.limit, 7 - start)) }, (_, i) => ({ id: `A${start + i}` }))
    const last = data.length === 0 ? null : String(start + data.length)
    return Mock.json({ data, last, more: start + data.length < 7, limit: body.limit })
  }
  if (m === "GET" && path === "/alert_grouping_settings") {
    const after = url.searchParams.get("after")
    return Mock.json({ alert_grouping_settings: [{ id: after ?? "first" }], after: after === null ? "A1" : after === "A1" ? "A2" : null })
  }
  return undefined
}

const Live = (collections: Record<string, Fake.Collection> = {}, fallback = routes) =>
  Fake.layer({
    collections: { "/users": { wrapper: "users", items: users }, ...collections },
    fallback
  })

describe("raw and JSON verbs", () => {
  it.effect("sends the REST headers, From, Authorization, and list params as name[]", () =>
    Effect.gen(function*() {
      const api = yield* pd({ defaultFrom: "oncall@example.com" })
      const res = yield* api.get("/users", { params: { "team_ids": ["T1", "T2"], query: "x" } })
      assert.strictEqual(res.status, 200)
      const [r] = yield* Mock.recorded
      assert.strictEqual(r!.headers["accept"], "application/vnd.pagerduty+json;version=2")
      assert.strictEqual(r!.headers["from"], "oncall@example.com")
      assert.strictEqual(r!.headers["authorization"], `Token token=${API_KEY}`)
      assert.deepStrictEqual(new URL(r!.url).searchParams.getAll("team_ids[]"), ["T1", "T2"])
      const body = yield* api.jget("/users")
      assert.strictEqual((body as { users: Array<unknown> }).users.length, 5)
    }).pipe(Effect.provide(Live())))

  it.effect("raw verbs return non-2xx responses; j-verbs fail with HttpError", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      assert.strictEqual((yield* api.get("/nothing/here")).status, 404)
      const error = yield* Effect.flip(api.jget("/nothing/here"))
      assert.isTrue(PagerDutyError.isNotFound(error))
    }).pipe(Effect.provide(Live())))

  it.effect("authType bearer and region eu", () =>
    Effect.gen(function*() {
      const api = yield* pd({ authType: "bearer", region: "eu" })
      yield* api.get("/users")
      const [r] = yield* Mock.recorded
      assert.strictEqual(r!.headers["authorization"], `Bearer ${API_KEY}`)
      assert.isTrue(r!.url.startsWith("https://api.eu.pagerduty.com/users"))
    }).pipe(Effect.provide(Live())))
})

describe("entity-wrapped verbs", () => {
  it.effect("rget unwraps; takes a path, a full URL on the base origin, or a resource object", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      const expected = { id: "P1", email: "a@example.com", type: "user" }
      assert.deepStrictEqual(yield* api.rget("/users/P1"), expected)
      assert.deepStrictEqual(yield* api.rget("https://api.pagerduty.com/users/P1"), expected)
      assert.deepStrictEqual(yield* api.rget({ self: "https://api.pagerduty.com/users/P1", id: "P1" } as RestApi.Target), expected)
    }).pipe(Effect.provide(Live())))

  it.effect("a foreign URL, a resource without self, or an unknown path is a UrlError and sends nothing", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      const foreign = yield* Effect.flip(api.rget("https://api.pagerduty.com.evil.com/users/P1"))
      assert.strictEqual(foreign._tag, "UrlError")
      const noSelf = yield* Effect.flip(api.rget({ id: "P1" } as RestApi.Target))
      assert.strictEqual(noSelf._tag === "UrlError" && noSelf.reason, "InvalidResource")
      const unknown = yield* Effect.flip(api.rpost("/not/a/real/path", { json: { a: 1 } }))
      assert.strictEqual(unknown._tag === "UrlError" && unknown.reason, "UnknownPath")
      assert.strictEqual((yield* Mock.recorded).length, 0)
    }).pipe(Effect.provide(Live())))

  it.effect("rpost/rput/rpatch wrap the body (unless already wrapped or passThrough) and unwrap the answer", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      const created = yield* api.rpost("/incidents", { json: { title: "Disk full", type: "incident" } })
      assert.deepStrictEqual(created, { id: "PI1", title: "Disk full", type: "incident" })
      yield* api.rput("/users/P2", { json: { user: { name: "already wrapped" } } })
      yield* api.rput("/users/P3", { json: { user: { name: "raw" } }, passThrough: true })
      // the request body goes unwrapped (spec schema); the answer is unwrapped from `connection`
      const connection = yield* api.rpatch("/workflows/integrations/W1/connections/C1", { json: { name: "c" } })
      assert.deepStrictEqual(connection, { id: "C1", name: "c" })
      const bodies = (yield* Mock.recorded).map(bodyOf)
      assert.deepStrictEqual(bodies, [
        { incident: { title: "Disk full", type: "incident" } },
        { user: { name: "already wrapped" } },
        { user: { name: "raw" } },
        { name: "c" }
      ])
    }).pipe(Effect.provide(Live())))

  it.effect("rdelete and unwrapped 204s give null; a 204 where a wrapper is expected is MissingWrapper", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      assert.strictEqual(yield* api.rdelete("/users/P1"), null)
      assert.strictEqual(yield* api.rput("/teams/T1/users/P1"), null)
    }).pipe(Effect.provide(Live())))

  it.effect("a response without the wrapper key is a ServerHttpError MissingWrapper, not a crash", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      const error = yield* Effect.flip(api.rget("/users/BAD"))
      assert.strictEqual(error._tag, "ServerHttpError")
      assert.strictEqual(error._tag === "ServerHttpError" && error.reason, "MissingWrapper")
    }).pipe(Effect.provide(Live())))

  it.effect("the event orchestration service path unwraps orchestration_path (Python infers `service`)", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      assert.deepStrictEqual(yield* api.rget("/event_orchestrations/services/PSVC1"), { type: "service" })
    }).pipe(Effect.provide(Live())))

  it.effect("schema decodes the entity; a mismatch is ServerHttpError SchemaMismatch with the ParseError as cause", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      const User = Schema.Struct({ id: Schema.String, email: Schema.String })
      const user = yield* api.rget("/users/P1", { schema: User })
      assert.strictEqual(user.email, "a@example.com")
      const error = yield* Effect.flip(api.rget("/users/NUM", { schema: User }))
      assert.strictEqual(error._tag, "ServerHttpError")
      if (error._tag === "ServerHttpError") {
        assert.strictEqual(error.reason, "SchemaMismatch")
        assert.strictEqual((error.cause as { _tag: string })._tag, "ParseError")
      }
    }).pipe(Effect.provide(Live())))

  it.effect("EntityWrapping is taken from context when provided", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      assert.deepStrictEqual(yield* api.rget("/users/P1"), { user: { id: "P1", email: "a@example.com", type: "user" } })
    }).pipe(
      Effect.provide(
        Layer.merge(
          Live(),
          EntityWrapping.layer({ canonicalPaths: ["/users/{id}"], wrappers: { "GET /users/{id}": null } })
        )
      )
    ))
})

describe("listings", () => {
  const incidents = Fake.makeItems(1234, "PI")

  it.effect("iterAll, listAll, dictAll, iterAllPages with concurrency equal to sequential", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      const seq = yield* api.listAll("/incidents", { params: { statuses: ["triggered"] } })
      assert.strictEqual(seq.length, 1234)
      const conc = yield* api.listAll("/incidents", { params: { statuses: ["triggered"] }, concurrency: 5 })
      assert.deepStrictEqual(conc, seq)
      const byId = yield* api.dictAll("/incidents")
      assert.strictEqual(Object.keys(byId).length, 1234)
      assert.deepStrictEqual(byId["PI000007"], incidents[7])
      const pages = yield* Stream.runCollect(api.iterAllPages("/incidents", { pageSize: 500 }))
      assert.deepStrictEqual(Chunk.toReadonlyArray(pages).map((p) => p.items.length), [500, 500, 234])
      const qs = yield* Fake.queries("/incidents")
      assert.strictEqual(qs[0]?.["statuses[]"], "triggered")
    }).pipe(Effect.provide(Live({ "/incidents": { wrapper: "incidents", items: incidents } }))))

  it.effect("iterAll hands cursor paths to cursor pagination with every parameter (Python yields nothing)", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      const records = yield* api.listAll("/audit/records", { params: { actions: ["create"], since: "2025-01-01T00:00:00Z" }, pageSize: 10 })
      assert.strictEqual(records.length, 25)
      const qs = yield* Fake.queries("/audit/records")
      assert.strictEqual(qs.length, 3)
      assert.isTrue(qs.every((q) => q["actions[]"] === "create" && q["since"] === "2025-01-01T00:00:00Z"))
      const viaCursor = yield* api.listAll("/audit/records", { pageSize: 100 })
      assert.strictEqual(viaCursor.length, 25)
      const notCursor = yield* Effect.flip(Stream.runDrain(api.iterCursor("/users")))
      assert.strictEqual(notCursor._tag === "UrlError" && notCursor.reason, "NotPaginated")
    }).pipe(Effect.provide(Live({ "/audit/records": { wrapper: "records", kind: "cursor", items: Fake.makeItems(25) } }))))

  it.effect("iterAll on an individual resource or an unwrapped path is a UrlError NotPaginated", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      for (const path of ["/users/P1", "/abilities/teams"]) {
        const error = yield* Effect.flip(Stream.runDrain(api.iterAll(path)))
        assert.strictEqual(error._tag === "UrlError" && error.reason, "NotPaginated", path)
      }
      assert.strictEqual((yield* Mock.recorded).length, 0)
    }).pipe(Effect.provide(Live())))

  it.effect("listAll failing mid-way fails with the error (no partial result)", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      const error = yield* Effect.flip(api.listAll("/incidents", { pageSize: 100 }))
      assert.strictEqual(error._tag, "HttpError")
    }).pipe(
      Effect.provide(
        Fake.layer({
          collections: { "/incidents": { wrapper: "incidents", items: incidents } },
          fault: (r) => (r.url.includes("offset=300") ? Mock.json({ error: { code: 2001, message: "Invalid" } }, 400) : undefined)
        })
      )
    ))

  it.effect("listAll with a schema decodes every item", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      const items = yield* api.listAll("/users", { schema: Schema.Struct({ id: Schema.String, name: Schema.String }) })
      assert.deepStrictEqual(items.map((u) => u.id), users.map((u) => u.id))
      const error = yield* Effect.flip(api.listAll("/users", { schema: Schema.Struct({ id: Schema.Number }) }))
      assert.strictEqual(error._tag === "ServerHttpError" && error.reason, "SchemaMismatch")
    }).pipe(Effect.provide(Live())))

  it.effect("getTotal", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      assert.strictEqual(yield* api.getTotal("/users"), 5)
    }).pipe(Effect.provide(Live())))

  it.effect("iterHistory gets every record of a window with more than 10 000, exactly once; caller params untouched", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      const start = Date.UTC(2025, 0, 1)
      const params = { is_overview: true }
      const seen = new Set<string>()
      let count = 0
      yield* api.iterHistory("/log_entries", { since: new Date(start), until: new Date(start + 10_500_000), params }).pipe(
        Stream.runForEach((e) =>
          Effect.sync(() => {
            count++
            seen.add((e as { id: string }).id)
          })
        )
      )
      assert.strictEqual(count, 10_500)
      assert.strictEqual(seen.size, 10_500)
      assert.deepStrictEqual(params, { is_overview: true })
      const unsupported = yield* Effect.flip(Stream.runDrain(api.iterHistory("/users", { since: start, until: start + 1000 })))
      assert.strictEqual(unsupported._tag, "UrlError")
    }).pipe(
      Effect.provide(
        Live({ "/log_entries": { wrapper: "log_entries", items: Fake.makeItems(10_500, "L", Date.UTC(2025, 0, 1), 1000), timeField: "created_at" } })
      )
    ))

  it.effect("iterIncidentNotes: /incidents/{id}/notes with an id, annotations of /log_entries without", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      const notes = yield* Stream.runCollect(api.iterIncidentNotes("PI1"))
      assert.strictEqual(Chunk.size(notes), 2)
      const all = yield* Stream.runCollect(api.iterIncidentNotes())
      assert.deepStrictEqual(Chunk.toReadonlyArray(all).map((e) => (e as { id: string }).id), ["L1", "L3"])
    }).pipe(
      Effect.provide(
        Live({
          "/incidents/PI1/notes": { wrapper: "notes", items: [{ id: "N1" }, { id: "N2" }] },
          "/log_entries": {
            wrapper: "log_entries",
            items: [
              { id: "L1", type: "annotate_log_entry" },
              { id: "L2", type: "trigger_log_entry" },
              { id: "L3", type: "annotate_log_entry" }
            ]
          }
        })
      )
    ))

  it.effect("iterAlertGroupingSettings pages with after and sends service_ids[]", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      const items = yield* Stream.runCollect(api.iterAlertGroupingSettings({ serviceIds: ["S1", "S2"], limit: 2 }))
      assert.deepStrictEqual(Chunk.toReadonlyArray(items), [{ id: "first" }, { id: "A1" }, { id: "A2" }])
      const urls = (yield* Mock.recorded).map((r) => new URL(r.url))
      assert.deepStrictEqual(urls.map((u) => u.searchParams.getAll("service_ids[]")), [["S1", "S2"], ["S1", "S2"], ["S1", "S2"]])
      assert.deepStrictEqual(urls.map((u) => u.searchParams.get("limit")), ["2", "2", "2"])
    }).pipe(Effect.provide(Live())))

  it.effect("iterAnalyticsRawIncidents pages with starting_after = last", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      const items = yield* Stream.runCollect(api.iterAnalyticsRawIncidents({ urgency: "high" }, { limit: 3, order: "asc", timeZone: "Etc/UTC" }))
      assert.deepStrictEqual(Chunk.toReadonlyArray(items).map((i) => (i as { id: string }).id), ["A0", "A1", "A2", "A3", "A4", "A5", "A6"])
      const bodies = (yield* Mock.recorded).map(bodyOf)
      assert.deepStrictEqual(bodies.map((b) => b.starting_after), [undefined, "3", "6"])
      assert.deepStrictEqual(bodies[0], { filters: { urgency: "high" }, order: "asc", order_by: "created_at", limit: 3, time_zone: "Etc/UTC" })
    }).pipe(Effect.provide(Live())))

  it.effect("Stream.take stops fetching pages at once", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      yield* api.iterAll("/incidents", { pageSize: 100 }).pipe(Stream.take(101), Stream.runDrain)
      assert.strictEqual((yield* Fake.queries("/incidents")).length, 2)
    }).pipe(Effect.provide(Live({ "/incidents": { wrapper: "incidents", items: incidents } }))))
})

describe("find and persist", () => {
  it.effect("find matches case-insensitively and exactly, stopping at the first match", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      const found = yield* api.find("/users", "ITEM 2")
      assert.deepStrictEqual(Option.map(found, (u) => u["id"]), Option.some("P000002"))
      assert.isTrue(Option.isNone(yield* api.find("/users", "item")))
      const qs = yield* Fake.queries("/users")
      assert.strictEqual(qs[0]?.["query"], "ITEM 2")
      const byEmail = yield* api.find("/users", "item3@example.com", { attribute: "email" })
      assert.isTrue(Option.isSome(byEmail))
    }).pipe(Effect.provide(Live())))

  it.effect("find stops paging early", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      yield* api.find("/incidents", "item 5")
      assert.strictEqual((yield* Fake.queries("/incidents")).length, 1)
    }).pipe(Effect.provide(Live({ "/incidents": { wrapper: "incidents", items: Fake.makeItems(1000), maxLimit: 100 } }))))

  it.effect("persist creates when missing, returns the existing one, and updates only changed fields", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      const created = yield* api.persist("/users", "email", { email: "new@example.com", name: "New" })
      assert.deepStrictEqual(created, { id: "PNEW", email: "new@example.com", name: "New" })
      const existing = yield* api.persist("/users", "email", { email: "item1@example.com", name: "Changed" })
      assert.strictEqual((existing as { name: string }).name, "item 1")
      const updated = yield* api.persist("/users", "email", { email: "item1@example.com", name: "Changed" }, { update: true })
      assert.deepStrictEqual(updated, { id: "P000001", name: "Changed" })
      const unchanged = yield* api.persist("/users", "email", { email: "item1@example.com", name: "item 1" }, { update: true })
      assert.strictEqual((unchanged as { id: string }).id, "P000001")
      const writes = (yield* Mock.recorded).filter((r) => r.method !== "GET")
      assert.deepStrictEqual(writes.map((r) => [r.method, new URL(r.url).pathname, bodyOf(r)]), [
        ["POST", "/users", { user: { email: "new@example.com", name: "New" } }],
        ["PUT", "/users/P000001", { user: { name: "Changed" } }]
      ])
      const invalid = yield* Effect.flip(api.persist("/users", "email", { name: "x" }))
      assert.strictEqual(invalid._tag, "InvalidArgumentError")
    }).pipe(Effect.provide(Live())))
})

describe("account helpers", () => {
  it.effect("accountHasAbility: 204 true, 402 false, 403/404 HttpError, 5xx and odd 2xx fail", () =>
    Effect.gen(function*() {
      const api = yield* pd({ retry: { statusBudgets: { 500: 0 } } })
      assert.isTrue(yield* api.accountHasAbility("teams"))
      assert.isFalse(yield* api.accountHasAbility("sso"))
      const forbidden = yield* Effect.flip(api.accountHasAbility("forbidden"))
      assert.strictEqual(forbidden._tag === "HttpError" && forbidden.status, 403)
      const unknown = yield* Effect.flip(api.accountHasAbility("nope"))
      assert.include(unknown.message, "unknown ability")
      const broken = yield* Effect.flip(api.accountHasAbility("broken"))
      assert.strictEqual(broken._tag, "ServerHttpError")
      const odd = yield* Effect.flip(api.accountHasAbility("odd"))
      assert.strictEqual(odd._tag === "ServerHttpError" && odd.reason, "UnexpectedBody")
    }).pipe(Effect.provide(Live())))

  it.effect("apiKeyAccess: user on 2xx, account on the account-level 400, other errors fail; memoised on success", () =>
    Effect.gen(function*() {
      const api = yield* pd({ retry: { statusBudgets: { 503: 0 } } })
      const first = yield* Effect.flip(api.apiKeyAccess)
      assert.strictEqual(first._tag, "ServerHttpError")
      assert.strictEqual(yield* api.apiKeyAccess, "account")
      assert.strictEqual(yield* api.apiKeyAccess, "account")
      assert.strictEqual((yield* Mock.recorded).length, 2)
    }).pipe(
      Effect.provide(
        Mock.layer((_r, n) =>
          n === 1
            ? Mock.json({ error: { message: "down" } }, 503)
            : Mock.json({ error: "Because this request was made using an account-level access token, we were unable to determine the user." }, 400)
        )
      )
    ))

  it.effect("apiKeyAccess is user for a user key", () =>
    Effect.gen(function*() {
      assert.strictEqual(yield* (yield* pd()).apiKeyAccess, "user")
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({ user: { id: "P1" } })))))

  it.effect("subdomain reads the first user's html_url, once", () =>
    Effect.gen(function*() {
      const api = yield* pd()
      assert.strictEqual(yield* api.subdomain, "acme-corp")
      assert.strictEqual(yield* api.subdomain, "acme-corp")
      assert.strictEqual((yield* Mock.recorded).length, 1)
    }).pipe(Effect.provide(Live())))

  it.effect("updateIncidents: PUT /incidents with a list, references typed, From set", () =>
    Effect.gen(function*() {
      const api = yield* pd({ defaultFrom: "default@example.com" })
      const updated = yield* api.updateIncidents([{ id: "PI1", status: "acknowledged" }, { id: "PI2", status: "resolved" }], {
        from: "me@example.com"
      })
      assert.strictEqual(updated.length, 2)
      const [r] = yield* Mock.recorded
      assert.strictEqual(r!.method, "PUT")
      assert.strictEqual(r!.headers["from"], "me@example.com")
      assert.deepStrictEqual(bodyOf(r!), {
        incidents: [
          { id: "PI1", status: "acknowledged", type: "incident_reference" },
          { id: "PI2", status: "resolved", type: "incident_reference" }
        ]
      })
    }).pipe(Effect.provide(Live())))
})

describe("configuration", () => {
  it.effect("layerConfig reads PAGERDUTY_API_KEY, PAGERDUTY_REGION, PAGERDUTY_FROM, PAGERDUTY_BASE_URL", () =>
    Effect.gen(function*() {
      const api = yield* RestApi.RestApiService
      yield* api.get("/users")
      const [r] = yield* Mock.recorded
      assert.isTrue(r!.url.startsWith("http://127.0.0.1:9/users"))
      assert.strictEqual(r!.headers["from"], "cfg@example.com")
      assert.strictEqual(r!.headers["authorization"], `Token token=${API_KEY}`)
    }).pipe(
      Effect.provide(
        RestApi.layerConfig().pipe(
          Layer.provideMerge(Live()),
          Layer.provide(
            Layer.setConfigProvider(
              ConfigProvider.fromMap(
                new Map([
                  ["PAGERDUTY_API_KEY", API_KEY],
                  ["PAGERDUTY_REGION", "eu"],
                  ["PAGERDUTY_FROM", "cfg@example.com"],
                  ["PAGERDUTY_BASE_URL", "http://127.0.0.1:9"]
                ])
              )
            )
          )
        )
      )
    ))

  it.effect("the API key never appears in errors, logs or spans", () =>
    Effect.gen(function*() {
      const captured: Captured = { logs: [], spans: [] }
      const errors: Array<string> = []
      yield* observe(
        Effect.gen(function*() {
          const api = yield* pd()
          for (const e of [
            yield* Effect.flip(api.rget("/users/BAD")),
            yield* Effect.flip(api.jget("/nope")),
            yield* Effect.flip(Stream.runDrain(api.iterAll("/users/P1")))
          ]) errors.push(e.message, JSON.stringify(e))
          yield* api.listAll("/users")
        }),
        captured
      )
      for (const text of [...errors, everything(captured)]) assert.notInclude(text, API_KEY.slice(2))
    }).pipe(Effect.provide(Live())))
})
