/**
 * `pnpm bench`: every scenario runs our client and the raw `fetch` baseline (`raw.ts`) against
 * the simulator in the same run. The simulator runs in its own process (`server.ts`) and each
 * client run in a fresh process (`client.ts`), so server and client never share a JS thread
 * and each run's peak RSS is its own. Prints a table of medians and writes `bench/RESULTS.md`.
 *
 * pdjs (`@pagerduty/pdjs` 2.2.4) runs in the same scenarios where it can (sequential listing,
 * the fault scenarios, sequential events), each run under a timeout: on faults it fails or
 * hangs, and the table says which (and how many items it had by then).
 *
 * Flags: `--quick` (or `BENCH_QUICK=1`: 1 repetition each, at most 1 warm-up pass, pdjs
 * timeouts of 10 s; for trying the harness, never written to RESULTS.md), `--only A,B` (some scenarios),
 * `--profile` (profile every client, ours and raw, not only ours where a target is missed),
 * `--keep-profiles DIR` (keep the `.cpuprofile` files), `--no-write` (do not touch RESULTS.md).
 */
import { fork, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { summarise } from "./profile.js"
import { type ClientResult, type ClientSpec, type Impl, RESULT_PREFIX, type ServerSpec, type Task } from "./protocol.js"

const here = path.dirname(fileURLToPath(import.meta.url))
const benchDir = path.resolve(here, "../..")
const argv = process.argv.slice(2)
const quick = argv.includes("--quick") || process.env["BENCH_QUICK"] === "1"
const profileAll = argv.includes("--profile")
const write = !argv.includes("--no-write")
const onlyArg = argv.indexOf("--only")
const keepArg = argv.indexOf("--keep-profiles")
const keepProfiles = keepArg >= 0 ? path.resolve(argv[keepArg + 1] ?? "profiles") : undefined
const only = onlyArg >= 0 ? new Set((argv[onlyArg + 1] ?? "").split(",")) : undefined

// ---------------------------------------------------------------------------
// processes
// ---------------------------------------------------------------------------

interface Server {
  readonly url: string
  readonly control: string
  readonly stop: () => Promise<void>
}

const startServer = (spec: ServerSpec): Promise<Server> =>
  new Promise((resolve, reject) => {
    const child = fork(path.join(here, "server.js"), [JSON.stringify(spec)], { stdio: ["ignore", "inherit", "inherit", "ipc"] })
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`the simulator process exited with ${code} before it was ready`)))
    child.once("message", (message) => {
      const { url, control } = message as { url: string; control: string }
      child.removeAllListeners("exit")
      resolve({
        url,
        control,
        stop: () =>
          new Promise<void>((done) => {
            child.once("exit", () => done())
            child.disconnect()
          })
      })
    })
  })

const runClient = (spec: ClientSpec): Promise<ClientResult> =>
  new Promise((resolve, reject) => {
    const args = ["--expose-gc", path.join(here, "client.js"), JSON.stringify(spec)]
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] })
    let out = ""
    child.stdout.setEncoding("utf8")
    child.stdout.on("data", (chunk: string) => (out += chunk))
    child.once("error", reject)
    child.once("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith(RESULT_PREFIX))
      if (code !== 0 || line === undefined) reject(new Error(`client ${spec.impl} ${spec.task._tag} exited with ${code}\n${out}`))
      else resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as ClientResult)
    })
  })

// ---------------------------------------------------------------------------
// scenarios
// ---------------------------------------------------------------------------

interface Row {
  /** e.g. "A" or "B conc 8". */
  readonly id: string
  readonly label: string
  readonly impl: Impl
  readonly task: Task
  /** Id of the row whose median is this row's ratio denominator. */
  readonly baseline?: string | undefined
  /** Untimed passes in the same process before the timed one. */
  readonly warmup: number
  /** Report the timed pass as failed after this many ms (pdjs rows). */
  readonly timeoutMs?: number | undefined
  /** Run in the first repetition only (a failing or slow third-party client). */
  readonly once?: boolean | undefined
}

interface Scenario {
  readonly key: string
  readonly title: string
  readonly server: ServerSpec
  readonly reps: number
  /**
   * Run one untimed listing (raw, concurrency 8) once the simulator is up, so that its
   * render and page caches are as warm for the first measured client as for the last.
   */
  readonly prewarm: boolean
  readonly rows: ReadonlyArray<Row>
}

const list = (concurrency: number, schema = false): Task => ({ _tag: "list", expected: 10_000, concurrency, schema })

