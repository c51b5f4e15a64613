/**
 * The README's quick start, verbatim (keep them in step): REST streaming, a typed 404, and an
 * Events v2 trigger. examples/test/quick-start.test.ts runs `program` on the simulator.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { EventsApi, PagerDutyError, RestApi } from "@effect-pagerduty/client"
import { Chunk, Effect, Layer, Schema, Stream } from "effect"

export const Incident = Schema.Struct({ id: Schema.String, title: Schema.String })

export const program = Effect.gen(function*() {
  const pd = yield* RestApi.RestApiService
  // every triggered incident, streamed page by page (constant memory), decoded by a Schema
  const titles = yield* pd.iterAll("/incidents", { schema: Incident, params: { statuses: ["triggered"], date_range: "all" } }).pipe(
    Stream.map((incident) => incident.title),
    Stream.runCollect,
    Effect.map(Chunk.toArray)
  )
  // one user, or null when PagerDuty answers 404 (a typed error, caught by tag predicate)
  const user = yield* pd.rget("/users/PABC123").pipe(Effect.catchIf(PagerDutyError.isNotFound, () => Effect.succeed(null)))
  // an alert with a client-assigned dedup key, safe to retry
  const { dedupKey } = yield* Effect.flatMap(EventsApi.EventsApiService, (events) =>
    events.trigger({ summary: "Disk full on db-1", source: "db-1", severity: "error" }))
  return { titles, user, dedupKey }
})

// PAGERDUTY_API_KEY, PAGERDUTY_ROUTING_KEY (+ optional PAGERDUTY_REGION=eu, PAGERDUTY_FROM)
export const PagerDutyLive = Layer.mergeAll(RestApi.layerConfig(), EventsApi.layerConfig()).pipe(
  Layer.provide(NodeHttpClient.layerUndici)
)
