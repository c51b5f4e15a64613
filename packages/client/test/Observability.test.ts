import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Redacted, Stream, TestClock } from "effect"
import { Simulator } from "@effect-pagerduty/testkit"
import { ApiClient, Auth, Observability, RestApi } from "../src/index.js"
import * as Mock from "./utils/mock.js"
import { type Captured, everything, observe } from "./utils/observe.js"

const API_KEY = "obs-SECRET-key-123"

const client = (name: string) =>
  ApiClient.make({
    name,
    baseUrl: "https://api.pagerduty.com",
    auth: Auth.token(Redacted.make(API_KEY)),
    permittedMethods: ["GET", "POST"],
    headers: { Accept: "application/vnd.pagerduty+json;version=2" }
  })

// Every response takes 250 ms (on the TestClock); the first GET /users/P1ABCDE is rate limited once.
const slowMock = Mock.layer((r, n) =>
  Effect.as(
    Effect.sleep("250 millis"),
    r.url.includes("/users/P1ABCDE") && n === 3
      ? Mock.json({ error: { message: "Rate Limit Exceeded", code: 2020 } }, 429, { "ratelimit-reset": "1" })
      : Mock.json({ users: [], user: { id: "P1ABCDE" } })
  )
)

describe("Observability.callStatistics", () => {
  it.effect("counts calls and time per \"METHOD /canonical/path\", with statuses and retries (Python's api_call_counts / api_time)", () =>
    Effect.gen(function*() {
      const api = yield* client("obs-stats")
      const fiber = yield* Effect.fork(Effect.gen(function*() {
        yield* api.json({ url: "/users" })
        yield* api.json({ url: "/users", params: { offset: 25 } })
        yield* api.json({ url: "/users/P1ABCDE" })
      }))
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(fiber)
      const stats = yield* Observability.callStatisticsFor("obs-stats")
      assert.deepStrictEqual(stats.counts, { "GET /users": 2, "GET /users/{id}": 2 })
      assert.deepStrictEqual(stats.timeMs, { "GET /users": 500, "GET /users/{id}": 500 })
      assert.deepStrictEqual(stats.statuses, { "GET /users": { "200": 2 }, "GET /users/{id}": { "200": 1, "429": 1 } })
      assert.deepStrictEqual(stats.retries, { "GET /users/{id}": 1 })
      assert.strictEqual(stats.totalCount, 4)
      assert.strictEqual(stats.totalTimeMs, 1000)
      assert.strictEqual(stats.totalRetries, 1)
      // the unfiltered reading includes this API too
      const all = yield* Observability.callStatistics
      assert.isAtLeast(all.counts["GET /users/{id}"] ?? 0, 2)
      assert.isAtLeast(all.totalCount, stats.totalCount)
    }).pipe(Effect.provide(slowMock)))

  it.effect("measure reports only the calls made while the effect ran", () =>
    Effect.gen(function*() {
      const api = yield* client("obs-measure")
      yield* api.json({ url: "/incidents" })
      const [body, stats] = yield* Observability.measure(Effect.zipRight(api.json({ url: "/users" }), api.json({ url: "/users/PXYZ123" })))
      assert.deepStrictEqual(body, { users: [] })
      assert.deepStrictEqual(stats.counts, { "GET /users": 1, "GET /users/{id}": 1 })
      assert.strictEqual(stats.totalCount, 2)
      assert.deepStrictEqual(stats.retries, {})
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({ users: [] })))))

  it("difference drops unchanged keys and format renders a table, busiest first", () => {
    const before: Observability.CallStatistics = {
      counts: { "GET /users": 1 },
      timeMs: { "GET /users": 10 },
      statuses: { "GET /users": { "200": 1 } },
      retries: {},
      totalCount: 1,
      totalTimeMs: 10,
      totalRetries: 0
    }
    const after: Observability.CallStatistics = {
      counts: { "GET /users": 1, "GET /incidents": 3, "PUT /incidents/{id}": 1 },
      timeMs: { "GET /users": 10, "GET /incidents": 61.4, "PUT /incidents/{id}": 9 },
      statuses: { "GET /users": { "200": 1 }, "GET /incidents": { "200": 2, "429": 1 }, "PUT /incidents/{id}": { "200": 1 } },
      retries: { "GET /incidents": 1 },
      totalCount: 5,
      totalTimeMs: 80.4,
      totalRetries: 1
    }
    const delta = Observability.difference(after, before)
    assert.deepStrictEqual(delta.counts, { "GET /incidents": 3, "PUT /incidents/{id}": 1 })
    assert.deepStrictEqual(delta.statuses, { "GET /incidents": { "200": 2, "429": 1 }, "PUT /incidents/{id}": { "200": 1 } })
    assert.strictEqual(delta.totalCount, 4)
    assert.strictEqual(delta.totalRetries, 1)
    assert.strictEqual(
      Observability.format(delta),
      [
        "call                 count  time ms  retries  statuses",
        "GET /incidents           3       61        1  200×2 429×1",
        "PUT /incidents/{id}      1        9        0  200×1",
        "total                    4       70        1"
      ].join("\n")
    )
  })
})

describe("request and page spans", () => {
  it.effect("each request span carries method, url.template, status, request id and retry count, never a secret", () =>
    Effect.gen(function*() {
      const captured: Captured = { logs: [], spans: [] }
      const fiber = yield* Effect.fork(observe(
        Effect.gen(function*() {
          const api = yield* client("obs-span")
          yield* api.json({ url: "/users" })
          yield* api.json({ url: "/users" })
          yield* api.json({ url: "/users/P1ABCDE" })
        }),
        captured
      ))
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(fiber)
      const spans = captured.spans.filter((s) => s.name === "PagerDuty.obs-span")
      assert.strictEqual(spans.length, 3)
      const last = Object.fromEntries(spans[2]!.attributes)
      assert.deepStrictEqual(last, {
        [Observability.SpanAttributes.method]: "GET",
        [Observability.SpanAttributes.api]: "obs-span",
        [Observability.SpanAttributes.serverAddress]: "api.pagerduty.com",
        [Observability.SpanAttributes.template]: "/users/{id}",
        [Observability.SpanAttributes.status]: 200,
        [Observability.SpanAttributes.requestId]: "req-200",
        [Observability.SpanAttributes.retryCount]: 1
      })
      assert.strictEqual(spans[0]!.attributes.get(Observability.SpanAttributes.retryCount), 0)
      assert.notInclude(everything(captured), API_KEY)
    }).pipe(Effect.provide(slowMock)))

  it.effect("a paginated listing makes one PagerDuty.page span per page, each with its request span inside", () =>
    Effect.gen(function*() {
      const captured: Captured = { logs: [], spans: [] }
      const items = yield* observe(
        Effect.flatMap(
          RestApi.make({ apiKey: Redacted.make("sim-api-key") }),
          (pd) => Stream.runCollect(pd.iterAll("/incidents", { params: { limit: 10 } }))
        ),
        captured
      )
      assert.strictEqual(items.length, 25)
      const pages = captured.spans.filter((s) => s.name === "PagerDuty.page")
      const requests = captured.spans.filter((s) => s.name === "PagerDuty.rest")
      assert.strictEqual(pages.length, 3)
      assert.strictEqual(requests.length, 3)
      assert.deepStrictEqual(requests.map((s) => s.attributes.get("url.template")), ["/incidents", "/incidents", "/incidents"])
      assert.notInclude(everything(captured), "sim-api-key")
    }).pipe(Effect.provide(Simulator.layer({ incidents: 25 }))))
})
