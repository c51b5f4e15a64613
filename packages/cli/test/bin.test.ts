/**
 * End-to-end: spawns the BUILT `pagerduty` bin (`pnpm test` runs `tsc -b` first) against a
 * simulator served on 127.0.0.1 by this process, and checks stdout, stderr and exit codes.
 * The processes run concurrently to keep the file fast.
 */
import { Simulator } from "@effect-pagerduty/testkit"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { Effect, Exit, Scope } from "effect"

const bin = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../bin/pagerduty.js")

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
    execFile(process.execPath, [bin, ...args], { env: { ...cleanEnv(), ...env }, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1
      resolve({ code, stdout, stderr })
    })
  })

let scope: Scope.CloseableScope
let served: Simulator.Served

beforeAll(async () => {
  scope = await Effect.runPromise(Scope.make())
  served = await Effect.runPromise(Scope.extend(Simulator.serve({ incidents: 40 }), scope))
  // a 501 is not retried: a fast ServerHttpError
  await Effect.runPromise(served.simulator.addFault({ method: "GET", path: "/teams", kind: Simulator.Fault.status5xx(501) }))
})

afterAll(async () => {
  await Effect.runPromise(Scope.close(scope, Exit.void))
})

const rest = (...args: Array<string>) => ["--base-url", served.url, "--api-key", Simulator.DEFAULT_API_KEY, ...args]

const ndjson = (text: string): Array<Record<string, unknown>> =>
  text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>)

