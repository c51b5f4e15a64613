import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Exit, Fiber, Redacted, Stream, TestClock } from "effect"
import { ApiClient, Auth, Pagination, PagerDutyError, RetryPolicy } from "../src/index.js"
import * as Fake from "./RestApiFake.js"
import * as Mock from "./utils/mock.js"
import { type Captured, observe } from "./utils/observe.js"

const client = ApiClient.make({
  name: "rest",
  baseUrl: "https://api.pagerduty.com",
  auth: Auth.token(Redacted.make("u+PAGINATIONKEY")),
  permittedMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
  retry: RetryPolicy.make({ backoff: RetryPolicy.exponentialBackoff({ jitter: false }) })
})

const withUsers = (n: number, extra: Partial<Fake.Collection> = {}, options: Partial<Fake.FakeOptions> = {}) =>
  Fake.layer({ collections: { "/users": { wrapper: "users", items: Fake.makeItems(n), ...extra } }, ...options })

const ids = (items: ReadonlyArray<unknown>) => items.map((i) => (i as { id: string }).id)

const listUsers = (options: Partial<Pagination.ClassicOptions> = {}) =>
  Effect.flatMap(client, (api) => Stream.runCollect(Pagination.classic(api, "/users", { wrapper: "users", ...options }))).pipe(
    Effect.map(Chunk.toReadonlyArray)
  )

