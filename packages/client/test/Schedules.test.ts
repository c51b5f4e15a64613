/**
 * `Schedules` against a scripted schedule server (precise stitching cases, request shapes,
 * validation with zero requests sent, decoding).
 */
import { assert, describe, it } from "@effect/vitest"
import type { HttpClient } from "@effect/platform"
import { Effect, Layer, Redacted, Schema, Stream } from "effect"
import * as RestSchemas from "../src/generated/RestSchemas.js"
import { RestApi, RetryPolicy, Schedules } from "../src/index.js"
import * as Mock from "./utils/mock.js"

const H = 3_600_000
const DAY = 24 * H
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + "Z"

type Shift = readonly [start: string, end: string, user: string]

/**
 * A schedule server over a fixed timeline: entries overlapping `[since, until)`, whole with
 * `overflow=true` and truncated otherwise (or always truncated with `ignoreOverflow`).
 */
const scheduleServer = (timeline: ReadonlyArray<Shift>, o: { readonly ignoreOverflow?: boolean; readonly extra?: Record<string, unknown> } = {}) =>
  Mock.layer((request) => {
    const url = new URL(request.url)
    if (request.method !== "GET" || url.pathname !== "/schedules/PSCHED1") return Mock.json({ error: { code: 2100, message: "Not Found" } }, 404)
    const since = Date.parse(url.searchParams.get("since")!)
    const until = Date.parse(url.searchParams.get("until")!)
    const overflow = url.searchParams.get("overflow") === "true" && o.ignoreOverflow !== true
    const entries = timeline
      .map(([s, e, u]) => [Date.parse(s), Date.parse(e), u] as const)
      .filter(([s, e]) => s < until && e > since)
      .map(([s, e, u]) => ({
        start: iso(overflow ? s : Math.max(s, since)),
        end: iso(overflow ? e : Math.min(e, until)),
        user: { id: u, type: "user_reference", summary: `User ${u}` },
        ...o.extra
      }))
    return Mock.json({
      schedule: {
        id: "PSCHED1",
        time_zone: "UTC",
        schedule_layers: [{ id: "PL1", rendered_schedule_entries: entries.slice(0, 1) }],
        overrides_subschedule: { rendered_schedule_entries: [] },
        final_schedule: { rendered_schedule_entries: entries }
      }
    })
  })

const Rest = RestApi.layer({ apiKey: Redacted.make("u+sched-key"), retry: RetryPolicy.make({ maxHttpRetries: 0, maxNetworkRetries: 0 }) })

const run = <A, E>(server: Layer.Layer<Mock.Requests | HttpClient.HttpClient>, f: (s: Schedules.SchedulesService) => Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const s = yield* Schedules.Schedules
    const result = yield* f(s)
    const requests = yield* Mock.recorded
    return { result, requests }
  }).pipe(Effect.provide(Schedules.layer.pipe(Layer.provideMerge(Rest), Layer.provideMerge(server))))

const shifts = (entries: ReadonlyArray<Schedules.Entry>) => entries.map((e) => [e.start, e.end, e.user.id])
const params = (r: Mock.Recorded) => Object.fromEntries(new URL(r.url).searchParams)

