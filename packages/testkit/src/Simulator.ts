/**
 * An in-memory PagerDuty that speaks PagerDuty's wire protocol: REST API v2, Events API v2
 * and v1, and the OAuth token endpoint, all served from one base URL. Use it as an
 * `HttpClient` layer (no sockets) or as a real local HTTP server.
 *
 * Clocks: the `HttpClient` layer reads Effect's `Clock` (so `TestClock` drives token
 * expiry, rate-limit refills and latency), and `serve` uses the wall clock. Simulator time
 * starts at `options.now`; without it, at the clock's current time, or at
 * 2026-01-01T00:00:00Z when the clock reads before 2001 (a fresh `TestClock`).
 *
 * @since 0.1.0
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { Engine, type RecordedRequest as EngineRecordedRequest } from "./internal/engine.js"
import type { FaultKind as InternalFaultKind, FaultRule as InternalFaultRule } from "./internal/faults.js"
import type { IncidentStatus, LayerRec, RestrictionRec } from "./internal/model.js"
import { Renderer } from "./internal/render.js"
import { openIncident, transition } from "./internal/routes/incidents.js"
import type { SimRequest } from "./internal/wire.js"
import * as WebhookDelivery from "./internal/webhookDelivery.js"
import type { DeliveryAttempt } from "./internal/webhooks.js"

// ---------------------------------------------------------------------------
// Defaults
// ---------------------------------------------------------------------------

/**
 * The account-level REST API key accepted by default (`Authorization: Token token=sim-api-key`).
 *
 * @since 0.1.0
 * @category defaults
 * @example
 * import { Simulator } from "@effect-pagerduty/testkit"
 * const header = `Token token=${Simulator.DEFAULT_API_KEY}`
 */
export const DEFAULT_API_KEY = "sim-api-key"

/**
 * A user-level REST API key accepted by default; it acts as the first seeded user, so
 * `GET /users/me` answers with that user.
 *
 * @since 0.1.0
 * @category defaults
 * @example
 * import { Simulator } from "@effect-pagerduty/testkit"
 * const header = `Token token=${Simulator.DEFAULT_USER_API_KEY}`
 */
export const DEFAULT_USER_API_KEY = "sim-user-api-key"

/**
 * The Events API routing key (integration key, 32 characters) of the first seeded service.
 * Each seeded service `i` also gets `sim-routing-key-` followed by `i` padded to 16 digits.
 *
 * @since 0.1.0
 * @category defaults
 * @example
 * import { Simulator } from "@effect-pagerduty/testkit"
 * const event = { routing_key: Simulator.DEFAULT_ROUTING_KEY, event_action: "trigger" }
 */
export const DEFAULT_ROUTING_KEY = "sim-routing-key-0000000000000000"

/**
 * The OAuth client registered by default.
 *
 * @since 0.1.0
 * @category defaults
 * @example
 * import { Simulator } from "@effect-pagerduty/testkit"
 * const form = new URLSearchParams({
 *   grant_type: "client_credentials",
 *   client_id: Simulator.DEFAULT_OAUTH_CLIENT.clientId,
 *   client_secret: Simulator.DEFAULT_OAUTH_CLIENT.clientSecret
 * })
 */
export const DEFAULT_OAUTH_CLIENT: OAuthClient = { clientId: "sim-client-id", clientSecret: "sim-client-secret", scopes: "read write" }

/**
 * The routing key of seeded service `i`.
 *
 * @since 0.1.0
 * @category defaults
 * @example
 * import { Simulator } from "@effect-pagerduty/testkit"
 * Simulator.routingKeyFor(0) === Simulator.DEFAULT_ROUTING_KEY // true
 */
export const routingKeyFor = (i: number): string => `sim-routing-key-${String(i).padStart(16, "0")}`

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------

/**
 * A REST API key. With `user` (a user id or email) it is a user-level key.
 *
 * @since 0.1.0
 * @category options
 * @example
 * import type { Simulator } from "@effect-pagerduty/testkit"
 * const key: Simulator.ApiKey = { key: "my-user-key", user: "ada.lovelace0@example.com" }
 */
export interface ApiKey {
  readonly key: string
  readonly user?: string | undefined
}

/**
 * An OAuth client: its id, secret and the scopes granted when a request names none.
 *
 * @since 0.1.0
 * @category options
 * @example
 * import type { Simulator } from "@effect-pagerduty/testkit"
 * const client: Simulator.OAuthClient = { clientId: "app", clientSecret: "s3cret", scopes: "incidents.read" }
 */
export interface OAuthClient {
  readonly clientId: string
  readonly clientSecret: string
  readonly scopes?: string | undefined
}

/**
 * What a fault does. Build one with the constructors in {@link Fault}.
 *
 * @since 0.1.0
 * @category faults
 * @example
 * import { Simulator } from "@effect-pagerduty/testkit"
 * const kind: Simulator.FaultKind = Simulator.Fault.status5xx(503)
 */
export type FaultKind = InternalFaultKind

