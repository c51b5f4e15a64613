/**
 * Listing semantics issue 14 asks for, on a scripted HttpClient whose answers take simulated
 * time (TestClock): concurrent pages emitted in order when answers arrive out of order, no
 * new page request after a failed page, `Stream.take(n)` requesting at most the pages it needs
 * plus `concurrency - 1`, the overall `deadline` of a listing, the `pageSize` precedence,
 * paths whose last segment is a parameter listed when the tables mark them paginated.
 */
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Duration, Effect, Fiber, Layer, Redacted, Stream, TestClock } from "effect"
import { Pagination, RestApi } from "../src/index.js"

interface Seen {
  readonly path: string
  readonly query: URLSearchParams
}

interface Script {
  /** Items of the classic listing at `/incidents` (and of any other listed path). */
  readonly total: number
  /** Simulated time each answer takes, by offset (default 0). */
  readonly delay?: (offset: number) => Duration.DurationInput
  /** A status other than 200 for a request at this offset. */
  readonly status?: (offset: number) => number | undefined
  /** The wrapper key of the answer (default `incidents`). */
  readonly wrapper?: string
}

/** A REST API whose classic listings hold `total` items; records requests and answer order. */
const scripted = (script: Script) => {
  const seen: Array<Seen> = []
  const answered: Array<number> = []
  const http = HttpClient.make((request, url) =>
    Effect.suspend(() => {
      const query = url.searchParams
      seen.push({ path: url.pathname, query })
      const offset = Number(query.get("offset") ?? 0)
      const limit = Number(query.get("limit") ?? 100)
      const wantsTotal = query.get("total") === "true"
      const items = Array.from({ length: Math.max(0, Math.min(limit, script.total - offset)) }, (_, i) => ({ id: `P${offset + i}` }))
      const status = script.status?.(offset) ?? 200
      const body = status === 200
        ? { [script.wrapper ?? "incidents"]: items, limit, offset, more: offset + items.length < script.total, ...(wantsTotal ? { total: script.total } : {}) }
        : { error: { code: 2001, message: "Invalid Input Provided" } }
      return Effect.sleep(script.delay?.(offset) ?? 0).pipe(
        Effect.zipRight(Effect.sync(() => answered.push(offset))),
        Effect.as(HttpClientResponse.fromWeb(
          request,
          new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } })
        ))
      )
    })
  )
  const layer = RestApi.layer({ apiKey: Redacted.make("u+SCRIPTED") }).pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, http)))
  return { seen, answered, layer }
}

/** Run `self` in a fiber and move the TestClock on until it is done. */
const settle = <A, E, R>(self: Effect.Effect<A, E, R>, step: Duration.DurationInput = "1 second", steps = 120) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(self)
    for (let i = 0; i < steps; i++) {
      yield* TestClock.adjust(step)
      if ((yield* fiber.poll)._tag === "Some") break
    }
    return yield* Fiber.join(fiber)
  })

const ids = (items: Iterable<unknown>) => [...items].map((i) => (i as { readonly id: string }).id)
const offsets = (seen: ReadonlyArray<Seen>) => seen.map((s) => Number(s.query.get("offset") ?? 0))

describe("concurrent pages", () => {
  it.effect("are emitted in offset order when the server answers out of request order", () => {
    // later offsets answer sooner: 100 after 4 s, 200 after 3 s, 300 after 2 s, 400 after 1 s
    const { answered, layer } = scripted({ total: 500, delay: (o) => (o === 0 ? 0 : `${5 - o / 100} seconds`) })
    return Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const items = yield* settle(pd.listAll("/incidents", { concurrency: 4 }))
      assert.deepStrictEqual(ids(items), Array.from({ length: 500 }, (_, i) => `P${i}`))
      assert.deepStrictEqual(answered, [0, 400, 300, 200, 100]) // the answers really came out of order
    }).pipe(Effect.provide(layer))
  })

  it.effect("after a failed page no new page request starts, and the stream fails with that page's error", () => {
    // offset 300 is refused at once (400, not retried); every other page takes 5 s
    const { seen, layer } = scripted({ total: 2_000, delay: (o) => (o === 0 ? 0 : "5 seconds"), status: (o) => (o === 300 ? 400 : undefined) })
    return Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const error = yield* settle(Effect.flip(pd.listAll("/incidents", { concurrency: 3 })))
      assert.strictEqual(error._tag, "HttpError")
      assert.strictEqual((error as { readonly status: number }).status, 400)
      // the first page, then the window of three; nothing after the failure
      assert.deepStrictEqual(offsets(seen), [0, 100, 200, 300])
      yield* TestClock.adjust("1 minute")
      assert.strictEqual(seen.length, 4)
    }).pipe(Effect.provide(layer))
  })

  for (const [take, concurrency] of [[250, 4], [1, 8], [100, 2], [101, 3], [1_000, 5]] as const) {
    it.effect(`Stream.take(${take}) with concurrency ${concurrency} requests at most the pages it needs plus ${concurrency - 1}`, () => {
      const { seen, layer } = scripted({ total: 5_000 })
      return Effect.gen(function*() {
        const pd = yield* RestApi.RestApiService
        const taken = yield* pd.iterAll("/incidents", { concurrency }).pipe(Stream.take(take), Stream.runCollect)
        assert.deepStrictEqual(ids(taken), Array.from({ length: take }, (_, i) => `P${i}`))
        const needed = Math.ceil(take / 100)
        assert.isAtMost(seen.length, needed + concurrency - 1, `requested ${offsets(seen).join(",")}`)
        assert.isAtLeast(seen.length, needed)
      }).pipe(Effect.provide(layer))
    })
  }
})

