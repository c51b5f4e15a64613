import { assert, describe, it } from "@effect/vitest"
import type { HttpClient } from "@effect/platform"
import type { Scope } from "effect"
import { ConfigProvider, Effect, Either, Exit, Layer, Logger, LogLevel, Redacted } from "effect"
import * as http from "node:http"
import * as net from "node:net"
import { Simulator } from "@effect-pagerduty/testkit"
import { ApiClient, Auth } from "../src/index.js"
import * as PagerDutyNode from "../src/node.js"

// A small proxy on 127.0.0.1:0 that speaks both proxy protocols:
// - forward (absolute-form `GET http://host:port/path`), relayed with node:http;
// - `CONNECT host:port` tunnels, relayed byte for byte with node:net.
interface ProxyServer {
  readonly url: string
  readonly port: number
  /** `GET http://127.0.0.1:PORT/users?...` lines of forwarded requests. */
  readonly forwarded: Array<string>
  /** `host:port` targets of CONNECT requests. */
  readonly connects: Array<string>
  /** `Proxy-Authorization` values received (forward and CONNECT). */
  readonly authorizations: Array<string>
}

const startProxy = (options: { readonly requireAuthorization?: string } = {}): Effect.Effect<ProxyServer, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<{ server: http.Server; sockets: Set<net.Socket>; proxy: ProxyServer }>((resume) => {
      const sockets = new Set<net.Socket>()
      const forwarded: Array<string> = []
      const connects: Array<string> = []
      const authorizations: Array<string> = []
      const authorized = (headers: http.IncomingHttpHeaders) => {
        const value = headers["proxy-authorization"]
        if (value !== undefined) authorizations.push(value)
        return options.requireAuthorization === undefined || value === options.requireAuthorization
      }
      const server = http.createServer((req, res) => {
        forwarded.push(`${req.method} ${req.url}`)
        if (!authorized(req.headers)) {
          res.writeHead(407, { "proxy-authenticate": "Basic realm=\"test\"" }).end()
          return
        }
        const target = new URL(req.url ?? "/")
        const headers = { ...req.headers }
        delete headers["proxy-authorization"]
        delete headers["proxy-connection"]
        const upstream = http.request(
          { host: target.hostname, port: target.port, method: req.method, path: `${target.pathname}${target.search}`, headers },
          (response) => {
            res.writeHead(response.statusCode ?? 502, response.headers)
            response.pipe(res)
          }
        )
        upstream.on("error", () => res.headersSent ? res.destroy() : res.writeHead(502).end())
        req.pipe(upstream)
      })
      server.on("connection", (socket) => {
        sockets.add(socket)
        socket.on("close", () => sockets.delete(socket))
      })
      server.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
        connects.push(req.url ?? "")
        if (!authorized(req.headers)) {
          client.end("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
          return
        }
        const at = (req.url ?? "").lastIndexOf(":")
        const upstream = net.connect(Number((req.url ?? "").slice(at + 1)), (req.url ?? "").slice(0, at), () => {
          client.write("HTTP/1.1 200 Connection Established\r\n\r\n")
          upstream.write(head)
          upstream.pipe(client)
          client.pipe(upstream)
        })
        sockets.add(upstream)
        upstream.on("close", () => sockets.delete(upstream))
        upstream.on("error", () => client.destroy())
        client.on("error", () => upstream.destroy())
      })
      server.listen(0, "127.0.0.1", () => {
        const port = (server.address() as net.AddressInfo).port
        resume(Effect.succeed({ server, sockets, proxy: { url: `http://127.0.0.1:${port}`, port, forwarded, connects, authorizations } }))
      })
    }),
    ({ server, sockets }) =>
      Effect.async<void>((resume) => {
        for (const socket of sockets) socket.destroy()
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ proxy }) => proxy))

/** One `GET /users` through the `HttpClient` layer given, against the simulator at `baseUrl`. */
const getUsers = <E>(baseUrl: string, httpLayer: Layer.Layer<HttpClient.HttpClient, E>) =>
  Effect.gen(function*() {
    const client = yield* ApiClient.make({
      name: "rest",
      baseUrl,
      auth: Auth.token(Redacted.make("sim-api-key")),
      permittedMethods: ["GET"],
      headers: { Accept: "application/vnd.pagerduty+json;version=2" },
      retry: { maxNetworkRetries: 0 }
    })
    const body = yield* client.json({ url: "/users", params: { limit: 2 } })
    return (body as { users: ReadonlyArray<unknown> }).users.length
  }).pipe(Effect.provide(httpLayer))

const env = (vars: Record<string, string>) => Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(vars))))

const captureLogs = () => {
  const lines: Array<string> = []
  const logger = Logger.make(({ annotations, message }) => {
    lines.push(`${String(message)} ${JSON.stringify(Object.fromEntries(annotations))}`)
  })
  return { lines, layer: Layer.merge(Logger.replace(Logger.defaultLogger, logger), Logger.minimumLogLevel(LogLevel.Debug)) }
}

