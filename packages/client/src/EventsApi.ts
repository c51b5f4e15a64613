/**
 * The PagerDuty Events API v2 (`https://events.pagerduty.com`): trigger, acknowledge and
 * resolve alerts (`POST /v2/enqueue`) and send change events (`POST /v2/change/enqueue`).
 *
 * - The routing key is `Redacted` and goes into the JSON body (`Auth.routingKey`); it never
 *   appears in an error, a log line or a span.
 * - Every event is validated with `effect/Schema` before sending (summary non-blank and at
 *   most 1024 characters, one of the four severities, dedup key at most 255 characters, ISO
 *   8601 timestamps, link and image shapes): a bad event fails with {@link InvalidEvent} and
 *   nothing is sent.
 * - 429, 5xx and network errors are retried ({@link RetryPolicy.events}: bounded, jittered),
 *   and so is a 2xx alert-event answer whose body is unreadable (truncated or garbled JSON).
 *   That is safe because a trigger without a dedup key gets one assigned by the client
 *   before the first attempt: every retry carries the same key, so a retried trigger never
 *   opens two incidents. The key is returned. (A change event has no key: an unreadable
 *   answer to one is not repeated.)
 * - A 2xx answer without `dedup_key` is a `ServerHttpError` (`UnexpectedBody`); a 400 is an
 *   `HttpError` carrying PagerDuty's `errors[]`.
 * - Exactly once: every `HttpError`, `ServerHttpError` and `TransportError` raised after an
 *   alert event was handed to the transport carries the event's `dedupKey` and
 *   `mayHaveBeenDelivered`. Resend the event with that key (`trigger({ ...event, dedupKey:
 *   e.dedupKey })`) and PagerDuty deduplicates it onto the same alert: one incident per
 *   logical trigger, whatever failed.
 * - Inputs from untyped code (any JSON value) fail with {@link InvalidEvent}, never a defect.
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { Clock, Config, Context, Data, Effect, Either, Layer, Option, Redacted, Schema } from "effect"
import * as ApiClient from "./ApiClient.js"
import * as Auth from "./Auth.js"
import * as Internal from "./internal/events.js"
import type { PagerDutyError, UrlError } from "./PagerDutyError.js"
import * as Region from "./Region.js"
import * as RetryPolicy from "./RetryPolicy.js"

// ---------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------

/**
 * An event that failed validation before sending (nothing was sent). `field` is the wire
 * path of the first problem (`payload.summary`, `dedup_key`, `links[0].href`...), `reason`
 * says what is wrong, and `issues` lists every problem found.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { EventsApi } from "@effect-pagerduty/client"
 *
 * const safe = Effect.flatMap(EventsApi.EventsApiService, (events) =>
 *   events.trigger({ summary: "", source: "db-1" }).pipe(
 *     Effect.catchTag("InvalidEvent", (e) => Effect.logWarning(`not sent: ${e.field} ${e.reason}`))
 *   ))
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidEvent extends Data.TaggedError("InvalidEvent")<{
  readonly field: string
  readonly reason: string
  readonly issues: ReadonlyArray<{ readonly field: string; readonly reason: string }>
}> {
  override get message(): string {
    const more = this.issues.length > 1 ? ` (and ${this.issues.length - 1} more)` : ""
    return `invalid event, nothing sent: ${this.field === "" ? "" : `${this.field}: `}${this.reason}${more}`
  }
}

/**
 * The routing key given to {@link layer}, {@link make} or {@link layerConfig} is empty or blank.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { EventsApi } from "@effect-pagerduty/client"
 *
 * const checked = EventsApi.make({ routingKey: Redacted.make("") }).pipe(
 *   Effect.catchTag("MissingRoutingKey", (e) => Effect.die(e.message))
 * )
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class MissingRoutingKey extends Data.TaggedError("MissingRoutingKey")<{}> {
  override get message(): string {
    return "the Events API v2 routing key is missing or blank (set PAGERDUTY_ROUTING_KEY or pass routingKey)"
  }
}

/**
 * Every way an Events API call can fail: validation (nothing sent) or one of the
 * `PagerDutyError`s.
 *
 * @example
 * ```ts
 * import type { EventsApi } from "@effect-pagerduty/client"
 *
 * const describe = (e: EventsApi.EventsError) => `${e._tag}: ${e.message}`
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export type EventsError = InvalidEvent | PagerDutyError

// ---------------------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------------------

/**
 * The perceived severity of the problem an alert describes.
 *
 * @example
 * ```ts
 * import type { EventsApi } from "@effect-pagerduty/client"
 *
 * const severity: EventsApi.Severity = "warning"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Severity = "critical" | "error" | "warning" | "info"

/**
 * A link shown on the alert (and its incident). `href` must be an http(s) URL.
 *
 * @example
 * ```ts
 * import type { EventsApi } from "@effect-pagerduty/client"
 *
 * const link: EventsApi.Link = { href: "https://grafana.example.com/d/db", text: "Dashboard" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Link {
  readonly href: string
  readonly text?: string
}

/**
 * An image shown on the alert. PagerDuty shows images served over https only, so `src`
 * must be an https URL.
 *
 * @example
 * ```ts
 * import type { EventsApi } from "@effect-pagerduty/client"
 *
 * const image: EventsApi.Image = { src: "https://charts.example.com/cpu.png", alt: "CPU" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Image {
  readonly src: string
  readonly href?: string
  readonly alt?: string
}

/**
 * A trigger event. Only `summary` and `source` are required; `severity` defaults to
 * `"critical"` (as in the Python client); when `dedupKey` is absent the client assigns a
 * random one before the first attempt and returns it.
 *
 * @example
 * ```ts
 * import type { EventsApi } from "@effect-pagerduty/client"
 *
 * const event: EventsApi.Trigger = {
 *   summary: "Disk 95% full on db-1",
 *   source: "db-1.example.com",
 *   severity: "warning",
 *   component: "postgres",
 *   customDetails: { free: "5%" },
 *   links: [{ href: "https://runbooks.example.com/disk", text: "Runbook" }]
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Trigger {
  /** Alert title: non-blank, at most 1024 characters. */
  readonly summary: string
  /** The affected system (hostname or FQDN). */
  readonly source: string
  readonly severity?: Severity | undefined
  /** Identifies the alert for deduplication, acknowledge and resolve; at most 255 characters. */
  readonly dedupKey?: string | undefined
  /** When the problem was detected: a `Date` or an ISO 8601 string with a zone. */
  readonly timestamp?: string | Date | undefined
  readonly component?: string | undefined
  readonly group?: string | undefined
  readonly class?: string | undefined
  readonly customDetails?: Readonly<Record<string, unknown>> | undefined
  readonly images?: ReadonlyArray<Image> | undefined
  readonly links?: ReadonlyArray<Link> | undefined
  /** Name of the monitoring client sending the event. */
  readonly client?: string | undefined
  /** URL of the monitoring client. */
  readonly clientUrl?: string | undefined
}

