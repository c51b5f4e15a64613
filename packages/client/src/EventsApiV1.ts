/**
 * The legacy PagerDuty Events API v1 (`POST /generic/2010-04-15/create_event.json` on the
 * events host), as the `pagerduty-api` Python package's `Alert` used it:
 *
 * - a "Generic API" service key, `Redacted`, sent as `service_key` in the body
 *   (`Auth.bodyParameter`); a missing or blank key is {@link MissingServiceKey} (Python's
 *   `ConfigurationException`);
 * - `trigger` defaults `incident_key` to the MD5 hex digest of the description, so the same
 *   description deduplicates onto one incident;
 * - `acknowledge` and `resolve` need an incident key: without one they fail with
 *   {@link InvalidIncidentKey} (Python's `IncidentKeyException`) and nothing is sent. An
 *   {@link Alert} handle remembers the key of its trigger, like Python's `Alert` object;
 * - events are validated before sending ({@link EventsApi.InvalidEvent}); 403 (v1's
 *   throttling answer), 429, 5xx and network errors are retried, bounded and jittered; a 200
 *   without `incident_key` is a `ServerHttpError` (`UnexpectedBody`);
 * - every `HttpError`, `ServerHttpError` and `TransportError` raised after the event was sent
 *   carries its incident key as `dedupKey` and `mayHaveBeenDelivered`: resend with
 *   `incidentKey: e.dedupKey` to retry without opening a second incident.
 *
 * New integrations should use the Events API v2 ({@link EventsApi}).
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { Config, Context, Data, Effect, Either, Layer, Option, Redacted, Ref, Schema } from "effect"
import * as ApiClient from "./ApiClient.js"
import * as Auth from "./Auth.js"
import { InvalidEvent } from "./EventsApi.js"
import * as Internal from "./internal/events.js"
import { md5Hex } from "./internal/md5.js"
import type { PagerDutyError, UrlError } from "./PagerDutyError.js"
import * as Region from "./Region.js"
import * as RetryPolicy from "./RetryPolicy.js"

/**
 * The path of the v1 generic events endpoint on the events host.
 *
 * @example
 * ```ts
 * import { EventsApiV1 } from "@effect-pagerduty/client"
 *
 * EventsApiV1.path // "/generic/2010-04-15/create_event.json"
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const path = "/generic/2010-04-15/create_event.json"

/**
 * No service key was configured, or it is blank (Python's `ConfigurationException`).
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { EventsApiV1 } from "@effect-pagerduty/client"
 *
 * const checked = EventsApiV1.make({ serviceKey: Redacted.make("") }).pipe(
 *   Effect.catchTag("MissingServiceKey", (e) => Effect.die(e.message))
 * )
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class MissingServiceKey extends Data.TaggedError("MissingServiceKey")<{}> {
  override get message(): string {
    return "the Events API v1 service key is missing or blank (set PAGERDUTY_SERVICE_KEY or pass serviceKey)"
  }
}

/**
 * An event whose incident key is unusable (Python's `IncidentKeyException`): `Missing` for an
 * acknowledge or resolve without one, `Blank` for an empty or blank key (or not a string),
 * `TooLong` for more than 255 characters. Nothing was sent.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { EventsApiV1 } from "@effect-pagerduty/client"
 *
 * const ack = Effect.flatMap(EventsApiV1.EventsApiV1Service, (v1) =>
 *   v1.acknowledge({}).pipe(Effect.catchTag("InvalidIncidentKey", (e) => Effect.logWarning(e.message))))
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidIncidentKey extends Data.TaggedError("InvalidIncidentKey")<{
  readonly eventType: EventType
  readonly reason: "Missing" | "Blank" | "TooLong"
}> {
  override get message(): string {
    const why = this.reason === "Missing"
      ? "an incident key is required"
      : this.reason === "Blank"
      ? "the incident key must be a non-blank string"
      : "the incident key must be at most 255 characters"
    return `${this.eventType} event not sent: ${why}`
  }
}

/**
 * Every way an Events API v1 call can fail.
 *
 * @example
 * ```ts
 * import type { EventsApiV1 } from "@effect-pagerduty/client"
 *
 * const describe = (e: EventsApiV1.EventsV1Error) => `${e._tag}: ${e.message}`
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export type EventsV1Error = InvalidEvent | InvalidIncidentKey | PagerDutyError

/**
 * The v1 event types.
 *
 * @example
 * ```ts
 * import type { EventsApiV1 } from "@effect-pagerduty/client"
 *
 * const type: EventsApiV1.EventType = "resolve"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type EventType = "trigger" | "acknowledge" | "resolve"

/**
 * A context of a v1 trigger: a link or an image (image `src` must be https).
 *
 * @example
 * ```ts
 * import type { EventsApiV1 } from "@effect-pagerduty/client"
 *
 * const contexts: ReadonlyArray<EventsApiV1.Context> = [
 *   { type: "link", href: "https://grafana.example.com/d/db", text: "Dashboard" },
 *   { type: "image", src: "https://charts.example.com/cpu.png" }
 * ]
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Context =
  | { readonly type: "link"; readonly href: string; readonly text?: string }
  | { readonly type: "image"; readonly src: string; readonly href?: string; readonly alt?: string; readonly text?: string }

/**
 * A v1 trigger. `incidentKey` defaults to the MD5 hex digest of `description`.
 *
 * @example
 * ```ts
 * import type { EventsApiV1 } from "@effect-pagerduty/client"
 *
 * const trigger: EventsApiV1.Trigger = {
 *   description: "No data received",
 *   client: "My Client",
 *   clientUrl: "https://monitor.example.com",
 *   details: { some_key: "some_value" }
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Trigger {
  /** Non-blank, at most 1024 characters. */
  readonly description: string
  readonly incidentKey?: string | undefined
  readonly client?: string | undefined
  readonly clientUrl?: string | undefined
  readonly details?: Readonly<Record<string, unknown>> | undefined
  readonly contexts?: ReadonlyArray<Context> | undefined
}

