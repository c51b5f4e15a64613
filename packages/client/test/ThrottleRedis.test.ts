/**
 * The Redis-backed throttle: URL handling and configuration (no Redis needed), then, with a
 * real `redis-server` (Debian package `redis-server`, found at /usr/bin/redis-server):
 * two throttles sharing a budget, and the fleet test: 4 worker processes on one API key
 * against one simulator with a small budget, with and without the shared limiter.
 */
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { ConfigProvider, Duration, Effect, Either, Layer, Redacted, type Scope } from "effect"
import { Redis } from "ioredis"
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { parseRedisUrl } from "../src/internal/throttleRedisUrl.js"
import * as ThrottleRedis from "../src/ThrottleRedis.js"
import * as Mock from "./utils/mock.js"

const here = path.dirname(fileURLToPath(import.meta.url))
const REDIS_SERVER = "/usr/bin/redis-server"
const hasRedis = fs.existsSync(REDIS_SERVER)
const WORKER = path.join(here, "fixtures", "throttle-worker.mjs")
const BUILT = path.join(here, "..", "dist", "ThrottleRedis.js")

if (!hasRedis) {
  console.warn(
    `ThrottleRedis: skipping the Redis tests: ${REDIS_SERVER} not found. ` +
      "Install it with `apt-get install -y redis-server` (Debian/Ubuntu); .ci/run does this."
  )
}

// The simulator is resolved by vitest's alias to the testkit sources; the client's test
// tsconfig has no reference to the testkit, so its shape is declared here.
interface Served {
  readonly url: string
  readonly simulator: {
    readonly rateLimited429s: Effect.Effect<number>
    readonly countsByEndpoint: Effect.Effect<Readonly<Record<string, number>>>
  }
}
interface TestkitModule {
  readonly Simulator: {
    readonly serve: (options: {
      readonly apiKeys: ReadonlyArray<string>
      readonly rateLimit: { readonly limit: number; readonly window: string }
      readonly maxRecordedRequests: number
    }) => Effect.Effect<Served, unknown, Scope.Scope>
  }
}
const testkitName = "@effect-pagerduty/testkit"
const loadTestkit = () => import(testkitName) as Promise<TestkitModule>

describe("Redis URL and configuration", () => {
  it("parses redis:// and rediss:// URLs; errors never repeat the URL", () => {
    assert.deepStrictEqual(Either.getOrThrow(parseRedisUrl("redis://127.0.0.1:6380/2")), { host: "127.0.0.1", port: 6380, db: 2 })
    assert.deepStrictEqual(Either.getOrThrow(parseRedisUrl("rediss://bob:s%40cret@redis.example.com")), {
      host: "redis.example.com",
      port: 6379,
      username: "bob",
      password: "s@cret",
      tls: {}
    })
    assert.deepStrictEqual(Either.getOrThrow(parseRedisUrl("redis://:pw@[::1]:7000")), { host: "::1", port: 7000, password: "pw" })
    for (const bad of ["http://:hunter2@host", "redis://:hunter2@host/abc", "not a url hunter2"]) {
      const error = parseRedisUrl(bad)
      assert.isTrue(Either.isLeft(error), bad)
      if (Either.isLeft(error)) assert.notInclude(error.left, "hunter2")
    }
  })

  it.effect("a bad URL fails the layer with ThrottleOptionsError, without the password", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Effect.scoped(Layer.build(ThrottleRedis.layer({ redisUrl: Redacted.make("https://:hunter2@redis:6379") }).pipe(Layer.provide(Mock.layer(() => Mock.json({}))))))
      )
      assert.strictEqual(error._tag, "ThrottleOptionsError")
      assert.notInclude(error.message, "hunter2")
    }))

  it.effect("layerConfig requires PAGERDUTY_REDIS_URL", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Effect.scoped(Layer.build(ThrottleRedis.layerConfig().pipe(Layer.provide(Mock.layer(() => Mock.json({}))))))
      ).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map())))
      assert.strictEqual(error._tag, "ConfigError")
      assert.include(String(error), "PAGERDUTY_REDIS_URL")
    }))
})

// ---------------------------------------------------------------------------------------

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

