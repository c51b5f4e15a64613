/**
 * The dispatcher: one synchronous `dispatch(request, clockMs)` that records the request,
 * applies fault rules, authenticates, rate-limits and routes it, and tells the front end
 * what to do (respond, drop the connection, or hang). Front ends own the clock and waiting:
 * the `HttpClient` layer sleeps on Effect's `Clock` (so `TestClock` drives it) and the
 * `node:http` server uses timers and the wall clock.
 *
 * @internal
 */
import { ActiveFault, type FaultKind, type FaultRule } from "./faults.js"
import { hexString, mulberry32 } from "./prng.js"
import { Renderer } from "./render.js"
import { Router, type Caller, type Env, type IssuedToken, type OAuthStore } from "./router.js"
import { allRoutes } from "./routes/index.js"
import type { SeedSizes } from "./seed.js"
import { State } from "./state.js"
import { json, pdError, type Outcome, type SimRequest, type SimResponse } from "./wire.js"
import { type Delivery, DeliveryLog } from "./webhooks.js"

export interface ApiKeySpec {
  readonly key: string
  /** A user id or email: the key is then a user-level key; otherwise account-level. */
  readonly user?: string | undefined
}

export interface OAuthClientSpec {
  readonly clientId: string
  readonly clientSecret: string
  /** Space-separated scopes granted when a request names none. */
  readonly scopes?: string | undefined
}

export interface EngineOptions {
  readonly apiKeys: ReadonlyArray<ApiKeySpec>
  readonly oauthClients: ReadonlyArray<OAuthClientSpec>
  readonly routingKeys: ReadonlyArray<string>
  readonly sizes: SeedSizes
  readonly seed: number
  readonly latencyMs: number
  readonly rateLimit: { readonly limit: number; readonly windowMs: number } | undefined
  readonly faults: ReadonlyArray<FaultRule>
  readonly subdomain: string
  readonly missingAbilities: ReadonlyArray<string>
  readonly tokenLifetimeSeconds: number
  readonly maxRecordedRequests: number
  /** Simulator time at start; `undefined` to follow the driving clock. */
  readonly now: number | undefined
}

/** A request as recorded for assertions. */
export interface RecordedRequest {
  readonly method: string
  readonly url: string
  readonly path: string
  /** "METHOD /canonical/{path}", the key of `countsByEndpoint`. */
  readonly endpoint: string
  /** Lower-case names; `authorization`, `x-pagerduty-jira-signature` and `proxy-authorization` are replaced by `<redacted>`. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** The status sent, or 0 when the connection was dropped or never answered. */
  readonly status: number
  readonly outcome: "response" | "dropped" | "hung"
  /** Simulator time of arrival, epoch milliseconds. */
  readonly timestamp: number
  readonly requestId: string
}

/** Time before 2001 means a test clock at the epoch; seed data then anchors here instead. */
const EARLIEST_REAL_CLOCK = Date.UTC(2001, 0, 1)
/** Where simulator time starts when the driving clock reads 1970 (`TestClock`). */
export const DEFAULT_EPOCH = Date.UTC(2026, 0, 1)

interface Bucket {
  tokens: number
  last: number
}

export class Engine implements Env {
  state: State
  readonly subdomain: string
  readonly missingAbilities: ReadonlySet<string>
  readonly oauth: OAuthStore
  private readonly router: Router
  private readonly origin: number
  private faults: Array<ActiveFault>
  private recorded: Array<RecordedRequest> = []
  private counts = new Map<string, number>()
  private events = new Map<string, number>()
  private buckets = new Map<string, Bucket>()
  private random: () => number
  private requestCounter = 0
  rateLimited429s = 0
  /** Where webhooks go: set by the delivering front end (`webhookDelivery.ts`) for its lifetime. */
  webhookSink: ((delivery: Delivery) => void) | undefined = undefined
  readonly webhookLog = new DeliveryLog()

  constructor(readonly options: EngineOptions, readonly clockStartMs: number) {
    this.origin = options.now ?? (clockStartMs < EARLIEST_REAL_CLOCK ? DEFAULT_EPOCH : clockStartMs)
    this.router = new Router(allRoutes(this))
    this.subdomain = options.subdomain
    this.missingAbilities = new Set(options.missingAbilities)
    this.state = new State({ seed: options.seed, sizes: options.sizes, startMs: this.origin })
    this.connectWebhooks()
    this.faults = options.faults.map((f) => new ActiveFault(f, options.seed))
    this.random = mulberry32(options.seed ^ 0x5eed)
    this.oauth = {
      clients: new Map(options.oauthClients.map((c) => [c.clientId, { secret: c.clientSecret, scopes: c.scopes ?? "read write" }])),
      codes: new Map(),
      accessTokens: new Map(),
      refreshTokens: new Map()
    }
  }

  /** Simulator time for a reading of the driving clock. */
  simNow(clockMs: number): number {
    return this.origin + (clockMs - this.clockStartMs)
  }

  // ---- Env ----

