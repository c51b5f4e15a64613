/**
 * The `pagerduty` command tree, built on `@effect/cli`.
 *
 * Events API v2: `trigger`, `acknowledge`, `resolve`, `change` (routing key from `-k` or
 * `PAGERDUTY_ROUTING_KEY`). REST API v2: `incidents list`, `oncall`, `schedules render`,
 * `get PATH` (API key from `--api-key` or `PAGERDUTY_API_KEY`). Global options: `--region`,
 * `--base-url` (every client at one URL, e.g. a local simulator) and `--simulator` (an
 * embedded in-memory PagerDuty with its default keys: no account needed).
 *
 * {@link main} runs a command line and never fails: it prints the outcome and returns the
 * exit code (see `ErrorReport`).
 *
 * @since 0.1.0
 */
import { Args, Command, Options } from "@effect/cli"
import type { CliApp } from "@effect/cli"
import type { HttpClient } from "@effect/platform"
// Deep imports keep start-up short: only the modules a command needs are loaded.
import * as EventsApi from "@effect-pagerduty/client/EventsApi"
import * as Region from "@effect-pagerduty/client/Region"
import * as RestApi from "@effect-pagerduty/client/RestApi"
import * as Schedules from "@effect-pagerduty/client/Schedules"
import * as Os from "node:os"
import { Config, ConfigError, ConfigProvider, Console, Effect, FiberRef, HashSet, Layer, Logger, Option, Redacted, Stream } from "effect"
import * as ErrorReport from "./ErrorReport.js"
import * as Output from "./Output.js"
import * as Progress from "./Progress.js"

/**
 * The version `pagerduty --version` prints.
 *
 * @example
 * ```ts
 * import { Cli } from "@effect-pagerduty/cli"
 *
 * console.log(Cli.version) // "0.1.0"
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const version = "0.1.0"

// ---------------------------------------------------------------------------------------
// global options and the clients they configure
// ---------------------------------------------------------------------------------------

const globalOptions = {
  apiKey: Options.redacted("api-key").pipe(
    Options.withDescription("REST API key (default: $PAGERDUTY_API_KEY). Never printed."),
    Options.optional
  ),
  region: Options.choice("region", ["us", "eu"] as const).pipe(
    Options.withDescription("PagerDuty service region (default: $PAGERDUTY_REGION, else us)"),
    Options.optional
  ),
  baseUrl: Options.text("base-url").pipe(
    Options.withDescription("Send every request to this URL instead of the region's hosts (default: $PAGERDUTY_BASE_URL), e.g. a local simulator"),
    Options.optional
  ),
  simulator: Options.boolean("simulator").pipe(
    Options.withDescription("Run against an embedded in-memory PagerDuty with its default keys: no account, no network")
  )
}

const root = Command.make("pagerduty", globalOptions)

type GlobalOptions = Command.Command.ParseConfig<typeof globalOptions>

/**
 * The settings a command runs with, after flags, environment and `--simulator` are combined.
 *
 * @example
 * ```ts
 * import type { Cli } from "@effect-pagerduty/cli"
 *
 * const describe = (s: Cli.Settings) => s.simulator ? "simulator" : s.baseUrl ?? s.region
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Settings {
  readonly region: Region.Region
  readonly baseUrl: string | undefined
  readonly simulator: boolean
  /** The REST API key from `--api-key`, else `PAGERDUTY_API_KEY`, else the simulator's. */
  readonly apiKey: Option.Option<Redacted.Redacted>
}

const optionalEnv = (name: string) => Config.option(Config.string(name))

/** The simulator's module, loaded only in `--simulator` mode. */
const simulatorModule = Effect.promise(() => import("@effect-pagerduty/testkit/Simulator"))

