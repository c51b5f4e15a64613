/**
 * A small path router. Routes are plain objects (`method`, `path` with `{param}` segments,
 * `auth`, `handle`) collected from route modules by `routes/index.ts`; the router indexes
 * them by method and segment count so matching is a couple of array lookups. The route's
 * `path` doubles as the canonical endpoint name in request counts ("GET /incidents/{id}").
 *
 * @internal
 */
import type { Renderer } from "./render.js"
import type { State } from "./state.js"
import type { SimRequest, SimResponse } from "./wire.js"

/** Who is calling a REST route. */
export interface Caller {
  /** The credential as sent (API key or OAuth access token). */
  readonly credential: string
  /** `account` for account-level keys and client-credentials tokens, `user` otherwise. */
  readonly level: "account" | "user"
  readonly userId: string | null
  readonly scope: string | null
}

/** Engine services that route handlers may use. */
export interface Env {
  readonly subdomain: string
  /** The service an Events API routing (integration) key belongs to. */
  readonly serviceForRoutingKey: (key: string) => string | undefined
  readonly missingAbilities: ReadonlySet<string>
  /** Counts an Events API v2 event as processed, for `eventsByDedupKey`. */
  readonly countEvent: (dedupKey: string) => void
  /** Fresh random lowercase hex (seeded, so deterministic per run). */
  readonly randomHex: (n: number) => string
  readonly oauth: OAuthStore
}

/** OAuth clients, codes and issued tokens (see `routes/oauth.ts`). */
export interface OAuthStore {
  readonly clients: ReadonlyMap<string, { readonly secret: string; readonly scopes: string }>
  readonly codes: Map<string, AuthorizationCode>
  readonly accessTokens: Map<string, IssuedToken>
  readonly refreshTokens: Map<string, IssuedToken>
}

export interface AuthorizationCode {
  readonly code: string
  readonly clientId: string
  readonly redirectUri: string
  readonly codeChallenge: string | null
  readonly codeChallengeMethod: "S256" | "plain"
  readonly scope: string
  readonly userId: string | null
}

export interface IssuedToken {
  readonly token: string
  readonly clientId: string
  readonly scope: string
  readonly userId: string | null
  /** Simulator time (ms) at which the token stops working. */
  expiresAt: number
  revoked: boolean
}

export interface RouteContext {
  readonly req: SimRequest
  readonly query: URLSearchParams
  readonly params: Readonly<Record<string, string>>
  readonly state: State
  readonly render: Renderer
  /** Simulator time, epoch milliseconds. */
  readonly now: number
  /** The authenticated caller; `null` on routes with `auth: "none"`. */
  readonly caller: Caller | null
  readonly env: Env
}

export interface Route {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
  /** `/incidents/{id}/notes`; also the canonical endpoint name. */
  readonly path: string
  /** `rest`: PagerDuty REST auth, rate limits and headers. `none`: the route checks its own keys. */
  readonly auth: "rest" | "none"
  /** Answers the request; may change state, which is why faults are decided before it runs. */
  readonly handle: (ctx: RouteContext) => SimResponse
}

interface Compiled {
  readonly route: Route
  readonly segments: ReadonlyArray<string | { readonly param: string }>
}

export interface Match {
  readonly route: Route
  readonly params: Record<string, string>
}

export class Router {
  private readonly table = new Map<string, Array<Compiled>>()

  constructor(routes: ReadonlyArray<Route>) {
    for (const route of routes) {
      const segments = route.path.split("/").slice(1).map((s) => {
        const m = /^\{(\w+)\}$/.exec(s)
        return m === null ? s : { param: m[1] }
      })
      const key = `${route.method} ${segments.length}`
      const list = this.table.get(key) ?? []
      list.push({ route, segments })
      // Literal segments beat parameters: `/users/me` must not match `/users/{id}`.
      list.sort((a, b) => literalScore(b) - literalScore(a))
      this.table.set(key, list)
    }
  }

  match(method: string, path: string): Match | undefined {
    const parts = path.split("/").slice(1)
    if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop()
    const list = this.table.get(`${method} ${parts.length}`)
    if (list === undefined) return undefined
    outer: for (const c of list) {
      const params: Record<string, string> = {}
      for (let i = 0; i < parts.length; i++) {
        const seg = c.segments[i]
        if (typeof seg === "string") {
          if (seg !== parts[i]) continue outer
        } else {
          params[seg.param] = decodeURIComponent(parts[i])
        }
      }
      return { route: c.route, params }
    }
    return undefined
  }

  /** Whether any method serves the path (to tell 405-ish misses from 404s). */
  knows(path: string): boolean {
    return ["GET", "POST", "PUT", "PATCH", "DELETE"].some((m) => this.match(m, path) !== undefined)
  }
}

const literalScore = (c: Compiled): number => c.segments.filter((s) => typeof s === "string").length
