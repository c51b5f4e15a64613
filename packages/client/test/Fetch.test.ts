import { FetchHttpClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer, Redacted, Stream } from "effect"
import { Simulator } from "@effect-pagerduty/testkit"
import { ApiClient, Auth, Observability, RestApi, RetryPolicy } from "../src/index.js"
import { serve } from "./utils/server.js"

// The runtime-neutral path: the client on `FetchHttpClient` from @effect/platform (what a
// browser, Deno, Bun or an edge worker uses), against the simulator's real HTTP server.
const rest = (baseUrl: string, options: Partial<RestApi.Options> = {}) =>
  RestApi.make({ apiKey: Redacted.make("sim-api-key"), baseUrl, ...options })

describe("FetchHttpClient (browsers, Deno, Bun, edge workers)", () => {
  it.live("lists, reads and writes through fetch against the simulator server", () =>
    Effect.scoped(Effect.gen(function*() {
      const sim = yield* Simulator.serve({ incidents: 30 })
      const pd = yield* rest(sim.url)
      const [incidents, stats] = yield* Observability.measure(
        pd.iterAll("/incidents", { params: { limit: 10 } }).pipe(
          Stream.map((incident) => incident as { id: string; status: string }),
          Stream.runCollect
        )
      )
      assert.strictEqual(incidents.length, 30)
      assert.deepStrictEqual(stats.counts, { "GET /incidents": 3 })
      const first = [...incidents].find((incident) => incident.status === "triggered")!.id
      const incident = yield* pd.rget(`/incidents/${first}`)
      assert.strictEqual((incident as { id: string }).id, first)
      const [user] = yield* pd.listAll<{ email: string }>("/users", { params: { limit: 1 } }).pipe(Effect.map((all) => all.slice(0, 1)))
      const updated = yield* pd.rput(`/incidents/${first}`, {
        json: { type: "incident_reference", status: "acknowledged" },
        headers: { From: user!.email }
      })
      assert.strictEqual((updated as { status: string }).status, "acknowledged")
      const seen = yield* sim.simulator.countsByEndpoint
      assert.strictEqual(seen["GET /incidents"], 3)
      assert.strictEqual(seen["GET /incidents/{id}"], 1)
      assert.strictEqual(seen["PUT /incidents/{id}"], 1)
    })).pipe(Effect.provide(FetchHttpClient.layer)))

  it.live("an error response is a typed HttpError with the request id, through fetch too", () =>
    Effect.scoped(Effect.gen(function*() {
      const sim = yield* Simulator.serve()
      const pd = yield* rest(sim.url)
      const exit = yield* Effect.exit(pd.rget("/incidents/PNOPE00"))
      assert.isTrue(Exit.isFailure(exit))
      const error = Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined
      assert.strictEqual(error?._tag, "HttpError")
      assert.strictEqual(error?._tag === "HttpError" ? error.status : 0, 404)
      assert.match(error?._tag === "HttpError" ? error.requestId ?? "" : "", /^sim-/)
    })).pipe(Effect.provide(FetchHttpClient.layer)))

  it.live("a per-call timeout ends a slow fetch promptly with TransportError Timeout", () =>
    Effect.scoped(Effect.gen(function*() {
      const sim = yield* Simulator.serve({ latency: "10 seconds" })
      const pd = yield* rest(sim.url, { retry: { maxNetworkRetries: 0 } })
      const started = Date.now()
      const exit = yield* Effect.exit(pd.get("/users", { timeout: "150 millis" }))
      assert.isBelow(Date.now() - started, 5_000)
      assert.isTrue(Exit.isFailure(exit))
      const error = Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined
      assert.strictEqual(error?._tag, "TransportError")
      assert.strictEqual(error?._tag === "TransportError" ? error.reason : "", "Timeout")
    })).pipe(Effect.provide(FetchHttpClient.layer)))

  it.live("transformClient middleware runs on fetch: a header added per request reaches the server", () =>
    Effect.scoped(Effect.gen(function*() {
      const sim = yield* Simulator.serve()
      const pd = yield* rest(sim.url, {
        transformClient: HttpClient.mapRequest(HttpClientRequest.setHeader("X-Trace-Tag", "checkout-42"))
      })
      yield* pd.rget("/users", { params: { limit: 1 } })
      const [recorded] = yield* sim.simulator.requests
      assert.strictEqual(recorded?.headers["x-trace-tag"], "checkout-42")
      assert.strictEqual(recorded?.headers.authorization, "<redacted>")
    })).pipe(Effect.provide(FetchHttpClient.layer)))

  it.live("no trace headers by default (PagerDuty's CORS allow-list rejects traceparent/b3); transformClient opts in", () =>
    Effect.scoped(Effect.gen(function*() {
      const sim = yield* Simulator.serve()
      const inSpan = <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.withSpan(self, "caller")
      yield* inSpan(Effect.flatMap(rest(sim.url), (pd) => pd.rget("/users", { params: { limit: 1 } })))
      yield* inSpan(Effect.flatMap(
        rest(sim.url, { transformClient: HttpClient.withTracerPropagation(true) }),
        (pd) => pd.rget("/users", { params: { limit: 1 } })
      ))
      const [plain, propagated] = yield* sim.simulator.requests
      assert.isUndefined(plain?.headers.traceparent)
      assert.isUndefined(plain?.headers.b3)
      assert.match(propagated?.headers.traceparent ?? "", /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/)
    })).pipe(Effect.provide(FetchHttpClient.layer)))

  it.live("FetchHttpClient.Fetch can be swapped (e.g. a worker's own fetch); the client uses whatever is provided", () =>
    Effect.scoped(Effect.gen(function*() {
      const sim = yield* Simulator.serve()
      const calls: Array<string> = []
      const countingFetch: typeof globalThis.fetch = (input, init) => {
        calls.push(input instanceof Request ? input.url : String(input))
        return globalThis.fetch(input, init)
      }
      const users = yield* rest(sim.url).pipe(
        Effect.flatMap((pd) => pd.listAll("/users")),
        Effect.provide(FetchHttpClient.layer.pipe(Layer.provide(Layer.succeed(FetchHttpClient.Fetch, countingFetch))))
      )
      assert.strictEqual(users.length, 10)
      assert.deepStrictEqual(calls.map((url) => new URL(url).pathname), ["/users"])
    })))
})

