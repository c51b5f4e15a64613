/**
 * OAuth 2.0 with PagerDuty's identity service, and tokens that keep themselves fresh.
 *
 * - {@link OAuth}: the token client (`POST /oauth/token`, form encoded, client credentials in
 *   the body): authorization-code grant with or without PKCE, refresh-token grant, scoped app
 *   tokens (client credentials with scopes), a correct PKCE authorize URL, and S256 PKCE
 *   generation on the Web Crypto API (runtime neutral).
 * - {@link TokenSource}: a service holding one access token that refreshes itself ahead of
 *   expiry, refreshes once however many fibers ask at the same time, fetches a new token after
 *   a 401 (the request is then sent once more), and can persist tokens across restarts. Its
 *   `auth` plugs into any client that takes an `Auth.Auth`.
 *
 * Client secrets, codes, PKCE verifiers, access and refresh tokens are `Redacted` in every type.
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import {
  Clock,
  Config,
  Context,
  Data,
  Deferred,
  Duration,
  Effect,
  Either,
  Exit,
  FiberRef,
  Layer,
  Option,
  Redacted,
  Ref,
  Schema,
  Scope
} from "effect"
import { ArrayFormatter } from "effect/ParseResult"
import * as ApiClient from "./ApiClient.js"
import * as Auth from "./Auth.js"
import * as PkceInternal from "./internal/oauthPkce.js"
import { HttpError, type PagerDutyError, ServerHttpError, type ServerHttpErrorReason, type UrlError } from "./PagerDutyError.js"
import * as Region from "./Region.js"

// ---------------------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------------------

/**
 * A token response of the identity service, amended with an absolute expiry.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import type { OAuth } from "@effect-pagerduty/client"
 *
 * const describe = (t: OAuth.TokenResponse) =>
 *   Effect.log(`token for ${t.scope ?? "?"} expires at ${new Date(t.expiresAt).toISOString()}`)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenResponse {
  readonly accessToken: Redacted.Redacted
  /** `Bearer` for PagerDuty. */
  readonly tokenType: string
  /** Lifetime in seconds, as returned (`expires_in`). */
  readonly expiresIn: number
  /** Absolute expiry, epoch milliseconds on the Effect `Clock` (Python's `expiration_date`). */
  readonly expiresAt: number
  /** When the response was received, epoch milliseconds on the Effect `Clock`. */
  readonly issuedAt: number
  readonly refreshToken: Redacted.Redacted | undefined
  readonly idToken: Redacted.Redacted | undefined
  readonly scope: string | undefined
  /** Every other property of the response body (no token is ever kept here). */
  readonly extra: Readonly<Record<string, unknown>>
}

/**
 * The PKCE pair of RFC 7636 (method S256). Keep the verifier for the token exchange; send the
 * challenge in the authorize URL.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { OAuth } from "@effect-pagerduty/client"
 *
 * const program = Effect.map(OAuth.generatePkce, (pkce: OAuth.Pkce) => pkce.challenge)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Pkce {
  readonly verifier: Redacted.Redacted
  readonly challenge: string
  readonly method: "S256"
}

/**
 * A request input the identity service would reject (empty code, bad redirect URI, no scope,
 * a PKCE verifier outside RFC 7636's alphabet...). Raised before anything is sent.
 *
 * @example
 * ```ts
 * import { OAuth } from "@effect-pagerduty/client"
 *
 * const e = new OAuth.OAuthInputError({ field: "redirectUri", detail: "must be an absolute URL" })
 * e.message // "invalid OAuth redirectUri: must be an absolute URL"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class OAuthInputError extends Data.TaggedError("OAuthInputError")<{
  readonly field: string
  readonly detail: string
}> {
  override get message(): string {
    return `invalid OAuth ${this.field}: ${this.detail}`
  }
}

/**
 * Scopes as one space-separated string or a list.
 *
 * @example
 * ```ts
 * import type { OAuth } from "@effect-pagerduty/client"
 *
 * const scopes: OAuth.Scopes = ["incidents.read", "services.read"]
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Scopes = string | ReadonlyArray<string>

/**
 * Options of {@link make} and {@link layer}.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import type { OAuth } from "@effect-pagerduty/client"
 *
 * const options: OAuth.Options = { clientId: "my-app", clientSecret: Redacted.make("s3cret"), region: "eu" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends ApiClient.ClientOptions {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted
}

/**
 * Options of an authorize URL.
 *
 * @example
 * ```ts
 * import type { OAuth } from "@effect-pagerduty/client"
 *
 * const options: OAuth.AuthorizeUrlOptions = {
 *   scope: "read write",
 *   redirectUri: "https://example.com/callback",
 *   state: "af0ifjsldkj",
 *   codeChallenge: "E9Melhoa2OvFWXpsq0Ge9uVPZ2ZbA7BLgcpt8Di7t9M"
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface AuthorizeUrlOptions {
  readonly scope: Scopes
  readonly redirectUri: string
  readonly state?: string | undefined
  /** An S256 challenge (from {@link generatePkce}); adds `code_challenge_method=S256`. */
  readonly codeChallenge?: string | undefined
}

