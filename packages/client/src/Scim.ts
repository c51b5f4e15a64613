/**
 * The SCIM v2 API (`https://api.pagerduty.com/scim/v2`): users, with SCIM filters and
 * `startIndex`/`count` pagination as a `Stream`, plus the discovery endpoints
 * (`ServiceProviderConfig`, `ResourceTypes`, `Schemas`). PagerDuty's SCIM spec defines no
 * Groups endpoint, so there is none here.
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { Chunk, Context, Effect, Layer, Option, Stream } from "effect"
import * as ApiClient from "./ApiClient.js"
import * as ScimTables from "./generated/ScimTables.js"
import * as Integration from "./internal/integration.js"
import { type PagerDutyError, UrlError } from "./PagerDutyError.js"
import { isRecord } from "./internal/record.js"

/**
 * Options of {@link make}: `auth` is an API key (sent as `Token token=`) or any `Auth`.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import type { Scim } from "@effect-pagerduty/client"
 *
 * const options: Scim.Options = { auth: Redacted.make("u+key") }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Integration.CommonOptions {}

/**
 * Options of {@link Scim.listUsers}.
 *
 * @example
 * ```ts
 * import type { Scim } from "@effect-pagerduty/client"
 *
 * const options: Scim.ListUsersOptions = { filter: 'userName eq "jane@example.com"', count: 50 }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ListUsersOptions {
  /** A SCIM filter expression (RFC 7644 §3.4.2.2), e.g. `userName eq "jane@example.com"`. */
  readonly filter?: string | undefined
  /** 1-based index of the first user (default 1). */
  readonly startIndex?: number | undefined
  /** Page size (`count`, default 100). */
  readonly count?: number | undefined
}

/**
 * The SCIM client.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { Scim } from "@effect-pagerduty/client"
 *
 * const janes = Effect.flatMap(Scim.ScimService, (scim: Scim.Scim) =>
 *   Stream.runCollect(scim.listUsers({ filter: 'userName sw "jane"' })))
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Scim extends Integration.Verbs {
  /** `GET /Users`, every page (`startIndex`/`count`), optionally filtered. */
  readonly listUsers: (options?: ListUsersOptions) => Stream.Stream<unknown, PagerDutyError>
  /** `GET /Users/{id}`. */
  readonly getUser: (id: string) => Effect.Effect<unknown, PagerDutyError>
  /** `POST /Users`. */
  readonly createUser: (user: unknown) => Effect.Effect<unknown, PagerDutyError>
  /** `PUT /Users/{id}`. */
  readonly replaceUser: (id: string, user: unknown) => Effect.Effect<unknown, PagerDutyError>
  /** `PATCH /Users/{id}` with a SCIM `PatchOp` of these operations. */
  readonly patchUser: (id: string, operations: ReadonlyArray<unknown>) => Effect.Effect<unknown, PagerDutyError>
  /** `DELETE /Users/{id}`. */
  readonly deleteUser: (id: string) => Effect.Effect<void, PagerDutyError>
  /** `GET /ServiceProviderConfig`. */
  readonly serviceProviderConfig: Effect.Effect<unknown, PagerDutyError>
  /** `GET /ResourceTypes`. */
  readonly resourceTypes: Effect.Effect<unknown, PagerDutyError>
  /** `GET /Schemas`. */
  readonly schemas: Effect.Effect<unknown, PagerDutyError>
}

