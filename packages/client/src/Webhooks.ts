/**
 * PagerDuty Webhooks v3: verify, decode and serve the events PagerDuty pushes, and manage
 * the subscriptions that make it push them.
 *
 * - **Verify.** {@link verify} checks `X-PagerDuty-Signature` (`v1=<hex HMAC-SHA256 of the
 *   raw body>`, several comma-separated while a secret rotates) against one or several
 *   secrets, with Web Crypto and a constant-time comparison. It needs the body exactly as
 *   received: verify the bytes, then decode them (never re-serialise parsed JSON).
 * - **Decode.** {@link decode} turns the body into a {@link WebhookEvent}: a union over
 *   `_tag` of every event type PagerDuty documents (`incident.triggered`, ...,
 *   `service.updated`, `pagey.ping`) with typed `data`, plus {@link UnknownEvent} for types
 *   added later. Unknown fields are kept, never rejected.
 * - **Serve.** {@link handler} is an `@effect/platform` `HttpApp`: it reads the body once
 *   (at most `maxBodyBytes`, 413 beyond), verifies (401), decodes (400), runs your effect and
 *   answers 202; if your effect fails it answers 500 so PagerDuty delivers the event again.
 * - **Subscribe.** {@link createSubscription} (returns the signing secret, shown only once),
 *   {@link listSubscriptions}, {@link getSubscription}, {@link updateSubscription},
 *   {@link deleteSubscription}, {@link enableSubscription}, {@link pingSubscription}, on the
 *   REST client.
 *
 * **Delivery is at least once.** PagerDuty retries a delivery that times out or gets a 429
 * or 5xx (up to 5 attempts over about 20 minutes) and drops it on any other 4xx. A retry can
 * follow a delivery your handler did process (for instance when the 2xx was lost), so make
 * the handler idempotent: deduplicate on `event.id` (unique per event) or on the delivery's
 * `X-Webhook-Id` (the same on every attempt), both given to your handler.
 *
 * @since 0.2.0
 */
import * as PlatformHeaders from "@effect/platform/Headers"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Cause, Data, Effect, Either, Option, ParseResult, Redacted, Schema, Stream } from "effect"
import * as Internal from "./internal/webhooks.js"
import type { PagerDutyError } from "./PagerDutyError.js"
import * as RestApi from "./RestApi.js"

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/**
 * Why a signature check failed:
 *
 * - `MissingSignature`: no (or an empty) `X-PagerDuty-Signature` header;
 * - `MalformedSignature`: the header is not a list of `v<n>=<signature>` entries with at
 *   least one `v1=<64 hex digits>` (or is too long);
 * - `InvalidSignature`: no signature matches the body under any of the secrets (a tampered
 *   body, a wrong or rotated-out secret, or a sender that does not know the secret);
 * - `NoSecret`: no usable (non-empty) secret was given: a configuration error;
 * - `CryptoUnavailable`: the runtime has no Web Crypto HMAC.
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const status = (reason: Webhooks.SignatureFailure) => reason === "NoSecret" || reason === "CryptoUnavailable" ? 500 : 401
 * ```
 *
 * @since 0.2.0
 * @category errors
 */
export type SignatureFailure = "MissingSignature" | "MalformedSignature" | "InvalidSignature" | "NoSecret" | "CryptoUnavailable"

/**
 * A webhook's signature did not verify. It never carries a secret, an expected signature or
 * the received header: only the `reason` and a short `detail`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Webhooks } from "@effect-pagerduty/client"
 *
 * const reason = (e: Webhooks.WebhookSignatureError) => e.reason // "InvalidSignature", ...
 * const logBad = <A, R>(self: Effect.Effect<A, Webhooks.WebhookSignatureError, R>) =>
 *   Effect.catchTag(self, "WebhookSignatureError", (e) => Effect.logWarning(e.message))
 * ```
 *
 * @since 0.2.0
 * @category errors
 */
export class WebhookSignatureError extends Data.TaggedError("WebhookSignatureError")<{
  readonly reason: SignatureFailure
  readonly detail: string
}> {
  override get message(): string {
    return `PagerDuty webhook signature check failed (${this.reason}): ${this.detail}`
  }
}

/**
 * Why a webhook body did not decode: `InvalidJson` (not UTF-8 JSON), `InvalidEnvelope` (no
 * `event` object with `id`, `event_type`, `resource_type`, `occurred_at` and `data`),
 * `InvalidData` (an event type this module knows whose `data` does not match its documented
 * shape).
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const retryable = (reason: Webhooks.DecodeFailure) => reason === "InvalidData"
 * ```
 *
 * @since 0.2.0
 * @category errors
 */
export type DecodeFailure = "InvalidJson" | "InvalidEnvelope" | "InvalidData"

/**
 * A webhook body is not a v3 event envelope.
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const describe = (e: Webhooks.WebhookDecodeError) => `${e.reason}: ${e.detail}`
 * ```
 *
 * @since 0.2.0
 * @category errors
 */
export class WebhookDecodeError extends Data.TaggedError("WebhookDecodeError")<{
  readonly reason: DecodeFailure
  readonly detail: string
  /** The event type, when the envelope decoded. */
  readonly eventType?: string | undefined
}> {
  override get message(): string {
    return `PagerDuty webhook body did not decode (${this.reason}): ${this.detail}`
  }
}

// ---------------------------------------------------------------------------
// Headers and verification
// ---------------------------------------------------------------------------

/**
 * The header names of a v3 delivery (lower case).
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-pagerduty/client"
 *
 * const sig = (headers: Record<string, string>) => headers[Webhooks.headers.signature]
 * ```
 *
 * @since 0.2.0
 * @category constants
 */
export const headers = {
  /** `v1=<hex>[,v1=<hex>...]`. */
  signature: "x-pagerduty-signature",
  /** Unique per webhook, the same on every delivery attempt of it. */
  webhookId: "x-webhook-id",
  /** The id of the subscription the webhook belongs to. */
  subscription: "x-webhook-subscription"
} as const

