/**
 * Decoding cost of the typed API (`pnpm bench --decode`, or `node bench/dist/src/decode.js`):
 * 10 000 incidents streamed from the simulator (in its own process, `server.ts`) three ways in
 * the same run, interleaved (the order rotating every repetition), after a warm-up of each:
 *
 * - `iterAll`: `RestApi.iterAll("/incidents")` without a schema (the baseline, no decoding);
 * - `typed`: `PagerDuty.listIncidents()`, every item decoded with the generated `Incident`;
 * - `typed decode:false`: `PagerDuty.listIncidents({ decode: false })` (types only);
 * - for comparison, `iterAll` decoding each page with the generated `Incident` Schema itself
 *   (what the typed API's generated validators avoid).
 *
 * Reports the medians of wall time and client CPU time, and their ratios to the baseline, and
 * writes them into the "Typed API decoding" section at the end of bench/RESULTS.md (replaced on
 * each run; the rest of the file is left alone).
 */
import { fork } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { PagerDuty, RestApi } from "@effect-pagerduty/client"
import * as RestSchemas from "@effect-pagerduty/client/generated/RestSchemas"
import { Effect, Layer, Stream } from "effect"
import { restLayer } from "./ours.js"
import type { ServerSpec } from "./protocol.js"

const here = path.dirname(fileURLToPath(import.meta.url))
const benchDir = path.resolve(here, "../..")
const INCIDENTS = 10_000
const REPS = 15
const SECTION = "## Typed API decoding (bench/src/decode.ts)"

interface Variant {
  readonly name: string
  readonly stream: Stream.Stream<unknown, unknown, RestApi.RestApiService>
}

const variants: ReadonlyArray<Variant> = [
  { name: "iterAll (no schema, baseline)", stream: Stream.unwrap(Effect.map(RestApi.RestApiService, (pd) => pd.iterAll("/incidents", { pageSize: 100 }))) },
  { name: "typed listIncidents (decoded)", stream: PagerDuty.listIncidents({ pageSize: 100 }) },
  { name: "typed listIncidents (decode: false)", stream: PagerDuty.listIncidents({ pageSize: 100, decode: false }) },
  {
    name: "iterAll with schema: RestSchemas.Incident (for comparison)",
    stream: Stream.unwrap(Effect.map(RestApi.RestApiService, (pd) => pd.iterAll("/incidents", { pageSize: 100, schema: RestSchemas.Incident })))
  }
]

const startServer = (spec: ServerSpec): Promise<{ readonly url: string; readonly stop: () => void }> =>
  new Promise((resolve, reject) => {
    const child = fork(path.join(here, "server.js"), [JSON.stringify(spec)], { stdio: ["ignore", "inherit", "inherit", "ipc"] })
    child.once("error", reject)
    child.once("message", (message) => resolve({ url: (message as { url: string }).url, stop: () => child.disconnect() }))
  })

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

/** Run every variant `reps` times, interleaved; returns wall and CPU milliseconds per variant. */
const measure = (layer: Layer.Layer<RestApi.RestApiService>, reps: number, warmup: number) =>
  Effect.gen(function*() {
    const wall = variants.map(() => [] as Array<number>)
    const cpu = variants.map(() => [] as Array<number>)
    for (let rep = -warmup; rep < reps; rep++) {
      // rotate the order every repetition, so no variant always runs after the same one
      for (let k = 0; k < variants.length; k++) {
        const v = (k + rep + warmup) % variants.length
        const cpu0 = process.cpuUsage()
        const t0 = performance.now()
        const count = yield* Stream.runCount(variants[v]!.stream)
        const ms = performance.now() - t0
        const used = process.cpuUsage(cpu0)
        if (count !== INCIDENTS) return yield* Effect.dieMessage(`${variants[v]!.name}: ${count} incidents, expected ${INCIDENTS}`)
        if (rep >= 0) {
          wall[v]!.push(ms)
          cpu[v]!.push((used.user + used.system) / 1000)
        }
      }
    }
    return variants.map((variant, v) => ({ name: variant.name, wall: median(wall[v]!), cpu: median(cpu[v]!) }))
  }).pipe(Effect.provide(layer))

/**
 * Run the decode bench and update bench/RESULTS.md (`--no-write`: print only; `--quick`: 1 repetition).
 *
 * @since 0.2.0
 */
export const run = async (): Promise<void> => {
  const argv = process.argv.slice(2)
  const quick = argv.includes("--quick")
  const server = await startServer({ incidents: INCIDENTS, latencyMs: 0 })
  try {
    const rows = await Effect.runPromise(measure(restLayer(server.url), quick ? 1 : REPS, quick ? 1 : 3))
    const base = rows[0]!
    const lines = [
      SECTION,
      "",
      `${INCIDENTS} incidents (100 per page) from the simulator in its own process, the streams interleaved in one client`,
      `process (Node ${process.version}), medians of ${quick ? 1 : REPS} runs after ${quick ? 1 : 3} warm-up runs each. Ratios are to the \`iterAll\` baseline of the same run.`,
      `Load average during the run: ${os.loadavg().map((l) => l.toFixed(1)).join(", ")} on ${os.cpus().length} cores (wall times on a loaded machine vary by +-10%;`,
      "`decode: false` calls `RestApi.iterAll` itself, so its difference from the baseline is that noise).",
      "Targets (issue 16): decoded <= 1.5x, `decode: false` <= 1.05x.",
      "",
      "| stream | median ms | ratio | client CPU ms | CPU ratio |",
      "| --- | --- | --- | --- | --- |",
      ...rows.map((r) => `| ${r.name} | ${r.wall.toFixed(0)} | ${(r.wall / base.wall).toFixed(2)}x | ${r.cpu.toFixed(0)} | ${(r.cpu / base.cpu).toFixed(2)}x |`),
      ""
    ]
    process.stdout.write(`${lines.join("\n")}\n`)
    if (!argv.includes("--no-write")) {
      const file = path.join(benchDir, "RESULTS.md")
      const previous = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : ""
      const at = previous.indexOf(SECTION)
      const kept = at >= 0 ? previous.slice(0, at) : previous.endsWith("\n") || previous === "" ? previous : `${previous}\n`
      fs.writeFileSync(file, `${kept}${kept === "" || kept.endsWith("\n\n") ? "" : "\n"}${lines.join("\n")}`)
      process.stderr.write(`wrote ${file}\n`)
    }
  } finally {
    server.stop()
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  run().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`decode bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
      process.exit(1)
    }
  )
}
