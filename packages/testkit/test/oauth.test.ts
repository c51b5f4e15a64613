import { HttpClient, HttpClientRequest } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { Simulator } from "../src/index.js"
import { pkceChallenge } from "../src/internal/sha256.js"
import { API, getJson } from "./helpers.js"

const token = (form: Record<string, string>) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const res = yield* client.execute(HttpClientRequest.post(`${API}/oauth/token`).pipe(HttpClientRequest.bodyUrlParams(form)))
    return { status: res.status, body: (yield* res.json) as any }
  })

const { clientId, clientSecret } = Simulator.DEFAULT_OAUTH_CLIENT
const withSim = Effect.provide(Simulator.layer({ tokenLifetime: "1 hour" }))

describe("OAuth", () => {
  // RFC 7636 appendix B: this verifier and challenge are the RFC's own example pair.
  it("PKCE S256 matches RFC 7636 appendix B", () => {
    assert.strictEqual(pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
  })

  it.effect("client_credentials token works as Bearer until it expires on the clock", () =>
    Effect.gen(function*() {
      const t = yield* token({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, scope: "as_account-us.acme incidents.read" })
      assert.strictEqual(t.status, 200)
      assert.strictEqual(t.body.token_type, "bearer")
      assert.strictEqual(t.body.expires_in, 3600)
      assert.strictEqual(t.body.scope, "as_account-us.acme incidents.read")
      assert.isUndefined(t.body.refresh_token)
      const bearer = { Authorization: `Bearer ${t.body.access_token}` }
      assert.strictEqual((yield* getJson("/incidents", bearer)).status, 200)
      yield* TestClock.adjust("59 minutes")
      assert.strictEqual((yield* getJson("/incidents", bearer)).status, 200)
      yield* TestClock.adjust("1 minute")
      const expired = yield* getJson("/incidents", bearer)
      assert.strictEqual(expired.status, 401)
      assert.strictEqual(expired.body.error.code, 2006)
    }).pipe(withSim))

  it.effect("bad client credentials and grants give OAuth error bodies", () =>
    Effect.gen(function*() {
      const badSecret = yield* token({ grant_type: "client_credentials", client_id: clientId, client_secret: "wrong" })
      assert.strictEqual(badSecret.status, 401)
      assert.strictEqual(badSecret.body.error, "invalid_client")
      const unknown = yield* token({ grant_type: "client_credentials", client_id: "who", client_secret: "x" })
      assert.strictEqual(unknown.body.error, "invalid_client")
      const grant = yield* token({ grant_type: "password", client_id: clientId, client_secret: clientSecret })
      assert.strictEqual(grant.status, 400)
      assert.strictEqual(grant.body.error, "unsupported_grant_type")
      const code = yield* token({ grant_type: "authorization_code", client_id: clientId, client_secret: clientSecret, code: "nope", redirect_uri: "http://x" })
      assert.strictEqual(code.body.error, "invalid_grant")
    }).pipe(withSim))

  it.effect("authorization_code with PKCE, then refresh_token with rotation; revoke works", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const redirect = "http://localhost:8080/callback"
      yield* sim.registerAuthorizationCode({ code: "c1", clientId, redirectUri: redirect, codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" })
      const wrong = yield* token({ grant_type: "authorization_code", client_id: clientId, code: "c1", redirect_uri: redirect, code_verifier: "not-the-verifier" })
      assert.strictEqual(wrong.status, 400)
      assert.strictEqual(wrong.body.error, "invalid_grant")
      const ok = yield* token({ grant_type: "authorization_code", client_id: clientId, code: "c1", redirect_uri: redirect, code_verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk" })
      assert.strictEqual(ok.status, 200)
      assert.isString(ok.body.refresh_token)
      const reuse = yield* token({ grant_type: "authorization_code", client_id: clientId, code: "c1", redirect_uri: redirect, code_verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk" })
      assert.strictEqual(reuse.body.error, "invalid_grant")
      const me = yield* getJson("/users/me", { Authorization: `Bearer ${ok.body.access_token}` })
      assert.strictEqual(me.body.user.id, "PU00000")

      const refreshed = yield* token({ grant_type: "refresh_token", client_id: clientId, client_secret: clientSecret, refresh_token: ok.body.refresh_token })
      assert.strictEqual(refreshed.status, 200)
      assert.notStrictEqual(refreshed.body.access_token, ok.body.access_token)
      const old = yield* token({ grant_type: "refresh_token", client_id: clientId, client_secret: clientSecret, refresh_token: ok.body.refresh_token })
      assert.strictEqual(old.body.error, "invalid_grant")

      assert.isTrue(yield* sim.revokeToken(refreshed.body.access_token))
      assert.strictEqual((yield* getJson("/incidents", { Authorization: `Bearer ${refreshed.body.access_token}` })).status, 401)
    }).pipe(withSim))
})
