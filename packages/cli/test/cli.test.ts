/**
 * The `pagerduty` command run in-process: `Cli.main` with an argv, an environment and a test
 * `HttpClient` (the testkit simulator as a layer, or a recording client), its stdout and stderr
 * collected. Covers global flags in every position, exit codes, help text, regions, the
 * python-pagerduty CLI's flags, retries on stderr, and listings past 10 000 records. Time runs
 * on `TestClock`.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import { Simulator } from "@effect-pagerduty/testkit"
import { assert, describe, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { Context, Effect, Fiber, Layer, Option, TestClock } from "effect"
import { Argv, Cli } from "../src/index.js"

const CliEnvironment = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer)

interface Result {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

interface RunOptions {
  readonly env?: Record<string, string>
  readonly httpClient?: Layer.Layer<HttpClient.HttpClient>
  readonly stderrIsTTY?: boolean
}

/** Runs `pagerduty ...args` in-process. */
const run = (args: ReadonlyArray<string>, options: RunOptions = {}): Effect.Effect<Result> =>
  Effect.gen(function*() {
    const out: Array<string> = []
    const err: Array<string> = []
    const code = yield* Cli.main(["node", "pagerduty", ...args], options.env ?? {}, {
      httpClient: options.httpClient,
      stdout: (text) => Effect.sync(() => void out.push(text)),
      stderr: (text) => void err.push(text),
      stdoutIsTTY: false,
      stderrIsTTY: options.stderrIsTTY ?? false
    })
    return { code, stdout: out.join(""), stderr: err.join("") }
  }).pipe(Effect.provide(CliEnvironment))

/** A simulator (in memory) and the `HttpClient` layer that talks to it. */
const simulator = (options: Simulator.Options = {}) =>
  Effect.gen(function*() {
    const context = yield* Layer.build(Simulator.layer(options))
    return { sim: Context.get(context, Simulator.Simulator), httpClient: Layer.succeedContext(context) }
  })

const lines = (text: string) => text.split("\n").filter((l) => l !== "")
const ndjson = (text: string) => lines(text).map((l) => JSON.parse(l) as { readonly id: string; readonly [k: string]: unknown })
const key = ["-k", Simulator.DEFAULT_API_KEY]

