/**
 * Events v2 triggers through our stack. Until `EventsApi` lands this is the core request
 * service it is built on: `ApiClient.make` with `Auth.routingKey` (the key goes in the body)
 * and the Events retry policy (`RetryPolicy.events`: 429/5xx/network retried for POST, made
 * safe by the dedup key), on `NodeHttpClient.layerUndici`.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { ApiClient, Auth, RetryPolicy } from "@effect-pagerduty/client"
import { Effect, Redacted } from "effect"
import { ROUTING_KEY } from "./protocol.js"

/** `count` triggers with dedup keys `${tag}:${i}`, `concurrency` at a time. */
export const triggers = (
  url: string,
  tag: string,
  count: number,
  concurrency: number,
  onSent: () => void
): Effect.Effect<void, unknown> =>
  Effect.gen(function*() {
    const client = yield* ApiClient.make({
      name: "events",
      baseUrl: url,
      auth: Auth.routingKey(Redacted.make(ROUTING_KEY)),
      permittedMethods: ["POST"],
      retry: RetryPolicy.events
    })
    yield* Effect.forEach(
      Array.from({ length: count }, (_, i) => i),
      (i) =>
        client.json({
          method: "POST",
          url: "/v2/enqueue",
          json: {
            event_action: "trigger",
            dedup_key: `${tag}:${i}`,
            payload: { summary: `bench event ${i}`, source: "bench", severity: "info" }
          }
        }).pipe(
          Effect.flatMap((body) =>
            (body as { dedup_key?: unknown } | null)?.dedup_key === `${tag}:${i}`
              ? Effect.sync(onSent)
              : Effect.fail(new Error(`trigger ${tag}-${i}: the answer has no matching dedup_key`))
          )
        ),
      { concurrency, discard: true }
    )
  }).pipe(Effect.provide(NodeHttpClient.layerUndici))
