/**
 * Runs the REST examples against the testkit simulator (`Simulator.layer`, in memory), checking
 * what they print against the simulator's own state and recordings.
 */
import { RestApi } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import * as History from "../src/rest-history.js"
import * as Listing from "../src/rest-listing.js"
import * as Writes from "../src/rest-writes.js"

const ADA = "ada.lovelace0@example.com"

const Live = (options: Simulator.Options) =>
  RestApi.layer({ apiKey: Redacted.make(Simulator.DEFAULT_API_KEY), defaultFrom: ADA }).pipe(
    Layer.provideMerge(Simulator.layer(options))
  )

describe("REST examples on the simulator", () => {
  it.effect("rest-listing: lists, counts, streams typed items and finds by email", () =>
    Effect.gen(function*() {
      const lines = yield* Listing.program
      const sim = yield* Simulator.Simulator
      const users = yield* sim.state.users
      const triggered = yield* sim.state.incidents({ statuses: ["triggered"] })
      const open = (yield* sim.state.incidents({ statuses: ["triggered", "acknowledged"] })).slice(0, 3)
      assert.strictEqual(open.length, 3)
      assert.deepStrictEqual(lines, [
        `users: ${users.length}`,
        `triggered incidents: ${triggered.length}`,
        "first 3 open incidents (triggered or acknowledged):",
        ...open.map((i) => `  ${i.id} ${i.status}: ${i.title}`),
        "found by email: true"
      ])
      // the typed stream stopped after the page holding its first three items
      const counts = yield* sim.countsByEndpoint
      assert.strictEqual(counts["GET /incidents"], 2) // getTotal + one page
    }).pipe(Effect.provide(Live({ incidents: 250, users: 12 }))))

  it.effect("rest-writes: creates, acknowledges with a multi-update, persists idempotently", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const before = yield* sim.state.incidentCount
      const lines = yield* Writes.program("PV00001")
      const all = yield* sim.state.incidents()
      assert.strictEqual(all.length, before + 1)
      const created = all[all.length - 1]!
      assert.deepStrictEqual(lines, [
        `created ${created.id} (triggered)`,
        "acknowledged 1",
        "status now acknowledged",
        "persist is idempotent: true"
      ])
      assert.strictEqual(created.status, "acknowledged")
      assert.strictEqual(created.service.id, "PV00001")
      assert.strictEqual((yield* sim.state.users).filter((u) => u.email === "ada@example.com").length, 1)
      const counts = yield* sim.countsByEndpoint
      assert.strictEqual(counts["POST /incidents"], 1)
      assert.strictEqual(counts["PUT /incidents"], 1)
      assert.strictEqual(counts["POST /users"], 1)
    }).pipe(Effect.provide(Live({ incidents: 10 }))))

  it.effect("rest-history: every log entry of a window past the 10 000 cap, each once", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const now = (yield* sim.now).toISOString()
      const result = yield* History.program("2025-12-01T00:00:00Z", now)
      assert.isAbove(result.count, 10_000)
      assert.strictEqual(result.distinct, result.count)
      assert.strictEqual(Object.values(result.byType).reduce((a, b) => a + b, 0), result.count)
      // one trigger entry per incident, and a resolve entry per incident resolved inside the window
      const incidents = yield* sim.state.incidents()
      assert.strictEqual(result.byType["trigger_log_entry"], incidents.length)
      const resolvedBefore = incidents.filter((i) => typeof i["resolved_at"] === "string" && i["resolved_at"] < now.replace(".000Z", "Z"))
      assert.strictEqual(result.byType["resolve_log_entry"], resolvedBefore.length)
      // and no page request ever hit the cap
      assert.isTrue((yield* sim.requests).every((r) => r.status === 200))
    }).pipe(Effect.provide(Live({ incidents: 7_000, maxRecordedRequests: 100_000 }))))
})