/**
 * Request headers: a plain record (any letter case; arrays for repeated headers), a web
 * `Headers`, or any iterable of name/value pairs (`@effect/platform`'s `Headers.Input`).
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const h: Webhooks.HeadersInput = { "X-PagerDuty-Signature": "v1=..." }
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type HeadersInput = PlatformHeaders.Input

/**
 * One signing secret, or several while a secret rotates (a signature matching any of them
 * is accepted).
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const secrets: Webhooks.Secrets = [Redacted.make("new-secret"), Redacted.make("old-secret")]
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type Secrets = Redacted.Redacted<string> | ReadonlyArray<Redacted.Redacted<string>>

/** The usable (non-empty) secrets, still redacted. */
const secretList = (secrets: Secrets): ReadonlyArray<Redacted.Redacted<string>> =>
  (Redacted.isRedacted(secrets) ? [secrets] : secrets as ReadonlyArray<Redacted.Redacted<string>>)
    .filter((s) => Redacted.value(s) !== "")

const macs = (keys: ReadonlyArray<Redacted.Redacted<string>>, body: Uint8Array): Promise<Array<Uint8Array>> =>
  Promise.all(keys.map((s) => Internal.keyOf(s, () => Redacted.value(s)).then((key) => Internal.hmacSha256(key, body))))

/**
 * Verifies a delivery's `X-PagerDuty-Signature` against the raw body (bytes exactly as
 * received, or the same text) and one or several secrets. Every `v1` signature in the header
 * is compared with the HMAC-SHA256 of the body under every secret, in constant time and
 * without stopping at the first match. Fails with {@link WebhookSignatureError}; never dies
 * on bad input.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Webhooks } from "@effect-pagerduty/client"
 *
 * const check = (body: Uint8Array, headers: Record<string, string>) =>
 *   Webhooks.verify(body, headers, Redacted.make("subscription-secret")).pipe(
 *     Effect.as(true),
 *     Effect.catchTag("WebhookSignatureError", () => Effect.succeed(false))
 *   )
 * ```
 *
 * @since 0.2.0
 * @category verification
 */
export const verify = (
  rawBody: Uint8Array | string,
  headers: HeadersInput,
  secrets: Secrets
): Effect.Effect<void, WebhookSignatureError> =>
  Effect.suspend(() => {
    const keys = secretList(secrets)
    if (keys.length === 0) return Effect.fail(new WebhookSignatureError({ reason: "NoSecret", detail: "no non-empty signing secret was given" }))
    const parsed = Internal.parseSignatureHeader(Option.getOrUndefined(PlatformHeaders.get(PlatformHeaders.fromInput(headers), "x-pagerduty-signature")))
    if (parsed._tag === "Missing") return Effect.fail(new WebhookSignatureError({ reason: "MissingSignature", detail: "the request has no X-PagerDuty-Signature header" }))
    if (parsed._tag === "Malformed") return Effect.fail(new WebhookSignatureError({ reason: "MalformedSignature", detail: parsed.detail }))
    if (!Internal.hasSubtleCrypto()) return Effect.fail(new WebhookSignatureError({ reason: "CryptoUnavailable", detail: "this runtime has no crypto.subtle" }))
    const body = Internal.bodyBytes(rawBody)
    return Effect.tryPromise({
      try: () => macs(keys, body),
      // The cause is dropped on purpose: it could describe the key.
      catch: () => new WebhookSignatureError({ reason: "CryptoUnavailable", detail: "crypto.subtle could not compute HMAC-SHA256" })
    }).pipe(
      Effect.flatMap((expected) => {
        let matched = false
        for (const mac of expected) {
          for (const signature of parsed.signatures) {
            // Compare first, then OR: every pair is compared, whatever matched before.
            const equal = Internal.constantTimeEqual(mac, signature)
            matched = matched || equal
          }
        }
        return matched
          ? Effect.void
          : Effect.fail(
            new WebhookSignatureError({
              reason: "InvalidSignature",
              detail: `none of ${parsed.signatures.length} v1 signature(s) matches the body under ${keys.length} secret(s)`
            })
          )
      })
    )
  })

/**
 * The `X-PagerDuty-Signature` value PagerDuty would send for a body: `v1=<hex>` per secret,
 * comma-separated. For tests and for local senders (the simulator signs the same way).
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Webhooks } from "@effect-pagerduty/client"
 *
 * const header = Webhooks.sign('{"event":{}}', Redacted.make("secret")) // Effect<"v1=...">
 * ```
 *
 * @since 0.2.0
 * @category verification
 */
export const sign = (rawBody: Uint8Array | string, secrets: Secrets): Effect.Effect<string, WebhookSignatureError> =>
  Effect.suspend(() => {
    const keys = secretList(secrets)
    if (keys.length === 0) return Effect.fail(new WebhookSignatureError({ reason: "NoSecret", detail: "no non-empty signing secret was given" }))
    if (!Internal.hasSubtleCrypto()) return Effect.fail(new WebhookSignatureError({ reason: "CryptoUnavailable", detail: "this runtime has no crypto.subtle" }))
    const body = Internal.bodyBytes(rawBody)
    return Effect.tryPromise({
      try: () => macs(keys, body),
      catch: () => new WebhookSignatureError({ reason: "CryptoUnavailable", detail: "crypto.subtle could not compute HMAC-SHA256" })
    }).pipe(Effect.map((signatures) => signatures.map((m) => `v1=${Internal.bytesToHex(m)}`).join(",")))
  })

// ---------------------------------------------------------------------------
// Event schemas (shapes from PagerDuty's "Webhooks v3 overview": Event Data Types)
// ---------------------------------------------------------------------------

const Rest = Schema.Record({ key: Schema.String, value: Schema.Unknown })
const optionalNullableString = Schema.optional(Schema.NullOr(Schema.String))

