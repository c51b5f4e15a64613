/**
 * The `pagerduty` command tree, built on `@effect/cli`.
 *
 * Events API v2: `trigger`, `acknowledge`, `resolve`, `change` (routing key from `-k` or
 * `PAGERDUTY_ROUTING_KEY`). REST API v2: `incidents list`, `oncall`, `schedules render`,
 * `get PATH` (API key from `-k`/`--api-key` or `PAGERDUTY_API_KEY`).
 *
 * Global flags, accepted before or after the command (like gh and kubectl): `-k`, `--region`,
 * `--base-url` (every client at one URL, e.g. a local simulator), `--simulator` (an embedded
 * in-memory PagerDuty with its default keys: no account needed), `--format` and `--verbose`.
 * Every command defines them; `Argv.normalize` moves the ones written before the command.
 *
 * {@link main} runs a command line and never fails: it prints the outcome and returns the
 * exit code (see `ErrorReport`).
 *
 * @since 0.1.0
 */
import { Args, Command, HelpDoc, Options, ValidationError } from "@effect/cli"
import type { CliApp } from "@effect/cli"
import type { HttpClient } from "@effect/platform"
// Deep imports keep start-up short: only the modules a command needs are loaded.
import * as EventsApi from "@effect-pagerduty/client/EventsApi"
import type * as Pagination from "@effect-pagerduty/client/Pagination"
import * as Region from "@effect-pagerduty/client/Region"
import * as RestApi from "@effect-pagerduty/client/RestApi"
import * as Schedules from "@effect-pagerduty/client/Schedules"
import * as Os from "node:os"
import * as Util from "node:util"
import {
  Clock,
  Config,
  ConfigError,
  ConfigProvider,
  Console,
  Context,
  Effect,
  FiberRef,
  HashMap,
  HashSet,
  Layer,
  Logger,
  LogLevel,
  Option,
  Redacted,
  Stream
} from "effect"
import * as Argv from "./Argv.js"
import * as ErrorReport from "./ErrorReport.js"
import * as Output from "./Output.js"
import * as Progress from "./Progress.js"
import * as WebhooksCommand from "./WebhooksCommand.js"

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
// where a run writes, and which HttpClient it uses
// ---------------------------------------------------------------------------------------

/**
 * Where {@link main} writes and what it sends requests through; every field defaults to the
 * process (`process.stdout`, `process.stderr`, their `isTTY`, undici or the embedded
 * simulator). Tests run commands in-process with their own.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import type { Cli } from "@effect-pagerduty/cli"
 *
 * const out: Array<string> = []
 * const options: Cli.MainOptions = { stdout: (text) => Effect.sync(() => void out.push(text)), stderrIsTTY: false }
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface MainOptions {
  /** Every request of the command goes through this client (instead of undici or `--simulator`'s). */
  readonly httpClient?: Layer.Layer<HttpClient.HttpClient> | undefined
  /** Data output (default: `process.stdout`, honouring back-pressure). */
  readonly stdout?: Output.Sink | undefined
  /** Messages, help on errors, retries, progress (default: `process.stderr`). */
  readonly stderr?: ((text: string) => void) | undefined
  /** Whether stdout is a terminal (default `process.stdout.isTTY`): ANSI styles in help, progress erasing. */
  readonly stdoutIsTTY?: boolean | undefined
  /** Whether stderr is a terminal (default `process.stderr.isTTY`): progress line and retry messages. */
  readonly stderrIsTTY?: boolean | undefined
}

interface Io {
  readonly httpClient: Layer.Layer<HttpClient.HttpClient> | undefined
  readonly stdout: Output.Sink
  readonly stderr: (text: string) => void
  readonly stdoutIsTTY: boolean
  readonly stderrIsTTY: boolean
}

const ioOf = (options: MainOptions): Io => ({
  httpClient: options.httpClient,
  stdout: options.stdout ?? Output.stdout,
  stderr: options.stderr ?? ((text) => void process.stderr.write(text)),
  stdoutIsTTY: options.stdoutIsTTY ?? process.stdout.isTTY === true,
  stderrIsTTY: options.stderrIsTTY ?? process.stderr.isTTY === true
})

/** The `Io` of the running command line (the process's unless {@link main} was given others). */
class CurrentIo extends Context.Reference<CurrentIo>()("@effect-pagerduty/cli/Cli/CurrentIo", {
  defaultValue: (): Io => ioOf({})
}) {}

// ---------------------------------------------------------------------------------------
// global options (every command defines them: see Argv) and the clients they configure
// ---------------------------------------------------------------------------------------

const region = Options.choice("region", ["us", "eu"] as const).pipe(
  Options.withDescription(
    "PagerDuty service region, us or eu: which hosts are called (api.pagerduty.com or api.eu.pagerduty.com, events... alike). Optional: the default is $PAGERDUTY_REGION, else us."
  ),
  Options.optional
)

const baseUrl = Options.text("base-url").pipe(
  Options.withPseudoName("URL"),
  Options.withDescription(
    "Send every request to this URL instead of the region's hosts, e.g. a local simulator (http://127.0.0.1:8080). Optional: the default is $PAGERDUTY_BASE_URL."
  ),
  Options.optional
)

