import { FetchHttpClient } from "@effect/platform"
import type { HttpClient } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, type Layer, Option, Redacted } from "effect"
import { ApiClient, Auth, RetryPolicy } from "../src/index.js"
import { serve as server } from "./utils/server.js"


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
    assert.strictEqual(seen[1]!.headers.authorization, "Token token=node-key")
  }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici)))

describe("header values RFC 9110 does not allow fail at once on every transport, never as a defect", () => {
  const badKeys: ReadonlyArray<readonly [string, string]> = [
    ["a zero-width space", "u+abcd\u200bEFGH1234"],
    ["DEL", "u+abcd\u007fEFGH1234"],
    ["a non-Latin-1 letter", "u+abcdЖEFGH1234"],
    ["a line feed", "u+abcd\nX-Injected: 1"],
    ["NUL", "u+abcd\u0000EFGH"]
  ]
  const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
    ["node:http", NodeHttpClient.layer],
    ["undici", NodeHttpClient.layerUndici],
    ["fetch", FetchHttpClient.layer]
  ]
  for (const [transport, layer] of transports) {
    it.live(`${transport}: TransportError Encode, not retried, nothing sent, value not echoed`, () =>
      Effect.gen(function*() {
        const { seen, url } = yield* server((_req, res) => {
          res.writeHead(200, { "content-type": "application/json" })
          res.end("{}")
        })
        for (const [what, key] of badKeys) {
          const api = yield* ApiClient.make({ name: "rest", baseUrl: url, auth: Auth.token(Redacted.make(key)), permittedMethods: ["GET"] })
          const exit = yield* Effect.exit(api.request({ url: "/users" }))
          assert.isTrue(Exit.isFailure(exit), what)
          if (Exit.isFailure(exit)) {
            assert.isTrue(Option.isNone(Cause.dieOption(exit.cause)), `${what}: a defect`)
            const error = Cause.failureOption(exit.cause)
            assert.isTrue(Option.isSome(error) && error.value._tag === "TransportError" && error.value.reason === "Encode" && !error.value.maySent, what)
            const text = JSON.stringify(exit.cause) + String(Option.getOrUndefined(error)?.message)
            assert.notInclude(text, "EFGH", what)
            assert.notInclude(text, "X-Injected", what)
          }
        }
        const perCall = yield* ApiClient.make({ name: "rest", baseUrl: url, auth: Auth.none, permittedMethods: ["GET"] })
        const badName = yield* Effect.flip(perCall.request({ url: "/users", headers: { "X Bad": "1" } }))
        assert.isTrue(badName._tag === "TransportError" && badName.reason === "Encode")
        assert.strictEqual(seen.length, 0)
      }).pipe(Effect.scoped, Effect.provide(layer)))
  }
})
