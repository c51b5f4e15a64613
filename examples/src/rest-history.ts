/**
 * REST API v2: every log entry of a time window, past the 10 000 cap of classic pagination.
 *
 *   PAGERDUTY_API_KEY=... [PAGERDUTY_BASE_URL=...] node examples/dist/src/rest-history.js 2025-01-01T00:00:00Z 2025-02-01T00:00:00Z
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Pagination, RestApi } from "@effect-pagerduty/client"
import { Console, Effect, Stream } from "effect"
import { pathToFileURL } from "node:url"

/** Counts log entries per type between `since` and `until`; ids are checked to be unique. */
export const program = (since: string, until: string) =>
  Effect.gen(function*() {
    const pd = yield* RestApi.RestApiService
    const byType = new Map<string, number>()
    const ids = new Set<string>()
    const count = yield* pd.iterHistory("/log_entries", { since, until, params: { is_overview: true } }).pipe(
      Stream.tap((entry) =>
        Effect.sync(() => {
          const e = entry as { readonly id: string; readonly type: string }
          ids.add(e.id)
          byType.set(e.type, (byType.get(e.type) ?? 0) + 1)
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
  program(process.argv[2] ?? "2025-01-01T00:00:00Z", process.argv[3] ?? "2025-02-01T00:00:00Z").pipe(
    Effect.provide(RestApi.layerConfig()),
    Effect.provide(NodeHttpClient.layerUndici),
    Effect.runPromise
  ).catch((e) => {
    console.error(String(e))
    process.exit(1)
  })
}