/**
 * Any alert event for {@link EventsApi.sendEvent} and {@link EventsApi.sendBatch}.
 *
 * @example
 * ```ts
 * import type { EventsApi } from "@effect-pagerduty/client"
 *
 * const events: ReadonlyArray<EventsApi.Event> = [
 *   { action: "trigger", summary: "CPU high", source: "web-1" },
 *   { action: "resolve", dedupKey: "web-1/cpu" }
 * ]
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Event =
  | ({ readonly action: "trigger" } & Trigger)
  | { readonly action: "acknowledge" | "resolve"; readonly dedupKey: string }

/**
 * PagerDuty's answer to an alert event: the dedup key (the one given or assigned), the
 * status (`"success"`) and message (`"Event processed"`).
 *
 * @example
 * ```ts
 * import type { EventsApi } from "@effect-pagerduty/client"
 *
 * const keyOf = (r: EventsApi.EventResult) => r.dedupKey
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface EventResult {
  readonly dedupKey: string
  readonly status: string
  readonly message: string
}

/**
 * A change event (a deploy, a config change): it opens no incident and notifies nobody; it
 * is shown next to incidents of the service. `timestamp` defaults to now with
 * {@link EventsApi.submit}.
 *
 * @example
 * ```ts
 * import type { EventsApi } from "@effect-pagerduty/client"
 *
 * const deploy: EventsApi.ChangeEvent = {
 *   summary: "Deployed checkout v42",
 *   source: "ci",
 *   customDetails: { commit: "abc123" },
 *   links: [{ href: "https://ci.example.com/builds/42" }]
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ChangeEvent {
  readonly summary: string
  readonly source?: string | undefined
  readonly timestamp?: string | Date | undefined
  readonly customDetails?: Readonly<Record<string, unknown>> | undefined
  readonly links?: ReadonlyArray<Link> | undefined
  readonly images?: ReadonlyArray<Image> | undefined
}

/**
 * PagerDuty's answer to a change event (Python's client discards it).
 *
 * @example
 * ```ts
 * import type { EventsApi } from "@effect-pagerduty/client"
 *
 * const ok = (r: EventsApi.ChangeEventResult) => r.status === "success"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ChangeEventResult {
  readonly status: string
  readonly message: string
}

/**
 * Options of {@link EventsApi.sendBatch}: how many events are in flight at once (default 4;
 * values below 1 count as 1).
 *
 * @example
 * ```ts
 * import type { EventsApi } from "@effect-pagerduty/client"
 *
 * const options: EventsApi.BatchOptions = { concurrency: 8 }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface BatchOptions {
  readonly concurrency?: number | undefined
}

/**
 * The Events API v2 client.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { EventsApi } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const events: EventsApi.EventsApi = yield* EventsApi.EventsApiService
 *   const { dedupKey } = yield* events.trigger({ summary: "Disk full", source: "db-1" })
 *   yield* events.acknowledge(dedupKey)
 *   yield* events.resolve(dedupKey)
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface EventsApi {
  /** Open (or deduplicate onto) an alert. The dedup key is assigned before sending when absent. */
  readonly trigger: (event: Trigger) => Effect.Effect<EventResult, EventsError>
  readonly acknowledge: (dedupKey: string) => Effect.Effect<EventResult, EventsError>
  readonly resolve: (dedupKey: string) => Effect.Effect<EventResult, EventsError>
  /** Any alert event (Python's `send_event`). */
  readonly sendEvent: (event: Event) => Effect.Effect<EventResult, EventsError>
  /** A change event, as given (Python's `send_change_event`), returning PagerDuty's answer. */
  readonly sendChangeEvent: (event: ChangeEvent) => Effect.Effect<ChangeEventResult, EventsError>
  /**
   * A change event with the timestamp defaulting to now (Python's `submit`), returning
   * PagerDuty's answer.
   */
  readonly submit: (
    summary: string,
    options?: Omit<ChangeEvent, "summary">
  ) => Effect.Effect<ChangeEventResult, EventsError>
  /**
   * Send many events with bounded concurrency. Never fails: every input gets its own result
   * or error, in input order. Every error raised after an event was sent carries that
   * event's `dedupKey` and `mayHaveBeenDelivered`, so the failed items can be resent
   * exactly once.
   */
  readonly sendBatch: (
    events: Iterable<Event>,
    options?: BatchOptions
  ) => Effect.Effect<ReadonlyArray<Either.Either<EventResult, EventsError>>>
  /** {@link EventsApi.sendBatch} for triggers. */
  readonly triggerAll: (
    events: Iterable<Trigger>,
    options?: BatchOptions
  ) => Effect.Effect<ReadonlyArray<Either.Either<EventResult, EventsError>>>
  /** The underlying `ApiClient` (base URL, raw requests). */
  readonly client: ApiClient.ApiClient
}

