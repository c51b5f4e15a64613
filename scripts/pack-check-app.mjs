// The program scripts/pack-check.mjs runs inside a fresh project made by following README.md's
// Install block literally (the packed tarballs in place of the unpublished @effect-pagerduty/*
// names). Any failure exits non-zero. Usage: node check.mjs <mode>
//
//   minimal  only the minimal install: the main entry loads without @effect/platform-node and
//            @effect/experimental; REST listing (two pages) and one Events v2 trigger through
//            FetchHttpClient (the global fetch) against a stub PagerDuty on 127.0.0.1.
//   node     the same through NodeHttpClient.layerUndici, and @effect-pagerduty/client/node loads.
//   full     every public module of every installed package (modules.json, from their `exports`
//            maps) loads; REST and Events against the installed testkit's simulator; and when
//            @effect/opentelemetry is installed, the README's NodeSdk layer exports our spans.
import * as fs from "node:fs"
import * as Http from "node:http"

const fail = (message) => {
  process.stderr.write(`pack-check-app: ${message}\n`)
  process.exit(1)
}
const mode = process.argv[2]
if (mode !== "minimal" && mode !== "node" && mode !== "full") fail(`unknown mode ${JSON.stringify(mode)} (minimal, node or full)`)

const { Effect, Layer, Redacted, Stream } = await import("effect")
const { EventsApi, RestApi } = await import("@effect-pagerduty/client")

/** Lists /incidents (250 on the simulator, 3 on the stub) and sends one trigger. */
const roundTrip = (baseUrl, routingKey, apiKey, httpLayer, extra = Layer.empty) => {
  const live = Layer.mergeAll(
    RestApi.layer({ apiKey: Redacted.make(apiKey), baseUrl }),
    EventsApi.layer({ routingKey: Redacted.make(routingKey), baseUrl })
  ).pipe(Layer.provide(httpLayer), Layer.provideMerge(extra))
  return Effect.gen(function*() {
    const pd = yield* RestApi.RestApiService
    const listed = yield* pd.iterAll("/incidents", { pageSize: 2 }).pipe(Stream.runCount)
    const sent = yield* (yield* EventsApi.EventsApiService).trigger({ summary: "pack check", source: "pack-check-app", dedupKey: "pack-check-1" })
    return { listed, dedupKey: sent.dedupKey }
  }).pipe(Effect.provide(live))
}

/** A stub PagerDuty: 3 incidents in pages of `limit`, and the Events v2 endpoint. */
const stub = () =>
  new Promise((resolve) => {
    const incidents = [1, 2, 3].map((n) => ({ id: `P${n}`, type: "incident", title: `incident ${n}` }))
    const server = Http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1")
      let body = ""
      req.on("data", (chunk) => (body += chunk))
      req.on("end", () => {
        res.setHeader("content-type", "application/json")
        if (req.method === "GET" && url.pathname === "/incidents" && req.headers.authorization === "Token token=stub-api-key") {
          const limit = Number(url.searchParams.get("limit") ?? 25)
          const offset = Number(url.searchParams.get("offset") ?? 0)
          const page = incidents.slice(offset, offset + limit)
          res.end(JSON.stringify({ incidents: page, limit, offset, more: offset + limit < incidents.length, total: null }))
        } else if (req.method === "POST" && url.pathname === "/v2/enqueue") {
          const event = JSON.parse(body)
          res.statusCode = event.routing_key === "stub-routing-key" ? 202 : 400
          res.end(JSON.stringify({ status: "success", message: "Event processed", dedup_key: event.dedup_key }))
        } else {
          res.statusCode = 404
          res.end(JSON.stringify({ error: { message: "Not Found", code: 2100 } }))
        }
      })
    })
    server.listen(0, "127.0.0.1", () => resolve(server))
  })

