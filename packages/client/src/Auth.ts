/**
 * How a request is authenticated.
 *
 * An `Auth` turns an outgoing request (its headers and its JSON or form body) into an
 * authenticated one. Secrets stay `Redacted` until this last step, so they never reach an
 * error, a log line or a span: the `Authorization` header is masked by Effect's HTTP
 * tracing, and body parameters (Events routing keys, OAuth client secrets) are never logged.
 *
 * | constructor | wire | used by |
 * |---|---|---|
 * | `token(key)` | `Authorization: Token token=<key>` | REST API keys |
 * | `bearer(token)` | `Authorization: Bearer <token>` | OAuth access tokens, Jira Server |
 * | `passThru(value, header?)` | `<header>: <value>` verbatim | custom schemes |
 * | `routingKey(key)` | `{"routing_key": key}` in the JSON body | Events API v2 |
 * | `bodyParameter(name, secret)` | `{name: secret}` in the JSON body | Events API v1 `service_key` |
 * | `clientCredentials(id, secret)` | `client_id`, `client_secret` form fields | OAuth token endpoint |
 * | `dynamic(...)` | a token fetched (and refreshed) per request | `OAuth.TokenSource` |
 *
 * @since 0.1.0
 */
import { Config, Data, Effect, Either, Redacted } from "effect"
import { type PagerDutyError, TransportError } from "./PagerDutyError.js"

/**
 * The parts of a request an `Auth` may change. Header names are lower case.
 *
 * @example
 * ```ts
 * import type { Auth } from "@effect-pagerduty/client"
 *
 * const target: Auth.AuthTarget = { headers: { accept: "application/json" }, json: { event_action: "trigger" } }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface AuthTarget {
  readonly headers: Readonly<Record<string, string>>
  readonly json?: unknown
  readonly form?: ReadonlyArray<readonly [string, string]> | undefined
}

/**
 * An authentication method.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { Auth } from "@effect-pagerduty/client"
 *
 * const auth: Auth.Auth = Auth.token(Redacted.make("u+abc"))
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Auth {
  readonly _tag: "Token" | "Bearer" | "PassThru" | "BodyParameter" | "ClientCredentials" | "Dynamic" | "None"
  /** Add the credential to an outgoing request. */
  readonly apply: (target: AuthTarget) => Effect.Effect<AuthTarget, PagerDutyError>
  /**
   * When present, a 401 response makes the client run this (e.g. refresh an OAuth token)
   * and send the request once more.
   */
  readonly onUnauthorized?: Effect.Effect<void, PagerDutyError> | undefined
}

const withHeader = (target: AuthTarget, name: string, value: string): AuthTarget => ({
  ...target,
  headers: { ...target.headers, [name.toLowerCase()]: value }
})

const header = (tag: Auth["_tag"], name: string, render: (secret: string) => string) => (secret: Redacted.Redacted): Auth => ({
  _tag: tag,
  apply: (target) => Effect.succeed(withHeader(target, name, render(Redacted.value(secret))))
})

