/**
 * Events v2 triggers through our `EventsApi` (default Events retry policy, client-side dedup
 * keys) on `NodeHttpClient.layerUndici`: sequentially with `trigger`, concurrently with the
 * batch helper `triggerAll({ concurrency })`.
 */
import { EventsApi } from "@effect-pagerduty/client"
import { Effect, Either, Layer, Redacted } from "effect"
import { httpLayer } from "./ours.js"
import { ROUTING_KEY } from "./protocol.js"

const eventsLayer = (url: string) =>
  EventsApi.layer({ routingKey: Redacted.make(ROUTING_KEY), baseUrl: url }).pipe(
    Layer.provide(httpLayer()),
    Layer.orDie
  )

const trigger = (tag: string, i: number): EventsApi.Trigger => ({
  summary: `bench event ${i}`,
  source: "bench",
  severity: "info",
  dedupKey: `${tag}:${i}`
})

/** `count` triggers with dedup keys `${tag}:${i}`, `concurrency` at a time. */
export const triggers = (
  url: string,
  tag: string,
  count: number,
  concurrency: number,
  onSent: () => void
): Effect.Effect<void, unknown> =>
  Effect.gen(function*() {
    const events = yield* EventsApi.EventsApiService
    const check = (i: number, dedupKey: string) =>
      dedupKey === `${tag}:${i}` ? Effect.sync(onSent) : Effect.fail(new Error(`trigger ${tag}:${i}: the answer has dedup_key ${dedupKey}`))
    if (concurrency <= 1) {
      for (let i = 0; i < count; i++) {
        const result = yield* events.trigger(trigger(tag, i))
        yield* check(i, result.dedupKey)
      }
      return
    }
    const results = yield* events.triggerAll(Array.from({ length: count }, (_, i) => trigger(tag, i)), { concurrency })
    for (let i = 0; i < results.length; i++) {
      const result = results[i]!
      if (Either.isLeft(result)) return yield* Effect.fail(result.left)
      yield* check(i, result.right.dedupKey)
    }
  }).pipe(Effect.provide(eventsLayer(url)))