/**
 * A reference object (`{ id, type, summary, self, html_url }`); other fields are kept.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Webhooks } from "@effect-pagerduty/client"
 *
 * const ref = Schema.decodeUnknownSync(Webhooks.Reference)({ id: "PF9KMXH", type: "service_reference", summary: "API Service" })
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export const Reference = Schema.Struct({
  id: Schema.String,
  type: Schema.String,
  summary: optionalNullableString,
  self: optionalNullableString,
  html_url: optionalNullableString
}, Rest)

/**
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const label = (r: Webhooks.Reference) => r.summary ?? r.id
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export type Reference = typeof Reference.Type

/**
 * `data` of the incident events (`data.type` is `incident`): `incident.triggered`,
 * `.acknowledged`, `.unacknowledged`, `.resolved`, `.reopened`, `.reassigned`, `.escalated`,
 * `.delegated`, `.priority_updated`, `.service_updated`, `.incident_type.changed`.
 * `assignees` and `teams` default to empty lists.
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const line = (i: Webhooks.IncidentData) => `#${i.number} ${i.status}: ${i.title}`
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export const IncidentData = Schema.Struct({
  id: Schema.String,
  type: Schema.Literal("incident"),
  self: optionalNullableString,
  html_url: optionalNullableString,
  number: Schema.Number,
  status: Schema.String,
  incident_key: optionalNullableString,
  created_at: Schema.String,
  title: Schema.String,
  service: Reference,
  assignees: Schema.optionalWith(Schema.Array(Reference), { default: () => [] }),
  escalation_policy: Schema.optional(Schema.NullOr(Reference)),
  teams: Schema.optionalWith(Schema.Array(Reference), { default: () => [] }),
  priority: Schema.optional(Schema.NullOr(Reference)),
  urgency: optionalNullableString,
  conference_bridge: Schema.optional(Schema.NullOr(Schema.Struct({ conference_number: optionalNullableString, conference_url: optionalNullableString }, Rest))),
  resolve_reason: Schema.optional(Schema.Unknown),
  incident_type: Schema.optional(Schema.NullOr(Schema.Struct({ name: Schema.String }, Rest)))
}, Rest)

/**
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const open = (i: Webhooks.IncidentData) => i.status !== "resolved"
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export type IncidentData = typeof IncidentData.Type

/**
 * `data` of `incident.annotated` (`incident_note`).
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const text = (n: Webhooks.IncidentNote) => `${n.incident.id}: ${n.content}`
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export const IncidentNote = Schema.Struct({
  type: Schema.Literal("incident_note"),
  id: Schema.String,
  incident: Reference,
  content: Schema.String,
  trimmed: Schema.optional(Schema.Boolean)
}, Rest)

/**
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const content = (n: Webhooks.IncidentNote) => n.content
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export type IncidentNote = typeof IncidentNote.Type

/**
 * `data` of `incident.status_update_published` (`incident_status_update`).
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const text = (u: Webhooks.IncidentStatusUpdate) => u.message
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export const IncidentStatusUpdate = Schema.Struct({
  type: Schema.Literal("incident_status_update"),
  id: Schema.String,
  incident: Reference,
  message: Schema.String,
  trimmed: Schema.optional(Schema.Boolean)
}, Rest)

/**
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const text = (u: Webhooks.IncidentStatusUpdate) => u.message
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export type IncidentStatusUpdate = typeof IncidentStatusUpdate.Type

/**
 * `data` of `incident.responder.added` and `incident.responder.replied` (`incident_responder`).
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const who = (r: Webhooks.IncidentResponder) => `${r.user?.summary ?? "someone"} is ${r.state}`
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export const IncidentResponder = Schema.Struct({
  type: Schema.Literal("incident_responder"),
  incident: Reference,
  user: Schema.optional(Schema.NullOr(Reference)),
  escalation_policy: Schema.optional(Schema.NullOr(Reference)),
  message: optionalNullableString,
  state: Schema.String
}, Rest)

/**
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const pending = (r: Webhooks.IncidentResponder) => r.state === "pending"
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export type IncidentResponder = typeof IncidentResponder.Type

/**
 * `data` of `incident.conference_bridge.updated` (`incident_conference_bridge`).
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const url = (b: Webhooks.IncidentConferenceBridge) => b.conference_url ?? null
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export const IncidentConferenceBridge = Schema.Struct({
  type: Schema.Literal("incident_conference_bridge"),
  incident: Reference,
  conference_numbers: Schema.optionalWith(Schema.Array(Schema.Struct({ label: optionalNullableString, number: Schema.String }, Rest)), { default: () => [] }),
  conference_url: optionalNullableString
}, Rest)

/**
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const numbers = (b: Webhooks.IncidentConferenceBridge) => b.conference_numbers.map((n) => n.number)
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export type IncidentConferenceBridge = typeof IncidentConferenceBridge.Type

/**
 * A custom field value (`field_value`) as `incident.custom_field_values.updated` carries it.
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const pair = (f: Webhooks.FieldValue) => [f.name, f.value] as const
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export const FieldValue = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  value: Schema.Unknown,
  type: Schema.optional(Schema.String),
  namespace: Schema.optional(Schema.String),
  data_type: Schema.optional(Schema.String),
  field_type: Schema.optional(Schema.String)
}, Rest)

/**
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const name = (f: Webhooks.FieldValue) => f.name
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export type FieldValue = typeof FieldValue.Type

/**
 * `data` of `incident.custom_field_values.updated` (`incident_field_values`).
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const changed = (v: Webhooks.IncidentFieldValues) => v.changed_custom_fields.map((f) => f.name)
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export const IncidentFieldValues = Schema.Struct({
  type: Schema.Literal("incident_field_values"),
  incident: Reference,
  custom_fields: Schema.optionalWith(Schema.Array(FieldValue), { default: () => [] }),
  changed_custom_fields: Schema.optionalWith(Schema.Array(FieldValue), { default: () => [] })
}, Rest)

/**
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const count = (v: Webhooks.IncidentFieldValues) => v.custom_fields.length
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export type IncidentFieldValues = typeof IncidentFieldValues.Type

/**
 * `data` of `incident.workflow.started` and `incident.workflow.completed`
 * (`incident_workflow_instance`).
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const workflow = (w: Webhooks.IncidentWorkflowInstance) => w.incident_workflow.summary
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export const IncidentWorkflowInstance = Schema.Struct({
  type: Schema.Literal("incident_workflow_instance"),
  id: Schema.String,
  summary: optionalNullableString,
  incident_workflow: Reference,
  workflow_trigger: Schema.optional(Schema.NullOr(Reference)),
  incident: Reference,
  service: Schema.optional(Schema.NullOr(Reference))
}, Rest)

/**
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const incidentId = (w: Webhooks.IncidentWorkflowInstance) => w.incident.id
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export type IncidentWorkflowInstance = typeof IncidentWorkflowInstance.Type

/**
 * `data` of `service.created`, `service.updated` and `service.deleted` (`service`).
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const name = (s: Webhooks.ServiceData) => s.summary ?? s.id
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export const ServiceData = Schema.Struct({
  type: Schema.Literal("service"),
  id: Schema.String,
  summary: optionalNullableString,
  self: optionalNullableString,
  html_url: optionalNullableString,
  alert_creation: optionalNullableString,
  teams: Schema.optionalWith(Schema.Array(Reference), { default: () => [] })
}, Rest)

/**
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const teamIds = (s: Webhooks.ServiceData) => s.teams.map((t) => t.id)
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export type ServiceData = typeof ServiceData.Type

/**
 * `data` of `pagey.ping`, the event `POST /webhook_subscriptions/{id}/ping` sends.
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const text = (p: Webhooks.PingData) => p.message
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export const PingData = Schema.Struct({
  type: Schema.Literal("ping"),
  message: optionalNullableString
}, Rest)

/**
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const text = (p: Webhooks.PingData) => p.message ?? ""
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export type PingData = typeof PingData.Type

/**
 * `data` of the Early Access events `incident.action_invocation.created`, `.updated` and
 * `.terminated` (`incident_action_invocation`). PagerDuty may change these without notice.
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const state = (a: Webhooks.IncidentActionInvocation) => `${a.action.summary}: ${a.state}`
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export const IncidentActionInvocation = Schema.Struct({
  type: Schema.Literal("incident_action_invocation"),
  id: Schema.String,
  self: optionalNullableString,
  html_url: optionalNullableString,
  incident: Reference,
  action: Reference,
  state: Schema.String
}, Rest)

/**
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const done = (a: Webhooks.IncidentActionInvocation) => a.state === "terminated"
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export type IncidentActionInvocation = typeof IncidentActionInvocation.Type

/**
 * `data` of the Early Access events `incident.task.created`, `.updated` and `.completed`
 * (`incident_task`). PagerDuty may change these without notice.
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const line = (t: Webhooks.IncidentTask) => `[${t.status}] ${t.name}`
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export const IncidentTask = Schema.Struct({
  type: Schema.Literal("incident_task"),
  id: Schema.String,
  name: Schema.String,
  summary: optionalNullableString,
  description: optionalNullableString,
  status: Schema.String,
  assignees: Schema.optionalWith(Schema.Array(Reference), { default: () => [] }),
  incident: Reference
}, Rest)

/**
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const todo = (t: Webhooks.IncidentTask) => t.status === "todo"
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export type IncidentTask = typeof IncidentTask.Type

/**
 * Every documented v3 event type and the schema of its `data`: the table {@link decode}
 * uses. Sources: PagerDuty's "Webhooks v3 overview" (Event Types and Event Data Types,
 * plus `pagey.ping` from the ping endpoint) and "Early Access Webhook Events".
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-pagerduty/client"
 *
 * const all = Object.keys(Webhooks.eventSchemas) // ["incident.acknowledged", ...]
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export const eventSchemas = {
  "incident.acknowledged": IncidentData,
  "incident.annotated": IncidentNote,
  "incident.conference_bridge.updated": IncidentConferenceBridge,
  "incident.custom_field_values.updated": IncidentFieldValues,
  "incident.delegated": IncidentData,
  "incident.escalated": IncidentData,
  "incident.incident_type.changed": IncidentData,
  "incident.priority_updated": IncidentData,
  "incident.reassigned": IncidentData,
  "incident.reopened": IncidentData,
  "incident.resolved": IncidentData,
  "incident.responder.added": IncidentResponder,
  "incident.responder.replied": IncidentResponder,
  "incident.service_updated": IncidentData,
  "incident.status_update_published": IncidentStatusUpdate,
  "incident.triggered": IncidentData,
  "incident.unacknowledged": IncidentData,
  "incident.workflow.started": IncidentWorkflowInstance,
  "incident.workflow.completed": IncidentWorkflowInstance,
  "service.created": ServiceData,
  "service.deleted": ServiceData,
  "service.updated": ServiceData,
  "pagey.ping": PingData,
  "incident.action_invocation.created": IncidentActionInvocation,
  "incident.action_invocation.updated": IncidentActionInvocation,
  "incident.action_invocation.terminated": IncidentActionInvocation,
  "incident.task.created": IncidentTask,
  "incident.task.updated": IncidentTask,
  "incident.task.completed": IncidentTask
} as const

/**
 * A documented event type.
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const lifecycle: ReadonlyArray<Webhooks.EventType> = ["incident.triggered", "incident.acknowledged", "incident.resolved"]
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type EventType = keyof typeof eventSchemas

/**
 * Every documented event type, in the order of {@link eventSchemas}.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-pagerduty/client"
 *
 * const incidentTypes = Webhooks.eventTypes.filter((t) => t.startsWith("incident."))
 * ```
 *
 * @since 0.2.0
 * @category constants
 */
