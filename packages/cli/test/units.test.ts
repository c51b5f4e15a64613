import { ValidationError } from "@effect/cli"
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { HelpDoc } from "@effect/cli"
import { EventsApi, Pagination, PagerDutyError, RestApi, Schedules } from "@effect-pagerduty/client"
import { assert, describe, it } from "@effect/vitest"
import { Cause, ConfigError, Effect, Exit, FiberId, Redacted, Stream } from "effect"
import { Cli, ErrorReport, Output, Progress } from "../src/index.js"

const collect = <E>(f: (sink: Output.Sink) => Effect.Effect<unknown, E>) =>
  Effect.gen(function*() {
    const chunks: Array<string> = []
    yield* f((text) => Effect.sync(() => void chunks.push(text)))
    return chunks.join("")
  })

describe("Output", () => {
  const items = [
    { id: "Q1", status: "triggered", service: { id: "PV1", summary: "Checkout API" }, title: "Disk   full\non db-1" },
    { id: "Q2", status: "resolved", service: { id: "PV2", summary: "Web" }, title: "x".repeat(80) }
  ]

  it.effect("json streams exactly JSON.stringify(items, null, 2)", () =>
    Effect.gen(function*() {
      const out = yield* collect((sink) => Output.writeStream(Stream.fromIterable(items), "json", sink))
      assert.strictEqual(out, `${JSON.stringify(items, null, 2)}\n`)
      assert.deepStrictEqual(JSON.parse(out), items)
      const empty = yield* collect((sink) => Output.writeStream(Stream.empty, "json", sink))
      assert.strictEqual(empty, "[]\n")
    }))

  it.effect("ndjson writes one compact value per line and counts items", () =>
    Effect.gen(function*() {
      const chunks: Array<string> = []
      const n = yield* Output.writeStream(Stream.fromIterable(items), "ndjson", (t) => Effect.sync(() => void chunks.push(t)))
      assert.strictEqual(n, 2)
      assert.deepStrictEqual(chunks.join("").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l)), items)
      assert.isTrue(chunks.every((c) => c.endsWith("\n") && !c.slice(0, -1).includes("\n")))
    }))

  it.effect("table aligns columns, shows references by summary, flattens and truncates cells", () =>
    Effect.gen(function*() {
      const columns = [Output.column("ID", "id"), Output.column("SERVICE", "service"), Output.column("TITLE", "title")]
      const out = yield* collect((sink) => Output.writeStream(Stream.fromIterable(items), "table", sink, columns))
      const lines = out.split("\n")
      assert.strictEqual(lines[0], "ID  SERVICE       TITLE")
      assert.strictEqual(lines[1], "Q1  Checkout API  Disk full on db-1")
      assert.strictEqual(lines[2], `Q2  Web           ${"x".repeat(59)}…`)
      assert.strictEqual(lines[3], "")
    }))

  it("infers columns from keys in order of appearance, skipping self and html_url", () => {
    const cols = Output.inferColumns([{ id: "P1", self: "https://x", name: "Ada" }, { id: "P2", email: "e" }])
    assert.deepStrictEqual(cols.map((c) => c.header), ["ID", "NAME", "EMAIL"])
    assert.deepStrictEqual(Output.inferColumns([1, 2]).map((c) => c.header), ["VALUE"])
    assert.strictEqual(Output.table([]), "")
  })

  it("cells: null is empty, arrays joined, references by summary then id, other objects as JSON", () => {
    assert.strictEqual(Output.cell(null), "")
    assert.strictEqual(Output.cell([{ summary: "A" }, { id: "P2" }]), "A, P2")
    assert.strictEqual(Output.cell({ a: 1 }), "{\"a\":1}")
    assert.strictEqual(Output.cell(false), "false")
  })

  it("formatValue: listings by their items, single entities unwrapped as KEY/VALUE", () => {
    const listing = { users: [{ id: "P1" }, { id: "P2" }], more: false, limit: 25 }
    assert.strictEqual(Output.formatValue(listing, "ndjson"), "{\"id\":\"P1\"}\n{\"id\":\"P2\"}\n")
    assert.strictEqual(Output.formatValue(listing, "table"), "ID\nP1\nP2\n")
    assert.strictEqual(Output.formatValue(listing, "json"), `${JSON.stringify(listing, null, 2)}\n`)
    assert.strictEqual(
      Output.formatValue({ user: { id: "P1", self: "https://x", name: "Ada" } }, "table"),
      "KEY   VALUE\nid    P1\nname  Ada\n"
    )
    assert.strictEqual(Output.formatValue({ user: { id: "P1" } }, "ndjson"), "{\"user\":{\"id\":\"P1\"}}\n")
  })
})