/**
 * The tag of the SCIM client.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Scim } from "@effect-pagerduty/client"
 *
 * const user = Effect.flatMap(Scim.ScimService, (scim) => scim.getUser("PUSER01"))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class ScimService extends Context.Tag("@effect-pagerduty/client/Scim")<ScimService, Scim>() {}

const positive = (name: string, value: number | undefined, fallback: number): Effect.Effect<number, UrlError> =>
  value === undefined
    ? Effect.succeed(fallback)
    : Number.isInteger(value) && value >= 1
    ? Effect.succeed(value)
    : Effect.fail(new UrlError({ url: "/Users", method: "GET", reason: "Malformed", detail: `${name} must be a positive integer` }))

/**
 * Build the client on the `HttpClient` in context.
 *
 * @example
 * ```ts
 * import { Effect, Redacted, Stream } from "effect"
 * import { Scim } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const scim = yield* Scim.make({ auth: Redacted.make("u+key") })
 *   return yield* Stream.runCollect(scim.listUsers({ filter: 'userName eq "jane@example.com"' }))
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Scim, UrlError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const verbs = yield* Integration.make(ScimTables, {
      name: "scim",
      baseUrl: Integration.baseUrlOf(ScimTables, options),
      auth: Integration.authOf(options.auth, "token"),
      permittedMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
      headers: { Accept: "application/scim+json, application/json" },
      retry: options.retry,
      timeout: options.timeout,
      transformClient: options.transformClient
    })
    const user = (id: string) => Integration.path("/Users/{id}", { id })

    const listUsers: Scim["listUsers"] = (list) =>
      Stream.unwrap(
        Effect.gen(function*() {
          const start = yield* positive("startIndex", list?.startIndex, 1)
          const count = yield* positive("count", list?.count, 100)
          const filter = list?.filter !== undefined && list.filter.trim() !== "" ? list.filter : undefined
          return Stream.paginateChunkEffect(start, (current) =>
            verbs.api.requestOk({
              method: "GET",
              url: "/Users",
              params: { startIndex: current, count, ...(filter === undefined ? {} : { filter }) }
            }).pipe(
              Effect.flatMap((response) =>
                Effect.flatMap(ApiClient.parseJson(response), (body) => {
                  if (!isRecord(body)) return Effect.fail(ApiClient.unexpectedBody(response, "UnexpectedBody", "expected a SCIM ListResponse object"))
                  const resources = body["Resources"] ?? []
                  if (!Array.isArray(resources)) {
                    return Effect.fail(ApiClient.unexpectedBody(response, "UnexpectedBody", `expected "Resources" to be an array`))
                  }
                  const total = typeof body["totalResults"] === "number" ? body["totalResults"] : current + resources.length - 1
                  const perPage = typeof body["itemsPerPage"] === "number" && body["itemsPerPage"] > 0 ? body["itemsPerPage"] : resources.length
                  const done = resources.length === 0 || current + perPage - 1 >= total
                  return Effect.succeed([Chunk.unsafeFromArray(resources as Array<unknown>), done ? Option.none() : Option.some(current + perPage)] as const)
                })
              ),
              Effect.withSpan("PagerDuty.page", { attributes: { path: "/Users", startIndex: current, count } })
            ))
        })
      )

    return ScimService.of({
      ...verbs,
      listUsers,
      getUser: (id) => Effect.flatMap(user(id), (p) => verbs.rget(p)),
      createUser: (body) => verbs.rpost("/Users", body),
      replaceUser: (id, body) => Effect.flatMap(user(id), (p) => verbs.rput(p, body)),
      patchUser: (id, operations) =>
        Effect.flatMap(user(id), (p) =>
          verbs.rpatch(p, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: operations })),
      deleteUser: (id) => Effect.asVoid(Effect.flatMap(user(id), (p) => verbs.rdelete(p))),
      serviceProviderConfig: verbs.rget("/ServiceProviderConfig"),
      resourceTypes: verbs.rget("/ResourceTypes"),
      schemas: verbs.rget("/Schemas")
    })
  })

/**
 * A layer providing {@link ScimService}.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { Scim } from "@effect-pagerduty/client"
 *
 * const ScimLive = Scim.layer({ auth: Redacted.make("u+key") })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<ScimService, UrlError, HttpClient.HttpClient> =>
  Layer.effect(ScimService, make(options))

/**
 * {@link layer} from `PAGERDUTY_API_KEY`, `PAGERDUTY_AUTH_TYPE`, `PAGERDUTY_REGION` and optional
 * `PAGERDUTY_SCIM_BASE_URL`.
 *
 * @example
 * ```ts
 * import { Scim } from "@effect-pagerduty/client"
 *
 * const ScimLive = Scim.layerConfig()
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (overrides: Omit<Options, "auth" | "region" | "baseUrl"> = {}) =>
  Layer.unwrapEffect(Effect.map(Integration.commonConfig("PAGERDUTY_SCIM_BASE_URL"), (c) => layer({ ...overrides, ...c })))