export const eventTypes: ReadonlyArray<EventType> = Object.keys(eventSchemas) as Array<EventType>

const isEventType = (s: string): s is EventType => Object.prototype.hasOwnProperty.call(eventSchemas, s)

/**
 * The envelope every event shares: `{ event: { id, event_type, resource_type, occurred_at,
 * agent, client, data } }` (the inner object). `agent` and `client` default to `null`.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Webhooks } from "@effect-pagerduty/client"
 *
 * const envelope = Schema.decodeUnknownSync(Webhooks.Envelope)({
 *   id: "01BRB6ZP4M6T8ZG4X6BP63ZB9O", event_type: "service.updated", resource_type: "service",
 *   occurred_at: "2021-03-02T13:35:11.682Z", data: {}
 * })
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export const Envelope = Schema.Struct({
  id: Schema.String,
  event_type: Schema.String,
  resource_type: Schema.String,
  occurred_at: Schema.String,
  agent: Schema.optionalWith(Schema.NullOr(Reference), { default: () => null }),
  client: Schema.optionalWith(Schema.NullOr(Schema.Struct({ name: Schema.optional(Schema.String) }, Rest)), { default: () => null }),
  data: Schema.Unknown
}, Rest)

/**
 * The fields every event has (`data` is typed per event in {@link WebhookEvent}).
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const who = (e: Webhooks.EventBase) => e.agent?.summary ?? "PagerDuty"
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface EventBase {
  /** Unique per event: use it to deduplicate redeliveries. */
  readonly id: string
  readonly event_type: string
  readonly resource_type: string
  /** ISO 8601. */
  readonly occurred_at: string
  /** Who or what did it (a user or service reference), or null. */
  readonly agent: Reference | null
  /** Where it was done (`{ name }`), or null. */
  readonly client: { readonly name?: string | undefined; readonly [key: string]: unknown } | null
  /** Envelope fields this module does not know, kept as received. */
  readonly extra: Readonly<Record<string, unknown>>
}

