/**
 * REST API v2 pagination against the testkit simulator (`Simulator.layer`, in memory): classic
 * pages of 0, 1, 100, 101 and 10 000+ incidents, the 10 000 offset cap, concurrent pages,
 * cursor pagination on /audit/records, history bisection past the cap, faults mid-stream and
 * `Stream.take`. Counts, ids and requests are checked against the simulator's own state and
 * recordings. Time runs on `TestClock`.
 */
import { assert, describe, it, layer } from "@effect/vitest"
import { Simulator } from "@effect-pagerduty/testkit"
import { Chunk, Effect, Fiber, Layer, Redacted, Stream, TestClock } from "effect"
import { RestApi } from "../src/index.js"
import { type Captured, observe } from "./utils/observe.js"

const Api = RestApi.layer({ apiKey: Redacted.make(Simulator.DEFAULT_API_KEY) })

/** The REST client and the simulator it talks to, seeded with `options`. */
const sim = (options: Simulator.Options) => Api.pipe(Layer.provideMerge(Simulator.layer(options)))

const ids = (items: Iterable<unknown>) => [...items].map((i) => (i as { readonly id: string }).id)

/** The query of each recorded request to `path`, in order. */
const queries = (path: string) =>
  Effect.map(Effect.flatMap(Simulator.Simulator, (s) => s.requests), (rs) =>
    rs.filter((r) => r.path === path).map((r) => new URL(r.url).searchParams))

/** Incidents as the simulator holds them, in creation order. */
const stateIds = Effect.flatMap(Simulator.Simulator, (s) => Effect.map(s.state.incidents(), ids))

/** Forgets recorded requests (state is back to the seed too: use only in read-only blocks). */
const resetRecordings = Effect.flatMap(Simulator.Simulator, (s) => s.reset)

describe("classic pagination on the simulator", () => {
  for (const [n, requests] of [[0, 1], [1, 1], [100, 1], [101, 2], [250, 3]] as const) {
    it.effect(`${n} incidents: every one, once, in order, in ${requests} request(s)`, () =>
      Effect.gen(function*() {
        const pd = yield* RestApi.RestApiService
        const items = yield* pd.listAll("/incidents", { pageSize: 100 })
        const expected = yield* stateIds
        assert.strictEqual(expected.length, n)
        assert.deepStrictEqual(ids(items), expected)
        assert.strictEqual(new Set(ids(items)).size, n)
        const qs = yield* queries("/incidents")
        assert.strictEqual(qs.length, requests)
        assert.deepStrictEqual(qs.map((q) => q.get("offset")), Array.from({ length: requests }, (_, i) => String(i * 100)))
        assert.isTrue(qs.every((q) => q.get("limit") === "100" && !q.has("total")))
        assert.deepStrictEqual(yield* Effect.flatMap(Simulator.Simulator, (s) => s.countsByEndpoint), { "GET /incidents": requests })
      }).pipe(Effect.provide(sim({ incidents: n }))))
  }

  it.effect("a page size above PagerDuty's maximum: the API clamps it to 100 and the stream advances by the real page length", () =>
    Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const pages = yield* Stream.runCollect(pd.iterAllPages("/incidents", { pageSize: 250 }))
      assert.deepStrictEqual(Chunk.toReadonlyArray(pages).map((p) => p.items.length), [100, 100, 50])
      assert.deepStrictEqual(ids(Chunk.toReadonlyArray(pages).flatMap((p) => p.items)), yield* stateIds)
      const qs = yield* queries("/incidents")
      assert.deepStrictEqual(qs.map((q) => [q.get("offset"), q.get("limit")]), [["0", "250"], ["100", "250"], ["200", "250"]])
    }).pipe(Effect.provide(sim({ incidents: 250 }))))

  it.effect("filters are sent as name[] and the simulator's filtered set comes back whole", () =>
    Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const s = yield* Simulator.Simulator
      const open = yield* pd.listAll("/incidents", { params: { statuses: ["triggered", "acknowledged"] }, pageSize: 100 })
      const expected = ids(yield* s.state.incidents({ statuses: ["triggered", "acknowledged"] }))
      assert.isAbove(expected.length, 100)
      assert.deepStrictEqual(ids(open), expected)
      const qs = yield* queries("/incidents")
      assert.isTrue(qs.every((q) => q.getAll("statuses[]").join(",") === "triggered,acknowledged"))
      assert.strictEqual(yield* pd.getTotal("/incidents", { params: { statuses: ["triggered", "acknowledged"] } }), expected.length)
    }).pipe(Effect.provide(sim({ incidents: 640 }))))
})

