/**
 * SCIM v2 routes (`/scim/v2/Users`): the simulator's users as SCIM resources, with SCIM
 * filters (`eq ne co sw ew pr` on `userName`, `displayName`, `externalId`, `active`,
 * `emails.value`, `name.formatted`, joined by `and`) and `startIndex`/`count` pagination
 * (RFC 7644 §3.4.2). Created, replaced, patched and deleted users live in a SCIM store per
 * `State`, seeded from the simulator's users on first use.
 *
 * @internal
 */
import type { Route, RouteContext } from "../router.js"
import type { State } from "../state.js"
import { asObject, empty, json, parseJsonObject, type SimResponse } from "../wire.js"

type ScimUser = Record<string, unknown> & { readonly id: string }

interface Store {
  readonly users: Map<string, ScimUser>
  next: number
}

const stores = new WeakMap<State, Store>()

const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
const SCIM_JSON = { "content-type": "application/scim+json" }

const scimError = (status: number, detail: string, scimType?: string): SimResponse =>
  json(status, {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
    status: String(status),
    detail,
    ...(scimType === undefined ? {} : { scimType })
  }, SCIM_JSON)

const storeOf = (ctx: RouteContext): Store => {
  let store = stores.get(ctx.state)
  if (store === undefined) {
    store = { users: new Map(), next: 1 }
    for (const u of ctx.state.users.values()) {
      store.users.set(u.id, {
        schemas: [USER_SCHEMA],
        id: u.id,
        userName: u.email,
        displayName: u.name,
        name: { formatted: u.name },
        emails: [{ value: u.email, primary: true, type: "work" }],
        title: u.job_title,
        active: true,
        meta: { resourceType: "User" }
      })
    }
    stores.set(ctx.state, store)
  }
  return store
}

const valuesOf = (user: ScimUser, attribute: string): ReadonlyArray<unknown> => {
  switch (attribute.toLowerCase()) {
    case "emails.value":
    case "emails":
      return Array.isArray(user["emails"]) ? user["emails"].map((e) => asObject(e)?.["value"]) : []
    case "name.formatted":
      return [asObject(user["name"])?.["formatted"]]
    default: {
      const key = Object.keys(user).find((k) => k.toLowerCase() === attribute.toLowerCase())
      return key === undefined ? [] : [user[key]]
    }
  }
}

type Predicate = (user: ScimUser) => boolean

const clause = /^\s*([A-Za-z][\w.]*)\s+(eq|ne|co|sw|ew|pr|gt|ge|lt|le)(?:\s+("(?:[^"\\]|\\.)*"|true|false|null|-?\d+(?:\.\d+)?))?\s*$/i

/** Parses a filter of `and`-joined clauses; `undefined` when it is not understood. */
export const parseFilter = (filter: string): Predicate | undefined => {
  const parts = filter.split(/\s+and\s+/i)
  const predicates: Array<Predicate> = []
  for (const part of parts) {
    const m = clause.exec(part)
    if (m === null) return undefined
    const [, attribute, rawOp, rawValue] = m
    const op = rawOp!.toLowerCase()
    if (op === "pr") {
      if (rawValue !== undefined) return undefined
      predicates.push((u) => valuesOf(u, attribute!).some((v) => v !== undefined && v !== null && v !== ""))
      continue
    }
    if (rawValue === undefined) return undefined
    const value: unknown = JSON.parse(rawValue)
    const text = (v: unknown) => String(v).toLowerCase()
    const test = (v: unknown): boolean => {
      if (v === undefined) return false
      switch (op) {
        case "eq":
          return typeof value === "string" ? text(v) === value.toLowerCase() : v === value
        case "ne":
          return typeof value === "string" ? text(v) !== value.toLowerCase() : v !== value
        case "co":
          return text(v).includes(text(value))
        case "sw":
          return text(v).startsWith(text(value))
        case "ew":
          return text(v).endsWith(text(value))
        case "gt":
          return text(v) > text(value)
        case "ge":
          return text(v) >= text(value)
        case "lt":
          return text(v) < text(value)
        default:
          return text(v) <= text(value)
      }
    }
    predicates.push(op === "ne" ? (u) => valuesOf(u, attribute!).every(test) : (u) => valuesOf(u, attribute!).some(test))
  }
  return (u) => predicates.every((p) => p(u))
}

const positiveInt = (raw: string | null, fallback: number, min: number): number | undefined => {
  if (raw === null || raw === "") return fallback
  const n = Number(raw)
  return Number.isInteger(n) ? Math.max(min, n) : undefined
}

const userFrom = (body: Record<string, unknown>, id: string): ScimUser | SimResponse => {
  if (typeof body["userName"] !== "string" || body["userName"] === "") return scimError(400, "userName is required", "invalidValue")
  return { schemas: [USER_SCHEMA], active: true, ...body, id, meta: { resourceType: "User" } }
}

