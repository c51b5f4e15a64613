/**
 * Entity wrapping: PagerDuty's REST-style APIs put the entity of a request or response under
 * one key (`{"incident": {...}}`, `{"users": [...]}`). This module finds the canonical path of a
 * request (`/users/PABC123` is `/users/{id}`), looks up the request and response wrapper of
 * the operation in a table (generated from the OpenAPI spec), wraps request bodies and unwraps
 * responses.
 *
 * It is table driven, so every API client (REST, Jira, Slack, SCIM...) reuses it with its own
 * tables, and it is a service (`EntityWrappingService`) so users can swap the tables.
 *
 * Differences from python-pagerduty: an ambiguous path is resolved deterministically (the
 * candidate with a literal segment at the first position where candidates differ wins) instead
 * of raising; `/users/` means `/users`, not `/users/{id}` with an empty id; a wrapper found in
 * both a method key and a `*` key resolves to the method key instead of raising; plural names
 * are singularised correctly (`statuses` → `status`, not `statuse`).
 *
 * @since 0.1.0
 */
import { Context, Effect, Either, Layer } from "effect"
import * as ApiClient from "./ApiClient.js"
import * as RestApiTables from "./generated/RestApiTables.js"
import { type ServerHttpError, UrlError } from "./PagerDutyError.js"

/**
 * How one operation is wrapped: `null` (no wrapping), a string (the same key for request and
 * response), or a `[request, response]` pair.
 *
 * @example
 * ```ts
 * import type { EntityWrapping } from "@effect-pagerduty/client"
 *
 * const merge: EntityWrapping.WrapperSpec = ["source_incidents", "incident"]
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type WrapperSpec = string | null | readonly [request: string | null, response: string | null]

/**
 * The tables an `EntityWrapping` is built from.
 *
 * `wrappers` keys are `"<METHOD> <canonical path>"`, where METHOD is upper case or `*` (any
 * method), as in python-pagerduty's `ENTITY_WRAPPER_CONFIG`. The generated
 * `generated/<Api>Tables.ts` modules export both `canonicalPaths` and `entityWrappers`.
 *
 * @example
 * ```ts
 * import type { EntityWrapping } from "@effect-pagerduty/client"
 *
 * const tables: EntityWrapping.Tables = {
 *   canonicalPaths: ["/widgets", "/widgets/{id}", "/widgets/count"],
 *   wrappers: { "GET /widgets/count": null, "* /widgets/{id}": "widget" }
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Tables {
  readonly canonicalPaths: ReadonlyArray<string>
  readonly wrappers: Readonly<Record<string, WrapperSpec>>
  /**
   * Infer the wrapper of operations missing from `wrappers` from the path's last segment
   * (python-pagerduty's rule). Default `true`; with `false` a missing operation is unwrapped.
   */
  readonly inferMissing?: boolean | undefined
}

/**
 * The request and response wrapper of one operation (`null`: not wrapped).
 *
 * @example
 * ```ts
 * import type { EntityWrapping } from "@effect-pagerduty/client"
 *
 * const w: EntityWrapping.Wrappers = { request: "incident", response: "incident" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Wrappers {
  readonly request: string | null
  readonly response: string | null
}

/**
 * Options of {@link EntityWrapping.wrap}.
 *
 * @example
 * ```ts
 * import type { EntityWrapping } from "@effect-pagerduty/client"
 *
 * const raw: EntityWrapping.WrapOptions = { passThrough: true }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface WrapOptions {
  /** Send the body exactly as given, never wrapped. */
  readonly passThrough?: boolean | undefined
}