/** A pdjs row of scenario `key`: one repetition, under a timeout. */
const pdjs = (key: string, task: Task, baseline: string, timeoutMs = 60_000, once = true): Row => ({
  id: `${key} pdjs`,
  label: "@pagerduty/pdjs 2.2.4",
  impl: "pdjs",
  task,
  baseline,
  warmup: 0,
  timeoutMs: quick ? Math.min(timeoutMs, 10_000) : timeoutMs,
  once
})
/**
 * A fault scenario: 10 000 incidents listed sequentially by the raw loop, ours and pdjs, while the
 * simulator injects one fault (`server`); 3 repetitions after a warm-up pass.
 */
const faultScenario = (key: string, fault: string, server: ServerSpec, rawLabel: string): Scenario => ({
  key,
  prewarm: true,
  title: `${key}: stream 10 000 incidents, ${fault}`,
  server,
  reps: 3,
  rows: [
    { id: `${key} raw`, label: rawLabel, impl: "raw", task: list(1), warmup: 1 },
    { id: `${key} ours`, label: "ours iterAll", impl: "ours", task: list(1), baseline: `${key} raw`, warmup: 1 },
    pdjs(key, list(1), `${key} raw`)
  ]
})
const DAY = 86_400_000
const ANALYSIS_MARKER = "## Analysis"


const scenarios = (): ReadonlyArray<Scenario> => {
  const now = Date.now()
  return [
    {
      key: "A",
      prewarm: true,
      title: "A: stream 10 000 incidents, 0 ms latency, sequential",
      server: { incidents: 10_000, latencyMs: 0 },
      reps: 5,
      rows: [
        { id: "A raw", label: "raw fetch", impl: "raw", task: list(1), warmup: 3 },
        { id: "A ours", label: "ours iterAll", impl: "ours", task: list(1), baseline: "A raw", warmup: 3 },
        { ...pdjs("A", list(1), "A raw", 60_000, false), warmup: 3 }
      ]
    },
    {
      key: "B",
      prewarm: true,
      title: "B: stream 10 000 incidents, 25 ms latency",
      server: { incidents: 10_000, latencyMs: 25 },
      reps: 3,
      rows: [
        { id: "B raw seq", label: "raw fetch, sequential", impl: "raw", task: list(1), warmup: 1 },
        { id: "B ours seq", label: "ours, sequential", impl: "ours", task: list(1), baseline: "B raw seq", warmup: 1 },
        { id: "B raw c8", label: "raw fetch, concurrency 8", impl: "raw", task: list(8), warmup: 3 },
        { id: "B ours c8", label: "ours, concurrency 8", impl: "ours", task: list(8), baseline: "B raw c8", warmup: 3 }
      ]
    },
    {
      key: "C",
      prewarm: true,
      title: "C: stream 10 000 incidents, a 429 (ratelimit-reset: 1) every 50 requests",
      server: { incidents: 10_000, latencyMs: 0, every429: { nth: 50, reset: 1 } },
      reps: 3,
      rows: [
        { id: "C raw", label: "raw fetch", impl: "raw", task: list(1), warmup: 0 },
        { id: "C ours", label: "ours iterAll", impl: "ours", task: list(1), baseline: "C raw", warmup: 0 },
        pdjs("C", list(1), "C raw", 30_000)
      ]
    },
    faultScenario("D", "a 503 every 40 requests", { incidents: 10_000, latencyMs: 0, every503: 40 }, "raw fetch"),
    faultScenario("H", "a dropped connection every 50 requests", { incidents: 10_000, latencyMs: 0, everyDrop: 50 }, "raw fetch (retries at once)"),
    faultScenario("I", "an invalid-JSON 200 every 40 requests", { incidents: 10_000, latencyMs: 0, everyInvalidJson: 40 }, "raw fetch (retries at once)"),
    {
      key: "E",
      prewarm: false,
      title: "E: stream 100 000 incidents (history bisection past the 10 000 cap)",
      server: { incidents: 100_000, latencyMs: 0 },
      reps: 2,
      rows: [
        {
          id: "E raw",
          label: "raw fetch, bisecting windows",
          impl: "raw",
          task: { _tag: "history", expected: 100_000, since: new Date(now - 30 * DAY).toISOString(), until: new Date(now + DAY).toISOString() },
          warmup: 0
        },
        {
          id: "E ours",
          label: "ours iterHistory",
          impl: "ours",
          task: { _tag: "history", expected: 100_000, since: new Date(now - 30 * DAY).toISOString(), until: new Date(now + DAY).toISOString() },
          baseline: "E raw",
          warmup: 0
        }
      ]
    },
    {
      key: "F",
      prewarm: false,
      title: "F: 1 000 Events v2 triggers",
      server: { incidents: 0, latencyMs: 0 },
      reps: 3,
      rows: [
        { id: "F raw seq", label: "raw fetch, sequential", impl: "raw", task: { _tag: "events", count: 1000, concurrency: 1 }, warmup: 0 },
        { id: "F ours seq", label: "ours, sequential", impl: "ours", task: { _tag: "events", count: 1000, concurrency: 1 }, baseline: "F raw seq", warmup: 0 },
        pdjs("F", { _tag: "events", count: 1000, concurrency: 1 }, "F raw seq", 120_000, false),
        { id: "F raw c8", label: "raw fetch, concurrency 8", impl: "raw", task: { _tag: "events", count: 1000, concurrency: 8 }, warmup: 0 },
        { id: "F ours c8", label: "ours, concurrency 8", impl: "ours", task: { _tag: "events", count: 1000, concurrency: 8 }, baseline: "F raw c8", warmup: 0 }
      ]
    },
    {
      key: "G",
      prewarm: true,
      title: "G: stream 10 000 incidents with and without `schema: Incident` (0 ms, sequential)",
      server: { incidents: 10_000, latencyMs: 0 },
      reps: 5,
      rows: [
        { id: "G plain", label: "ours, no schema", impl: "ours", task: list(1), warmup: 3 },
        { id: "G schema", label: "ours, schema: Incident", impl: "ours", task: list(1, true), baseline: "G plain", warmup: 3 }
      ]
    },
    {
      key: "S",
      prewarm: true,
      title: "S: simulator throughput, GET /incidents pages, 0 ms, raw keep-alive fetch loops",
      server: { incidents: 10_000, latencyMs: 0 },
      reps: 3,
      rows: [
        { id: "S 25x8", label: "limit=25, 8 concurrent loops", impl: "raw", task: { _tag: "throughput", seconds: 3, concurrency: 8, pageSize: 25 }, warmup: 0 },
        { id: "S 100x8", label: "limit=100, 8 concurrent loops", impl: "raw", task: { _tag: "throughput", seconds: 3, concurrency: 8, pageSize: 100 }, warmup: 0 }
      ]
    }
  ]
}

