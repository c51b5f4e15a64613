import type { HttpClient } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Simulator } from "@effect-pagerduty/testkit"
import { Effect, Either, Fiber, Layer, Option, Redacted, Ref, TestClock } from "effect"
import { ApiClient, OAuth } from "../src/index.js"
import * as Mock from "./utils/mock.js"
import { type Captured, everything, observe } from "./utils/observe.js"

const CLIENT_SECRET = "cs_SECRET_0123456789abcdef"
const ACCESS = "pdus+ACCESS_TOKEN_abcdef"
const REFRESH = "pdus+REFRESH_TOKEN_abcdef"
const CODE = "AUTH_CODE_123456"
// RFC 7636 appendix B: the verifier is base64url of the 32 octets listed there, the challenge
// base64url(SHA-256(verifier)). (A variant of this pair circulates with both strings garbled:
// "...-mJ0q45P8m8ZNodwqtWx9MO-IQVgLZI" / "...2OvFWXpsq0Ge9uVPZ2ZbA7BLgcpt8Di7t9M"; it is not a
// SHA-256 pair, and the first test below checks the RFC's own octets instead.)
const RFC_OCTETS = [
  116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186,
  22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121
]
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

const oauthLayer = (options: Partial<OAuth.Options> = {}) =>
  OAuth.layer({ clientId: "my-app", clientSecret: Redacted.make(CLIENT_SECRET), ...options })

const tokenBody = (n: number, extra: Record<string, unknown> = {}) => ({
  access_token: `${ACCESS}-${n}`,
  token_type: "bearer",
  expires_in: 3600,
  scope: "incidents.read services.read",
  ...extra
})

/** A mock identity service answering every token request with a new token number n. */
const identity = (extra: Record<string, unknown> = {}) =>
  Mock.layer((_req, n) => Mock.json(tokenBody(n, extra)))

const withOAuth = <A, E>(self: Effect.Effect<A, E, OAuth.OAuthService | Mock.Requests | HttpClient.HttpClient>, http: ReturnType<typeof Mock.layer>, options: Partial<OAuth.Options> = {}) =>
  self.pipe(Effect.provide(Layer.provideMerge(oauthLayer(options), http)))

const formOf = (body: string | undefined) => body ?? ""

