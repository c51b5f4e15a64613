/**
 * Runs the OAuth examples against the testkit simulator (`Simulator.layer`, in memory). The
 * simulator reads Effect's `Clock`, so `TestClock` drives both the token expiry it enforces
 * and the example's polling schedule.
 */
import { OAuth } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Redacted, TestClock } from "effect"
import * as Pkce from "../src/oauth-pkce.js"
import * as TokenSourceExample from "../src/oauth-token-source.js"

const client = Simulator.DEFAULT_OAUTH_CLIENT
const settings: TokenSourceExample.Settings = {
  clientId: client.clientId,
  clientSecret: Redacted.make(client.clientSecret),
  scopes: "read write"
}

/** The example's layers on top of the simulator, whose service stays visible to the test. */
const onSimulator = TokenSourceExample.layer(settings).pipe(Layer.provideMerge(Simulator.layer()))

const everyTenMinutes = { polls: 13, every: "10 minutes" } as const

describe("OAuth examples", () => {
  it.effect("oauth-token-source: two hours of polling cross two expiries with exactly three grants and no 401", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const fiber = yield* Effect.fork(TokenSourceExample.program(everyTenMinutes))
      yield* TestClock.adjust("2 hours")
      const lines = yield* Fiber.join(fiber)
      const open = (yield* sim.state.incidents({ statuses: ["triggered", "acknowledged"] })).length
      const tokenOf = (minute: number) => minute < 60 ? "token 1, expires at +60 min" : minute < 120 ? "token 2, expires at +120 min" : "token 3, expires at +180 min"
      assert.deepStrictEqual(lines, [
        ...Array.from({ length: 13 }, (_, i) => `poll ${i + 1} at +${i * 10} min: ${open} open incidents (${tokenOf(i * 10)})`),
        "tokens used: 3"
      ])
      const counts = yield* sim.countsByEndpoint
      // the first token, then one refresh 5 minutes (the buffer) or less before each expiry
      assert.strictEqual(counts["POST /oauth/token"], 3)
      assert.strictEqual(counts["GET /incidents"], 13)
      const requests = yield* sim.requests
      assert.deepStrictEqual(requests.filter((r) => r.status !== 200).map((r) => `${r.endpoint} ${r.status}`), [])
      assert.isTrue(requests.every((r) => !r.body.includes(client.clientSecret) || r.endpoint === "POST /oauth/token"))
      assert.notInclude(lines.join("\n"), "pdus+")
    }).pipe(Effect.provide(onSimulator)))

  it.effect("oauth-token-source: tokens revoked mid-run cost one 401, one extra grant, and the poll still succeeds", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const fiber = yield* Effect.fork(TokenSourceExample.program(everyTenMinutes))
      yield* TestClock.adjust("25 minutes")
      yield* sim.expireTokens
      yield* TestClock.adjust("95 minutes")
      const lines = yield* Fiber.join(fiber)
      assert.strictEqual(lines.length, 14)
      // token 2 came after the 401 at +30 min, token 3 before token 2 expired at +90 min
      assert.match(lines[3]!, /^poll 4 at \+30 min: \d+ open incidents \(token 2, expires at \+90 min\)$/)
      assert.match(lines[9]!, /^poll 10 at \+90 min: \d+ open incidents \(token 3, expires at \+150 min\)$/)
      assert.match(lines[12]!, /^poll 13 at \+120 min: \d+ open incidents \(token 3, expires at \+150 min\)$/)
      assert.strictEqual(lines[13], "tokens used: 3")
      const counts = yield* sim.countsByEndpoint
      assert.strictEqual(counts["POST /oauth/token"], 3)
      assert.strictEqual(counts["GET /incidents"], 14)
      const failed = (yield* sim.requests).filter((r) => r.status !== 200)
      assert.deepStrictEqual(failed.map((r) => `${r.endpoint} ${r.status}`), ["GET /incidents 401"])
    }).pipe(Effect.provide(onSimulator)))

  it.effect("oauth-pkce: authorize URL with an S256 challenge, consent, exchange with the verifier, the user's token works, the code is single-use", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const lines = yield* Pkce.program(Pkce.simulatorConsent(sim))
      assert.strictEqual(lines.length, 5)
      assert.match(
        lines[0]!,
        /^authorize: https:\/\/identity\.pagerduty\.com\/oauth\/authorize\?client_id=sim-client-id&redirect_uri=http%3A%2F%2F127\.0\.0\.1%3A8976%2Fcallback&response_type=code&scope=read\+write&state=[0-9a-f]{32}&code_challenge=[A-Za-z0-9_-]{43}&code_challenge_method=S256$/
      )
      assert.deepStrictEqual(lines.slice(1), [
        "exchanged the code: bearer token, scope read write, expires in 3600 s, refresh token: yes",
        "GET /users/me: Ada Lovelace",
        "the code again: invalid_grant",
        "refreshed: new access token: yes, rotated refresh token: yes"
      ])
      const counts = yield* sim.countsByEndpoint
      assert.strictEqual(counts["POST /oauth/token"], 3)
      const tokenRequests = (yield* sim.requests).filter((r) => r.endpoint === "POST /oauth/token")
      const exchange = new URLSearchParams(tokenRequests[0]!.body)
      assert.strictEqual(exchange.get("grant_type"), "authorization_code")
      assert.match(exchange.get("code_verifier") ?? "", /^[A-Za-z0-9_-]{43}$/)
      // the challenge in the URL is the S256 of the verifier that was sent
      const challenge = new URL(lines[0]!.slice("authorize: ".length)).searchParams.get("code_challenge")
      assert.strictEqual(yield* OAuth.pkceChallenge(Redacted.make(exchange.get("code_verifier")!)), challenge)
      assert.notInclude(lines.join("\n"), exchange.get("code_verifier")!)
      assert.notInclude(lines.join("\n"), exchange.get("code")!)
    }).pipe(Effect.provide(Pkce.layer({ clientId: client.clientId, clientSecret: Redacted.make(client.clientSecret) }).pipe(Layer.provideMerge(Simulator.layer())))))
})