const startRedis = async (): Promise<{ readonly url: string; readonly process: ChildProcess }> => {
  const port = await freePort()
  const child = spawn(REDIS_SERVER, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "pipe"]
  })
  await new Promise<void>((resolve, reject) => {
    let output = ""
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000)
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`redis-server exited with ${code}:\n${output}`))
    })
  })
  return { url: `redis://127.0.0.1:${port}`, process: child }
}

interface Figures {
  readonly ok: number
  readonly failed: number
  readonly attempts: number
  readonly startedAt: number
  readonly finishedAt: number
  readonly pauses: number
  readonly waitedMs: number
}

/** Start a worker; it resolves `ready` once loaded, starts on `go()`, and resolves `done` with its figures. */
const startWorker = (options: Record<string, unknown>) => {
  const child = spawn(process.execPath, [WORKER, JSON.stringify(options)], { stdio: ["pipe", "pipe", "pipe"] })
  let out = ""
  let err = ""
  let onReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => (onReady = resolve))
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString()
    if (out.startsWith("ready\n")) onReady()
  })
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()))
  const done = new Promise<Figures>((resolve, reject) =>
    child.once("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop() ?? "{}")) : reject(new Error(`worker exited with ${code}: ${err}`)))
  )
  return { ready, done, go: () => child.stdin.end("go\n") }
}

