/**
 * `Schedules` end to end against the testkit simulator, whose schedules are computed from
 * layers, rotations, restrictions and overrides: chunked rendering equals one unchunked
 * request, on-calls are paginated and follow the clock, overrides round-trip.
 */
import { Simulator } from "@effect-pagerduty/testkit"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted, Schema, TestClock } from "effect"
import * as RestSchemas from "../src/generated/RestSchemas.js"
import { RestApi, Schedules } from "../src/index.js"

const NOW = "2026-01-15T12:00:00Z"
const DAY = 86_400_000
const WEEK = 7 * DAY

const Live = (options: Simulator.Options = {}) =>
  Schedules.layer.pipe(
    Layer.provideMerge(RestApi.layer({ apiKey: Redacted.make(Simulator.DEFAULT_API_KEY) })),
    Layer.provideMerge(Simulator.layer({ incidents: 0, now: NOW, ...options }))
  )

const shifts = (entries: ReadonlyArray<Schedules.Entry>) => entries.map((e) => `${e.start} ${e.end} ${e.user.id}`)

/** A restricted daily rotation plus a weekly layer under it, and a 40-day override. */
const busySchedule = Effect.gen(function*() {
  const sim = yield* Simulator.Simulator
  const s = yield* sim.state.addSchedule({
    name: "Busy",
    timeZone: "Europe/Paris",
    layers: [
      {
        start: "2025-09-01T00:00:00Z",
        rotationVirtualStart: "2025-09-01T06:00:00Z",
        rotationTurnLengthSeconds: 86_400,
        users: ["PU00000", "PU00001", "PU00002"],
        restrictions: [{ type: "daily_restriction", startTimeOfDay: "08:00:00", durationSeconds: 10 * 3600 }]
      },
      {
        start: "2025-09-01T00:00:00Z",
        rotationVirtualStart: "2025-09-01T09:00:00Z",
        rotationTurnLengthSeconds: 7 * 86_400,
        users: ["PU00003", "PU00004"]
      }
    ]
  })
  yield* sim.state.addOverride(s.id, { start: "2025-10-20T00:00:00Z", end: "2025-11-29T00:00:00Z", userId: "PU00005" })
  return s.id
})