describe("Node proxies (@effect-pagerduty/client/node)", () => {
  it.live("layerProxy: requests tunnel through the proxy with CONNECT (the default, as for https targets)", () =>
    Effect.scoped(Effect.gen(function*() {
      const sim = yield* Simulator.serve()
      const proxy = yield* startProxy()
      const users = yield* getUsers(sim.url, PagerDutyNode.layerProxy(proxy.url))
      assert.strictEqual(users, 2)
      assert.deepStrictEqual(proxy.connects, [`127.0.0.1:${sim.port}`])
      assert.deepStrictEqual(proxy.forwarded, [])
      const seen = yield* sim.simulator.requests
      assert.deepStrictEqual(seen.map((r) => r.endpoint), ["GET /users"])
    })))

  it.live("layerProxy with tunnel: false sends plain-http requests to a forward proxy in absolute form", () =>
    Effect.scoped(Effect.gen(function*() {
      const sim = yield* Simulator.serve()
      const proxy = yield* startProxy()
      const users = yield* getUsers(sim.url, PagerDutyNode.layerProxy(proxy.url, { tunnel: false }))
      assert.strictEqual(users, 2)
      assert.deepStrictEqual(proxy.forwarded, [`GET http://127.0.0.1:${sim.port}/users?limit=2`])
      assert.deepStrictEqual(proxy.connects, [])
    })))

  it.live("layerProxyFromEnv: HTTP_PROXY is used; the lower-case name wins over the upper-case one", () =>
    Effect.scoped(Effect.gen(function*() {
      const sim = yield* Simulator.serve()
      const lower = yield* startProxy()
      const upper = yield* startProxy()
      const users = yield* getUsers(
        sim.url,
        PagerDutyNode.layerProxyFromEnv().pipe(Layer.provide(env({ http_proxy: lower.url, HTTP_PROXY: upper.url })))
      )
      assert.strictEqual(users, 2)
      assert.deepStrictEqual(lower.connects, [`127.0.0.1:${sim.port}`])
      assert.deepStrictEqual([...upper.connects, ...upper.forwarded], [])
    })))

  it.live("layerProxyFromEnv: NO_PROXY bypasses the proxy (host, and host:port entries), loopback is not bypassed by default", () =>
    Effect.scoped(Effect.gen(function*() {
      const sim = yield* Simulator.serve()
      const proxy = yield* startProxy()
      // listed host: direct
      yield* getUsers(sim.url, PagerDutyNode.layerProxyFromEnv().pipe(Layer.provide(env({ HTTP_PROXY: proxy.url, NO_PROXY: "example.com, 127.0.0.1" }))))
      // listed host with this port: direct
      yield* getUsers(sim.url, PagerDutyNode.layerProxyFromEnv().pipe(Layer.provide(env({ HTTP_PROXY: proxy.url, no_proxy: `127.0.0.1:${sim.port}` }))))
      // the option adds to the environment's list
      yield* getUsers(sim.url, PagerDutyNode.layerProxyFromEnv({ noProxy: ["127.0.0.1"] }).pipe(Layer.provide(env({ HTTP_PROXY: proxy.url, NO_PROXY: "example.com" }))))
      assert.deepStrictEqual([...proxy.connects, ...proxy.forwarded], [])
      assert.strictEqual((yield* sim.simulator.requests).length, 3)
      // another port, or nothing listed: proxied (loopback is not special)
      yield* getUsers(sim.url, PagerDutyNode.layerProxyFromEnv().pipe(Layer.provide(env({ HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1:1" }))))
      yield* getUsers(sim.url, PagerDutyNode.layerProxyFromEnv().pipe(Layer.provide(env({ HTTP_PROXY: proxy.url }))))
      assert.deepStrictEqual(proxy.connects, [`127.0.0.1:${sim.port}`, `127.0.0.1:${sim.port}`])
      // layerProxy's own bypass list
      yield* getUsers(sim.url, PagerDutyNode.layerProxy(proxy.url, { noProxy: "localhost,127.0.0.1" }))
      assert.strictEqual(proxy.connects.length, 2)
      assert.strictEqual((yield* sim.simulator.requests).length, 6)
    })))

  it.live("layerProxyFromEnv with no proxy variable connects directly, and never reads process.env by itself", () =>
    Effect.scoped(Effect.gen(function*() {
      const sim = yield* Simulator.serve()
      const proxy = yield* startProxy()
      const saved = process.env.HTTP_PROXY
      process.env.HTTP_PROXY = proxy.url
      yield* Effect.addFinalizer(() =>
        Effect.sync(() => {
          if (saved === undefined) delete process.env.HTTP_PROXY
          else process.env.HTTP_PROXY = saved
        })
      )
      // the ConfigProvider says "no proxy" (empty values count as unset); undici must not fall back to process.env
      yield* getUsers(sim.url, PagerDutyNode.layerProxyFromEnv().pipe(Layer.provide(env({ https_proxy: "" }))))
      assert.deepStrictEqual([...proxy.connects, ...proxy.forwarded], [])
      assert.strictEqual((yield* sim.simulator.requests).length, 1)
    })))

  it.live("credentials in the proxy URL reach the proxy as Proxy-Authorization and are masked in logs and errors", () =>
    Effect.scoped(Effect.gen(function*() {
      const sim = yield* Simulator.serve()
      const expected = `Basic ${Buffer.from("alice:s3cret-pw").toString("base64")}`
      const proxy = yield* startProxy({ requireAuthorization: expected })
      const logs = captureLogs()
      const good = `http://alice:s3cret-pw@127.0.0.1:${proxy.port}`
      yield* getUsers(sim.url, PagerDutyNode.layerProxy(Redacted.make(good))).pipe(Effect.provide(logs.layer))
      assert.deepStrictEqual(proxy.authorizations, [expected])
      const proxyLog = logs.lines.find((line) => line.startsWith("PagerDuty HTTP client: https via"))
      assert.isDefined(proxyLog)
      assert.include(proxyLog!, `http://***@127.0.0.1:${proxy.port}`)
      // the proxy rejects wrong credentials: a TransportError that names neither password
      const bad = `http://alice:wrong-pw@127.0.0.1:${proxy.port}`
      const exit = yield* Effect.exit(getUsers(sim.url, PagerDutyNode.layerProxy(bad)).pipe(Effect.provide(logs.layer)))
      assert.isTrue(Exit.isFailure(exit))
      const failure = String(Exit.isFailure(exit) ? exit.cause : "")
      assert.include(failure, "TransportError")
      for (const text of [...logs.lines, failure]) {
        assert.notInclude(text, "s3cret-pw")
        assert.notInclude(text, "wrong-pw")
      }
      // an explicit Proxy-Authorization value wins over URL credentials
      yield* getUsers(sim.url, PagerDutyNode.layerProxy(bad, { proxyAuthorization: Redacted.make(expected) }))
      assert.strictEqual((yield* sim.simulator.requests).length, 2)
    })))

  it.live("a scheme-less proxy (proxy.corp:3128, common in HTTPS_PROXY) is read as http://", () =>
    Effect.scoped(Effect.gen(function*() {
      const sim = yield* Simulator.serve()
      const proxy = yield* startProxy()
      yield* getUsers(sim.url, PagerDutyNode.layerProxyFromEnv().pipe(Layer.provide(env({ HTTP_PROXY: `127.0.0.1:${proxy.port}` }))))
      assert.deepStrictEqual(proxy.connects, [`127.0.0.1:${sim.port}`])
    })))

  it.effect("an unusable proxy URL is a typed ProxyError that masks credentials; nothing is sent", () =>
    Effect.gen(function*() {
      const build = <A, E>(layer: Layer.Layer<A, E>) => Effect.scoped(Effect.either(Layer.build(layer)))
      const unsupported = yield* build(PagerDutyNode.layerProxy("socks5://bob:hunter2@127.0.0.1:1080"))
      assert.isTrue(Either.isLeft(unsupported))
      const e1 = Either.isLeft(unsupported) ? unsupported.left as PagerDutyNode.ProxyError : undefined
      assert.strictEqual(e1?._tag, "ProxyError")
      assert.strictEqual(e1?.reason, "UnsupportedProtocol")
      assert.strictEqual(e1?.proxy, "socks5://***@127.0.0.1:1080")
      assert.notInclude(e1?.message ?? "", "hunter2")
      const malformed = yield* build(
        PagerDutyNode.layerProxyFromEnv().pipe(Layer.provide(env({ HTTPS_PROXY: "http://bob:hunter2@[::1" })))
      )
      const e2 = Either.isLeft(malformed) ? malformed.left as PagerDutyNode.ProxyError : undefined
      assert.strictEqual(e2?.reason, "InvalidUrl")
      assert.strictEqual(e2?.proxy, "http://***@[::1")
      assert.notInclude(e2?.message ?? "", "hunter2")
    }))

  it.effect("proxyEnvironment reads both spellings, keeps URLs Redacted and joins NO_PROXY", () =>
    Effect.gen(function*() {
      const read = yield* PagerDutyNode.proxyEnvironment.pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([
          ["HTTPS_PROXY", "http://u:p@proxy.corp:3128"],
          ["http_proxy", "http://plain.corp:8080"],
          ["NO_PROXY", " localhost , .internal.example.com  127.0.0.1 "]
        ])))
      )
      assert.strictEqual(read.httpsProxy._tag === "Some" && Redacted.value(read.httpsProxy.value), "http://u:p@proxy.corp:3128")
      assert.notInclude(String(read.httpsProxy), "u:p")
      assert.strictEqual(read.httpProxy._tag === "Some" && Redacted.value(read.httpProxy.value), "http://plain.corp:8080")
      assert.strictEqual(read.noProxy, "localhost,.internal.example.com,127.0.0.1")
    }))
})