/**
 * An event of a documented type, `_tag` being its `event_type`.
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const triggered = (e: Webhooks.KnownEvent) => e._tag === "incident.triggered" ? e.data.title : null
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type KnownEvent = {
  readonly [K in EventType]: EventBase & {
    readonly _tag: K
    readonly event_type: K
    readonly data: Schema.Schema.Type<(typeof eventSchemas)[K]>
  }
}[EventType]

/**
 * An event of a type this module does not know (PagerDuty adds types over time): the
 * envelope with `data` as received. Answer it 2xx unless you need it.
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const note = (e: Webhooks.UnknownEvent) => `ignored ${e.event_type}`
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface UnknownEvent extends EventBase {
  readonly _tag: "UnknownEvent"
  readonly data: unknown
}

/**
 * A decoded v3 event: switch on `_tag`.
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const describe = (e: Webhooks.WebhookEvent): string => {
 *   switch (e._tag) {
 *     case "incident.triggered":
 *     case "incident.acknowledged":
 *     case "incident.resolved":
 *       return `#${e.data.number} ${e.data.status}: ${e.data.title}`
 *     case "incident.annotated":
 *       return `note on ${e.data.incident.id}: ${e.data.content}`
 *     case "UnknownEvent":
 *       return `unknown ${e.event_type}`
 *     default:
 *       return e.event_type
 *   }
 * }
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type WebhookEvent = KnownEvent | UnknownEvent

const parseJson = Schema.decodeUnknownEither(Schema.parseJson())
const decodePayload = Schema.decodeUnknownEither(Schema.Struct({ event: Envelope }, Rest))
const dataDecoders = new Map<string, (u: unknown) => Either.Either<unknown, ParseResult.ParseError>>()
const dataDecoder = (type: EventType) => {
  let decoder = dataDecoders.get(type)
  if (decoder === undefined) {
    decoder = Schema.decodeUnknownEither(eventSchemas[type] as Schema.Schema<unknown, unknown, never>)
    dataDecoders.set(type, decoder)
  }
  return decoder
}
const utf8 = new TextDecoder("utf-8", { fatal: true })
const ENVELOPE_KEYS = new Set(["id", "event_type", "resource_type", "occurred_at", "agent", "client", "data"])

const formatIssue = (error: ParseResult.ParseError): string => {
  const text = ParseResult.TreeFormatter.formatErrorSync(error)
  return text.length > 500 ? `${text.slice(0, 500)}...` : text
}

/**
 * Decodes a v3 webhook body (the raw bytes or text) into a {@link WebhookEvent}. A body that
 * is not JSON or not an envelope fails with {@link WebhookDecodeError}; an event type this
 * module does not know is an {@link UnknownEvent}; fields it does not know are kept.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Webhooks } from "@effect-pagerduty/client"
 *
 * const title = (body: string) =>
 *   Effect.map(Webhooks.decode(body), (e) => e._tag === "incident.triggered" ? e.data.title : null)
 * ```
 *
 * @since 0.2.0
 * @category decoding
 */
export const decode = (rawBody: Uint8Array | string): Effect.Effect<WebhookEvent, WebhookDecodeError> =>
  Effect.suspend(() => {
    let text: string
    if (typeof rawBody === "string") text = rawBody
    else {
      try {
        text = utf8.decode(rawBody)
      } catch {
        return Effect.fail(new WebhookDecodeError({ reason: "InvalidJson", detail: "the body is not valid UTF-8" }))
      }
    }
    const json = parseJson(text)
    if (Either.isLeft(json)) return Effect.fail(new WebhookDecodeError({ reason: "InvalidJson", detail: "the body is not JSON" }))
    const payload = decodePayload(json.right)
    if (Either.isLeft(payload)) return Effect.fail(new WebhookDecodeError({ reason: "InvalidEnvelope", detail: formatIssue(payload.left) }))
    const envelope = payload.right.event
    const extra: Record<string, unknown> = {}
    for (const key of Object.keys(envelope)) if (!ENVELOPE_KEYS.has(key)) extra[key] = envelope[key]
    const base = {
      id: envelope.id,
      event_type: envelope.event_type,
      resource_type: envelope.resource_type,
      occurred_at: envelope.occurred_at,
      agent: envelope.agent,
      client: envelope.client,
      extra
    }
    const type = envelope.event_type
    if (!isEventType(type)) return Effect.succeed<WebhookEvent>({ ...base, _tag: "UnknownEvent", data: envelope.data })
    const data = dataDecoder(type)(envelope.data)
    if (Either.isLeft(data)) {
      return Effect.fail(new WebhookDecodeError({ reason: "InvalidData", detail: formatIssue(data.left), eventType: type }))
    }
    return Effect.succeed({ ...base, _tag: type, event_type: type, data: data.right } as KnownEvent)
  })

/**
 * {@link verify}, then {@link decode}: the raw body is checked before any of it is parsed.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Webhooks } from "@effect-pagerduty/client"
 *
 * const receive = (body: Uint8Array, headers: Headers) =>
 *   Webhooks.verifyAndDecode(body, headers, Redacted.make("secret")).pipe(
 *     Effect.tap((event) => Effect.log(event.event_type))
 *   )
 * ```
 *
 * @since 0.2.0
 * @category decoding
 */
