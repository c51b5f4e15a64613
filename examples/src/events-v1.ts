/**
 * The legacy Events API v1 (seed 002's `Alert`): incident keys default to the md5 of the
 * description, acknowledge/resolve need a key, against the PagerDuty simulator.
 *
 *   pnpm exec tsc -b && node examples/dist/src/events-v1.js
 *
 * `program` is exported so examples/test/events-examples.test.ts checks what it prints.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { EventsApiV1 } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import { Console, Effect, Layer, Redacted } from "effect"
import { pathToFileURL } from "node:url"

export const program = Effect.gen(function*() {
  const v1 = yield* EventsApiV1.EventsApiV1Service
  const lines: Array<string> = []
  const say = (line: string) => Effect.zipRight(Effect.sync(() => lines.push(line)), Console.log(line))

  // 1. no incident key: md5("No data received")
  const triggered = yield* v1.trigger({
    description: "No data received",
    client: "My Client",
    clientUrl: "https://mysite.example.com",
    details: { some_key: "some_value" }
  })
  yield* say(`1. triggered, incident_key ${triggered.incidentKey}`)

  // 2. acknowledge and resolve with the key
  yield* v1.acknowledge({ incidentKey: triggered.incidentKey, description: "Working on it." })
  const resolved = yield* v1.resolve({ incidentKey: triggered.incidentKey, description: "Fixed it." })
  yield* say(`2. acknowledged and resolved: ${resolved.status}`)

  // 3. without a key: a typed error, nothing sent
  const missing = yield* Effect.flip(v1.acknowledge({ description: "which one?" }))
  yield* say(`3. ${missing._tag}: ${missing.message}`)

  // 4. an Alert remembers its trigger's key, like the Python Alert object
  const alert = yield* v1.alert
  yield* alert.trigger({ description: "Queue backlog", incidentKey: "queue/backlog" })
  const done = yield* alert.resolve()
  yield* say(`4. alert resolved ${done.incidentKey}`)
  return lines
})

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  Effect.scoped(
    Effect.gen(function*() {
      const served = yield* Simulator.serve({ incidents: 0 })
      yield* Console.log(`PagerDuty simulator at ${served.url}`)
      const Live = EventsApiV1.layer({ serviceKey: Redacted.make(Simulator.DEFAULT_ROUTING_KEY), baseUrl: served.url }).pipe(
        Layer.provide(NodeHttpClient.layerUndici)
      )
      return yield* Effect.provide(program, Live)
    })
  ).pipe(Effect.runPromise).catch((e) => {
    console.error(String(e))
    process.exit(1)
  })
}