describe("Schedules against the simulator", () => {
  it.effect("chunked rendering over 7 windows equals one unchunked request, overflow off and on", () =>
    Effect.gen(function*() {
      const id = yield* busySchedule
      const sim = yield* Simulator.Simulator
      const schedules = yield* Schedules.Schedules
      const window = { since: "2025-10-01T03:00:00Z", until: "2026-01-01T03:00:00Z" }
      for (const overflow of [false, true]) {
        const before = (yield* sim.countsByEndpoint)["GET /schedules/{id}"] ?? 0
        const chunked = yield* Schedules.collect(schedules.renderedEntries(id, { ...window, overflow, maxWindow: "14 days" }))
        const after = (yield* sim.countsByEndpoint)["GET /schedules/{id}"] ?? 0
        assert.strictEqual(after - before, 7)
        const single = yield* Schedules.collect(schedules.renderedEntries(id, { ...window, overflow, maxWindow: "365 days" }))
        assert.deepStrictEqual(shifts(chunked), shifts(single))
        assert.isAbove(chunked.length, 100)
        // the 40-day override crosses two 14-day edges and comes back once, whole
        assert.deepStrictEqual(chunked.filter((e) => e.user.id === "PU00005").map((e) => [e.start, e.end]), [["2025-10-20T02:00:00+02:00", "2025-11-29T01:00:00+01:00"]])
        // outer edges: truncated without overflow, whole with it
        const first = chunked[0]!
        if (overflow) assert.isBelow(Date.parse(first.start), Date.parse(window.since))
        else assert.strictEqual(Date.parse(first.start), Date.parse(window.since))
      }
    }).pipe(Effect.provide(Live())))

  it.effect("stitched entries equal the simulator's own unchunked rendering; userIds filters", () =>
    Effect.gen(function*() {
      const id = yield* busySchedule
      const pd = yield* RestApi.RestApiService
      const schedules = yield* Schedules.Schedules
      const window = { since: "2025-10-10T00:00:00Z", until: "2025-12-10T00:00:00Z" }
      const raw = (yield* pd.rget(`/schedules/${id}`, { params: window })) as { final_schedule: { rendered_schedule_entries: ReadonlyArray<Schedules.Entry> } }
      const reference = raw.final_schedule.rendered_schedule_entries
      const chunked = yield* Schedules.collect(schedules.renderedEntries(id, { ...window, maxWindow: "5 days" }))
      assert.deepStrictEqual(shifts(chunked), shifts(reference))
      const only = yield* Schedules.collect(schedules.renderedEntries(id, { ...window, maxWindow: "5 days", userIds: ["PU00001", "PU00004"] }))
      assert.deepStrictEqual(shifts(only), shifts(reference.filter((e) => e.user.id === "PU00001" || e.user.id === "PU00004")))
      assert.isAbove(only.length, 0)
    }).pipe(Effect.provide(Live())))

  it.effect("decodes simulator entries and on-calls with the generated schemas; unknown fields are kept", () =>
    Effect.gen(function*() {
      const schedules = yield* Schedules.Schedules
      const entries = yield* Schedules.collect(
        schedules.renderedEntries("PC00000", { since: "2026-01-01T00:00:00Z", until: "2026-01-20T00:00:00Z", schema: RestSchemas.ScheduleLayerEntry })
      )
      assert.isAbove(entries.length, 1)
      assert.match(entries[0]!.user?.self ?? "", /\/users\/PU0000\d$/)
      // a narrow schema: fields it does not name are kept, not dropped
      const Narrow = Schema.Struct({ start: Schema.String }, Schema.Record({ key: Schema.String, value: Schema.Unknown }))
      const narrow = yield* Schedules.collect(schedules.renderedEntries("PC00000", { since: "2026-01-01T00:00:00Z", until: "2026-01-20T00:00:00Z", schema: Narrow }))
      assert.deepStrictEqual(Object.keys(narrow[0]!).sort(), ["end", "start", "user"])
      const oncalls = yield* Schedules.collect(schedules.onCallNow({ schema: RestSchemas.Oncall }))
      assert.isAbove(oncalls.length, 0)
      assert.isTrue(oncalls.every((o) => typeof o.escalation_policy?.id === "string"))
    }).pipe(Effect.provide(Live())))

  it.effect("more than 100 on-calls over two months: all pages, each once", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const schedules = yield* Schedules.Schedules
      const since = Date.parse("2026-01-01T00:00:00Z")
      const until = Date.parse("2026-03-01T00:00:00Z")
      const all = yield* Schedules.collect(schedules.onCallsBetween({ since, until }))
      // independent count: 20 policies, each one row for its direct user, plus every weekly turn
      // of its schedule (both seeded rotations start on the same Monday 09:00) overlapping the range
      const d = new Date(Date.parse(NOW) - 28 * DAY)
      const monday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7), 9)
      let turns = 0
      for (let k = 0; monday + k * WEEK < until; k++) if (monday + (k + 1) * WEEK > since) turns++
      assert.strictEqual(all.length, 20 * (turns + 1))
      assert.isAbove(all.length, 100)
      assert.strictEqual(new Set(all.map((o) => JSON.stringify([o.escalation_policy.id, o.escalation_level, o.user.id, o.start]))).size, all.length)
      assert.strictEqual((yield* sim.countsByEndpoint)["GET /oncalls"], Math.ceil(all.length / 100))
      // split into 10-day windows, the same on-calls come back once each
      const windowed = yield* Schedules.collect(schedules.onCallsBetween({ since, until, maxWindow: "10 days" }))
      assert.strictEqual(windowed.length, all.length)
    }).pipe(Effect.provide(Live({ services: 20 }))))

  it.effect("onCallNow follows the clock: a week later the next user of the rotation is on call", () =>
    Effect.gen(function*() {
      const schedules = yield* Schedules.Schedules
      const levelOne = Effect.map(
        Schedules.collect(schedules.onCallNow({ escalationPolicyIds: ["PE00000"] })),
        (rows) => rows.filter((r) => r.escalation_level === 1).map((r) => r.user.id)
      )
      const now = yield* levelOne
      yield* TestClock.adjust("7 days")
      const later = yield* levelOne
      const members = ["PU00000", "PU00001", "PU00002"]
      assert.strictEqual(now.length, 1)
      assert.strictEqual(later[0], members[(members.indexOf(now[0]!) + 1) % 3])
    }).pipe(Effect.provide(Live())))

  it.effect("overrides: create, list, see them rendered, delete; a rejected override is typed", () =>
    Effect.gen(function*() {
      const schedules = yield* Schedules.Schedules
      const created = yield* schedules.createOverride("PC00000", { start: "2026-01-16T00:00:00Z", end: "2026-01-17T00:00:00Z", userId: "PU00007" })
      assert.strictEqual(created.user?.id, "PU00007")
      const listed = yield* schedules.listOverrides("PC00000", { since: "2026-01-15T00:00:00Z", until: "2026-01-20T00:00:00Z" })
      assert.deepStrictEqual(listed.map((o) => o.id), [created.id])
      const rendered = yield* Schedules.collect(schedules.renderedEntries("PC00000", { since: "2026-01-16T00:00:00Z", until: "2026-01-17T00:00:00Z" }))
      assert.deepStrictEqual(shifts(rendered), ["2026-01-16T00:00:00Z 2026-01-17T00:00:00Z PU00007"])
      const users = yield* schedules.scheduleUsers("PC00000", { since: "2026-01-16T00:00:00Z", until: "2026-01-17T00:00:00Z" })
      assert.deepStrictEqual(users.map((u) => u["id"]), ["PU00007"])
      yield* schedules.deleteOverride("PC00000", created.id!)
      assert.deepStrictEqual(yield* schedules.listOverrides("PC00000", { since: "2026-01-15T00:00:00Z", until: "2026-01-20T00:00:00Z" }), [])
      const rejected = yield* Effect.flip(schedules.createOverride("PC00000", { start: "2026-01-16T00:00:00Z", end: "2026-01-17T00:00:00Z", userId: "PU99999" }))
      assert.strictEqual(rejected._tag, "OverrideRejectedError")
      assert.strictEqual(rejected._tag === "OverrideRejectedError" && rejected.status, 400)
      const missing = yield* Effect.flip(schedules.deleteOverride("PC00000", created.id!))
      assert.strictEqual(missing._tag === "HttpError" && missing.status, 404)
    }).pipe(Effect.provide(Live())))
})
