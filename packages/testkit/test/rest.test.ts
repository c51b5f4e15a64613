import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Simulator } from "../src/index.js"
import { API, AUTH, FROM, getJson, sendJson } from "./helpers.js"

const withSim = (options: Simulator.Options = {}) => Effect.provide(Simulator.layer({ now: "2026-03-01T00:00:00Z", ...options }))

describe("classic pagination", () => {
  it.effect("empty collection: no items, more=false, total 0 when asked", () =>
    Effect.gen(function*() {
      const r = yield* getJson("/incidents?total=true")
      assert.strictEqual(r.status, 200)
      assert.deepStrictEqual(r.body, { incidents: [], limit: 25, offset: 0, total: 0, more: false })
    }).pipe(withSim({ incidents: 0 })))

  it.effect("exact multiple of limit: the last full page says more=false", () =>
    Effect.gen(function*() {
      const p1 = yield* getJson("/incidents?limit=10&offset=0")
      const p2 = yield* getJson("/incidents?limit=10&offset=10")
      const p3 = yield* getJson("/incidents?limit=10&offset=20")
      assert.strictEqual(p1.body.incidents.length, 10)
      assert.isTrue(p1.body.more)
      assert.strictEqual(p1.body.total, null)
      assert.strictEqual(p2.body.incidents.length, 10)
      assert.isFalse(p2.body.more)
      assert.deepStrictEqual(p3.body.incidents, [])
      assert.strictEqual(p2.body.incidents[9].incident_number, 20)
    }).pipe(withSim({ incidents: 20 })))

  it.effect("101 items: limit is capped at 100, the second page has one item", () =>
    Effect.gen(function*() {
      const p1 = yield* getJson("/incidents?limit=500&total=true")
      assert.strictEqual(p1.body.limit, 100)
      assert.strictEqual(p1.body.incidents.length, 100)
      assert.strictEqual(p1.body.total, 101)
      assert.isTrue(p1.body.more)
      const p2 = yield* getJson("/incidents?limit=100&offset=100")
      assert.deepStrictEqual(p2.body.incidents.map((i: any) => i.incident_number), [101])
      assert.isFalse(p2.body.more)
    }).pipe(withSim({ incidents: 101 })))

  it.effect("offset+limit over 10 000 is a 400 with code 2002", () =>
    Effect.gen(function*() {
      const ok = yield* getJson("/incidents?limit=100&offset=9900&date_range=all")
      assert.strictEqual(ok.status, 200)
      const r = yield* getJson("/incidents?limit=100&offset=9901&date_range=all")
      assert.strictEqual(r.status, 400)
      assert.strictEqual(r.body.error.code, 2002)
      assert.strictEqual(r.body.error.message, "Offset+limit exceeds maximum allowed value of 10000")
    }).pipe(withSim({ incidents: 20_000 })))
})

describe("filters", () => {
  it.effect("statuses[] and service_ids[] match the state", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const open = yield* sim.state.incidents({ statuses: ["triggered", "acknowledged"] })
      const r = yield* getJson("/incidents?statuses[]=triggered&statuses[]=acknowledged&limit=100&total=true")
      assert.strictEqual(r.body.total, open.length)
      assert.isAbove(open.length, 0)
      assert.deepStrictEqual(r.body.incidents.map((i: any) => i.id), open.map((i) => i.id))
      const serviceId = open[0].service.id
      const s = yield* getJson(`/incidents?service_ids[]=${serviceId}&statuses[]=triggered&statuses[]=acknowledged&limit=100`)
      assert.deepStrictEqual(s.body.incidents.map((i: any) => i.id), open.filter((i) => i.service.id === serviceId).map((i) => i.id))
      const bad = yield* getJson("/incidents?statuses[]=sleeping")
      assert.strictEqual(bad.status, 400)
      assert.strictEqual(bad.body.error.code, 2001)
    }).pipe(withSim({ incidents: 60 })))

  it.effect("since/until select by created_at; the default window is one month; date_range=all ignores it", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const all = yield* sim.state.incidents()
      const since = all[10].created_at
      const until = all[20].created_at
      const r = yield* getJson(`/incidents?since=${since}&until=${until}&limit=100`)
      assert.deepStrictEqual(r.body.incidents.map((i: any) => i.incident_number), Array.from({ length: 10 }, (_, k) => 11 + k))
      const created = yield* sim.state.addIncident({ title: "fresh" })
      const def = yield* getJson("/incidents?limit=100&total=true")
      assert.strictEqual(def.body.total, all.length + 1)
      assert.strictEqual(def.body.incidents.at(-1).id, created.id)
      const old = yield* getJson("/incidents?until=2025-01-01T00:00:00Z&total=true")
      assert.strictEqual(old.body.total, 0)
      const desc = yield* getJson("/incidents?date_range=all&sort_by=created_at:desc&limit=1")
      assert.strictEqual(desc.body.incidents[0].id, created.id)
    }).pipe(withSim({ incidents: 30 })))

  it.effect("users?query= filters by name or email substring", () =>
    Effect.gen(function*() {
      const r = yield* getJson("/users?query=LOVELACE")
      assert.deepStrictEqual(r.body.users.map((u: any) => u.email), ["ada.lovelace0@example.com"])
    }).pipe(withSim()))
})