export const verifyAndDecode = (
  rawBody: Uint8Array | string,
  headers: HeadersInput,
  secrets: Secrets
): Effect.Effect<WebhookEvent, WebhookSignatureError | WebhookDecodeError> =>
  Effect.zipRight(verify(rawBody, headers, secrets), decode(rawBody))

// ---------------------------------------------------------------------------
// HTTP handler
// ---------------------------------------------------------------------------

/**
 * What the handler tells your effect about the delivery besides the event.
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const dedupKey = (event: Webhooks.WebhookEvent, d: Webhooks.Delivery) => d.webhookId ?? event.id
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface Delivery {
  /** `X-Webhook-Id`: the same on every attempt of this webhook (dedup key). */
  readonly webhookId: string | undefined
  /** `X-Webhook-Subscription`: the subscription id. */
  readonly subscriptionId: string | undefined
}

/**
 * Options of {@link handler}.
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const options: Webhooks.HandlerOptions = { maxBodyBytes: 256 * 1024 }
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface HandlerOptions {
  /**
   * Largest body accepted, in bytes (default 1 MiB: PagerDuty drops webhooks over 256 KB).
   * A larger `Content-Length`, or more bytes than this, is answered 413 without verifying.
   */
  readonly maxBodyBytes?: number | undefined
}

/**
 * The default body limit of {@link handler}: 1 MiB.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-pagerduty/client"
 *
 * const half = Webhooks.DEFAULT_MAX_BODY_BYTES / 2
 * ```
 *
 * @since 0.2.0
 * @category constants
 */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024

type BodyRead = { readonly _tag: "Body"; readonly bytes: Uint8Array } | { readonly _tag: "TooLarge" } | { readonly _tag: "Unreadable" }

const readBody = (request: HttpServerRequest.HttpServerRequest, max: number): Effect.Effect<BodyRead> => {
  const declared = request.headers["content-length"]
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > max) return Effect.succeed({ _tag: "TooLarge" })
  const chunks: Array<Uint8Array> = []
  let total = 0
  return request.stream.pipe(
    Stream.runForEachWhile((chunk) =>
      Effect.sync(() => {
        total += chunk.length
        if (total > max) return false
        chunks.push(chunk)
        return true
      })
    ),
    Effect.map((): BodyRead => {
      if (total > max) return { _tag: "TooLarge" }
      const bytes = new Uint8Array(total)
      let offset = 0
      for (const c of chunks) {
        bytes.set(c, offset)
        offset += c.length
      }
      return { _tag: "Body", bytes }
    }),
    Effect.catchAll(() => Effect.succeed<BodyRead>({ _tag: "Unreadable" }))
  )
}

const answer = (status: number, error?: string) =>
  error === undefined
    ? HttpServerResponse.empty({ status })
    : HttpServerResponse.unsafeJson({ error }, { status })

/**
 * An `HttpApp` that receives PagerDuty v3 webhooks: mount it on a route of your
 * `@effect/platform` server (or serve it alone). Per request it:
 *
 * 1. answers 405 to anything but `POST`;
 * 2. reads the body once, at most `maxBodyBytes` (413 beyond; 400 if the body cannot be read);
 * 3. verifies `X-PagerDuty-Signature` with `secrets`: 401 when missing, malformed or wrong
 *    (500 when no usable secret is configured or the runtime lacks Web Crypto). `secrets` may
 *    be an Effect, run per request (a `Ref`, a secret store): the secrets can then change,
 *    for a rotation or a subscription made after the server started, without a restart;
 * 4. decodes the event: 400 when the body is not a v3 envelope;
 * 5. runs `onEvent(event, delivery)` and answers 202 when it succeeds.
 *
 * **When `onEvent` fails or dies, the answer is 500**, so PagerDuty delivers the event again
 * (it retries 429, 5xx and timeouts, up to 5 attempts over about 20 minutes, and drops a
 * webhook on any other 4xx). Because of that, and because delivery is at least once anyway,
 * make `onEvent` idempotent: remember `event.id` (or `webhookId`) of processed events and
 * skip repeats. Catch errors you do not want redelivered inside `onEvent`. PagerDuty waits a
 * few seconds for the answer: hand long work to a queue and return.
 *
 * Each request runs in a span `PagerDuty.webhook` with the event id and type, the webhook
 * and subscription ids and the status answered. Secrets and signatures are never logged.
 *
 * @example
 * ```ts
 * import * as HttpRouter from "@effect/platform/HttpRouter"
 * import { Effect, Redacted, Ref } from "effect"
 * import { Webhooks } from "@effect-pagerduty/client"
 *
 * const app = Webhooks.handler(Redacted.make("subscription-secret"), (event) =>
 *   event._tag === "incident.triggered" ? Effect.log(`triggered: ${event.data.title}`) : Effect.void
 * )
 * const router = HttpRouter.empty.pipe(HttpRouter.post("/pagerduty", app))
 *
 * // secrets read per request, e.g. set once a subscription is created
 * const dynamic = Effect.map(Ref.make<ReadonlyArray<Redacted.Redacted<string>>>([]), (secrets) =>
 *   Webhooks.handler(Ref.get(secrets), (event) => Effect.log(event.event_type)))
 * ```
 *
 * @since 0.2.0
 * @category handler
 */