  serviceForRoutingKey(key: string): string | undefined {
    const i = this.options.routingKeys.indexOf(key)
    if (i < 0) return undefined
    const services = [...this.state.services.keys()]
    return services.length === 0 ? undefined : services[i % services.length]
  }

  countEvent(dedupKey: string): void {
    this.events.set(dedupKey, (this.events.get(dedupKey) ?? 0) + 1)
  }

  randomHex(n: number): string {
    return hexString(this.random, n)
  }

  // ---- control ----

  reset(): void {
    this.state = new State({ seed: this.options.seed, sizes: this.options.sizes, startMs: this.origin })
    this.connectWebhooks()
    this.recorded = []
    this.counts = new Map()
    this.events = new Map()
    this.buckets = new Map()
    this.rateLimited429s = 0
    this.requestCounter = 0
    this.random = mulberry32(this.options.seed ^ 0x5eed)
    this.oauth.codes.clear()
    this.oauth.accessTokens.clear()
    this.oauth.refreshTokens.clear()
  }

  private connectWebhooks(): void {
    this.state.webhooks.connect({ subdomain: this.subdomain, random: (n) => this.randomHex(n), sink: (d) => this.webhookSink?.(d) })
  }

  addFault(rule: FaultRule): void {
    this.faults.push(new ActiveFault(rule, this.options.seed))
  }

  clearFaults(): void {
    this.faults = []
  }

  requests(): ReadonlyArray<RecordedRequest> {
    return this.recorded.slice()
  }

  countsByEndpoint(): Record<string, number> {
    return Object.fromEntries(this.counts)
  }

  eventsByDedupKey(): Record<string, number> {
    return Object.fromEntries(this.events)
  }

  // ---- dispatch ----

  dispatch(req: SimRequest, clockMs: number): Outcome {
    const now = this.simNow(clockMs)
    const method = req.method.toUpperCase()
    const path = req.url.pathname
    const match = this.router.match(method, path)
    const endpoint = `${method} ${match === undefined ? path : match.route.path}`
    this.counts.set(endpoint, (this.counts.get(endpoint) ?? 0) + 1)
    const requestId = this.nextRequestId()

    let delayMs = this.options.latencyMs
    let fault: Exclude<FaultKind, { _tag: "Latency" }> | undefined
    for (const f of this.faults) {
      if (!f.fires(method, path)) continue
      const kind = f.rule.kind
      if (kind._tag === "Latency") delayMs += kind.ms
      else if (fault === undefined) fault = kind
    }

    const record = (status: number, outcome: RecordedRequest["outcome"]) =>
      this.record({ method, url: req.url.href, path, endpoint, headers: redact(req.headers), body: req.body, status, outcome, timestamp: now, requestId })

    if (fault !== undefined && !(fault._tag === "Drop" && fault.afterProcessing)) {
      if (fault._tag === "Timeout") {
        record(0, "hung")
        return { _tag: "Hang", delayMs }
      }
      if (fault._tag === "Drop") {
        record(0, "dropped")
        return { _tag: "Drop", delayMs, partial: withRequestId(json(200, { partial: true }), requestId, now) }
      }
      const response = withRequestId(faultResponse(fault), requestId, now)
      if (response.status === 429) this.rateLimited429s++
      record(response.status, "response")
      return { _tag: "Respond", delayMs, response }
    }

    const response = withRequestId(this.process(req, method, match, now), requestId, now)
    if (fault !== undefined) {
      record(0, "dropped")
      return { _tag: "Drop", delayMs, partial: response }
    }
    record(response.status, "response")
    return { _tag: "Respond", delayMs, response }
  }

  private process(req: SimRequest, method: string, match: ReturnType<Router["match"]>, now: number): SimResponse {
    if (match === undefined) return pdError(404, 2100, "Not Found", [`No route for ${method} ${req.url.pathname}`])
    const { params, route } = match
    const base = req.url.origin
    const ctxBase = { req, query: req.url.searchParams, params, state: this.state, render: new Renderer(this.state, base, this.subdomain), now, env: this }
    if (route.auth === "none") return route.handle({ ...ctxBase, caller: null })

    const caller = this.authenticate(req.headers["authorization"], now)
    if (caller === undefined) {
      return pdError(401, 2006, "Unauthorized", ["Authentication failed: the API key or OAuth token is missing, invalid or expired."])
    }
    const rate = this.takeToken(caller.credential, now)
    if (rate !== undefined && !rate.ok) {
      this.rateLimited429s++
      return addHeaders(pdError(429, 2020, "Rate Limit Exceeded", ["Rate limit exceeded for this API key."]), rate.headers)
    }
    const response = route.handle({ ...ctxBase, caller })
    return addHeaders(response, rate === undefined ? NOMINAL_RATE_HEADERS : rate.headers)
  }