/**
 * A fault rule: which requests it hits and what it does.
 *
 * - `method`: HTTP method (any when absent)
 * - `path`: exact path, glob (`*` = one segment, `**` = anything) or RegExp, matched on the URL path
 * - `nth`: a number n fires on every nth matching request; a list fires on those request numbers (1-based)
 * - `probability` (with `seed`): fires with that chance, from a deterministic PRNG
 * - `times`: stop after this many hits
 *
 * Faulted requests never change state, except `Fault.drop({ afterProcessing: true })`.
 *
 * @since 0.1.0
 * @category faults
 * @example
 * import { Simulator } from "@effect-pagerduty/testkit"
 * const rule: Simulator.FaultRule = { method: "GET", path: "/incidents", nth: [1, 2], kind: Simulator.Fault.status429({ reset: 2 }) }
 */
export type FaultRule = InternalFaultRule

/**
 * Fault constructors.
 *
 * @since 0.1.0
 * @category faults
 * @example
 * import { Simulator } from "@effect-pagerduty/testkit"
 * const faults: ReadonlyArray<Simulator.FaultRule> = [
 *   { path: "/incidents/**", kind: Simulator.Fault.latency(250) },
 *   { method: "POST", path: "/v2/enqueue", nth: 3, kind: Simulator.Fault.drop({ afterProcessing: true }) },
 *   { probability: 0.1, seed: 7, kind: Simulator.Fault.status5xx(502) }
 * ]
 */
export const Fault = {
  /** Adds latency (combines with other rules and the global `latency`). */
  latency: (ms: number): FaultKind => ({ _tag: "Latency", ms }),
  /** 429 with `ratelimit-*` headers (`ratelimit-reset` = `reset` seconds), optional `retry-after`, and code 2020. */
  status429: (options: { readonly reset: number; readonly retryAfter?: number | undefined }): FaultKind => ({ _tag: "Status429", reset: options.reset, retryAfter: options.retryAfter }),
  /** A 5xx with an HTML body, as a load balancer sends. */
  status5xx: (status = 503, body?: string): FaultKind => ({
    _tag: "Status5xx",
    status,
    body: body ?? `<html><head><title>${status}</title></head><body><h1>${status} Service Unavailable</h1></body></html>`
  }),
  /**
   * Cuts the connection mid-response (the layer fails with a `RequestError` whose reason is
   * "Transport"). With `afterProcessing: true` the request is processed first, then dropped.
   */
  drop: (options?: { readonly afterProcessing?: boolean | undefined }): FaultKind => ({ _tag: "Drop", afterProcessing: options?.afterProcessing ?? false }),
  /** A 200 whose JSON body is truncated. */
  invalidJson: (): FaultKind => ({ _tag: "InvalidJson" }),
  /**
   * An error body of a shape seen in the wild: `array` = `{"error":["..."]}`, `string` =
   * `{"error":"..."}`, `errorsString` = `{"error":{"message":"x","errors":"a string"}}`.
   */
  oddErrorBody: (variant: "array" | "string" | "errorsString" = "array", status = 400): FaultKind => ({ _tag: "OddErrorBody", variant, status }),
  /** Never answers; the layer waits until the fiber is interrupted, the server until the client leaves. */
  timeout: (): FaultKind => ({ _tag: "Timeout" })
} as const

/**
 * Simulator options. Every field is optional.
 *
 * @since 0.1.0
 * @category options
 * @example
 * import { Simulator } from "@effect-pagerduty/testkit"
 * const options: Simulator.Options = {
 *   seed: 42,
 *   incidents: 100_000,
 *   now: "2026-03-01T00:00:00Z",
 *   rateLimit: { limit: 20, window: "1 second" },
 *   faults: [{ path: "/oncalls", kind: Simulator.Fault.status5xx(503) }]
 * }
 */
export interface Options {
  /** Accepted REST API keys. Default: `sim-api-key` (account) and `sim-user-api-key` (first user). */
  readonly apiKeys?: ReadonlyArray<string | ApiKey> | undefined
  /** Registered OAuth clients. Default: {@link DEFAULT_OAUTH_CLIENT}. */
  readonly oauthClients?: ReadonlyArray<OAuthClient> | undefined
  /** Accepted Events routing keys; key `i` belongs to service `i` (mod the service count). Default: one per seeded service. */
  readonly routingKeys?: ReadonlyArray<string> | undefined
  /** Seeded incidents (default 25), spread over the 28 days before the start. */
  readonly incidents?: number | undefined
  /** Seeded users (default 10). */
  readonly users?: number | undefined
  /** Seeded teams (default 3). */
  readonly teams?: number | undefined
  /** Seeded services, each with its own escalation policy (default 5). */
  readonly services?: number | undefined
  /** Seeded schedules, weekly rotations (default 2). */
  readonly schedules?: number | undefined
  /** Seed of all generated data and randomness (default 1). */
  readonly seed?: number | undefined
  /** Latency added to every response (default 0). */
  readonly latency?: Duration.DurationInput | undefined
  /** A per-credential token bucket on REST routes; off unless given. `limit` defaults to 960, `window` to "1 minute". */
  readonly rateLimit?: { readonly limit?: number | undefined; readonly window?: Duration.DurationInput | undefined } | undefined
  /** Fault rules active from the start. */
  readonly faults?: ReadonlyArray<FaultRule> | undefined
  /** Simulator time at start (see the module notes on clocks). */
  readonly now?: Date | number | string | undefined
  /** Subdomain of `html_url`s (default "acme"). */
  readonly subdomain?: string | undefined
  /** Abilities the account lacks: `GET /abilities/{id}` answers 402 for them. */
  readonly missingAbilities?: ReadonlyArray<string> | undefined
  /** Lifetime of OAuth access tokens (default 1 hour). */
  readonly tokenLifetime?: Duration.DurationInput | undefined
  /** How many requests `requests` keeps, oldest dropped first (default 10 000; 0 records none). */
  readonly maxRecordedRequests?: number | undefined
  /** How webhook subscriptions are delivered (see {@link WebhookOptions}). */
  readonly webhooks?: WebhookOptions | undefined
}