/**
 * The OAuth token client.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { OAuth } from "@effect-pagerduty/client"
 *
 * const exchange = (code: string, verifier: Redacted.Redacted) =>
 *   Effect.flatMap(OAuth.OAuthService, (oauth: OAuth.OAuth) =>
 *     oauth.tokenFromCode({ code: Redacted.make(code), redirectUri: "https://example.com/cb", codeVerifier: verifier }))
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface OAuth {
  readonly clientId: string
  /** The identity origin used (e.g. `https://identity.pagerduty.com`). */
  readonly baseUrl: string
  /**
   * Authorization-code grant; with `codeVerifier`, the PKCE variant. Form:
   * `grant_type, code, [scope], redirect_uri, [code_verifier], client_id, client_secret`.
   */
  readonly tokenFromCode: (options: {
    readonly code: Redacted.Redacted
    readonly redirectUri: string
    readonly scope?: Scopes | undefined
    readonly codeVerifier?: Redacted.Redacted | undefined
  }) => Effect.Effect<TokenResponse, PagerDutyError | OAuthInputError>
  /** Refresh-token grant: `grant_type=refresh_token&refresh_token=...`. */
  readonly refresh: (refreshToken: Redacted.Redacted) => Effect.Effect<TokenResponse, PagerDutyError | OAuthInputError>
  /** Scoped app token (client credentials): `grant_type=client_credentials&scope=...`. */
  readonly scopedAppToken: (scopes: Scopes) => Effect.Effect<TokenResponse, PagerDutyError | OAuthInputError>
  /** Any grant: the fields in order, then `client_id` and `client_secret` (Python's `get_new_token`). */
  readonly token: (
    form: ReadonlyArray<readonly [string, string | Redacted.Redacted]>
  ) => Effect.Effect<TokenResponse, PagerDutyError>
  /** The authorize URL of this client (with PKCE when `codeChallenge` is given). */
  readonly authorizeUrl: (options: AuthorizeUrlOptions) => Either.Either<string, OAuthInputError>
}

/**
 * The tag of the OAuth token client.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { OAuth } from "@effect-pagerduty/client"
 *
 * const appToken = Effect.flatMap(OAuth.OAuthService, (oauth) => oauth.scopedAppToken(["incidents.read"]))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class OAuthService extends Context.Tag("@effect-pagerduty/client/OAuth")<OAuthService, OAuth>() {}

// ---------------------------------------------------------------------------------------
// PKCE and authorize URL
// ---------------------------------------------------------------------------------------

/**
 * A fresh S256 PKCE pair: the verifier is base64url of 32 random bytes (43 characters, from
 * `crypto.getRandomValues`), the challenge base64url(SHA-256(verifier)) (`crypto.subtle`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { OAuth } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const pkce = yield* OAuth.generatePkce
 *   return pkce.challenge // send it in the authorize URL, keep pkce.verifier for the exchange
 * })
 * ```
 *
 * @since 0.1.0
 * @category pkce
 */
export const generatePkce: Effect.Effect<Pkce> = Effect.flatMap(PkceInternal.randomVerifier, (verifier) =>
  Effect.map(PkceInternal.s256(verifier), (challenge): Pkce => ({ verifier: Redacted.make(verifier), challenge, method: "S256" })))

/**
 * The S256 challenge of a verifier. Fails with `OAuthInputError` when the verifier is not
 * 43 to 128 characters of RFC 7636's alphabet.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { OAuth } from "@effect-pagerduty/client"
 *
 * // RFC 7636, appendix B
 * const challenge = OAuth.pkceChallenge(Redacted.make("dBjftJeZ4CVP-mJ0q45P8m8ZNodwqtWx9MO-IQVgLZI"))
 * // Effect.succeed("E9Melhoa2OvFWXpsq0Ge9uVPZ2ZbA7BLgcpt8Di7t9M")
 * ```
 *
 * @since 0.1.0
 * @category pkce
 */