const settingsOf = (options: GlobalOptions): Effect.Effect<Settings, ErrorReport.UsageError | ConfigError.ConfigError> =>
  Effect.gen(function*() {
    const region = Option.isSome(options.region) ? options.region.value : yield* Region.config
    const baseUrl = Option.isSome(options.baseUrl) ? options.baseUrl : yield* optionalEnv("PAGERDUTY_BASE_URL")
    if (options.simulator && Option.isSome(options.baseUrl)) {
      return yield* new ErrorReport.UsageError({ message: "--simulator and --base-url cannot be used together" })
    }
    const apiKey = Option.isSome(options.apiKey)
      ? options.apiKey
      : options.simulator
      ? Option.some(Redacted.make((yield* simulatorModule).DEFAULT_API_KEY))
      : yield* Config.option(Config.redacted("PAGERDUTY_API_KEY"))
    return {
      region,
      baseUrl: options.simulator ? undefined : Option.getOrUndefined(baseUrl),
      simulator: options.simulator,
      apiKey
    }
  })

const settings = Effect.flatMap(root, settingsOf)

/** The `HttpClient` every client of a command uses: undici, or the embedded simulator (each loaded only when used). */
const httpLayer = (s: Settings): Layer.Layer<HttpClient.HttpClient> =>
  Layer.unwrapEffect(
    s.simulator
      ? Effect.map(simulatorModule, (Simulator) => Simulator.layer())
      : Effect.map(Effect.promise(() => import("@effect/platform-node/NodeHttpClient")), (Node) => Node.layerUndici)
  )

const restLayer = (s: Settings, progress?: Progress.Progress) =>
  Effect.gen(function*() {
    if (Option.isNone(s.apiKey)) {
      return yield* new ErrorReport.MissingConfiguration({ setting: "API key", flag: "--api-key", env: "PAGERDUTY_API_KEY" })
    }
    return RestApi.layer({
      apiKey: s.apiKey.value,
      region: s.region,
      ...(s.baseUrl === undefined ? {} : { baseUrl: s.baseUrl }),
      ...(progress === undefined ? {} : { transformClient: Progress.countRateLimits(progress) })
    }).pipe(Layer.provide(httpLayer(s)))
  })

/** Runs `f` with the REST client and a progress line labelled `label`. */
const withRest = <A, E>(
  label: string,
  f: (rest: RestApi.RestApi, progress: Progress.Progress) => Effect.Effect<A, E>
) =>
  Effect.scoped(Effect.gen(function*() {
    const s = yield* settings
    const progress = yield* Progress.stderr(label)
    const layer = yield* restLayer(s, progress)
    return yield* Effect.flatMap(RestApi.RestApiService, (rest) => f(rest, progress)).pipe(Effect.provide(layer))
  }))

// ---------------------------------------------------------------------------------------
// shared options and helpers
// ---------------------------------------------------------------------------------------

const format = Options.choice("format", Output.formats).pipe(
  Options.withDescription("Output format: json (default), ndjson (one item per line) or table"),
  Options.withDefault("json" as Output.Format)
)

const isoOption = (name: string, description: string) =>
  Options.date(name).pipe(Options.withDescription(description), Options.map((d) => d.toISOString()))

/**
 * Parses `--param key=value` flags into query parameters: a key given more than once, or
 * ending in `[]`, becomes a list.
 *
 * @example
 * ```ts
 * import { Cli } from "@effect-pagerduty/cli"
 *
 * Cli.parseParams(["statuses[]=triggered", "statuses[]=acknowledged", "limit=5"])
 * // Effect succeeding with { "statuses[]": ["triggered", "acknowledged"], limit: "5" }
 * ```
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseParams = (
  pairs: ReadonlyArray<string>
): Effect.Effect<Record<string, string | ReadonlyArray<string>>, ErrorReport.UsageError> =>
  Effect.suspend(() => {
    const out: Record<string, string | Array<string>> = {}
    for (const pair of pairs) {
      const at = pair.indexOf("=")
      if (at <= 0) return Effect.fail(new ErrorReport.UsageError({ message: `--param expects key=value, got '${pair}'` }))
      const key = pair.slice(0, at)
      const value = pair.slice(at + 1)
      const previous = out[key]
      if (previous === undefined) out[key] = key.endsWith("[]") ? [value] : value
      else out[key] = Array.isArray(previous) ? [...previous, value] : [previous, value]
    }
    return Effect.succeed(out)
  })

/** A listing written item by item, counted on the progress line. */
const writeListing = <E, R>(
  pages: Stream.Stream<{ readonly items: ReadonlyArray<unknown> }, E, R>,
  progress: Progress.Progress,
  options: { readonly format: Output.Format; readonly limit?: number | undefined; readonly columns?: ReadonlyArray<Output.Column> | undefined }
) => {
  const items = pages.pipe(
    Stream.tap(() => progress.page),
    Stream.flatMap((page) => Stream.fromIterable(page.items))
  )
  const limited = options.limit === undefined ? items : Stream.take(items, options.limit)
  return Output.writeStream(limited, options.format, Progress.clearing(progress, Output.stdout), options.columns, progress.items(1))
}