/**
 * Webhook delivery. A subscription made with `POST /webhook_subscriptions` (its URL must be
 * on 127.0.0.1, localhost or [::1]) receives signed v3 events when incidents are triggered,
 * acknowledged, annotated, resolved, reassigned (`state.reassignIncident`) or change priority
 * (`PUT /incidents/{id}`), and a `pagey.ping` on `POST
 * /webhook_subscriptions/{id}/ping`. `layer` and `serve` deliver, from a fiber in their
 * scope (API requests never wait for a delivery); `make` alone does not.
 *
 * Like PagerDuty: one webhook at a time in order; 2xx delivers; 429, 5xx, a timeout or a
 * connection error is retried after each of `retryDelays` (default 75 s, 150 s, 300 s,
 * 600 s: 5 attempts over about 19 minutes, on Effect's `Clock`, so `TestClock` drives them);
 * any other status drops the webhook. Body, `X-Webhook-Id` and signature are the same on
 * every attempt. Attempts are listed by `webhookDeliveries`.
 *
 * @since 0.2.0
 * @category options
 * @example
 * import { Effect } from "effect"
 * import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
 * import { Simulator } from "@effect-pagerduty/testkit"
 * // Deliver in process to an app (no socket), retrying at once.
 * const options: Simulator.Options = {
 *   webhooks: { app: Effect.succeed(HttpServerResponse.empty({ status: 202 })), retryDelays: ["0 millis", "0 millis"] }
 * }
 */
export interface WebhookOptions {
  /** Answer deliveries with this app in process (no network; `layer` and `serve`). Default: POST to the subscription's URL. */
  readonly app?: HttpApp.Default<unknown, never> | undefined
  /** Waits before each retry; their number is the number of retries. Default 75 s, 150 s, 300 s, 600 s. */
  readonly retryDelays?: ReadonlyArray<Duration.DurationInput> | undefined
  /** How long an attempt may wait for the answer (default 5 seconds). */
  readonly timeout?: Duration.DurationInput | undefined
}

/**
 * One webhook delivery attempt: the subscription, webhook and event, the attempt number
 * (1 first), the status answered (0: no answer) and the outcome (`delivered`, `retrying`,
 * `failed`), at simulator time.
 *
 * @since 0.2.0
 * @category models
 * @example
 * import type { Simulator } from "@effect-pagerduty/testkit"
 * const retried = (attempts: ReadonlyArray<Simulator.WebhookAttempt>) => attempts.filter((a) => a.attempt > 1)
 */
export type WebhookAttempt = DeliveryAttempt

// ---------------------------------------------------------------------------
// Wire types returned by the state helpers
// ---------------------------------------------------------------------------

/**
 * A PagerDuty reference object (`{id, type, summary, self, html_url}`).
 *
 * @since 0.1.0
 * @category models
 * @example
 * import type { Simulator } from "@effect-pagerduty/testkit"
 * const ref: Simulator.Reference = { id: "PV00000", type: "service_reference", summary: "Checkout API", self: "https://api.pagerduty.com/services/PV00000", html_url: null }
 */
export interface Reference {
  readonly id: string
  readonly type: string
  readonly summary: string
  readonly self: string
  readonly html_url: string | null
}

/**
 * An incident as the REST API renders it (selected fields typed; the rest as in REST.json).
 *
 * @since 0.1.0
 * @category models
 * @example
 * import type { Simulator } from "@effect-pagerduty/testkit"
 * const isOpen = (i: Simulator.Incident) => i.status !== "resolved"
 */
export interface Incident {
  readonly id: string
  readonly type: "incident"
  readonly incident_number: number
  readonly title: string
  readonly status: IncidentStatus
  readonly urgency: "high" | "low"
  readonly incident_key: string
  readonly created_at: string
  readonly service: Reference
  readonly [key: string]: unknown
}

/**
 * A user as the REST API renders it.
 *
 * @since 0.1.0
 * @category models
 * @example
 * import type { Simulator } from "@effect-pagerduty/testkit"
 * const emailOf = (u: Simulator.User) => u.email
 */
export interface User {
  readonly id: string
  readonly type: "user"
  readonly name: string
  readonly email: string
  readonly role: string
  readonly [key: string]: unknown
}

/**
 * Any other entity as the REST API renders it (service, team, schedule, escalation policy, change event).
 *
 * @since 0.1.0
 * @category models
 * @example
 * import type { Simulator } from "@effect-pagerduty/testkit"
 * const nameOf = (e: Simulator.Entity) => e.name
 */
export interface Entity {
  readonly id: string
  readonly [key: string]: unknown
}

