/**
 * The Jira Server (Jira service integration) client end to end against the testkit simulator:
 * an OAuth access token from the simulator's identity endpoint (Bearer), the signature header
 * the simulator insists on, `rule` wrapping, classic pagination and the app host.
 */
import { Headers, HttpClient, HttpClientRequest } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import { Simulator } from "@effect-pagerduty/testkit"
import { Chunk, Effect, Redacted, Stream } from "effect"
import { JiraServer, OAuth } from "../src/index.js"
import { type Captured, everything, observe } from "./utils/observe.js"

const SIGNATURE = "eyJ0eXAiOiJKV1Qi.JIRA_SIGNATURE_SECRET_77"

/** An OAuth access token from the simulator's `/oauth/token` (client credentials). */
const accessToken = (baseUrl?: string) =>
  Effect.flatMap(
    OAuth.make({
      clientId: Simulator.DEFAULT_OAUTH_CLIENT.clientId,
      clientSecret: Redacted.make(Simulator.DEFAULT_OAUTH_CLIENT.clientSecret),
      baseUrl
    }),
    (oauth) => Effect.map(oauth.scopedAppToken("read write"), (t) => t.accessToken)
  )

const ids = (chunk: Chunk.Chunk<unknown>) => Chunk.toArray(chunk).map((r) => (r as { id: string }).id)