/**
 * The tag of the Events API v2 client.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { EventsApi } from "@effect-pagerduty/client"
 *
 * const resolveIt = Effect.flatMap(EventsApi.EventsApiService, (events) => events.resolve("db-1/disk"))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class EventsApiService extends Context.Tag("@effect-pagerduty/client/EventsApi")<EventsApiService, EventsApi>() {}

/**
 * Options of {@link make} and {@link layer}.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import type { EventsApi } from "@effect-pagerduty/client"
 *
 * const options: EventsApi.Options = { routingKey: Redacted.make("R0UT1NGKEY"), region: "eu", timeout: "10 seconds" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends ApiClient.ClientOptions {
  /** The integration ("routing") key of an Events API v2 integration. */
  readonly routingKey: Redacted.Redacted
}

const invalid = (issues: ReadonlyArray<Internal.Issue>) =>
  new InvalidEvent({ field: issues[0]!.field, reason: issues[0]!.reason, issues })

const check = <A, I>(schema: Schema.Schema<A, I>, body: Record<string, unknown>): Effect.Effect<A, InvalidEvent> =>
  Either.match(Internal.validate(schema, body), { onLeft: (issues) => Effect.fail(invalid(issues)), onRight: Effect.succeed })

/** The v2 trigger wire body of an input from typed or untyped code (validated afterwards). */
const triggerBody = (event: Readonly<Record<string, unknown>>, dedupKey: unknown): Record<string, unknown> =>
  Internal.compact({
    event_action: "trigger",
    dedup_key: dedupKey,
    payload: Internal.compact({
      summary: event["summary"],
      source: event["source"],
      severity: event["severity"] ?? "critical",
      timestamp: Internal.timestampOf(event["timestamp"]),
      component: event["component"],
      group: event["group"],
      class: event["class"],
      custom_details: event["customDetails"]
    }),
    client: event["client"],
    client_url: event["clientUrl"],
    links: Internal.listOf(event["links"]),
    images: Internal.listOf(event["images"])
  })