/**
 * A recorded request. `headers` has lower-case names with `authorization` redacted;
 * `endpoint` is "METHOD /canonical/{path}"; `status` is 0 for dropped or hung requests.
 *
 * @since 0.1.0
 * @category models
 * @example
 * import type { Simulator } from "@effect-pagerduty/testkit"
 * const failed = (rs: ReadonlyArray<Simulator.RecordedRequest>) => rs.filter((r) => r.status >= 400)
 */
export type RecordedRequest = EngineRecordedRequest

/**
 * A schedule layer for {@link StateApi.addSchedule}.
 *
 * @since 0.1.0
 * @category models
 * @example
 * import type { Simulator } from "@effect-pagerduty/testkit"
 * const layer: Simulator.LayerInput = {
 *   start: "2026-01-05T00:00:00Z",
 *   rotationVirtualStart: "2026-01-05T00:00:00Z",
 *   rotationTurnLengthSeconds: 86400,
 *   users: ["PU00000", "PU00001"],
 *   restrictions: [{ type: "daily_restriction", startTimeOfDay: "09:00:00", durationSeconds: 8 * 3600 }]
 * }
 */
export interface LayerInput {
  readonly name?: string | undefined
  readonly start: Date | string | number
  readonly end?: Date | string | number | null | undefined
  readonly rotationVirtualStart: Date | string | number
  readonly rotationTurnLengthSeconds: number
  /** User ids, in rotation order. */
  readonly users: ReadonlyArray<string>
  readonly restrictions?: ReadonlyArray<{
    readonly type: "daily_restriction" | "weekly_restriction"
    readonly startTimeOfDay: string
    readonly durationSeconds: number
    /** ISO weekday, 1 = Monday (weekly restrictions). */
    readonly startDayOfWeek?: number | undefined
  }> | undefined
}

/**
 * Typed helpers to seed and read the simulator's state directly (no HTTP, no faults, not recorded).
 * Rendered objects use `https://api.pagerduty.com` in `self`.
 *
 * @since 0.1.0
 * @category models
 * @example
 * import { Effect } from "effect"
 * import { Simulator } from "@effect-pagerduty/testkit"
 * const program = Effect.gen(function*() {
 *   const sim = yield* Simulator.Simulator
 *   const user = yield* sim.state.addUser({ name: "Jo", email: "jo@example.com" })
 *   return yield* sim.state.incidents({ statuses: ["triggered"] })
 * })
 */
export interface StateApi {
  readonly incidentCount: Effect.Effect<number>
  /** Every incident (optionally by status), oldest first. Materialises them: mind 100k seeds. */
  readonly incidents: (filter?: { readonly statuses?: ReadonlyArray<IncidentStatus> | undefined }) => Effect.Effect<ReadonlyArray<Incident>>
  readonly incident: (id: string) => Effect.Effect<Option.Option<Incident>>
  readonly addIncident: (input: {
    readonly title: string
    readonly serviceId?: string | undefined
    readonly urgency?: "high" | "low" | undefined
    readonly status?: IncidentStatus | undefined
    readonly incidentKey?: string | undefined
  }) => Effect.Effect<Incident>
  /** Assigns an open incident to these user ids instead of its assignees (subscriptions get `incident.reassigned`). */
  readonly reassignIncident: (id: string, userIds: ReadonlyArray<string>) => Effect.Effect<Incident>
  readonly users: Effect.Effect<ReadonlyArray<User>>
  readonly addUser: (input: { readonly name: string; readonly email: string; readonly role?: string | undefined; readonly timeZone?: string | undefined }) => Effect.Effect<User>
  readonly teams: Effect.Effect<ReadonlyArray<Entity>>
  readonly services: Effect.Effect<ReadonlyArray<Entity>>
  readonly escalationPolicies: Effect.Effect<ReadonlyArray<Entity>>
  /** Adds a policy whose rules target users or schedules, in escalation order. */
  readonly addEscalationPolicy: (input: {
    readonly name: string
    readonly rules: ReadonlyArray<ReadonlyArray<{ readonly type: "user_reference" | "schedule_reference"; readonly id: string }>>
  }) => Effect.Effect<Entity>
  readonly schedules: Effect.Effect<ReadonlyArray<Entity>>
  /** Adds a schedule; the first layer has the highest priority. */
  readonly addSchedule: (input: { readonly name: string; readonly timeZone?: string | undefined; readonly layers: ReadonlyArray<LayerInput> }) => Effect.Effect<Entity>
  readonly addOverride: (scheduleId: string, input: { readonly start: Date | string | number; readonly end: Date | string | number; readonly userId: string }) => Effect.Effect<Entity>
  readonly changeEvents: Effect.Effect<ReadonlyArray<Entity>>
}

/**
 * An authorization code for `POST /oauth/token` with `grant_type=authorization_code`, standing
 * in for the browser step at `/oauth/authorize`. With `codeChallenge`, the exchange must
 * present the matching `code_verifier` (PKCE, RFC 7636).
 *
 * @since 0.1.0
 * @category models
 * @example
 * import type { Simulator } from "@effect-pagerduty/testkit"
 * const grant: Simulator.AuthorizationCodeGrant = {
 *   code: "abc",
 *   clientId: "sim-client-id",
 *   redirectUri: "http://localhost:8080/callback",
 *   codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
 * }
 */