export const pkceChallenge = (verifier: Redacted.Redacted): Effect.Effect<string, OAuthInputError> =>
  PkceInternal.isValidVerifier(Redacted.value(verifier))
    ? PkceInternal.s256(Redacted.value(verifier))
    : Effect.fail(new OAuthInputError({ field: "codeVerifier", detail: "must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~" }))

const scopeString = (scopes: Scopes): string =>
  (typeof scopes === "string" ? scopes.split(/\s+/) : scopes).map((s) => s.trim()).filter((s) => s !== "").join(" ")

const checkScope = (scopes: Scopes): Either.Either<string, OAuthInputError> => {
  const scope = scopeString(scopes)
  return scope === ""
    ? Either.left(new OAuthInputError({ field: "scope", detail: "at least one scope is required" }))
    : Either.right(scope)
}

const checkRedirectUri = (uri: string): Either.Either<string, OAuthInputError> => {
  try {
    const parsed = new URL(uri)
    if (parsed.hash !== "") return Either.left(new OAuthInputError({ field: "redirectUri", detail: "must not have a fragment" }))
    return Either.right(uri)
  } catch {
    return Either.left(new OAuthInputError({ field: "redirectUri", detail: "must be an absolute URL" }))
  }
}

/**
 * The authorize URL the user's browser is sent to:
 * `{identity}/oauth/authorize?client_id&redirect_uri&response_type=code&scope[&state][&code_challenge&code_challenge_method=S256]`.
 * Unlike python-pagerduty's `get_pkce_authorize_url` (which always raises), the PKCE variant works.
 *
 * @example
 * ```ts
 * import { Either } from "effect"
 * import { OAuth } from "@effect-pagerduty/client"
 *
 * const url = OAuth.authorizeUrl({
 *   clientId: "my-app",
 *   scope: ["read", "write"],
 *   redirectUri: "https://example.com/callback",
 *   codeChallenge: "E9Melhoa2OvFWXpsq0Ge9uVPZ2ZbA7BLgcpt8Di7t9M"
 * })
 * // Either.right("https://identity.pagerduty.com/oauth/authorize?client_id=my-app&...&code_challenge_method=S256")
 * ```
 *
 * @since 0.1.0
 * @category pkce
 */
export const authorizeUrl = (
  options: AuthorizeUrlOptions & {
    readonly clientId: string
    readonly region?: Region.Region | undefined
    readonly baseUrl?: string | undefined
  }
): Either.Either<string, OAuthInputError> =>
  Either.gen(function*() {
    if (options.clientId.trim() === "") return yield* Either.left(new OAuthInputError({ field: "clientId", detail: "must not be empty" }))
    const scope = yield* checkScope(options.scope)
    const redirectUri = yield* checkRedirectUri(options.redirectUri)
    if (options.codeChallenge !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(options.codeChallenge)) {
      return yield* Either.left(
        new OAuthInputError({ field: "codeChallenge", detail: "must be an S256 challenge (43 base64url characters)" })
      )
    }
    const origin = Region.origin(options.region ?? "us", "identity", options.baseUrl).replace(/\/+$/, "")
    const params = new URLSearchParams([
      ["client_id", options.clientId],
      ["redirect_uri", redirectUri],
      ["response_type", "code"],
      ["scope", scope]
    ])
    if (options.state !== undefined) params.append("state", options.state)
    if (options.codeChallenge !== undefined) {
      params.append("code_challenge", options.codeChallenge)
      params.append("code_challenge_method", "S256")
    }
    return `${origin}/oauth/authorize?${params.toString()}`
  })

// ---------------------------------------------------------------------------------------
// token client
// ---------------------------------------------------------------------------------------

/** A body error that never copies the body (a token response holds secrets). */
const bodyError = (response: ApiClient.ApiResponse, reason: ServerHttpErrorReason, detail: string): ServerHttpError =>
  new ServerHttpError({ ...ApiClient.responseFields(response), reason, errorMessage: detail })

/** An OAuth error body (RFC 6749 section 5.2): `{"error": "invalid_grant", ...}`. */
const decodeOAuthError = Schema.decodeUnknownOption(Schema.parseJson(Schema.Struct({ error: Schema.String })))