describe("classic pagination", () => {
  for (const [n, requests] of [[0, 1], [1, 1], [100, 1], [101, 2], [250, 3]] as const) {
    it.effect(`lists ${n} items in ${requests} request(s), in order`, () =>
      Effect.gen(function*() {
        const items = yield* listUsers({ pageSize: 100 })
        assert.deepStrictEqual(ids(items), ids(Fake.makeItems(n)))
        const qs = yield* Fake.queries("/users")
        assert.strictEqual(qs.length, requests)
        assert.deepStrictEqual(qs.map((q) => q["offset"]), Array.from({ length: requests }, (_, i) => String(i * 100)))
        // total=false is not sent by default (Python always sends it)
        assert.isTrue(qs.every((q) => q["total"] === undefined && q["limit"] === "100"))
      }).pipe(Effect.provide(withUsers(n))))
  }

  it.effect("advances by the real page length and keeps the requested limit", () =>
    Effect.gen(function*() {
      const items = yield* listUsers({ pageSize: 100 })
      assert.deepStrictEqual(ids(items), ids(Fake.makeItems(130)))
      const qs = yield* Fake.queries("/users")
      assert.deepStrictEqual(qs.map((q) => q["offset"]), ["0", "25", "50", "75", "100", "125"])
      assert.isTrue(qs.every((q) => q["limit"] === "100"))
    }).pipe(Effect.provide(withUsers(130, { maxLimit: 25 }))))

  it.effect("handles null limit/offset in responses (pdpyras#61)", () =>
    Effect.gen(function*() {
      const items = yield* listUsers({ pageSize: 10 })
      assert.strictEqual(items.length, 35)
    }).pipe(Effect.provide(withUsers(35, { nullLimitOffset: true }))))

  it.effect("keeps user params (and an initial offset), never sending them twice", () =>
    Effect.gen(function*() {
      const items = yield* listUsers({ pageSize: 10, params: { "team_ids[]": ["T1", "T2"], query: "x", offset: 20, limit: 5 } })
      assert.deepStrictEqual(ids(items), ids(Fake.makeItems(45).slice(20)))
      const qs = yield* Fake.queries("/users")
      assert.deepStrictEqual(qs[0], { "team_ids[]": "T1,T2", query: "x", limit: "10", offset: "20" })
      assert.deepStrictEqual(qs.map((q) => q["offset"]), ["20", "30", "40"])
    }).pipe(Effect.provide(withUsers(45))))

  it.effect("an empty page claiming more ends the stream instead of looping", () =>
    Effect.gen(function*() {
      const items = yield* listUsers()
      assert.strictEqual(items.length, 0)
      assert.strictEqual((yield* Mock.recorded).length, 1)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({ users: [], more: true, limit: 100, offset: 0 })))))

  it.effect("a page without `more` is the only page", () =>
    Effect.gen(function*() {
      const items = yield* listUsers()
      assert.deepStrictEqual(items, [{ id: "P1" }])
      assert.strictEqual((yield* Mock.recorded).length, 1)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({ users: [{ id: "P1" }] })))))

  it.effect("a page without the wrapper key, or with a non-array, is a ServerHttpError", () =>
    Effect.gen(function*() {
      const missing = yield* Effect.flip(listUsers().pipe(Effect.provide(Mock.layer(() => Mock.json({ people: [] })))))
      assert.instanceOf(missing, PagerDutyError.ServerHttpError)
      assert.strictEqual((missing as PagerDutyError.ServerHttpError).reason, "MissingWrapper")
      const notArray = yield* Effect.flip(listUsers().pipe(Effect.provide(Mock.layer(() => Mock.json({ users: {} })))))
      assert.strictEqual((notArray as PagerDutyError.ServerHttpError).reason, "UnexpectedBody")
    }))

  it.effect("10 000+ items: fails with PaginationLimitError after 10 000 items, naming iterHistory", () =>
    Effect.gen(function*() {
      const api = yield* client
      let seen = 0
      const exit = yield* Pagination.classic(api, "/users", { wrapper: "users" }).pipe(
        Stream.runForEach(() => Effect.sync(() => seen++)),
        Effect.exit
      )
      assert.strictEqual(seen, 10_000)
      assert.isTrue(Exit.isFailure(exit))
      const error = yield* Effect.flip(Stream.runDrain(Pagination.classic(api, "/users", { wrapper: "users" })))
      assert.strictEqual(error._tag, "PaginationLimitError")
      if (error._tag === "PaginationLimitError") {
        assert.strictEqual(error.offset, 10_000)
        assert.include(error.message, "iterHistory")
      }
      // no request ever passed the cap
      const qs = yield* Fake.queries("/users")
      assert.isTrue(qs.every((q) => Number(q["offset"]) + Number(q["limit"]) <= 10_000))
    }).pipe(Effect.provide(withUsers(10_050))))

  it.effect("10 000+ items with onLimit: \"stop\" ends at the cap with a warning; odd page sizes reach 10 000 exactly", () =>
    Effect.gen(function*() {
      const captured: Captured = { logs: [], spans: [] }
      const items = yield* observe(listUsers({ onLimit: "stop", pageSize: 30 }), captured)
      assert.strictEqual(items.length, 10_000)
      assert.isTrue(captured.logs.some((l) => l.includes("onLimit") && l.includes("iterHistory")))
      const qs = yield* Fake.queries("/users")
      const last = qs[qs.length - 1]!
      assert.deepStrictEqual([last["offset"], last["limit"]], ["9990", "10"])
    }).pipe(Effect.provide(withUsers(10_050))))

  it.effect("exactly 10 000 items end normally", () =>
    Effect.gen(function*() {
      assert.strictEqual((yield* listUsers()).length, 10_000)
    }).pipe(Effect.provide(withUsers(10_000))))

  it.effect("Stream.take requests only the pages it needs", () =>
    Effect.gen(function*() {
      const api = yield* client
      const taken = yield* Pagination.classic(api, "/users", { wrapper: "users", pageSize: 100 }).pipe(Stream.take(150), Stream.runCollect)
      assert.strictEqual(Chunk.size(taken), 150)
      assert.strictEqual((yield* Fake.queries("/users")).length, 2)
    }).pipe(Effect.provide(withUsers(1000))))

  it.effect("each page is a PagerDuty.page span with path, offset and page", () =>
    Effect.gen(function*() {
      const captured: Captured = { logs: [], spans: [] }
      yield* observe(listUsers({ pageSize: 10 }), captured)
      const pages = captured.spans.filter((s) => s.name === "PagerDuty.page")
      assert.strictEqual(pages.length, 3)
      assert.deepStrictEqual(pages.map((p) => [p.attributes.get("path"), p.attributes.get("offset"), p.attributes.get("page")]), [
        ["/users", 0, 0],
        ["/users", 10, 1],
        ["/users", 20, 2]
      ])
    }).pipe(Effect.provide(withUsers(25))))
})

describe("concurrent classic pagination", () => {
  for (const [n, maxLimit] of [[0, undefined], [1, undefined], [100, undefined], [101, undefined], [1234, undefined], [1234, 30]] as const) {
    it.effect(`${n} items${maxLimit === undefined ? "" : ` (short pages of ${maxLimit})`}: same items in the same order as sequential`, () =>
      Effect.gen(function*() {
        const sequential = yield* listUsers({ pageSize: 100 })
        const concurrent = yield* listUsers({ pageSize: 100, concurrency: 4 })
        assert.deepStrictEqual(ids(concurrent), ids(sequential))
        assert.strictEqual(concurrent.length, n)
      }).pipe(Effect.provide(withUsers(n, maxLimit === undefined ? {} : { maxLimit }))))
  }

  it.effect("asks for total once, then fetches the remaining offsets", () =>
    Effect.gen(function*() {
      yield* listUsers({ pageSize: 100, concurrency: 3 })
      const qs = yield* Fake.queries("/users")
      assert.strictEqual(qs[0]?.["total"], "true")
      assert.deepStrictEqual(qs.map((q) => Number(q["offset"])).sort((a, b) => a - b), [0, 100, 200, 300, 400])
      assert.isTrue(qs.slice(1).every((q) => q["total"] === undefined))
    }).pipe(Effect.provide(withUsers(450))))

  it.effect("past the cap: every reachable item, then PaginationLimitError (or stop)", () =>
    Effect.gen(function*() {
      let seen = 0
      const api = yield* client
      const error = yield* Pagination.classic(api, "/users", { wrapper: "users", concurrency: 8 }).pipe(
        Stream.runForEach(() => Effect.sync(() => seen++)),
        Effect.flip
      )
      assert.strictEqual(error._tag, "PaginationLimitError")
      assert.strictEqual(seen, 10_000)
      assert.strictEqual((yield* listUsers({ concurrency: 8, onLimit: "stop" })).length, 10_000)
    }).pipe(Effect.provide(withUsers(10_200))))
})