const simulator = Options.boolean("simulator").pipe(
  Options.withDescription(
    "Run against an embedded in-memory PagerDuty with its default keys and seeded data: no account, no network. Not with --base-url."
  )
)

const verbose = Options.boolean("verbose").pipe(
  Options.withDescription(
    "Print a line on stderr for every retry (\"retrying in 3s after 503\") even when stderr is not a terminal; on a terminal they are always printed."
  )
)

const apiKey = Options.redacted("api-key").pipe(
  Options.withAlias("k"),
  Options.withPseudoName("KEY"),
  Options.withDescription("REST API key (a user or account token). Optional: the default is $PAGERDUTY_API_KEY. Never printed."),
  Options.optional
)

const routingKey = Options.redacted("routing-key").pipe(
  Options.withAlias("k"),
  Options.withPseudoName("KEY"),
  Options.withDescription(
    "Events API v2 routing key (the integration key of a service). Optional: the default is $PAGERDUTY_ROUTING_KEY. Never printed."
  ),
  Options.optional
)

const format = Options.choice("format", Output.formats).pipe(
  Options.withDescription("Output format: json (one document, the default), ndjson (one item per line, for jq -c) or table (aligned columns)."),
  Options.withDefault("json" as Output.Format)
)

/** The flags every REST command defines. */
/**
 * The other API's key, accepted and unused, so one set of global flags (a shell alias such as
 * `pagerduty --api-key A --routing-key R`) works with every command.
 */
const otherKey = (name: "api-key" | "routing-key", usedBy: string) =>
  Options.redacted(name).pipe(
    Options.withPseudoName("KEY"),
    Options.withDescription(`Accepted with every command so the global flags can be set once; used by ${usedBy}, not by this one. Never printed.`),
    Options.optional
  )

const restGlobals = { apiKey, routingKey: otherKey("routing-key", "the Events commands (trigger, acknowledge, resolve, change)"), region, baseUrl, simulator, verbose }

/** The flags every Events command defines. */
const eventsGlobals = { routingKey, apiKey: otherKey("api-key", "the REST commands (incidents, oncall, schedules, get)"), region, baseUrl, simulator, verbose }

interface Connection {
  readonly region: Option.Option<Region.Region>
  readonly baseUrl: Option.Option<string>
  readonly simulator: boolean
  readonly verbose: boolean
}

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
  /** Print retries on stderr even when it is not a terminal. */
  readonly verbose: boolean
}

const optionalEnv = (name: string) => Config.option(Config.string(name))

/** The simulator's module, loaded only in `--simulator` mode. */
const simulatorModule = Effect.promise(() => import("@effect-pagerduty/testkit/Simulator"))

const settingsOf = (options: Connection): Effect.Effect<Settings, ErrorReport.UsageError | ConfigError.ConfigError> =>
  Effect.gen(function*() {
    const region = Option.isSome(options.region) ? options.region.value : yield* Region.config
    if (options.simulator && Option.isSome(options.baseUrl)) {
      return yield* new ErrorReport.UsageError({ message: "--simulator and --base-url cannot be used together" })
    }
    const baseUrl = Option.isSome(options.baseUrl) ? options.baseUrl : yield* optionalEnv("PAGERDUTY_BASE_URL")
    return {
      region,
      baseUrl: options.simulator ? undefined : Option.getOrUndefined(baseUrl),
      simulator: options.simulator,
      verbose: options.verbose
    }
  })

/** The `HttpClient` every client of a command uses: the one given to `main`, else undici or the embedded simulator (each loaded only when used). */
const httpLayer = (s: Settings, io: Io): Layer.Layer<HttpClient.HttpClient> =>
  io.httpClient !== undefined
    ? io.httpClient
    : Layer.unwrapEffect(
      s.simulator
        ? Effect.map(simulatorModule, (Simulator) => Simulator.layer())
        : Effect.map(Effect.promise(() => import("@effect/platform-node/NodeHttpClient")), (Node) => Node.layerUndici)
    )

/**
 * The key of the flag; else, with `--simulator`, the simulator's (a real key from the
 * environment would be refused there); else the environment variable's.
 */
const keyOf = (
  flag: Option.Option<Redacted.Redacted>,
  s: Settings,
  env: string,
  simulated: (sim: typeof import("@effect-pagerduty/testkit/Simulator")) => string
) =>
  Effect.gen(function*() {
    if (Option.isSome(flag)) return flag
    if (s.simulator) return Option.some(Redacted.make(simulated(yield* simulatorModule)))
    return yield* Config.option(Config.redacted(env))
  })

// ---------------------------------------------------------------------------------------
// retries on stderr
// ---------------------------------------------------------------------------------------

const retryMessage = /retrying in (.+)$/

/**
 * The line a retry of the client prints on stderr, from its debug log (message
 * `"...; retrying in 3s"` annotated with the `reason`: a status or `network`), or `undefined`
 * for any other log.
 *
 * @example
 * ```ts
 * import { Cli } from "@effect-pagerduty/cli"
 *
 * Cli.retryLine("GET https://api.pagerduty.com/incidents: status 503; retrying in 3s", { reason: "503", method: "GET", url: "https://api.pagerduty.com/incidents" })
 * // "pagerduty: retrying in 3s after 503 (GET https://api.pagerduty.com/incidents)"
 * ```
 *
 * @since 0.2.0
 * @category formatting
 */