export interface AuthorizationCodeGrant {
  readonly code: string
  readonly clientId: string
  readonly redirectUri: string
  readonly codeChallenge?: string | undefined
  /** Default "S256". */
  readonly codeChallengeMethod?: "S256" | "plain" | undefined
  /** Default "read write". */
  readonly scope?: string | undefined
  /** The user the tokens act as (id or email); default the first user. */
  readonly user?: string | undefined
}

// ---------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------

/**
 * The simulator's inspection and control interface.
 *
 * @since 0.1.0
 * @category models
 * @example
 * import { Effect } from "effect"
 * import { Simulator } from "@effect-pagerduty/testkit"
 * const report = Effect.gen(function*() {
 *   const sim = yield* Simulator.Simulator
 *   const counts = yield* sim.countsByEndpoint
 *   return counts["GET /incidents"] ?? 0
 * })
 */
export interface SimulatorService {
  /** Answers a web-standard Request (wall clock; latency waits with timers). */
  readonly handle: (request: Request) => Promise<Response>
  /** Recorded requests, oldest first. */
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  /** Requests per endpoint, e.g. `{"GET /incidents": 3, "PUT /incidents/{id}": 1}`. */
  readonly countsByEndpoint: Effect.Effect<Readonly<Record<string, number>>>
  /** Events processed per dedup key (Events v2, and v1 by incident_key). */
  readonly eventsByDedupKey: Effect.Effect<Readonly<Record<string, number>>>
  /** 429 responses sent (rate limiter and faults). */
  readonly rateLimited429s: Effect.Effect<number>
  /** Simulator time now. */
  readonly now: Effect.Effect<Date>
  /** Back to the seeded state; clears recordings, counters, buckets and tokens. Keeps fault rules. */
  readonly reset: Effect.Effect<void>
  readonly addFault: (rule: FaultRule) => Effect.Effect<void>
  readonly clearFaults: Effect.Effect<void>
  readonly state: StateApi
  readonly registerAuthorizationCode: (grant: AuthorizationCodeGrant) => Effect.Effect<void>
  /** Revokes an access or refresh token; false when unknown. */
  readonly revokeToken: (token: string) => Effect.Effect<boolean>
  /** Expires every access token issued so far. */
  readonly expireTokens: Effect.Effect<void>
  /** Webhook delivery attempts, oldest first (see {@link WebhookOptions}). */
  readonly webhookDeliveries: Effect.Effect<ReadonlyArray<WebhookAttempt>>
  /** Waits until at least `n` delivery attempts have been made, then returns all of them. */
  readonly awaitWebhookDeliveries: (n: number) => Effect.Effect<ReadonlyArray<WebhookAttempt>>
}

/**
 * The simulator service tag.
 *
 * @since 0.1.0
 * @category tags
 * @example
 * import { Effect } from "effect"
 * import { Simulator } from "@effect-pagerduty/testkit"
 * const count = Effect.flatMap(Simulator.Simulator, (sim) => sim.rateLimited429s)
 */
export class Simulator extends Context.Tag("@effect-pagerduty/testkit/Simulator")<Simulator, SimulatorService>() {}

const engines = new WeakMap<SimulatorService, Engine>()

const toMs = (value: Date | string | number): number => {
  const ms = value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(value)
  if (Number.isNaN(ms)) throw new Error(`Invalid time: ${String(value)}`)
  return ms
}

const resolveOptions = (options: Options) => {
  const services = Math.max(1, options.services ?? 5)
  return {
    apiKeys: (options.apiKeys ?? [DEFAULT_API_KEY, { key: DEFAULT_USER_API_KEY, user: "PU00000" }]).map((k) => typeof k === "string" ? { key: k } : k),
    oauthClients: options.oauthClients ?? [DEFAULT_OAUTH_CLIENT],
    routingKeys: options.routingKeys ?? Array.from({ length: services }, (_, i) => routingKeyFor(i)),
    sizes: {
      incidents: Math.max(0, options.incidents ?? 25),
      users: Math.max(1, options.users ?? 10),
      teams: Math.max(0, options.teams ?? 3),
      services,
      schedules: Math.max(0, options.schedules ?? 2)
    },
    seed: options.seed ?? 1,
    latencyMs: options.latency === undefined ? 0 : Duration.toMillis(Duration.decode(options.latency)),
    rateLimit: options.rateLimit === undefined ? undefined : {
      limit: options.rateLimit.limit ?? 960,
      windowMs: Duration.toMillis(Duration.decode(options.rateLimit.window ?? "1 minute"))
    },
    faults: options.faults ?? [],
    subdomain: options.subdomain ?? "acme",
    missingAbilities: options.missingAbilities ?? [],
    tokenLifetimeSeconds: options.tokenLifetime === undefined ? 3600 : Duration.toSeconds(Duration.decode(options.tokenLifetime)),
    maxRecordedRequests: options.maxRecordedRequests ?? 10_000,
    now: options.now === undefined ? undefined : toMs(options.now)
  }
}