// ---------------------------------------------------------------------------------------
// REST commands
// ---------------------------------------------------------------------------------------

const incidentColumns: ReadonlyArray<Output.Column> = [
  Output.column("ID", "id"),
  Output.column("#", "incident_number"),
  Output.column("STATUS", "status"),
  Output.column("URGENCY", "urgency"),
  Output.column("CREATED", "created_at"),
  Output.column("SERVICE", "service"),
  Output.column("TITLE", "title")
]

const incidentsList = Command.make(
  "list",
  {
    status: Options.choice("status", ["triggered", "acknowledged", "resolved"] as const).pipe(
      Options.withDescription("Only incidents with this status (repeatable)"),
      Options.repeated
    ),
    since: isoOption("since", "Start of the date range (ISO 8601)").pipe(Options.optional),
    until: isoOption("until", "End of the date range (ISO 8601)").pipe(Options.optional),
    service: Options.text("service").pipe(Options.withDescription("Only incidents of this service id (repeatable)"), Options.repeated),
    limit: Options.integer("limit").pipe(Options.withDescription("Stop after this many incidents"), Options.optional),
    format
  },
  (o) =>
    withRest("incidents", (rest, progress) =>
      Effect.gen(function*() {
        const limit = Option.getOrUndefined(o.limit)
        if (limit !== undefined && limit < 1) return yield* new ErrorReport.UsageError({ message: `--limit must be at least 1, got ${limit}` })
        const params: Record<string, string | ReadonlyArray<string>> = {}
        if (o.status.length > 0) params.statuses = o.status
        if (o.service.length > 0) params.service_ids = o.service
        if (Option.isSome(o.since)) params.since = o.since.value
        if (Option.isSome(o.until)) params.until = o.until.value
        const pages = rest.iterAllPages("/incidents", {
          params,
          ...(limit === undefined ? {} : { pageSize: Math.min(limit, 100) })
        })
        yield* writeListing(pages, progress, { format: o.format, limit, columns: incidentColumns })
      }))
).pipe(Command.withDescription("List incidents (GET /incidents), every page"))

const incidents = Command.make("incidents").pipe(
  Command.withDescription("Incidents (REST API v2)"),
  Command.withSubcommands([incidentsList])
)

const oncallColumns: ReadonlyArray<Output.Column> = [
  Output.column("LEVEL", "escalation_level"),
  Output.column("USER", "user"),
  Output.column("SCHEDULE", "schedule"),
  Output.column("ESCALATION POLICY", "escalation_policy"),
  Output.column("START", "start"),
  Output.column("END", "end")
]

/** Runs `f` with the schedules client over the REST client. */
const withSchedules = <A, E>(label: string, f: (schedules: Schedules.SchedulesService, progress: Progress.Progress) => Effect.Effect<A, E>) =>
  withRest(label, (rest, progress) =>
    Effect.flatMap(Effect.provideService(Schedules.make, RestApi.RestApiService, rest), (schedules) => f(schedules, progress)))

const oncall = Command.make(
  "oncall",
  {
    schedule: Options.text("schedule").pipe(Options.withDescription("Only this schedule id (repeatable)"), Options.repeated),
    escalationPolicy: Options.text("escalation-policy").pipe(
      Options.withDescription("Only this escalation policy id (repeatable)"),
      Options.repeated
    ),
    format
  },
  (o) =>
    withSchedules("on-calls", (schedules, progress) =>
      Output.writeStream(
        schedules.onCallNow({
          ...(o.schedule.length > 0 ? { scheduleIds: o.schedule } : {}),
          ...(o.escalationPolicy.length > 0 ? { escalationPolicyIds: o.escalationPolicy } : {})
        }),
        o.format,
        Progress.clearing(progress, Output.stdout),
        oncallColumns,
        progress.items(1)
      ))
).pipe(Command.withDescription("Who is on call now (GET /oncalls, every page)"))

