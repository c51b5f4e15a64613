import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { ApiClient, Auth, RetryPolicy } from "../src/index.js"

interface Seen {
  method: string
  url: string
  authorization: string | undefined
  body: string
}

const server = (handler: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void) =>
  Effect.acquireRelease(
    Effect.async<{ url: string; seen: Array<Seen>; srv: http.Server }>((resume) => {
      const seen: Array<Seen> = []
      const srv = http.createServer((req, res) => {
        let body = ""
        req.on("data", (c) => (body += c))
        req.on("end", () => {
          seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body })
          handler(req, res, seen.length)
        })
      })
      srv.listen(0, "127.0.0.1", () => {
        const { port } = srv.address() as AddressInfo
        resume(Effect.succeed({ url: `http://127.0.0.1:${port}`, seen, srv }))
      })
    }),
    ({ srv }) =>
      Effect.async<void>((resume) => {
        srv.closeAllConnections()
        srv.close(() => resume(Effect.void))
      })
  )

// live clock: real sockets and a real (10 ms) backoff
it.live("talks to a real node:http server on 127.0.0.1 through @effect/platform-node, retrying a dropped connection", () =>
  Effect.gen(function*() {
    const { seen, url } = yield* server((_req, res, n) => {
      if (n === 1) {
        res.socket?.destroy() // drop the connection without an answer
        return
      }
      res.writeHead(200, { "content-type": "application/json", "x-request-id": "srv-1" })
      res.end(JSON.stringify({ users: [{ id: "P1" }] }))
    })
    const api = yield* ApiClient.make({
      name: "rest",
      baseUrl: url,
      auth: Auth.token(Redacted.make("node-key")),
      permittedMethods: ["GET"],
      retry: RetryPolicy.make({ backoff: RetryPolicy.exponentialBackoff({ base: "10 millis", jitter: false }) })
    })
    const response = yield* api.requestOk({ url: "/users", params: { "statuses[]": ["a", "b"], total: true } })
    assert.strictEqual(response.status, 200)
    assert.strictEqual(response.requestId, "srv-1")
    assert.strictEqual(response.attempts, 2)
    assert.deepStrictEqual(JSON.parse(response.text), { users: [{ id: "P1" }] })
    assert.strictEqual(seen.length, 2)
    assert.strictEqual(seen[1]!.url, "/users?statuses%5B%5D=a&statuses%5B%5D=b&total=true")
    assert.strictEqual(seen[1]!.authorization, "Token token=node-key")
  }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici)))