describe("pagerduty (built bin) against Simulator.serve", () => {
  it("REST commands in every format", async () => {
    const [json, nd, table, filtered, oncall, oncallOne, getOne, getList, getAll] = await Promise.all([
      run(rest("incidents", "list")),
      run(rest("incidents", "list", "--format", "ndjson", "--limit", "7")),
      run(rest("incidents", "list", "--format", "table", "--status", "triggered", "--status", "acknowledged")),
      run(rest("incidents", "list", "--format", "ndjson", "--status", "resolved", "--service", "PV00001")),
      run(rest("oncall")),
      run(rest("oncall", "--schedule", "PC00000", "--format", "ndjson")),
      run(rest("get", "/users/PU00001", "--format", "table")),
      run(rest("get", "/users", "--param", "limit=2", "--format", "ndjson")),
      run(rest("get", "/users", "--all", "--param", "limit=3"))
    ])
    const open = await Effect.runPromise(served.simulator.state.incidents({ statuses: ["triggered", "acknowledged"] }))
    const all = await Effect.runPromise(served.simulator.state.incidents())

    // json: one array, every incident of the default window, nothing on stderr (not a terminal)
    assert.strictEqual(json.code, 0, json.stderr)
    assert.strictEqual(json.stderr, "")
    const listed = JSON.parse(json.stdout) as Array<{ id: string }>
    assert.strictEqual(listed.length, all.length)
    assert.deepStrictEqual(listed.map((i) => i.id), all.map((i) => i.id))

    // ndjson with --limit: exactly 7 lines
    assert.strictEqual(nd.code, 0, nd.stderr)
    assert.deepStrictEqual(ndjson(nd.stdout).map((i) => i.id), all.slice(0, 7).map((i) => i.id))

    // table with repeated --status
    assert.strictEqual(table.code, 0, table.stderr)
    const lines = table.stdout.trimEnd().split("\n")
    assert.match(lines[0]!, /^ID\s+#\s+STATUS\s+URGENCY\s+CREATED\s+SERVICE\s+TITLE$/)
    assert.strictEqual(lines.length - 1, open.length)
    assert.isTrue(lines.slice(1).every((l) => / (triggered|acknowledged) /.test(l)))

    // filters are sent as statuses[] / service_ids[]
    assert.strictEqual(filtered.code, 0, filtered.stderr)
    const resolved = ndjson(filtered.stdout)
    assert.isAbove(resolved.length, 0)
    assert.isTrue(resolved.every((i) => i.status === "resolved" && (i.service as { id: string }).id === "PV00001"))

    assert.strictEqual(oncall.code, 0, oncall.stderr)
    assert.isAbove((JSON.parse(oncall.stdout) as Array<unknown>).length, 0)
    assert.strictEqual(oncallOne.code, 0, oncallOne.stderr)
    const scheduled = ndjson(oncallOne.stdout)
    assert.isAbove(scheduled.length, 0)
    assert.isTrue(scheduled.every((o) => (o.schedule as { id: string }).id === "PC00000"))

    assert.strictEqual(getOne.code, 0, getOne.stderr)
    assert.match(getOne.stdout, /^KEY\s+VALUE\nid\s+PU00001\n/)
    assert.strictEqual(getList.code, 0, getList.stderr)
    assert.strictEqual(ndjson(getList.stdout).length, 2)
    assert.strictEqual(getAll.code, 0, getAll.stderr)
    const users = await Effect.runPromise(served.simulator.state.users)
    assert.deepStrictEqual((JSON.parse(getAll.stdout) as Array<{ id: string }>).map((u) => u.id), users.map((u) => u.id))
  })

  it("errors: bad flags exit 2, a wrong key exits 4 without printing it, no key exits 8, 404 exits 4, 5xx exits 5", async () => {
    const wrongKey = "u+WRONG-key-0123456789"
    const [badFormat, badDate, unknownCommand, wrong, noKey, notFound, server, badParam] = await Promise.all([
      run(rest("incidents", "list", "--format", "xml")),
      run(rest("incidents", "list", "--since", "yesterday-ish")),
      run(rest("incidentz")),
      run(["--base-url", served.url, "--api-key", wrongKey, "incidents", "list"]),
      run(["--base-url", served.url, "oncall"]),
      run(rest("get", "/users/PZZZZZZ")),
      run(rest("get", "/teams")),
      run(rest("get", "/users", "--param", "limit"))
    ])
    for (const r of [badFormat, badDate, unknownCommand, badParam]) {
      assert.strictEqual(r.code, 2, r.stderr)
      assert.strictEqual(r.stdout, "")
      assert.include(r.stderr, "pagerduty --help")
      assert.notInclude(r.stderr, "    at ")
    }
    assert.include(badFormat.stderr, "json, ndjson, table")
    assert.include(badParam.stderr, "--param expects key=value")

    assert.strictEqual(wrong.code, 4)
    assert.strictEqual(wrong.stdout, "")
    assert.match(wrong.stderr, /^Error: GET http:\/\/127\.0\.0\.1:\d+\/incidents\S*: 401 Unauthorized/)
    assert.include(wrong.stderr, "API key was refused")
    assert.include(wrong.stderr, "region")
    assert.notInclude(wrong.stderr, wrongKey)
    assert.notInclude(wrong.stderr, "WRONG-key")
    assert.strictEqual(wrong.stderr.trimEnd().split("\n").length, 1)

    assert.strictEqual(noKey.code, 8)
    assert.strictEqual(noKey.stderr, "Error: no API key: pass --api-key or set PAGERDUTY_API_KEY (or try --simulator)\n")

    assert.strictEqual(notFound.code, 4)
    assert.include(notFound.stderr, "404 Not Found")
    assert.strictEqual(server.code, 5)
    assert.include(server.stderr, "501")
    for (const r of [wrong, noKey, notFound, server]) assert.notInclude(r.stderr, "    at ")
  })

  it("keys come from the environment; --simulator needs no key and no server", async () => {
    const [fromEnv, simulated, simulatedGet, conflict] = await Promise.all([
      run(["get", "/users/PU00000"], { PAGERDUTY_API_KEY: Simulator.DEFAULT_API_KEY, PAGERDUTY_BASE_URL: served.url }),
      run(["--simulator", "incidents", "list", "--format", "table", "--limit", "3"]),
      run(["get", "/schedules/PC00000", "--simulator"]),
      run(["--simulator", "--base-url", served.url, "oncall"])
    ])
    assert.strictEqual(fromEnv.code, 0, fromEnv.stderr)
    assert.strictEqual((JSON.parse(fromEnv.stdout) as { user: { id: string } }).user.id, "PU00000")
    assert.strictEqual(simulated.code, 0, simulated.stderr)
    assert.strictEqual(simulated.stdout.trimEnd().split("\n").length, 4)
    assert.strictEqual(simulatedGet.code, 0, simulatedGet.stderr)
    assert.strictEqual((JSON.parse(simulatedGet.stdout) as { schedule: { id: string } }).schedule.id, "PC00000")
    assert.strictEqual(conflict.code, 2)
    assert.include(conflict.stderr, "--simulator and --base-url cannot be used together")
  })
})
