import { FetchHttpClient } from "@effect/platform"
import type { HttpClient } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { ApiClient, Auth, RetryPolicy } from "../src/index.js"
import { serve } from "./utils/server.js"

// Real transports against real local servers: PagerDuty APIs never redirect, and a followed
// redirect would carry the request (with its credential) to another origin. The client sets
// `redirect: "manual"` for fetch; undici and node:http do not follow redirects at all.
const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["FetchHttpClient (global fetch)", FetchHttpClient.layer],
  ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici],
  ["NodeHttpClient.layer (node:http)", NodeHttpClient.layer]
]

describe("a 302 to another origin", () => {
  for (const [name, transport] of transports) {
    it.live(`${name}: a typed ServerHttpError Redirect, and no request reaches the other server`, () =>
      Effect.gen(function*() {
        const elsewhere = yield* serve((_req, res) => {
          res.writeHead(200, { "content-type": "application/json" })
          res.end("{\"stolen\":true}")
        })
        const api = yield* serve((_req, res) => {
          res.writeHead(302, { location: `${elsewhere.url}/collect` })
          res.end()
        })
        const client = yield* ApiClient.make({
          name: "rest",
          baseUrl: api.url,
          auth: Auth.token(Redacted.make("redirect-test-key-1234")),
          permittedMethods: ["GET", "POST"],
          retry: RetryPolicy.defaults
        })
        for (const method of ["GET", "POST"]) {
          const error = yield* Effect.flip(client.request({ method, url: "/users", ...(method === "POST" ? { json: { a: 1 } } : {}) }))
          assert.strictEqual(error._tag, "ServerHttpError")
          if (error._tag === "ServerHttpError") {
            assert.strictEqual(error.reason, "Redirect")
            assert.strictEqual(error.status, 302)
            assert.strictEqual(error.attempts, 1)
          }
        }
        assert.strictEqual(api.seen.length, 2)
        assert.strictEqual(elsewhere.seen.length, 0)
      }).pipe(Effect.scoped, Effect.provide(transport)))
  }
})
