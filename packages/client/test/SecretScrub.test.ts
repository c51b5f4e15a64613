import { FetchHttpClient } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Redacted } from "effect"
import { ApiClient, Auth, PagerDutyError, RetryPolicy } from "../src/index.js"
import { type Captured, everything, observe } from "./utils/observe.js"
import { serve } from "./utils/server.js"

const TOKEN = "u+ECHOEDKEY_0123456789"
const BEARER = "pdus+_0XBPWQQ_echoed-bearer-token"
const ROUTING = "R0UT1NGKEY0000000000000000ECHOED"
const CLIENT_SECRET = "client/secret+with=odd&chars"

// A server (or proxy) that answers every request with a 400 echoing the request: its headers
// and its body, both as PagerDuty error fields and as raw text in another field.
const echo = serve((req, res) => {
  const dump = `${req.method} ${req.url} ${JSON.stringify(req.headers)} ${req.body}`
  const status = req.url.startsWith("/plain") ? 502 : 400
  if (req.url.startsWith("/plain")) {
    res.writeHead(status, { "content-type": "text/plain" })
    res.end(`proxy error; request was: ${dump}`)
    return
  }
  res.writeHead(status, { "content-type": "application/json" })
  res.end(JSON.stringify({ error: { message: `Invalid request: ${dump}`, code: 2001, errors: [req.headers, req.body] } }))
})

const clientFor = (url: string, auth: Auth.Auth) =>
  ApiClient.make({ name: "echo", baseUrl: url, auth, permittedMethods: ["GET", "POST"], retry: RetryPolicy.none })

describe("secrets are scrubbed at the source when a server echoes the request", () => {
  it.live("API key, bearer token, routing key and OAuth client secret never reach an error, a log line or a span", () =>
    Effect.gen(function*() {
      const server = yield* echo
      const captured: Captured = { logs: [], spans: [] }
      const calls = [
        [Auth.token(Redacted.make(TOKEN)), { url: "/users" }],
        [Auth.token(Redacted.make(TOKEN)), { url: "/plain/users" }],
        [Auth.bearer(Redacted.make(BEARER)), { url: "/users" }],
        [Auth.routingKey(Redacted.make(ROUTING)), { method: "POST", url: "/v2/enqueue", json: { event_action: "trigger" } }],
        [Auth.clientCredentials("my-client-id", Redacted.make(CLIENT_SECRET)), { method: "POST", url: "/oauth/token", form: { grant_type: "client_credentials" } }]
      ] as const
      const texts: Array<string> = []
      for (const [auth, call] of calls) {
        const api = yield* clientFor(server.url, auth)
        const exit = yield* observe(Effect.exit(api.json(call)).pipe(Effect.tap((e) => Exit.isFailure(e) ? Effect.logError(e.cause) : Effect.void)), captured)
        assert.isTrue(Exit.isFailure(exit))
        if (Exit.isFailure(exit)) {
          const error = Cause.squash(exit.cause) as PagerDutyError.PagerDutyError
          assert.isTrue(error._tag === "HttpError" || error._tag === "ServerHttpError", error._tag)
          assert.include(error.message, "<redacted>")
          texts.push(error.message, JSON.stringify(error), String(Cause.pretty(exit.cause)))
        }
      }
      // the secrets did reach the server (and were echoed): the scrubbing is what hides them
      assert.include(JSON.stringify(server.seen), TOKEN)
      assert.include(JSON.stringify(server.seen), ROUTING)
      const all = [...texts, everything(captured)].join("\n")
      for (const secret of [TOKEN, BEARER, ROUTING, CLIENT_SECRET, encodeURIComponent(CLIENT_SECRET)]) assert.notInclude(all, secret)
      assert.include(all, "my-client-id")
    }).pipe(Effect.scoped, Effect.provide(FetchHttpClient.layer)))

  it.live("ordinary words survive: a wrong key 'wrong' leaves 'it may be wrong' alone", () =>
    Effect.gen(function*() {
      const server = yield* serve((_req, res) => {
        res.writeHead(401, { "content-type": "application/json" })
        res.end(JSON.stringify({ error: { message: "The key was refused: it may be wrong or revoked", code: 2006 } }))
      })
      for (const key of ["wrong", "wrongly-typed-key-123"]) {
        const api = yield* clientFor(server.url, Auth.token(Redacted.make(key)))
        const error = yield* Effect.flip(api.request({ url: "/users" }))
        assert.strictEqual(error._tag, "HttpError")
        assert.include(error.message, "it may be wrong or revoked")
        assert.notInclude(error.message, "<redacted>")
      }
    }).pipe(Effect.scoped, Effect.provide(FetchHttpClient.layer)))
})

describe("PagerDutyError.scrubSecrets (what the CLI uses)", () => {
  it("replaces whole tokens of 8+ characters, plain, percent-encoded and JSON-escaped", () => {
    const secret = Redacted.make("abc/def+ghi\"jkl")
    assert.strictEqual(PagerDutyError.scrubSecrets("k=abc/def+ghi\"jkl.", [secret]), "k=<redacted>.")
    assert.strictEqual(PagerDutyError.scrubSecrets("k=abc%2Fdef%2Bghi%22jkl", [secret]), "k=<redacted>")
    assert.strictEqual(PagerDutyError.scrubSecrets("{\"k\":\"abc/def+ghi\\\"jkl\"}", [secret]), "{\"k\":\"<redacted>\"}")
    // inside a longer token: left alone; short secrets: left alone
    assert.strictEqual(PagerDutyError.scrubSecrets("xabc/def+ghi\"jkly", [secret]), "xabc/def+ghi\"jkly")
    assert.strictEqual(PagerDutyError.scrubSecrets("it may be wrong", [Redacted.make("wrong")]), "it may be wrong")
  })
})
