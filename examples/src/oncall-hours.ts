/**
 * Hours on call per user last quarter, per schedule and in total.
 *
 *   pnpm exec tsc -b && node examples/dist/src/oncall-hours.js
 *
 * A calendar quarter has 90 to 92 days, longer than the 90 days one schedule request covers,
 * so `renderedEntries` asks in two windows and stitches the shift that crosses the edge back
 * into one. Entries are truncated to the quarter (`overflow` off), so hours count only time
 * inside it.
 *
 * With no `PAGERDUTY_API_KEY` it serves the PagerDuty simulator on 127.0.0.1, its clock at
 * 2026-01-15 (so "last quarter" is Q4 2025); with one, it asks your account.
 * `program` is exported so examples/test/oncall-examples.test.ts checks what it prints.
 */
import type { HttpClient } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { PagerDuty, RestApi, Schedules } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import { Chunk, Clock, Console, Effect, Layer, Redacted, Stream } from "effect"
import { pathToFileURL } from "node:url"

/** The calendar quarter before the one containing `now` (UTC): `[since, until)` and a label. */
export const lastQuarter = (now: number) => {
  const d = new Date(now)
  const q = Math.floor(d.getUTCMonth() / 3)
  const since = Date.UTC(d.getUTCFullYear(), (q - 1) * 3, 1)
  const until = Date.UTC(d.getUTCFullYear(), q * 3, 1)
  const start = new Date(since)
  return { since, until, label: `Q${Math.floor(start.getUTCMonth() / 3) + 1} ${start.getUTCFullYear()}` }
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/**
 * Prints hours per user for every schedule, then the totals; returns the printed lines.
 * `now` picks the quarter (default: the Effect `Clock`).
 */
export const program = (now?: Date) =>
  Effect.gen(function*() {
    const schedules = yield* Schedules.Schedules
    const lines: Array<string> = []
    const say = (line: string) => Effect.zipRight(Effect.sync(() => lines.push(line)), Console.log(line))

    const { label, since, until } = lastQuarter(now === undefined ? yield* Clock.currentTimeMillis : now.getTime())
    const list = Chunk.toReadonlyArray(yield* Stream.runCollect(PagerDuty.listSchedules()))
    yield* say(`On-call hours in ${label} (${day(since)} to ${day(until)}, ${Math.round((until - since) / 86_400_000)} days), ${list.length} schedules:`)

    const everything: Array<Schedules.Entry> = []
    for (const schedule of list) {
      const entries = yield* Schedules.collect(schedules.renderedEntries(schedule.id, { since, until, timeZone: "UTC" }))
      everything.push(...entries)
      const hours = Schedules.hoursOnCall(entries)
      yield* say(`${schedule.name} (${schedule.id}): ${entries.length} shifts`)
      for (const h of hours) yield* say(`  ${h.user.summary ?? h.user.id} (${h.user.id}): ${h.hours.toFixed(1)} h`)
    }
    yield* say("All schedules:")
    for (const h of Schedules.hoursOnCall(everything)) yield* say(`  ${h.user.summary ?? h.user.id} (${h.user.id}): ${h.hours.toFixed(1)} h`)
    return lines
  })

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const main: Effect.Effect<ReadonlyArray<string>, unknown, HttpClient.HttpClient> = process.env["PAGERDUTY_API_KEY"] === undefined
    ? Effect.scoped(
      Effect.gen(function*() {
        const now = new Date("2026-01-15T12:00:00Z")
        const served = yield* Simulator.serve({ incidents: 0, now })
        yield* Console.log(`PagerDuty simulator at ${served.url}`)
        return yield* Effect.provide(
          program(now),
          Schedules.layer.pipe(Layer.provideMerge(RestApi.layer({ apiKey: Redacted.make(Simulator.DEFAULT_API_KEY), baseUrl: served.url })))
        )
      })
    )
    : Effect.provide(program(), Schedules.layer.pipe(Layer.provideMerge(RestApi.layerConfig())))
  main.pipe(Effect.provide(NodeHttpClient.layerUndici), Effect.runPromise).catch((e) => {
    console.error(String(e))
    process.exit(1)
  })
}