/**
 * An acknowledge or resolve. The key is required by the service methods; an {@link Alert}
 * falls back to the key of its trigger.
 *
 * @example
 * ```ts
 * import type { EventsApiV1 } from "@effect-pagerduty/client"
 *
 * const update: EventsApiV1.Update = { incidentKey: "0ace123ba99999160f35ea3bd381a318", description: "Working on it." }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Update {
  readonly incidentKey?: string | undefined
  readonly description?: string | undefined
  readonly details?: Readonly<Record<string, unknown>> | undefined
}

/**
 * PagerDuty's answer (`{"status":"success","message":"Event processed","incident_key":...}`).
 *
 * @example
 * ```ts
 * import type { EventsApiV1 } from "@effect-pagerduty/client"
 *
 * const keyOf = (r: EventsApiV1.Result) => r.incidentKey
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Result {
  readonly status: string
  readonly message: string
  readonly incidentKey: string
}

/**
 * A stateful alert, like the Python `Alert` object: after `trigger`, `acknowledge()` and
 * `resolve()` without a key use the trigger's incident key.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { EventsApiV1 } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const v1 = yield* EventsApiV1.EventsApiV1Service
 *   const alert: EventsApiV1.Alert = yield* v1.alert
 *   yield* alert.trigger({ description: "No data received" })
 *   yield* alert.acknowledge({ description: "Working on it." })
 *   yield* alert.resolve()
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Alert {
  readonly trigger: (event: Trigger) => Effect.Effect<Result, EventsV1Error>
  readonly acknowledge: (update?: Update) => Effect.Effect<Result, EventsV1Error>
  readonly resolve: (update?: Update) => Effect.Effect<Result, EventsV1Error>
  /** The key of the last successful trigger, if any. */
  readonly incidentKey: Effect.Effect<Option.Option<string>>
}

/**
 * The Events API v1 client.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { EventsApiV1 } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const v1: EventsApiV1.EventsApiV1 = yield* EventsApiV1.EventsApiV1Service
 *   const { incidentKey } = yield* v1.trigger({ description: "No data received" })
 *   yield* v1.resolve({ incidentKey, description: "Fixed it." })
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface EventsApiV1 {
  readonly trigger: (event: Trigger) => Effect.Effect<Result, EventsV1Error>
  /** A key, or an {@link Update} with a key. */
  readonly acknowledge: (update: string | Update) => Effect.Effect<Result, EventsV1Error>
  readonly resolve: (update: string | Update) => Effect.Effect<Result, EventsV1Error>
  /** A new {@link Alert} that remembers its trigger's incident key. */
  readonly alert: Effect.Effect<Alert>
  readonly client: ApiClient.ApiClient
}