export const retryLine = (message: string, annotations: Readonly<Record<string, unknown>>): string | undefined => {
  const { attempt, method, reason, url } = annotations
  if (reason === undefined) return undefined
  const delay = retryMessage.exec(message)
  if (delay === null) return undefined
  const after = reason === "network" ? "a network error" : String(reason)
  const where = [
    typeof method === "string" && typeof url === "string" ? `${method} ${url.split("?")[0]}` : undefined,
    attempt === undefined ? undefined : `attempt ${String(attempt)}`
  ].filter((part) => part !== undefined)
  return `pagerduty: retrying in ${delay[1]} after ${after}${where.length === 0 ? "" : ` (${where.join(", ")})`}`
}

const retryLogger = (write: (line: string) => void) =>
  Logger.make<unknown, void>(({ annotations, message }) => {
    const text = Array.isArray(message) ? message.map(String).join(" ") : String(message)
    const line = retryLine(text, Object.fromEntries(HashMap.toEntries(annotations)))
    if (line !== undefined) write(`${line}\n`)
  })

/**
 * Prints each retry of `effect`'s clients on stderr when it is a terminal or with
 * `--verbose`: the client logs its retries at debug level, so they are turned on for the
 * command and picked by a logger of their own (other debug logs still follow `--log-level`).
 */
const reportingRetries = (s: Settings, io: Io, before: Effect.Effect<void> = Effect.void) =>
<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  !(io.stderrIsTTY || s.verbose) ? effect : effect.pipe(
    Effect.locallyWith(FiberRef.currentLoggers, HashSet.add(retryLogger((line) => {
      Effect.runSync(before)
      io.stderr(line)
    }))),
    Effect.locallyWith(FiberRef.currentMinimumLogLevel, (level) => level.ordinal < LogLevel.Debug.ordinal ? level : LogLevel.Debug)
  )

// ---------------------------------------------------------------------------------------
// REST plumbing
// ---------------------------------------------------------------------------------------

interface RestContext {
  readonly rest: RestApi.RestApi
  readonly progress: Progress.Progress
  readonly io: Io
}

/** Runs `f` with the REST client (configured by the command's global flags) and a progress line labelled `label`. */
const withRest = <A, E>(
  globals: Connection & { readonly apiKey: Option.Option<Redacted.Redacted> },
  label: string,
  f: (context: RestContext) => Effect.Effect<A, E>
) =>
  Effect.scoped(Effect.gen(function*() {
    const io = yield* CurrentIo
    const s = yield* settingsOf(globals)
    const key = yield* keyOf(globals.apiKey, s, "PAGERDUTY_API_KEY", (sim) => sim.DEFAULT_API_KEY)
    if (Option.isNone(key)) {
      return yield* new ErrorReport.MissingConfiguration({ setting: "API key", flag: "-k/--api-key", env: "PAGERDUTY_API_KEY" })
    }
    const progress = yield* Progress.make({ label, enabled: io.stderrIsTTY, write: io.stderr })
    const layer = RestApi.layer({
      apiKey: key.value,
      region: s.region,
      ...(s.baseUrl === undefined ? {} : { baseUrl: s.baseUrl }),
      transformClient: Progress.countRateLimits(progress)
    }).pipe(Layer.provide(httpLayer(s, io)))
    return yield* Effect.flatMap(RestApi.RestApiService, (rest) => f({ rest, progress, io })).pipe(
      Effect.provide(layer),
      reportingRetries(s, io, progress.clear)
    )
  }))

/** Runs `f` with the schedules client over the REST client. */
const withSchedules = <A, E>(
  globals: Connection & { readonly apiKey: Option.Option<Redacted.Redacted> },
  label: string,
  f: (schedules: Schedules.SchedulesService, context: RestContext) => Effect.Effect<A, E>
) =>
  withRest(globals, label, (context) =>
    Effect.flatMap(Effect.provideService(Schedules.make, RestApi.RestApiService, context.rest), (schedules) => f(schedules, context)))

/**
 * Parses a date of `--since`/`--until`: an ISO 8601 date (`2026-01-15`) or date-time
 * (`2026-01-15T09:30`, seconds and fractions optional) with `Z` or an offset (`+02:00`,
 * `+0200`, `+02`); without one it is UTC. `None` when the text is not such a date (or not a
 * real day, such as February 30th).
 *
 * @example
 * ```ts
 * import { Cli } from "@effect-pagerduty/cli"
 *
 * Cli.parseDate("2026-01-15T10:00+01:00") // Option.some(2026-01-15T09:00:00.000Z)
 * Cli.parseDate("2026-02-30") // Option.none()
 * ```
 *
 * @since 0.2.0
 * @category parsing
 */
export const parseDate = (text: string): Option.Option<Date> => {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/
    .exec(text.trim())
  if (match === null) return Option.none()
  const [, y, mo, d, h = "0", mi = "0", sec = "0", fraction = "", , sign, oh = "0", om = "0"] = match
  const n = (s: string | undefined) => Number(s)
  const [year, month, day, hour, minute, second, offsetH, offsetM] = [y, mo, d, h, mi, sec, oh, om].map(n) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number
  ]
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59 || offsetH > 23 || offsetM > 59) {
    return Option.none()
  }
  const millis = Number(fraction.padEnd(3, "0").slice(0, 3))
  const offset = (sign === "-" ? -1 : 1) * (offsetH * 60 + offsetM)
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset * 60_000
  return Number.isFinite(utc) ? Option.some(new Date(utc)) : Option.none()
}

