/**
 * End-to-end: spawns the BUILT `pagerduty` bin (`pnpm test` runs `tsc -b` first) against a
 * simulator served on 127.0.0.1 by this process, and checks stdout, stderr and exit codes.
 * The processes run concurrently to keep the file fast. The commands' behaviour in detail
 * (formats, filters, regions, help, retries, listings past 10 000) is tested in-process by
 * cli.test.ts; this file checks what only a real process shows.
 */
import { Simulator } from "@effect-pagerduty/testkit"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { Effect, Exit, Scope } from "effect"

const bin = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../bin/pagerduty.js")

const hasScript = process.platform === "linux" && fs.existsSync("/usr/bin/script")
const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`

interface Result {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** The environment of the test process without any PAGERDUTY_* variable. */
const cleanEnv = (): Record<string, string> => {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith("PAGERDUTY_")) env[k] = v
  }
  return env
}

const run = (args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<Result> =>
  new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { ...cleanEnv(), ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      // a spawn failure or a timeout (no numeric exit code) is reported in stderr, for the assertion message
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1
      resolve({ code, stdout, stderr: code === -1 ? `${stderr}\n[spawn] ${error?.message} (signal ${error?.signal})` : stderr })
    })
  })

let scope: Scope.CloseableScope
let served: Simulator.Served
/** A second simulator for the Events test, whose triggers must not change the incidents the REST test lists. */
let eventsServed: Simulator.Served

beforeAll(async () => {
  if (!fs.existsSync(Path.resolve(Path.dirname(bin), "../dist/bin.js"))) {
    throw new Error("packages/cli/dist/bin.js is missing: run `pnpm build` first (`pnpm test` builds before testing)")
  }
  scope = await Effect.runPromise(Scope.make())
  served = await Effect.runPromise(Scope.extend(Simulator.serve({ incidents: 40 }), scope))
  eventsServed = await Effect.runPromise(Scope.extend(Simulator.serve({ incidents: 5 }), scope))
  // a 501 is not retried: a fast ServerHttpError
  await Effect.runPromise(served.simulator.addFault({ method: "GET", path: "/teams", kind: Simulator.Fault.status5xx(501) }))
})

afterAll(async () => {
  await Effect.runPromise(Scope.close(scope, Exit.void))
})

const rest = (...args: Array<string>) => ["--base-url", served.url, "--api-key", Simulator.DEFAULT_API_KEY, ...args]

// Each test spawns its processes at once; the tests run one after the other so a loaded machine is not swamped.
describe("pagerduty (built bin) against Simulator.serve", () => {
  it("errors: bad flags exit 2, a foreign URL 3, a wrong key 4 without printing it, no key 8, 5xx 5", async () => {
    const wrongKey = "u+WRONG-key-0123456789"
    const [badFormat, foreign, wrong, noKey, server] = await Promise.all([
      run(rest("incidents", "list", "--format", "xml")),
      run(rest("get", "https://api.pagerduty.com.evil.com/users")),
      run(["--base-url", served.url, "--api-key", wrongKey, "incidents", "list"]),
      run(["--base-url", served.url, "oncall"]),
      run(rest("get", "/teams"))
    ])
    assert.strictEqual(badFormat.code, 2, badFormat.stderr)
    assert.strictEqual(badFormat.stdout, "")
    assert.strictEqual(
      badFormat.stderr,
      "Expected one of the following cases: json, ndjson, table\n\nRun 'pagerduty incidents list --help' for usage.\n"
    )

    assert.strictEqual(foreign.code, 3)
    assert.match(foreign.stderr, /^Error: https:\/\/api\.pagerduty\.com\.evil\.com\/users: ForeignOrigin/)

    assert.strictEqual(wrong.code, 4)
    assert.strictEqual(wrong.stdout, "")
    assert.match(wrong.stderr, /^Error: GET http:\/\/127\.0\.0\.1:\d+\/incidents\S*: 401 Unauthorized/)
    assert.include(wrong.stderr, "API key was refused")
    assert.include(wrong.stderr, "region")
    assert.notInclude(wrong.stderr, "WRONG-key")
    assert.strictEqual(wrong.stderr.trimEnd().split("\n").length, 1)

    assert.strictEqual(noKey.code, 8)
    assert.strictEqual(noKey.stderr, "Error: no API key: pass -k/--api-key or set PAGERDUTY_API_KEY (or try --simulator)\n")

    assert.strictEqual(server.code, 5)
    assert.include(server.stderr, "501")
    for (const r of [badFormat, foreign, wrong, noKey, server]) assert.notInclude(r.stderr, "    at ")
  }, 90_000)

  it("keys come from the environment; --simulator needs no key and no server; help has no ANSI styles in a pipe; no command or an unknown one exits 2", async () => {
    const [fromEnv, simulated, help, none, unknown] = await Promise.all([
      run(["get", "/users/PU00001", "--format", "table"], { PAGERDUTY_API_KEY: Simulator.DEFAULT_API_KEY, PAGERDUTY_BASE_URL: served.url }),
      run(["incidents", "list", "--format", "table", "--simulator", "--limit", "3"]),
      run(["--help"]),
      run([]),
      run(["frobnicate", "--simulator"])
    ])
    assert.strictEqual(fromEnv.code, 0, fromEnv.stderr)
    assert.match(fromEnv.stdout, /^KEY\s+VALUE\nid\s+PU00001\ntype\s+user\n/)
    assert.strictEqual(simulated.code, 0, simulated.stderr)
    assert.match(simulated.stdout, /^ID\s+#\s+STATUS/)
    assert.strictEqual(simulated.stdout.trimEnd().split("\n").length, 4)
    assert.strictEqual(help.code, 0)
    assert.include(help.stdout, "incidents list")
    assert.notInclude(help.stdout, "\u001b[")
    // no command: the help on stderr (stdout stays empty for pipes), exit 2; an unknown command: one message, exit 2
    assert.strictEqual(none.code, 2)
    assert.strictEqual(none.stdout, "")
    assert.include(none.stderr, "$ pagerduty <command> [flags]")
    assert.strictEqual(unknown.code, 2)
    assert.strictEqual(unknown.stdout, "")
    assert.strictEqual(unknown.stderr, "Error: unknown command 'frobnicate' for 'pagerduty'\nRun 'pagerduty --help' for usage.\n")
  }, 90_000)

  it("Events v2: trigger (flags before the action), acknowledge, resolve leave the incident resolved", async () => {
    const dedupKey = `cli-test-${process.pid}`
    const events = (...args: Array<string>) => ["--base-url", eventsServed.url, ...args]
    const chain = (async () => {
      // global and python-pagerduty flags before the action, as `pagerduty -k KEY trigger ...`
      const triggered = await run(events(
        "-k", Simulator.DEFAULT_ROUTING_KEY, "-i", dedupKey, "trigger", "--description", "Disk full on db-1", "--severity", "warning",
        "--details", "{\"disk\":\"95%\"}"
      ))
      const afterTrigger = await Effect.runPromise(eventsServed.simulator.state.incidents())
      const acknowledged = await run(events("acknowledge", "--routing-key", Simulator.DEFAULT_ROUTING_KEY, "-i", dedupKey))
      const afterAck = await Effect.runPromise(eventsServed.simulator.state.incidents())
      const resolved = await run(events("resolve", "-i", dedupKey), { PAGERDUTY_ROUTING_KEY: Simulator.DEFAULT_ROUTING_KEY })
      const afterResolve = await Effect.runPromise(eventsServed.simulator.state.incidents({ statuses: ["resolved"] }))
      return { triggered, acknowledged, resolved, afterTrigger, afterAck, afterResolve }
    })()
    const c = await chain
    const byKey = (list: ReadonlyArray<Simulator.Incident>) => list.find((i) => i.incident_key === dedupKey)

    assert.strictEqual(c.triggered.code, 0, c.triggered.stderr)
    assert.strictEqual(c.triggered.stdout, `Alert triggered successfully. Deduplication key: ${dedupKey}\n`)
    assert.strictEqual(byKey(c.afterTrigger)?.status, "triggered")
    assert.strictEqual(c.acknowledged.code, 0, c.acknowledged.stderr)
    assert.strictEqual(c.acknowledged.stdout, `Alert acknowledged successfully. Deduplication key: ${dedupKey}\n`)
    assert.strictEqual(byKey(c.afterAck)?.status, "acknowledged")
    assert.strictEqual(c.resolved.code, 0, c.resolved.stderr)
    assert.strictEqual(c.resolved.stdout, `Alert resolved successfully. Deduplication key: ${dedupKey}\n`)
    assert.strictEqual(byKey(c.afterResolve)?.status, "resolved")
    assert.strictEqual((await Effect.runPromise(eventsServed.simulator.eventsByDedupKey))[dedupKey], 3)

  }, 90_000)

  it.skipIf(!hasScript)("draws the progress line (items, pages, rate-limit waits) on a terminal stderr and erases it at the end", async () => {
    // the second page is answered 429 once (wait 1 s): the line counts the wait
    await Effect.runPromise(served.simulator.addFault({ method: "GET", path: "/users", nth: [2], times: 1, kind: Simulator.Fault.status429({ reset: 1 }) }))
    // `script` gives the command a pseudo-terminal; stdout goes to a file, the terminal shows stderr only.
    const out = Path.join(os.tmpdir(), `pagerduty-progress-${process.pid}.json`)
    const command = [process.execPath, bin, ...rest("get", "/users", "--all", "--param", "limit=2")].map(quote).join(" ")
    const terminal = await new Promise<string>((resolve, reject) => {
      execFile("script", ["-qec", `${command} > ${quote(out)}`, "/dev/null"], { env: cleanEnv(), timeout: 60_000 }, (error, stdout) =>
        error === null ? resolve(stdout) : reject(error))
    })
    const users = JSON.parse(fs.readFileSync(out, "utf8")) as Array<unknown>
    fs.rmSync(out, { force: true })
    assert.isAbove(users.length, 2)
    assert.match(terminal, /\r\u001b\[2K\/users: \d+ items?, \d+ pages?/)
    assert.match(terminal, /\r\u001b\[2K\/users: \d+ items?, \d+ pages?, 1 rate-limit wait/)
    assert.isTrue(terminal.endsWith("\r\u001b[2K"), JSON.stringify(terminal))
  }, 90_000)
})