// ---------------------------------------------------------------------------
// run
// ---------------------------------------------------------------------------

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

interface Measured {
  readonly row: Row
  readonly scenario: Scenario
  readonly results: ReadonlyArray<ClientResult>
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)

const cpuModel = (): string => {
  try {
    const line = fs.readFileSync("/proc/cpuinfo", "utf8").split("\n").find((l) => l.startsWith("model name"))
    return line?.split(":")[1]?.trim() ?? os.cpus()[0]?.model ?? "unknown"
  } catch {
    return os.cpus()[0]?.model ?? "unknown"
  }
}

const main = async () => {
  const started = Date.now()
  const loadStart = os.loadavg()[0]!
  const measured: Array<Measured> = []
  for (const scenario of scenarios()) {
    if (only !== undefined && !only.has(scenario.key)) continue
    process.stderr.write(`${scenario.title}\n`)
    const server = await startServer(scenario.server)
    try {
      if (scenario.prewarm) {
        await runClient({ impl: "raw", url: server.url, control: server.control, task: list(8), warmup: 0, tag: `${scenario.key}-prewarm` })
      }
      const perRow = new Map<string, Array<ClientResult>>(scenario.rows.map((r) => [r.id, []]))
      const reps = quick ? 1 : scenario.reps
      for (let rep = 0; rep < reps; rep++) {
        // interleave implementations so drift in the machine hits both alike
        for (const row of scenario.rows) {
          if (row.once === true && rep > 0) continue
          const spec: ClientSpec = {
            impl: row.impl,
            url: server.url,
            control: server.control,
            task: row.task,
            warmup: quick ? Math.min(1, row.warmup) : row.warmup,
            tag: `${row.id.replace(/\s+/g, "_")}-${rep}`,
            ...(row.timeoutMs === undefined ? {} : { timeoutMs: row.timeoutMs })
          }
          const result = await runClient(spec)
          perRow.get(row.id)!.push(result)
          process.stderr.write(`  ${row.id.padEnd(12)} rep ${rep + 1}/${reps}: ${result.wallMs.toFixed(0)} ms${result.error === undefined ? "" : ` FAILED after ${result.items} items: ${result.error}`}\n`)
        }
      }
      for (const row of scenario.rows) measured.push({ row, scenario, results: perRow.get(row.id)! })
    } finally {
      await server.stop()
    }
  }

  const byId = new Map(measured.map((m) => [m.row.id, m]))
  const med = (id: string, f: (r: ClientResult) => number) => {
    const m = byId.get(id)
    return m === undefined ? NaN : median(m.results.map(f))
  }
  const wall = (id: string) => med(id, (r) => r.wallMs)
  const cpu = (id: string) => med(id, (r) => r.cpuMs)

  // table
  const header = ["scenario", "client", "median ms", "ratio", "client CPU ms", "CPU ratio", "server CPU ms", "requests", "429s", "items", "lost", "dup", "peak RSS MB", "outcome"]
  const failed = (id: string) => byId.get(id)?.results.some((r) => r.error !== undefined) ?? false
  const outcomeOf = (m: Measured) => {
    const errors = m.results.filter((r) => r.error !== undefined)
    return errors.length === 0 ? "ok" : `FAILED (${errors.length}/${m.results.length}) after ${errors[0]!.items} items: ${errors[0]!.error!.slice(0, 120)}`
  }
  const rows: Array<Array<string>> = []
  for (const m of measured) {
    const w = wall(m.row.id)
    const isThroughput = m.row.task._tag === "throughput"
    const base = m.row.baseline
    rows.push([
      m.row.id,
      m.row.warmup > 0 ? `${m.row.label} (warm x${m.row.warmup})` : m.row.label,
      isThroughput ? `${med(m.row.id, (r) => r.perSecond).toFixed(0)} req/s` : w.toFixed(0),
      base === undefined ? (isThroughput ? "" : "1.00 (base)") : failed(m.row.id) ? "-" : `${(w / wall(base)).toFixed(2)}x`,
      isThroughput
        ? `server ${(1000 * med(m.row.id, (r) => r.serverCpuMs / Math.max(1, r.requests))).toFixed(0)} us/req`
        : cpu(m.row.id).toFixed(0),
      isThroughput
        ? `= ${(med(m.row.id, (r) => r.requests / Math.max(1e-9, r.serverCpuMs))).toFixed(1)}k/s/core`
        : base === undefined ? "1.00 (base)" : `${(cpu(m.row.id) / cpu(base)).toFixed(2)}x`,
      med(m.row.id, (r) => r.serverCpuMs).toFixed(0),
      String(med(m.row.id, (r) => r.requests)),
      String(med(m.row.id, (r) => r.sent429)),
      String(med(m.row.id, (r) => r.items)),
      String(Math.max(...m.results.map((r) => r.lost))),
      String(Math.max(...m.results.map((r) => r.duplicated + r.unexpected))),
      mb(med(m.row.id, (r) => r.maxRss)),
      outcomeOf(m)
    ])
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: ReadonlyArray<string>) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`
  const table = [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n")

  // targets
  interface Target { readonly name: string; readonly value: string; readonly met: boolean; readonly profile?: Row | undefined }
  const targets: Array<Target> = []
  const has = (...ids: Array<string>) => ids.every((id) => byId.has(id))
  if (has("A raw", "A ours")) {
    const r = wall("A ours") / wall("A raw")
    targets.push({ name: "A: ours <= 1.3x the raw loop (wall time)", value: `${r.toFixed(2)}x (client CPU time: ${(cpu("A ours") / cpu("A raw")).toFixed(2)}x)`, met: r <= 1.3, profile: byId.get("A ours")!.row })
  }
  if (has("B ours seq", "B ours c8", "B raw c8")) {
    const speedup = wall("B ours seq") / wall("B ours c8")
    targets.push({ name: "B: ours concurrency 8 >= 6x ours sequential", value: `${speedup.toFixed(2)}x`, met: speedup >= 6, profile: byId.get("B ours c8")!.row })
    const vsRaw = wall("B ours c8") / wall("B raw c8")
    targets.push({ name: "B: ours concurrency 8 <= 1.15x the concurrent raw loop (25 ms latency)", value: `${vsRaw.toFixed(2)}x`, met: vsRaw <= 1.15, profile: byId.get("B ours c8")!.row })
  }
  for (const key of ["D", "H", "I"]) {
    if (!has(`${key} raw`, `${key} ours`)) continue
    const r = wall(`${key} ours`) / wall(`${key} raw`)
    const title = measured.find((m) => m.scenario.key === key)!.scenario.title.split(": ")[1]
    targets.push({ name: `${key}: ours <= 1.5x the raw loop (${title})`, value: `${r.toFixed(2)}x`, met: r <= 1.5 && !failed(`${key} ours`), profile: byId.get(`${key} ours`)!.row })
  }
  for (const m of measured.filter((m) => m.row.impl === "pdjs")) {
    const vs = m.row.baseline === undefined || failed(m.row.id) ? "" : `, ${(wall(m.row.id) / wall(m.row.baseline)).toFixed(2)}x ${m.row.baseline}`
    targets.push({ name: `${m.row.id} (reference, no target): what pdjs does here`, value: `${outcomeOf(m)}${vs}`, met: true })
  }
  for (const key of ["A", "B", "C", "D", "E", "G", "H", "I"]) {
    // pdjs is reported above: it is expected to fail on faults
    const ms = measured.filter((m) => m.scenario.key === key && m.row.task._tag !== "throughput" && m.row.impl !== "pdjs")
    if (ms.length === 0) continue
    const lost = Math.max(...ms.flatMap((m) => m.results.map((r) => r.lost)))
    const dup = Math.max(...ms.flatMap((m) => m.results.map((r) => r.duplicated + r.unexpected)))
    targets.push({ name: `${key}: no item lost or duplicated (every client, every repetition)`, value: `lost ${lost}, duplicated ${dup}`, met: lost === 0 && dup === 0 })
  }
  if (has("E ours")) {
    const e = byId.get("E ours")!
    const rssGrowth = median(e.results.map((r) => r.maxRss - r.rssBefore))
    const heapGrowth = median(e.results.map((r) => r.heapMaxAfterGc - r.heapBefore))
    const afterFirst = median(e.results.map((r) => r.rssMaxSampled - r.rssFirstSample))
    targets.push({
      name: "E: RSS growth while streaming 100 000 <= 50 MB (peak RSS minus RSS before the first request)",
      value: `${mb(rssGrowth)} MB; after the first 10 000 items: ${mb(afterFirst)} MB; retained heap after GC: ${mb(heapGrowth)} MB`,
      met: rssGrowth <= 50 * 1024 * 1024,
      profile: e.row
    })
  }
  if (has("E raw")) {
    const e = byId.get("E raw")!
    targets.push({
      name: "E (baseline, for reference): raw loop RSS growth",
      value: `${mb(median(e.results.map((r) => r.maxRss - r.rssBefore)))} MB; after the first 10 000 items: ${mb(median(e.results.map((r) => r.rssMaxSampled - r.rssFirstSample)))} MB; retained heap after GC: ${mb(median(e.results.map((r) => r.heapMaxAfterGc - r.heapBefore)))} MB`,
      met: true
    })
  }
  if (has("F ours seq", "F pdjs") && !failed("F pdjs")) {
    const r = wall("F ours seq") / wall("F pdjs")
    targets.push({ name: "F: 1 000 sequential Events v2 triggers, ours <= 1.2x pdjs", value: `${r.toFixed(2)}x (ours ${(wall("F ours seq") / wall("F raw seq")).toFixed(2)}x the raw loop, pdjs ${(wall("F pdjs") / wall("F raw seq")).toFixed(2)}x)`, met: r <= 1.2, profile: byId.get("F ours seq")!.row })
  }
  for (const id of ["F ours seq", "F ours c8", "F raw seq", "F raw c8", "F pdjs"]) {
    if (!has(id)) continue
    const rs = byId.get(id)!.results
    const ok = rs.every((r) => r.eventKeys === 1000 && r.eventKeysSeenTwice === 0 && r.lost === 0)
    targets.push({ name: `${id}: exactly one event per dedup key`, value: rs.map((r) => `${r.eventKeys} keys, ${r.eventKeysSeenTwice} twice`).join("; "), met: ok })
  }
  if (has("G plain", "G schema")) {
    const r = wall("G schema") / wall("G plain")
    targets.push({ name: "G: schema decoding cost (ratio with/without; reported, no target)", value: `${r.toFixed(2)}x`, met: true })
  }
  if (has("S 25x8")) {
    const measuredRate = med("S 25x8", (r) => r.perSecond)
    const perCore = med("S 25x8", (r) => (1000 * r.requests) / Math.max(1e-9, r.serverCpuMs))
    targets.push({
      name: "S: simulator >= 5 000 page requests/s on one core (limit=25; server CPU time per request)",
      value: `${perCore.toFixed(0)}/s per core of simulator CPU (${measuredRate.toFixed(0)}/s measured end to end with the load generator on the other core)`,
      met: perCore >= 5000
    })
  }

  // profiles where a target is missed (or everywhere with --profile)
  const profiles: Array<{ readonly row: Row; readonly text: string }> = []
  const toProfile = new Map<string, Row>()
  for (const t of targets) if (!t.met && t.profile !== undefined) toProfile.set(t.profile.id, t.profile)
  if (profileAll) for (const m of measured) if (m.row.task._tag !== "throughput" && m.row.impl !== "pdjs") toProfile.set(m.row.id, m.row)
  for (const row of toProfile.values()) {
    const scenario = measured.find((m) => m.row.id === row.id)!.scenario
    process.stderr.write(`profiling ${row.id}\n`)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-prof-"))
    const server = await startServer(scenario.server)
    try {
      const file = "client.cpuprofile"
      await runClient({ impl: row.impl, url: server.url, control: server.control, task: row.task, warmup: row.warmup, tag: `${row.id.replace(/\s+/g, "_")}-prof`, profile: path.join(dir, file) })
      if (fs.existsSync(path.join(dir, file))) {
        profiles.push({ row, text: summarise(JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")), 15) })
        if (keepProfiles !== undefined) {
          fs.mkdirSync(keepProfiles, { recursive: true })
          fs.copyFileSync(path.join(dir, file), path.join(keepProfiles, `${row.id.replace(/\s+/g, "_")}.cpuprofile`))
        }
      }
    } finally {
      await server.stop()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }

  const machine = `${cpuModel()}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 1024 ** 3)} GB RAM, Node ${process.version}, ${os.type()} ${os.release()}; load average ${loadStart.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end`
  const targetLines = targets.map((t) => `- ${t.met ? "met" : "MISSED"}: ${t.name}: ${t.value}`)
  const seconds = ((Date.now() - started) / 1000).toFixed(0)
  process.stdout.write(`\n${table}\n\n${targetLines.join("\n")}\n`)
  for (const p of profiles) process.stdout.write(`\nprofile of ${p.row.id} (${p.row.label}):\n${p.text}\n`)
  process.stdout.write(`\n${machine}; ${seconds} s\n`)

  if (write && only === undefined && !quick) {
    const md = [
      "# Benchmark results",
      "",
      `Run on ${new Date().toISOString().slice(0, 10)} by \`pnpm bench\` (${seconds} s).`,
      "",
      `Machine: ${machine}.`,
      "",
      "Every scenario runs our client and a plain `fetch` baseline (bench/src/raw.ts: offset pagination, 429 waits",
      "`ratelimit-reset`, 5xx retried after python-pagerduty's 3 s x 2^n, dropped connections and unreadable bodies",
      "retried at once) against the simulator (`Simulator.serve`, which injects the faults itself) in the same run,",
      "and `@pagerduty/pdjs` 2.2.4 where it can run (sequential listing, the fault scenarios, sequential events;",
      "one repetition under a timeout, its failures reported as they happen).",
      "The simulator runs in its own process, each client run in a fresh process (peak RSS is",
      "`process.resourceUsage().maxRSS` of that process). Wall time covers the work only (not process start-up);",
      "rows marked (warm xN) ran the task N times untimed first in the same process (JIT warm-up). Medians of the repetitions;",
      "`requests` and `429s` are counted by the simulator; `lost`/`dup` are the worst repetition.",
      "",
      table,
      "",
      "## Targets",
      "",
      ...targetLines,
      ...(profiles.length === 0 ? [] : ["", "## Profiles", "", ...profiles.flatMap((p) => [`### ${p.row.id} (${p.row.label})`, "", "```", p.text, "```", ""])]),
      ""
    ].join("\n")
    // a hand-written analysis below the marker survives re-runs
    const file = path.join(benchDir, "RESULTS.md")
    const previous = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : ""
    const at = previous.indexOf(ANALYSIS_MARKER)
    fs.writeFileSync(file, at >= 0 ? `${md}\n${previous.slice(at)}` : md)
    process.stderr.write(`wrote ${path.join(benchDir, "RESULTS.md")}\n`)
  }
}

if (argv.includes("--decode")) await import("./decode.js").then((m) => m.run()).then(() => process.exit(0)) // issue 16: typed API decoding bench only
main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  process.exit(1)
})