/**
 * `Authorization: Token token=<key>`: REST API v2 account or user API keys.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { Auth } from "@effect-pagerduty/client"
 *
 * const auth = Auth.token(Redacted.make("y_NbAkKc66ryYTWUXYEu"))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const token: (key: Redacted.Redacted) => Auth = header("Token", "authorization", (s) => `Token token=${s}`)

/**
 * `Authorization: Bearer <token>`: OAuth access tokens (user or scoped app tokens), Jira Server.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { Auth } from "@effect-pagerduty/client"
 *
 * const auth = Auth.bearer(Redacted.make("pdus+_0XBPWQQ_..."))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const bearer: (accessToken: Redacted.Redacted) => Auth = header("Bearer", "authorization", (s) => `Bearer ${s}`)

/**
 * The secret verbatim as the value of `headerName` (default `Authorization`), for schemes the
 * other constructors do not cover.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { Auth } from "@effect-pagerduty/client"
 *
 * const auth = Auth.passThru(Redacted.make("Token token=abc"))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const passThru = (value: Redacted.Redacted, headerName = "authorization"): Auth =>
  header("PassThru", headerName, (s) => s)(value)

/**
 * A secret sent as a property of the JSON request body (Events API v1 `service_key`).
 * It replaces a same-named property the caller set; arrays and non-object bodies are left alone.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { Auth } from "@effect-pagerduty/client"
 *
 * const auth = Auth.bodyParameter("service_key", Redacted.make("abc123"))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const bodyParameter = (name: string, secret: Redacted.Redacted): Auth => ({
  _tag: "BodyParameter",
  apply: (target) =>
    Effect.succeed(
      typeof target.json === "object" && target.json !== null && !Array.isArray(target.json)
        ? { ...target, json: { ...target.json, [name]: Redacted.value(secret) } }
        : target
    )
})

/**
 * The Events API v2 integration key, sent as `routing_key` in the JSON body.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { Auth } from "@effect-pagerduty/client"
 *
 * const auth = Auth.routingKey(Redacted.make("R0UT1NGKEY0000000000000000000000"))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const routingKey = (key: Redacted.Redacted): Auth => bodyParameter("routing_key", key)

/**
 * OAuth client credentials, appended as `client_id` and `client_secret` form fields.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { Auth } from "@effect-pagerduty/client"
 *
 * const auth = Auth.clientCredentials("my-client-id", Redacted.make("my-client-secret"))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const clientCredentials = (clientId: string, clientSecret: Redacted.Redacted): Auth => ({
  _tag: "ClientCredentials",
  apply: (target) =>
    Effect.succeed({
      ...target,
      form: [...(target.form ?? []), ["client_id", clientId], ["client_secret", Redacted.value(clientSecret)]]
    })
})

/**
 * A credential looked up for every request (and refreshed after a 401), e.g. from an
 * `OAuth.TokenSource`.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Auth } from "@effect-pagerduty/client"
 *
 * const auth = Auth.dynamic({ scheme: "Bearer", get: Effect.succeed(Redacted.make("token")) })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const dynamic = (options: {
  readonly scheme: "Bearer" | "Token"
  readonly get: Effect.Effect<Redacted.Redacted, PagerDutyError>
  readonly refresh?: Effect.Effect<void, PagerDutyError> | undefined
}): Auth => ({
  _tag: "Dynamic",
  apply: (target) =>
    Effect.map(options.get, (secret) =>
      withHeader(
        target,
        "authorization",
        options.scheme === "Bearer" ? `Bearer ${Redacted.value(secret)}` : `Token token=${Redacted.value(secret)}`
      )),
  onUnauthorized: options.refresh
})

/**
 * No credential (for public endpoints or when a transform adds its own).
 *
 * @example
 * ```ts
 * import { Auth } from "@effect-pagerduty/client"
 *
 * const auth = Auth.none
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const none: Auth = { _tag: "None", apply: Effect.succeed }

/**
 * The REST authentication types of the Python client's `auth_type`.
 *
 * @example
 * ```ts
 * import type { Auth } from "@effect-pagerduty/client"
 *
 * const kind: Auth.AuthType = "bearer"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type AuthType = "token" | "bearer" | "oauth2" | "header_passthru"

const authTypes: ReadonlyArray<AuthType> = ["token", "bearer", "oauth2", "header_passthru"]

/**
 * An `authType` that is not one of {@link AuthType}'s values (a typo in configuration, an
 * untyped value from JavaScript). The value is shown (it is a type name, not a secret).
 *
 * @example
 * ```ts
 * import { Auth } from "@effect-pagerduty/client"
 *
 * new Auth.InvalidAuthType({ value: "basic" }).message
 * // 'unknown authType "basic": expected one of token, bearer, oauth2, header_passthru'
 * ```
 *
 * @since 0.2.0
 * @category errors
 */
export class InvalidAuthType extends Data.TaggedError("InvalidAuthType")<{ readonly value: string }> {
  override get message(): string {
    return `unknown authType ${JSON.stringify(this.value).slice(0, 60)}: expected one of ${authTypes.join(", ")}`
  }
}

/**
 * Check an untyped `authType` value: `Either.right` of the {@link AuthType}, or
 * `Either.left` of an {@link InvalidAuthType}.
 *
 * @example
 * ```ts
 * import { Either } from "effect"
 * import { Auth } from "@effect-pagerduty/client"
 *
 * Either.isLeft(Auth.parseType("basic")) // true
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const parseType = (u: unknown): Either.Either<AuthType, InvalidAuthType> =>
  typeof u === "string" && (authTypes as ReadonlyArray<string>).includes(u)
    ? Either.right(u as AuthType)
    : Either.left(new InvalidAuthType({ value: typeof u === "string" ? u : String(typeof u) }))

/**
 * Build an `Auth` from an `AuthType` and a secret, like the Python client's `auth_type`.
 *
 * A value outside {@link AuthType} (possible from untyped code) is not a defect: the `Auth`
 * fails every request, before anything is sent, with `TransportError` reason `Encode` whose
 * cause is an {@link InvalidAuthType}. Use {@link parseType} to refuse it at construction.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { Auth } from "@effect-pagerduty/client"
 *
 * const auth = Auth.fromType("oauth2", Redacted.make("access-token")) // Bearer
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromType = (type: AuthType, secret: Redacted.Redacted): Auth =>
  Either.match(parseType(type), {
    onLeft: (invalid): Auth => ({
      _tag: "None",
      apply: () => Effect.fail(new TransportError({ method: "", url: "", reason: "Encode", maySent: false, cause: invalid }))
    }),
    onRight: (known) => {
      switch (known) {
        case "token":
          return token(secret)
        case "bearer":
        case "oauth2":
          return bearer(secret)
        case "header_passthru":
          return passThru(secret)
      }
    }
  })

/**
 * Reads `PAGERDUTY_API_KEY` (as a `Redacted`) and `PAGERDUTY_AUTH_TYPE` (default `token`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Auth } from "@effect-pagerduty/client"
 *
 * const program = Effect.map(Auth.config(), (auth) => auth._tag)
 * ```
 *
 * @since 0.1.0
 * @category config
 */
export const config = (keyName = "PAGERDUTY_API_KEY"): Config.Config<Auth> =>
  Config.map(
    Config.all({
      key: Config.redacted(keyName),
      type: Config.literal("token", "bearer", "oauth2", "header_passthru")("PAGERDUTY_AUTH_TYPE").pipe(
        Config.withDefault("token" as const)
      )
    }),
    ({ key, type }) => fromType(type, key)
  )