describe("Argv.normalize", () => {
  const root = Cli.command.descriptor
  const argv = (...args: Array<string>) => ["node", "pagerduty", ...args]

  it("moves global flags written before or between command names to just after them", () => {
    assert.deepStrictEqual(
      Argv.normalize(root, argv("-k", "KEY", "trigger", "--description", "Disk full")),
      { _tag: "Run", argv: argv("trigger", "-k", "KEY", "--description", "Disk full"), path: ["trigger"] }
    )
    assert.deepStrictEqual(
      Argv.normalize(root, argv("--simulator", "incidents", "--format=ndjson", "list", "--limit", "3")),
      { _tag: "Run", argv: argv("incidents", "list", "--simulator", "--format=ndjson", "--limit", "3"), path: ["incidents", "list"] }
    )
    // a flag value equal to a command name is a value, not a command
    assert.deepStrictEqual(
      Argv.normalize(root, argv("--base-url", "get", "get", "/users")),
      { _tag: "Run", argv: argv("get", "--base-url", "get", "/users"), path: ["get"] }
    )
    // built-in flags come first wherever they are (before --); the command's own flags keep their order
    assert.deepStrictEqual(
      Argv.normalize(root, argv("--log-level", "debug", "--region", "eu", "oncall", "--schedule", "P1", "--help", "--region", "us")),
      { _tag: "Run", argv: argv("oncall", "--log-level", "debug", "--help", "--region", "eu", "--schedule", "P1", "--region", "us"), path: ["oncall"] }
    )
    assert.deepStrictEqual(
      Argv.normalize(root, argv("get", "/users", "--limit", "5", "--log-level=debug", "--completions", "bash", "--", "--help")),
      { _tag: "Run", argv: argv("get", "--log-level=debug", "--completions", "bash", "/users", "--limit", "5", "--", "--help"), path: ["get"] }
    )
  })

  it("python-pagerduty's flags may come before the action too", () => {
    assert.deepStrictEqual(
      Argv.normalize(root, argv("-i", "disk-1", "--description", "Disk full", "--source=db-1", "trigger", "-k", "K")),
      { _tag: "Run", argv: argv("trigger", "-i", "disk-1", "--description", "Disk full", "--source=db-1", "-k", "K"), path: ["trigger"] }
    )
  })

  it("an unknown flag before the command is UnknownFlag; after it, and after --, everything is left to @effect/cli", () => {
    assert.deepStrictEqual(Argv.normalize(root, argv("-k", "K", "--bogus", "trigger")), { _tag: "UnknownFlag", flag: "--bogus", path: [] })
    assert.deepStrictEqual(Argv.normalize(root, argv("incidents", "--limit=3", "list")), { _tag: "UnknownFlag", flag: "--limit", path: ["incidents"] })
    assert.deepStrictEqual(
      Argv.normalize(root, argv("--simulator", "trigger", "--bogus", "--simulator")),
      { _tag: "Run", argv: argv("trigger", "--simulator", "--bogus", "--simulator"), path: ["trigger"] }
    )
    assert.deepStrictEqual(Argv.normalize(root, argv("--", "trigger")), { _tag: "Run", argv: argv("--", "trigger"), path: [] })
  })

  it("no command is Usage (help, exit 2); a wrong name is UnknownCommand with the close names", () => {
    assert.deepStrictEqual(Argv.normalize(root, argv()), { _tag: "Usage", path: [] })
    assert.deepStrictEqual(Argv.normalize(root, argv("--simulator")), { _tag: "Usage", path: [] })
    assert.deepStrictEqual(Argv.normalize(root, argv("incidents")), { _tag: "Usage", path: ["incidents"] })
    assert.deepStrictEqual(Argv.normalize(root, argv("--help")), { _tag: "Run", argv: argv("--help"), path: [] })
    assert.deepStrictEqual(Argv.normalize(root, argv("help")), { _tag: "Run", argv: argv("--help"), path: [] })
    assert.deepStrictEqual(Argv.normalize(root, argv("help", "incidents", "list")), { _tag: "Run", argv: argv("incidents", "list", "--help"), path: ["incidents", "list"] })
    assert.deepStrictEqual(Argv.normalize(root, argv("help", "frob")), { _tag: "UnknownCommand", command: "frob", parent: [], suggestions: [] })
    assert.deepStrictEqual(Argv.normalize(root, argv("trigegr")), { _tag: "UnknownCommand", command: "trigegr", parent: [], suggestions: ["trigger"] })
    assert.deepStrictEqual(Argv.normalize(root, argv("incidents", "lst")), {
      _tag: "UnknownCommand",
      command: "lst",
      parent: ["incidents"],
      suggestions: ["list"]
    })
  })

  it("commandPaths lists every runnable command", () => {
    const paths = Argv.commandPaths(root).map((p) => p.join(" "))
    for (const p of ["trigger", "acknowledge", "resolve", "change", "incidents list", "oncall", "schedules render", "get"]) {
      assert.include(paths, p)
    }
  })
})

describe("Cli.parseDate", () => {
  it("accepts dates and date-times with Z, offsets or none (UTC); rejects impossible days", () => {
    const iso = (text: string) => Option.map(Cli.parseDate(text), (d) => d.toISOString())
    assert.deepStrictEqual(iso("2026-01-15"), Option.some("2026-01-15T00:00:00.000Z"))
    assert.deepStrictEqual(iso("2026-01-15T09:30"), Option.some("2026-01-15T09:30:00.000Z"))
    assert.deepStrictEqual(iso("2026-01-15T09:30:05Z"), Option.some("2026-01-15T09:30:05.000Z"))
    assert.deepStrictEqual(iso("2026-01-15T10:30:00.25+01:00"), Option.some("2026-01-15T09:30:00.250Z"))
    assert.deepStrictEqual(iso("2026-01-15T01:00-0230"), Option.some("2026-01-15T03:30:00.000Z"))
    for (const bad of ["2026-02-30", "2026-13-01", "2026-01-15T24:00", "yesterday", "2026-01-15T09:30+25:00", ""]) {
      assert.isTrue(Option.isNone(Cli.parseDate(bad)), bad)
    }
  })
})