if (mode === "minimal" || mode === "node") {
  let httpLayer
  if (mode === "minimal") {
    httpLayer = (await import("@effect/platform/FetchHttpClient")).layer
  } else {
    httpLayer = (await import("@effect/platform-node/NodeHttpClient")).layerUndici
    const node = await import("@effect-pagerduty/client/node")
    if (typeof node.layerProxy !== "function") fail("@effect-pagerduty/client/node has no layerProxy")
  }
  const server = await stub()
  const { port } = server.address()
  const result = await Effect.runPromise(roundTrip(`http://127.0.0.1:${port}`, "stub-routing-key", "stub-api-key", httpLayer))
    .catch((error) => fail(`${mode}: round trip against the stub failed: ${String(error)}`))
  server.close()
  if (result.listed !== 3 || result.dedupKey !== "pack-check-1") fail(`${mode}: got ${JSON.stringify(result)}`)
  process.stdout.write(`${mode}: listed ${result.listed} incidents over 2 pages and sent one trigger with ${mode === "minimal" ? "FetchHttpClient" : "NodeHttpClient.layerUndici"}\n`)
  process.exit(0)
}

// full: every public module loads from the installed packages and exports something.
const modules = JSON.parse(fs.readFileSync(new URL("./modules.json", import.meta.url), "utf8"))
if (!Array.isArray(modules) || modules.length === 0) fail("modules.json lists no modules")
const failures = []
for (const specifier of modules) {
  try {
    const mod = await import(specifier)
    if (Object.keys(mod).length === 0) failures.push(`${specifier}: exports nothing`)
  } catch (error) {
    failures.push(`${specifier}: ${error instanceof Error ? error.message : String(error)}`)
  }
}
if (failures.length > 0) fail(`modules that do not load:\n  ${failures.join("\n  ")}`)
process.stdout.write(`imported ${modules.length} public modules\n`)

// Against the simulator of the installed testkit, with the README's OpenTelemetry layer when its
// packages are installed (spans collected in memory instead of printed).
const NodeHttpClient = await import("@effect/platform-node/NodeHttpClient")
const { Simulator } = await import("@effect-pagerduty/testkit")
let telemetry = Layer.empty
let spans = undefined
const hasOtel = await import("@effect/opentelemetry").then(() => true, () => false)
if (hasOtel) {
  const { NodeSdk } = await import("@effect/opentelemetry")
  const { PeriodicExportingMetricReader, ConsoleMetricExporter } = await import("@opentelemetry/sdk-metrics")
  const { SimpleSpanProcessor } = await import("@opentelemetry/sdk-trace-base")
  if (typeof PeriodicExportingMetricReader !== "function" || typeof ConsoleMetricExporter !== "function") fail("@opentelemetry/sdk-metrics lacks the README's exporter classes")
  // An exporter that keeps the span names (InMemorySpanExporter forgets them at shutdown).
  spans = []
  const exporter = {
    export: (batch, done) => {
      spans.push(...batch.map((s) => s.name))
      done({ code: 0 })
    },
    shutdown: () => Promise.resolve()
  }
  telemetry = NodeSdk.layer(() => ({ resource: { serviceName: "pack-check" }, spanProcessor: new SimpleSpanProcessor(exporter) }))
}

const program = Effect.scoped(Effect.gen(function*() {
  const served = yield* Simulator.serve({ incidents: 250 })
  const result = yield* roundTrip(served.url, Simulator.DEFAULT_ROUTING_KEY, Simulator.DEFAULT_API_KEY, NodeHttpClient.layerUndici, telemetry)
  const received = (yield* served.simulator.eventsByDedupKey)["pack-check-1"] ?? 0
  return { ...result, received }
}))
const result = await Effect.runPromise(program).catch((error) => fail(`simulator round trip failed: ${String(error)}`))
if (result.listed !== 250) fail(`listed ${result.listed} incidents, expected 250`)
if (result.dedupKey !== "pack-check-1" || result.received !== 1) fail(`the trigger came back as ${JSON.stringify(result)}`)
process.stdout.write(`listed ${result.listed} incidents and sent one trigger (${result.dedupKey}) against the simulator\n`)
if (spans !== undefined) {
  const names = new Set(spans)
  if (![...names].some((n) => n.startsWith("PagerDuty."))) fail(`no PagerDuty.* span reached the OpenTelemetry exporter (got ${[...names].join(", ")})`)
  process.stdout.write(`OpenTelemetry: spans exported through @effect/opentelemetry's NodeSdk: ${[...names].filter((n) => n.startsWith("PagerDuty.")).join(", ")}\n`)
}
