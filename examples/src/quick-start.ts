/**
 * The README's quick start, verbatim (keep them in step): REST streaming, a typed 404, and an
 * Events v2 trigger. examples/test/quick-start.test.ts runs `program` on the simulator;
 * `node examples/dist/src/quick-start.js` runs it and prints the result as plain JSON.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { EventsApi, PagerDuty, PagerDutyError, RestApi } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import { Chunk, Effect, Layer, Redacted, Stream } from "effect"
import { pathToFileURL } from "node:url"

export const program = Effect.gen(function*() {
  // every triggered incident, streamed page by page (constant memory), checked against the spec's Incident
  const titles = yield* PagerDuty.listIncidents({ statuses: ["triggered"], date_range: "all" }).pipe(
    Stream.map((incident) => incident.title),
    Stream.runCollect,
    Effect.map(Chunk.toArray)
  )
  // one user (a typed User), or null when PagerDuty answers 404 (a typed error, caught by tag predicate)
  const user = yield* PagerDuty.getUser("PABC123").pipe(Effect.catchIf(PagerDutyError.isNotFound, () => Effect.succeed(null)))
  // an alert with a client-assigned dedup key, safe to retry
  const { dedupKey } = yield* Effect.flatMap(EventsApi.EventsApiService, (events) =>
    events.trigger({ summary: "Disk full on db-1", source: "db-1", severity: "error" }))
  return { titles, user, dedupKey }
})

// PAGERDUTY_API_KEY, PAGERDUTY_ROUTING_KEY (+ optional PAGERDUTY_REGION=eu, PAGERDUTY_FROM)
export const PagerDutyLive = Layer.mergeAll(RestApi.layerConfig(), EventsApi.layerConfig()).pipe(
  Layer.provide(NodeHttpClient.layerUndici)
)

// `node examples/dist/src/quick-start.js` prints the result as plain JSON: against your account
// when PAGERDUTY_API_KEY and PAGERDUTY_ROUTING_KEY are set (the README's version), else against
// a simulator served on 127.0.0.1 by this process.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const onSimulator = Effect.gen(function*() {
    const served = yield* Simulator.serve({ incidents: 60 })
    return yield* Effect.provide(
      program,
      Layer.mergeAll(
        RestApi.layer({ apiKey: Redacted.make(Simulator.DEFAULT_API_KEY), baseUrl: served.url }),
        EventsApi.layer({ routingKey: Redacted.make(Simulator.DEFAULT_ROUTING_KEY), baseUrl: served.url })
      )
    )
  }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici))
  const main: Effect.Effect<unknown, unknown> = process.env["PAGERDUTY_API_KEY"] === undefined
    ? onSimulator
    : program.pipe(Effect.provide(PagerDutyLive))
  Effect.runPromise(main).then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error) => {
      console.error(String(error))
      process.exit(1)
    }
  )
}