/** The v2 change event wire body of an input from typed or untyped code (validated afterwards). */
const changeBody = (event: Readonly<Record<string, unknown>>): Record<string, unknown> =>
  Internal.compact({
    payload: Internal.compact({
      summary: event["summary"],
      source: event["source"],
      timestamp: Internal.timestampOf(event["timestamp"]),
      custom_details: event["customDetails"]
    }),
    links: Internal.listOf(event["links"]),
    images: Internal.listOf(event["images"])
  })

// ---------------------------------------------------------------------------------------
// the client's parts, over the request client
// ---------------------------------------------------------------------------------------

// An unreadable 2xx is retried (within the network budget) only for alert events: their
// dedup key makes a repeat harmless. A change event has no key, so it is not repeated.
const post = <A, I>(client: ApiClient.ApiClient, path: string, body: Record<string, unknown>, answer: Schema.Schema<A, I>, missing: string) =>
  Effect.flatMap(client.requestOk({ method: "POST", url: path, json: body, retryUnreadableBody: path === "/v2/enqueue" }), (response) =>
    Effect.flatMap(ApiClient.parseJson(response), (json) =>
      Either.match(Schema.decodeUnknownEither(answer)(json), {
        onLeft: (cause) => Effect.fail(ApiClient.unexpectedBody(response, "UnexpectedBody", missing, cause)),
        onRight: Effect.succeed
      })))

// Every failure after the event was handed to the transport carries its dedup key, so
// the caller can resend the same logical event (and open at most one incident).
const send = (client: ApiClient.ApiClient, body: Record<string, unknown>, dedupKey: string): Effect.Effect<EventResult, EventsError> =>
  post(client, "/v2/enqueue", body, Internal.EnqueueAnswer, 'the Events API answer has no "dedup_key"').pipe(
    Effect.map((answer) => ({ dedupKey: answer.dedup_key, status: answer.status, message: answer.message })),
    Effect.mapError(Internal.withDedupKey(dedupKey))
  )

// inputs are `unknown` inside: untyped callers may pass any value, which must fail as InvalidEvent
const trigger = (client: ApiClient.ApiClient) => (event: unknown): Effect.Effect<EventResult, EventsError> =>
  Effect.suspend(() => {
    const fields = Internal.fieldsOf(event)
    // assigned once, before the first attempt: every retry carries the same key
    const body = triggerBody(fields, fields["dedupKey"] === undefined ? Internal.randomKey() : fields["dedupKey"])
    return Effect.flatMap(check(Internal.TriggerBody, body), (valid) => send(client, body, valid.dedup_key))
  }).pipe(Effect.withSpan("EventsApi.trigger"))

const update = (client: ApiClient.ApiClient, action: "acknowledge" | "resolve") => (dedupKey: unknown): Effect.Effect<EventResult, EventsError> =>
  Effect.suspend(() => {
    const body = { event_action: action, dedup_key: dedupKey }
    return Effect.flatMap(check(Internal.ActionBody, body), (valid) => send(client, body, valid.dedup_key))
  }).pipe(Effect.withSpan(`EventsApi.${action}`))

const sendEvent = (client: ApiClient.ApiClient) => (event: unknown): Effect.Effect<EventResult, EventsError> =>
  Effect.suspend(() => {
    const fields = Internal.fieldsOf(event)
    const action = fields["action"]
    switch (action) {
      case "trigger":
        return trigger(client)(event)
      case "acknowledge":
      case "resolve":
        return Effect.flatMap(check(Internal.ActionBody, { event_action: action, dedup_key: fields["dedupKey"] }), (valid) =>
          update(client, action)(valid.dedup_key))
      default:
        return Effect.fail(
          invalid([{ field: "event_action", reason: "event_action must be one of trigger, acknowledge, resolve" }])
        )
    }
  })

const sendChangeEvent = (client: ApiClient.ApiClient) => (event: unknown): Effect.Effect<ChangeEventResult, EventsError> =>
  Effect.suspend(() => {
    const body = changeBody(Internal.fieldsOf(event))
    return Effect.flatMap(check(Internal.ChangeBody, body), () =>
      post(client, "/v2/change/enqueue", body, Internal.ChangeAnswer, 'the change event answer has no "status"'))
  }).pipe(Effect.withSpan("EventsApi.sendChangeEvent"))