describe("help", () => {
  it.effect("every command's --help is in our own words: no generic type sentences; dates say Z/offsets; filters say optional and repeatable", () =>
    Effect.gen(function*() {
      const paths = Argv.commandPaths(Cli.command.descriptor)
      const groups = [[], ["incidents"], ["schedules"]]
      const helps = new Map<string, string>()
      for (const path of [...groups, ...paths]) {
        const r = yield* run([...path, "--help"])
        assert.strictEqual(r.code, 0, `${path.join(" ")}: ${r.stderr}`)
        assert.isAbove(r.stdout.length, 100)
        for (const generic of ["A user-defined piece of text", "A true or false value", "An integer.", "without a time-zone", "One of the following"]) {
          assert.notInclude(r.stdout, generic, `${path.join(" ")} --help`)
        }
        if (path.length > 0) assert.include(r.stdout, `\n$ pagerduty ${path.join(" ")}`, `${path.join(" ")}: usage names the whole command`)
        helps.set(path.join(" "), r.stdout)
      }
      assert.include(helps.get("")!, "\n$ pagerduty <command> [flags]\n")
      assert.include(helps.get("incidents")!, "\n$ pagerduty incidents <command> [flags]\n")
      const list = helps.get("incidents list")!
      assert.match(list, /--since DATE[\s\S]*Z or an offset is honoured/)
      assert.match(list, /--status[\s\S]*Optional and repeatable/)
      assert.match(list, /--service ID[\s\S]*Optional and repeatable/)
      // in the usage line, the repeatable filters are shown optional
      assert.include(list, "[--status triggered | acknowledged | resolved...]")
      assert.include(list, "[--service ID...]")
      // every command that calls PagerDuty lists the global flags
      const apiCommands = ["trigger", "acknowledge", "resolve", "change", "incidents list", "oncall", "schedules render", "get"].map((p) => p.split(" "))
      for (const path of apiCommands) {
        const help = helps.get(path.join(" "))!
        for (const flag of ["--region", "--base-url", "--simulator", "--verbose", "-k"]) assert.include(help, flag, `${path.join(" ")} ${flag}`)
      }
      assert.include(helps.get("trigger")!, "(-k, --routing-key KEY)")
      assert.include(helps.get("get")!, "(-k, --api-key KEY)")
    }))

  it.effect("no arguments: help on stderr, nothing on stdout, exit 2; an unknown command names itself and the close ones, exit 2", () =>
    Effect.gen(function*() {
      const none = yield* run([])
      assert.strictEqual(none.code, 2)
      assert.strictEqual(none.stdout, "")
      assert.include(none.stderr, "USAGE")
      assert.include(none.stderr, "incidents list")
      const group = yield* run(["incidents"])
      assert.strictEqual(group.code, 2)
      assert.include(group.stderr, "list")
      // help after a flag's value (which @effect/cli alone would call an unknown argument)
      const late = yield* run(["incidents", "list", "--limit", "5", "--help"])
      assert.strictEqual(late.code, 0, late.stderr)
      assert.include(late.stdout, "$ pagerduty incidents list")
      const unknown = yield* run(["trigegr", "-k", "SECRET-KEY-1"])
      assert.strictEqual(unknown.code, 2)
      assert.strictEqual(unknown.stdout, "")
      assert.strictEqual(unknown.stderr, "Error: unknown command 'trigegr' for 'pagerduty'\nDid you mean 'trigger'?\nRun 'pagerduty --help' for usage.\n")
      const flag = yield* run(["--bogus", "incidents", "list"])
      assert.strictEqual(flag.code, 2)
      assert.strictEqual(flag.stderr, "Error: unknown flag '--bogus' for 'pagerduty'\nRun 'pagerduty --help' for usage.\n")
      // a usage error of a command points to that command's help
      const missing = yield* run(["-k", "K", "trigger"])
      assert.strictEqual(missing.code, 2)
      assert.strictEqual(missing.stderr, "Expected to find option: '--description'\n\nRun 'pagerduty trigger --help' for usage.\n")
      const nested = yield* run(["schedules", "list"])
      assert.strictEqual(nested.code, 2)
      assert.include(nested.stderr, "unknown command 'list' for 'pagerduty schedules'")
    }))
})

