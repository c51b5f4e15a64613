// The program scripts/pack-check.mjs runs inside a fresh project where the packed tarballs
// are installed from files and their peers from the npm registry (no workspace links).
// It imports every public module listed in modules.json (taken from the installed packages'
// own `exports` maps), then talks to the simulator of the installed testkit: a REST listing
// through RestApi and one Events v2 trigger through EventsApi. Any failure exits non-zero.
import * as fs from "node:fs"

const fail = (message) => {
  process.stderr.write(`pack-check-app: ${message}\n`)
  process.exit(1)
}

const modules = JSON.parse(fs.readFileSync(new URL("./modules.json", import.meta.url), "utf8"))
if (!Array.isArray(modules) || modules.length === 0) fail("modules.json lists no modules")

// Every public module loads from the installed package and exports something.
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

// Against the simulator, through the installed packages only.
const { Effect, Layer, Redacted, Stream } = await import("effect")
const NodeHttpClient = await import("@effect/platform-node/NodeHttpClient")
const { EventsApi, RestApi } = await import("@effect-pagerduty/client")
const { Simulator } = await import("@effect-pagerduty/testkit")

const program = Effect.scoped(Effect.gen(function*() {
  const served = yield* Simulator.serve({ incidents: 250 })
  const rest = RestApi.layer({ apiKey: Redacted.make(Simulator.DEFAULT_API_KEY), baseUrl: served.url })
  const events = EventsApi.layer({ routingKey: Redacted.make(Simulator.DEFAULT_ROUTING_KEY), baseUrl: served.url })
  const live = Layer.mergeAll(rest, events).pipe(Layer.provide(NodeHttpClient.layerUndici))
  return yield* Effect.gen(function*() {
    const pd = yield* RestApi.RestApiService
    const listed = yield* pd.iterAll("/incidents", { pageSize: 100 }).pipe(Stream.runCount)
    const sent = yield* (yield* EventsApi.EventsApiService).trigger({ summary: "pack check", source: "pack-check-app", dedupKey: "pack-check-1" })
    const received = (yield* served.simulator.eventsByDedupKey)["pack-check-1"] ?? 0
    return { listed, dedupKey: sent.dedupKey, received }
  }).pipe(Effect.provide(live))
}))

const result = await Effect.runPromise(program).catch((error) => fail(`simulator round trip failed: ${String(error)}`))
if (result.listed !== 250) fail(`listed ${result.listed} incidents, expected 250`)
if (result.dedupKey !== "pack-check-1" || result.received !== 1) fail(`the trigger came back as ${JSON.stringify(result)}`)
process.stdout.write(`listed ${result.listed} incidents and sent one trigger (${result.dedupKey}) against the simulator\n`)