describe("faults over fetch against a real server", () => {
  it.live("a body cut mid-transfer and a garbled 200 on GET are retried (the first at once); the third answer is used", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* serve((req, res, n) => {
        if (n === 1) {
          res.writeHead(200, { "content-type": "application/json", "content-length": "1000" })
          res.write("{\"users\":[{\"id\":\"P1\"")
          setTimeout(() => res.socket?.destroy(), 5)
          return
        }
        res.writeHead(200, { "content-type": "application/json" })
        res.end(n === 2 || req.method === "POST" ? "{\"users\":[{\"id\"::garbled" : JSON.stringify({ users: [{ id: "P1" }] }))
      })
      const api = yield* ApiClient.make({
        name: "rest",
        baseUrl: server.url,
        auth: Auth.token(Redacted.make("fetch-fault-key-1234")),
        permittedMethods: ["GET", "POST"],
        retry: RetryPolicy.make({ backoff: RetryPolicy.exponentialBackoff({ base: "5 millis", jitter: false }) })
      })
      const response = yield* api.requestOk({ url: "/users" })
      assert.deepStrictEqual(yield* ApiClient.parseJson(response), { users: [{ id: "P1" }] })
      assert.strictEqual(response.attempts, 3)
      assert.strictEqual(server.seen.length, 3)
      // the same garbled 200 on a POST: not retried, and the error says it may have been applied
      const post = yield* Effect.flip(api.requestOk({ method: "POST", url: "/users", json: {} }))
      assert.strictEqual(post._tag, "ServerHttpError")
      assert.include(post.message, "may have been applied")
      assert.strictEqual(server.seen.length, 4)
    })).pipe(Effect.provide(FetchHttpClient.layer)))
})
