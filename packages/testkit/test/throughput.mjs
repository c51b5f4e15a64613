// Throughput check for the simulator server (not part of the test suite; needs `tsc -b` first):
//   node packages/testkit/test/throughput.mjs [seconds=5] [connections=16] [incidents=100000]
// The server runs in this process (one core); the load comes from a child process over
// keep-alive connections, requesting GET /incidents?limit=100 at rotating offsets.
import { fork } from "node:child_process"
import * as Http from "node:http"
import { fileURLToPath } from "node:url"

const [seconds = 5, connections = 16, incidents = 100_000] = process.argv.slice(2).map(Number)

if (process.env.SIM_LOAD_URL !== undefined) {
  const agent = new Http.Agent({ keepAlive: true, maxSockets: connections })
  const deadline = Date.now() + seconds * 1000
  let done = 0
  let bytes = 0
  let failed = 0
  const one = (i) =>
    new Promise((resolve) => {
      const offset = (i * 100) % 9900
      Http.get(`${process.env.SIM_LOAD_URL}/incidents?limit=100&offset=${offset}&date_range=all`, { agent, headers: { Authorization: "Token token=sim-api-key" } }, (res) => {
        if (res.statusCode !== 200) failed++
        res.on("data", (c) => { bytes += c.length })
        res.on("end", resolve)
      }).on("error", () => { failed++; resolve() })
    })
  const loop = async (w) => {
    let i = w
    while (Date.now() < deadline) {
      await one(i)
      i += connections
      done++
    }
  }
  await Promise.all(Array.from({ length: connections }, (_, w) => loop(w)))
  process.send({ done, bytes, failed })
  process.exit(0)
} else {
  const { Effect } = await import("effect")
  const { Simulator } = await import("../dist/index.js")
  await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
    const { url } = yield* Simulator.serve({ incidents, maxRecordedRequests: 0 })
    const child = fork(fileURLToPath(import.meta.url), process.argv.slice(2), { env: { ...process.env, SIM_LOAD_URL: url } })
    const result = yield* Effect.async((resume) => { child.on("message", (m) => resume(Effect.succeed(m))) })
    const rps = result.done / seconds
    console.log(`${result.done} requests in ${seconds}s over ${connections} connections: ${Math.round(rps)} req/s, ${(result.bytes / result.done / 1024).toFixed(1)} KiB/page, ${result.failed} failed`)
  })))
}
