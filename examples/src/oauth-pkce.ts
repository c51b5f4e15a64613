/**
 * OAuth: the authorization-code grant with PKCE (RFC 7636, S256).
 *
 * 1. generate a verifier/challenge pair and a `state`;
 * 2. build the authorize URL (python-pagerduty's PKCE URL always raises; ours works);
 * 3. the user consents in a browser and PagerDuty redirects to `redirect_uri?code=...&state=...`
 *    (here `consent` stands in for the browser: against the testkit simulator it registers the
 *    code with `registerAuthorizationCode`, as `/oauth/authorize` would);
 * 4. exchange the code and the verifier for a user token, use it, refresh it.
 *
 * Codes, verifiers and tokens stay `Redacted`; nothing secret is printed.
 *
 *   node examples/dist/src/oauth-pkce.js   # starts a simulator on 127.0.0.1 and runs against it
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { OAuth, PagerDuty, RestApi } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import { Console, Data, Effect, Redacted } from "effect"
import { pathToFileURL } from "node:url"

/** Where PagerDuty sends the browser back with `?code=...&state=...`. */
export const REDIRECT_URI = "http://127.0.0.1:8976/callback"

/** What the redirect to {@link REDIRECT_URI} carries. */
export interface Callback {
  readonly code: Redacted.Redacted
  readonly state: string
}

/** The `state` that came back is not the one sent: the callback is not ours (CSRF). */
export class StateMismatch extends Data.TaggedError("StateMismatch")<{}> {}

/** The OAuth client (`OAuthService`). Needs an `HttpClient`. */
export const layer = (options: { readonly clientId: string; readonly clientSecret: Redacted.Redacted; readonly oauthBaseUrl?: string | undefined }) =>
  OAuth.layer({ clientId: options.clientId, clientSecret: options.clientSecret, baseUrl: options.oauthBaseUrl })

/**
 * The user's consent, simulated: reads the authorize URL as the identity service would,
 * registers a fresh code for it in the simulator (with the PKCE challenge), and answers
 * the redirect's `code` and `state`.
 */
export const simulatorConsent = (simulator: Simulator.SimulatorService) => (authorizeUrl: string): Effect.Effect<Callback> =>
  Effect.gen(function*() {
    const query = new URL(authorizeUrl).searchParams
    const code = `sim-code-${crypto.randomUUID()}`
    yield* simulator.registerAuthorizationCode({
      code,
      clientId: query.get("client_id") ?? "",
      redirectUri: query.get("redirect_uri") ?? "",
      codeChallenge: query.get("code_challenge") ?? undefined,
      codeChallengeMethod: query.get("code_challenge_method") === "plain" ? "plain" : "S256",
      scope: query.get("scope") ?? undefined
    })
    return { code: Redacted.make(code), state: query.get("state") ?? "" }
  })

/** Runs the flow; returns the printed lines so a test can check them. */
export const program = <E>(
  consent: (authorizeUrl: string) => Effect.Effect<Callback, E>,
  options: { readonly apiBaseUrl?: string | undefined } = {}
) =>
  Effect.gen(function*() {
    const oauth = yield* OAuth.OAuthService
    const lines: Array<string> = []
    const say = (line: string) => Effect.zipRight(Effect.sync(() => lines.push(line)), Console.log(line))

    // 1-2. PKCE pair, an unguessable state, the authorize URL
    const pkce = yield* OAuth.generatePkce
    const state = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("")
    const url = yield* oauth.authorizeUrl({ scope: "read write", redirectUri: REDIRECT_URI, state, codeChallenge: pkce.challenge })
    yield* say(`authorize: ${url}`)

    // 3. the browser comes back
    const callback = yield* consent(url)
    if (callback.state !== state) return yield* new StateMismatch()

    // 4. exchange: the verifier proves we are the ones who sent the challenge
    const tokens = yield* oauth.tokenFromCode({ code: callback.code, redirectUri: REDIRECT_URI, codeVerifier: pkce.verifier })
    yield* say(
      `exchanged the code: ${tokens.tokenType} token, scope ${tokens.scope ?? "?"}, expires in ${tokens.expiresIn} s, refresh token: ${
        tokens.refreshToken === undefined ? "no" : "yes"
      }`
    )

    // the user token on the REST API
    const pd = yield* RestApi.make({ apiKey: tokens.accessToken, authType: "bearer", baseUrl: options.apiBaseUrl })
    const me = yield* PagerDuty.fromRestApi(pd).getCurrentUser()
    yield* say(`GET /users/me: ${me.name}`)

    // a code works once
    const reused = yield* Effect.flip(oauth.tokenFromCode({ code: callback.code, redirectUri: REDIRECT_URI, codeVerifier: pkce.verifier }))
    yield* say(`the code again: ${reused._tag === "HttpError" || reused._tag === "ServerHttpError" ? reused.code : reused._tag}`)

    // later: the refresh-token grant (PagerDuty rotates the refresh token)
    if (tokens.refreshToken !== undefined) {
      const refreshed = yield* oauth.refresh(tokens.refreshToken)
      const changed = (a: Redacted.Redacted | undefined, b: Redacted.Redacted | undefined) =>
        a !== undefined && b !== undefined && Redacted.value(a) !== Redacted.value(b) ? "yes" : "no"
      yield* say(
        `refreshed: new access token: ${changed(refreshed.accessToken, tokens.accessToken)}, rotated refresh token: ${
          changed(refreshed.refreshToken, tokens.refreshToken)
        }`
      )
    }
    return lines
  })

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  Effect.scoped(
    Effect.gen(function*() {
      const { simulator, url } = yield* Simulator.serve()
      const client = Simulator.DEFAULT_OAUTH_CLIENT
      yield* program(simulatorConsent(simulator), { apiBaseUrl: url }).pipe(
        Effect.provide(layer({ clientId: client.clientId, clientSecret: Redacted.make(client.clientSecret), oauthBaseUrl: url }))
      )
    })
  ).pipe(
    Effect.provide(NodeHttpClient.layerUndici),
    Effect.runPromise
  ).catch((e) => {
    console.error(String(e))
    process.exit(1)
  })
}