describe("the deadline of a whole listing", () => {
  it.effect("iterAll: fails with PaginationDeadlineError when it passes; the items before it were delivered", () => {
    const { seen, layer } = scripted({ total: 1_000, delay: () => "1 second" })
    return Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      let delivered = 0
      const error = yield* settle(
        Effect.flip(Stream.runForEach(pd.iterAll("/incidents", { deadline: "3500 millis" }), () => Effect.sync(() => delivered++))),
        "500 millis"
      )
      assert.strictEqual(error._tag, "PaginationDeadlineError")
      const e = error as Pagination.PaginationDeadlineError
      assert.strictEqual(e.path, "/incidents")
      assert.strictEqual(Duration.toMillis(e.deadline), 3_500)
      assert.match(e.message, /did not finish within its deadline \(3s 500ms\)/)
      assert.strictEqual(delivered, 300) // pages answered at 1 s, 2 s and 3 s
      assert.strictEqual(seen.length, 4) // the fourth was in flight and interrupted
    }).pipe(Effect.provide(layer))
  })

  it.effect("iterAll: a listing that ends before its deadline is whole", () => {
    const { layer } = scripted({ total: 1_000, delay: () => "1 second" })
    return Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const items = yield* settle(Stream.runCollect(pd.iterAll("/incidents", { deadline: "1 minute", concurrency: 2 })))
      assert.strictEqual(Chunk.size(items), 1_000)
    }).pipe(Effect.provide(layer))
  })

  it.effect("iterHistory: the deadline covers the window totals and every page", () => {
    const { layer } = scripted({ total: 1_000, wrapper: "log_entries", delay: () => "1 second" })
    return Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const error = yield* settle(Effect.flip(Stream.runDrain(pd.iterHistory("/log_entries", {
        since: "2025-01-01T00:00:00Z",
        until: "2025-02-01T00:00:00Z",
        deadline: "5 seconds"
      }))))
      assert.strictEqual(error._tag, "PaginationDeadlineError")
    }).pipe(Effect.provide(layer))
  })
})

describe("page size and paths", () => {
  it.effect("pageSize wins over params.limit; params.limit applies without pageSize; 100 otherwise", () => {
    const { seen, layer } = scripted({ total: 30 })
    return Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      yield* pd.listAll("/incidents", { pageSize: 10, params: { limit: 5 } })
      const both = seen.splice(0).map((s) => s.query.get("limit"))
      yield* pd.listAll("/incidents", { params: { limit: 5 } })
      const fromParams = seen.splice(0).map((s) => s.query.get("limit"))
      yield* pd.listAll("/incidents")
      const fallback = seen.splice(0).map((s) => s.query.get("limit"))
      assert.deepStrictEqual(both, ["10", "10", "10"])
      assert.deepStrictEqual(fromParams, ["5", "5", "5", "5", "5", "5"])
      assert.deepStrictEqual(fallback, ["100"])
    }).pipe(Effect.provide(layer))
  })

  it.effect("iterAll(\"/tags/PT1/users\") lists: the tables mark /tags/{id}/{entity_type} paginated", () => {
    const { seen, layer } = scripted({ total: 3, wrapper: "users" })
    return Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const users = yield* pd.listAll("/tags/PT1/users")
      assert.deepStrictEqual(ids(users), ["P0", "P1", "P2"])
      assert.strictEqual(seen[0]!.path, "/tags/PT1/users")
      // an individual resource is still refused before anything is sent
      const error = yield* Effect.flip(pd.listAll("/users/PABC123"))
      assert.strictEqual(error._tag, "UrlError")
      assert.strictEqual((error as { readonly reason: string }).reason, "NotPaginated")
      assert.strictEqual(seen.length, 1)
    }).pipe(Effect.provide(layer))
  })
})