const isSim = (x: unknown): x is SimResponse => typeof x === "object" && x !== null && "status" in x && "headers" in x && "body" in x

const PREFIX = "/scim/v2"

const withUser = (ctx: RouteContext, then: (store: Store, user: ScimUser) => SimResponse): SimResponse => {
  const store = storeOf(ctx)
  const user = store.users.get(ctx.params["id"]!)
  return user === undefined ? scimError(404, `User ${ctx.params["id"]} not found`) : then(store, user)
}

export const routes: ReadonlyArray<Route> = [
  {
    method: "GET",
    path: `${PREFIX}/Users`,
    auth: "rest",
    handle: (ctx) => {
      const startIndex = positiveInt(ctx.query.get("startIndex"), 1, 1)
      const count = positiveInt(ctx.query.get("count"), 100, 0)
      if (startIndex === undefined || count === undefined) return scimError(400, "startIndex and count must be integers", "invalidValue")
      const filter = ctx.query.get("filter")
      const predicate = filter === null || filter.trim() === "" ? () => true : parseFilter(filter)
      if (predicate === undefined) return scimError(400, `Unsupported filter: ${filter}`, "invalidFilter")
      const matching = [...storeOf(ctx).users.values()].filter(predicate)
      const page = matching.slice(startIndex - 1, startIndex - 1 + Math.min(count, 100))
      return json(200, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        totalResults: matching.length,
        startIndex,
        itemsPerPage: page.length,
        Resources: page
      }, SCIM_JSON)
    }
  },
  {
    method: "POST",
    path: `${PREFIX}/Users`,
    auth: "rest",
    handle: (ctx) => {
      const body = parseJsonObject(ctx.req.body)
      if (body === undefined) return scimError(400, "The body must be a SCIM User", "invalidSyntax")
      const store = storeOf(ctx)
      if ([...store.users.values()].some((u) => String(u["userName"]).toLowerCase() === String(body["userName"]).toLowerCase())) {
        return scimError(409, "userName is already taken", "uniqueness")
      }
      const user = userFrom(body, `PSCIM${String(store.next++).padStart(2, "0")}`)
      if (isSim(user)) return user
      store.users.set(user.id, user)
      return json(201, user, SCIM_JSON)
    }
  },
  {
    method: "GET",
    path: `${PREFIX}/Users/{id}`,
    auth: "rest",
    handle: (ctx) => withUser(ctx, (_s, user) => json(200, user, SCIM_JSON))
  },
  {
    method: "PUT",
    path: `${PREFIX}/Users/{id}`,
    auth: "rest",
    handle: (ctx) =>
      withUser(ctx, (store, current) => {
        const body = parseJsonObject(ctx.req.body)
        if (body === undefined) return scimError(400, "The body must be a SCIM User", "invalidSyntax")
        const user = userFrom(body, current.id)
        if (isSim(user)) return user
        store.users.set(user.id, user)
        return json(200, user, SCIM_JSON)
      })
  },
  {
    method: "PATCH",
    path: `${PREFIX}/Users/{id}`,
    auth: "rest",
    handle: (ctx) =>
      withUser(ctx, (store, current) => {
        const ops = parseJsonObject(ctx.req.body)?.["Operations"]
        if (!Array.isArray(ops)) return scimError(400, "A PatchOp with Operations is required", "invalidSyntax")
        let user: ScimUser = { ...current }
        for (const raw of ops) {
          const op = asObject(raw)
          const kind = String(op?.["op"] ?? "").toLowerCase()
          const path = op?.["path"]
          if (kind !== "replace" && kind !== "add" && kind !== "remove") return scimError(400, `Unsupported op ${kind}`, "invalidSyntax")
          if (typeof path === "string") {
            if (kind === "remove") {
              const { [path]: _removed, ...rest } = user
              user = { ...rest, id: current.id }
            } else {
              user = { ...user, [path]: op?.["value"], id: current.id }
            }
          } else if (kind !== "remove" && asObject(op?.["value"]) !== undefined) {
            user = { ...user, ...asObject(op?.["value"]), id: current.id }
          } else {
            return scimError(400, "Each operation needs a path or an object value", "noTarget")
          }
        }
        store.users.set(user.id, user)
        return json(200, user, SCIM_JSON)
      })
  },
  {
    method: "DELETE",
    path: `${PREFIX}/Users/{id}`,
    auth: "rest",
    handle: (ctx) => withUser(ctx, (store, user) => (store.users.delete(user.id), empty(204)))
  },
  {
    method: "GET",
    path: `${PREFIX}/ServiceProviderConfig`,
    auth: "rest",
    handle: () =>
      json(200, {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        patch: { supported: true },
        filter: { supported: true, maxResults: 100 },
        bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
        changePassword: { supported: false },
        sort: { supported: false },
        etag: { supported: false }
      }, SCIM_JSON)
  }
]
