/**
 * `pnpm demo`: the main job. A tour of the library against the PagerDuty simulator, served
 * on 127.0.0.1 by this process (no account, no network):
 *
 * 1. stream incidents page by page with a filter, and count them;
 * 2. find a user, create an incident (entity wrapping, `From`), acknowledge it;
 * 3. survive an injected 429 (waits `ratelimit-reset`, then retries);
 * 4. typed errors: a 404 with PagerDuty's code and request id, a foreign URL refused
 *    before anything is sent;
 * 5. who is on call now for each escalation policy (examples/src/oncall-now.ts);
 * 6. hours on call per user last quarter, which crosses the API's 3-month window
 *    (examples/src/oncall-hours.ts);
 * 7. Events API v2: trigger, dedup, acknowledge, resolve, change events, a batch and
 *    exactly-once delivery through a dropped connection (examples/src/events-v2.ts).
 *
 * The simulator's clock starts at 2026-01-15T12:00:00Z so every run prints the same figures.
 *
 * `program` is exported so examples/test/demo.test.ts checks what it prints (with a 0 s
 * rate-limit reset, so the test does not sleep).
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { EventsApi, RestApi, Schedules } from "@effect-pagerduty/client"
import { Incident, Service, User } from "@effect-pagerduty/client/generated/RestSchemas"
import { Simulator } from "@effect-pagerduty/testkit"
import { Chunk, Console, Effect, Layer, Option, Redacted, Stream } from "effect"
import * as EventsV2 from "./events-v2.js"
import * as OncallHours from "./oncall-hours.js"
import * as OncallNow from "./oncall-now.js"

/** The simulator's clock: fixed, so the on-call figures are the same on every run. */
export const now = new Date("2026-01-15T12:00:00Z")

export const program = (options: { readonly rateLimitResetSeconds: number } = { rateLimitResetSeconds: 1 }) =>
  Effect.gen(function*() {
  const served = yield* Simulator.serve({ incidents: 250, users: 12, now })
  yield* Console.log(`PagerDuty simulator at ${served.url} (key: ${Simulator.DEFAULT_API_KEY})`)

  const apiKey = Redacted.make(Simulator.DEFAULT_API_KEY)
  const api = yield* RestApi.make({ apiKey, baseUrl: served.url })

  // 1. Streams: pages are fetched lazily, 100 at a time, as the stream is pulled.
  // `schema` decodes every item with the generated effect/Schema (unknown fields are kept).
  const triggered = api.iterAll("/incidents", {
    params: { statuses: ["triggered"], date_range: "all" },
    pageSize: 100,
    schema: Incident
  })
  const count = yield* Stream.runCount(triggered)
  const firstThree = yield* Stream.runCollect(Stream.take(triggered, 3))
  yield* Console.log(`1. ${count} triggered incidents; the first three:`)
  for (const incident of Chunk.toReadonlyArray(firstThree)) {
    yield* Console.log(`   ${incident.id}  ${incident.title ?? ""}`)
  }

  // 2. Entity wrapping: bodies are wrapped ({"incident": ...}) and answers unwrapped.
  const users = yield* api.listAll("/users", { schema: User })
  const found = yield* api.find("users", users[0]?.name ?? "", { attribute: "name" })
  const service = (yield* api.listAll("/services", { schema: Service }))[0]!
  // writes with an account-level key name the acting user in `From`
  const writer = yield* RestApi.make({
    apiKey,
    baseUrl: served.url,
    defaultFrom: users[0]?.email ?? ""
  })
  const created = yield* writer.rpost("/incidents", {
    json: {
      type: "incident",
      title: "Disk full on db-1",
      service: { id: service.id, type: "service_reference" }
    },
    schema: Incident
  })
  const acknowledged = yield* writer.rput(`/incidents/${created.id}`, {
    json: { type: "incident_reference", status: "acknowledged" },
    schema: Incident
  })
  const foundName = Option.match(found, { onNone: () => "(none)", onSome: (user) => String(user["name"]) })
  yield* Console.log(`2. found user ${foundName}; created ${created.id} "${created.title}", now ${acknowledged.status}`)

  // 3. Retries: the simulator answers the next GET /users with 429 + ratelimit-reset: 1.
  yield* served.simulator.addFault({
    method: "GET",
    path: "/users",
    nth: [1],
    kind: Simulator.Fault.status429({ reset: options.rateLimitResetSeconds })
  })
  const before = Date.now()
  const again = yield* api.listAll("/users")
  yield* Console.log(`3. a 429 was answered by waiting ${((Date.now() - before) / 1000).toFixed(1)} s; got ${again.length} users`)

  // 4. Typed errors.
  const notFound = yield* Effect.flip(api.rget("/incidents/PNOPE00"))
  yield* Console.log(`4. ${notFound._tag}: ${notFound.message}`)
  const foreign = yield* Effect.flip(api.rget("https://api.pagerduty.com.evil.com/users"))
  yield* Console.log(`   ${foreign._tag}: ${foreign.message}`)

  const requests = yield* served.simulator.requests
  yield* Console.log(`The simulator served ${requests.length} requests so far.`)

  // 5.-6. Schedules and on-call, through the `Schedules` service on top of `RestApi`.
  const schedulesLayer = Schedules.layer.pipe(Layer.provideMerge(RestApi.layer({ apiKey, baseUrl: served.url })))
  yield* Console.log("5. who is on call now")
  const onCallNow = yield* Effect.provide(OncallNow.program, schedulesLayer)
  yield* Console.log("6. hours on call last quarter")
  const hours = yield* Effect.provide(OncallHours.program(now), schedulesLayer)

  // 7. Events API v2 against the same simulator.
  yield* Console.log("7. Events API v2")
  const events = yield* Effect.provide(
    EventsV2.program,
    Layer.mergeAll(
      EventsApi.layer({ routingKey: Redacted.make(Simulator.DEFAULT_ROUTING_KEY), baseUrl: served.url }),
      Layer.succeed(Simulator.Simulator, served.simulator)
    )
  )
  return { onCallNow, hours, events }
})

const main = program().pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici))

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/.*\//, ""))) {
  Effect.runPromise(main).catch((error) => {
    console.error(String(error))
    process.exit(1)
  })
}