describe("cursor pagination", () => {
  const audit = (n: number) =>
    Fake.layer({ collections: { "/audit/records": { wrapper: "records", kind: "cursor", items: Fake.makeItems(n) } } })

  it.effect("follows next_cursor and keeps every user parameter on every request", () =>
    Effect.gen(function*() {
      const api = yield* client
      const items = yield* Stream.runCollect(
        Pagination.cursor(api, "/audit/records", {
          wrapper: "records",
          pageSize: 10,
          params: { "actions[]": ["create", "update"], since: "2025-01-01T00:00:00Z", root_resource_types: "users" }
        })
      )
      assert.deepStrictEqual(ids(Chunk.toReadonlyArray(items)), ids(Fake.makeItems(25)))
      const qs = yield* Fake.queries("/audit/records")
      assert.strictEqual(qs.length, 3)
      for (const q of qs) {
        assert.strictEqual(q["actions[]"], "create,update")
        assert.strictEqual(q["since"], "2025-01-01T00:00:00Z")
        assert.strictEqual(q["root_resource_types"], "users")
        assert.strictEqual(q["limit"], "10")
      }
      assert.deepStrictEqual(qs.map((q) => q["cursor"]), [undefined, "10", "20"])
    }).pipe(Effect.provide(audit(25))))

  it.effect("pages: cursor and page number per page; a repeated cursor ends the listing", () =>
    Effect.gen(function*() {
      const api = yield* client
      const pages = yield* Stream.runCollect(Pagination.cursorPages(api, "/audit/records", { wrapper: "records" }))
      assert.deepStrictEqual(Chunk.toReadonlyArray(pages).map((p) => [p.page, p.cursor]), [[0, undefined], [1, "c1"]])
    }).pipe(
      Effect.provide(Mock.layer((r) => Mock.json({ records: [{ id: r.url }], next_cursor: "c1" })))
    ))

  it.effect("custom cursor names (after)", () =>
    Effect.gen(function*() {
      const api = yield* client
      const items = yield* Stream.runCollect(
        Pagination.cursor(api, "/alert_grouping_settings", { wrapper: "s", cursorParam: "after", nextCursorField: "after" })
      )
      assert.strictEqual(Chunk.size(items), 3)
      const urls = (yield* Mock.recorded).map((r) => new URL(r.url).searchParams.get("after"))
      assert.deepStrictEqual(urls, [null, "A1", "A2"])
    }).pipe(
      Effect.provide(Mock.layer((_r, n) => Mock.json({ s: [{ n }], after: n < 3 ? `A${n}` : null })))
    ))
})

describe("a 429 in the middle of a page stream", () => {
  it.effect("is retried after ratelimit-reset: nothing lost, nothing duplicated", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(listUsers({ pageSize: 100 }))
      yield* TestClock.adjust("3 seconds")
      const items = yield* Fiber.join(fiber)
      assert.deepStrictEqual(ids(items), ids(Fake.makeItems(450)))
      const qs = yield* Fake.queries("/users")
      assert.deepStrictEqual(qs.map((q) => q["offset"]), ["0", "100", "200", "200", "300", "400"])
    }).pipe(
      Effect.provide(
        withUsers(450, {}, {
          fault: (_r, n) =>
            n === 3 ? Mock.json({ error: { code: 2020, message: "Rate Limit Exceeded" } }, 429, { "ratelimit-reset": "2" }) : undefined
        })
      )
    ))
})

describe("getTotal", () => {
  it.effect("sends total=true&limit=1&offset=0 with the caller's params", () =>
    Effect.gen(function*() {
      const api = yield* client
      assert.strictEqual(yield* Pagination.getTotal(api, "/users", { params: { query: "a", limit: 50 } }), 77)
      assert.deepStrictEqual(yield* Fake.queries("/users"), [{ query: "a", total: "true", limit: "1", offset: "0" }])
    }).pipe(Effect.provide(withUsers(77))))

  it.effect("a body without a numeric total is a ServerHttpError", () =>
    Effect.gen(function*() {
      const api = yield* client
      const error = yield* Effect.flip(Pagination.getTotal(api, "/users"))
      assert.strictEqual(error._tag, "ServerHttpError")
      if (error._tag === "ServerHttpError") assert.strictEqual(error.reason, "UnexpectedBody")
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({ users: [], total: null })))))
})