describe("renderedEntries (scripted server)", () => {
  const weekly: ReadonlyArray<Shift> = [
    ["2025-09-29T09:00:00Z", "2025-10-06T09:00:00Z", "PA"],
    ["2025-10-06T09:00:00Z", "2025-12-29T09:00:00Z", "PB"], // 12 weeks: crosses the 90-day edge
    ["2025-12-29T09:00:00Z", "2026-01-05T09:00:00Z", "PC"]
  ]

  it.effect("a quarter is fetched in two 90-day chunks with overflow=true and stitched; outer edges truncated", () =>
    Effect.gen(function*() {
      const { requests, result } = yield* run(scheduleServer(weekly), (s) =>
        Schedules.collect(s.renderedEntries("PSCHED1", { since: "2025-10-01T00:00:00Z", until: "2026-01-01T00:00:00Z" })))
      assert.deepStrictEqual(requests.map(params), [
        { since: "2025-10-01T00:00:00.000Z", until: "2025-12-30T00:00:00.000Z", overflow: "true" },
        { since: "2025-12-30T00:00:00.000Z", until: "2026-01-01T00:00:00.000Z", overflow: "true" }
      ])
      assert.deepStrictEqual(shifts(result), [
        ["2025-10-01T00:00:00Z", "2025-10-06T09:00:00Z", "PA"],
        ["2025-10-06T09:00:00Z", "2025-12-29T09:00:00Z", "PB"],
        ["2025-12-29T09:00:00Z", "2026-01-01T00:00:00Z", "PC"]
      ])
      assert.strictEqual(result[0]!.user.summary, "User PA")
    }))

  it.effect("windows are fetched lazily: taking the first entry of a year asks for one window", () =>
    Effect.gen(function*() {
      const { requests, result } = yield* run(scheduleServer(weekly), (s) =>
        Schedules.collect(Stream.take(s.renderedEntries("PSCHED1", { since: "2025-10-01T00:00:00Z", until: "2026-10-01T00:00:00Z" }), 1)))
      assert.deepStrictEqual(shifts(result), [["2025-10-01T00:00:00Z", "2025-10-06T09:00:00Z", "PA"]])
      assert.strictEqual(requests.length, 1)
    }))

  it.effect("overflow=true keeps the outer entries whole", () =>
    Effect.gen(function*() {
      const { result } = yield* run(scheduleServer(weekly), (s) =>
        Schedules.collect(s.renderedEntries("PSCHED1", { since: "2025-10-01T00:00:00Z", until: "2026-01-01T00:00:00Z", overflow: true })))
      assert.deepStrictEqual(shifts(result), weekly.map((w) => [...w]))
    }))

  it.effect("an entry spanning several chunk edges, and entries exactly at edges, appear once each", () =>
    Effect.gen(function*() {
      const timeline: ReadonlyArray<Shift> = [
        ["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "PA"], // ends exactly at the first chunk edge
        ["2026-01-02T00:00:00Z", "2026-01-05T12:00:00Z", "PB"], // spans the edges at Jan 3, 4 and 5
        ["2026-01-05T12:00:00Z", "2026-01-06T00:00:00Z", "PA"],
        ["2026-01-06T00:00:00Z", "2026-01-07T00:00:00Z", "PA"] // same user, starts exactly at an edge
      ]
      const { requests, result } = yield* run(scheduleServer(timeline), (s) =>
        Schedules.collect(s.renderedEntries("PSCHED1", { since: "2026-01-01T00:00:00Z", until: "2026-01-07T00:00:00Z", maxWindow: "1 day" })))
      assert.strictEqual(requests.length, 6)
      // the server itself renders the two PA shifts separately: they stay separate
      assert.deepStrictEqual(shifts(result), timeline.map((t) => [...t]))
    }))

  it.effect("a server that truncates at chunk edges anyway: the pieces are joined back", () =>
    Effect.gen(function*() {
      const timeline: ReadonlyArray<Shift> = [
        ["2026-01-01T00:00:00Z", "2026-01-01T06:00:00Z", "PA"],
        ["2026-01-01T06:00:00Z", "2026-01-04T06:00:00Z", "PB"],
        ["2026-01-04T06:00:00Z", "2026-01-05T00:00:00Z", "PC"]
      ]
      const { result } = yield* run(scheduleServer(timeline, { ignoreOverflow: true }), (s) =>
        Schedules.collect(s.renderedEntries("PSCHED1", { since: "2026-01-01T00:00:00Z", until: "2026-01-05T00:00:00Z", maxWindow: "1 day" })))
      assert.deepStrictEqual(shifts(result), timeline.map((t) => [...t]))
    }))

  it.effect("userIds filters entries; layer selects a layer's entries; unknown fields are kept", () =>
    Effect.gen(function*() {
      const { result } = yield* run(scheduleServer(weekly, { extra: { x_new_field: "kept" } }), (s) =>
        Effect.all({
          pb: Schedules.collect(s.renderedEntries("PSCHED1", { since: "2025-10-01T00:00:00Z", until: "2026-01-01T00:00:00Z", userIds: ["PB", "PZ"] })),
          layer0: Schedules.collect(s.renderedEntries("PSCHED1", { since: "2025-10-01T00:00:00Z", until: "2025-10-02T00:00:00Z", layer: 0 })),
          decoded: Schedules.collect(
            s.renderedEntries("PSCHED1", { since: "2025-10-01T00:00:00Z", until: "2026-01-01T00:00:00Z", schema: RestSchemas.ScheduleLayerEntry })
          )
        }))
      assert.deepStrictEqual(shifts(result.pb), [["2025-10-06T09:00:00Z", "2025-12-29T09:00:00Z", "PB"]])
      assert.deepStrictEqual(shifts(result.layer0), [["2025-10-01T00:00:00Z", "2025-10-02T00:00:00Z", "PA"]])
      assert.strictEqual(result.decoded.length, 3)
      assert.strictEqual(result.decoded[1]!["x_new_field"], "kept")
      assert.strictEqual(result.decoded[1]!.user?.summary, "User PB")
    }))

  it.effect("a schema mismatch is a ServerHttpError (SchemaMismatch); a missing layer is UnknownLayer", () =>
    Effect.gen(function*() {
      const Strict = Schema.Struct({ start: Schema.String, end: Schema.String, user: Schema.Struct({ id: Schema.Number }) })
      const { result } = yield* run(scheduleServer(weekly), (s) =>
        Effect.all({
          mismatch: Effect.flip(Schedules.collect(s.renderedEntries("PSCHED1", { since: "2025-10-01", until: "2025-10-10", schema: Strict }))),
          layer: Effect.flip(Schedules.collect(s.renderedEntries("PSCHED1", { since: "2025-10-01", until: "2025-10-10", layer: 3 })))
        }))
      assert.strictEqual(result.mismatch._tag, "ServerHttpError")
      assert.strictEqual(result.mismatch._tag === "ServerHttpError" && result.mismatch.reason, "SchemaMismatch")
      assert.strictEqual(result.layer._tag === "ScheduleQueryError" && result.layer.reason, "UnknownLayer")
    }))

  it.effect("a malformed entry is a ServerHttpError, not a defect", () =>
    Effect.gen(function*() {
      const bad = Mock.layer(() => Mock.json({ schedule: { final_schedule: { rendered_schedule_entries: [{ start: "2026-01-01T00:00:00Z", user: { id: "P1" } }] } } }))
      const { result } = yield* run(bad, (s) => Effect.flip(Schedules.collect(s.renderedEntries("PSCHED1", { since: "2026-01-01", until: "2026-01-02" }))))
      assert.strictEqual(result._tag, "ServerHttpError")
    }))

  it.effect("time_zone is sent and truncated bounds are rendered in it", () =>
    Effect.gen(function*() {
      const { requests, result } = yield* run(scheduleServer(weekly), (s) =>
        Schedules.collect(s.renderedEntries("PSCHED1", { since: "2025-10-01T00:00:00Z", until: "2025-10-08T00:00:00Z", timeZone: "America/New_York" })))
      assert.strictEqual(params(requests[0]!)["time_zone"], "America/New_York")
      assert.strictEqual(result[0]!.start, "2025-09-30T20:00:00-04:00")
      assert.strictEqual(result[result.length - 1]!.end, "2025-10-07T20:00:00-04:00")
    }))
})

describe("validation: typed errors, nothing sent", () => {
  const cases: ReadonlyArray<readonly [string, (s: Schedules.SchedulesService) => Effect.Effect<unknown, { readonly _tag: string }>, Schedules.ScheduleQueryReason]> = [
    ["until before since", (s) => Schedules.collect(s.renderedEntries("PSCHED1", { since: "2026-02-01", until: "2026-01-01" })), "InvalidRange"],
    ["until equal to since", (s) => Schedules.collect(s.renderedEntries("PSCHED1", { since: "2026-01-01", until: "2026-01-01T00:00:00Z" })), "InvalidRange"],
    ["invalid since", (s) => Schedules.collect(s.renderedEntries("PSCHED1", { since: "June 1st", until: "2026-01-01" })), "InvalidDate"],
    ["invalid Date", (s) => Schedules.collect(s.renderedEntries("PSCHED1", { since: new Date(Number.NaN), until: "2026-01-01" })), "InvalidDate"],
    ["missing until", (s) => Schedules.collect(s.renderedEntries("PSCHED1", { since: "2026-01-01" } as unknown as Schedules.RenderOptions)), "MissingArgument"],
    ["bad time zone", (s) => Schedules.collect(s.renderedEntries("PSCHED1", { since: "2026-01-01", until: "2026-01-02", timeZone: "Mars/Olympus" })), "InvalidTimeZone"],
    ["empty schedule id", (s) => Schedules.collect(s.renderedEntries("", { since: "2026-01-01", until: "2026-01-02" })), "InvalidId"],
    ["path in schedule id", (s) => Schedules.collect(s.renderedEntries("P1/../users", { since: "2026-01-01", until: "2026-01-02" })), "InvalidId"],
    ["bad user id", (s) => Schedules.collect(s.renderedEntries("PSCHED1", { since: "2026-01-01", until: "2026-01-02", userIds: ["PU1", "no way"] })), "InvalidId"],
    ["zero maxWindow", (s) => Schedules.collect(s.renderedEntries("PSCHED1", { since: "2026-01-01", until: "2026-01-02", maxWindow: 0 })), "InvalidOption"],
    ["negative layer", (s) => Schedules.collect(s.renderedEntries("PSCHED1", { since: "2026-01-01", until: "2026-01-02", layer: -1 })), "InvalidOption"],
    ["on-calls until before since", (s) => Schedules.collect(s.onCallsBetween({ since: "2026-01-02", until: "2026-01-01" })), "InvalidRange"],
    ["on-calls bad policy id", (s) => Schedules.collect(s.onCallsBetween({ since: "2026-01-01", until: "2026-01-02", escalationPolicyIds: [""] })), "InvalidId"],
    ["on-call now bad zone", (s) => Schedules.collect(s.onCallNow({ timeZone: "Nowhere/Land" })), "InvalidTimeZone"],
    ["on-call now page size", (s) => Schedules.collect(s.onCallNow({ pageSize: 101 })), "InvalidOption"],
    ["overrides until before since", (s) => s.listOverrides("PSCHED1", { since: "2026-01-02", until: "2026-01-01" }), "InvalidRange"],
    ["override end before start", (s) => s.createOverride("PSCHED1", { start: "2026-01-02", end: "2026-01-01", userId: "PU1" }), "InvalidRange"],
    ["override bad user", (s) => s.createOverride("PSCHED1", { start: "2026-01-01", end: "2026-01-02", userId: "" }), "InvalidId"],
    ["override bad zone", (s) => s.createOverride("PSCHED1", { start: "2026-01-01", end: "2026-01-02", userId: "PU1", timeZone: "UTC+99" }), "InvalidTimeZone"],
    ["no overrides", (s) => s.createOverrides("PSCHED1", []), "MissingArgument"],
    ["delete bad override id", (s) => s.deleteOverride("PSCHED1", "Q1?x=1"), "InvalidId"],
    ["users until before since", (s) => s.scheduleUsers("PSCHED1", { since: "2026-01-02", until: "2026-01-01" }), "InvalidRange"]
  ]
  for (const [name, call, reason] of cases) {
    it.effect(name, () =>
      Effect.gen(function*() {
        const { requests, result } = yield* run(scheduleServer([]), (s) => Effect.flip(call(s)))
        assert.strictEqual(result._tag, "ScheduleQueryError")
        assert.strictEqual((result as Schedules.ScheduleQueryError).reason, reason)
        assert.strictEqual(requests.length, 0)
      }))
  }
})

describe("on-calls (scripted server)", () => {
  /** 250 on-calls over 5 policies; classic pagination; records every request. */
  const rows = Array.from({ length: 250 }, (_, i) => ({
    escalation_policy: { id: `PE${i % 5}`, type: "escalation_policy_reference" },
    escalation_level: 1,
    schedule: { id: "PSCHED1", type: "schedule_reference" },
    user: { id: `PU${i % 7}`, type: "user_reference" },
    start: iso(Date.UTC(2026, 0, 1) + Math.floor(i / 5) * DAY),
    end: iso(Date.UTC(2026, 0, 1) + (Math.floor(i / 5) + 1) * DAY)
  }))
  const oncalls = Mock.layer((request) => {
    const url = new URL(request.url)
    const q = url.searchParams
    const since = q.get("since") === null ? Date.UTC(2026, 0, 1) : Date.parse(q.get("since")!)
    const until = q.get("until") === null ? since : Date.parse(q.get("until")!)
    const users = q.getAll("user_ids[]")
    const all = rows.filter((r) => Date.parse(r.start) <= until && Date.parse(r.end) >= since && (users.length === 0 || users.includes(r.user.id)))
    const limit = Number(q.get("limit") ?? 25)
    const offset = Number(q.get("offset") ?? 0)
    return Mock.json({ oncalls: all.slice(offset, offset + limit), limit, offset, more: offset + limit < all.length, total: null })
  })

  it.effect("more than 100 on-calls: every page, list filters as name[]", () =>
    Effect.gen(function*() {
      const { requests, result } = yield* run(oncalls, (s) =>
        Schedules.collect(s.onCallsBetween({ since: "2026-01-01T00:00:00Z", until: "2026-03-01T00:00:00Z", escalationPolicyIds: ["PE0", "PE1"], earliest: true })))
      assert.strictEqual(result.length, 250)
      assert.strictEqual(requests.length, 3)
      const q = new URL(requests[0]!.url).searchParams
      assert.deepStrictEqual(q.getAll("escalation_policy_ids[]"), ["PE0", "PE1"])
      assert.strictEqual(q.get("earliest"), "true")
      assert.strictEqual(q.get("limit"), "100")
      assert.deepStrictEqual(requests.map((r) => new URL(r.url).searchParams.get("offset") ?? "0"), ["0", "100", "200"])
    }))

  it.effect("a range longer than maxWindow is split and on-calls crossing windows are kept once", () =>
    Effect.gen(function*() {
      const { requests, result } = yield* run(oncalls, (s) =>
        Schedules.collect(s.onCallsBetween({ since: "2026-01-01T00:00:00Z", until: "2026-03-01T00:00:00Z", maxWindow: "10 days", userIds: ["PU3"] })))
      const expected = rows.filter((r) => r.user.id === "PU3")
      assert.deepStrictEqual(result.map((r) => [r.escalation_policy.id, r.start]), expected.map((r) => [r.escalation_policy.id, r.start]))
      assert.strictEqual(requests.length, 6)
    }))

  it.effect("onCallNow sends no window (the server's now), or since=until=at; decodes with a schema", () =>
    Effect.gen(function*() {
      const { requests, result } = yield* run(oncalls, (s) =>
        Effect.all([
          Schedules.collect(s.onCallNow()),
          Schedules.collect(s.onCallNow({ at: "2026-01-03T12:00:00Z", schema: RestSchemas.Oncall }))
        ]))
      assert.isNull(new URL(requests[0]!.url).searchParams.get("since"))
      assert.deepStrictEqual(result[0].map((r) => r.start), rows.filter((r) => r.start <= "2026-01-01T00:00:00Z").map((r) => r.start))
      const q = new URL(requests[requests.length - 1]!.url).searchParams
      assert.deepStrictEqual([q.get("since"), q.get("until")], ["2026-01-03T12:00:00.000Z", "2026-01-03T12:00:00.000Z"])
      assert.isTrue(result[1].every((r) => r.start! <= "2026-01-03T12:00:00Z" && r.end! >= "2026-01-03T12:00:00Z"))
      assert.strictEqual(result[1].length, 5)
    }))
})

describe("hoursOnCall", () => {
  it("sums hours per user, most first", () => {
    const u = (id: string) => ({ id, summary: id })
    const hours = Schedules.hoursOnCall([
      { start: "2026-01-01T00:00:00Z", end: "2026-01-01T12:00:00Z", user: u("PB") },
      { start: "2026-01-01T12:00:00Z", end: "2026-01-02T12:00:00Z", user: u("PA") },
      { start: "2026-01-02T12:00:00+01:00", end: "2026-01-02T18:00:00Z", user: u("PB") }
    ])
    assert.deepStrictEqual(hours.map((h) => [h.user.id, h.hours, h.entries]), [["PA", 24, 1], ["PB", 19, 2]])
  })
})
