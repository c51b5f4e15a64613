import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Simulator } from "../src/index.js"
import { EVENTS, getJson, sendJson, trigger } from "./helpers.js"

const withSim = (options: Simulator.Options = {}) => Effect.provide(Simulator.layer({ incidents: 0, now: "2026-03-01T00:00:00Z", ...options }))

describe("Events API v2", () => {
  it.effect("trigger twice with one dedup_key opens one incident; ack and resolve change it", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const a = yield* trigger("db-disk")
      const b = yield* trigger("db-disk")
      assert.strictEqual(a.status, 202)
      assert.deepStrictEqual(a.body, { status: "success", message: "Event processed", dedup_key: "db-disk" })
      assert.strictEqual(b.status, 202)
      assert.deepStrictEqual(yield* sim.eventsByDedupKey, { "db-disk": 2 })
      const open = yield* sim.state.incidents()
      assert.strictEqual(open.length, 1)
      assert.strictEqual(open[0].incident_key, "db-disk")
      assert.strictEqual(open[0].status, "triggered")
      assert.strictEqual(open[0].urgency, "high")
      const alerts = yield* getJson(`/incidents/${open[0].id}/alerts`)
      assert.strictEqual(alerts.body.alerts.length, 1)

      const ack = yield* sendJson("POST", `${EVENTS}/v2/enqueue`, { routing_key: Simulator.DEFAULT_ROUTING_KEY, event_action: "acknowledge", dedup_key: "db-disk" }, {})
      assert.strictEqual(ack.status, 202)
      assert.strictEqual((yield* sim.state.incidents())[0].status, "acknowledged")
      yield* sendJson("POST", `${EVENTS}/v2/enqueue`, { routing_key: Simulator.DEFAULT_ROUTING_KEY, event_action: "resolve", dedup_key: "db-disk" }, {})
      assert.strictEqual((yield* sim.state.incidents())[0].status, "resolved")
      // A trigger after resolution opens a new incident.
      yield* trigger("db-disk")
      assert.strictEqual((yield* sim.state.incidentCount), 2)
    }).pipe(withSim()))

  it.effect("dedup_key is generated when absent", () =>
    Effect.gen(function*() {
      const r = yield* trigger(undefined)
      assert.match(r.body.dedup_key, /^[0-9a-f]{32}$/)
    }).pipe(withSim()))

  it.effect("invalid events are 400 invalid event with specific errors, and change nothing", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const noKey = yield* sendJson("POST", `${EVENTS}/v2/enqueue`, { event_action: "trigger", payload: { summary: "x", source: "y", severity: "info" } }, {})
      assert.strictEqual(noKey.status, 400)
      assert.deepStrictEqual(noKey.body, { status: "invalid event", message: "Event object is invalid", errors: ["'routing_key' is missing or blank"] })
      const bad = yield* sendJson("POST", `${EVENTS}/v2/enqueue`, { routing_key: Simulator.DEFAULT_ROUTING_KEY, event_action: "trigger", payload: { severity: "fatal" } }, {})
      assert.deepStrictEqual(bad.body.errors, [
        "'payload.summary' is missing or blank",
        "'payload.source' is missing or blank",
        "'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')"
      ])
      const shortKey = yield* sendJson("POST", `${EVENTS}/v2/enqueue`, { routing_key: "abc", event_action: "resolve", dedup_key: "k" }, {})
      assert.deepStrictEqual(shortKey.body.errors, ["Length of 'routing_key' is incorrect (should be 32 characters)"])
      assert.strictEqual(yield* sim.state.incidentCount, 0)
      assert.deepStrictEqual(yield* sim.eventsByDedupKey, {})
    }).pipe(withSim()))

  it.effect("change events are stored and listed at GET /change_events", () =>
    Effect.gen(function*() {
      const r = yield* sendJson("POST", `${EVENTS}/v2/change/enqueue`, {
        routing_key: Simulator.routingKeyFor(1),
        payload: { summary: "Deploy v42", source: "ci", timestamp: "2026-02-28T12:00:00Z", custom_details: { sha: "abc" } }
      }, {})
      assert.strictEqual(r.status, 202)
      const list = yield* getJson("/change_events")
      assert.strictEqual(list.body.change_events.length, 1)
      const c = list.body.change_events[0]
      assert.strictEqual(c.summary, "Deploy v42")
      assert.strictEqual(c.timestamp, "2026-02-28T12:00:00Z")
      assert.deepStrictEqual(c.services, [{ id: "PV00001", type: "service_reference" }])
      assert.deepStrictEqual(c.custom_details, { sha: "abc" })
      const missing = yield* sendJson("POST", `${EVENTS}/v2/change/enqueue`, { routing_key: Simulator.DEFAULT_ROUTING_KEY, payload: {} }, {})
      assert.strictEqual(missing.status, 400)
    }).pipe(withSim()))
})

describe("Events API v1", () => {
  it.effect("trigger, acknowledge, resolve by incident_key; bad input is 400 invalid event", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const url = `${EVENTS}/generic/2010-04-15/create_event.json`
      const t = yield* sendJson("POST", url, { service_key: Simulator.DEFAULT_ROUTING_KEY, event_type: "trigger", incident_key: "srv01/HTTP", description: "HTTP down" }, {})
      assert.strictEqual(t.status, 200)
      assert.deepStrictEqual(t.body, { status: "success", message: "Event processed", incident_key: "srv01/HTTP" })
      const inc = (yield* sim.state.incidents())[0]
      assert.strictEqual(inc.title, "HTTP down")
      yield* sendJson("POST", url, { service_key: Simulator.DEFAULT_ROUTING_KEY, event_type: "acknowledge", incident_key: "srv01/HTTP" }, {})
      assert.strictEqual((yield* sim.state.incidents())[0].status, "acknowledged")
      yield* sendJson("POST", url, { service_key: Simulator.DEFAULT_ROUTING_KEY, event_type: "resolve", incident_key: "srv01/HTTP" }, {})
      assert.strictEqual((yield* sim.state.incidents())[0].status, "resolved")
      const bad = yield* sendJson("POST", url, { service_key: Simulator.DEFAULT_ROUTING_KEY, event_type: "explode" }, {})
      assert.strictEqual(bad.status, 400)
      assert.strictEqual(bad.body.status, "invalid event")
      assert.deepStrictEqual(bad.body.errors, ["Event type is invalid (must be one of: trigger, acknowledge, resolve)"])
      const generated = yield* sendJson("POST", url, { service_key: Simulator.DEFAULT_ROUTING_KEY, event_type: "trigger", description: "no key" }, {})
      assert.match(generated.body.incident_key, /^[0-9a-f]{32}$/)
    }).pipe(withSim()))
})
