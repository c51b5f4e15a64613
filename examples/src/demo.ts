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
 * The simulator's clock is fixed at 2026-01-15T12:00:00Z so every run prints the same figures:
 * "now" in step 5 is that instant and "last quarter" in step 6 is Q4 2025. The demo prints the
 * date first, and each step's heading names the example file it comes from. Steps 5-7 run the
 * programs of those files with their own printing muted, and print their lines under the
 * step, numbered within it (7.1, 7.2, ...).
 *
 * `program` is exported so examples/test/demo.test.ts checks what it prints (with a 0 s
 * rate-limit reset, so the test does not sleep).
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { EventsApi, RestApi, Schedules } from "@effect-pagerduty/client"
import { Incident, Service, User } from "@effect-pagerduty/client/generated/RestSchemas"
import { Simulator } from "@effect-pagerduty/testkit"
import { Chunk, Console, Effect, Layer, Option, Redacted, Stream } from "effect"
import type { Console as ConsoleService } from "effect"
import * as EventsV2 from "./events-v2.js"
import * as OncallHours from "./oncall-hours.js"
import * as OncallNow from "./oncall-now.js"

/** The simulator's clock: fixed, so the on-call figures are the same on every run. */
export const now = new Date("2026-01-15T12:00:00Z")

/** Runs an example's program with its own printing muted (its lines are returned and printed by the demo). */
const muted = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(Effect.console, (console) => {
    const quiet: ConsoleService.Console = { ...console, log: () => Effect.void }
    return Effect.withConsole(effect, quiet)
  })

/** A step's heading: its number, what it shows, and the example file it comes from. */
const step = (n: number, what: string, file: string) => Console.log(`\n${n}. ${what}  [${file}]`)

/** A result line under a step; a line numbered by its own example ("3. ...") is numbered within the step ("7.3 ..."). */
export const under = (n: number, line: string): string => `   ${line.replace(/^(\d+)\. /, `${n}.$1 `)}`

export const program = (options: { readonly rateLimitResetSeconds: number } = { rateLimitResetSeconds: 1 }) =>
  Effect.gen(function*() {
  const served = yield* Simulator.serve({ incidents: 250, users: 12, now })
  yield* Console.log(`PagerDuty simulator at ${served.url} (key: ${Simulator.DEFAULT_API_KEY})`)
  yield* Console.log(
    `simulated clock: ${now.toISOString().slice(0, 10)} ${now.toISOString().slice(11, 16)} UTC (the simulator's fixed "now": ` +
      `"on call now" and "last quarter" below are relative to it, so last quarter is Q4 2025)`
  )

  const apiKey = Redacted.make(Simulator.DEFAULT_API_KEY)
  const api = yield* RestApi.make({ apiKey, baseUrl: served.url })

  // 1. Streams: pages are fetched lazily, 100 at a time, as the stream is pulled.
  // `schema` decodes every item with the generated effect/Schema (unknown fields are kept).
  const triggered = api.iterAll("/incidents", {
    params: { statuses: ["triggered"], date_range: "all" },
    pageSize: 100,
    schema: Incident
  })
  yield* step(1, "Stream incidents page by page, decoded by a Schema", "examples/src/demo.ts; more in rest-listing.ts")
  const count = yield* Stream.runCount(triggered)
  const firstThree = yield* Stream.runCollect(Stream.take(triggered, 3))
  yield* Console.log(under(1, `${count} triggered incidents; the first three:`))
  for (const incident of Chunk.toReadonlyArray(firstThree)) {
    yield* Console.log(under(1, `  ${incident.id}  ${incident.title ?? ""}`))
  }

  // 2. Entity wrapping: bodies are wrapped ({"incident": ...}) and answers unwrapped.
  yield* step(2, "Find a user, create an incident, acknowledge it", "examples/src/demo.ts; more in rest-writes.ts")
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
  yield* Console.log(under(2, `found user ${foundName}; created ${created.id} "${created.title}", now ${acknowledged.status}`))

  // 3. Retries: the simulator answers the next GET /users with 429 + ratelimit-reset: 1.
  yield* step(3, "Survive an injected 429", "examples/src/demo.ts")
  yield* served.simulator.addFault({
    method: "GET",
    path: "/users",
    nth: [1],
    kind: Simulator.Fault.status429({ reset: options.rateLimitResetSeconds })
  })
  const before = Date.now()
  const again = yield* api.listAll("/users")
  yield* Console.log(under(3, `a 429 was answered by waiting ${((Date.now() - before) / 1000).toFixed(1)} s; got ${again.length} users`))

  // 4. Typed errors.
  yield* step(4, "Typed errors: a 404, and a foreign URL refused before sending", "examples/src/demo.ts")
  const notFound = yield* Effect.flip(api.rget("/incidents/PNOPE00"))
  yield* Console.log(under(4, `${notFound._tag}: ${notFound.message}`))
  const foreign = yield* Effect.flip(api.rget("https://api.pagerduty.com.evil.com/users"))
  yield* Console.log(under(4, `${foreign._tag}: ${foreign.message}`))

  const requests = yield* served.simulator.requests
  yield* Console.log(under(4, `the simulator served ${requests.length} requests so far`))

  // 5.-6. Schedules and on-call, through the `Schedules` service on top of `RestApi`.
  const schedulesLayer = Schedules.layer.pipe(Layer.provideMerge(RestApi.layer({ apiKey, baseUrl: served.url })))
  yield* step(5, "Who is on call now, at the simulated 2026-01-15 12:00 UTC", "examples/src/oncall-now.ts")
  const onCallNow = yield* muted(Effect.provide(OncallNow.program, schedulesLayer))
  for (const line of onCallNow) yield* Console.log(under(5, line))
  yield* step(6, "Hours on call last quarter: Q4 2025, the quarter before the simulated date", "examples/src/oncall-hours.ts")
  const hours = yield* muted(Effect.provide(OncallHours.program(now), schedulesLayer))
  for (const line of hours) yield* Console.log(under(6, line))

  // 7. Events API v2 against the same simulator.
  yield* step(7, "Events API v2: trigger, dedup, validation, change events, a batch, exactly once", "examples/src/events-v2.ts")
  const events = yield* muted(Effect.provide(
    EventsV2.program,
    Layer.mergeAll(
      EventsApi.layer({ routingKey: Redacted.make(Simulator.DEFAULT_ROUTING_KEY), baseUrl: served.url }),
      Layer.succeed(Simulator.Simulator, served.simulator)
    )
  ))
  for (const line of events) yield* Console.log(under(7, line))
  return { onCallNow, hours, events }
})

const main = program().pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici))

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/.*\//, ""))) {
  Effect.runPromise(main).catch((error) => {
    console.error(String(error))
    process.exit(1)
  })
}