describe("JiraServer against the simulator", () => {
  it.effect("app host, Bearer token and signature on every request; rules CRUD with rule wrapping and classic pagination", () =>
    Effect.gen(function*() {
      const token = yield* accessToken()
      const jira = yield* JiraServer.make({ auth: token, jiraSignatureToken: Redacted.make(SIGNATURE) })
      const listed = yield* Stream.runCollect(jira.listRules({ pageSize: 2 }))
      assert.deepStrictEqual(ids(listed), ["PJSRL01", "PJSRL02", "PJSRL03"])

      const created = (yield* jira.createRule({ name: "Sync P1s", enabled: true, config: { sync_comments: false } })) as {
        id: string
        name: string
        created_at: string
      }
      assert.strictEqual(created.name, "Sync P1s")
      assert.isString(created.created_at)
      const updated = (yield* jira.updateRule(created.id, { enabled: false })) as { enabled: boolean; name: string }
      assert.deepStrictEqual([updated.enabled, updated.name], [false, "Sync P1s"])
      assert.strictEqual(((yield* jira.getRule(created.id)) as { enabled: boolean }).enabled, false)
      yield* jira.deleteRule(created.id)
      const gone = yield* Effect.flip(jira.getRule(created.id))
      assert.isTrue(gone._tag === "HttpError" && gone.status === 404)

      const sim = yield* Simulator.Simulator
      const counts = yield* sim.countsByEndpoint
      assert.strictEqual(counts["GET /integration-jira-service/rules"], 2)
      assert.strictEqual(counts["GET /integration-jira-service/rules/{id}"], 2)
      const jiraRequests = (yield* sim.requests).filter((r) => r.path.startsWith("/integration-jira-service/"))
      assert.strictEqual(jiraRequests.length, 7)
      for (const r of jiraRequests) {
        assert.strictEqual(new URL(r.url).origin, "https://app.pagerduty.com")
        // sent (the simulator answers 403 without it) but masked in the recording, like a key
        assert.strictEqual(r.headers["x-pagerduty-jira-signature"], "<redacted>")
        assert.strictEqual(r.headers["accept"], "application/json")
      }
      const post = jiraRequests.find((r) => r.method === "POST")!
      assert.deepStrictEqual(JSON.parse(post.body), { rule: { name: "Sync P1s", enabled: true, config: { sync_comments: false } } })
      const put = jiraRequests.find((r) => r.method === "PUT")!
      assert.deepStrictEqual(JSON.parse(put.body), { rule: { enabled: false } })
    }).pipe(Effect.provide(Simulator.layer())))

  it.effect("the simulator refuses a request without the signature (403) and an API key instead of a Bearer token (401)", () =>
    Effect.gen(function*() {
      const token = yield* accessToken()
      const stripped = yield* JiraServer.make({
        auth: token,
        jiraSignatureToken: Redacted.make(SIGNATURE),
        transformClient: stripSignature
      })
      const forbidden = yield* Effect.flip(stripped.getRule("PJSRL01"))
      assert.isTrue(forbidden._tag === "HttpError" && forbidden.status === 403, forbidden.message)
      const withKey = yield* JiraServer.make({
        auth: Redacted.make(Simulator.DEFAULT_API_KEY),
        jiraSignatureToken: Redacted.make(SIGNATURE)
      })
      // an API key given as `Redacted` is still sent as Bearer, which the simulator does not know
      const unauthorized = yield* Effect.flip(withKey.getRule("PJSRL01"))
      assert.isTrue(unauthorized._tag === "HttpError" && unauthorized.status === 401)
      const signed = yield* JiraServer.make({ auth: token, jiraSignatureToken: Redacted.make(SIGNATURE) })
      assert.strictEqual(((yield* signed.getRule("PJSRL01")) as { id: string }).id, "PJSRL01")
    }).pipe(Effect.provide(Simulator.layer())))

  it.effect("a blank or header-unsafe signature is a UrlError from make that does not show it, and nothing is sent", () =>
    Effect.gen(function*() {
      const token = yield* accessToken()
      for (const bad of ["", "  ", "sig\r\nX-Injected: 1", "sig with spaces", "sigé"]) {
        const error = yield* Effect.flip(JiraServer.make({ auth: token, jiraSignatureToken: Redacted.make(bad) }))
        assert.strictEqual(error._tag, "UrlError")
        assert.strictEqual(error.reason, "Malformed")
        if (bad.trim() !== "") assert.notInclude(`${error.message} ${JSON.stringify(error)}`, bad)
      }
      const sim = yield* Simulator.Simulator
      assert.deepStrictEqual((yield* sim.requests).map((r) => r.endpoint), ["POST /oauth/token"])
    }).pipe(Effect.provide(Simulator.layer())))

  it.effect("neither the access token nor the signature reaches a log line, a span or an error", () =>
    Effect.gen(function*() {
      const token = yield* accessToken()
      const captured: Captured = { logs: [], spans: [] }
      const error = yield* observe(
        Effect.gen(function*() {
          const jira = yield* JiraServer.make({ auth: token, jiraSignatureToken: Redacted.make(SIGNATURE) })
          yield* Stream.runDrain(jira.listRules({ pageSize: 1 }))
          yield* jira.createRule({ name: "x", enabled: true, config: {} })
          return yield* Effect.flip(jira.getRule("PJSRL99"))
        }),
        captured
      )
      assert.isTrue(error._tag === "HttpError" && error.status === 404)
      const text = `${everything(captured)}\n${error.message}\n${JSON.stringify(error)}\n${String(error)}`
      assert.isAbove(captured.spans.length, 3)
      assert.include(text, "/integration-jira-service/rules")
      assert.notInclude(text, SIGNATURE)
      assert.notInclude(text, Redacted.value(token))
    }).pipe(Effect.provide(Simulator.layer())))

  it.live("a base URL override reaches a real simulator server on 127.0.0.1", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const { simulator, url } = yield* Simulator.serve()
        const token = yield* accessToken(url)
        const jira = yield* JiraServer.make({
          auth: token,
          jiraSignatureToken: Redacted.make(SIGNATURE),
          baseUrl: `${url}/integration-jira-service`
        })
        const rules = yield* Stream.runCollect(jira.listRules())
        assert.strictEqual(rules.length, 3)
        const [request] = (yield* simulator.requests).filter((r) => r.path === "/integration-jira-service/rules")
        assert.strictEqual(new URL(request!.url).search, "?limit=100&offset=0")
      })
    ).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})

/** Middleware standing in for a proxy that drops the signature header. */
const stripSignature = HttpClient.mapRequest((request) =>
  HttpClientRequest.make(request.method)(request.url, {
    urlParams: request.urlParams,
    headers: Headers.remove(request.headers, "x-pagerduty-jira-signature"),
    body: request.body
  })
)