describe("OAuth token client: grant flows", () => {
  it.effect("scoped app token: form body in Python's order, POST to the identity host, absolute expiry", () =>
    withOAuth(
      Effect.gen(function*() {
        yield* TestClock.setTime(1_000_000)
        const oauth = yield* OAuth.OAuthService
        const token = yield* oauth.scopedAppToken(["incidents.read", "services.read"])
        const [req] = yield* Mock.recorded
        assert.strictEqual(req!.method, "POST")
        assert.strictEqual(req!.url, "https://identity.pagerduty.com/oauth/token")
        assert.strictEqual(req!.headers["content-type"], "application/x-www-form-urlencoded")
        assert.strictEqual(
          formOf(req!.body),
          `grant_type=client_credentials&scope=incidents.read+services.read&client_id=my-app&client_secret=${CLIENT_SECRET}`
        )
        assert.strictEqual(Redacted.value(token.accessToken), `${ACCESS}-1`)
        assert.strictEqual(token.expiresIn, 3600)
        assert.strictEqual(token.issuedAt, 1_000_000)
        assert.strictEqual(token.expiresAt, 1_000_000 + 3_600_000)
        assert.strictEqual(token.refreshToken, undefined)
        assert.strictEqual(token.scope, "incidents.read services.read")
        assert.deepStrictEqual(token.extra, {})
      }),
      identity()
    ))

  it.effect("authorization code grant, without and with PKCE", () =>
    withOAuth(
      Effect.gen(function*() {
        const oauth = yield* OAuth.OAuthService
        const plain = yield* oauth.tokenFromCode({ code: Redacted.make(CODE), scope: "read write", redirectUri: "https://example.com/cb" })
        yield* oauth.tokenFromCode({
          code: Redacted.make(CODE),
          scope: "read write",
          redirectUri: "https://example.com/cb",
          codeVerifier: Redacted.make(VERIFIER)
        })
        yield* oauth.tokenFromCode({ code: Redacted.make(CODE), redirectUri: "https://example.com/cb" })
        const bodies = (yield* Mock.recorded).map((r) => formOf(r.body))
        const cb = encodeURIComponent("https://example.com/cb")
        assert.deepStrictEqual(bodies, [
          `grant_type=authorization_code&code=${CODE}&scope=read+write&redirect_uri=${cb}&client_id=my-app&client_secret=${CLIENT_SECRET}`,
          `grant_type=authorization_code&code=${CODE}&scope=read+write&redirect_uri=${cb}&code_verifier=${VERIFIER}&client_id=my-app&client_secret=${CLIENT_SECRET}`,
          `grant_type=authorization_code&code=${CODE}&redirect_uri=${cb}&client_id=my-app&client_secret=${CLIENT_SECRET}`
        ])
        assert.strictEqual(Redacted.value(plain.refreshToken!), REFRESH)
        assert.strictEqual(String(plain.refreshToken), "<redacted>")
        assert.strictEqual(String(plain.accessToken), "<redacted>")
      }),
      identity({ refresh_token: REFRESH })
    ))

  it.effect("refresh-token grant", () =>
    withOAuth(
      Effect.gen(function*() {
        const oauth = yield* OAuth.OAuthService
        yield* oauth.refresh(Redacted.make(REFRESH))
        const [req] = yield* Mock.recorded
        assert.strictEqual(
          formOf(req!.body),
          `grant_type=refresh_token&refresh_token=${encodeURIComponent(REFRESH)}&client_id=my-app&client_secret=${CLIENT_SECRET}`
        )
      }),
      identity({ refresh_token: `${REFRESH}-rotated` })
    ))

  it.effect("EU region and base URL override", () =>
    Effect.gen(function*() {
      const eu = yield* withOAuth(
        Effect.flatMap(OAuth.OAuthService, (o) => Effect.zipRight(o.scopedAppToken("read"), Mock.recorded)),
        identity(),
        { region: "eu" }
      )
      assert.strictEqual(eu[0]!.url, "https://identity.eu.pagerduty.com/oauth/token")
      const local = yield* withOAuth(
        Effect.flatMap(OAuth.OAuthService, (o) => Effect.zipRight(o.scopedAppToken("read"), Mock.recorded)),
        identity(),
        { baseUrl: "http://127.0.0.1:4010" }
      )
      assert.strictEqual(local[0]!.url, "http://127.0.0.1:4010/oauth/token")
    }))

  it.effect("a response without expires_in is a ServerHttpError that does not carry the token", () =>
    withOAuth(
      Effect.gen(function*() {
        const oauth = yield* OAuth.OAuthService
        const error = yield* Effect.flip(oauth.scopedAppToken("read"))
        assert.strictEqual(error._tag, "ServerHttpError")
        if (error._tag !== "ServerHttpError") return
        assert.strictEqual(error.reason, "UnexpectedBody")
        assert.include(error.message, `did not include expected key "expires_in"`)
        assert.notInclude(JSON.stringify(error), ACCESS)
        assert.notInclude(error.message, ACCESS)
      }),
      Mock.layer(() => Mock.json({ access_token: ACCESS, token_type: "bearer" }))
    ))

  it.effect("token response shapes: a numeric-string expires_in is accepted and other fields kept in extra; not JSON, not an object, an empty token are typed errors", () => {
    const bodies = [
      JSON.stringify({ access_token: ACCESS, expires_in: "3600", token_type: 7, refresh_token: "", region: "us" }),
      "not json",
      JSON.stringify([ACCESS]),
      JSON.stringify({ access_token: "", expires_in: 3600 }),
      JSON.stringify({ access_token: ACCESS, expires_in: " " })
    ]
    return withOAuth(
      Effect.gen(function*() {
        const oauth = yield* OAuth.OAuthService
        const token = yield* oauth.scopedAppToken("read")
        assert.strictEqual(token.expiresIn, 3600)
        assert.strictEqual(token.tokenType, "bearer")
        assert.isUndefined(token.refreshToken)
        assert.deepStrictEqual(token.extra, { region: "us" })
        const expected = [
          ["InvalidJson", "the token response is not JSON"],
          ["UnexpectedBody", "the token response is not a JSON object"],
          ["UnexpectedBody", `did not include expected key "access_token"`],
          ["UnexpectedBody", `did not include expected key "expires_in"`]
        ] as const
        for (const [reason, message] of expected) {
          const error = yield* Effect.flip(oauth.scopedAppToken("read"))
          assert.strictEqual(error._tag, "ServerHttpError")
          if (error._tag !== "ServerHttpError") continue
          assert.strictEqual(error.reason, reason)
          assert.include(error.message, message)
          assert.notInclude(JSON.stringify(error), ACCESS)
        }
      }),
      Mock.layer((_, n) => new Response(bodies[n - 1], { status: 200, headers: { "content-type": "text/plain" } }))
    )
  })

  it.effect("identity-service errors are HttpErrors whose code is the OAuth error", () =>
    withOAuth(
      Effect.gen(function*() {
        const oauth = yield* OAuth.OAuthService
        const first = yield* Effect.flip(oauth.refresh(Redacted.make(REFRESH)))
        assert.strictEqual(first._tag, "HttpError")
        if (first._tag !== "HttpError") return
        assert.strictEqual(first.status, 400)
        assert.strictEqual(first.code, "invalid_grant")
        assert.strictEqual(first.errorMessage, "The refresh token is invalid")
        const second = yield* Effect.flip(oauth.scopedAppToken("read"))
        assert.strictEqual(second._tag, "HttpError")
        if (second._tag !== "HttpError") return
        assert.strictEqual(second.status, 401)
        assert.strictEqual(second.code, "invalid_client")
        for (const e of [first, second]) {
          assert.notInclude(e.message, CLIENT_SECRET)
          assert.notInclude(JSON.stringify(e), CLIENT_SECRET)
          assert.notInclude(JSON.stringify(e), REFRESH)
        }
      }),
      Mock.layer((_r, n) =>
        n === 1
          ? Mock.json({ error: "invalid_grant", error_description: "The refresh token is invalid" }, 400)
          : Mock.json({ error: "invalid_client" }, 401)
      )
    ))

  it.effect("bad input is an OAuthInputError and nothing is sent", () =>
    withOAuth(
      Effect.gen(function*() {
        const oauth = yield* OAuth.OAuthService
        const errors = [
          yield* Effect.flip(oauth.tokenFromCode({ code: Redacted.make(""), redirectUri: "https://example.com/cb" })),
          yield* Effect.flip(oauth.tokenFromCode({ code: Redacted.make(CODE), redirectUri: "not a url" })),
          yield* Effect.flip(oauth.tokenFromCode({ code: Redacted.make(CODE), redirectUri: "https://example.com/cb#frag" })),
          yield* Effect.flip(
            oauth.tokenFromCode({ code: Redacted.make(CODE), redirectUri: "https://example.com/cb", codeVerifier: Redacted.make("short") })
          ),
          yield* Effect.flip(oauth.scopedAppToken([])),
          yield* Effect.flip(oauth.scopedAppToken("   ")),
          yield* Effect.flip(oauth.refresh(Redacted.make("")))
        ]
        assert.deepStrictEqual(errors.map((e) => e._tag), Array(7).fill("OAuthInputError"))
        assert.deepStrictEqual(
          errors.map((e) => (e._tag === "OAuthInputError" ? e.field : "")),
          ["code", "redirectUri", "redirectUri", "codeVerifier", "scope", "scope", "refreshToken"]
        )
        assert.strictEqual((yield* Mock.recorded).length, 0)
        const noClient = yield* Effect.flip(OAuth.make({ clientId: " ", clientSecret: Redacted.make(CLIENT_SECRET) }))
        assert.strictEqual(noClient._tag, "OAuthInputError")
      }),
      identity()
    ))

  it.effect("no secret reaches a log line, a span or an error", () =>
    Effect.gen(function*() {
      const captured: Captured = { logs: [], spans: [] }
      const program = Effect.gen(function*() {
        const oauth = yield* OAuth.OAuthService
        yield* oauth.tokenFromCode({ code: Redacted.make(CODE), redirectUri: "https://example.com/cb", codeVerifier: Redacted.make(VERIFIER) })
        yield* oauth.refresh(Redacted.make(REFRESH))
        const error = yield* Effect.flip(oauth.scopedAppToken("read"))
        yield* Effect.logError(error)
        return error
      })
      const error = yield* observe(
        withOAuth(
          program,
          Mock.layer((_r, n) => n < 3 ? Mock.json(tokenBody(n, { refresh_token: REFRESH })) : Mock.json({ error: "invalid_client" }, 401))
        ),
        captured
      )
      const text = `${everything(captured)}\n${error.message}\n${JSON.stringify(error)}`
      assert.isAbove(captured.spans.length, 0)
      for (const secret of [CLIENT_SECRET, ACCESS, REFRESH, CODE, VERIFIER]) assert.notInclude(text, secret)
    }))
})