describe.skipIf(!hasRedis)("with a real redis-server", () => {
  let redis: { readonly url: string; readonly process: ChildProcess } | undefined

  beforeAll(async () => {
    redis = await startRedis()
  })

  afterAll(async () => {
    const child = redis?.process
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve))
      child.kill("SIGTERM")
      await exited
    }
  })

  it.live("two throttles on one Redis share one budget; keys in Redis hold no secret", () =>
    Effect.gen(function*() {
      const url = redis!.url
      const secret = "u+REDIS_SHARED_SECRET_1"
      const prefix = `test-${Date.now()}:`
      const one = ThrottleRedis.layer({ redisUrl: url, limit: 5, window: "1 second", keyPrefix: prefix })
      const two = ThrottleRedis.layer({ redisUrl: url, limit: 5, window: "1 second", keyPrefix: prefix })
      const get = HttpClient.HttpClient.pipe(
        Effect.flatMap((client) => client.execute(HttpClientRequest.get("https://api.pagerduty.com/users", { headers: { authorization: `Token token=${secret}` } })))
      )
      const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.map(Effect.timed(effect), ([d]) => d)
      const mock = Mock.layer(() => Mock.json({ ok: true }))
      // process one spends the whole budget at once...
      const first = yield* timed(Effect.all(Array.from({ length: 5 }, () => get), { concurrency: "unbounded" }).pipe(Effect.provide(Layer.provide(one, mock))))
      // ...so process two has to wait for a refill (one token per 200 ms)
      const second = yield* timed(Effect.all(Array.from({ length: 2 }, () => get), { concurrency: "unbounded" }).pipe(Effect.provide(Layer.provide(two, mock))))
      assert.isBelow(Duration.toMillis(first), 150)
      assert.isAtLeast(Duration.toMillis(second), 250)
      const client = new Redis(url)
      const keys = yield* Effect.promise(() => client.keys(`${prefix}*`))
      yield* Effect.promise(() => client.quit())
      assert.isAbove(keys.length, 0)
      for (const key of keys) {
        assert.match(key, new RegExp(`^${prefix}cred:[0-9a-f]{32}:5/1000ms:token-bucket`))
        assert.notInclude(key, secret)
      }
    }))

  it.live("fleet: 4 worker processes on one key share the budget (no 429 storm); without the shared limiter they storm", () =>
    Effect.gen(function*() {
      assert.isTrue(fs.existsSync(BUILT), `${BUILT} is missing: build first (\`pnpm build\`; \`pnpm test\` does it)`)
      const { Simulator } = yield* Effect.promise(loadTestkit)
      // The simulator allows 20 requests per second per key; the workers budget 16. The
      // headroom must cover the first request's latency (connection set-up included): both
      // buckets start full, but the workers' bucket starts refilling when the first token is
      // taken and the simulator's only when that request arrives, so 4 tokens of headroom
      // absorb 200 ms of it (and grow by 4 per second). On PagerDuty's 960 per minute, 5 %
      // headroom is 3 s of such latency.
      const serverLimit = 20
      const limit = 16
      const windowMs = 1000
      const workers = 4
      const requests = 30
      const concurrency = 8
      const shared = "fleet-shared-key"
      const unshared = "fleet-unshared-key"
      const served = yield* Simulator.serve({
        apiKeys: [shared, unshared],
        rateLimit: { limit: serverLimit, window: `${windowMs} millis` },
        maxRecordedRequests: 0
      })
      const total = Effect.map(served.simulator.countsByEndpoint, (counts) => Object.values(counts).reduce((a, b) => a + b, 0))

      const run = (mode: "redis" | "none", apiKey: string) =>
        Effect.gen(function*() {
          const requestsBefore = yield* total
          const limitedBefore = yield* served.simulator.rateLimited429s
          // one prefix per run, the same for every worker of the run: they share its budget
          const keyPrefix = `fleet-${process.pid}-${Date.now()}:`
          const fleet = Array.from({ length: workers }, () =>
            startWorker({
              baseUrl: served.url,
              apiKey,
              mode,
              redisUrl: redis!.url,
              keyPrefix,
              requests,
              concurrency,
              limit,
              windowMs
            }))
          // every worker loads first, then they all start together
          yield* Effect.promise(() => Promise.all(fleet.map((w) => w.ready)))
          for (const w of fleet) w.go()
          const figures = yield* Effect.promise(() => Promise.all(fleet.map((w) => w.done)))
          return {
            mode,
            ok: figures.reduce((n, f) => n + f.ok, 0),
            failed: figures.reduce((n, f) => n + f.failed, 0),
            requests: (yield* total) - requestsBefore,
            rateLimited429s: (yield* served.simulator.rateLimited429s) - limitedBefore,
            seconds: (Math.max(...figures.map((f) => f.finishedAt)) - Math.min(...figures.map((f) => f.startedAt))) / 1000,
            pauses: figures.reduce((n, f) => n + f.pauses, 0)
          }
        })

      const withLimiter = yield* run("redis", shared)
      const without = yield* run("none", unshared)
      console.log(
        [
          `fleet of ${workers} processes x ${requests} requests on one key, simulator budget ${serverLimit} per ${windowMs} ms, workers budget ${limit}:`,
          `  shared Redis limiter: ${withLimiter.requests} requests, ${withLimiter.rateLimited429s} 429s, ${withLimiter.seconds.toFixed(2)} s (${withLimiter.ok} ok, ${withLimiter.failed} failed, ${withLimiter.pauses} header pauses)`,
          `  no limiter:           ${without.requests} requests, ${without.rateLimited429s} 429s, ${without.seconds.toFixed(2)} s (${without.ok} ok, ${without.failed} failed)`
        ].join("\n")
      )
      // All work finished with the shared limiter...
      assert.strictEqual(withLimiter.ok, workers * requests)
      assert.strictEqual(withLimiter.failed, 0)
      // ...with no 429 expected (none seen in our runs), and at most 1 % tolerated: the Redis
      // bucket refills on the workers' clocks and the simulator's on its own, and a request
      // granted at a refill instant reaches the simulator after a network delay that varies
      // from request to request, so with no headroom a request can arrive a hair before the
      // simulator's bucket holds its token.
      assert.isAtMost(withLimiter.rateLimited429s, Math.floor(withLimiter.requests / 100))
      // Without it the same work meets a 429 storm.
      assert.isAbove(without.rateLimited429s, 10 * Math.max(1, withLimiter.rateLimited429s))
    }).pipe(Effect.scoped), 60_000)
})

describe("Throttle entry points", () => {
  it("are subpaths only: the package root re-exports neither Throttle nor ThrottleRedis (they need the optional @effect/experimental)", async () => {
    const root = await import("../src/index.js")
    assert.notProperty(root, "Throttle")
    assert.notProperty(root, "ThrottleRedis")
    const throttle = await import("../src/Throttle.js")
    assert.isFunction(throttle.layer)
  })
})