/** Identity-service errors: `code` is always the OAuth `error` string (`invalid_grant`...). */
const identityError = (response: ApiClient.ApiResponse): HttpError | ServerHttpError => {
  const error = ApiClient.responseError(response)
  if (error.code !== undefined) return error
  // not JSON, or no `error` string: the error keeps the raw body
  return Option.match(decodeOAuthError(response.text), {
    onNone: () => error,
    onSome: (body) => {
      const fields = { ...error, code: body.error }
      return error._tag === "HttpError" ? new HttpError(fields) : new ServerHttpError(fields)
    }
  })
}

/** `expires_in` as a number: a JSON number, or a numeric string (python-pagerduty accepts both). */
const ExpiresIn = Schema.Union(
  Schema.Number.pipe(Schema.finite()),
  Schema.transform(
    Schema.String.pipe(Schema.filter((s) => s.trim() !== "" && Number.isFinite(Number(s)))),
    Schema.Number,
    { strict: true, decode: (s) => Number(s), encode: (n) => String(n) }
  )
)

/** A field kept only when it is a string (anything else is ignored, as python-pagerduty does). */
const Lenient = Schema.optional(Schema.Unknown)

/**
 * The token response: `expires_in` and `access_token` are required (in that order: the first
 * missing one is named); other fields are kept in `extra`.
 */
const TokenBody = Schema.Struct({
  expires_in: ExpiresIn,
  access_token: Schema.NonEmptyString,
  token_type: Lenient,
  refresh_token: Lenient,
  id_token: Lenient,
  scope: Lenient
})

const decodeJsonText = Schema.decodeUnknownEither(Schema.parseJson())
const decodeTokenBody = Schema.decodeUnknownEither(TokenBody, { onExcessProperty: "preserve" })

const text = (u: unknown): string | undefined => (typeof u === "string" && u !== "" ? u : undefined)

const secretKeys = new Set(["access_token", "refresh_token", "id_token", "token_type", "expires_in", "scope"])

const decodeToken = (response: ApiClient.ApiResponse): Effect.Effect<TokenResponse, ServerHttpError> =>
  Effect.gen(function*() {
    // neither error quotes the body or the ParseError (a token response holds secrets)
    const json = decodeJsonText(response.text)
    if (Either.isLeft(json)) return yield* bodyError(response, "InvalidJson", "the token response is not JSON")
    const decoded = decodeTokenBody(json.right)
    if (Either.isLeft(decoded)) {
      const key = ArrayFormatter.formatErrorSync(decoded.left)[0]?.path[0]
      return yield* bodyError(
        response,
        "UnexpectedBody",
        key === "expires_in" || key === "access_token"
          ? `Auth response did not include expected key "${key}".`
          : "the token response is not a JSON object"
      )
    }
    const body = decoded.right
    const expiresIn = body.expires_in
    const access = body.access_token
    const now = yield* Clock.currentTimeMillis
    const extra: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(body)) if (!secretKeys.has(k)) extra[k] = v
    const refresh = text(body.refresh_token)
    const id = text(body.id_token)
    return {
      accessToken: Redacted.make(access),
      tokenType: typeof body.token_type === "string" ? body.token_type : "bearer",
      expiresIn,
      expiresAt: now + Math.round(expiresIn * 1000),
      issuedAt: now,
      refreshToken: refresh === undefined ? undefined : Redacted.make(refresh),
      idToken: id === undefined ? undefined : Redacted.make(id),
      scope: typeof body.scope === "string" ? body.scope : undefined,
      extra
    }
  })

const nonEmptySecret = (field: string, secret: Redacted.Redacted): Either.Either<string, OAuthInputError> =>
  Redacted.value(secret).trim() === ""
    ? Either.left(new OAuthInputError({ field, detail: "must not be empty" }))
    : Either.right(Redacted.value(secret))