describe("auth", () => {
  it.effect("no header, wrong key and wrong scheme are 401 code 2006; every response has X-Request-Id", () =>
    Effect.gen(function*() {
      for (const headers of [{}, { Authorization: "Token token=nope" }, { Authorization: "Basic Zm9vOmJhcg==" }]) {
        const r = yield* getJson("/incidents", headers)
        assert.strictEqual(r.status, 401)
        assert.strictEqual(r.body.error.code, 2006)
        assert.strictEqual(r.body.error.message, "Unauthorized")
        assert.match(r.headers["x-request-id"], /^sim-/)
      }
      const ok = yield* getJson("/incidents")
      assert.strictEqual(ok.status, 200)
      assert.strictEqual(ok.headers["ratelimit-limit"], "960")
      const sim = yield* Simulator.Simulator
      const recorded = yield* sim.requests
      assert.strictEqual(recorded.length, 4)
      assert.strictEqual(recorded[1].headers.authorization, "<redacted>")
      assert.deepStrictEqual(yield* sim.countsByEndpoint, { "GET /incidents": 4 })
    }).pipe(withSim()))

  it.effect("/users/me: 400 mentioning an account-level token, 200 with a user key", () =>
    Effect.gen(function*() {
      const account = yield* getJson("/users/me")
      assert.strictEqual(account.status, 400)
      assert.include(account.body.error, "account-level access token")
      const user = yield* getJson("/users/me", { Authorization: `Token token=${Simulator.DEFAULT_USER_API_KEY}` })
      assert.strictEqual(user.status, 200)
      assert.strictEqual(user.body.user.id, "PU00000")
    }).pipe(withSim()))
})

describe("incidents", () => {
  it.effect("create needs From; update, notes, log entries, multi-update and self URLs", () =>
    Effect.gen(function*() {
      const body = { incident: { type: "incident", title: "Checkout down", service: { id: "PV00000", type: "service_reference" } } }
      const noFrom = yield* sendJson("POST", "/incidents", body)
      assert.strictEqual(noFrom.status, 400)
      assert.include(noFrom.body.error.errors[0], "From")
      const created = yield* sendJson("POST", "/incidents", body, { ...AUTH, ...FROM })
      assert.strictEqual(created.status, 201)
      const inc = created.body.incident
      assert.strictEqual(inc.status, "triggered")
      assert.strictEqual(inc.self, `${API}/incidents/${inc.id}`)
      assert.strictEqual(inc.html_url, `https://acme.pagerduty.com/incidents/${inc.id}`)
      const ack = yield* sendJson("PUT", `/incidents/${inc.id}`, { incident: { type: "incident", status: "acknowledged" } }, { ...AUTH, ...FROM })
      assert.strictEqual(ack.body.incident.status, "acknowledged")
      assert.strictEqual(ack.body.incident.acknowledgements[0].acknowledger.id, "PU00000")
      const note = yield* sendJson("POST", `/incidents/${inc.id}/notes`, { note: { content: "looking" } }, { ...AUTH, ...FROM })
      assert.strictEqual(note.status, 201)
      const notes = yield* getJson(`/incidents/${inc.id}/notes`)
      assert.deepStrictEqual(notes.body.notes.map((n: any) => n.content), ["looking"])
      const multi = yield* sendJson("PUT", "/incidents", { incidents: [{ id: inc.id, type: "incident_reference", status: "resolved" }] }, { ...AUTH, ...FROM })
      assert.strictEqual(multi.body.incidents[0].status, "resolved")
      const again = yield* sendJson("PUT", `/incidents/${inc.id}`, { incident: { type: "incident", status: "acknowledged" } }, { ...AUTH, ...FROM })
      assert.strictEqual(again.status, 400)
      const log = yield* getJson(`/incidents/${inc.id}/log_entries`)
      assert.deepStrictEqual(log.body.log_entries.map((e: any) => e.type), ["trigger_log_entry", "acknowledge_log_entry", "annotate_log_entry", "resolve_log_entry"])
      const missing = yield* getJson("/incidents/QZZZZZZ")
      assert.strictEqual(missing.status, 404)
      assert.strictEqual(missing.body.error.code, 2100)
    }).pipe(withSim({ incidents: 3 })))

  it.effect("100 000 seeded incidents: a deep page and a single get are generated on demand", () =>
    Effect.gen(function*() {
      const r = yield* getJson("/incidents?date_range=all&limit=100&offset=9900&total=true")
      assert.strictEqual(r.body.total, 100_000)
      assert.strictEqual(r.body.incidents[0].incident_number, 9901)
      const one = yield* getJson(`/incidents/${r.body.incidents[5].id}`)
      assert.deepStrictEqual(one.body.incident, r.body.incidents[5])
      const last = yield* getJson("/incidents?date_range=all&sort_by=created_at:desc&limit=1")
      assert.strictEqual(last.body.incidents[0].incident_number, 100_000)
    }).pipe(withSim({ incidents: 100_000 })))
})

