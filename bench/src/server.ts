/**
 * The simulator process: `Simulator.serve` with the scenario's options and its injected
 * faults (429, 503, dropped connections, invalid-JSON 200s on every nth `GET /incidents`), on its own process
 * (so on its own core), plus a control port answering `GET /stats?prefix=P` with
 * {@link ServerStats}. Started by `run.ts` with `fork`; it sends `{ url, control }` over IPC
 * once listening and exits when its parent disconnects.
 */
import { Simulator } from "@effect-pagerduty/testkit"
import { Effect } from "effect"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import type { ServerSpec, ServerStats } from "./protocol.js"

const spec = JSON.parse(process.argv[2] ?? "{}") as ServerSpec

const faults: Array<Simulator.FaultRule> = []
if (spec.every429 !== undefined) {
  faults.push({ method: "GET", path: "/incidents", nth: spec.every429.nth, kind: Simulator.Fault.status429({ reset: spec.every429.reset }) })
}
if (spec.every503 !== undefined) {
  faults.push({ method: "GET", path: "/incidents", nth: spec.every503, kind: Simulator.Fault.status5xx(503) })
}
if (spec.everyDrop !== undefined) {
  faults.push({ method: "GET", path: "/incidents", nth: spec.everyDrop, kind: Simulator.Fault.drop() })
}
if (spec.everyInvalidJson !== undefined) {
  faults.push({ method: "GET", path: "/incidents", nth: spec.everyInvalidJson, kind: Simulator.Fault.invalidJson() })
}

const program = Effect.scoped(Effect.gen(function*() {
  const served = yield* Simulator.serve({
    incidents: spec.incidents,
    latency: spec.latencyMs,
    faults,
    seed: 1,
    // the bench makes up to ~100 000 requests per run; recording them would measure the recorder
    maxRecordedRequests: 0
  })
  const sim = served.simulator
  const stats = (prefix: string): ServerStats => {
    const counts = Effect.runSync(sim.countsByEndpoint)
    let requests = 0
    for (const n of Object.values(counts)) requests += n
    let events = 0
    let eventKeys = 0
    let eventKeysSeenTwice = 0
    if (prefix !== "") {
      for (const [key, n] of Object.entries(Effect.runSync(sim.eventsByDedupKey))) {
        if (!key.startsWith(prefix)) continue
        events += n
        eventKeys++
        if (n > 1) eventKeysSeenTwice++
      }
    }
    const cpu = process.cpuUsage()
    return { requests, sent429: Effect.runSync(sim.rateLimited429s), events, eventKeys, eventKeysSeenTwice, cpuMicros: cpu.user + cpu.system }
  }
  const control = Http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1")
    if (url.pathname !== "/stats") {
      res.writeHead(404).end()
      return
    }
    const body = JSON.stringify(stats(url.searchParams.get("prefix") ?? ""))
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body)
  })
  yield* Effect.acquireRelease(
    Effect.async<void>((resume) => {
      control.listen(0, "127.0.0.1", () => resume(Effect.void))
    }),
    () => Effect.async<void>((resume) => {
      control.closeAllConnections()
      control.close(() => resume(Effect.void))
    })
  )
  const port = (control.address() as AddressInfo).port
  process.send?.({ url: served.url, control: `http://127.0.0.1:${port}` })
  yield* Effect.async<void>((resume) => {
    process.once("disconnect", () => resume(Effect.void))
    process.once("SIGTERM", () => resume(Effect.void))
  })
}))

Effect.runPromise(program).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench server: ${String(error)}\n`)
    process.exit(1)
  }
)