const toLayer = (l: LayerInput, i: number, id: string): LayerRec => ({
  id,
  name: l.name ?? `Layer ${i + 1}`,
  start: toMs(l.start),
  end: l.end === undefined || l.end === null ? null : toMs(l.end),
  rotation_virtual_start: toMs(l.rotationVirtualStart),
  rotation_turn_length_seconds: l.rotationTurnLengthSeconds,
  userIds: l.users.slice(),
  restrictions: (l.restrictions ?? []).map((r): RestrictionRec => ({
    type: r.type,
    start_time_of_day: r.startTimeOfDay,
    duration_seconds: r.durationSeconds,
    start_day_of_week: r.startDayOfWeek ?? null
  }))
})

/** Builds the service over an engine; `clock` reads the driving clock for `handle` and helpers. */
const makeService = (engine: Engine, clock: () => number): SimulatorService => {
  const render = () => new Renderer(engine.state, "https://api.pagerduty.com", engine.subdomain)
  const sync = Effect.sync
  const now = () => engine.simNow(clock())
  const list = <A>(items: Iterable<A>, f: (r: Renderer, a: A) => Record<string, unknown>) => {
    const r = render()
    return [...items].map((a) => f(r, a) as Entity)
  }
  const state: StateApi = {
    incidentCount: sync(() => engine.state.incidentCount),
    incidents: (filter) => sync(() => {
      const r = render()
      const out: Array<Incident> = []
      const statuses = filter?.statuses
      for (let i = 0; i < engine.state.incidentCount; i++) {
        const rec = engine.state.incident(i)
        if (statuses === undefined || statuses.includes(rec.status)) out.push(r.incident(rec) as unknown as Incident)
      }
      return out
    }),
    incident: (id) => sync(() => Option.map(Option.fromNullable(engine.state.incidentById(id)), (rec) => render().incident(rec) as unknown as Incident)),
    addIncident: (input) => sync(() => {
      const st = engine.state
      const serviceId = input.serviceId ?? [...st.services.keys()][0]
      if (!st.services.has(serviceId)) throw new Error(`Unknown service ${serviceId}`)
      const t = now()
      let rec = openIncident(st, t, {
        title: input.title,
        serviceId,
        urgency: input.urgency ?? "high",
        incidentKey: input.incidentKey ?? engine.randomHex(32),
        createdBy: null,
        priorityId: null
      })
      if (input.status === "acknowledged" || input.status === "resolved") rec = transition(st, rec, input.status, null, t, "api")
      return render().incident(rec) as unknown as Incident
    }),
    reassignIncident: (id, userIds) => sync(() => {
      const st = engine.state
      const rec = st.incidentById(id)
      if (rec === undefined) throw new Error(`Unknown incident ${id}`)
      if (rec.status === "resolved") throw new Error(`Incident ${id} is resolved`)
      for (const u of userIds) if (!st.users.has(u)) throw new Error(`Unknown user ${u}`)
      const next = { ...rec, assigneeIds: [...userIds], updated_at: now() }
      st.putIncident(next)
      return render().incident(next) as unknown as Incident
    }),
    users: sync(() => list(engine.state.users.values(), (r, u) => r.user(u)) as unknown as ReadonlyArray<User>),
    addUser: (input) => sync(() => {
      const st = engine.state
      const user = {
        id: st.nextId("user"),
        name: input.name,
        email: input.email,
        time_zone: input.timeZone ?? "UTC",
        role: input.role ?? "user",
        color: "purple",
        job_title: "",
        description: null,
        teamIds: []
      }
      st.users.set(user.id, user)
      st.version++
      return render().user(user) as unknown as User
    }),
    teams: sync(() => list(engine.state.teams.values(), (r, t) => r.team(t))),
    services: sync(() => list(engine.state.services.values(), (r, s) => r.service(s))),
    escalationPolicies: sync(() => list(engine.state.escalationPolicies.values(), (r, p) => r.escalationPolicy(p))),
    addEscalationPolicy: (input) => sync(() => {
      const st = engine.state
      const policy = {
        id: st.nextId("escalationPolicy"),
        name: input.name,
        description: null,
        num_loops: 0,
        rules: input.rules.map((targets) => ({ id: st.nextId("rule"), escalation_delay_in_minutes: 30, targets: targets.map((t) => ({ type: t.type, id: t.id })) })),
        teamIds: []
      }
      st.escalationPolicies.set(policy.id, policy)
      st.version++
      return render().escalationPolicy(policy) as Entity
    }),
    schedules: sync(() => list(engine.state.schedules.values(), (_r, s) => ({ id: s.id, type: "schedule", name: s.name, time_zone: s.time_zone }))),
    addSchedule: (input) => sync(() => {
      const st = engine.state
      const schedule = {
        id: st.nextId("schedule"),
        name: input.name,
        description: null,
        time_zone: input.timeZone ?? "UTC",
        layers: input.layers.map((l, i) => toLayer(l, i, st.nextId("layer"))),
        overrides: [],
        teamIds: []
      }
      st.schedules.set(schedule.id, schedule)
      st.version++
      return { id: schedule.id, type: "schedule", name: schedule.name, time_zone: schedule.time_zone } as Entity
    }),
    addOverride: (scheduleId, input) => sync(() => {
      const st = engine.state
      const schedule = st.schedules.get(scheduleId)
      if (schedule === undefined) throw new Error(`Unknown schedule ${scheduleId}`)
      const rec = { id: st.nextId("override"), start: toMs(input.start), end: toMs(input.end), userId: input.userId }
      schedule.overrides.push(rec)
      st.version++
      return { id: rec.id, start: new Date(rec.start).toISOString(), end: new Date(rec.end).toISOString(), user: render().userRef(rec.userId) } as Entity
    }),
    changeEvents: sync(() => list(engine.state.changeEvents, (r, c) => r.changeEvent(c)))
  }
  const service: SimulatorService = {
    handle: (request) => handleWeb(engine, request, clock),
    requests: sync(() => engine.requests()),
    countsByEndpoint: sync(() => engine.countsByEndpoint()),
    eventsByDedupKey: sync(() => engine.eventsByDedupKey()),
    rateLimited429s: sync(() => engine.rateLimited429s),
    now: Effect.map(Clock.currentTimeMillis, (ms) => new Date(engine.simNow(ms))),
    reset: sync(() => engine.reset()),
    addFault: (rule) => sync(() => engine.addFault(rule)),
    clearFaults: sync(() => engine.clearFaults()),
    state,
    registerAuthorizationCode: (grant) => sync(() => {
      const user = grant.user === undefined ? [...engine.state.users.values()][0] : engine.state.users.get(grant.user) ?? engine.state.userByEmail(grant.user)
      engine.oauth.codes.set(grant.code, {
        code: grant.code,
        clientId: grant.clientId,
        redirectUri: grant.redirectUri,
        codeChallenge: grant.codeChallenge ?? null,
        codeChallengeMethod: grant.codeChallengeMethod ?? "S256",
        scope: grant.scope ?? "read write",
        userId: user?.id ?? null
      })
    }),
    revokeToken: (token) => sync(() => {
      const t = engine.oauth.accessTokens.get(token) ?? engine.oauth.refreshTokens.get(token)
      if (t === undefined) return false
      t.revoked = true
      return true
    }),
    expireTokens: Effect.map(Clock.currentTimeMillis, (ms) => {
      const t = engine.simNow(ms)
      for (const token of engine.oauth.accessTokens.values()) token.expiresAt = Math.min(token.expiresAt, t)
    }),
    webhookDeliveries: sync(() => engine.webhookLog.attempts.slice()),
    awaitWebhookDeliveries: (n) =>
      Effect.async<ReadonlyArray<WebhookAttempt>>((resume) => {
        const cancel = engine.webhookLog.onCount(n, () => resume(Effect.sync(() => engine.webhookLog.attempts.slice())))
        return Effect.sync(cancel)
      })
  }
  engines.set(service, engine)
  return service
}