/**
 * Build the OAuth token client on the `HttpClient` in context. Fails with `UrlError` for a bad
 * `baseUrl`, with `OAuthInputError` for an empty `clientId`.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { OAuth } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const oauth = yield* OAuth.make({ clientId: "my-app", clientSecret: Redacted.make("s3cret") })
 *   return yield* oauth.scopedAppToken(["incidents.read", "services.read"])
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<OAuth, UrlError | OAuthInputError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    if (options.clientId.trim() === "") return yield* new OAuthInputError({ field: "clientId", detail: "must not be empty" })
    const baseUrl = Region.origin(options.region ?? "us", "identity", options.baseUrl)
    const api = yield* ApiClient.make({
      name: "oauth",
      baseUrl,
      auth: Auth.clientCredentials(options.clientId, options.clientSecret),
      permittedMethods: ["POST"],
      headers: { Accept: "application/json" },
      retry: options.retry,
      timeout: options.timeout,
      transformClient: options.transformClient,
      canonicalPath: () => "/oauth/token"
    })

    const token: OAuth["token"] = (form) =>
      api.request({
        method: "POST",
        url: "/oauth/token",
        form: form.map(([k, v]) => [k, Redacted.isRedacted(v) ? Redacted.value(v) : v] as const)
      }).pipe(
        Effect.flatMap((response) =>
          response.status >= 200 && response.status < 300 ? decodeToken(response) : Effect.fail(identityError(response))
        ),
        Effect.withSpan("PagerDuty.oauth.token", { attributes: { "oauth.grant_type": form.find(([k]) => k === "grant_type")?.[1] ?? "" } })
      )

    const fromEither = <A>(e: Either.Either<A, OAuthInputError>) => Either.match(e, { onLeft: Effect.fail, onRight: Effect.succeed })

    const tokenFromCode: OAuth["tokenFromCode"] = (input) =>
      Effect.gen(function*() {
        const code = yield* fromEither(nonEmptySecret("code", input.code))
        const redirectUri = yield* fromEither(checkRedirectUri(input.redirectUri))
        const scope = input.scope === undefined ? undefined : yield* fromEither(checkScope(input.scope))
        if (input.codeVerifier !== undefined && !PkceInternal.isValidVerifier(Redacted.value(input.codeVerifier))) {
          return yield* new OAuthInputError({ field: "codeVerifier", detail: "must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~" })
        }
        const form: Array<readonly [string, string | Redacted.Redacted]> = [["grant_type", "authorization_code"], ["code", Redacted.make(code)]]
        if (scope !== undefined) form.push(["scope", scope])
        form.push(["redirect_uri", redirectUri])
        if (input.codeVerifier !== undefined) form.push(["code_verifier", input.codeVerifier])
        return yield* token(form)
      })

    const refresh: OAuth["refresh"] = (refreshToken) =>
      Effect.flatMap(fromEither(nonEmptySecret("refreshToken", refreshToken)), () =>
        token([["grant_type", "refresh_token"], ["refresh_token", refreshToken]]))

    const scopedAppToken: OAuth["scopedAppToken"] = (scopes) =>
      Effect.flatMap(fromEither(checkScope(scopes)), (scope) => token([["grant_type", "client_credentials"], ["scope", scope]]))

    return OAuthService.of({
      clientId: options.clientId,
      baseUrl,
      token,
      tokenFromCode,
      refresh,
      scopedAppToken,
      authorizeUrl: (o) => authorizeUrl({ ...o, clientId: options.clientId, baseUrl })
    })
  })

/**
 * A layer providing {@link OAuthService}.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { OAuth } from "@effect-pagerduty/client"
 *
 * const OAuthLive = OAuth.layer({ clientId: "my-app", clientSecret: Redacted.make("s3cret"), region: "eu" })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<OAuthService, UrlError | OAuthInputError, HttpClient.HttpClient> =>
  Layer.effect(OAuthService, make(options))

/**
 * {@link layer} from configuration: `PAGERDUTY_OAUTH_CLIENT_ID`, `PAGERDUTY_OAUTH_CLIENT_SECRET`
 * (redacted), `PAGERDUTY_REGION`, optional `PAGERDUTY_OAUTH_BASE_URL`.
 *
 * @example
 * ```ts
 * import { OAuth } from "@effect-pagerduty/client"
 *
 * const OAuthLive = OAuth.layerConfig()
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  overrides: Omit<Options, "clientId" | "clientSecret" | "region" | "baseUrl"> = {}
) =>
  Layer.unwrapEffect(
    Effect.map(
      Config.all({
        clientId: Config.string("PAGERDUTY_OAUTH_CLIENT_ID"),
        clientSecret: Config.redacted("PAGERDUTY_OAUTH_CLIENT_SECRET"),
        region: Region.config,
        baseUrl: Config.option(Config.string("PAGERDUTY_OAUTH_BASE_URL"))
      }),
      ({ baseUrl, clientId, clientSecret, region }) =>
        layer({ ...overrides, clientId, clientSecret, region, baseUrl: Option.getOrUndefined(baseUrl) })
    )
  )

// ---------------------------------------------------------------------------------------
// TokenSource
// ---------------------------------------------------------------------------------------

/**
 * A token as the {@link TokenSource} keeps (and persists) it.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import type { OAuth } from "@effect-pagerduty/client"
 *
 * const stored: OAuth.StoredToken = { accessToken: Redacted.make("pdus+..."), expiresAt: Date.parse("2030-01-01T00:00:00Z") }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredToken {
  readonly accessToken: Redacted.Redacted
  /** Epoch milliseconds. */
  readonly expiresAt: number
  /** Epoch milliseconds; lets the source shrink its buffer for short-lived tokens. */
  readonly issuedAt?: number | undefined
  readonly refreshToken?: Redacted.Redacted | undefined
  readonly scope?: string | undefined
}

