/**
 * REST API v2: every log entry of a time window, past the 10 000 cap of classic pagination.
 *
 * Without PAGERDUTY_API_KEY it runs against the testkit simulator, served on 127.0.0.1 by this
 * process with 12 000 incidents (over 25 000 log entries in 28 days); with it, against that
 * account:
 *
 *   node examples/dist/src/rest-history.js
 *   PAGERDUTY_API_KEY=... [PAGERDUTY_BASE_URL=...] node examples/dist/src/rest-history.js 2025-01-01T00:00:00Z 2025-02-01T00:00:00Z
 */
import type { HttpClient } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Pagination, RestApi } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import * as RestSchemas from "@effect-pagerduty/client/generated/RestSchemas"
import { Console, Effect, Redacted, Stream } from "effect"
import { pathToFileURL } from "node:url"

/** Counts log entries per type between `since` and `until`; ids are checked to be unique. */
export const program = (since: string, until: string) =>
  Effect.gen(function*() {
    const pd = yield* RestApi.RestApiService
    const byType = new Map<string, number>()
    const ids = new Set<string>()
    // iterHistory has no typed twin (it bisects the time window); the generated schema types its items
    const count = yield* pd.iterHistory("/log_entries", { since, until, params: { is_overview: true }, schema: RestSchemas.LogEntry }).pipe(
      Stream.tap((entry) =>
        Effect.sync(() => {
          ids.add(entry.id)
          byType.set(entry.type, (byType.get(entry.type) ?? 0) + 1)
        })
      ),
      Stream.runCount,
      // plain iterAll would stop at 10 000 with this typed error
      Effect.catchTag("PaginationLimitError", (e: Pagination.PaginationLimitError) => Effect.die(e))
    )
    yield* Console.log(`${count} log entries (${ids.size} distinct)`)
    for (const [type, n] of byType) yield* Console.log(`  ${type}: ${n}`)
    return { count, distinct: ids.size, byType: Object.fromEntries(byType) }
  })

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const main: Effect.Effect<unknown, unknown, HttpClient.HttpClient> = process.env["PAGERDUTY_API_KEY"] === undefined
    ? Effect.scoped(
      Effect.gen(function*() {
        const now = "2026-01-01T00:00:00Z"
        const served = yield* Simulator.serve({ incidents: 12_000, now })
        yield* Console.log(`PagerDuty simulator at ${served.url}`)
        return yield* Effect.provide(
          program(process.argv[2] ?? "2025-12-01T00:00:00Z", process.argv[3] ?? now),
          RestApi.layer({ apiKey: Redacted.make(Simulator.DEFAULT_API_KEY), baseUrl: served.url })
        )
      })
    )
    : Effect.provide(program(process.argv[2] ?? "2025-01-01T00:00:00Z", process.argv[3] ?? "2025-02-01T00:00:00Z"), RestApi.layerConfig())
  main.pipe(Effect.provide(NodeHttpClient.layerUndici), Effect.runPromise).catch((e) => {
    console.error(String(e))
    process.exit(1)
  })
}