describe("other endpoints", () => {
  it.effect("abilities: 204 held, 402 missing, 404 unknown", () =>
    Effect.gen(function*() {
      assert.strictEqual((yield* getJson("/abilities/teams")).status, 204)
      assert.strictEqual((yield* getJson("/abilities/sso")).status, 402)
      assert.strictEqual((yield* getJson("/abilities/flying")).status, 404)
      const list = yield* getJson("/abilities")
      assert.include(list.body.abilities, "teams")
      assert.notInclude(list.body.abilities, "sso")
    }).pipe(withSim({ missingAbilities: ["sso"] })))

  it.effect("audit records follow next_cursor to the end, newest first", () =>
    Effect.gen(function*() {
      const ids: Array<string> = []
      let cursor: string | null = null
      let pages = 0
      do {
        const r: any = yield* getJson(`/audit/records?limit=4${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`)
        ids.push(...r.body.records.map((x: any) => x.id))
        cursor = r.body.next_cursor
        pages++
      } while (cursor !== null)
      // 3 teams + 10 users + 2 schedules + 5 policies + 5 services
      assert.strictEqual(ids.length, 25)
      assert.strictEqual(pages, 7)
      assert.strictEqual(new Set(ids).size, 25)
      assert.strictEqual(ids[0], "AR0000O")
    }).pipe(withSim()))

  it.effect("alert grouping settings page with after; analytics pages with starting_after", () =>
    Effect.gen(function*() {
      const p1 = yield* getJson("/alert_grouping_settings?limit=3")
      assert.strictEqual(p1.body.alert_grouping_settings.length, 3)
      const p2 = yield* getJson(`/alert_grouping_settings?limit=3&after=${p1.body.after}`)
      assert.strictEqual(p2.body.alert_grouping_settings.length, 2)
      assert.strictEqual(p2.body.after, null)
      const byService = yield* getJson("/alert_grouping_settings?service_ids[]=PV00001")
      assert.deepStrictEqual(byService.body.alert_grouping_settings.map((s: any) => s.services[0].id), ["PV00001"])

      const seen: Array<string> = []
      let after: string | undefined
      for (;;) {
        const r: any = yield* sendJson("POST", "/analytics/raw/incidents", { limit: 4, order: "asc", ...(after === undefined ? {} : { starting_after: after }) })
        assert.strictEqual(r.status, 200)
        seen.push(...r.body.data.map((d: any) => d.id))
        if (!r.body.more) break
        after = r.body.last
      }
      assert.strictEqual(seen.length, 10)
      assert.strictEqual(seen[0], "Q000000")
      assert.strictEqual(seen[9], "Q000009")
    }).pipe(withSim({ incidents: 10 })))

  it.effect("tags and priorities", () =>
    Effect.gen(function*() {
      const created = yield* sendJson("POST", "/tags", { tag: { type: "tag", label: "payments" } })
      assert.strictEqual(created.status, 201)
      const found = yield* getJson("/tags?query=pay")
      assert.deepStrictEqual(found.body.tags.map((t: any) => t.label), ["payments"])
      const p = yield* getJson("/priorities")
      assert.deepStrictEqual(p.body.priorities.map((x: any) => x.name), ["P1", "P2", "P3", "P4", "P5"])
    }).pipe(withSim()))
})