describe("--completions", () => {
  it.effect.skipIf(!fs.existsSync("/bin/bash"))("the bash script completes commands and the flags of commands two levels deep", () =>
    Effect.gen(function*() {
      const r = yield* run(["--completions", "bash"])
      assert.strictEqual(r.code, 0, r.stderr)
      const complete = (...words: Array<string>) =>
        execFileSync("/bin/bash", ["-c", `${r.stdout}\nCOMP_WORDS=(${words.join(" ")}); COMP_CWORD=${words.length - 1}; _pagerduty_bash_completions pagerduty; echo "\${COMPREPLY[@]}"`], {
          encoding: "utf8"
        }).trim().split(" ")
      assert.deepStrictEqual(complete("pagerduty", "inc"), ["incidents"])
      assert.deepStrictEqual(complete("pagerduty", "trigger", "--sev"), ["--severity"])
      assert.deepStrictEqual(complete("pagerduty", "incidents", "list", "--si").sort(), ["--simulator", "--since"])
      assert.deepStrictEqual(complete("pagerduty", "schedules", "render", "--un"), ["--until"])
      const zsh = yield* run(["--completions", "zsh"])
      assert.match(zsh.stdout, /^#compdef pagerduty/)
    }))
})

describe("global flags in any position", () => {
  it.effect("--simulator and --format before, between or after the command names give the same listing", () =>
    Effect.gen(function*() {
      const variants = [
        ["--simulator", "--format", "ndjson", "incidents", "list", "--limit", "4"],
        ["incidents", "list", "--simulator", "--format", "ndjson", "--limit", "4"],
        ["incidents", "--format=ndjson", "list", "--limit", "4", "--simulator"]
      ]
      const results = []
      for (const args of variants) results.push(yield* run(args))
      for (const r of results) {
        assert.strictEqual(r.code, 0, r.stderr)
        assert.strictEqual(r.stderr, "")
        assert.strictEqual(ndjson(r.stdout).length, 4)
      }
      assert.strictEqual(results[1]!.stdout, results[0]!.stdout)
      // --simulator uses its own key, not a real one from the environment
      const withEnvKey = yield* run(["--simulator", "incidents", "list", "--limit", "1"], { env: { PAGERDUTY_API_KEY: "u+REAL-key-0123456789" } })
      assert.strictEqual(withEnvKey.code, 0, withEnvKey.stderr)
      assert.strictEqual(results[2]!.stdout, results[0]!.stdout)
    }))

  it.effect("python-pagerduty's CLI: -k before or after the action, -i, --description, --source (also accepted by acknowledge/resolve)", () =>
    Effect.scoped(Effect.gen(function*() {
      const { httpClient, sim } = yield* simulator({ incidents: 0 })
      const rk = Simulator.DEFAULT_ROUTING_KEY
      const triggered = yield* run(["-k", rk, "trigger", "-i", "disk-1", "--description", "Disk full on db-1", "--source", "db-1"], { httpClient })
      assert.deepStrictEqual(triggered, { code: 0, stdout: "Alert triggered successfully. Deduplication key: disk-1\n", stderr: "" })
      const [incident] = yield* sim.state.incidents()
      assert.strictEqual(incident?.title, "Disk full on db-1")
      assert.strictEqual(incident?.status, "triggered")

      const acknowledged = yield* run(["acknowledge", "-k", rk, "-i", "disk-1", "--description", "ignored", "--source", "db-1"], { httpClient })
      assert.deepStrictEqual(acknowledged, { code: 0, stdout: "Alert acknowledged successfully. Deduplication key: disk-1\n", stderr: "" })
      assert.strictEqual((yield* sim.state.incidents())[0]?.status, "acknowledged")

      const resolved = yield* run(["--routing-key", rk, "resolve", "--dedup-key", "disk-1"], { httpClient })
      assert.deepStrictEqual(resolved, { code: 0, stdout: "Alert resolved successfully. Deduplication key: disk-1\n", stderr: "" })
      const after = yield* sim.state.incidents()
      assert.strictEqual(after.length, 1)
      assert.strictEqual(after[0]?.incident_key, "disk-1")
      assert.strictEqual(after[0]?.status, "resolved")

      // python-pagerduty's flags before the action
      const before = yield* run(["-i", "disk-2", "--description", "Disk full on db-2", "--source", "db-2", "-k", rk, "trigger"], { httpClient })
      assert.deepStrictEqual(before, { code: 0, stdout: "Alert triggered successfully. Deduplication key: disk-2\n", stderr: "" })
      assert.strictEqual((yield* sim.state.incidents()).find((i) => i.incident_key === "disk-2")?.title, "Disk full on db-2")

      // both keys set once (a shell alias): each command uses its own
      const aliased = ["--api-key", Simulator.DEFAULT_API_KEY, "--routing-key", rk]
      const triggeredAliased = yield* run([...aliased, "trigger", "-i", "disk-3", "--description", "x"], { httpClient })
      assert.strictEqual(triggeredAliased.code, 0, triggeredAliased.stderr)
      const listedAliased = yield* run([...aliased, "incidents", "list", "--format", "ndjson"], { httpClient })
      assert.strictEqual(listedAliased.code, 0, listedAliased.stderr)
      assert.include(listedAliased.stdout, "disk-3")

      // --format prints the API's answer instead, for scripts
      const json = yield* run(["trigger", "-k", rk, "--description", "x", "--format", "json"], { httpClient })
      assert.strictEqual(json.code, 0, json.stderr)
      const answer = JSON.parse(json.stdout) as { status: string; dedup_key: string }
      assert.strictEqual(answer.status, "success")
      assert.isAbove(answer.dedup_key.length, 0)
    })))
})

describe("REST commands", () => {
  it.effect("incidents list, oncall and get --all in every format, filters sent as lists", () =>
    Effect.scoped(Effect.gen(function*() {
      const { httpClient, sim } = yield* simulator({ incidents: 40 })
      const all = yield* sim.state.incidents()
      const open = (yield* sim.state.incidents({ statuses: ["triggered", "acknowledged"] })).filter((i) => i.service.id === "PV00000")

      // json: one array, every incident of the default window
      const json = yield* run(["incidents", "list", ...key], { httpClient })
      assert.strictEqual(json.code, 0, json.stderr)
      assert.strictEqual(json.stderr, "")
      assert.deepStrictEqual((JSON.parse(json.stdout) as Array<{ id: string }>).map((i) => i.id), all.map((i) => i.id))

      // ndjson with --limit: exactly 7 lines
      const nd = yield* run(["incidents", "list", ...key, "--format", "ndjson", "--limit", "7"], { httpClient })
      assert.deepStrictEqual(ndjson(nd.stdout).map((i) => i.id), all.slice(0, 7).map((i) => i.id))

      // table; repeated --status and --service are sent as statuses[] / service_ids[]
      const table = yield* run(
        ["incidents", "list", ...key, "--format", "table", "--status", "triggered", "--status", "acknowledged", "--service", "PV00000"],
        { httpClient }
      )
      assert.strictEqual(table.code, 0, table.stderr)
      const rows = table.stdout.trimEnd().split("\n")
      assert.match(rows[0]!, /^ID\s+#\s+STATUS\s+URGENCY\s+CREATED\s+SERVICE\s+TITLE$/)
      assert.isAbove(open.length, 0)
      assert.deepStrictEqual(rows.slice(1).map((l) => l.split(/\s+/)[0]), open.map((i) => i.id))
      const sent = (yield* sim.requests).filter((r) => r.path === "/incidents").map((r) => new URL(r.url).searchParams).at(-1)!
      assert.deepStrictEqual(sent.getAll("statuses[]"), ["triggered", "acknowledged"])
      assert.deepStrictEqual(sent.getAll("service_ids[]"), ["PV00000"])

      const oncall = yield* run(["oncall", ...key, "--schedule", "PC00000", "--format", "ndjson"], { httpClient })
      assert.strictEqual(oncall.code, 0, oncall.stderr)
      const scheduled = ndjson(oncall.stdout)
      assert.isAbove(scheduled.length, 0)
      assert.isTrue(scheduled.every((o) => (o.schedule as { id: string }).id === "PC00000"))

      // --all follows pagination (3 per page here)
      const users = yield* sim.state.users
      assert.isAbove(users.length, 3)
      const getAll = yield* run(["get", "/users", "--all", "--param", "limit=3", ...key], { httpClient })
      assert.strictEqual(getAll.code, 0, getAll.stderr)
      assert.deepStrictEqual((JSON.parse(getAll.stdout) as Array<{ id: string }>).map((u) => u.id), users.map((u) => u.id))
    })))
})

describe("Events and schedules commands", () => {
  it.effect("change is sent; an invalid event exits 7 and sends nothing; a missing --description is a usage error", () =>
    Effect.scoped(Effect.gen(function*() {
      const { httpClient, sim } = yield* simulator({ incidents: 0 })
      const env = { PAGERDUTY_ROUTING_KEY: Simulator.DEFAULT_ROUTING_KEY }
      const change = yield* run(["change", "--summary", "Deployed v1.2.3", "--details", "{\"build\":42}"], { env, httpClient })
      assert.deepStrictEqual(change, { code: 0, stdout: "Change event sent successfully.\n", stderr: "" })
      assert.isTrue((yield* sim.state.changeEvents).some((e) => JSON.stringify(e).includes("Deployed v1.2.3")))

      const invalid = yield* run(["trigger", "--description", "   "], { env, httpClient })
      assert.strictEqual(invalid.code, 7)
      assert.strictEqual(invalid.stderr, "Error: invalid event, nothing sent: payload.summary: summary must not be empty or blank\n")
      const badDetails = yield* run(["trigger", "--description", "x", "--details", "[1]"], { env, httpClient })
      assert.strictEqual(badDetails.code, 2)
      assert.strictEqual((yield* sim.countsByEndpoint)["POST /v2/enqueue"], undefined)

      const missing = yield* run(["trigger"], { env, httpClient })
      assert.strictEqual(missing.code, 2)
      assert.include(missing.stderr, "Expected to find option: '--description'")
      assert.notInclude(invalid.stderr + missing.stderr, Simulator.DEFAULT_ROUTING_KEY)
    })))

  it.effect("schedules render over six months (more than one API window): contiguous entries covering the range", () =>
    Effect.scoped(Effect.gen(function*() {
      const { httpClient, sim } = yield* simulator()
      // the seeded schedule starts four weeks before the simulator's now
      const day = 86_400_000
      const since = new Date(Math.floor((yield* sim.now).getTime() / day) * day - 7 * day)
      const until = new Date(since.getTime() + 183 * day)
      const render = yield* run(
        ["schedules", "render", "PC00000", ...key, "--since", since.toISOString().slice(0, 10), "--until", until.toISOString(), "--format", "table"],
        { httpClient }
      )
      assert.strictEqual(render.code, 0, render.stderr)
      const rows = render.stdout.trimEnd().split("\n")
      assert.match(rows[0]!, /^START\s+END\s+USER$/)
      const entries = rows.slice(1).map((row) => row.split(/\s+/))
      assert.isAbove(entries.length, 20)
      assert.strictEqual(Date.parse(entries[0]![0]!), since.getTime())
      assert.strictEqual(Date.parse(entries.at(-1)![1]!), until.getTime())
      for (let i = 1; i < entries.length; i++) assert.strictEqual(entries[i]![0], entries[i - 1]![1])
    })))
})

/** An `HttpClient` answering every request with an empty listing (or an Events 202), recording the URLs. */
const recording = (urls: Array<string>) =>
  Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request) =>
      Effect.sync(() => {
        urls.push(request.url)
        const events = request.url.includes("/v2/enqueue")
        const body = events
          ? { status: "success", message: "Event processed", dedup_key: "k1" }
          : { incidents: [], oncalls: [], users: [], limit: 100, offset: 0, more: false, total: null }
        return HttpClientResponse.fromWeb(request, new Response(JSON.stringify(body), { status: events ? 202 : 200, headers: { "content-type": "application/json" } }))
      })
    )
  )