export const handler = <E, R, R2 = never>(
  secrets: Secrets | Effect.Effect<Secrets, never, R2>,
  onEvent: (event: WebhookEvent, delivery: Delivery) => Effect.Effect<unknown, E, R>,
  options: HandlerOptions = {}
): HttpApp.Default<never, R | R2> => {
  const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  return Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const webhookId = request.headers[headers.webhookId]
    const subscriptionId = request.headers[headers.subscription]
    yield* Effect.annotateCurrentSpan({
      "http.request.method": request.method,
      "pagerduty.webhook.id": webhookId ?? "",
      "pagerduty.webhook.subscription": subscriptionId ?? ""
    })
    const status = (code: number, error?: string) =>
      Effect.as(Effect.annotateCurrentSpan("http.response.status_code", code), answer(code, error))
    if (request.method !== "POST") return yield* Effect.map(status(405, "Method Not Allowed"), HttpServerResponse.setHeader("allow", "POST"))
    const body = yield* readBody(request, max)
    if (body._tag === "TooLarge") return yield* status(413, `The body is larger than ${max} bytes`)
    if (body._tag === "Unreadable") return yield* status(400, "The body could not be read")
    const current = Effect.isEffect(secrets) ? yield* secrets : secrets
    const verified = yield* Effect.either(verify(body.bytes, request.headers, current))
    if (Either.isLeft(verified)) {
      const reason = verified.left.reason
      yield* Effect.annotateCurrentSpan("pagerduty.webhook.rejected", reason)
      const configError = reason === "NoSecret" || reason === "CryptoUnavailable"
      if (configError) yield* Effect.logError("PagerDuty webhook cannot be verified", verified.left.message)
      return yield* status(configError ? 500 : 401, configError ? "Webhook verification is not configured" : "Invalid signature")
    }
    const decoded = yield* Effect.either(decode(body.bytes))
    if (Either.isLeft(decoded)) {
      yield* Effect.annotateCurrentSpan("pagerduty.webhook.rejected", decoded.left.reason)
      yield* Effect.logWarning("PagerDuty webhook body did not decode", decoded.left.message)
      return yield* status(400, "Invalid webhook body")
    }
    const event = decoded.right
    yield* Effect.annotateCurrentSpan({ "pagerduty.event.id": event.id, "pagerduty.event.type": event.event_type })
    const outcome = yield* Effect.exit(Effect.suspend(() => onEvent(event, { webhookId, subscriptionId })))
    if (outcome._tag === "Failure") {
      if (Cause.isInterruptedOnly(outcome.cause)) return yield* Effect.failCause(outcome.cause as Cause.Cause<never>)
      yield* Effect.logWarning(`PagerDuty webhook handler failed for ${event.event_type} ${event.id}; answering 500 so PagerDuty retries`, outcome.cause)
      return yield* status(500, "The webhook handler failed")
    }
    return yield* status(202)
  }).pipe(Effect.withSpan("PagerDuty.webhook", { kind: "server", captureStackTrace: false }))
}

// ---------------------------------------------------------------------------
// Subscriptions (REST /webhook_subscriptions)
// ---------------------------------------------------------------------------

/**
 * Which objects' events a subscription receives: the whole account, a service or a team.
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const filter: Webhooks.Filter = { type: "service_reference", id: "PF9KMXH" }
 * ```
 *
 * @since 0.2.0
 * @category subscriptions
 */
export type Filter =
  | { readonly type: "account_reference" }
  | { readonly type: "service_reference" | "team_reference"; readonly id: string }

const SubscriptionFields = {
  id: Schema.String,
  type: Schema.optional(Schema.String),
  active: Schema.optionalWith(Schema.Boolean, { default: () => true }),
  description: optionalNullableString,
  events: Schema.Array(Schema.String),
  filter: Schema.Struct({ id: optionalNullableString, type: Schema.String }),
  delivery_method: Schema.Struct({
    id: optionalNullableString,
    type: Schema.String,
    url: optionalNullableString,
    temporarily_disabled: Schema.optional(Schema.Boolean),
    /** Only in the create response; redacted. */
    secret: Schema.optional(Schema.NullOr(Schema.Redacted(Schema.String))),
    custom_headers: Schema.optionalWith(Schema.Array(Schema.Struct({ name: Schema.String, value: optionalNullableString })), { default: () => [] })
  }),
  oauth_client: Schema.optional(Schema.NullOr(Schema.Struct({ id: Schema.String, type: Schema.String, summary: optionalNullableString })))
}

/**
 * A webhook subscription as the REST API returns it (`WebhookSubscription` in the REST
 * spec). `delivery_method.secret` is a `Redacted`, present only in the create response.
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const url = (s: Webhooks.Subscription) => s.delivery_method.url
 * ```
 *
 * @since 0.2.0
 * @category subscriptions
 */
export const Subscription = Schema.Struct(SubscriptionFields)

/**
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const disabled = (s: Webhooks.Subscription) => !s.active || s.delivery_method.temporarily_disabled === true
 * ```
 *
 * @since 0.2.0
 * @category subscriptions
 */
export type Subscription = typeof Subscription.Type

const CreatedSubscription = Schema.Struct({
  ...SubscriptionFields,
  delivery_method: Schema.Struct({ ...SubscriptionFields.delivery_method.fields, secret: Schema.Redacted(Schema.String) })
})

/**
 * What to subscribe: the receiving URL, the event types, and optionally a filter (default
 * the whole account), a description, `active` and custom headers (sent on every delivery;
 * give secret values as `Redacted`).
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const input: Webhooks.SubscriptionInput = {
 *   url: "https://example.com/pagerduty",
 *   events: ["incident.triggered", "incident.acknowledged", "incident.resolved"],
 *   filter: { type: "service_reference", id: "PF9KMXH" },
 *   description: "incident lifecycle to the ops bot"
 * }
 * ```
 *
 * @since 0.2.0
 * @category subscriptions
 */
export interface SubscriptionInput {
  readonly url: string
  readonly events: ReadonlyArray<EventType | (string & {})>
  readonly filter?: Filter | undefined
  readonly description?: string | undefined
  readonly active?: boolean | undefined
  readonly customHeaders?: ReadonlyArray<{ readonly name: string; readonly value: string | Redacted.Redacted<string> }> | undefined
}

/**
 * A created subscription and its signing secret. PagerDuty shows the secret only in this
 * response: store it (it is the `secrets` of {@link verify} and {@link handler}).
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const keep = (c: Webhooks.CreatedSubscription) => ({ id: c.subscription.id, secret: c.secret })
 * ```
 *
 * @since 0.2.0
 * @category subscriptions
 */
export interface CreatedSubscription {
  readonly subscription: Subscription
  readonly secret: Redacted.Redacted<string>
}

const segment = (id: string) => encodeURIComponent(id)

const filterBody = (filter: Filter | undefined) =>
  filter === undefined || filter.type === "account_reference" ? { type: "account_reference" } : { type: filter.type, id: filter.id }