const entryColumns: ReadonlyArray<Output.Column> = [
  Output.column("START", "start"),
  Output.column("END", "end"),
  Output.column("USER", "user")
]

const schedulesRender = Command.make(
  "render",
  {
    id: Args.text({ name: "ID" }).pipe(Args.withDescription("Schedule id")),
    since: Options.text("since").pipe(Options.withDescription("Start of the range (ISO 8601, required)")),
    until: Options.text("until").pipe(Options.withDescription("End of the range (ISO 8601, required; any length)")),
    format
  },
  (o) =>
    withSchedules("entries", (schedules, progress) =>
      Output.writeStream(
        schedules.renderedEntries(o.id, { since: o.since, until: o.until }),
        o.format,
        Progress.clearing(progress, Output.stdout),
        entryColumns,
        progress.items(1)
      ))
).pipe(Command.withDescription("The final rendered entries of a schedule between --since and --until"))

const schedules = Command.make("schedules").pipe(
  Command.withDescription("Schedules (REST API v2)"),
  Command.withSubcommands([schedulesRender])
)

const get = Command.make(
  "get",
  {
    path: Args.text({ name: "PATH" }).pipe(Args.withDescription("An API path such as /users or /services/PXXXXXX")),
    param: Options.text("param").pipe(
      Options.withDescription("Query parameter key=value (repeatable; a repeated key or one ending in [] is a list)"),
      Options.repeated
    ),
    all: Options.boolean("all").pipe(Options.withDescription("Follow pagination and output every item of the listing")),
    format
  },
  (o) =>
    withRest(o.path, (rest, progress) =>
      Effect.gen(function*() {
        const params = yield* parseParams(o.param)
        if (o.all) {
          yield* writeListing(rest.iterAllPages(o.path, { params }), progress, { format: o.format })
        } else {
          const body = yield* rest.jget(o.path, { params })
          yield* Progress.clearing(progress, Output.stdout)(Output.formatValue(body, o.format))
        }
      }))
).pipe(Command.withDescription("GET any REST API v2 endpoint and print the JSON (with --all, every page)"))

// ---------------------------------------------------------------------------------------
// Events API v2 commands
// ---------------------------------------------------------------------------------------

const routingKey = Options.redacted("routing-key").pipe(
  Options.withAlias("k"),
  Options.withDescription("Events API v2 routing (integration) key (default: $PAGERDUTY_ROUTING_KEY). Never printed."),
  Options.optional
)

const details = Options.text("details").pipe(
  Options.withDescription("Custom details: a JSON object, e.g. '{\"disk\":\"95%\"}'"),
  Options.optional
)

const source = Options.text("source").pipe(
  Options.withDescription("Where the problem is (default: 'pagerduty.cli on <hostname>')"),
  Options.optional
)

const defaultSource = (): string => `pagerduty.cli on ${Os.hostname()}`

/**
 * Parses `--details`: it must be a JSON object.
 *
 * @example
 * ```ts
 * import { Cli } from "@effect-pagerduty/cli"
 *
 * Cli.parseDetails('{"disk":"95%"}') // Effect succeeding with { disk: "95%" }
 * Cli.parseDetails("[1]") // Effect failing with a UsageError
 * ```
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseDetails = (text: string): Effect.Effect<Record<string, unknown>, ErrorReport.UsageError> =>
  Effect.suspend(() => {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      value = undefined
    }
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? Effect.succeed(value as Record<string, unknown>)
      : Effect.fail(new ErrorReport.UsageError({ message: `--details must be a JSON object, e.g. '{"disk":"95%"}'` }))
  })

/** Runs `f` with an Events API client for the routing key of the flag, the environment or the simulator. */
const withEvents = <A, E>(flag: Option.Option<Redacted.Redacted>, f: (events: EventsApi.EventsApi) => Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const s = yield* settings
    const key = Option.isSome(flag)
      ? flag
      : s.simulator
      ? Option.some(Redacted.make((yield* simulatorModule).DEFAULT_ROUTING_KEY))
      : yield* Config.option(Config.redacted("PAGERDUTY_ROUTING_KEY"))
    if (Option.isNone(key)) {
      return yield* new ErrorReport.MissingConfiguration({ setting: "routing key", flag: "-k/--routing-key", env: "PAGERDUTY_ROUTING_KEY" })
    }
    const layer = EventsApi.layer({
      routingKey: key.value,
      region: s.region,
      ...(s.baseUrl === undefined ? {} : { baseUrl: s.baseUrl })
    }).pipe(Layer.provide(httpLayer(s)))
    return yield* Effect.flatMap(EventsApi.EventsApiService, f).pipe(Effect.provide(layer))
  })

