/**
 * One client process: runs one task with one implementation (ours or the raw `fetch`
 * baseline) against a simulator process, checks every item arrived exactly once, and prints
 * a {@link ClientResult} as its last stdout line. Its own process, so its peak RSS
 * (`process.resourceUsage().maxRSS`) is its own; the raw baseline never loads Effect or our
 * packages (they are imported only by `ours` runs), nor pdjs. Run with `--expose-gc`.
 * With `timeoutMs` (pdjs runs), a timed pass that fails or does not finish in time is
 * reported in the result (`error`, items received so far) instead of failing the process.
 */
import * as fs from "node:fs"
import { Session } from "node:inspector/promises"
import { type ClientResult, type ClientSpec, RESULT_PREFIX, type ServerStats, type Task } from "./protocol.js"
import * as raw from "./raw.js"

/** pdjs, loaded only in `pdjs` runs (so the other runs never pay for it). */
const loadPdjs = () => import("./pdjs.js")

const spec = JSON.parse(process.argv[2] ?? "{}") as ClientSpec

const gc = (): void => {
  const g = (globalThis as { gc?: () => void }).gc
  if (g !== undefined) {
    g()
    g()
  }
}

const stats = async (prefix: string): Promise<ServerStats> => {
  const res = await fetch(`${spec.control}/stats?prefix=${encodeURIComponent(`${prefix}:`)}`)
  return await res.json() as ServerStats
}

/** Counts each incident by `incident_number` (seeded 1..expected) in a bitmap: O(expected) bytes, nothing retained. */
class Tally {
  readonly seen: Uint8Array
  items = 0
  duplicated = 0
  unexpected = 0
  heapMaxAfterGc = 0
  rssFirstSample = 0
  rssMaxSampled = 0
  private sinceSample = 0
  constructor(readonly expected: number, private readonly sampleEvery: number) {
    this.seen = new Uint8Array(expected + 1)
  }
  readonly onPage = (items: ReadonlyArray<unknown>): void => {
    for (const item of items) {
      const n = (item as { incident_number?: unknown }).incident_number
      if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > this.expected) this.unexpected++
      else if (this.seen[n] === 1) this.duplicated++
      else this.seen[n] = 1
    }
    this.items += items.length
    this.sinceSample += items.length
    if (this.sampleEvery > 0 && this.sinceSample >= this.sampleEvery) {
      this.sinceSample = 0
      const rss = process.memoryUsage().rss
      if (this.rssFirstSample === 0) this.rssFirstSample = rss
      this.rssMaxSampled = Math.max(this.rssMaxSampled, rss)
      gc()
      this.heapMaxAfterGc = Math.max(this.heapMaxAfterGc, process.memoryUsage().heapUsed)
    }
  }
  get lost(): number {
    let distinct = 0
    for (let i = 1; i <= this.expected; i++) distinct += this.seen[i]!
    return this.expected - distinct
  }
}

/** Our client's modules, loaded only in `ours` runs. */
const loadOurs = async () => {
  const [{ Effect }, ours, oursEvents] = await Promise.all([import("effect"), import("./ours.js"), import("./oursEvents.js")])
  return { Effect, ours, oursEvents }
}

/** What the pass in progress has received so far (read when it fails or times out). */
const progress: { tally?: Tally | undefined; sent: number } = { sent: 0 }

