/**
 * Call statistics, like python-pagerduty's `api_call_counts` / `api_time`: every client
 * records Effect metrics, and `Observability.callStatistics` reads them back per
 * "METHOD /canonical/path".
 *
 *   node examples/dist/src/observability-stats.js   (serves the simulator on 127.0.0.1 itself)
 *
 * `program` is exported so examples/test/observability.test.ts checks what it prints.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Observability, PagerDuty, RestApi } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import { Console, Effect, Redacted, Stream } from "effect"
import { pathToFileURL } from "node:url"

/** Some REST work (a listing, reads, a 429 that is retried), then the statistics table. */
export const work = (baseUrl: string) =>
  Effect.gen(function*() {
    const pd = PagerDuty.fromRestApi(yield* RestApi.make({ apiKey: Redacted.make("sim-api-key"), baseUrl }))
    // 3 pages of incidents
    const incidents = yield* pd.listIncidents({ pageSize: 25 }).pipe(Stream.take(60), Stream.runCollect)
    // one read per incident path (the id becomes {id} in the statistics)
    for (const incident of [...incidents].slice(0, 2)) yield* pd.getIncident(incident.id)
    // a 429 (the fault is added by the caller) is retried after ratelimit-reset
    yield* Stream.runDrain(pd.listUsers())
  })

export const program = (options: { readonly rateLimitResetSeconds: number } = { rateLimitResetSeconds: 1 }) =>
  Effect.gen(function*() {
    const served = yield* Simulator.serve({ incidents: 60 })
    yield* served.simulator.addFault({
      method: "GET",
      path: "/users",
      nth: [1],
      kind: Simulator.Fault.status429({ reset: options.rateLimitResetSeconds })
    })
    const [, stats] = yield* Observability.measure(work(served.url))
    const table = Observability.format(stats)
    yield* Console.log(table)
    return { stats, table }
  })

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  program().pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici), Effect.runPromise).catch((e) => {
    console.error(String(e))
    process.exit(1)
  })
}