/**
 * `POST /webhook_subscriptions`. Returns the subscription and its secret (a response
 * without a secret fails as `ServerHttpError` with reason `SchemaMismatch`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Webhooks } from "@effect-pagerduty/client"
 *
 * const subscribe = Webhooks.createSubscription({
 *   url: "https://example.com/pagerduty",
 *   events: ["incident.triggered", "incident.resolved"]
 * }).pipe(Effect.tap(({ subscription }) => Effect.log(`subscribed ${subscription.id}`)))
 * ```
 *
 * @since 0.2.0
 * @category subscriptions
 */
export const createSubscription = (input: SubscriptionInput): Effect.Effect<CreatedSubscription, PagerDutyError, RestApi.RestApiService> =>
  Effect.flatMap(RestApi.RestApiService, (rest) =>
    rest.rpost("/webhook_subscriptions", {
      json: {
        type: "webhook_subscription",
        delivery_method: {
          type: "http_delivery_method",
          url: input.url,
          ...(input.customHeaders === undefined ? {} : {
            custom_headers: input.customHeaders.map((h) => ({ name: h.name, value: Redacted.isRedacted(h.value) ? Redacted.value(h.value) : h.value }))
          })
        },
        events: input.events,
        filter: filterBody(input.filter),
        ...(input.description === undefined ? {} : { description: input.description }),
        ...(input.active === undefined ? {} : { active: input.active })
      },
      schema: CreatedSubscription
    })).pipe(
      Effect.map((created) => ({ subscription: created, secret: created.delivery_method.secret })),
      Effect.withSpan("Webhooks.createSubscription", { captureStackTrace: false })
    )

/**
 * `GET /webhook_subscriptions`, every page, optionally only those of a filter.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { Webhooks } from "@effect-pagerduty/client"
 *
 * const urls = Webhooks.listSubscriptions().pipe(Stream.map((s) => s.delivery_method.url), Stream.runCollect)
 * ```
 *
 * @since 0.2.0
 * @category subscriptions
 */
export const listSubscriptions = (
  options: { readonly filter?: Filter | undefined } = {}
): Stream.Stream<Subscription, RestApi.StreamError, RestApi.RestApiService> => {
  const f = options.filter
  const params = f === undefined
    ? undefined
    : f.type === "account_reference"
    ? { filter_type: "account" }
    : { filter_type: f.type === "service_reference" ? "service" : "team", filter_id: f.id }
  return Stream.unwrap(Effect.map(RestApi.RestApiService, (rest) => rest.iterAll("/webhook_subscriptions", { schema: Subscription, ...(params === undefined ? {} : { params }) })))
}

/**
 * `GET /webhook_subscriptions/{id}`.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-pagerduty/client"
 *
 * const sub = Webhooks.getSubscription("PY1OL64")
 * ```
 *
 * @since 0.2.0
 * @category subscriptions
 */
export const getSubscription = (id: string): Effect.Effect<Subscription, PagerDutyError, RestApi.RestApiService> =>
  Effect.flatMap(RestApi.RestApiService, (rest) => rest.rget(`/webhook_subscriptions/${segment(id)}`, { schema: Subscription }))

/**
 * What {@link updateSubscription} can change (the URL cannot change: create a new one).
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-pagerduty/client"
 *
 * const patch: Webhooks.SubscriptionUpdate = { events: ["incident.triggered"], active: false }
 * ```
 *
 * @since 0.2.0
 * @category subscriptions
 */
export interface SubscriptionUpdate {
  readonly events?: ReadonlyArray<EventType | (string & {})> | undefined
  readonly filter?: Filter | undefined
  readonly description?: string | undefined
  readonly active?: boolean | undefined
}

/**
 * `PUT /webhook_subscriptions/{id}` with the fields given.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-pagerduty/client"
 *
 * const pause = Webhooks.updateSubscription("PY1OL64", { active: false })
 * ```
 *
 * @since 0.2.0
 * @category subscriptions
 */
export const updateSubscription = (id: string, update: SubscriptionUpdate): Effect.Effect<Subscription, PagerDutyError, RestApi.RestApiService> =>
  Effect.flatMap(RestApi.RestApiService, (rest) =>
    rest.rput(`/webhook_subscriptions/${segment(id)}`, {
      json: {
        ...(update.events === undefined ? {} : { events: update.events }),
        ...(update.filter === undefined ? {} : { filter: filterBody(update.filter) }),
        ...(update.description === undefined ? {} : { description: update.description }),
        ...(update.active === undefined ? {} : { active: update.active })
      },
      schema: Subscription
    }))

/**
 * `DELETE /webhook_subscriptions/{id}`.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-pagerduty/client"
 *
 * const remove = Webhooks.deleteSubscription("PY1OL64")
 * ```
 *
 * @since 0.2.0
 * @category subscriptions
 */
export const deleteSubscription = (id: string): Effect.Effect<void, PagerDutyError, RestApi.RestApiService> =>
  Effect.flatMap(RestApi.RestApiService, (rest) => Effect.asVoid(rest.delete(`/webhook_subscriptions/${segment(id)}`)))

/**
 * `POST /webhook_subscriptions/{id}/enable`: re-enables a subscription PagerDuty disabled
 * after repeated delivery failures.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-pagerduty/client"
 *
 * const again = Webhooks.enableSubscription("PY1OL64")
 * ```
 *
 * @since 0.2.0
 * @category subscriptions
 */
export const enableSubscription = (id: string): Effect.Effect<Subscription, PagerDutyError, RestApi.RestApiService> =>
  Effect.flatMap(RestApi.RestApiService, (rest) => rest.rpost(`/webhook_subscriptions/${segment(id)}/enable`, { schema: Subscription }))

/**
 * `POST /webhook_subscriptions/{id}/ping`: PagerDuty sends a `pagey.ping` event to the
 * subscription's URL.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-pagerduty/client"
 *
 * const ping = Webhooks.pingSubscription("PY1OL64")
 * ```
 *
 * @since 0.2.0
 * @category subscriptions
 */
export const pingSubscription = (id: string): Effect.Effect<void, PagerDutyError, RestApi.RestApiService> =>
  Effect.flatMap(RestApi.RestApiService, (rest) => Effect.asVoid(rest.post(`/webhook_subscriptions/${segment(id)}/ping`)))
