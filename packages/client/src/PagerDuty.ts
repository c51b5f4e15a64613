/**
 * The typed PagerDuty REST API: one function per operation of the REST spec, named by its
 * `operationId` (`listIncidents`, `getIncident`, `createIncident`, `getUser`, ...), generated
 * into `generated/RestOperations.ts` with the schemas of `generated/RestSchemas.ts`.
 *
 * - Path parameters are positional strings in path order; then one options object with the
 *   query parameters (enums as literal unions, lists as arrays), `body` (the request entity,
 *   wrapped by `EntityWrapping` as for `rpost`), `from` where the spec takes the `From` header,
 *   and `decode: false` to skip the runtime check.
 * - Results are the unwrapped, decoded entity (`Effect`), a `Stream` of decoded items for
 *   paginated listings (with `RestApi.iterAll`'s semantics), `<operation>Pages` for the pages
 *   (`more`, `total`), and `void` when the spec lists no JSON response.
 * - A response that does not match the spec fails with {@link SchemaMismatchError}.
 *
 * Each function needs `RestApi.RestApiService` and can be imported alone
 * (`import { getIncident } from "@effect-pagerduty/client/PagerDuty"`), so a bundle keeps only
 * the operations and schemas it uses. The {@link PagerDuty} service has every operation as a
 * method with the `RestApi` already provided.
 *
 * @since 0.2.0
 */
import type { HttpClient } from "@effect/platform"
import { type ConfigError, Context, Effect, Layer } from "effect"
import * as Operations from "./generated/RestOperations.js"
import type { CallOptions, Runnable } from "./internal/operation.js"
import type { UrlError } from "./PagerDutyError.js"
import * as RestApi from "./RestApi.js"

/**
 * Every operation of the REST spec as a function named by its `operationId`, with its options
 * type (generated into `generated/RestOperations.ts`).
 *
 * @since 0.2.0
 * @category operations
 */
export * from "./generated/RestOperations.js"
export {
  /**
   * Options every operation takes besides its query parameters and body.
   *
   * @since 0.2.0
   * @category models
   */
  type CallOptions,
  /**
   * What a generated operation is built from.
   *
   * @since 0.2.0
   * @category models
   */
  type Descriptor,
  /**
   * An operation that returns its (decoded) entity.
   *
   * @since 0.2.0
   * @category constructors
   */
  entity,
  /**
   * A listing operation: a `Stream` of its (decoded) items over every page.
   *
   * @since 0.2.0
   * @category constructors
   */
  list,
  /**
   * Options of the listing operations (classic or cursor pagination, as `RestApi.iterAll`).
   *
   * @since 0.2.0
   * @category models
   */
  type ListOptions,
  /**
   * An operation without a JSON result (`void`).
   *
   * @since 0.2.0
   * @category constructors
   */
  none,
  /**
   * Errors of an operation that returns an `Effect`.
   *
   * @since 0.2.0
   * @category errors
   */
  type OperationError,
  /**
   * One page of a listing operation (`<operation>Pages`), its items decoded.
   *
   * @since 0.2.0
   * @category models
   */
  type Page,
  /**
   * The page-level variant of a listing operation: a `Stream` of pages.
   *
   * @since 0.2.0
   * @category constructors
   */
  pages,
  /**
   * A generated operation function, with what `make` needs to run it on a given `RestApi`.
   *
   * @since 0.2.0
   * @category models
   */
  type Runnable,
  /**
   * A response that does not match the spec's schema: names the operation, path and field.
   *
   * @since 0.2.0
   * @category errors
   */
  SchemaMismatchError,
  /**
   * Errors of a listing `Stream` (those of `RestApi.iterAll` and `SchemaMismatchError`).
   *
   * @since 0.2.0
   * @category errors
   */
  type StreamError
} from "./internal/operation.js"

/**
 * Options of the {@link PagerDuty} service.
 *
 * @example
 * ```ts
 * import type { PagerDuty } from "@effect-pagerduty/client"
 *
 * const options: PagerDuty.Options = { decode: false }
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface Options {
  /** Default of every call's `decode` (default `true`); a call's own option wins. */
  readonly decode?: boolean | undefined
}