/**
 * Where a {@link TokenSource} gets new tokens from.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { OAuth } from "@effect-pagerduty/client"
 *
 * const app: OAuth.Grant = OAuth.appGrant(["incidents.read"])
 * const user: OAuth.Grant = OAuth.refreshTokenGrant(Redacted.make("pdus+refresh"))
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Grant =
  | { readonly _tag: "ClientCredentials"; readonly scopes: Scopes }
  | { readonly _tag: "RefreshToken"; readonly refreshToken: Redacted.Redacted }

/**
 * A scoped app token (client credentials with scopes), fetched again whenever it expires.
 *
 * @example
 * ```ts
 * import { OAuth } from "@effect-pagerduty/client"
 *
 * const grant = OAuth.appGrant("incidents.read services.read")
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const appGrant = (scopes: Scopes): Grant => ({ _tag: "ClientCredentials", scopes })

/**
 * A user token kept fresh with its refresh token (rotated refresh tokens are followed).
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { OAuth } from "@effect-pagerduty/client"
 *
 * const grant = OAuth.refreshTokenGrant(Redacted.make("pdus+refresh"))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const refreshTokenGrant = (refreshToken: Redacted.Redacted): Grant => ({ _tag: "RefreshToken", refreshToken })

/**
 * Load and save hooks so tokens survive restarts (a file, a secret store, a database row...).
 * `save` runs after every new token, before it is used.
 *
 * @example
 * ```ts
 * import { Effect, Option, Ref } from "effect"
 * import type { OAuth } from "@effect-pagerduty/client"
 *
 * const inMemory = (ref: Ref.Ref<Option.Option<OAuth.StoredToken>>): OAuth.Persistence => ({
 *   load: Ref.get(ref),
 *   save: (token) => Ref.set(ref, Option.some(token))
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Persistence {
  readonly load: Effect.Effect<Option.Option<StoredToken>>
  readonly save: (token: StoredToken) => Effect.Effect<void>
}

/**
 * Options of {@link makeTokenSource}.
 *
 * @example
 * ```ts
 * import { OAuth } from "@effect-pagerduty/client"
 *
 * const options: OAuth.TokenSourceOptions = { grant: OAuth.appGrant(["incidents.read"]), refreshBuffer: "10 minutes" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenSourceOptions {
  readonly grant: Grant
  /**
   * Refresh when the token has less than this left (default 5 minutes). For tokens that live
   * less than twice as long, half their lifetime is used instead.
   */
  readonly refreshBuffer?: Duration.DurationInput | undefined
  /** A token to start with (e.g. from the code exchange); a persisted one wins when newer. */
  readonly initial?: StoredToken | undefined
  readonly persistence?: Persistence | undefined
}

/**
 * A self-refreshing access token.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { OAuth } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const source: OAuth.TokenSource = yield* OAuth.TokenSourceService
 *   const token = yield* source.current
 *   yield* Effect.log(`token valid until ${new Date(token.expiresAt).toISOString()}`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenSource {
  /** A valid access token: the cached one, or a new one when it is missing or about to expire. */
  readonly get: Effect.Effect<Redacted.Redacted, PagerDutyError>
  /** Like `get`, with the expiry and refresh token. */
  readonly current: Effect.Effect<StoredToken, PagerDutyError>
  /** Fetch a new token now (shared with concurrent callers). */
  readonly refresh: Effect.Effect<StoredToken, PagerDutyError>
  /** Forget the cached token; the next `get` fetches one. */
  readonly invalidate: Effect.Effect<void>
  /**
   * `Authorization: Bearer <token>` for any client that takes an `Auth.Auth`. After a 401 the
   * client fetches a new token (once, shared by every request that saw the same stale token)
   * and sends the request again, once.
   */
  readonly auth: Auth.Auth
}