/** One pass of the task; returns the tally (lists) or the number of events sent. */
const pass = async (task: Task, tag: string): Promise<{ tally?: Tally; sent?: number; perSecond?: number }> => {
  switch (task._tag) {
    case "list": {
      const tally = new Tally(task.expected, 0)
      progress.tally = tally
      if (spec.impl === "raw") await raw.listIncidents(spec.url, { concurrency: task.concurrency }, tally.onPage)
      else if (spec.impl === "pdjs") {
        if (task.concurrency > 1) throw new Error("pdjs has no concurrent listing")
        await (await loadPdjs()).listIncidents(spec.url, tally.onPage)
      } else {
        const { Effect, ours } = await loadOurs()
        await Effect.runPromise(ours.listIncidents({ concurrency: task.concurrency, schema: task.schema }, tally.onPage).pipe(Effect.provide(ours.restLayer(spec.url))))
      }
      return { tally }
    }
    case "history": {
      // sample the after-GC heap every 10 000 items: the listing must not retain what it emitted
      const tally = new Tally(task.expected, 10_000)
      progress.tally = tally
      if (spec.impl === "pdjs") throw new Error("pdjs has no history listing")
      if (spec.impl === "raw") await raw.historyIncidents(spec.url, Date.parse(task.since), Date.parse(task.until), tally.onPage)
      else {
        const { Effect, ours } = await loadOurs()
        await Effect.runPromise(ours.historyIncidents(task.since, task.until, tally.onPage).pipe(Effect.provide(ours.restLayer(spec.url))))
      }
      return { tally }
    }
    case "events": {
      let sent = 0
      progress.tally = undefined
      progress.sent = 0
      const onSent = () => {
        sent++
        progress.sent = sent
      }
      if (spec.impl === "raw") await raw.triggers(spec.url, tag, task.count, task.concurrency, onSent)
      else if (spec.impl === "pdjs") {
        if (task.concurrency > 1) throw new Error("the pdjs bench sends events sequentially only")
        await (await loadPdjs()).triggers(spec.url, tag, task.count, onSent)
      } else {
        const { Effect, oursEvents } = await loadOurs()
        await Effect.runPromise(oursEvents.triggers(spec.url, tag, task.count, task.concurrency, onSent))
      }
      return { sent }
    }
    case "throughput": {
      let done = 0
      const deadline = performance.now() + task.seconds * 1000
      const url = `${spec.url}/incidents?limit=${task.pageSize}&offset=0`
      const headers = { Authorization: "Token token=sim-api-key" }
      const start = performance.now()
      await Promise.all(Array.from({ length: task.concurrency }, async () => {
        while (performance.now() < deadline) {
          const res = await fetch(url, { headers })
          if (res.status !== 200) throw new Error(`throughput: HTTP ${res.status}`)
          await res.arrayBuffer()
          done++
        }
      }))
      return { perSecond: done / ((performance.now() - start) / 1000) }
    }
  }
}

const main = async () => {
  // ours: load the modules before the timed pass in every case (a warm-up does it anyway)
  if (spec.impl === "ours") await loadOurs()
  for (let i = 0; i < spec.warmup; i++) await pass(spec.task, `${spec.tag}-warmup${i}`)
  const session = spec.profile === undefined ? undefined : new Session()
  if (session !== undefined) {
    session.connect()
    await session.post("Profiler.enable")
    await session.post("Profiler.setSamplingInterval", { interval: 200 })
    await session.post("Profiler.start")
  }
  gc()
  const heapBefore = process.memoryUsage().heapUsed
  const rssBefore = process.memoryUsage().rss
  const before = await stats(spec.tag)
  const cpu0 = process.cpuUsage()
  const start = performance.now()
  let error: string | undefined
  let outcome: { tally?: Tally; sent?: number; perSecond?: number }
  if (spec.timeoutMs === undefined) outcome = await pass(spec.task, spec.tag)
  else {
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not finish within ${spec.timeoutMs} ms (hangs or waits)`)), spec.timeoutMs)
    })
    try {
      outcome = await Promise.race([pass(spec.task, spec.tag), timeout])
    } catch (failure) {
      error = spec.impl === "pdjs" ? (await loadPdjs()).describe(failure) : String(failure)
      outcome = progress.tally !== undefined ? { tally: progress.tally } : { sent: progress.sent }
    } finally {
      clearTimeout(timer)
    }
  }
  const wallMs = performance.now() - start
  const cpu = process.cpuUsage(cpu0)
  if (session !== undefined && spec.profile !== undefined) {
    const { profile } = await session.post("Profiler.stop")
    fs.writeFileSync(spec.profile, JSON.stringify(profile))
    session.disconnect()
  }
  const after = await stats(spec.tag)
  const tally = outcome.tally
  const expected = spec.task._tag === "events" ? spec.task.count : tally?.expected ?? 0
  const items = tally?.items ?? outcome.sent ?? 0
  const result: ClientResult = {
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    serverCpuMs: (after.cpuMicros - before.cpuMicros) / 1000,
    items,
    lost: tally !== undefined ? tally.lost : spec.task._tag === "events" ? expected - after.eventKeys : 0,
    duplicated: tally !== undefined ? tally.duplicated : after.eventKeysSeenTwice,
    unexpected: tally?.unexpected ?? 0,
    requests: after.requests - before.requests,
    sent429: after.sent429 - before.sent429,
    eventKeys: after.eventKeys,
    eventKeysSeenTwice: after.eventKeysSeenTwice,
    maxRss: process.resourceUsage().maxRSS * 1024,
    rssBefore,
    heapBefore,
    heapMaxAfterGc: tally !== undefined && tally.heapMaxAfterGc > 0 ? tally.heapMaxAfterGc : heapBefore,
    rssFirstSample: tally?.rssFirstSample ?? 0,
    rssMaxSampled: tally?.rssMaxSampled ?? 0,
    perSecond: outcome.perSecond ?? 0,
    ...(error === undefined ? {} : { error })
  }
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`)
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench client (${spec.impl} ${spec.task._tag}): ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
    process.exit(1)
  }
)