/**
 * The typed PagerDuty REST API service: every operation of {@link Operations.Operations} as a
 * method, with the `RestApi` it was built on already provided.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { PagerDuty } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const pd = yield* PagerDuty.PagerDuty
 *   const incident = yield* pd.getIncident("PABC123")
 *   const open = yield* Stream.runCollect(pd.listIncidents({ statuses: ["triggered"] }))
 *   return [incident.title, open.length] as const
 * })
 * ```
 *
 * @since 0.2.0
 * @category tags
 */
export class PagerDuty extends Context.Tag("@effect-pagerduty/client/PagerDuty")<PagerDuty, Operations.Operations>() {}

/**
 * Build the service on a `RestApi` instance.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { PagerDuty, RestApi } from "@effect-pagerduty/client"
 *
 * const program = Effect.map(RestApi.RestApiService, (api) => PagerDuty.fromRestApi(api, { decode: false }))
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const fromRestApi = (api: RestApi.RestApi, options?: Options): Operations.Operations => {
  const defaults: Partial<CallOptions> | undefined = options?.decode === undefined ? undefined : { decode: options.decode }
  const service: Record<string, (...args: ReadonlyArray<unknown>) => unknown> = {}
  for (const [name, operation] of Object.entries(Operations.operations) as ReadonlyArray<[string, Runnable]>) {
    service[name] = (...args) => operation.run(api, args, defaults)
  }
  return service as unknown as Operations.Operations
}

/**
 * Build the service on the `RestApi.RestApiService` in context.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { PagerDuty } from "@effect-pagerduty/client"
 *
 * const program = Effect.flatMap(PagerDuty.make(), (pd) => pd.getCurrentUser())
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (options?: Options): Effect.Effect<Operations.Operations, never, RestApi.RestApiService> =>
  Effect.map(RestApi.RestApiService, (api) => fromRestApi(api, options))

/**
 * A layer providing {@link PagerDuty} from the `RestApi.RestApiService` in context.
 *
 * @example
 * ```ts
 * import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
 * import { Layer, Redacted } from "effect"
 * import { PagerDuty, RestApi } from "@effect-pagerduty/client"
 *
 * const Live = PagerDuty.layer().pipe(
 *   Layer.provideMerge(RestApi.layer({ apiKey: Redacted.make("u+key") })),
 *   Layer.provide(NodeHttpClient.layerUndici)
 * )
 * ```
 *
 * @since 0.2.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<PagerDuty, never, RestApi.RestApiService> => Layer.effect(PagerDuty, make(options))

/**
 * A layer providing {@link PagerDuty} and the `RestApi.RestApiService` it is built on, from
 * RestApi's options (API key, region, `defaultFrom`, retry, ...) and `decode`.
 *
 * @example
 * ```ts
 * import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
 * import { Layer, Redacted } from "effect"
 * import { PagerDuty } from "@effect-pagerduty/client"
 *
 * const Live = PagerDuty.layerRestApi({ apiKey: Redacted.make("u+key"), defaultFrom: "me@example.com" }).pipe(
 *   Layer.provide(NodeHttpClient.layerUndici)
 * )
 * ```
 *
 * @since 0.2.0
 * @category layers
 */
export const layerRestApi = (
  options: RestApi.Options & Options
): Layer.Layer<PagerDuty | RestApi.RestApiService, UrlError, HttpClient.HttpClient> =>
  layer({ decode: options.decode }).pipe(Layer.provideMerge(RestApi.layer(options)))

/**
 * A layer providing {@link PagerDuty} and `RestApi.RestApiService` from RestApi's
 * configuration (`PAGERDUTY_API_KEY`, `PAGERDUTY_REGION`, ...; see `RestApi.config`).
 *
 * @example
 * ```ts
 * import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
 * import { Layer } from "effect"
 * import { PagerDuty } from "@effect-pagerduty/client"
 *
 * const Live = PagerDuty.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))
 * ```
 *
 * @since 0.2.0
 * @category layers
 */
export const layerConfig = (
  overrides?: Partial<Omit<RestApi.Options, "apiKey">> & Options
): Layer.Layer<PagerDuty | RestApi.RestApiService, UrlError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  layer({ decode: overrides?.decode }).pipe(Layer.provideMerge(RestApi.layerConfig(overrides)))