describe("regions", () => {
  it.effect("--region eu (before or after the command) and PAGERDUTY_REGION=eu reach the EU hosts; the default is the US", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [ReadonlyArray<string>, Record<string, string>, string]> = [
        [["incidents", "list", ...key], {}, "https://api.pagerduty.com/incidents"],
        [["--region", "eu", "incidents", "list", ...key], {}, "https://api.eu.pagerduty.com/incidents"],
        [["incidents", "list", "--region", "eu", ...key], {}, "https://api.eu.pagerduty.com/incidents"],
        [["get", "/users", ...key], { PAGERDUTY_REGION: "eu" }, "https://api.eu.pagerduty.com/users"],
        [["--region", "us", "get", "/users", ...key], { PAGERDUTY_REGION: "eu" }, "https://api.pagerduty.com/users"],
        [["--region", "eu", "trigger", "-k", "R0UTING-KEY-0000000000000000000", "--description", "x"], {}, "https://events.eu.pagerduty.com/v2/enqueue"],
        [["resolve", "-i", "k1"], { PAGERDUTY_REGION: "eu", PAGERDUTY_ROUTING_KEY: "R0UTING-KEY-0000000000000000000" }, "https://events.eu.pagerduty.com/v2/enqueue"]
      ]
      for (const [args, env, expected] of cases) {
        const urls: Array<string> = []
        const r = yield* run(args, { env, httpClient: recording(urls) })
        assert.strictEqual(r.code, 0, `${args.join(" ")}: ${r.stderr}`)
        assert.isAbove(urls.length, 0)
        for (const url of urls) assert.strictEqual(url.split("?")[0], expected, args.join(" "))
      }
      const bad = yield* run(["incidents", "list", ...key], { env: { PAGERDUTY_REGION: "mars" }, httpClient: recording([]) })
      assert.strictEqual(bad.code, 8)
      assert.include(bad.stderr, "PAGERDUTY_REGION")
    }))
})

