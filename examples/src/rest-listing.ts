/**
 * REST API v2: listing, streaming and finding.
 *
 * Without PAGERDUTY_API_KEY it runs against the testkit simulator, served on 127.0.0.1 by this
 * process; with it, against that account (or any PagerDuty-compatible server):
 *
 *   node examples/dist/src/rest-listing.js
 *   PAGERDUTY_API_KEY=... [PAGERDUTY_BASE_URL=http://127.0.0.1:PORT] node examples/dist/src/rest-listing.js
 */
import type { HttpClient } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { PagerDuty, RestApi } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import { Console, Effect, Option, Redacted, Schema, Stream } from "effect"
import { pathToFileURL } from "node:url"

const Incident = Schema.Struct({ id: Schema.String, title: Schema.String, status: Schema.String })

/** Lists, streams and finds; returns what it printed so a test can check it. */
export const program = Effect.gen(function*() {
  const pd = yield* RestApi.RestApiService
  const lines: Array<string> = []
  const say = (line: string) => Effect.zipRight(Effect.sync(() => lines.push(line)), Console.log(line))

  // listing: every user (classic pagination, all pages), as an array
  const users = yield* pd.listAll("/users")
  yield* say(`users: ${users.length}`)

  // counting without downloading everything
  const triggered = yield* pd.getTotal("/incidents", { params: { statuses: ["triggered"] } })
  yield* say(`triggered incidents: ${triggered}`)

  // streaming: typed items, constant memory, only the pages needed for the first 3
  // (open incidents: triggered or acknowledged, so this list is not the count above)
  const firstThree = yield* pd.iterAll("/incidents", { schema: Incident, params: { statuses: ["triggered", "acknowledged"] } }).pipe(
    Stream.take(3),
    Stream.map((i) => `  ${i.id} ${i.status}: ${i.title}`),
    Stream.runCollect
  )
  yield* say("first 3 open incidents (triggered or acknowledged):")
  for (const line of firstThree) yield* say(line)

  // finding: case-insensitive exact match on an attribute, paging stops at the first hit
  // the typed API: users decoded with the spec's User schema (email is a string)
  const [first] = yield* Stream.runCollect(PagerDuty.listUsers().pipe(Stream.take(1)))
  if (first !== undefined) {
    const found = yield* pd.find("/users", first.email.toUpperCase(), { attribute: "email" })
    yield* say(`found by email: ${Option.isSome(found)}`)
  }
  return lines
})

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const main: Effect.Effect<ReadonlyArray<string>, unknown, HttpClient.HttpClient> = process.env["PAGERDUTY_API_KEY"] === undefined
    ? Effect.scoped(
      Effect.gen(function*() {
        const served = yield* Simulator.serve({ incidents: 250 })
        yield* Console.log(`PagerDuty simulator at ${served.url}`)
        return yield* Effect.provide(program, RestApi.layer({ apiKey: Redacted.make(Simulator.DEFAULT_API_KEY), baseUrl: served.url }))
      })
    )
    : Effect.provide(program, RestApi.layerConfig())
  main.pipe(Effect.provide(NodeHttpClient.layerUndici), Effect.runPromise).catch((e) => {
    console.error(String(e))
    process.exit(1)
  })
}