const dateOption = (name: string, description: string) =>
  Options.text(name).pipe(
    Options.withPseudoName("DATE"),
    Options.withDescription(
      `${description} An ISO 8601 date or date-time: 2026-01-15, 2026-01-15T09:30:00Z or 2026-01-15T10:30+01:00; Z or an offset is honoured, none means UTC.`
    ),
    Options.mapEffect((text) =>
      Option.match(parseDate(text), {
        onNone: () =>
          Effect.fail(ValidationError.invalidValue(HelpDoc.p(`--${name}: '${text}' is not an ISO 8601 date or date-time, e.g. 2026-01-15 or 2026-01-15T09:30:00Z`))),
        onSome: (date) => Effect.succeed(date.toISOString())
      })
    )
  )

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

/** The items of a classic or cursor listing, each page counted on the progress line. */
const itemsOfPages = <E, R>(pages: Stream.Stream<Pagination.Page, E, R>, progress: Progress.Progress) =>
  pages.pipe(
    Stream.tap(() => progress.page),
    Stream.flatMap((page) => Stream.fromIterable(page.items))
  )

/** A listing written item by item, counted on the progress line. */
const writeListing = <E, R>(
  items: Stream.Stream<unknown, E, R>,
  context: RestContext,
  options: { readonly format: Output.Format; readonly limit?: number | undefined; readonly columns?: ReadonlyArray<Output.Column> | undefined }
) => {
  const limited = options.limit === undefined ? items : Stream.take(items, options.limit)
  return Output.writeStream(
    limited,
    options.format,
    Progress.clearing(context.progress, context.io.stdout, context.io.stdoutIsTTY),
    options.columns,
    context.progress.items(1)
  )
}

const noWindowHint =
  "add --since and --until: with a time window the listing is split into windows of fewer records and goes past the cap"

/** The offset cap of classic pagination, reported with the flags that get past it. */
const limitToHint = (hint: string) =>
(
  error: RestApi.StreamError | ErrorReport.UsageError
): RestApi.StreamError | ErrorReport.UsageError | ErrorReport.ListingLimitError =>
  error._tag !== "PaginationLimitError"
    ? error
    : new ErrorReport.ListingLimitError({
      path: error.path,
      cap: error.cap,
      hint: error.window === undefined
        ? hint
        : `the window ${error.window.since} to ${error.window.until} cannot be split further; use a narrower --since/--until`
    })

/** `--since`/`--until` of a listing: both, or `--since` alone (until now), switch to the history iterator. */
const windowOf = (since: Option.Option<string>, until: Option.Option<string>) =>
  Effect.map(Clock.currentTimeMillis, (now) =>
    Option.isNone(since)
      ? Option.none()
      : Option.some({ since: since.value, until: Option.getOrElse(until, () => new Date(now).toISOString()) }))

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

/** A filter given any number of times (none: no filter), shown as optional (`[--status ...]`) in the usage line. */
const repeatable = <A>(self: Options.Options<A>): Options.Options<ReadonlyArray<A>> =>
  self.pipe(Options.repeated, Options.withDefault<ReadonlyArray<A>>([]))

const limitOption = Options.integer("limit").pipe(
  Options.withPseudoName("N"),
  Options.withDescription("Stop after this many items. Optional: the default is every item."),
  Options.optional
)

const incidentsList = Command.make(
  "list",
  {
    ...restGlobals,
    format,
    status: Options.choice("status", ["triggered", "acknowledged", "resolved"] as const).pipe(
      Options.withDescription(
        "Only incidents in this status: triggered, acknowledged or resolved. Optional and repeatable (--status triggered --status acknowledged lists both)."
      )
    ).pipe(repeatable),
    service: Options.text("service").pipe(
      Options.withPseudoName("ID"),
      Options.withDescription("Only incidents of this service id (e.g. PV00000). Optional and repeatable.")
    ).pipe(repeatable),
    since: dateOption(
      "since",
      "Start of the time window (optional). With --since the listing is split into time windows and goes past the API's 10 000-record cap; --until defaults to now."
    ).pipe(Options.optional),
    until: dateOption("until", "End of the time window (optional).").pipe(Options.optional),
    limit: limitOption
  },
  (o) =>
    withRest(o, "incidents", (context) =>
      Effect.gen(function*() {
        const limit = Option.getOrUndefined(o.limit)
        if (limit !== undefined && limit < 1) return yield* new ErrorReport.UsageError({ message: `--limit must be at least 1, got ${limit}` })
        const params: Record<string, string | ReadonlyArray<string>> = {}
        if (o.status.length > 0) params.statuses = o.status
        if (o.service.length > 0) params.service_ids = o.service
        const pageSize = limit === undefined ? undefined : Math.min(limit, 100)
        const window = yield* windowOf(o.since, o.until)
        if (Option.isNone(window) && Option.isSome(o.until)) params.until = o.until.value
        const items = Option.isSome(window)
          ? context.rest.iterHistory("/incidents", { params, pageSize, ...window.value })
          : itemsOfPages(context.rest.iterAllPages("/incidents", { params, pageSize }), context.progress)
        yield* writeListing(Stream.mapError(items, limitToHint(noWindowHint)), context, { format: o.format, limit, columns: incidentColumns })
      }))
).pipe(Command.withDescription(
  "List incidents (GET /incidents), every page. Without --since the API's default window applies and at most 10 000 incidents are listed; with --since/--until any number."
))