layer(sim({ incidents: 12_345 }))("10 000+ incidents (one seeded simulator)", (it) => {
  it.effect("iterAll fails with PaginationLimitError after exactly 10 000, never asking past the cap", () =>
    Effect.gen(function*() {
      yield* resetRecordings
      const pd = yield* RestApi.RestApiService
      const seen: Array<string> = []
      const error = yield* pd.iterAll("/incidents", { pageSize: 100 }).pipe(
        Stream.runForEach((i) => Effect.sync(() => seen.push((i as { id: string }).id))),
        Effect.flip
      )
      assert.strictEqual(error._tag, "PaginationLimitError")
      if (error._tag === "PaginationLimitError") {
        assert.strictEqual(error.offset, 10_000)
        assert.include(error.message, "iterHistory")
      }
      assert.deepStrictEqual(seen, (yield* stateIds).slice(0, 10_000))
      const s = yield* Simulator.Simulator
      const requests = yield* s.requests
      assert.strictEqual(requests.length, 100)
      assert.isTrue(requests.every((r) => r.status === 200))
    }))

  it.effect("onLimit: \"stop\" ends at the cap with a warning; an odd page size still ends at 10 000 exactly", () =>
    Effect.gen(function*() {
      yield* resetRecordings
      const pd = yield* RestApi.RestApiService
      const captured: Captured = { logs: [], spans: [] }
      const items = yield* observe(pd.listAll("/incidents", { pageSize: 75, onLimit: "stop" }), captured)
      assert.deepStrictEqual(ids(items), (yield* stateIds).slice(0, 10_000))
      assert.isTrue(captured.logs.some((l) => l.includes("onLimit") && l.includes("iterHistory")))
      const qs = yield* queries("/incidents")
      const last = qs[qs.length - 1]!
      assert.deepStrictEqual([last.get("offset"), last.get("limit")], ["9975", "25"])
      assert.isTrue((yield* Effect.flatMap(Simulator.Simulator, (s) => s.requests)).every((r) => r.status === 200))
    }))

  it.effect("concurrency: 8 gives the same items in the same order as sequential", () =>
    Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const sequential = yield* pd.listAll("/incidents", { pageSize: 100, onLimit: "stop" })
      yield* resetRecordings
      const concurrent = yield* pd.listAll("/incidents", { pageSize: 100, onLimit: "stop", concurrency: 8 })
      assert.strictEqual(concurrent.length, 10_000)
      assert.deepStrictEqual(ids(concurrent), ids(sequential))
      const qs = yield* queries("/incidents")
      assert.strictEqual(qs.length, 100)
      assert.strictEqual(qs[0]!.get("total"), "true")
      assert.deepStrictEqual(qs.map((q) => Number(q.get("offset"))).sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i * 100))
      // and past the cap without "stop", the concurrent stream fails the same way
      const error = yield* Effect.flip(Stream.runDrain(pd.iterAll("/incidents", { pageSize: 100, concurrency: 8 })))
      assert.strictEqual(error._tag, "PaginationLimitError")
    }))

  it.effect("iterHistory over a window with more than 10 000 incidents returns every one exactly once, in order", () =>
    Effect.gen(function*() {
      yield* resetRecordings
      const pd = yield* RestApi.RestApiService
      const s = yield* Simulator.Simulator
      const all = yield* s.state.incidents()
      const now = (yield* s.now).getTime()
      const since = new Date(Date.parse(all[0]!.created_at))
      const until = new Date(now + 1000)
      const params = Object.freeze({ urgencies: ["high", "low"] })
      const items = yield* Stream.runCollect(pd.iterHistory("/incidents", { since, until, params, pageSize: 100 }))
      assert.strictEqual(Chunk.size(items), 12_345)
      assert.deepStrictEqual(ids(items), ids(all))
      assert.deepStrictEqual(params, { urgencies: ["high", "low"] })
      const qs = yield* queries("/incidents")
      // the whole window was too big: it was split, and no request hit the cap
      assert.isAbove(qs.filter((q) => q.get("total") === "true").length, 1)
      assert.isTrue(qs.every((q) => q.getAll("urgencies[]").join(",") === "high,low" && q.has("since") && q.has("until")))
      assert.isTrue((yield* s.requests).every((r) => r.status === 200))
    }))

  it.effect("Stream.take requests only the pages it needs", () =>
    Effect.gen(function*() {
      yield* resetRecordings
      const pd = yield* RestApi.RestApiService
      const taken = yield* pd.iterAll("/incidents", { pageSize: 100 }).pipe(Stream.take(150), Stream.runCollect)
      assert.deepStrictEqual(ids(taken), (yield* stateIds).slice(0, 150))
      assert.strictEqual((yield* queries("/incidents")).length, 2)
      const one = yield* pd.iterAll("/incidents", { pageSize: 100 }).pipe(Stream.take(1), Stream.runCollect)
      assert.strictEqual(Chunk.size(one), 1)
      assert.strictEqual((yield* queries("/incidents")).length, 3)
    }))
})