/**
 * The entity-wrapping service.
 *
 * @example
 * ```ts
 * import { Either } from "effect"
 * import { EntityWrapping } from "@effect-pagerduty/client"
 *
 * const path = Either.getOrThrow(EntityWrapping.rest.canonicalPath("/users/PABC123")) // "/users/{id}"
 * EntityWrapping.rest.wrappers("GET", path) // { request: null, response: "user" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface EntityWrapping {
  /** The canonical path list this instance matches against. */
  readonly canonicalPaths: ReadonlyArray<string>
  /**
   * The canonical path of a path relative to the API base (`/users/PABC123?x=1` gives
   * `/users/{id}`); a `UrlError` (`UnknownPath`) when no canonical path matches.
   */
  readonly canonicalPath: (path: string) => Either.Either<string, UrlError>
  /** Request and response wrapper of `method` on a canonical path (table first, else inferred). */
  readonly wrappers: (method: string, canonicalPath: string) => Wrappers
  /**
   * The body to send for `method` on `path` (a path or canonical path): wrapped under the
   * request wrapper for POST, PUT and PATCH, unless it already has that key or `passThrough`
   * is set. `UrlError` when `path` matches no canonical path.
   */
  readonly wrap: (method: string, path: string, body: unknown, options?: WrapOptions) => Either.Either<unknown, UrlError>
  /**
   * Decode a response body and take the value under `wrapper` (`null`: the whole body). A body
   * that is not JSON, not an object, or lacks the key fails with `ServerHttpError`
   * (`InvalidJson` / `MissingWrapper`).
   */
  readonly unwrap: (response: ApiClient.ApiResponse, wrapper: string | null) => Effect.Effect<unknown, ServerHttpError>
}

