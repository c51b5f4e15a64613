/**
 * Node-only transport: `HttpClient` layers for Node that send through an HTTP(S) proxy,
 * using undici's proxy dispatchers (`ProxyAgent` / `EnvHttpProxyAgent`) under
 * `@effect/platform-node`'s undici client.
 *
 * Import it from `@effect-pagerduty/client/node`. The main entry `@effect-pagerduty/client`
 * never imports this module (nor anything from `node:*`, `undici` or
 * `@effect/platform-node`), so it bundles for browsers, Deno, Bun and edge workers.
 *
 * - {@link layerProxy}: an explicit proxy URL (`http://proxy.corp:3128`), optional bypass list.
 * - {@link layerProxyFromEnv}: `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` (lower-case names win
 *   when both are set), read through `Config` only when you ask for it.
 *
 * Proxy credentials (`http://user:pass@proxy:3128`, or `proxyAuthorization`) are sent to the
 * proxy as `Proxy-Authorization` and never appear in an error or a log line: those show
 * `http://***@proxy:3128`.
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Config, type ConfigError, Data, Effect, Either, Layer, Option, Redacted, type Scope } from "effect"
import { Agent, type Dispatcher, EnvHttpProxyAgent } from "undici"
import * as ProxyInternal from "./internal/proxy.js"

/**
 * Options of the proxy layers.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import type * as PagerDutyNode from "@effect-pagerduty/client/node"
 *
 * const options: PagerDutyNode.ProxyOptions = {
 *   noProxy: ["localhost", "127.0.0.1", ".internal.example.com"],
 *   proxyAuthorization: Redacted.make("Bearer proxy-token")
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ProxyOptions {
  /**
   * Hosts reached directly, in `NO_PROXY` syntax: `host`, `.domain` / `*.domain` (the domain
   * and its subdomains), `host:port`, or `*` (no proxy at all). No CIDR ranges. With
   * {@link layerProxyFromEnv} these are added to the environment's `NO_PROXY`.
   */
  readonly noProxy?: string | ReadonlyArray<string> | undefined
  /**
   * `true` (default): every request goes through a `CONNECT` tunnel, also plain-http ones.
   * `false`: plain-http targets behind an `http:` proxy are sent to it in absolute form
   * (`GET http://host/path`); https targets always tunnel.
   */
  readonly tunnel?: boolean | undefined
  /** A full `Proxy-Authorization` header value; takes precedence over credentials in the URL. */
  readonly proxyAuthorization?: Redacted.Redacted<string> | undefined
}

/**
 * A proxy URL that cannot be used. `proxy` is the URL with its credentials masked.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import * as PagerDutyNode from "@effect-pagerduty/client/node"
 *
 * const checked = Layer.build(PagerDutyNode.layerProxy("ftp://proxy.corp")).pipe(
 *   Effect.scoped,
 *   Effect.catchTag("ProxyError", (e) => Effect.logError(e.message))
 * )
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class ProxyError extends Data.TaggedError("ProxyError")<{
  readonly reason: "InvalidUrl" | "UnsupportedProtocol" | "Rejected"
  /** The proxy URL with credentials replaced by `***`. */
  readonly proxy: string
  readonly detail: string
}> {
  override get message(): string {
    return `Proxy ${this.proxy}: ${this.detail}`
  }
}

/**
 * The proxy settings of the environment (`https_proxy`/`HTTPS_PROXY`,
 * `http_proxy`/`HTTP_PROXY`, `no_proxy`/`NO_PROXY`).
 *
 * @example
 * ```ts
 * import { Effect, Option } from "effect"
 * import * as PagerDutyNode from "@effect-pagerduty/client/node"
 *
 * const hasProxy = Effect.map(PagerDutyNode.proxyEnvironment, (env) => Option.isSome(env.httpsProxy))
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ProxyEnvironment {
  readonly httpProxy: Option.Option<Redacted.Redacted<string>>
  readonly httpsProxy: Option.Option<Redacted.Redacted<string>>
  /** Comma-separated bypass list, `""` when unset. */
  readonly noProxy: string
}

const nonEmpty = (name: string): Config.Config<Option.Option<Redacted.Redacted<string>>> =>
  Config.option(Config.redacted(name)).pipe(
    Config.map(Option.filter((value) => Redacted.value(value).trim() !== ""))
  )

const eitherCase = (lower: string, upper: string): Config.Config<Option.Option<Redacted.Redacted<string>>> =>
  Config.zipWith(nonEmpty(lower), nonEmpty(upper), (l, u) => Option.orElse(l, () => u))