describe("cursor pagination on the simulator", () => {
  it.effect("/audit/records: follows next_cursor, keeping every user parameter on every request", () =>
    Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const s = yield* Simulator.Simulator
      const since = new Date((yield* s.now).getTime() - 60 * 24 * 3600_000).toISOString()
      const params = { actions: ["create"], root_resource_types: ["users", "teams"], since }
      const pages = yield* Stream.runCollect(pd.iterAllPages("/audit/records", { params, pageSize: 100 }))
      const records = Chunk.toReadonlyArray(pages).flatMap((p) => p.items) as ReadonlyArray<{ id: string; root_resource: { type: string } }>
      // 250 users + 3 teams were seeded, each with its "create" record
      assert.strictEqual(records.length, 253)
      assert.strictEqual(new Set(ids(records)).size, 253)
      assert.isTrue(records.every((r) => r.root_resource.type === "user_reference" || r.root_resource.type === "team_reference"))
      const qs = yield* queries("/audit/records")
      assert.strictEqual(qs.length, 3)
      for (const q of qs) {
        assert.deepStrictEqual(q.getAll("actions[]"), ["create"])
        assert.deepStrictEqual(q.getAll("root_resource_types[]"), ["users", "teams"])
        assert.strictEqual(q.get("since"), since)
        assert.strictEqual(q.get("limit"), "100")
        assert.isFalse(q.has("offset"))
      }
      // each cursor is the next_cursor of the page before
      const bodies = Chunk.toReadonlyArray(pages).map((p) => p.body["next_cursor"])
      assert.deepStrictEqual(qs.map((q) => q.get("cursor")), [null, bodies[0], bodies[1]])
      assert.strictEqual(bodies[2], null)
      // the full listing, without filters, is every record the account has
      yield* s.reset
      const every = yield* pd.listAll("/audit/records", { pageSize: 100 })
      assert.strictEqual(every.length, 3 + 250 + 2 + 5 + 5)
    }).pipe(Effect.provide(sim({ users: 250 }))))

  it.effect("iterHistory on a cursor path passes since/until through to the cursor requests", () =>
    Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const s = yield* Simulator.Simulator
      const now = (yield* s.now).getTime()
      const records = yield* pd.listAll("/audit/records")
      const items = yield* Stream.runCollect(
        pd.iterHistory("/audit/records", { since: now - 5 * 3600_000, until: now, pageSize: 2 })
      )
      // seeded records are an hour apart, the newest an hour before the start
      assert.strictEqual(Chunk.size(items), 5)
      assert.deepStrictEqual(ids(items), ids(records).slice(0, 5))
      const qs = (yield* queries("/audit/records")).slice(1)
      assert.strictEqual(qs.length, 3)
      // the simulator starts at 2026-01-01T00:00:00Z on a fresh TestClock
      assert.strictEqual(now, Date.UTC(2026, 0, 1))
      assert.isTrue(qs.every((q) => q.get("since") === "2025-12-31T19:00:00Z" && q.get("until") === "2026-01-01T00:00:00Z"))
    }).pipe(Effect.provide(sim({}))))
})