describe("history pagination", () => {
  const start = Date.UTC(2025, 0, 1)
  const N = 12_345
  const entries = Fake.makeItems(N, "L", start, 1000)
  const history = Fake.layer({ collections: { "/log_entries": { wrapper: "log_entries", items: entries, timeField: "created_at" } } })

  it.effect("bisects a window with more than 10 000 records and returns each exactly once, in order", () =>
    Effect.gen(function*() {
      const api = yield* client
      const params = Object.freeze({ is_overview: true })
      const items = yield* Stream.runCollect(
        Pagination.history(api, "/log_entries", {
          wrapper: "log_entries",
          since: new Date(start),
          until: new Date(start + N * 1000),
          params
        })
      )
      assert.deepStrictEqual(ids(Chunk.toReadonlyArray(items)), ids(entries))
      assert.deepStrictEqual(params, { is_overview: true })
      const qs = yield* Fake.queries("/log_entries")
      assert.isTrue(qs.every((q) => q["is_overview"] === "true"))
      // the top window was too big, so it was split
      assert.strictEqual(qs[0]?.["total"], "true")
      assert.isTrue(qs.some((q) => q["total"] === "true" && q["since"] !== "2025-01-01T00:00:00Z"))
    }).pipe(Effect.provide(history)))

  it.effect("a small window is listed with one total request then classic pages", () =>
    Effect.gen(function*() {
      const api = yield* client
      const items = yield* Stream.runCollect(
        Pagination.history(api, "/log_entries", { wrapper: "log_entries", since: start, until: "2025-01-01T00:02:30Z" })
      )
      assert.strictEqual(Chunk.size(items), 150)
      const qs = yield* Fake.queries("/log_entries")
      assert.deepStrictEqual(qs.map((q) => q["total"] ?? "-"), ["true", "-", "-"])
      assert.deepStrictEqual(qs[1]?.["until"], "2025-01-01T00:02:30Z")
    }).pipe(Effect.provide(history)))

  it.effect("a one-second window over the cap fails with PaginationLimitError carrying the window (or stops)", () =>
    Effect.gen(function*() {
      const api = yield* client
      const opts = { wrapper: "log_entries", since: start, until: start + 1000, cap: 50, pageSize: 10 } as const
      const error = yield* Effect.flip(Stream.runDrain(Pagination.history(api, "/log_entries", opts)))
      assert.strictEqual(error._tag, "PaginationLimitError")
      if (error._tag === "PaginationLimitError") assert.deepStrictEqual(error.window?.since, "2025-01-01T00:00:00Z")
      const stopped = yield* Stream.runCount(Pagination.history(api, "/log_entries", { ...opts, onLimit: "stop" }))
      assert.strictEqual(stopped, 50)
    }).pipe(
      Effect.provide(
        Fake.layer({
          cap: 50,
          collections: { "/log_entries": { wrapper: "log_entries", items: Fake.makeItems(80, "S", start, 1), timeField: "created_at" } }
        })
      )
    ))

  it.effect("bad windows are HistoryWindowError and send nothing", () =>
    Effect.gen(function*() {
      const api = yield* client
      for (const [since, until] of [["2025-02-01", "2025-01-01"], ["nonsense", "2025-01-01"], [start, start]] as const) {
        const error = yield* Effect.flip(Stream.runDrain(Pagination.history(api, "/log_entries", { wrapper: "log_entries", since, until })))
        assert.strictEqual(error._tag, "HistoryWindowError")
      }
      assert.strictEqual((yield* Mock.recorded).length, 0)
    }).pipe(Effect.provide(history)))

  it.effect("cursor paths are listed by cursor with since/until", () =>
    Effect.gen(function*() {
      const api = yield* client
      const n = yield* Stream.runCount(
        Pagination.history(api, "/audit/records", { wrapper: "records", cursor: true, since: start, until: start + 30_000, pageSize: 10 })
      )
      assert.strictEqual(n, 30)
      const qs = yield* Fake.queries("/audit/records")
      assert.isTrue(qs.every((q) => q["since"] === "2025-01-01T00:00:00Z" && q["until"] === "2025-01-01T00:00:30Z"))
    }).pipe(
      Effect.provide(
        Fake.layer({
          collections: { "/audit/records": { wrapper: "records", kind: "cursor", items: Fake.makeItems(100, "A", start), timeField: "created_at" } }
        })
      )
    ))
})