/**
 * Reads the proxy environment through `Config` (so a `ConfigProvider` can supply it): the
 * lower-case name wins over the upper-case one when both are set and non-empty; empty values
 * count as unset. Proxy URLs are `Redacted` (they may carry credentials).
 *
 * @example
 * ```ts
 * import { ConfigProvider, Effect } from "effect"
 * import * as PagerDutyNode from "@effect-pagerduty/client/node"
 *
 * const env = PagerDutyNode.proxyEnvironment.pipe(
 *   Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["HTTPS_PROXY", "http://proxy.corp:3128"]])))
 * )
 * ```
 *
 * @since 0.1.0
 * @category config
 */
export const proxyEnvironment: Config.Config<ProxyEnvironment> = Config.all({
  httpProxy: eitherCase("http_proxy", "HTTP_PROXY"),
  httpsProxy: eitherCase("https_proxy", "HTTPS_PROXY"),
  noProxy: Config.map(eitherCase("no_proxy", "NO_PROXY"), (value) =>
    ProxyInternal.noProxyList(Option.match(value, { onNone: () => undefined, onSome: Redacted.value })))
})

const parse = (proxy: string | URL | Redacted.Redacted<string>): Effect.Effect<ProxyInternal.ParsedProxy, ProxyError> =>
  Either.match(
    ProxyInternal.parseProxyUrl(
      typeof proxy === "string" ? proxy : proxy instanceof URL ? proxy.href : Redacted.value(proxy)
    ),
    {
      onLeft: (problem) => Effect.fail(new ProxyError({ reason: problem.reason, proxy: problem.masked, detail: problem.detail })),
      onRight: Effect.succeed
    }
  )

const joinNoProxy = (...lists: ReadonlyArray<string>): string => lists.filter((list) => list !== "").join(",")

const acquire = (
  http: Option.Option<ProxyInternal.ParsedProxy>,
  https: Option.Option<ProxyInternal.ParsedProxy>,
  noProxy: string,
  options: ProxyOptions | undefined
): Effect.Effect<Dispatcher, ProxyError, Scope.Scope> => {
  const shown = Option.getOrElse(
    Option.map(Option.orElse(https, () => http), (p) => p.masked),
    () => "(none)"
  )
  const make = (): Dispatcher =>
    Option.isNone(http) && Option.isNone(https)
      ? new Agent()
      : new EnvHttpProxyAgent({
        // "" (never undefined) so that undici does not fall back to process.env itself.
        httpProxy: Option.match(http, { onNone: () => "", onSome: (p) => p.url.href }),
        httpsProxy: Option.match(https, { onNone: () => "", onSome: (p) => p.url.href }),
        noProxy,
        proxyTunnel: options?.tunnel ?? true,
        ...(options?.proxyAuthorization === undefined ? {} : { token: Redacted.value(options.proxyAuthorization) })
      })
  return Effect.acquireRelease(
    Effect.try({
      try: make,
      catch: (cause) =>
        new ProxyError({
          reason: "Rejected",
          proxy: shown,
          // undici's messages name the option, never its value
          detail: cause instanceof Error ? cause.message : "undici rejected the proxy settings"
        })
    }),
    (dispatcher) => Effect.promise(() => dispatcher.destroy())
  ).pipe(
    Effect.tap(() =>
      Effect.logDebug(
        Option.isNone(http) && Option.isNone(https)
          ? "PagerDuty HTTP client: no proxy configured, connecting directly"
          : `PagerDuty HTTP client: https via ${shown}, http via ${
            Option.match(http, { onNone: () => "direct", onSome: (p) => p.masked })
          }${noProxy === "" ? "" : `, bypassing ${noProxy}`}`
      ).pipe(Effect.annotateLogs({ proxy: shown, noProxy }))
    )
  )
}