const submit = (client: ApiClient.ApiClient) => (summary: string, rest: Omit<ChangeEvent, "summary"> = {}) =>
  Effect.flatMap(Clock.currentTimeMillis, (now) => {
    const fields = Internal.fieldsOf(rest)
    return sendChangeEvent(client)({ ...fields, summary, timestamp: fields["timestamp"] ?? new Date(now) })
  })

const batch = (name: string, send: (event: unknown) => Effect.Effect<EventResult, EventsError>) =>
(events: Iterable<unknown>, options?: BatchOptions) =>
  Effect.forEach(events, (event) => Effect.either(send(event)), { concurrency: Internal.concurrencyOf(options?.concurrency) }).pipe(
    Effect.withSpan(name)
  )

/**
 * Build the client on the `HttpClient` in context. Fails with {@link MissingRoutingKey} for a
 * blank key and `UrlError` for a bad `baseUrl`.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { EventsApi } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const events = yield* EventsApi.make({ routingKey: Redacted.make("R0UT1NGKEY") })
 *   return yield* events.trigger({ summary: "Checkout down", source: "checkout", severity: "critical" })
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<EventsApi, UrlError | MissingRoutingKey, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    if (Redacted.value(options.routingKey).trim() === "") return yield* new MissingRoutingKey()
    const client = yield* ApiClient.make({
      name: "events",
      baseUrl: Region.origin(options.region ?? "us", "events", options.baseUrl),
      auth: Auth.routingKey(options.routingKey),
      permittedMethods: ["POST"],
      headers: { Accept: "application/json" },
      retry: RetryPolicy.resolve(options.retry, RetryPolicy.events),
      timeout: options.timeout,
      transformClient: options.transformClient,
      canonicalPath: (path) => path
    })
    return EventsApiService.of({
      trigger: trigger(client),
      acknowledge: update(client, "acknowledge"),
      resolve: update(client, "resolve"),
      sendEvent: sendEvent(client),
      sendChangeEvent: sendChangeEvent(client),
      submit: submit(client),
      sendBatch: batch("EventsApi.sendBatch", sendEvent(client)),
      triggerAll: batch("EventsApi.triggerAll", trigger(client)),
      client
    })
  })

/**
 * A layer providing {@link EventsApiService}.
 *
 * @example
 * ```ts
 * import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
 * import { Layer, Redacted } from "effect"
 * import { EventsApi } from "@effect-pagerduty/client"
 *
 * const EventsLive = EventsApi.layer({ routingKey: Redacted.make("R0UT1NGKEY"), region: "eu" }).pipe(
 *   Layer.provide(NodeHttpClient.layerUndici)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<EventsApiService, UrlError | MissingRoutingKey, HttpClient.HttpClient> =>
  Layer.effect(EventsApiService, make(options))

/**
 * The configuration {@link layerConfig} reads: `PAGERDUTY_ROUTING_KEY` (redacted),
 * `PAGERDUTY_REGION` (`us`|`eu`, default `us`) and optional `PAGERDUTY_EVENTS_URL`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { EventsApi } from "@effect-pagerduty/client"
 *
 * const region = Effect.map(EventsApi.config, (c) => c.region)
 * ```
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<{ readonly routingKey: Redacted.Redacted; readonly region: Region.Region; readonly baseUrl: string | undefined }> =
  Config.all({
    routingKey: Config.redacted("PAGERDUTY_ROUTING_KEY"),
    region: Region.config,
    baseUrl: Config.option(Config.string("PAGERDUTY_EVENTS_URL"))
  }).pipe(Config.map(({ baseUrl, region, routingKey }) => ({ routingKey, region, baseUrl: Option.getOrUndefined(baseUrl) })))

/**
 * {@link layer} from {@link config}, with optional other options (retry, timeout, transform).
 *
 * @example
 * ```ts
 * import { EventsApi } from "@effect-pagerduty/client"
 *
 * // PAGERDUTY_ROUTING_KEY=... PAGERDUTY_REGION=eu
 * const EventsLive = EventsApi.layerConfig({ timeout: "10 seconds" })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (overrides: Omit<Options, "routingKey" | "region" | "baseUrl"> = {}) =>
  Layer.unwrapEffect(Effect.map(config, (c) => layer({ ...overrides, ...c })))