const done = (action: string, dedupKey: string) =>
  Output.stdout(`Alert ${action} successfully. Deduplication key: ${dedupKey}\n`)

const trigger = Command.make(
  "trigger",
  {
    routingKey,
    description: Options.text("description").pipe(Options.withDescription("Summary of the alert (required)")),
    source,
    severity: Options.choice("severity", ["critical", "error", "warning", "info"] as const).pipe(
      Options.withDescription("Severity (default: critical)"),
      Options.withDefault("critical" as EventsApi.Severity)
    ),
    dedupKey: Options.text("dedup-key").pipe(
      Options.withAlias("i"),
      Options.withDescription("Deduplication key (default: one is generated, and printed)"),
      Options.optional
    ),
    details
  },
  (o) =>
    withEvents(o.routingKey, (events) =>
      Effect.gen(function*() {
        const customDetails = Option.isSome(o.details) ? yield* parseDetails(o.details.value) : undefined
        const result = yield* events.trigger({
          summary: o.description,
          source: Option.getOrElse(o.source, defaultSource),
          severity: o.severity,
          ...(Option.isSome(o.dedupKey) ? { dedupKey: o.dedupKey.value } : {}),
          ...(customDetails === undefined ? {} : { customDetails })
        })
        yield* done("triggered", result.dedupKey)
      }))
).pipe(Command.withDescription("Trigger an alert (Events API v2)"))

const requiredDedupKey = Options.text("dedup-key").pipe(
  Options.withAlias("i"),
  Options.withDescription("Deduplication key of the alert (required)")
)

const acknowledge = Command.make(
  "acknowledge",
  { routingKey, dedupKey: requiredDedupKey },
  (o) => withEvents(o.routingKey, (events) => Effect.flatMap(events.acknowledge(o.dedupKey), (r) => done("acknowledged", r.dedupKey)))
).pipe(Command.withDescription("Acknowledge an alert (Events API v2)"))

const resolve = Command.make(
  "resolve",
  { routingKey, dedupKey: requiredDedupKey },
  (o) => withEvents(o.routingKey, (events) => Effect.flatMap(events.resolve(o.dedupKey), (r) => done("resolved", r.dedupKey)))
).pipe(Command.withDescription("Resolve an alert (Events API v2)"))

const change = Command.make(
  "change",
  {
    routingKey,
    summary: Options.text("summary").pipe(Options.withDescription("What changed (required)")),
    source,
    details
  },
  (o) =>
    withEvents(o.routingKey, (events) =>
      Effect.gen(function*() {
        const customDetails = Option.isSome(o.details) ? yield* parseDetails(o.details.value) : undefined
        yield* events.sendChangeEvent({
          summary: o.summary,
          source: Option.getOrElse(o.source, defaultSource),
          ...(customDetails === undefined ? {} : { customDetails })
        })
        yield* Output.stdout("Change event sent successfully.\n")
      }))
).pipe(Command.withDescription("Send a change event (Events API v2)"))

// ---------------------------------------------------------------------------------------
// the application
// ---------------------------------------------------------------------------------------

/**
 * The whole command tree.
 *
 * @example
 * ```ts
 * import { Command } from "@effect/cli"
 * import { Cli } from "@effect-pagerduty/cli"
 *
 * const run = Command.run(Cli.command, { name: "pagerduty", version: Cli.version })
 * ```
 *
 * @since 0.1.0
 * @category commands
 */
export const command = root.pipe(
  Command.withDescription("PagerDuty from the shell: Events API v2 and REST API v2"),
  Command.withSubcommands([trigger, acknowledge, resolve, change, incidents, oncall, schedules, get])
)