describe("ErrorReport", () => {
  const url = "https://api.pagerduty.com/users"
  const cases: ReadonlyArray<readonly [unknown, number]> = [
    [new PagerDutyError.UrlError({ url, reason: "ForeignOrigin" }), 3],
    [new PagerDutyError.HttpError({ status: 404, method: "GET", url }), 4],
    [new PagerDutyError.HttpError({ status: 401, method: "GET", url }), 4],
    [new PagerDutyError.ServerHttpError({ status: 503, method: "GET", url }), 5],
    [new PagerDutyError.TransportError({ method: "GET", url, reason: "Timeout", maySent: true }), 6],
    [new ErrorReport.MissingConfiguration({ setting: "API key", flag: "--api-key", env: "PAGERDUTY_API_KEY" }), 8],
    [ConfigError.InvalidData(["PAGERDUTY_REGION"], "Expected us or eu"), 8],
    [new Pagination.PaginationLimitError({ path: "/incidents", offset: 10_000, cap: 10_000 }), 9],
    [new ErrorReport.ListingLimitError({ path: "/incidents", cap: 10_000, hint: "add --since and --until" }), 9],
    [new Pagination.HistoryWindowError({ since: "b", until: "a", detail: "since must be before until" }), 10],
    [new RestApi.InvalidArgumentError({ method: "persist", detail: "no key" }), 11],
    [new EventsApi.InvalidEvent({ field: "payload.summary", reason: "must not be blank", issues: [] }), 7],
    [new EventsApi.MissingRoutingKey(), 8],
    [new Schedules.ScheduleQueryError({ method: "renderedEntries", reason: "InvalidRange", detail: "until must be after since" }), 10],
    [new ErrorReport.UsageError({ message: "bad --param" }), 2],
    [ValidationError.missingValue(HelpDoc.p("Expected to find option: '--description'")), 2]
  ]

  it("maps every tag to its own code and a one-line message without stack", () => {
    for (const [error, code] of cases) {
      const report = ErrorReport.describe(error)
      assert.strictEqual(report.code, code, String((error as { _tag?: string })._tag))
      assert.isFalse(report.message.includes("    at "), report.message)
    }
    // the request errors, the listing errors and the usage/configuration groups never share a code
    assert.deepStrictEqual([...new Set(cases.map(([, c]) => c))].sort((a, b) => a - b), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
  })

  it("a 401 says the key may be wrong or the region; events URLs name the routing key", () => {
    const rest = ErrorReport.describe(new PagerDutyError.HttpError({ status: 401, method: "GET", url }))
    assert.match(rest.message, /^Error: GET https:\/\/api\.pagerduty\.com\/users: 401 Unauthorized \(the API key was refused.*region/)
    const events = ErrorReport.describe(
      new PagerDutyError.HttpError({ status: 401, method: "POST", url: "https://events.pagerduty.com/v2/enqueue" })
    )
    assert.include(events.message, "routing key was refused")
  })

  it("scrubs secrets from messages, interrupts exit 130, defects exit 1 without a stack unless debugging", () => {
    const secret = Redacted.make("u+S3CR3T")
    assert.strictEqual(ErrorReport.scrub("a u+S3CR3T b u+S3CR3T", [secret]), "a <redacted> b <redacted>")
    // the library's rules: percent-encoded too, a short wrong key leaves ordinary words alone
    assert.strictEqual(ErrorReport.scrub("token=u%2BS3CR3T", [secret]), "token=<redacted>")
    assert.strictEqual(ErrorReport.scrub("the key may be wrong", [Redacted.make("wrong")]), "the key may be wrong")
    const failed = ErrorReport.fromCause(Cause.fail(new ErrorReport.UsageError({ message: "bad value u+S3CR3T" })), [secret])
    assert.strictEqual(failed.code, 2)
    assert.notInclude(failed.message, "S3CR3T")
    assert.deepStrictEqual(ErrorReport.fromCause(Cause.interrupt(FiberId.none), []), { code: 130, message: "" })
    const defect = ErrorReport.fromCause(Cause.die(new Error("boom")), [])
    assert.strictEqual(defect.code, 1)
    assert.match(defect.message, /^Internal error: boom\n/)
    assert.notInclude(defect.message, "    at ")
    assert.include(ErrorReport.fromCause(Cause.die(new Error("boom")), [], true).message, "    at ")
  })
})

describe("Progress", () => {
  it.effect("draws nothing when disabled (stderr is not a terminal)", () =>
    Effect.gen(function*() {
      const written: Array<string> = []
      yield* Effect.scoped(Effect.gen(function*() {
        const p = yield* Progress.make({ label: "incidents", enabled: false, write: (t) => void written.push(t) })
        yield* p.page
        yield* p.items(100)
        yield* p.rateLimited
        assert.deepStrictEqual(yield* p.snapshot, { items: 100, pages: 1, rateLimitWaits: 1 })
      }))
      assert.deepStrictEqual(written, [])
    }))

  it.effect("redraws in place at most once per interval, always on a rate-limit wait, and erases at the end", () =>
    Effect.gen(function*() {
      const written: Array<string> = []
      let now = 0
      yield* Effect.scoped(Effect.gen(function*() {
        const p = yield* Progress.make({ label: "incidents", enabled: true, write: (t) => void written.push(t), now: () => now })
        yield* p.page // drawn (first)
        yield* p.items(100) // same instant: skipped
        now = 150
        yield* p.items(100) // drawn
        yield* p.rateLimited // forced
      }))
      assert.deepStrictEqual(written, [
        "\r\u001b[2Kincidents: 0 items, 1 page",
        "\r\u001b[2Kincidents: 200 items, 1 page",
        "\r\u001b[2Kincidents: 200 items, 1 page, 1 rate-limit wait",
        "\r\u001b[2K"
      ])
    }))

  it.effect("after being erased for output the line is drawn again at once; clearing erases only for a shared terminal", () =>
    Effect.gen(function*() {
      const written: Array<string> = []
      yield* Effect.scoped(Effect.gen(function*() {
        const p = yield* Progress.make({ label: "users", enabled: true, write: (t) => void written.push(t), now: () => 0 })
        const out = (text: string) => Effect.sync(() => void written.push(`OUT:${text}`))
        yield* p.page
        yield* Progress.clearing(p, out, true)("a\n")
        yield* p.items(1) // same instant, but the line was erased: drawn again
        yield* Progress.clearing(p, out, false)("b\n") // stdout elsewhere: the line stays
        yield* p.items(1) // same instant and still on screen: throttled
      }))
      assert.deepStrictEqual(written, [
        "\r\u001b[2Kusers: 0 items, 1 page",
        "\r\u001b[2K",
        "OUT:a\n",
        "\r\u001b[2Kusers: 1 item, 1 page",
        "OUT:b\n",
        "\r\u001b[2K"
      ])
    }))

  it.effect("writeStream runs onItem after each item is written", () =>
    Effect.gen(function*() {
      const log: Array<string> = []
      yield* Output.writeStream(Stream.make(1, 2), "ndjson", (t) => Effect.sync(() => void log.push(t.trim())), undefined, Effect.sync(() => void log.push("+")))
      assert.deepStrictEqual(log, ["1", "+", "2", "+"])
    }))

  it.effect("countRateLimits counts each 429 answer the client receives", () =>
    Effect.scoped(Effect.gen(function*() {
      const statuses = [429, 429, 200]
      const base = HttpClient.make((request) =>
        Effect.succeed(HttpClientResponse.fromWeb(request, new Response("{}", { status: statuses.shift() ?? 200 })))
      )
      const p = yield* Progress.make({ label: "x", enabled: false, write: () => undefined })
      const client = Progress.countRateLimits(p)(base)
      for (let i = 0; i < 3; i++) yield* client.get("http://127.0.0.1/users")
      assert.strictEqual((yield* p.snapshot).rateLimitWaits, 2)
    })))

  it("renders counters with plurals", () => {
    assert.strictEqual(Progress.render("users", { items: 1, pages: 2, rateLimitWaits: 3 }), "users: 1 item, 2 pages, 3 rate-limit waits")
  })
})

describe("Cli helpers", () => {
  it.effect("parseParams groups repeated keys and [] keys into lists, rejects pairs without =", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* Cli.parseParams(["a=1", "b[]=x", "a=2", "q=k=v"]), { a: ["1", "2"], "b[]": ["x"], q: "k=v" })
      const bad = yield* Effect.exit(Cli.parseParams(["limit"]))
      assert.isTrue(Exit.isFailure(bad))
    }))

  it("secretsOf finds keys in flags (both spellings) and the environment", () => {
    const secrets = Cli.secretsOf(["node", "pd", "-k", "RK1", "--api-key=AK2", "--routing-key", "RK3"], { PAGERDUTY_API_KEY: "AK4" })
    assert.deepStrictEqual(secrets.map((s) => Redacted.value(s)), ["RK1", "AK2", "RK3", "AK4"])
  })
})