describe("faults in the middle of a page stream", () => {
  it.effect("a 429 on the 3rd page request: retried after ratelimit-reset, nothing lost or duplicated", () =>
    Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const s = yield* Simulator.Simulator
      yield* s.addFault({ method: "GET", path: "/incidents", nth: [3], kind: Simulator.Fault.status429({ reset: 2 }) })
      const fiber = yield* Effect.fork(pd.listAll("/incidents", { pageSize: 100 }))
      yield* TestClock.adjust("1 second")
      assert.isNull(fiber.unsafePoll(), "still waiting for ratelimit-reset")
      yield* TestClock.adjust("1 second")
      const items = yield* Fiber.join(fiber)
      assert.deepStrictEqual(ids(items), yield* stateIds)
      assert.strictEqual(new Set(ids(items)).size, 450)
      const requests = yield* s.requests
      assert.deepStrictEqual(requests.map((r) => [new URL(r.url).searchParams.get("offset"), r.status]), [
        ["0", 200],
        ["100", 200],
        ["200", 429],
        ["200", 200],
        ["300", 200],
        ["400", 200]
      ])
      assert.strictEqual(yield* s.rateLimited429s, 1)
    }).pipe(Effect.provide(sim({ incidents: 450 }))))

  it.effect("a 503 (HTML body) on a GET page is retried with backoff; the listing is whole", () =>
    Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const s = yield* Simulator.Simulator
      yield* s.addFault({ method: "GET", path: "/incidents", nth: [2, 3], kind: Simulator.Fault.status5xx(503) })
      const fiber = yield* Effect.fork(pd.listAll("/incidents", { pageSize: 100 }))
      yield* TestClock.adjust("10 seconds")
      const items = yield* Fiber.join(fiber)
      assert.deepStrictEqual(ids(items), yield* stateIds)
      const requests = yield* s.requests
      assert.deepStrictEqual(requests.map((r) => [new URL(r.url).searchParams.get("offset"), r.status]), [
        ["0", 200],
        ["100", 503],
        ["100", 503],
        ["100", 200],
        ["200", 200]
      ])
    }).pipe(Effect.provide(sim({ incidents: 250 }))))

  for (const concurrency of [1, 4]) {
    it.effect(`an invalid-JSON 200 on every 3rd page request is retried (concurrency ${concurrency}): every item once, in order`, () =>
      Effect.gen(function*() {
        const pd = yield* RestApi.RestApiService
        const s = yield* Simulator.Simulator
        yield* s.addFault({ method: "GET", path: "/incidents", nth: 3, kind: Simulator.Fault.invalidJson() })
        const fiber = yield* Effect.fork(pd.listAll("/incidents", { pageSize: 100, concurrency }))
        for (let i = 0; i < 120 && fiber.unsafePoll() === null; i++) yield* TestClock.adjust("1 second")
        const items = yield* Fiber.join(fiber)
        assert.deepStrictEqual(ids(items), yield* stateIds)
        assert.strictEqual(new Set(ids(items)).size, 1_000)
        // 10 pages; every 3rd request is garbled, so 10 good answers take 14 requests (4 garbled)
        const requests = (yield* s.requests).filter((r) => r.path === "/incidents")
        assert.strictEqual(requests.length, 14)
      }).pipe(Effect.provide(sim({ incidents: 1_000 }))))
  }

  it.effect("a dropped connection mid-stream is retried as a network error; nothing lost or duplicated", () =>
    Effect.gen(function*() {
      const pd = yield* RestApi.RestApiService
      const s = yield* Simulator.Simulator
      yield* s.addFault({ method: "GET", path: "/incidents", nth: [2], kind: Simulator.Fault.drop() })
      const fiber = yield* Effect.fork(pd.listAll("/incidents", { pageSize: 100, concurrency: 3 }))
      yield* TestClock.adjust("10 seconds")
      const items = yield* Fiber.join(fiber)
      assert.deepStrictEqual(ids(items), yield* stateIds)
      assert.strictEqual((yield* s.requests).filter((r) => r.outcome === "dropped").length, 1)
    }).pipe(Effect.provide(sim({ incidents: 420 }))))
})
