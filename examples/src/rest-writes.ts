/**
 * REST API v2: creating and updating (entity wrapping, idempotent create, multi-update).
 *
 * Without PAGERDUTY_API_KEY it runs against the testkit simulator, served on 127.0.0.1 by this
 * process (service PV00000, From its first user); with it, against that account:
 *
 *   node examples/dist/src/rest-writes.js
 *   PAGERDUTY_API_KEY=... PAGERDUTY_FROM=you@example.com [PAGERDUTY_BASE_URL=...] node examples/dist/src/rest-writes.js SERVICE_ID
 */
import type { HttpClient } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { PagerDuty, RestApi } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import * as RestSchemas from "@effect-pagerduty/client/generated/RestSchemas"
import { Console, Effect, Redacted, Schema } from "effect"
import { pathToFileURL } from "node:url"

/** Creates an incident, acknowledges it with a multi-update, and creates-or-finds a user. */
export const program = (serviceId: string) =>
  Effect.gen(function*() {
    const pd = yield* RestApi.RestApiService
    const lines: Array<string> = []
    const say = (line: string) => Effect.zipRight(Effect.sync(() => lines.push(line)), Console.log(line))

    // the typed createIncident wraps the body as {"incident": {...}} and returns the decoded incident
    const incident = yield* PagerDuty.createIncident({
      body: { type: "incident", title: "Disk full on db-1", service: { id: serviceId, type: "service_reference" } }
    })
    yield* say(`created ${incident.id} (${incident.status})`)

    // multi-update: PUT /incidents with a list (From comes from PAGERDUTY_FROM / defaultFrom)
    const updated = yield* pd.updateIncidents([{ id: incident.id, status: "acknowledged" }])
    yield* say(`acknowledged ${updated.length}`)

    // every r-verb also takes a resource object: its `self` URL is used
    const again = yield* pd.rget(incident, { schema: RestSchemas.Incident })
    yield* say(`status now ${again.status}`)

    // idempotent create: finds the user by email, creates it only when missing
    const user = yield* pd.persist("/users", "email", { name: "Ada Lovelace", email: "ada@example.com", type: "user" })
    const same = yield* pd.persist("/users", "email", { name: "Ada Lovelace", email: "ada@example.com", type: "user" })
    const idOf = (u: unknown) => Schema.decodeUnknownSync(RestSchemas.User)(u).id
    yield* say(`persist is idempotent: ${idOf(user) === idOf(same)}`)
    return lines
  })

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const main: Effect.Effect<ReadonlyArray<string>, unknown, HttpClient.HttpClient> = process.env["PAGERDUTY_API_KEY"] === undefined
    ? Effect.scoped(
      Effect.gen(function*() {
        const served = yield* Simulator.serve({})
        yield* Console.log(`PagerDuty simulator at ${served.url}`)
        const layer = RestApi.layer({
          apiKey: Redacted.make(Simulator.DEFAULT_API_KEY),
          baseUrl: served.url,
          defaultFrom: "ada.lovelace0@example.com"
        })
        return yield* Effect.provide(program(process.argv[2] ?? "PV00000"), layer)
      })
    )
    : Effect.provide(program(process.argv[2] ?? ""), RestApi.layerConfig())
  main.pipe(Effect.provide(NodeHttpClient.layerUndici), Effect.runPromise).catch((e) => {
    console.error(String(e))
    process.exit(1)
  })
}
