/**
 * Runs the on-call examples against the in-memory simulator and checks their figures against
 * values computed here, independently, from the seeded rotation definitions (read over the
 * REST API: layer start, rotation start, turn length, users; escalation rules; user names).
 */
import { RestApi, Schedules } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import * as Hours from "../src/oncall-hours.js"
import * as Now from "../src/oncall-now.js"

const NOW = "2026-01-15T12:00:00Z"

const Live = Schedules.layer.pipe(
  Layer.provideMerge(RestApi.layer({ apiKey: Redacted.make(Simulator.DEFAULT_API_KEY) })),
  Layer.provideMerge(Simulator.layer({ incidents: 0, now: NOW }))
)

interface Rotation {
  readonly id: string
  readonly name: string
  readonly start: number
  readonly virtualStart: number
  readonly turnMs: number
  readonly users: ReadonlyArray<string>
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + "Z"

/** The seeded definitions, as plain data. */
const definitions = Effect.gen(function*() {
  const pd = yield* RestApi.RestApiService
  const users = (yield* pd.listAll("/users")) as ReadonlyArray<{ id: string; name: string }>
  const names = new Map(users.map((u) => [u.id, u.name]))
  const list = (yield* pd.listAll("/schedules")) as ReadonlyArray<{ id: string; name: string }>
  const rotations: Array<Rotation> = []
  for (const s of list) {
    const full = (yield* pd.rget(`/schedules/${s.id}`)) as { schedule_layers: ReadonlyArray<any> }
    assert.strictEqual(full.schedule_layers.length, 1)
    const layer = full.schedule_layers[0]
    assert.deepStrictEqual(layer.restrictions, [])
    rotations.push({
      id: s.id,
      name: s.name,
      start: Date.parse(layer.start),
      virtualStart: Date.parse(layer.rotation_virtual_start),
      turnMs: layer.rotation_turn_length_seconds * 1000,
      users: layer.users.map((u: any) => u.user.id)
    })
  }
  const policies = (yield* pd.listAll("/escalation_policies")) as ReadonlyArray<any>
  return { names, rotations, policies }
})

describe("on-call examples", () => {
  it.effect("oncall-now: for each policy, the schedule's current turn at level 1 and the direct user at level 2", () =>
    Effect.gen(function*() {
      const { names, policies, rotations } = yield* definitions
      const now = Date.parse(NOW)
      const expected: Array<string> = [`On call now, ${policies.length} escalation policies:`]
      for (const p of policies) {
        expected.push(`${p.name} (${p.id})`)
        p.escalation_rules.forEach((rule: any, i: number) => {
          for (const t of rule.targets) {
            if (t.type === "user_reference") {
              expected.push(`  level ${i + 1}: ${names.get(t.id)} (${t.id}) directly`)
            } else {
              const r = rotations.find((x) => x.id === t.id)!
              const k = Math.floor((now - r.virtualStart) / r.turnMs)
              const user = r.users[k % r.users.length]!
              expected.push(`  level ${i + 1}: ${names.get(user)} (${user}) via ${r.name} until ${iso(r.virtualStart + (k + 1) * r.turnMs)}`)
            }
          }
        })
      }
      assert.strictEqual(policies.length, 5)
      const lines = yield* Now.program
      assert.deepStrictEqual(lines, expected)
    }).pipe(Effect.provide(Live)))

  it.effect("oncall-hours: hours per user in Q4 2025, the shift across the 90-day chunk edge counted once", () =>
    Effect.gen(function*() {
      const { names, rotations } = yield* definitions
      const sim = yield* Simulator.Simulator
      const since = Date.UTC(2025, 9, 1)
      const until = Date.UTC(2026, 0, 1)
      const expected: Array<string> = [`On-call hours in Q4 2025 (2025-10-01 to 2026-01-01, 92 days), ${rotations.length} schedules:`]
      const total = new Map<string, number>()
      const lines = (hours: Map<string, number>) =>
        [...hours.entries()]
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .map(([id, ms]) => `  ${names.get(id)} (${id}): ${(ms / 3_600_000).toFixed(1)} h`)
      for (const r of rotations) {
        const hours = new Map<string, number>()
        let shifts = 0
        for (let k = Math.floor((since - r.virtualStart) / r.turnMs); r.virtualStart + k * r.turnMs < until; k++) {
          const start = Math.max(r.virtualStart + k * r.turnMs, r.start, since)
          const end = Math.min(r.virtualStart + (k + 1) * r.turnMs, until)
          if (end <= start) continue
          const user = r.users[((k % r.users.length) + r.users.length) % r.users.length]!
          shifts++
          hours.set(user, (hours.get(user) ?? 0) + end - start)
          total.set(user, (total.get(user) ?? 0) + end - start)
        }
        expected.push(`${r.name} (${r.id}): ${shifts} shifts`, ...lines(hours))
      }
      expected.push("All schedules:", ...lines(total))

      const before = (yield* sim.countsByEndpoint)["GET /schedules/{id}"] ?? 0
      const printed = yield* Hours.program(new Date(NOW))
      const after = (yield* sim.countsByEndpoint)["GET /schedules/{id}"] ?? 0
      assert.deepStrictEqual(printed, expected)
      // 92 days > 90: two windows per schedule
      assert.strictEqual(after - before, 2 * rotations.length)
      // the seeded rotations started mid-December: the figures are not all zero
      assert.isAbove(total.size, 1)
    }).pipe(Effect.provide(Live)))

  it("lastQuarter: the previous calendar quarter, across a year boundary", () => {
    assert.deepStrictEqual(Hours.lastQuarter(Date.UTC(2026, 0, 15)), { since: Date.UTC(2025, 9, 1), until: Date.UTC(2026, 0, 1), label: "Q4 2025" })
    assert.deepStrictEqual(Hours.lastQuarter(Date.UTC(2026, 7, 31)), { since: Date.UTC(2026, 3, 1), until: Date.UTC(2026, 6, 1), label: "Q2 2026" })
  })
})