/**
 * An undici dispatcher that sends every request through `proxy` (except the `noProxy`
 * hosts); it is destroyed when the scope closes. Use it with
 * `NodeHttpClient.layerUndiciWithoutDispatcher` or {@link layerProxy}.
 *
 * @example
 * ```ts
 * import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
 * import { Layer } from "effect"
 * import * as PagerDutyNode from "@effect-pagerduty/client/node"
 *
 * const HttpLive = NodeHttpClient.layerUndiciWithoutDispatcher.pipe(
 *   Layer.provide(Layer.scoped(NodeHttpClient.Dispatcher, PagerDutyNode.proxyDispatcher("http://proxy.corp:3128")))
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const proxyDispatcher = (
  proxy: string | URL | Redacted.Redacted<string>,
  options?: ProxyOptions | undefined
): Effect.Effect<Dispatcher, ProxyError, Scope.Scope> =>
  Effect.flatMap(parse(proxy), (parsed) =>
    acquire(Option.some(parsed), Option.some(parsed), ProxyInternal.noProxyList(options?.noProxy), options))

/**
 * An undici dispatcher configured from {@link proxyEnvironment}: https targets go through
 * `HTTPS_PROXY` (or `HTTP_PROXY` when only that is set, undici's rule), http targets through
 * `HTTP_PROXY`, hosts in `NO_PROXY` directly. With no proxy variable set it connects directly.
 *
 * @example
 * ```ts
 * import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
 * import { Layer } from "effect"
 * import * as PagerDutyNode from "@effect-pagerduty/client/node"
 *
 * const DispatcherLive = Layer.scoped(NodeHttpClient.Dispatcher, PagerDutyNode.proxyDispatcherFromEnv())
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const proxyDispatcherFromEnv = (
  options?: ProxyOptions | undefined
): Effect.Effect<Dispatcher, ProxyError | ConfigError.ConfigError, Scope.Scope> =>
  Effect.gen(function*() {
    const env = yield* proxyEnvironment
    const fromEnv = (value: Option.Option<Redacted.Redacted<string>>) =>
      Option.match(value, {
        onNone: () => Effect.succeedNone,
        onSome: (url) => Effect.asSome(parse(url))
      })
    const http = yield* fromEnv(env.httpProxy)
    const https = yield* fromEnv(env.httpsProxy)
    return yield* acquire(http, https, joinNoProxy(env.noProxy, ProxyInternal.noProxyList(options?.noProxy)), options)
  })

/**
 * An `HttpClient` (platform-node's undici client) that sends through an explicit proxy.
 * Provide it instead of `NodeHttpClient.layerUndici`. Credentials in the URL become the
 * `Proxy-Authorization` header and are masked everywhere else.
 *
 * Loopback hosts are proxied too unless listed in `noProxy` (as with curl and undici).
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { RestApi } from "@effect-pagerduty/client"
 * import * as PagerDutyNode from "@effect-pagerduty/client/node"
 *
 * const program = Effect.flatMap(RestApi.RestApiService, (pd) => pd.listAll("/services")).pipe(
 *   Effect.provide(RestApi.layer({ apiKey: Redacted.make("u+key") })),
 *   Effect.provide(PagerDutyNode.layerProxy("http://proxy.corp:3128", { noProxy: "localhost,127.0.0.1" }))
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerProxy = (
  proxy: string | URL | Redacted.Redacted<string>,
  options?: ProxyOptions | undefined
): Layer.Layer<HttpClient.HttpClient, ProxyError> =>
  NodeHttpClient.layerUndiciWithoutDispatcher.pipe(
    Layer.provide(Layer.scoped(NodeHttpClient.Dispatcher, proxyDispatcher(proxy, options)))
  )

/**
 * An `HttpClient` (platform-node's undici client) that honours `HTTPS_PROXY`, `HTTP_PROXY`
 * and `NO_PROXY` (and their lower-case forms), read once through `Config` when the layer is
 * built. Nothing reads the environment unless you provide this layer.
 *
 * `NO_PROXY` entries: `host`, `.domain`, `*.domain`, `host:port`, `*`. Loopback hosts are
 * not bypassed automatically: add `localhost,127.0.0.1,::1` (e.g. for a local simulator).
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { RestApi } from "@effect-pagerduty/client"
 * import * as PagerDutyNode from "@effect-pagerduty/client/node"
 *
 * // HTTPS_PROXY=http://proxy.corp:3128 NO_PROXY=localhost,127.0.0.1 node app.js
 * const program = Effect.flatMap(RestApi.RestApiService, (pd) => pd.listAll("/services")).pipe(
 *   Effect.provide(RestApi.layer({ apiKey: Redacted.make("u+key") })),
 *   Effect.provide(PagerDutyNode.layerProxyFromEnv())
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerProxyFromEnv = (
  options?: ProxyOptions | undefined
): Layer.Layer<HttpClient.HttpClient, ProxyError | ConfigError.ConfigError> =>
  NodeHttpClient.layerUndiciWithoutDispatcher.pipe(
    Layer.provide(Layer.scoped(NodeHttpClient.Dispatcher, proxyDispatcherFromEnv(options)))
  )