const handleWeb = async (engine: Engine, request: Request, clock: () => number): Promise<Response> => {
  const headers: Record<string, string> = {}
  request.headers.forEach((v, k) => {
    headers[k.toLowerCase()] = v
  })
  const body = request.body === null ? "" : await request.text()
  const outcome = engine.dispatch({ method: request.method, url: new URL(request.url), headers, body }, clock())
  if (outcome.delayMs > 0) await new Promise((r) => setTimeout(r, outcome.delayMs))
  switch (outcome._tag) {
    case "Respond":
      return new Response(outcome.response.body as BodyInit | null, { status: outcome.response.status, headers: outcome.response.headers })
    case "Drop":
      throw new TypeError("fetch failed: the simulator dropped the connection")
    case "Hang":
      return new Promise<Response>((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)))
  }
}

/**
 * Builds a simulator. Its time follows Effect's `Clock` (so `TestClock` controls it).
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect } from "effect"
 * import { Simulator } from "@effect-pagerduty/testkit"
 * const program = Effect.gen(function*() {
 *   const sim = yield* Simulator.make({ incidents: 3 })
 *   const res = yield* Effect.promise(() =>
 *     sim.handle(new Request("https://api.pagerduty.com/incidents", { headers: { Authorization: "Token token=sim-api-key" } }))
 *   )
 *   return res.status // 200
 * })
 */
export const make = (options: Options = {}): Effect.Effect<SimulatorService> =>
  Effect.gen(function*() {
    const clock = yield* Effect.clock
    const resolved = resolveOptions(options)
    const engine = new Engine(resolved, clock.unsafeCurrentTimeMillis())
    return makeService(engine, () => clock.unsafeCurrentTimeMillis())
  })

/** The request body as text, whatever body type the platform request carries. */
const bodyText = (request: HttpClientRequest.HttpClientRequest): Effect.Effect<string, HttpClientError.RequestError> => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return Effect.succeed("")
    case "Uint8Array":
      return Effect.succeed(new TextDecoder().decode(body.body))
    case "Raw":
      return Effect.succeed(
        typeof body.body === "string" ? body.body : body.body instanceof Uint8Array ? new TextDecoder().decode(body.body) : String(body.body)
      )
    case "FormData":
      return Effect.succeed(new URLSearchParams(body.formData as unknown as Record<string, string>).toString())
    case "Stream":
      return Stream.runCollect(body.stream).pipe(
        Effect.map((chunks) => {
          const parts = Chunk.toReadonlyArray(chunks)
          const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
          let offset = 0
          for (const p of parts) {
            all.set(p, offset)
            offset += p.length
          }
          return new TextDecoder().decode(all)
        }),
        Effect.mapError((cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause }))
      )
  }
}

