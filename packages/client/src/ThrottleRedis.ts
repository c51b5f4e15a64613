/**
 * One rate-limit budget for a fleet: {@link Throttle} with its budgets kept in Redis
 * (`@effect/experimental`'s Redis `RateLimiterStore`, on ioredis), so N processes or
 * machines that share a PagerDuty API key share one budget and stay under it together.
 *
 * A separate entry point, `@effect-pagerduty/client/ThrottleRedis`, because it needs the
 * optional peer dependencies `ioredis` and `@effect/experimental`.
 *
 * Budget keys in Redis hold a SHA-256 fingerprint of the credential, never the credential.
 * The token bucket is refilled from each process's clock: keep the fleet's clocks in sync
 * (NTP), as a process whose clock runs ahead takes tokens early.
 *
 * @since 0.1.0
 */
import * as RedisStore from "@effect/experimental/RateLimiter/Redis"
import type { HttpClient } from "@effect/platform"
import { Config, type ConfigError, Effect, Either, Layer, Redacted } from "effect"
import type * as RateLimiter from "@effect/experimental/RateLimiter"
import type { RedisOptions } from "ioredis"
import { parseRedisUrl } from "./internal/throttleRedisUrl.js"
import * as Throttle from "./Throttle.js"

/**
 * Options of the Redis-backed throttle: the {@link Throttle.Options} plus where Redis is.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import type * as ThrottleRedis from "@effect-pagerduty/client/ThrottleRedis"
 *
 * const options: ThrottleRedis.Options = {
 *   redisUrl: Redacted.make("redis://:secret@redis.internal:6379/0"),
 *   limit: 960,
 *   window: "1 minute",
 *   keyPrefix: "billing-sync:"
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Omit<Throttle.Options, "keyPrefix"> {
  /** `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS. */
  readonly redisUrl: string | Redacted.Redacted<string>
  /** Prefix of the budget keys in Redis (default `"effect-pagerduty:throttle:"`). */
  readonly keyPrefix?: string | undefined
  /** Further ioredis options; they override what the URL says and the defaults (`maxRetriesPerRequest: 1`, `connectTimeout: 5000`). */
  readonly redis?: RedisOptions | undefined
}

/**
 * The default prefix of budget keys in Redis.
 *
 * @example
 * ```ts
 * import * as ThrottleRedis from "@effect-pagerduty/client/ThrottleRedis"
 *
 * ThrottleRedis.defaultKeyPrefix // "effect-pagerduty:throttle:"
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultKeyPrefix = "effect-pagerduty:throttle:"

const redisOptions = (options: Options): Either.Either<RedisOptions, Throttle.ThrottleOptionsError> => {
  const url = Redacted.isRedacted(options.redisUrl) ? Redacted.value(options.redisUrl) : options.redisUrl
  return Either.match(parseRedisUrl(url), {
    onLeft: (detail) => Either.left(new Throttle.ThrottleOptionsError({ option: "redisUrl", detail })),
    onRight: (fromUrl) => Either.right({ maxRetriesPerRequest: 1, connectTimeout: 5000, ...fromUrl, ...options.redis })
  })
}

/**
 * The Redis `RateLimiterStore` alone (for `Throttle.layerStore`, or any other use of
 * `@effect/experimental`'s `RateLimiter`). The connection closes with the layer's scope.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import * as Throttle from "@effect-pagerduty/client/Throttle"
 * import * as ThrottleRedis from "@effect-pagerduty/client/ThrottleRedis"
 *
 * const Throttled = Throttle.layerStore({ limit: 960 }).pipe(
 *   Layer.provide(ThrottleRedis.layerStore({ redisUrl: "redis://127.0.0.1:6379" }))
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerStore = (
  options: Pick<Options, "redisUrl" | "keyPrefix" | "redis">
): Layer.Layer<RateLimiter.RateLimiterStore, Throttle.ThrottleOptionsError> =>
  Either.match(redisOptions(options), {
    onLeft: (error) => Layer.fail(error),
    onRight: (redis) => RedisStore.layerStore({ ...redis, prefix: options.keyPrefix ?? defaultKeyPrefix })
  })

/**
 * A throttled `HttpClient` over the `HttpClient` in context, whose budgets live in Redis:
 * every process using the same Redis, key prefix, limit and window shares one budget per
 * API key.
 *
 * @example
 * ```ts
 * import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
 * import { Layer, Redacted } from "effect"
 * import { RestApi } from "@effect-pagerduty/client"
 * import * as ThrottleRedis from "@effect-pagerduty/client/ThrottleRedis"
 *
 * const Live = RestApi.layer({ apiKey: Redacted.make("u+key") }).pipe(
 *   Layer.provide(ThrottleRedis.layer({ redisUrl: "redis://127.0.0.1:6379", limit: 960, window: "1 minute" })),
 *   Layer.provide(NodeHttpClient.layerUndici)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options
): Layer.Layer<HttpClient.HttpClient | Throttle.ThrottleService, Throttle.ThrottleOptionsError, HttpClient.HttpClient> => {
  const { keyPrefix: _keyPrefix, redis: _redis, redisUrl: _redisUrl, ...throttle } = options
  return Throttle.layerStore({ ...throttle, keyPrefix: "" }).pipe(Layer.provide(layerStore(options)))
}

/**
 * {@link layer} configured from the environment: `PAGERDUTY_REDIS_URL` (read as a secret) and
 * the throttle settings of `Throttle.config` (`PAGERDUTY_RATE_LIMIT`,
 * `PAGERDUTY_RATE_LIMIT_WINDOW`, `PAGERDUTY_RATE_LIMIT_ALGORITHM`); `overrides` win.
 *
 * @example
 * ```ts
 * import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
 * import { Layer } from "effect"
 * import * as ThrottleRedis from "@effect-pagerduty/client/ThrottleRedis"
 *
 * const Throttled = ThrottleRedis.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  overrides?: Partial<Options>
): Layer.Layer<
  HttpClient.HttpClient | Throttle.ThrottleService,
  Throttle.ThrottleOptionsError | ConfigError.ConfigError,
  HttpClient.HttpClient
> =>
  Layer.unwrapEffect(
    Effect.map(
      Config.all({ redisUrl: Config.redacted("PAGERDUTY_REDIS_URL"), throttle: Throttle.config }),
      ({ redisUrl, throttle }) => layer({ ...throttle, redisUrl, ...overrides })
    )
  )