const incidents = Command.make("incidents").pipe(
  Command.withDescription("Incidents (REST API v2): see 'pagerduty incidents list --help'"),
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

const oncall = Command.make(
  "oncall",
  {
    ...restGlobals,
    format,
    schedule: Options.text("schedule").pipe(
      Options.withPseudoName("ID"),
      Options.withDescription("Only on-calls of this schedule id. Optional and repeatable.")
    ).pipe(repeatable),
    escalationPolicy: Options.text("escalation-policy").pipe(
      Options.withPseudoName("ID"),
      Options.withDescription("Only on-calls of this escalation policy id. Optional and repeatable.")
    ).pipe(repeatable)
  },
  (o) =>
    withSchedules(o, "on-calls", (schedules, context) =>
      writeListing(
        schedules.onCallNow({
          ...(o.schedule.length > 0 ? { scheduleIds: o.schedule } : {}),
          ...(o.escalationPolicy.length > 0 ? { escalationPolicyIds: o.escalationPolicy } : {})
        }),
        context,
        { format: o.format, columns: oncallColumns }
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
    ...restGlobals,
    format,
    id: Args.text({ name: "ID" }).pipe(Args.withDescription("The schedule id, e.g. PC00000.")),
    since: dateOption("since", "Start of the range (required)."),
    until: dateOption("until", "End of the range (required; any length: it is fetched in windows the API accepts).")
  },
  (o) =>
    withSchedules(o, "entries", (schedules, context) =>
      writeListing(schedules.renderedEntries(o.id, { since: o.since, until: o.until }), context, { format: o.format, columns: entryColumns }))
).pipe(Command.withDescription("The final rendered entries of a schedule between --since and --until"))

const schedules = Command.make("schedules").pipe(
  Command.withDescription("Schedules (REST API v2): see 'pagerduty schedules render --help'"),
  Command.withSubcommands([schedulesRender])
)

const getHint =
  `${noWindowHint} (time-windowed listings only, such as /incidents, /log_entries, /audit/records), or narrow the listing with --param`

const get = Command.make(
  "get",
  {
    ...restGlobals,
    format,
    path: Args.text({ name: "PATH" }).pipe(Args.withDescription("An API path such as /users or /services/PXXXXXX (a full https://api.pagerduty.com URL works too).")),
    param: Options.text("param").pipe(
      Options.withPseudoName("KEY=VALUE"),
      Options.withDescription("A query parameter. Optional and repeatable: a key given twice, or ending in [], is sent as a list.")
    ).pipe(repeatable),
    all: Options.boolean("all").pipe(Options.withDescription("Follow pagination and output every item of the listing instead of the first page's body.")),
    since: dateOption(
      "since",
      "Start of a time window (optional). With --all it splits a time-windowed listing (/incidents, /log_entries, /audit/records...) into windows and goes past the API's 10 000-record cap; --until defaults to now. Without --all it is sent as the since parameter."
    ).pipe(Options.optional),
    until: dateOption("until", "End of the time window (optional).").pipe(Options.optional)
  },
  (o) =>
    withRest(o, o.path, (context) =>
      Effect.gen(function*() {
        const params = yield* parseParams(o.param)
        if (!o.all) {
          if (Option.isSome(o.since)) params.since = o.since.value
          if (Option.isSome(o.until)) params.until = o.until.value
          const body = yield* context.rest.jget(o.path, { params })
          return yield* Progress.clearing(context.progress, context.io.stdout, context.io.stdoutIsTTY)(Output.formatValue(body, o.format))
        }
        const window = yield* windowOf(o.since, o.until)
        if (Option.isNone(window) && Option.isSome(o.until)) params.until = o.until.value
        const items = Option.isSome(window)
          ? Stream.mapError(
            context.rest.iterHistory(o.path, { params, ...window.value }),
            (error): RestApi.StreamError | ErrorReport.UsageError =>
              error._tag === "UrlError" && error.reason === "NotPaginated"
                ? new ErrorReport.UsageError({ message: `--since/--until with --all need a time-windowed listing: ${error.message}` })
                : error
          )
          : itemsOfPages(context.rest.iterAllPages(o.path, { params }), context.progress)
        yield* writeListing(Stream.mapError(items, limitToHint(getHint)), context, { format: o.format })
      }))
).pipe(Command.withDescription("GET any REST API v2 endpoint and print the JSON (with --all, every page)"))

// ---------------------------------------------------------------------------------------
// Events API v2 commands
// ---------------------------------------------------------------------------------------

const details = Options.text("details").pipe(
  Options.withPseudoName("JSON"),
  Options.withDescription("Custom details: a JSON object, e.g. '{\"disk\":\"95%\"}'. Optional."),
  Options.optional
)

const source = Options.text("source").pipe(
  Options.withPseudoName("TEXT"),
  Options.withDescription("Where the problem is: a host name or a component. Optional: the default is 'pagerduty.cli on <this host's name>'."),
  Options.optional
)

const eventFormat = Options.choice("format", Output.formats).pipe(
  Options.withDescription(
    "Print the API's answer as json, ndjson or table instead of the 'Alert ... successfully' line. Optional."
  ),
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
const withEvents = <A, E>(
  globals: Connection & { readonly routingKey: Option.Option<Redacted.Redacted> },
  f: (events: EventsApi.EventsApi, io: Io) => Effect.Effect<A, E>
) =>
  Effect.gen(function*() {
    const io = yield* CurrentIo
    const s = yield* settingsOf(globals)
    const key = yield* keyOf(globals.routingKey, s, "PAGERDUTY_ROUTING_KEY", (sim) => sim.DEFAULT_ROUTING_KEY)
    if (Option.isNone(key)) {
      return yield* new ErrorReport.MissingConfiguration({ setting: "routing key", flag: "-k/--routing-key", env: "PAGERDUTY_ROUTING_KEY" })
    }
    const layer = EventsApi.layer({
      routingKey: key.value,
      region: s.region,
      ...(s.baseUrl === undefined ? {} : { baseUrl: s.baseUrl })
    }).pipe(Layer.provide(httpLayer(s, io)))
    return yield* Effect.flatMap(EventsApi.EventsApiService, (events) => f(events, io)).pipe(
      Effect.provide(layer),
      reportingRetries(s, io)
    )
  })

/** Prints the outcome of an event: python-pagerduty's line, or the answer in `--format`. */
const done = (io: Io, action: string, result: EventsApi.EventResult, format: Option.Option<Output.Format>) =>
  Option.isSome(format)
    ? io.stdout(Output.formatValue({ status: result.status, message: result.message, dedup_key: result.dedupKey }, format.value))
    : io.stdout(`Alert ${action} successfully. Deduplication key: ${result.dedupKey}\n`)

const trigger = Command.make(
  "trigger",
  {
    ...eventsGlobals,
    format: eventFormat,
    description: Options.text("description").pipe(
      Options.withPseudoName("TEXT"),
      Options.withDescription("Summary of the alert: what is wrong, shown as the incident's title (required).")
    ),
    source,
    severity: Options.choice("severity", ["critical", "error", "warning", "info"] as const).pipe(
      Options.withDescription("Severity: critical, error, warning or info. Optional: the default is critical."),
      Options.withDefault("critical" as EventsApi.Severity)
    ),
    dedupKey: Options.text("dedup-key").pipe(
      Options.withAlias("i"),
      Options.withPseudoName("KEY"),
      Options.withDescription(
        "Deduplication key: a later trigger with the same key updates the same alert. Optional: the default is a generated one, printed."
      ),
      Options.optional
    ),
    details
  },
  (o) =>
    withEvents(o, (events, io) =>
      Effect.gen(function*() {
        const customDetails = Option.isSome(o.details) ? yield* parseDetails(o.details.value) : undefined
        const result = yield* events.trigger({
          summary: o.description,
          source: Option.getOrElse(o.source, defaultSource),
          severity: o.severity,
          ...(Option.isSome(o.dedupKey) ? { dedupKey: o.dedupKey.value } : {}),
          ...(customDetails === undefined ? {} : { customDetails })
        })
        yield* done(io, "triggered", result, o.format)
      }))
).pipe(Command.withDescription("Trigger an alert (Events API v2)"))

const requiredDedupKey = Options.text("dedup-key").pipe(
  Options.withAlias("i"),
  Options.withPseudoName("KEY"),
  Options.withDescription("Deduplication key of the alert, as printed by trigger (required).")
)

/** `--description` and `--source` on acknowledge/resolve: python-pagerduty's CLI accepts them with every action. */
const ignoredForCompatibility = {
  description: Options.text("description").pipe(
    Options.withPseudoName("TEXT"),
    Options.withDescription("Accepted for python-pagerduty compatibility and ignored: acknowledge and resolve send only the key. Optional."),
    Options.optional
  ),
  source: Options.text("source").pipe(
    Options.withPseudoName("TEXT"),
    Options.withDescription("Accepted for python-pagerduty compatibility and ignored. Optional."),
    Options.optional
  )
}

const acknowledge = Command.make(
  "acknowledge",
  { ...eventsGlobals, format: eventFormat, dedupKey: requiredDedupKey, ...ignoredForCompatibility },
  (o) => withEvents(o, (events, io) => Effect.flatMap(events.acknowledge(o.dedupKey), (r) => done(io, "acknowledged", r, o.format)))
).pipe(Command.withDescription("Acknowledge an alert (Events API v2)"))

const resolve = Command.make(
  "resolve",
  { ...eventsGlobals, format: eventFormat, dedupKey: requiredDedupKey, ...ignoredForCompatibility },
  (o) => withEvents(o, (events, io) => Effect.flatMap(events.resolve(o.dedupKey), (r) => done(io, "resolved", r, o.format)))
).pipe(Command.withDescription("Resolve an alert (Events API v2)"))

const change = Command.make(
  "change",
  {
    ...eventsGlobals,
    format: eventFormat,
    summary: Options.text("summary").pipe(Options.withPseudoName("TEXT"), Options.withDescription("What changed, e.g. 'Deployed checkout v1.2.3' (required).")),
    source,
    details
  },
  (o) =>
    withEvents(o, (events, io) =>
      Effect.gen(function*() {
        const customDetails = Option.isSome(o.details) ? yield* parseDetails(o.details.value) : undefined
        const result = yield* events.sendChangeEvent({
          summary: o.summary,
          source: Option.getOrElse(o.source, defaultSource),
          ...(customDetails === undefined ? {} : { customDetails })
        })
        yield* Option.isSome(o.format)
          ? io.stdout(Output.formatValue({ status: result.status, message: result.message }, o.format.value))
          : io.stdout("Change event sent successfully.\n")
      }))
).pipe(Command.withDescription("Send a change event (Events API v2)"))

// ---------------------------------------------------------------------------------------
// the application
// ---------------------------------------------------------------------------------------

const root = Command.make("pagerduty")

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
  Command.withDescription(
    "PagerDuty from the shell: Events API v2 and REST API v2. Global flags (-k, --region, --base-url, --simulator, --format, --verbose) go before or after the command."
  ),
  Command.withSubcommands([trigger, acknowledge, resolve, change, incidents, oncall, schedules, get, WebhooksCommand.command])
)

const runCommand = Command.run(command, { name: "pagerduty", version })

const secretFlags = new Set(["--api-key", "-k", "--routing-key", "--secret"])

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
 * The sentences `@effect/cli` adds to every flag's help from its type alone ("A user-defined
 * piece of text.", "A true or false value."...): each flag's own description says more.
 */
const genericHelp = [
  /^A user-defined piece of text( that is confidential)?\.$/,
  /^A true or false value\.$/,
  /^An integer\.$/,
  /^A floating point number\.$/,
  /^A date without a time-zone in the ISO-8601 format, such as .*\.$/,
  /^One of the following: .*$/
]

/**
 * Removes from help text the generic sentence `@effect/cli` prints under every flag from its
 * type alone ("A user-defined piece of text.", "A true or false value.", "One of the
 * following: ..."), and the blank line after it: every flag of `pagerduty` describes its
 * values in its own words. With the `path` of the command whose help it is, the usage line
 * names the whole command (`$ pagerduty incidents list ...`, where `@effect/cli` writes
 * `$ list ...`).
 *
 * @example
 * ```ts
 * import { Cli } from "@effect-pagerduty/cli"
 *
 * Cli.cleanHelp("--base-url text\n\n  A user-defined piece of text.\n\n  Send every request to this URL.\n")
 * // "--base-url text\n\n  Send every request to this URL.\n"
 * Cli.cleanHelp("$ list [--limit N]", ["incidents", "list"]) // "$ pagerduty incidents list [--limit N]"
 * Cli.cleanHelp("$ incidents", ["incidents"]) // "$ pagerduty incidents <command> [flags]"
 * ```
 *
 * @since 0.2.0
 * @category formatting
 */
export const cleanHelp = (text: string, path: ReadonlyArray<string> = []): string => {
  const lines = text.split("\n")
  const out: Array<string> = []
  const usage = path.length === 0 ? undefined : `$ ${path.at(-1)!}`
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const plain = line.replace(ansiStyles, "").trim()
    if (genericHelp.some((re) => re.test(plain))) {
      if (i + 1 < lines.length && lines[i + 1]!.replace(ansiStyles, "").trim() === "") i++
      continue
    }
    const named = usage !== undefined && (line === usage || line.startsWith(`${usage} `))
      ? `$ ${["pagerduty", ...path].join(" ")}${line.slice(usage.length)}`
      : line
    // a command with subcommands has no flags of its own: its usage line is its name alone
    out.push(named === `$ ${["pagerduty", ...path].join(" ")}` ? `${named} <command> [flags]` : named)
  }
  return out.join("\n")
}

/**
 * Fixes the bash completion script of `@effect/cli`, whose case labels for a command two levels
 * deep (`pagerduty,incidents,list)`) never match what its loop builds (`pagerduty__incidents,list`),
 * so `pagerduty incidents list --<TAB>` completed nothing.
 *
 * @example
 * ```ts
 * import { Cli } from "@effect-pagerduty/cli"
 *
 * Cli.fixBashCompletions("            pagerduty,incidents,list)") // "            pagerduty__incidents,list)"
 * ```
 *
 * @since 0.2.0
 * @category formatting
 */
export const fixBashCompletions = (script: string): string =>
  script.replace(/^(\s+)([\w-]+(?:,[\w-]+){2,})\)$/gm, (_, indent: string, label: string) => {
    const names = label.split(",")
    return `${indent}${names.slice(0, -1).join("__")},${names.at(-1)!})`
  })