/**
 * The tag of the `EntityWrapping` used by `RestApi` (default: {@link rest}); provide
 * {@link layer} with other tables to change how requests are wrapped.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { EntityWrapping } from "@effect-pagerduty/client"
 *
 * const program = Effect.map(EntityWrapping.EntityWrappingService, (w) => w.wrappers("POST", "/incidents"))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class EntityWrappingService
  extends Context.Tag("@effect-pagerduty/client/EntityWrapping")<EntityWrappingService, EntityWrapping>()
{}

// ---------------------------------------------------------------------------------------

/**
 * Whether a path segment is a parameter (`{id}`).
 *
 * @example
 * ```ts
 * import { EntityWrapping } from "@effect-pagerduty/client"
 *
 * EntityWrapping.isPathParam("{id}") // true
 * EntityWrapping.isPathParam("users") // false
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const isPathParam = (segment: string): boolean => segment.length >= 2 && segment.startsWith("{") && segment.endsWith("}")

/**
 * The singular of a plural resource name, used for wrapper inference: `escalation_policies` →
 * `escalation_policy`, `statuses` → `status`, `addresses` → `address`, `services` → `service`;
 * names ending in `ss` (`business`) are left alone. (python-pagerduty strips every trailing
 * `s`: `statuses` → `statuse`, `business` → `busine`.)
 *
 * @example
 * ```ts
 * import { EntityWrapping } from "@effect-pagerduty/client"
 *
 * EntityWrapping.singularName("statuses") // "status"
 * EntityWrapping.singularName("escalation_policies") // "escalation_policy"
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const singularName = (name: string): string => {
  if (name.endsWith("ies") && name.length > 3) return `${name.slice(0, -3)}y`
  if (/(?:sses|uses|xes|zzes|ches|shes)$/.test(name)) return name.slice(0, -2)
  if (name.endsWith("ss") || name.endsWith("us") || name === "s") return name
  if (name.endsWith("s")) return name.slice(0, -1)
  return name
}

/**
 * python-pagerduty's wrapper inference for operations missing from the table: the singular of
 * the second-to-last segment when the path ends with a parameter (`GET /users/{id}` → `user`);
 * the singular of the last segment for POST (`POST /users` → `user`); else the last segment
 * (`GET /users` → `users`).
 *
 * @example
 * ```ts
 * import { EntityWrapping } from "@effect-pagerduty/client"
 *
 * EntityWrapping.inferWrapper("GET", "/status_pages/{id}/statuses/{status_id}") // "status"
 * EntityWrapping.inferWrapper("POST", "/users") // "user"
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const inferWrapper = (method: string, canonicalPath: string): string => {
  const nodes = canonicalPath.split("/").filter((n) => n !== "")
  const last = nodes[nodes.length - 1] ?? ""
  if (isPathParam(last)) return singularName(nodes[nodes.length - 2] ?? "")
  if (method.trim().toUpperCase() === "POST") return singularName(last)
  return last
}

const splitPath = (path: string): Array<string> => {
  let p = path.split("?")[0]!.split("#")[0]!
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(p)) {
    try {
      p = new URL(p).pathname
    } catch {
      // left as is: it will not match anything
    }
  }
  p = p.replace(/^\/+/, "")
  // `/users/` is the collection `/users` (python-pagerduty matches `/users/{id}` with an empty id)
  p = p.replace(/\/+$/, "")
  return p === "" ? [] : p.split("/")
}

const toWrappers = (spec: WrapperSpec): Wrappers =>
  spec === null
    ? { request: null, response: null }
    : typeof spec === "string"
    ? { request: spec, response: spec }
    : { request: spec[0], response: spec[1] }

/**
 * Build an `EntityWrapping` from tables.
 *
 * @example
 * ```ts
 * import { Either } from "effect"
 * import { EntityWrapping } from "@effect-pagerduty/client"
 *
 * const widgets = EntityWrapping.make({
 *   canonicalPaths: ["/widgets", "/widgets/{id}", "/widgets/count"],
 *   wrappers: { "GET /widgets/count": null }
 * })
 * widgets.canonicalPath("/widgets/count") // Either.right("/widgets/count"): the literal wins
 * widgets.wrappers("PUT", "/widgets/{id}") // { request: "widget", response: "widget" } (inferred)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (tables: Tables): EntityWrapping => {
  const bySegments = new Map<number, Array<{ readonly path: string; readonly nodes: ReadonlyArray<string> }>>()
  const exact = new Set<string>()
  for (const path of tables.canonicalPaths) {
    const nodes = splitPath(path)
    const list = bySegments.get(nodes.length) ?? []
    list.push({ path, nodes })
    bySegments.set(nodes.length, list)
    exact.add(`/${nodes.join("/")}`)
  }
  const wrapperTable = new Map<string, WrapperSpec>()
  for (const [key, spec] of Object.entries(tables.wrappers)) {
    const space = key.indexOf(" ")
    if (space <= 0) continue
    const method = key.slice(0, space).trim()
    const path = key.slice(space + 1).trim()
    // lower-case method keys never match in python-pagerduty; keep that (they are typos)
    if (method !== "*" && method !== method.toUpperCase()) continue
    wrapperTable.set(`${method} ${path}`, spec)
  }
  const inferMissing = tables.inferMissing ?? true
  const cache = new Map<string, Either.Either<string, UrlError>>()

  const resolve = (path: string): Either.Either<string, UrlError> => {
    const nodes = splitPath(path)
    const normalized = `/${nodes.join("/")}`
    if (exact.has(normalized)) {
      return Either.right(bySegments.get(nodes.length)!.find((c) => `/${c.nodes.join("/")}` === normalized)!.path)
    }
    const candidates = (bySegments.get(nodes.length) ?? []).filter((c) =>
      c.nodes.every((node, i) => node === nodes[i] || (isPathParam(node) && nodes[i] !== ""))
    )
    if (candidates.length === 0) {
      return Either.left(
        new UrlError({
          url: path,
          reason: "UnknownPath",
          detail: "the path does not match any canonical API path supported by this client"
        })
      )
    }
    // Deterministic ambiguity resolution: at the first segment where the candidates differ in
    // being literal or a parameter, keep the literal ones; ties keep table order.
    let best = candidates[0]!
    for (const candidate of candidates.slice(1)) {
      for (let i = 0; i < nodes.length; i++) {
        const a = isPathParam(best.nodes[i]!)
        const b = isPathParam(candidate.nodes[i]!)
        if (a === b) continue
        if (a && !b) best = candidate
        break
      }
    }
    return Either.right(best.path)
  }

  const canonicalPath = (path: string): Either.Either<string, UrlError> => {
    const key = path.split("?")[0]!
    const hit = cache.get(key)
    if (hit !== undefined) return hit
    const result = resolve(key)
    if (cache.size > 10_000) cache.clear()
    cache.set(key, result)
    return result
  }

  const wrappers = (method: string, path: string): Wrappers => {
    const m = method.trim().toUpperCase()
    const specific = wrapperTable.get(`${m} ${path}`)
    if (specific !== undefined) return toWrappers(specific)
    const any = wrapperTable.get(`* ${path}`)
    if (any !== undefined) return toWrappers(any)
    if (!inferMissing) return { request: null, response: null }
    const inferred = inferWrapper(m, path)
    return inferred === "" ? { request: null, response: null } : { request: inferred, response: inferred }
  }

  const wrap = (method: string, path: string, body: unknown, options?: WrapOptions): Either.Either<unknown, UrlError> => {
    const m = method.trim().toUpperCase()
    if (body === undefined || options?.passThrough === true || (m !== "POST" && m !== "PUT" && m !== "PATCH")) {
      return Either.right(body)
    }
    return Either.map(canonicalPath(path), (canonical) => {
      const { request } = wrappers(m, canonical)
      if (request === null) return body
      if (typeof body === "object" && body !== null && !Array.isArray(body) && Object.hasOwn(body, request)) return body
      return { [request]: body }
    })
  }

  const unwrap = (response: ApiClient.ApiResponse, wrapper: string | null): Effect.Effect<unknown, ServerHttpError> =>
    Effect.flatMap(ApiClient.parseJson(response), (body) =>
      Either.match(unwrapBody(response, body, wrapper), { onLeft: Effect.fail, onRight: Effect.succeed }))

  return { canonicalPaths: tables.canonicalPaths, canonicalPath, wrappers, wrap, unwrap }
}

const describeType = (body: unknown): string =>
  body === null ? "null (empty body)" : Array.isArray(body) ? "an array" : typeof body

/**
 * Take the value under `wrapper` from an already decoded body (`null` wrapper: the whole body).
 * A non-object body or a missing key is a `ServerHttpError` (`MissingWrapper`) that names the
 * keys found.
 *
 * @example
 * ```ts
 * import { Either } from "effect"
 * import { EntityWrapping } from "@effect-pagerduty/client"
 * import type { ApiClient } from "@effect-pagerduty/client"
 *
 * declare const res: ApiClient.ApiResponse
 * const user = EntityWrapping.unwrapBody(res, { user: { id: "P1" } }, "user") // Either.right({ id: "P1" })
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const unwrapBody = (
  response: ApiClient.ApiResponse,
  body: unknown,
  wrapper: string | null
): Either.Either<unknown, ServerHttpError> => {
  if (wrapper === null) return Either.right(body)
  if (typeof body === "object" && body !== null && !Array.isArray(body)) {
    if (Object.hasOwn(body, wrapper)) return Either.right((body as Record<string, unknown>)[wrapper])
    const keys = Object.keys(body).join(", ")
    return Either.left(
      ApiClient.unexpectedBody(
        response,
        "MissingWrapper",
        `expected a JSON object with a key "${wrapper}", but its keys are: ${keys.length > 100 ? `${keys.slice(0, 99)}...` : keys}`
      )
    )
  }
  return Either.left(
    ApiClient.unexpectedBody(response, "MissingWrapper", `expected a JSON object with a key "${wrapper}", but the body is ${describeType(body)}`)
  )
}

/**
 * The REST API v2 instance, on the generated `RestApiTables`.
 *
 * @example
 * ```ts
 * import { EntityWrapping } from "@effect-pagerduty/client"
 *
 * EntityWrapping.rest.wrappers("PUT", "/incidents/{id}/merge") // { request: "source_incidents", response: "incident" }
 * ```
 *
 * @since 0.1.0
 * @category instances
 */
export const rest: EntityWrapping = make({
  canonicalPaths: RestApiTables.canonicalPaths,
  wrappers: RestApiTables.entityWrappers
})

/**
 * A layer providing {@link EntityWrappingService} from tables (default: the REST tables).
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { EntityWrapping } from "@effect-pagerduty/client"
 * import * as RestApiTables from "@effect-pagerduty/client/generated/RestApiTables"
 *
 * // REST tables plus one correction of your own
 * const Wrapping = EntityWrapping.layer({
 *   canonicalPaths: RestApiTables.canonicalPaths,
 *   wrappers: { ...RestApiTables.entityWrappers, "GET /widgets": "widgets" }
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (tables?: Tables): Layer.Layer<EntityWrappingService> =>
  Layer.succeed(EntityWrappingService, tables === undefined ? rest : make(tables))