/**
 * The tag of the {@link TokenSource}.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { OAuth } from "@effect-pagerduty/client"
 *
 * const auth = Effect.map(OAuth.TokenSourceService, (source) => source.auth)
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class TokenSourceService
  extends Context.Tag("@effect-pagerduty/client/OAuth/TokenSource")<TokenSourceService, TokenSource>()
{}

interface Current {
  readonly token: StoredToken
  readonly generation: number
}

interface State {
  readonly current: Option.Option<Current>
  readonly inflight: Option.Option<Deferred.Deferred<Current, PagerDutyError>>
  readonly generation: number
}

type Step =
  | { readonly _tag: "Have"; readonly current: Current }
  | { readonly _tag: "Wait"; readonly deferred: Deferred.Deferred<Current, PagerDutyError> }
  | { readonly _tag: "Fetch" }

const toStored = (response: TokenResponse, previousRefresh: Redacted.Redacted | undefined): StoredToken => ({
  accessToken: response.accessToken,
  expiresAt: response.expiresAt,
  issuedAt: response.issuedAt,
  refreshToken: response.refreshToken ?? previousRefresh,
  scope: response.scope
})

/**
 * A {@link StoredToken} from a token response (e.g. to seed a source with the code exchange's tokens).
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { OAuth } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const oauth = yield* OAuth.OAuthService
 *   const tokens = yield* oauth.tokenFromCode({ code: Redacted.make("abc"), redirectUri: "https://example.com/cb" })
 *   return OAuth.storedToken(tokens)
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const storedToken = (response: TokenResponse): StoredToken => toStored(response, undefined)

/**
 * Build a {@link TokenSource} on the {@link OAuthService} in context. Scoped: a refresh in
 * flight belongs to the source, so a caller that is interrupted does not strand the others.
 * Fails with `OAuthInputError` when the grant is unusable (no scope, empty refresh token).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { OAuth } from "@effect-pagerduty/client"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const source = yield* OAuth.makeTokenSource({ grant: OAuth.appGrant(["incidents.read"]) })
 *     return yield* source.get
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeTokenSource = (
  options: TokenSourceOptions
): Effect.Effect<TokenSource, OAuthInputError, OAuthService | Scope.Scope> =>
  Effect.gen(function*() {
    const oauth = yield* OAuthService
    const scope = yield* Effect.scope
    const grant = options.grant
    let scopeText: string | undefined
    if (grant._tag === "ClientCredentials") {
      scopeText = yield* Either.match(checkScope(grant.scopes), { onLeft: Effect.fail, onRight: Effect.succeed })
    } else if (Redacted.value(grant.refreshToken).trim() === "") {
      return yield* new OAuthInputError({ field: "refreshToken", detail: "must not be empty" })
    }
    const buffer = Duration.toMillis(Duration.decode(options.refreshBuffer ?? "5 minutes"))
    const persisted = options.persistence === undefined ? Option.none<StoredToken>() : yield* options.persistence.load
    const startWith = Option.orElse(
      Option.filter(persisted, (p) => options.initial === undefined || p.expiresAt >= options.initial.expiresAt),
      () => Option.fromNullable(options.initial)
    )
    const state = yield* Ref.make<State>({
      current: Option.map(startWith, (token) => ({ token, generation: 1 })),
      inflight: Option.none(),
      generation: Option.isSome(startWith) ? 1 : 0
    })
    // the generation of the token the current fiber last sent, to refresh once per stale token
    const used = yield* FiberRef.make(0)

    const needsRefresh = (token: StoredToken, now: number): boolean => {
      const lifetime = token.issuedAt === undefined ? Infinity : token.expiresAt - token.issuedAt
      return now >= token.expiresAt - Math.min(buffer, lifetime / 2)
    }

    const fetchNew = (refreshToken: Redacted.Redacted | undefined): Effect.Effect<StoredToken, PagerDutyError> =>
      grant._tag === "ClientCredentials"
        ? Effect.map(oauth.token([["grant_type", "client_credentials"], ["scope", scopeText!]]), (r) => toStored(r, undefined))
        : Effect.map(
          oauth.token([["grant_type", "refresh_token"], ["refresh_token", refreshToken ?? grant.refreshToken]]),
          (r) => toStored(r, refreshToken ?? grant.refreshToken)
        )

    const runFetch = (deferred: Deferred.Deferred<Current, PagerDutyError>) =>
      Effect.gen(function*() {
        const before = yield* Ref.get(state)
        const exit = yield* Effect.exit(
          Effect.tap(
            fetchNew(Option.getOrUndefined(Option.flatMap(before.current, (c) => Option.fromNullable(c.token.refreshToken)))),
            (token) => options.persistence === undefined ? Effect.void : options.persistence.save(token)
          )
        )
        const next = yield* Ref.modify(state, (s): readonly [Exit.Exit<Current, PagerDutyError>, State] => {
          if (Exit.isFailure(exit)) return [Exit.failCause(exit.cause), { ...s, inflight: Option.none() }] as const
          const current: Current = { token: exit.value, generation: s.generation + 1 }
          return [Exit.succeed(current), { current: Option.some(current), inflight: Option.none(), generation: current.generation }] as const
        })
        yield* Deferred.done(deferred, next)
      }).pipe(
        Effect.onInterrupt(() =>
          Effect.zipRight(Ref.update(state, (s) => ({ ...s, inflight: Option.none() })), Deferred.interrupt(deferred))
        ),
        Effect.withSpan("PagerDuty.oauth.refreshToken")
      )

    /** The current token, or a new one when `stale` says so (one fetch shared by all callers). */
    const acquire = (stale: (current: Current, now: number) => boolean): Effect.Effect<Current, PagerDutyError> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.gen(function*() {
          const now = yield* Clock.currentTimeMillis
          const deferred = yield* Deferred.make<Current, PagerDutyError>()
          const step = yield* Ref.modify(state, (s): readonly [Step, State] => {
            if (Option.isSome(s.inflight)) return [{ _tag: "Wait", deferred: s.inflight.value }, s] as const
            if (Option.isSome(s.current) && !stale(s.current.value, now)) return [{ _tag: "Have", current: s.current.value }, s] as const
            return [{ _tag: "Fetch" }, { ...s, inflight: Option.some(deferred) }] as const
          })
          switch (step._tag) {
            case "Have":
              return step.current
            case "Wait":
              return yield* restore(Deferred.await(step.deferred))
            case "Fetch":
              yield* Effect.forkIn(runFetch(deferred), scope)
              return yield* restore(Deferred.await(deferred))
          }
        })
      )

    const current = Effect.tap(acquire((c, now) => needsRefresh(c.token, now)), (c) => FiberRef.set(used, c.generation))
    const get = Effect.map(current, (c) => c.token.accessToken)
    const onUnauthorized = Effect.flatMap(FiberRef.get(used), (generation) =>
      Effect.asVoid(acquire((c) => c.generation === generation)))
    const refresh = Effect.flatMap(Ref.get(state), (s) => {
      const seen = Option.match(s.current, { onNone: () => -1, onSome: (c) => c.generation })
      return Effect.map(acquire((c) => c.generation === seen), (c) => c.token)
    })

    return TokenSourceService.of({
      get,
      current: Effect.map(current, (c) => c.token),
      refresh,
      invalidate: Ref.update(state, (s) => ({ ...s, current: Option.none() })),
      auth: Auth.dynamic({ scheme: "Bearer", get, refresh: onUnauthorized })
    })
  })