describe("PKCE and the authorize URL", () => {
  it.effect("S256 challenge of RFC 7636 appendix B", () =>
    Effect.gen(function*() {
      const base64url = btoa(String.fromCharCode(...RFC_OCTETS)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
      assert.strictEqual(base64url, VERIFIER)
      assert.strictEqual(yield* OAuth.pkceChallenge(Redacted.make(VERIFIER)), CHALLENGE)
      const bad = yield* Effect.flip(OAuth.pkceChallenge(Redacted.make("has spaces and is long enough to pass the length check")))
      assert.strictEqual(bad._tag, "OAuthInputError")
    }))

  it.effect("generatePkce: 43-character base64url verifier, matching challenge, fresh every time", () =>
    Effect.gen(function*() {
      const a = yield* OAuth.generatePkce
      const b = yield* OAuth.generatePkce
      for (const pkce of [a, b]) {
        assert.match(Redacted.value(pkce.verifier), /^[A-Za-z0-9_-]{43}$/)
        assert.match(pkce.challenge, /^[A-Za-z0-9_-]{43}$/)
        assert.strictEqual(pkce.method, "S256")
        assert.strictEqual(yield* OAuth.pkceChallenge(pkce.verifier), pkce.challenge)
      }
      assert.notStrictEqual(Redacted.value(a.verifier), Redacted.value(b.verifier))
    }))

  it.effect("authorize URL: Python's parameters, plus a working PKCE variant", () =>
    withOAuth(
      Effect.gen(function*() {
        const oauth = yield* OAuth.OAuthService
        const plain = yield* oauth.authorizeUrl({ scope: "read write", redirectUri: "https://example.com/cb" })
        assert.strictEqual(
          plain,
          "https://identity.pagerduty.com/oauth/authorize?client_id=my-app&redirect_uri=https%3A%2F%2Fexample.com%2Fcb&response_type=code&scope=read+write"
        )
        const pkce = yield* oauth.authorizeUrl({
          scope: ["read", "write"],
          redirectUri: "https://example.com/cb",
          state: "xyz",
          codeChallenge: CHALLENGE
        })
        assert.strictEqual(
          pkce,
          `https://identity.pagerduty.com/oauth/authorize?client_id=my-app&redirect_uri=https%3A%2F%2Fexample.com%2Fcb&response_type=code&scope=read+write&state=xyz&code_challenge=${CHALLENGE}&code_challenge_method=S256`
        )
        const eu = OAuth.authorizeUrl({ clientId: "c", region: "eu", scope: "read", redirectUri: "https://example.com/cb" })
        assert.isTrue(Either.isRight(eu) && eu.right.startsWith("https://identity.eu.pagerduty.com/oauth/authorize?client_id=c&"))
        const bad = OAuth.authorizeUrl({ clientId: "c", scope: "read", redirectUri: "https://example.com/cb", codeChallenge: "plain-text" })
        assert.isTrue(Either.isLeft(bad) && bad.left.field === "codeChallenge")
        assert.isTrue(Either.isLeft(OAuth.authorizeUrl({ clientId: "c", scope: "", redirectUri: "https://example.com/cb" })))
        assert.strictEqual((yield* Mock.recorded).length, 0)
      }),
      identity()
    ))
})

// ---------------------------------------------------------------------------------------
// TokenSource

const tokenRequests = Effect.map(Mock.recorded, (rs) => rs.filter((r) => r.url.endsWith("/oauth/token")))

const sourceLayer = (options: OAuth.TokenSourceOptions, http: ReturnType<typeof Mock.layer>) =>
  OAuth.tokenSourceLayer(options).pipe(Layer.provideMerge(oauthLayer()), Layer.provideMerge(http))

describe("TokenSource", () => {
  it.effect("fetches lazily, reuses the token, refreshes exactly at expiry minus the buffer", () =>
    Effect.gen(function*() {
      const source = yield* OAuth.TokenSourceService
      assert.strictEqual((yield* tokenRequests).length, 0)
      assert.strictEqual(Redacted.value(yield* source.get), `${ACCESS}-1`)
      yield* TestClock.adjust("3299999 millis") // 55 min - 1 ms: still fresh with a 5 min buffer
      assert.strictEqual(Redacted.value(yield* source.get), `${ACCESS}-1`)
      assert.strictEqual((yield* tokenRequests).length, 1)
      yield* TestClock.adjust("1 millis") // exactly expiry - 5 min
      assert.strictEqual(Redacted.value(yield* source.get), `${ACCESS}-2`)
      assert.strictEqual((yield* tokenRequests).length, 2)
      const current = yield* source.current
      assert.strictEqual(current.expiresAt, 3_300_000 + 3_600_000)
      assert.include(formOf((yield* tokenRequests)[1]!.body), "grant_type=client_credentials&scope=incidents.read")
    }).pipe(Effect.provide(sourceLayer({ grant: OAuth.appGrant(["incidents.read"]) }, identity()))))

  it.effect("a configurable buffer; short-lived tokens refresh at half their lifetime", () =>
    Effect.gen(function*() {
      const source = yield* OAuth.TokenSourceService
      yield* source.get
      yield* TestClock.adjust("29 seconds")
      yield* source.get
      assert.strictEqual((yield* tokenRequests).length, 1)
      yield* TestClock.adjust("1 second")
      yield* source.get
      assert.strictEqual((yield* tokenRequests).length, 2)
    }).pipe(
      Effect.provide(sourceLayer(
        { grant: OAuth.appGrant("read"), refreshBuffer: "10 minutes" },
        Mock.layer((_r, n) => Mock.json(tokenBody(n, { expires_in: 60 })))
      ))
    ))

  it.effect("many fibers asking at once cause one refresh", () =>
    Effect.gen(function*() {
      const source = yield* OAuth.TokenSourceService
      const fiber = yield* Effect.fork(Effect.all(Array.from({ length: 25 }, () => source.get), { concurrency: "unbounded" }))
      yield* TestClock.adjust("1 second") // the identity service answers after 1 s
      const tokens = yield* Fiber.join(fiber)
      assert.strictEqual((yield* tokenRequests).length, 1)
      assert.deepStrictEqual(new Set(tokens.map(Redacted.value)), new Set([`${ACCESS}-1`]))
      // again after expiry
      yield* TestClock.adjust("1 hour")
      const again = yield* Effect.fork(Effect.all(Array.from({ length: 25 }, () => source.get), { concurrency: "unbounded" }))
      yield* TestClock.adjust("1 second")
      const second = yield* Fiber.join(again)
      assert.strictEqual((yield* tokenRequests).length, 2)
      assert.deepStrictEqual(new Set(second.map(Redacted.value)), new Set([`${ACCESS}-2`]))
    }).pipe(
      Effect.provide(sourceLayer(
        { grant: OAuth.appGrant("read") },
        Mock.layer((_r, n) => Effect.as(Effect.sleep("1 second"), Mock.json(tokenBody(n))))
      ))
    ))

  it.effect("a failed refresh is not cached: the next call tries again", () =>
    Effect.gen(function*() {
      const source = yield* OAuth.TokenSourceService
      const error = yield* Effect.flip(source.get)
      assert.strictEqual(error._tag, "HttpError")
      assert.strictEqual(Redacted.value(yield* source.get), `${ACCESS}-2`)
    }).pipe(
      Effect.provide(sourceLayer(
        { grant: OAuth.appGrant("read") },
        Mock.layer((_r, n) => n === 1 ? Mock.json({ error: "temporarily_unavailable" }, 400) : Mock.json(tokenBody(n)))
      ))
    ))

  // the first token the mock issues (request #1) is revoked from the start
  const revoked = new Set<string>([`${ACCESS}-1`])
  let issued = 0

  it.effect("a 401 makes the client fetch one new token and retry once; concurrent 401s share it", () =>
    Effect.gen(function*() {
      const source = yield* OAuth.TokenSourceService
      const rest = yield* ApiClient.make({
        name: "rest",
        baseUrl: "https://api.pagerduty.com",
        auth: source.auth,
        permittedMethods: ["GET"]
      })
      const results = yield* Effect.all(Array.from({ length: 5 }, () => rest.json({ url: "/users/me" })), { concurrency: "unbounded" })
      assert.deepStrictEqual(results, Array(5).fill({ user: { id: "PME" } }))
      const all = yield* Mock.recorded
      const tokens = all.filter((r) => r.url.endsWith("/oauth/token"))
      const calls = all.filter((r) => r.url.endsWith("/users/me"))
      assert.strictEqual(tokens.length, 2) // the first token and one refresh
      assert.strictEqual(calls.length, 10) // every call: once with the revoked token, once with the new one
      assert.deepStrictEqual(
        calls.map((r) => r.headers["authorization"]).sort(),
        [...Array(5).fill(`Bearer ${ACCESS}-1`), ...Array(5).fill(`Bearer ${ACCESS}-2`)].sort()
      )
      // a token that stays rejected: one refresh, one retry, then the 401 is the error
      revoked.add(`${ACCESS}-2`)
      revoked.add(`${ACCESS}-3`)
      const error = yield* Effect.flip(rest.json({ url: "/users/me" }))
      assert.strictEqual(error._tag, "HttpError")
      if (error._tag === "HttpError") assert.strictEqual(error.status, 401)
      assert.strictEqual((yield* tokenRequests).length, 3)
    }).pipe(
      Effect.provide(sourceLayer(
        { grant: OAuth.appGrant("read") },
        Mock.layer((req) => {
          if (req.url.endsWith("/oauth/token")) return Mock.json(tokenBody(++issued))
          const token = (req.headers["authorization"] ?? "").replace("Bearer ", "")
          return revoked.has(token) ? Mock.json({ error: { message: "Unauthorized", code: 2006 } }, 401) : Mock.json({ user: { id: "PME" } })
        })
      ))
    ))

  it.effect("persistence: a stored token is used without a request; new tokens are saved; rotated refresh tokens followed", () =>
    Effect.gen(function*() {
      const store = yield* Ref.make(Option.some<OAuth.StoredToken>({
        accessToken: Redacted.make("stored-access"),
        refreshToken: Redacted.make("stored-refresh"),
        expiresAt: 600_000 // 10 min from the TestClock's 0
      }))
      const saves = yield* Ref.make(0)
      const persistence: OAuth.Persistence = {
        load: Ref.get(store),
        save: (token) => Effect.zipRight(Ref.set(store, Option.some(token)), Ref.update(saves, (n) => n + 1))
      }
      yield* Effect.scoped(
        Effect.gen(function*() {
          const source = yield* OAuth.makeTokenSource({ grant: OAuth.refreshTokenGrant(Redacted.make("initial-refresh")), persistence })
          assert.strictEqual(Redacted.value(yield* source.get), "stored-access")
          assert.strictEqual((yield* tokenRequests).length, 0)
          yield* TestClock.adjust("5 minutes")
          assert.strictEqual(Redacted.value(yield* source.get), `${ACCESS}-1`)
          yield* TestClock.adjust("1 hour")
          assert.strictEqual(Redacted.value(yield* source.get), `${ACCESS}-2`)
        })
      )
      const bodies = (yield* tokenRequests).map((r) => formOf(r.body))
      assert.include(bodies[0]!, "grant_type=refresh_token&refresh_token=stored-refresh&")
      assert.include(bodies[1]!, `grant_type=refresh_token&refresh_token=${encodeURIComponent(`${REFRESH}-1`)}&`)
      assert.strictEqual(yield* Ref.get(saves), 2)
      const saved = Option.getOrThrow(yield* Ref.get(store))
      assert.strictEqual(Redacted.value(saved.accessToken), `${ACCESS}-2`)
      assert.strictEqual(Redacted.value(saved.refreshToken!), `${REFRESH}-2`)
      // a restarted program starts from the saved token
      yield* Effect.scoped(
        Effect.gen(function*() {
          const source = yield* OAuth.makeTokenSource({ grant: OAuth.refreshTokenGrant(Redacted.make("initial-refresh")), persistence })
          assert.strictEqual(Redacted.value(yield* source.get), `${ACCESS}-2`)
        })
      )
      assert.strictEqual((yield* tokenRequests).length, 2)
    }).pipe(
      Effect.provide(Layer.provideMerge(oauthLayer(), Mock.layer((_r, n) => Mock.json(tokenBody(n, { refresh_token: `${REFRESH}-${n}` })))))
    ))

  it.effect("an unusable grant fails the layer with OAuthInputError", () =>
    Effect.gen(function*() {
      const a = yield* Effect.flip(Effect.scoped(OAuth.makeTokenSource({ grant: OAuth.appGrant([]) })))
      const b = yield* Effect.flip(Effect.scoped(OAuth.makeTokenSource({ grant: OAuth.refreshTokenGrant(Redacted.make("")) })))
      assert.strictEqual(a._tag, "OAuthInputError")
      assert.strictEqual(b._tag, "OAuthInputError")
      assert.strictEqual((yield* Mock.recorded).length, 0)
    }).pipe(Effect.provide(Layer.provideMerge(oauthLayer(), identity()))))

  it.effect("invalidate forgets the token; refresh forces a new one", () =>
    Effect.gen(function*() {
      const source = yield* OAuth.TokenSourceService
      yield* source.get
      yield* source.invalidate
      assert.strictEqual(Redacted.value(yield* source.get), `${ACCESS}-2`)
      const forced = yield* source.refresh
      assert.strictEqual(Redacted.value(forced.accessToken), `${ACCESS}-3`)
      assert.strictEqual((yield* tokenRequests).length, 3)
      const auth = yield* OAuth.auth
      assert.strictEqual(auth._tag, "Dynamic")
    }).pipe(Effect.provide(sourceLayer({ grant: OAuth.appGrant("read") }, identity()))))
})

describe("OAuth against the simulator", () => {
  const simOAuth = OAuth.layer({
    clientId: Simulator.DEFAULT_OAUTH_CLIENT.clientId,
    clientSecret: Redacted.make(Simulator.DEFAULT_OAUTH_CLIENT.clientSecret)
  })

  it.effect("PKCE code exchange, then a TokenSource on the refresh token survives revoked tokens", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const oauth = yield* OAuth.OAuthService
      const pkce = yield* OAuth.generatePkce
      yield* sim.registerAuthorizationCode({
        code: "sim-code",
        clientId: Simulator.DEFAULT_OAUTH_CLIENT.clientId,
        redirectUri: "https://example.com/cb",
        codeChallenge: pkce.challenge
      })
      const wrong = yield* Effect.flip(
        oauth.tokenFromCode({ code: Redacted.make("sim-code"), redirectUri: "https://example.com/cb", codeVerifier: Redacted.make(VERIFIER) })
      )
      assert.isTrue(wrong._tag === "HttpError" && wrong.code === "invalid_grant")
      const tokens = yield* oauth.tokenFromCode({ code: Redacted.make("sim-code"), redirectUri: "https://example.com/cb", codeVerifier: pkce.verifier })
      assert.isDefined(tokens.refreshToken)
      yield* Effect.scoped(
        Effect.gen(function*() {
          const source = yield* OAuth.makeTokenSource({
            grant: OAuth.refreshTokenGrant(tokens.refreshToken!),
            initial: OAuth.storedToken(tokens)
          })
          const rest = yield* ApiClient.make({ name: "rest", baseUrl: "https://api.pagerduty.com", auth: source.auth, permittedMethods: ["GET"] })
          yield* rest.json({ url: "/users", params: { limit: 1 } })
          yield* sim.revokeToken(Redacted.value(tokens.accessToken))
          yield* rest.json({ url: "/users", params: { limit: 1 } }) // 401, refresh (rotated refresh token), retry
          const counts = yield* sim.countsByEndpoint
          assert.strictEqual(counts["POST /oauth/token"], 3)
          assert.strictEqual(counts["GET /users"], 3)
        })
      )
    }).pipe(Effect.provide(Layer.provideMerge(simOAuth, Simulator.layer()))))
})
