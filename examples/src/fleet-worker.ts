/**
 * One worker of a fleet sharing a PagerDuty API key: it lists incidents with concurrent page
 * fetches and reads every user, all through one throttled `HttpClient`, so the whole process
 * stays under the key's budget; with `PAGERDUTY_REDIS_URL` set, the budget lives in Redis and
 * every worker started the same way shares it.
 *
 *   # against PagerDuty (start as many as you like):
 *   PAGERDUTY_API_KEY=... PAGERDUTY_REDIS_URL=redis://127.0.0.1:6379 node examples/dist/src/fleet-worker.js
 *   # without a key: against the simulator, served by this process with a budget of 20 per second
 *   node examples/dist/src/fleet-worker.js
 *
 * `PAGERDUTY_RATE_LIMIT` / `PAGERDUTY_RATE_LIMIT_WINDOW` set the budget (default 960 per minute).
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { PagerDuty, RestApi } from "@effect-pagerduty/client"
import * as Throttle from "@effect-pagerduty/client/Throttle"
import * as ThrottleRedis from "@effect-pagerduty/client/ThrottleRedis"
import { Simulator } from "@effect-pagerduty/testkit"
import { Config, Console, Effect, Layer, Option, Redacted, Stream } from "effect"

/** The throttled `HttpClient`: in Redis when a URL is configured, else in memory. */
export const throttled = (redisUrl: Option.Option<Redacted.Redacted>, options: Throttle.Options) =>
  Option.match(redisUrl, {
    onNone: () => Throttle.layer(options),
    onSome: (url) => ThrottleRedis.layer({ ...options, redisUrl: url })
  })

/** The worker's job: list incidents four pages at a time and look up every user. */
export const work = (apiKey: Redacted.Redacted, baseUrl: string | undefined) =>
  Effect.gen(function*() {
    const api = yield* RestApi.make({ apiKey, ...(baseUrl === undefined ? {} : { baseUrl }) })
    const incidents = yield* Stream.runCount(
      api.iterAll("/incidents", { params: { date_range: "all" }, pageSize: 25, concurrency: 4 })
    )
    // the typed API on the same client: users decoded with the spec's User schema
    const pd = PagerDuty.fromRestApi(api)
    const users = yield* Stream.runCollect(pd.listUsers())
    yield* Effect.forEach(users, (user) => pd.getUser(user.id), {
      concurrency: 8,
      discard: true
    })
    const keys = yield* Effect.flatMap(Throttle.ThrottleService, (t) => t.status)
    for (const key of keys) {
      yield* Console.log(
        `${key.key}: ${key.requests} requests, budget ${key.limit}, ${key.pauses} pauses, ${key.rateLimited} 429s, waited ${key.waitedMs} ms`
      )
    }
    return { incidents, users: users.length }
  })

export const program = Effect.gen(function*() {
  const apiKey = yield* Config.option(Config.redacted("PAGERDUTY_API_KEY"))
  const redisUrl = yield* Config.option(Config.redacted("PAGERDUTY_REDIS_URL"))
  const options = yield* Throttle.config
  const target = Option.isSome(apiKey)
    ? { apiKey: apiKey.value, baseUrl: undefined, options }
    : yield* Effect.map(
      Simulator.serve({ incidents: 300, users: 40, rateLimit: { limit: 20, window: "1 second" } }),
      (served) => ({
        apiKey: Redacted.make(Simulator.DEFAULT_API_KEY),
        baseUrl: served.url,
        // the simulator's budget, with headroom
        options: { ...options, limit: 18, window: "1 second" } satisfies Throttle.Options
      })
    )
  const started = Date.now()
  const done = yield* work(target.apiKey, target.baseUrl).pipe(
    Effect.provide(throttled(redisUrl, target.options).pipe(Layer.provide(NodeHttpClient.layerUndici)))
  )
  yield* Console.log(`${done.incidents} incidents, ${done.users} users in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}).pipe(Effect.scoped)

if (import.meta.url === `file://${process.argv[1]}`) {
  Effect.runPromise(program).catch((error) => {
    console.error(String(error))
    process.exitCode = 1
  })
}