  private authenticate(header: string | undefined, now: number): Caller | undefined {
    if (header === undefined) return undefined
    const token = /^Token\s+token="?([^"\s]+)"?\s*$/i.exec(header)
    if (token !== null) {
      const spec = this.options.apiKeys.find((k) => k.key === token[1])
      if (spec === undefined) return undefined
      const user = spec.user === undefined ? undefined : this.state.users.get(spec.user) ?? this.state.userByEmail(spec.user)
      return { credential: spec.key, level: user === undefined ? "account" : "user", userId: user?.id ?? null, scope: null }
    }
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)
    if (bearer !== null) {
      const issued = this.oauth.accessTokens.get(bearer[1])
      if (issued === undefined || issued.revoked || issued.expiresAt <= now) return undefined
      return { credential: issued.token, level: issued.userId === null ? "account" : "user", userId: issued.userId, scope: issued.scope }
    }
    return undefined
  }

  private takeToken(credential: string, now: number): { ok: boolean; headers: Record<string, string> } | undefined {
    const limit = this.options.rateLimit
    if (limit === undefined) return undefined
    const rate = limit.limit / limit.windowMs
    let bucket = this.buckets.get(credential)
    if (bucket === undefined) {
      bucket = { tokens: limit.limit, last: now }
      this.buckets.set(credential, bucket)
    }
    bucket.tokens = Math.min(limit.limit, bucket.tokens + Math.max(0, now - bucket.last) * rate)
    bucket.last = now
    const ok = bucket.tokens >= 1
    if (ok) bucket.tokens -= 1
    const resetMs = ok ? (limit.limit - bucket.tokens) / rate : (1 - bucket.tokens) / rate
    return {
      ok,
      headers: {
        "ratelimit-limit": String(limit.limit),
        "ratelimit-remaining": String(Math.floor(bucket.tokens)),
        "ratelimit-reset": String(Math.max(ok ? 0 : 1, Math.ceil(resetMs / 1000)))
      }
    }
  }

  /** Issues an OAuth access token (and optionally a refresh token) valid from `now`. */
  issueToken(clientId: string, scope: string, userId: string | null, now: number, withRefresh: boolean): { access: IssuedToken; refresh: IssuedToken | undefined } {
    const expiresAt = now + this.options.tokenLifetimeSeconds * 1000
    const access: IssuedToken = { token: `pdus+_sim_${this.randomHex(40)}`, clientId, scope, userId, expiresAt, revoked: false }
    this.oauth.accessTokens.set(access.token, access)
    if (!withRefresh) return { access, refresh: undefined }
    const refresh: IssuedToken = { token: `pdrt+_sim_${this.randomHex(40)}`, clientId, scope, userId, expiresAt: Number.POSITIVE_INFINITY, revoked: false }
    this.oauth.refreshTokens.set(refresh.token, refresh)
    return { access, refresh }
  }

  private nextRequestId(): string {
    this.requestCounter++
    return `sim-${this.options.seed.toString(16)}-${this.requestCounter.toString(16).padStart(8, "0")}`
  }

  private record(r: RecordedRequest): void {
    const max = this.options.maxRecordedRequests
    if (max <= 0) return
    if (this.recorded.length >= max) this.recorded.splice(0, this.recorded.length - max + 1)
    this.recorded.push(r)
  }
}

const NOMINAL_RATE_HEADERS: Record<string, string> = {
  "ratelimit-limit": "960",
  "ratelimit-remaining": "960",
  "ratelimit-reset": "60"
}

/** Credentials never reach recorded requests (test output, snapshots): masked by name. */
const SECRET_HEADERS = ["authorization", "x-pagerduty-jira-signature", "proxy-authorization"]

const redact = (headers: Readonly<Record<string, string>>): Record<string, string> => {
  const out = { ...headers }
  for (const name of SECRET_HEADERS) if (name in out) out[name] = "<redacted>"
  return out
}

const addHeaders = (response: SimResponse, headers: Record<string, string>): SimResponse => ({
  ...response,
  headers: { ...response.headers, ...headers }
})

/** Every response carries `X-Request-Id`, and a `Date` on the simulator clock. */
const withRequestId = (response: SimResponse, requestId: string, now: number): SimResponse =>
  addHeaders(response, { "x-request-id": requestId, date: new Date(now).toUTCString() })

const faultResponse = (fault: Exclude<FaultKind, { _tag: "Latency" | "Timeout" | "Drop" }>): SimResponse => {
  switch (fault._tag) {
    case "Status429": {
      const headers: Record<string, string> = {
        "ratelimit-limit": "960",
        "ratelimit-remaining": "0",
        "ratelimit-reset": String(fault.reset)
      }
      if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter)
      return addHeaders(pdError(429, 2020, "Rate Limit Exceeded", []), headers)
    }
    case "Status5xx":
      return { status: fault.status, headers: { "content-type": "text/html; charset=utf-8" }, body: fault.body }
    case "InvalidJson":
      return { status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body: `{"incidents":[{"id":"Q000001","type":"incident","title":"trunc` }
    case "OddErrorBody": {
      const body = fault.variant === "array"
        ? { error: ["Something went wrong"] }
        : fault.variant === "string"
        ? { error: "Something went wrong" }
        : { error: { message: "x", errors: "a string" } }
      return json(fault.status, body)
    }
  }
}