/**
 * An `HttpClient` answered by the simulator in memory, for any host. Latency sleeps on
 * Effect's `Clock`; a `drop` fault fails with a `RequestError` (reason "Transport"); a
 * `timeout` fault never answers, until the fiber is interrupted.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect } from "effect"
 * import { Simulator } from "@effect-pagerduty/testkit"
 * const client = Effect.map(Simulator.make(), Simulator.httpClient)
 */
export const httpClient = (simulator: SimulatorService): HttpClient.HttpClient => {
  const engine = engines.get(simulator)
  if (engine === undefined) throw new Error("httpClient needs a simulator built by Simulator.make")
  return HttpClient.make((request, url) =>
    Effect.gen(function*() {
      const body = yield* bodyText(request)
      const clockMs = yield* Clock.currentTimeMillis
      const sim: SimRequest = { method: request.method, url, headers: { ...request.headers }, body }
      const outcome = engine.dispatch(sim, clockMs)
      if (outcome.delayMs > 0) yield* Effect.sleep(Duration.millis(outcome.delayMs))
      switch (outcome._tag) {
        case "Respond": {
          const r = outcome.response
          return HttpClientResponse.fromWeb(request, new Response(r.body as BodyInit | null, { status: r.status, headers: r.headers }))
        }
        case "Drop":
          return yield* Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", description: "The simulator dropped the connection" }))
        case "Hang":
          return yield* Effect.never
      }
    })
  )
}

/**
 * A layer providing both an in-memory `HttpClient` (any host: api.pagerduty.com,
 * events.pagerduty.com...) and the {@link Simulator} service.
 *
 * @since 0.1.0
 * @category layers
 * @example
 * import { HttpClient } from "@effect/platform"
 * import { Effect } from "effect"
 * import { Simulator } from "@effect-pagerduty/testkit"
 * const program = Effect.gen(function*() {
 *   const client = yield* HttpClient.HttpClient
 *   const res = yield* client.get("https://api.pagerduty.com/incidents", { headers: { Authorization: "Token token=sim-api-key" } })
 *   return yield* res.json
 * }).pipe(Effect.provide(Simulator.layer({ incidents: 5 })))
 */
export const layer = (options: Options = {}): Layer.Layer<HttpClient.HttpClient | Simulator> =>
  Layer.scopedContext(
    Effect.gen(function*() {
      const sim = yield* make(options)
      const clock = yield* Effect.clock
      // Webhooks are delivered by a fiber of the layer's scope.
      yield* WebhookDelivery.start(engines.get(sim)!, WebhookDelivery.settings(options.webhooks, () => clock.unsafeCurrentTimeMillis()))
      return Context.make(Simulator, sim).pipe(Context.add(HttpClient.HttpClient, httpClient(sim)))
    })
  )

/**
 * Failure to start the local server (port in use, bad host...).
 *
 * @since 0.1.0
 * @category errors
 * @example
 * import { Effect } from "effect"
 * import { Simulator } from "@effect-pagerduty/testkit"
 * const safe = Simulator.serve({ port: 80 }).pipe(Effect.catchTag("ServeError", (e) => Effect.die(e.cause)))
 */
export class ServeError extends Data.TaggedError("ServeError")<{ readonly cause: unknown }> {}

/**
 * A running server: its base URL (use it as the base URL of every PagerDuty client), port
 * and simulator.
 *
 * @since 0.1.0
 * @category models
 * @example
 * import { Effect } from "effect"
 * import { Simulator } from "@effect-pagerduty/testkit"
 * const url = Effect.scoped(Effect.map(Simulator.serve(), (s: Simulator.Served) => s.url))
 */
export interface Served {
  readonly url: string
  readonly port: number
  readonly simulator: SimulatorService
}

/**
 * Starts a real HTTP server (`node:http`, keep-alive, CORS) on 127.0.0.1 and port 0 unless
 * told otherwise; it closes when the scope closes. It uses the wall clock.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect } from "effect"
 * import { Simulator } from "@effect-pagerduty/testkit"
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const { url } = yield* Simulator.serve({ incidents: 10 })
 *   const res = yield* Effect.promise(() => fetch(`${url}/incidents`, { headers: { Authorization: "Token token=sim-api-key" } }))
 *   return res.status
 * }))
 */
export const serve = (
  options: Options & { readonly port?: number | undefined; readonly host?: string | undefined } = {}
): Effect.Effect<Served, ServeError, Scope.Scope> =>
  Effect.gen(function*() {
    const server = yield* Effect.promise(() => import("./internal/server.js"))
    const engine = new Engine(resolveOptions(options), Date.now())
    const simulator = makeService(engine, Date.now)
    yield* WebhookDelivery.start(engine, WebhookDelivery.settings(options.webhooks, Date.now))
    const host = options.host ?? "127.0.0.1"
    const started = yield* Effect.acquireRelease(
      Effect.tryPromise({ try: () => server.start(engine, host, options.port ?? 0), catch: (cause) => new ServeError({ cause }) }),
      (s) => Effect.promise(() => s.close())
    )
    const shownHost = host.includes(":") ? `[${host}]` : host
    return { url: `http://${shownHost}:${started.port}`, port: started.port, simulator }
  })