const runCommand = Command.run(command, { name: "pagerduty", version })

const secretFlags = new Set(["--api-key", "-k", "--routing-key"])

/**
 * The secret values a command line carries (`--api-key`, `-k`/`--routing-key`, and the
 * `PAGERDUTY_API_KEY` / `PAGERDUTY_ROUTING_KEY` variables), so output can be scrubbed of them.
 *
 * @example
 * ```ts
 * import { Cli } from "@effect-pagerduty/cli"
 *
 * Cli.secretsOf(["node", "pagerduty", "-k", "R0UT1NG"], {}).length // 1
 * ```
 *
 * @since 0.1.0
 * @category parsing
 */
export const secretsOf = (
  argv: ReadonlyArray<string>,
  env: Readonly<Record<string, string | undefined>>
): ReadonlyArray<Redacted.Redacted> => {
  const values: Array<string> = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const eq = arg.indexOf("=")
    if (eq > 0 && secretFlags.has(arg.slice(0, eq))) values.push(arg.slice(eq + 1))
    else if (secretFlags.has(arg) && i + 1 < argv.length) values.push(argv[i + 1]!)
  }
  for (const name of ["PAGERDUTY_API_KEY", "PAGERDUTY_ROUTING_KEY"]) {
    const value = env[name]
    if (value !== undefined && value !== "") values.push(value)
  }
  return values.map((v) => Redacted.make(v))
}

const ansiStyles = /\u001b\[[0-9;]*m/g

/**
 * A console whose output (help and usage text included) is scrubbed of the secrets, and
 * stripped of ANSI styles when the stream is not a terminal or `NO_COLOR` is set.
 */
const cleanConsole = (secrets: ReadonlyArray<Redacted.Redacted>, env: Readonly<Record<string, string | undefined>>) =>
  Effect.map(Effect.console, (console): Console.Console => {
    const colour = (tty: boolean | undefined) => tty === true && (env.NO_COLOR === undefined || env.NO_COLOR === "")
    const clean = (styled: boolean) => (a: unknown) => {
      if (typeof a !== "string") return a
      const text = ErrorReport.scrub(a, secrets)
      return styled ? text : text.replace(ansiStyles, "")
    }
    return {
      ...console,
      log: (...args) => console.log(...args.map(clean(colour(process.stdout.isTTY)))),
      error: (...args) => console.error(...args.map(clean(colour(process.stderr.isTTY))))
    }
  })

/**
 * Runs a command line (`process.argv`: runtime, script, then arguments) with the `PAGERDUTY_*`
 * settings of `env`, prints its output, or one line per failure on stderr, and returns the
 * exit code. Never fails.
 *
 * @example
 * ```ts
 * import * as NodeContext from "@effect/platform-node/NodeContext"
 * import { Effect } from "effect"
 * import { Cli } from "@effect-pagerduty/cli"
 *
 * const code = Cli.main(["node", "pagerduty", "--simulator", "incidents", "list"]).pipe(Effect.provide(NodeContext.layer))
 * ```
 *
 * @since 0.1.0
 * @category running
 */
export const main = (
  argv: ReadonlyArray<string>,
  env: Readonly<Record<string, string | undefined>> = process.env
): Effect.Effect<number, never, CliApp.CliApp.Environment> =>
  Effect.gen(function*() {
    const secrets = secretsOf(argv, env)
    const console = yield* cleanConsole(secrets, env)
    // stdout carries data (JSON, tables): log lines (warnings, `--log-level debug`) go to stderr
    const exit = yield* Effect.exit(
      Effect.withConsole(runCommand(argv), console).pipe(
        Effect.locally(FiberRef.currentLoggers, HashSet.make(Logger.prettyLogger({ stderr: true }))),
        // PAGERDUTY_* settings are read from `env`
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined))))
      )
    )
    if (exit._tag === "Success") return ErrorReport.exitCodes.Success
    const report = ErrorReport.fromCause(exit.cause, secrets, env.PAGERDUTY_DEBUG === "1")
    if (report.message !== "") yield* Effect.sync(() => process.stderr.write(`${report.message}\n`))
    return report.code
  })