/**
 * The tag of the Events API v1 client.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { EventsApiV1 } from "@effect-pagerduty/client"
 *
 * const fire = Effect.flatMap(EventsApiV1.EventsApiV1Service, (v1) => v1.trigger({ description: "Disk full" }))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class EventsApiV1Service extends Context.Tag("@effect-pagerduty/client/EventsApiV1")<EventsApiV1Service, EventsApiV1>() {}

/**
 * Options of {@link make} and {@link layer}.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import type { EventsApiV1 } from "@effect-pagerduty/client"
 *
 * const options: EventsApiV1.Options = { serviceKey: Redacted.make("4baa5d20cfba466a5e075b02698f455c") }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends ApiClient.ClientOptions {
  /** The "Generic API" service key. */
  readonly serviceKey: Redacted.Redacted
}

/**
 * {@link RetryPolicy.events} plus 403, which v1 answers when throttling (up to 6 retries).
 *
 * @example
 * ```ts
 * import { EventsApiV1 } from "@effect-pagerduty/client"
 *
 * EventsApiV1.defaultRetryPolicy.statusBudgets[403] // 6
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRetryPolicy: RetryPolicy.RetryPolicy = RetryPolicy.make({ statusBudgets: { 403: 6 } }, RetryPolicy.events)

const checkKey = (eventType: EventType, key: unknown): Effect.Effect<string, InvalidIncidentKey> => {
  if (key === undefined) return Effect.fail(new InvalidIncidentKey({ eventType, reason: "Missing" }))
  if (typeof key !== "string" || key.trim() === "") return Effect.fail(new InvalidIncidentKey({ eventType, reason: "Blank" }))
  if (key.length > 255) return Effect.fail(new InvalidIncidentKey({ eventType, reason: "TooLong" }))
  return Effect.succeed(key)
}

/**
 * Build the client on the `HttpClient` in context.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { EventsApiV1 } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const v1 = yield* EventsApiV1.make({ serviceKey: Redacted.make("4baa5d20cfba466a5e075b02698f455c") })
 *   return yield* v1.trigger({ description: "No data received", details: { some_key: "some_value" } })
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<EventsApiV1, UrlError | MissingServiceKey, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    if (Redacted.value(options.serviceKey).trim() === "") return yield* new MissingServiceKey()
    const client = yield* ApiClient.make({
      name: "events-v1",
      baseUrl: Region.origin(options.region ?? "us", "events", options.baseUrl),
      auth: Auth.bodyParameter("service_key", options.serviceKey),
      permittedMethods: ["POST"],
      headers: { Accept: "application/json" },
      retry: RetryPolicy.resolve(options.retry, defaultRetryPolicy),
      timeout: options.timeout,
      transformClient: options.transformClient,
      canonicalPath: (p) => p
    })

    // Every failure after the event was handed to the transport carries its incident key
    // (`dedupKey`), so the caller can resend the same logical event exactly once.
    const send = (body: Record<string, unknown>): Effect.Effect<Result, EventsV1Error> =>
      Either.match(Internal.validate(Internal.V1Body, body), {
        onLeft: (issues) => Effect.fail(new InvalidEvent({ field: issues[0]!.field, reason: issues[0]!.reason, issues })),
        onRight: (valid) =>
          // the incident key makes a repeat harmless: an unreadable 2xx is retried too
          Effect.flatMap(client.requestOk({ method: "POST", url: path, json: body, retryUnreadableBody: true }), (response) =>
            Effect.flatMap(ApiClient.parseJson(response), (json) =>
              Either.match(Schema.decodeUnknownEither(Internal.V1Answer)(json), {
                onLeft: (cause) =>
                  Effect.fail(ApiClient.unexpectedBody(response, "UnexpectedBody", 'the Events API v1 answer has no "incident_key"', cause)),
                onRight: (answer) => Effect.succeed({ status: answer.status, message: answer.message, incidentKey: answer.incident_key })
              }))).pipe(Effect.mapError(Internal.withDedupKey(valid.incident_key)))
      })

    // inputs are `unknown` inside: untyped callers may pass any value, which must fail as a typed error
    const trigger = (input: unknown): Effect.Effect<Result, EventsV1Error> =>
      Effect.suspend(() => {
        const event = Internal.fieldsOf(input)
        const description = event["description"]
        const keyed = event["incidentKey"] === undefined
          // seed 002: the md5 of the description when no key is given
          ? Effect.succeed(typeof description === "string" && description.trim() !== "" ? md5Hex(description) : undefined)
          : checkKey("trigger", event["incidentKey"])
        return Effect.flatMap(keyed, (incidentKey) =>
          send(Internal.compact({
            event_type: "trigger",
            incident_key: incidentKey,
            description,
            details: event["details"],
            client: event["client"],
            client_url: event["clientUrl"],
            contexts: Internal.listOf(event["contexts"])
          })))
      }).pipe(Effect.withSpan("EventsApiV1.trigger"))

    const update = (eventType: "acknowledge" | "resolve") => (input: unknown): Effect.Effect<Result, EventsV1Error> =>
      Effect.suspend(() => {
        const u = typeof input === "string" ? { incidentKey: input } : Internal.fieldsOf(input)
        return Effect.flatMap(checkKey(eventType, u["incidentKey"]), (incidentKey) =>
          send(Internal.compact({ event_type: eventType, incident_key: incidentKey, description: u["description"], details: u["details"] })))
      }).pipe(Effect.withSpan(`EventsApiV1.${eventType}`))

    const acknowledge = update("acknowledge")
    const resolve = update("resolve")

    const alert = Effect.map(Ref.make(Option.none<string>()), (last): Alert => {
      const withKey = (f: (u: unknown) => Effect.Effect<Result, EventsV1Error>) => (u: Update = {}) =>
        Internal.fieldsOf(u)["incidentKey"] !== undefined
          ? f(u)
          : Effect.flatMap(Ref.get(last), (key) => f(Option.isSome(key) ? { ...Internal.fieldsOf(u), incidentKey: key.value } : u))
      return {
        trigger: (event) => Effect.tap(trigger(event), (r) => Ref.set(last, Option.some(r.incidentKey))),
        acknowledge: withKey(acknowledge),
        resolve: withKey(resolve),
        incidentKey: Ref.get(last)
      }
    })

    return EventsApiV1Service.of({ trigger, acknowledge, resolve, alert, client })
  })

/**
 * A layer providing {@link EventsApiV1Service}.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { EventsApiV1 } from "@effect-pagerduty/client"
 *
 * const V1Live = EventsApiV1.layer({ serviceKey: Redacted.make("4baa5d20cfba466a5e075b02698f455c") })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<EventsApiV1Service, UrlError | MissingServiceKey, HttpClient.HttpClient> =>
  Layer.effect(EventsApiV1Service, make(options))

/**
 * The configuration {@link layerConfig} reads: `PAGERDUTY_SERVICE_KEY` (redacted, optional
 * here so that its absence becomes {@link MissingServiceKey}), `PAGERDUTY_REGION` and optional
 * `PAGERDUTY_EVENTS_URL`.
 *
 * @example
 * ```ts
 * import { Effect, Option } from "effect"
 * import { EventsApiV1 } from "@effect-pagerduty/client"
 *
 * const hasKey = Effect.map(EventsApiV1.config, (c) => Option.isSome(c.serviceKey))
 * ```
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<{
  readonly serviceKey: Option.Option<Redacted.Redacted>
  readonly region: Region.Region
  readonly baseUrl: string | undefined
}> = Config.all({
  serviceKey: Config.option(Config.redacted("PAGERDUTY_SERVICE_KEY")),
  region: Region.config,
  baseUrl: Config.option(Config.string("PAGERDUTY_EVENTS_URL"))
}).pipe(Config.map(({ baseUrl, region, serviceKey }) => ({ serviceKey, region, baseUrl: Option.getOrUndefined(baseUrl) })))

/**
 * {@link layer} from {@link config}; without `PAGERDUTY_SERVICE_KEY` it fails with
 * {@link MissingServiceKey}.
 *
 * @example
 * ```ts
 * import { EventsApiV1 } from "@effect-pagerduty/client"
 *
 * // PAGERDUTY_SERVICE_KEY=...
 * const V1Live = EventsApiV1.layerConfig()
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (overrides: Omit<Options, "serviceKey" | "region" | "baseUrl"> = {}) =>
  Layer.unwrapEffect(
    Effect.flatMap(config, (c) =>
      Option.match(c.serviceKey, {
        onNone: () => Effect.fail(new MissingServiceKey()),
        onSome: (serviceKey) => Effect.succeed(layer({ ...overrides, serviceKey, region: c.region, baseUrl: c.baseUrl }))
      }))
  )