/**
 * A console for `@effect/cli`'s own output (help, version, completions, usage errors): scrubbed
 * of the secrets, without the generic help sentences, stripped of ANSI styles when the stream
 * is not a terminal or `NO_COLOR` is set, written to the run's stdout/stderr (`log` to
 * `logTo`).
 */
const cleanConsole = (
  secrets: ReadonlyArray<Redacted.Redacted>,
  env: Readonly<Record<string, string | undefined>>,
  io: Io,
  path: ReadonlyArray<string>,
  logTo: "stdout" | "stderr" = "stdout",
  bashCompletions = false
) =>
  Effect.map(Effect.console, (console): Console.Console => {
    const colour = (tty: boolean) => tty && (env.NO_COLOR === undefined || env.NO_COLOR === "")
    const render = (styled: boolean, args: ReadonlyArray<unknown>) => {
      const raw = ErrorReport.scrub(Util.format(...args), secrets)
      const text = bashCompletions ? fixBashCompletions(raw) : cleanHelp(raw, path)
      return `${styled ? text : text.replace(ansiStyles, "")}\n`
    }
    const toStderr = (...args: ReadonlyArray<unknown>) => Effect.sync(() => io.stderr(render(colour(io.stderrIsTTY), args)))
    return {
      ...console,
      log: logTo === "stdout" ? (...args) => io.stdout(render(colour(io.stdoutIsTTY), args)) : toStderr,
      error: toStderr
    }
  })

