/**
 * Who is on call for each escalation policy right now, level by level.
 *
 *   pnpm exec tsc -b && node examples/dist/src/oncall-now.js
 *
 * With no `PAGERDUTY_API_KEY` it serves the PagerDuty simulator on 127.0.0.1 (no account, no
 * network); with one, it asks your account (`PAGERDUTY_BASE_URL`, `PAGERDUTY_REGION` apply).
 * `program` is exported so examples/test/oncall-examples.test.ts checks what it prints.
 */
import type { HttpClient } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { PagerDuty, RestApi, Schedules } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import { Chunk, Console, Effect, Layer, Redacted, Stream } from "effect"
import { pathToFileURL } from "node:url"

/** Prints one block per escalation policy; returns the printed lines. */
export const program = Effect.gen(function*() {
  const schedules = yield* Schedules.Schedules
  const lines: Array<string> = []
  const say = (line: string) => Effect.zipRight(Effect.sync(() => lines.push(line)), Console.log(line))

  const policies = Chunk.toReadonlyArray(yield* Stream.runCollect(PagerDuty.listEscalationPolicies()))
  // one paginated stream of every on-call now (the server's current time)
  const oncalls = yield* Schedules.collect(schedules.onCallNow())

  yield* say(`On call now, ${policies.length} escalation policies:`)
  for (const policy of policies) {
    yield* say(`${policy.name} (${policy.id})`)
    const rows = oncalls
      .filter((o) => o.escalation_policy.id === policy.id)
      .sort((a, b) => a.escalation_level - b.escalation_level || (a.user.id < b.user.id ? -1 : 1))
    if (rows.length === 0) yield* say("  nobody")
    for (const o of rows) {
      const via = o.schedule === null ? "directly" : `via ${o.schedule.summary ?? o.schedule.id} until ${o.end}`
      yield* say(`  level ${o.escalation_level}: ${o.user.summary ?? o.user.id} (${o.user.id}) ${via}`)
    }
  }
  return lines
})

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const main: Effect.Effect<ReadonlyArray<string>, unknown, HttpClient.HttpClient> = process.env["PAGERDUTY_API_KEY"] === undefined
    ? Effect.scoped(
      Effect.gen(function*() {
        const served = yield* Simulator.serve({ incidents: 0 })
        yield* Console.log(`PagerDuty simulator at ${served.url}`)
        return yield* Effect.provide(
          program,
          Schedules.layer.pipe(Layer.provideMerge(RestApi.layer({ apiKey: Redacted.make(Simulator.DEFAULT_API_KEY), baseUrl: served.url })))
        )
      })
    )
    : Effect.provide(program, Schedules.layer.pipe(Layer.provideMerge(RestApi.layerConfig())))
  main.pipe(Effect.provide(NodeHttpClient.layerUndici), Effect.runPromise).catch((e) => {
    console.error(String(e))
    process.exit(1)
  })
}
