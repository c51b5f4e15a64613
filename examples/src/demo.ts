/**
 * `pnpm demo`: the main job. Runs against a local server on 127.0.0.1 (no account, no
 * network): a few requests, a retry after a 429, and a typed error.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { ApiClient, Auth } from "@effect-pagerduty/client"
import { Console, Effect, Logger, LogLevel, Redacted } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"

const localServer = Effect.acquireRelease(
  Effect.async<{ url: string; server: http.Server }>((resume) => {
    let calls = 0
    const server = http.createServer((req, res) => {
      calls++
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", "x-request-id": `demo-${calls}`, ...headers })
        res.end(JSON.stringify(body))
      }
      if (req.url?.startsWith("/users/PXX")) return send(404, { error: { message: "Not Found", code: 2100 } })
      if (calls === 1) return send(429, { error: { message: "Rate Limit Exceeded", code: 2020 } }, { "ratelimit-reset": "1" })
      send(200, { users: [{ id: "P1", name: "Ada Lovelace" }, { id: "P2", name: "Grace Hopper" }], limit: 25, offset: 0, more: false, total: null })
    })
    server.listen(0, "127.0.0.1", () => resume(Effect.succeed({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })))
  }),
  ({ server }) => Effect.async<void>((resume) => {
    server.closeAllConnections()
    server.close(() => resume(Effect.void))
  })
)

const program = Effect.gen(function*() {
  const { url } = yield* localServer
  const api = yield* ApiClient.make({
    name: "rest",
    baseUrl: url,
    auth: Auth.token(Redacted.make("demo-api-key")),
    permittedMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    headers: { Accept: "application/vnd.pagerduty+json;version=2" }
  })
  yield* Console.log(`local PagerDuty stand-in at ${url}`)
  const users = yield* api.json({ url: "/users" })
  yield* Console.log("GET /users (after one 429 and a 1 s wait):", JSON.stringify(users))
  const error = yield* Effect.flip(api.json({ url: "/users/PXX" }))
  yield* Console.log(`typed error ${error._tag}: ${error.message}`)
  const foreign = yield* Effect.flip(api.json({ url: "https://api.pagerduty.com.evil.com/users" }))
  yield* Console.log(`typed error ${foreign._tag}: ${foreign.message}`)
})

program.pipe(
  Effect.scoped,
  Effect.provide(NodeHttpClient.layerUndici),
  Logger.withMinimumLogLevel(LogLevel.Debug),
  Effect.runPromise
).catch((e) => {
  console.error(e)
  process.exit(1)
})