const logLevels: Record<string, LogLevel.LogLevel> = {
  all: LogLevel.All,
  trace: LogLevel.Trace,
  debug: LogLevel.Debug,
  info: LogLevel.Info,
  warning: LogLevel.Warning,
  error: LogLevel.Error,
  fatal: LogLevel.Fatal,
  none: LogLevel.None
}

/** The level of `--log-level` on the command line (default info), for the logger on stderr. */
const logLevelOf = (argv: ReadonlyArray<string>): LogLevel.LogLevel => {
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === "--") break
    const value = arg === "--log-level" ? argv[i + 1] : arg.startsWith("--log-level=") ? arg.slice("--log-level=".length) : undefined
    if (value !== undefined) return logLevels[value.toLowerCase()] ?? LogLevel.Info
  }
  return LogLevel.Info
}

const usageHint = (path: ReadonlyArray<string>) => `Run '${["pagerduty", ...path, "--help"].join(" ")}' for usage.`

/**
 * Runs a command line (`process.argv`: runtime, script, then arguments) with the `PAGERDUTY_*`
 * settings of `env`, prints its output, or one line per failure on stderr, and returns the
 * exit code. Never fails.
 *
 * Global flags may come before or after the command (see `Argv`). No command prints the help
 * on stderr and returns 2; an unknown command says so (with the close names) and returns 2.
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
  env: Readonly<Record<string, string | undefined>> = process.env,
  options: MainOptions = {}
): Effect.Effect<number, never, CliApp.CliApp.Environment> =>
  Effect.gen(function*() {
    const secrets = secretsOf(argv, env)
    const unscrubbed = ioOf(options)
    // everything on stderr (messages, retries, progress) is scrubbed of the keys given; stdout is data
    const io: Io = { ...unscrubbed, stderr: (text) => unscrubbed.stderr(ErrorReport.scrub(text, secrets)) }
    const normalized = Argv.normalize(command.descriptor, argv)
    if (normalized._tag === "UnknownFlag") {
      const where = ["pagerduty", ...normalized.path].join(" ")
      io.stderr(ErrorReport.scrub(`Error: unknown flag '${normalized.flag}' for '${where}'\n${usageHint(normalized.path)}\n`, secrets))
      return ErrorReport.exitCodes.UsageError
    }
    if (normalized._tag === "UnknownCommand") {
      const parent = ["pagerduty", ...normalized.parent].join(" ")
      const close = normalized.suggestions.length === 0 ? "" : `\nDid you mean ${normalized.suggestions.map((s) => `'${s}'`).join(" or ")}?`
      io.stderr(ErrorReport.scrub(`Error: unknown command '${normalized.command}' for '${parent}'${close}\n${usageHint(normalized.parent)}\n`, secrets))
      return ErrorReport.exitCodes.UsageError
    }
    const usage = normalized._tag === "Usage"
    const args = usage ? [...argv.slice(0, 2), ...normalized.path, "--help"] : normalized.argv
    const completions = args.findIndex((arg) => arg === "--completions" || arg.startsWith("--completions="))
    const shell = completions < 0 ? undefined : args[completions]!.includes("=") ? args[completions]!.split("=")[1] : args[completions + 1]
    const console = yield* cleanConsole(secrets, env, io, normalized.path, usage ? "stderr" : "stdout", shell === "bash" || shell === "sh")
    const stderrLogger = Logger.filterLogLevel(
      Logger.prettyLogger({ stderr: true, colors: io.stderrIsTTY }),
      (level) => LogLevel.greaterThanEqual(level, logLevelOf(argv))
    )
    // stdout carries data (JSON, tables): log lines (warnings, `--log-level debug`) go to stderr
    const exit = yield* Effect.exit(
      Effect.withConsole(runCommand(args), console).pipe(
        Effect.locally(FiberRef.currentLoggers, HashSet.make(stderrLogger)),
        Effect.provideService(CurrentIo, io),
        // PAGERDUTY_* settings are read from `env`
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined))))
      )
    )
    if (usage) return ErrorReport.exitCodes.UsageError
    if (exit._tag === "Success") return ErrorReport.exitCodes.Success
    const report = ErrorReport.fromCause(exit.cause, secrets, env.PAGERDUTY_DEBUG === "1", normalized.path)
    if (report.message !== "") io.stderr(`${report.message}\n`)
    return report.code
  })
