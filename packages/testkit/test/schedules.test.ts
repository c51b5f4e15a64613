import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Simulator } from "../src/index.js"
import { getJson, sendJson } from "./helpers.js"

const withSim = Effect.provide(Simulator.layer({ incidents: 0, schedules: 0, users: 3, now: "2026-03-02T00:00:00Z" }))
const entries = (list: ReadonlyArray<any>) => list.map((e) => [e.start, e.end, e.user.id])

/** A daily rotation of three users, on call 09:00-17:00 UTC only. */
const setup = Effect.gen(function*() {
  const sim = yield* Simulator.Simulator
  return yield* sim.state.addSchedule({
    name: "Business hours",
    layers: [{
      start: "2026-03-02T00:00:00Z",
      rotationVirtualStart: "2026-03-02T00:00:00Z",
      rotationTurnLengthSeconds: 86_400,
      users: ["PU00000", "PU00001", "PU00002"],
      restrictions: [{ type: "daily_restriction", startTimeOfDay: "09:00:00", durationSeconds: 8 * 3600 }]
    }]
  })
})

describe("schedules", () => {
  it.effect("restricted layer rotation, truncated at the window without overflow and whole with it", () =>
    Effect.gen(function*() {
      const s = yield* setup
      const clipped = yield* getJson(`/schedules/${s.id}?since=2026-03-02T12:00:00Z&until=2026-03-04T10:00:00Z`)
      assert.strictEqual(clipped.status, 200)
      const expected = [
        ["2026-03-02T12:00:00Z", "2026-03-02T17:00:00Z", "PU00000"],
        ["2026-03-03T09:00:00Z", "2026-03-03T17:00:00Z", "PU00001"],
        ["2026-03-04T09:00:00Z", "2026-03-04T10:00:00Z", "PU00002"]
      ]
      assert.deepStrictEqual(entries(clipped.body.schedule.final_schedule.rendered_schedule_entries), expected)
      assert.deepStrictEqual(entries(clipped.body.schedule.schedule_layers[0].rendered_schedule_entries), expected)
      const full = yield* getJson(`/schedules/${s.id}?since=2026-03-02T12:00:00Z&until=2026-03-04T10:00:00Z&overflow=true`)
      assert.deepStrictEqual(entries(full.body.schedule.final_schedule.rendered_schedule_entries), [
        ["2026-03-02T09:00:00Z", "2026-03-02T17:00:00Z", "PU00000"],
        ["2026-03-03T09:00:00Z", "2026-03-03T17:00:00Z", "PU00001"],
        ["2026-03-04T09:00:00Z", "2026-03-04T17:00:00Z", "PU00002"]
      ])
    }).pipe(withSim))

  it.effect("times render in the requested time_zone", () =>
    Effect.gen(function*() {
      const s = yield* setup
      const r = yield* getJson(`/schedules/${s.id}?since=2026-03-02T00:00:00Z&until=2026-03-03T00:00:00Z&time_zone=America/New_York`)
      assert.deepStrictEqual(entries(r.body.schedule.final_schedule.rendered_schedule_entries), [
        ["2026-03-02T04:00:00-05:00", "2026-03-02T12:00:00-05:00", "PU00000"]
      ])
    }).pipe(withSim))

  it.effect("overrides win over layers; POST answers per-override statuses; DELETE removes", () =>
    Effect.gen(function*() {
      const s = yield* setup
      const post = yield* sendJson("POST", `/schedules/${s.id}/overrides`, {
        overrides: [
          { start: "2026-03-03T12:00:00Z", end: "2026-03-03T14:00:00Z", user: { id: "PU00002", type: "user_reference" } },
          { start: "2026-03-03T12:00:00Z", end: "2026-03-03T11:00:00Z", user: { id: "PU00002", type: "user_reference" } }
        ]
      })
      assert.strictEqual(post.status, 201)
      assert.deepStrictEqual(post.body.map((x: any) => x.status), [201, 400])
      const overrideId = post.body[0].override.id
      const r = yield* getJson(`/schedules/${s.id}?since=2026-03-03T00:00:00Z&until=2026-03-04T00:00:00Z`)
      assert.deepStrictEqual(entries(r.body.schedule.final_schedule.rendered_schedule_entries), [
        ["2026-03-03T09:00:00Z", "2026-03-03T12:00:00Z", "PU00001"],
        ["2026-03-03T12:00:00Z", "2026-03-03T14:00:00Z", "PU00002"],
        ["2026-03-03T14:00:00Z", "2026-03-03T17:00:00Z", "PU00001"]
      ])
      const listed = yield* getJson(`/schedules/${s.id}/overrides?since=2026-03-03T00:00:00Z&until=2026-03-04T00:00:00Z`)
      assert.deepStrictEqual(listed.body.overrides.map((o: any) => o.id), [overrideId])
      const users = yield* getJson(`/schedules/${s.id}/users?since=2026-03-03T00:00:00Z&until=2026-03-04T00:00:00Z`)
      assert.deepStrictEqual(users.body.users.map((u: any) => u.id), ["PU00001", "PU00002"])
      const del = yield* sendJson("DELETE", `/schedules/${s.id}/overrides/${overrideId}`, undefined)
      assert.strictEqual(del.status, 204)
      const again = yield* getJson(`/schedules/${s.id}?since=2026-03-03T00:00:00Z&until=2026-03-04T00:00:00Z`)
      assert.deepStrictEqual(entries(again.body.schedule.final_schedule.rendered_schedule_entries), [["2026-03-03T09:00:00Z", "2026-03-03T17:00:00Z", "PU00001"]])
    }).pipe(withSim))

  it.effect("on-calls come from escalation policies and schedules, with filters and earliest", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const s = yield* setup
      const ep = yield* sim.state.addEscalationPolicy({
        name: "Business",
        rules: [[{ type: "schedule_reference", id: s.id }], [{ type: "user_reference", id: "PU00002" }]]
      })
      const r = yield* getJson(`/oncalls?escalation_policy_ids[]=${ep.id}&since=2026-03-02T10:00:00Z&until=2026-03-03T10:00:00Z`)
      assert.deepStrictEqual(r.body.oncalls.map((o: any) => [o.escalation_level, o.user.id, o.start, o.end, o.schedule?.id ?? null]), [
        [1, "PU00000", "2026-03-02T09:00:00Z", "2026-03-02T17:00:00Z", s.id],
        [1, "PU00001", "2026-03-03T09:00:00Z", "2026-03-03T17:00:00Z", s.id],
        [2, "PU00002", null, null, null]
      ])
      const byUser = yield* getJson(`/oncalls?escalation_policy_ids[]=${ep.id}&user_ids[]=PU00001&since=2026-03-02T00:00:00Z&until=2026-03-09T00:00:00Z&earliest=true`)
      assert.deepStrictEqual(byUser.body.oncalls.map((o: any) => o.start), ["2026-03-03T09:00:00Z"])
      const bySchedule = yield* getJson(`/oncalls?schedule_ids[]=${s.id}&since=2026-03-02T10:00:00Z&until=2026-03-02T11:00:00Z`)
      assert.deepStrictEqual(bySchedule.body.oncalls.map((o: any) => o.user.id), ["PU00000"])
    }).pipe(withSim))
})