/**
 * A layer providing {@link TokenSourceService}; needs {@link OAuthService}.
 *
 * Use its `auth` for any client that takes an `Auth.Auth`:
 *
 * ```ts
 * const Rest = Layer.unwrapEffect(Effect.map(OAuth.TokenSourceService, (s) => RestApi.layer({ auth: s.auth })))
 * ```
 *
 * @example
 * ```ts
 * import { Layer, Redacted } from "effect"
 * import { OAuth } from "@effect-pagerduty/client"
 *
 * const Tokens = OAuth.tokenSourceLayer({ grant: OAuth.appGrant(["incidents.read"]) }).pipe(
 *   Layer.provide(OAuth.layer({ clientId: "my-app", clientSecret: Redacted.make("s3cret") }))
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const tokenSourceLayer = (options: TokenSourceOptions): Layer.Layer<TokenSourceService, OAuthInputError, OAuthService> =>
  Layer.scoped(TokenSourceService, makeTokenSource(options))

/**
 * The `Auth` of the {@link TokenSourceService} in context, to build any client with it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ApiClient, OAuth } from "@effect-pagerduty/client"
 *
 * const rest = Effect.flatMap(OAuth.auth, (auth) =>
 *   ApiClient.make({ name: "rest", baseUrl: "https://api.pagerduty.com", auth, permittedMethods: ["GET"] }))
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const auth: Effect.Effect<Auth.Auth, never, TokenSourceService> = Effect.map(TokenSourceService, (s) => s.auth)