describe("exit codes", () => {
  it.effect("missing key 8, wrong key 401 exit 4 without printing it, bad flag 2", () =>
    Effect.scoped(Effect.gen(function*() {
      const { httpClient } = yield* simulator()
      const missing = yield* run(["incidents", "list"], { httpClient })
      assert.strictEqual(missing.code, 8)
      assert.strictEqual(missing.stderr, "Error: no API key: pass -k/--api-key or set PAGERDUTY_API_KEY (or try --simulator)\n")
      const noRoutingKey = yield* run(["trigger", "--description", "x"], { httpClient })
      assert.strictEqual(noRoutingKey.code, 8)
      assert.include(noRoutingKey.stderr, "-k/--routing-key")

      const wrong = yield* run(["-k", "u+WRONG-key-0123456789", "incidents", "list"], { httpClient })
      assert.strictEqual(wrong.code, 4)
      assert.strictEqual(wrong.stdout, "")
      assert.match(wrong.stderr, /^Error: GET https:\/\/api\.pagerduty\.com\/incidents\S*: 401 Unauthorized.*\(the API key was refused/, wrong.stderr)
      assert.notInclude(wrong.stderr, "WRONG-key")

      const badDate = yield* run(["incidents", "list", ...key, "--since", "last tuesday"], { httpClient })
      assert.strictEqual(badDate.code, 2)
      assert.include(badDate.stderr, "--since: 'last tuesday' is not an ISO 8601 date")
    })))

  const refusing = (attempts: { n: number }) =>
    Layer.succeed(
      HttpClient.HttpClient,
      HttpClient.make((request) =>
        Effect.suspend(() => {
          attempts.n++
          return Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", description: "connect ECONNREFUSED 127.0.0.1:9" }))
        })
      )
    )

  it.effect("a refused connection: each retry wait on stderr when it is a terminal (or with --verbose), silent otherwise; exit 6", () =>
    Effect.gen(function*() {
      const attempts = { n: 0 }
      const runOnClock = (args: ReadonlyArray<string>, stderrIsTTY: boolean) =>
        Effect.gen(function*() {
          const fiber = yield* Effect.fork(run(args, { httpClient: refusing(attempts), stderrIsTTY }))
          yield* TestClock.adjust("10 minutes")
          return yield* Fiber.join(fiber)
        })
      const tty = yield* runOnClock(["incidents", "list", ...key], true)
      assert.strictEqual(tty.code, 6)
      const waits = lines(tty.stderr).filter((l) => l.startsWith("pagerduty: retrying in "))
      assert.isAbove(waits.length, 0)
      // one line per wait the client logs (at least one per retry made)
      assert.isAtLeast(waits.length, attempts.n - 1, tty.stderr)
      assert.match(waits[0]!, /^pagerduty: retrying in \d[\dms. ]* after a network error \(GET https:\/\/api\.pagerduty\.com\/incidents\)$/)
      assert.match(lines(tty.stderr).at(-1)!, /^Error: .*incidents/)

      // a key in the URL (here a base URL with a token in its path) never reaches stderr
      const token = "T0KEN-in-the-path-0123456789"
      const withKey = yield* runOnClock(["incidents", "list", "-k", token, "--base-url", `https://proxy.example.com/${token}`], true)
      assert.strictEqual(withKey.code, 6)
      assert.include(withKey.stderr, "pagerduty: retrying in ")
      assert.notInclude(withKey.stderr, token)

      const piped = yield* runOnClock(["incidents", "list", ...key], false)
      assert.strictEqual(piped.code, 6)
      assert.notInclude(piped.stderr, "retrying")
      assert.strictEqual(lines(piped.stderr).length, 1)

      const verbose = yield* runOnClock(["--verbose", "incidents", "list", ...key], false)
      assert.strictEqual(verbose.code, 6)
      assert.include(verbose.stderr, "pagerduty: retrying in ")
    }))

  it.effect("a connection refused once, then answered: one retry line on a terminal, then the listing", () =>
    Effect.scoped(Effect.gen(function*() {
      const { httpClient, sim } = yield* simulator({
        incidents: 3,
        faults: [{ method: "GET", path: "/incidents", times: 1, kind: Simulator.Fault.drop() }]
      })
      const fiber = yield* Effect.fork(run(["incidents", "list", ...key, "--format", "ndjson"], { httpClient, stderrIsTTY: true }))
      yield* TestClock.adjust("1 minute")
      const r = yield* Fiber.join(fiber)
      assert.strictEqual(r.code, 0, r.stderr)
      assert.strictEqual(ndjson(r.stdout).length, 3)
      const retries = lines(r.stderr.replace(/\r\u001b\[2K[^\n\r]*/g, "")).filter((l) => l.startsWith("pagerduty: retrying"))
      assert.strictEqual(retries.length, 1)
      assert.strictEqual((yield* sim.countsByEndpoint)["GET /incidents"], 2)
    })))

  it("retryLine reads the client's retry log and ignores any other", () => {
    assert.strictEqual(
      Cli.retryLine("GET https://api.pagerduty.com/users?limit=5: status 503; retrying in 3s", { reason: "503", method: "GET", url: "https://api.pagerduty.com/users?limit=5" }),
      "pagerduty: retrying in 3s after 503 (GET https://api.pagerduty.com/users)"
    )
    assert.strictEqual(Cli.retryLine("x: network error; retrying in 1s 500ms", { reason: "network", attempt: 2 }), "pagerduty: retrying in 1s 500ms after a network error (attempt 2)")
    assert.isUndefined(Cli.retryLine("GET https://api.pagerduty.com/users 200", { attempt: 1, method: "GET" }))
    assert.isUndefined(Cli.retryLine("something else", { reason: "503", attempt: 1 }))
  })
})

describe("listings past 10 000 records", () => {
  it.effect("incidents list and get --all stop at the cap naming --since/--until; with them, every incident once", () =>
    Effect.scoped(Effect.gen(function*() {
      const { httpClient, sim } = yield* simulator({ incidents: 10_050 })
      const all = yield* sim.state.incidents()
      assert.strictEqual(all.length, 10_050)
      const since = all[0]!.created_at
      const until = new Date((yield* sim.now).getTime() + 1000).toISOString()

      const capped = yield* run(["incidents", "list", ...key, "--format", "ndjson"], { httpClient })
      assert.strictEqual(capped.code, 9)
      assert.strictEqual(lines(capped.stdout).length, 10_000)
      assert.strictEqual(
        capped.stderr,
        "Error: GET /incidents: the API lists at most 10000 records this way and more remain; add --since and --until: with a time window the listing is split into windows of fewer records and goes past the cap\n"
      )

      const windowed = yield* run(["incidents", "list", ...key, "--format", "ndjson", "--since", since, "--until", until], { httpClient })
      assert.strictEqual(windowed.code, 0, windowed.stderr)
      const ids = ndjson(windowed.stdout).map((i) => i.id)
      assert.strictEqual(ids.length, 10_050)
      assert.strictEqual(new Set(ids).size, 10_050)
      assert.deepStrictEqual([...ids].sort(), all.map((i) => i.id).sort())

      const getAll = yield* run(["--format", "ndjson", "get", "/incidents", "--all", ...key, "--since", since, "--until", until], { httpClient })
      assert.strictEqual(getAll.code, 0, getAll.stderr)
      assert.strictEqual(new Set(ndjson(getAll.stdout).map((i) => i.id)).size, 10_050)

      const getCapped = yield* run(["get", "/incidents", "--all", ...key, "--format", "ndjson"], { httpClient })
      assert.strictEqual(getCapped.code, 9)
      assert.include(getCapped.stderr, "add --since and --until")

      // --limit still applies to a windowed listing
      const limited = yield* run(["incidents", "list", ...key, "--format", "ndjson", "--since", since, "--until", until, "--limit", "5"], { httpClient })
      assert.strictEqual(lines(limited.stdout).length, 5)
    })), 120_000)

  it.effect("--since/--until with get --all on a listing that is not time-windowed is a usage error", () =>
    Effect.scoped(Effect.gen(function*() {
      const { httpClient } = yield* simulator()
      const r = yield* run(["get", "/users", "--all", ...key, "--since", "2025-12-01", "--until", "2026-01-01"], { httpClient })
      assert.strictEqual(r.code, 2)
      assert.include(r.stderr, "--since/--until with --all need a time-windowed listing")
    })))
})
