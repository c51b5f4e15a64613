/**
 * The Slack integration API (`https://api.pagerduty.com/integration-slack`): an incident's
 * dedicated channel and notification channels. Its two canonical paths are
 * `/incidents/{incident_id}/dedicated_channel` and `/incidents/{incident_id}/notification_channels`
 * (python-pagerduty fuses them into one bogus path, so its `r*` verbs always fail), and the
 * base URL is configurable (python-pagerduty's Slack clients cannot change it).
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { Context, Effect, Layer } from "effect"
import * as SlackTables from "./generated/SlackTables.js"
import * as Integration from "./internal/integration.js"
import type { PagerDutyError, UrlError } from "./PagerDutyError.js"

/**
 * Options of {@link make}: `auth` is an API key (sent as `Token token=`) or any `Auth`.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import type { Slack } from "@effect-pagerduty/client"
 *
 * const options: Slack.Options = { auth: Redacted.make("u+key"), baseUrl: "http://127.0.0.1:8080/integration-slack" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Integration.CommonOptions {}

/**
 * The Slack integration client.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Slack } from "@effect-pagerduty/client"
 *
 * const channel = Effect.flatMap(Slack.SlackService, (slack: Slack.Slack) => slack.getDedicatedChannel("PINC123"))
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Slack extends Integration.Verbs {
  /** `GET /incidents/{incident_id}/dedicated_channel` (unwrapped from `channel`). */
  readonly getDedicatedChannel: (incidentId: string) => Effect.Effect<unknown, PagerDutyError>
  /** `POST /incidents/{incident_id}/dedicated_channel` (wrapped in `channel`). */
  readonly createDedicatedChannel: (incidentId: string, channel: unknown) => Effect.Effect<unknown, PagerDutyError>
  /** `DELETE /incidents/{incident_id}/dedicated_channel`. */
  readonly deleteDedicatedChannel: (incidentId: string) => Effect.Effect<void, PagerDutyError>
  /** `GET /incidents/{incident_id}/notification_channels` (unwrapped from `channels`). */
  readonly listNotificationChannels: (incidentId: string) => Effect.Effect<unknown, PagerDutyError>
  /** `POST /incidents/{incident_id}/notification_channels` (wrapped in `channel`). */
  readonly addNotificationChannel: (incidentId: string, channel: unknown) => Effect.Effect<unknown, PagerDutyError>
  /** `PUT /incidents/{incident_id}/notification_channels` (wrapped in `channels`). */
  readonly replaceNotificationChannels: (incidentId: string, channels: ReadonlyArray<unknown>) => Effect.Effect<unknown, PagerDutyError>
  /** `DELETE /incidents/{incident_id}/notification_channels/{channel_id}`. */
  readonly removeNotificationChannel: (incidentId: string, channelId: string) => Effect.Effect<void, PagerDutyError>
}

/**
 * The tag of the Slack client.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Slack } from "@effect-pagerduty/client"
 *
 * const channels = Effect.flatMap(Slack.SlackService, (slack) => slack.listNotificationChannels("PINC123"))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class SlackService extends Context.Tag("@effect-pagerduty/client/Slack")<SlackService, Slack>() {}

/**
 * Build the client on the `HttpClient` in context.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Slack } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const slack = yield* Slack.make({ auth: Redacted.make("u+key") })
 *   return yield* slack.createDedicatedChannel("PINC123", { name: "inc-123" })
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Slack, UrlError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const verbs = yield* Integration.make(SlackTables, {
      name: "slack",
      baseUrl: Integration.baseUrlOf(SlackTables, options),
      auth: Integration.authOf(options.auth, "token"),
      permittedMethods: ["GET", "POST", "PUT", "DELETE"],
      headers: { Accept: "application/json" },
      retry: options.retry,
      timeout: options.timeout,
      transformClient: options.transformClient
    })
    const dedicated = (id: string) => Integration.path("/incidents/{incident_id}/dedicated_channel", { incident_id: id })
    const notification = (id: string) => Integration.path("/incidents/{incident_id}/notification_channels", { incident_id: id })
    return SlackService.of({
      ...verbs,
      getDedicatedChannel: (id) => Effect.flatMap(dedicated(id), (p) => verbs.rget(p)),
      createDedicatedChannel: (id, body) => Effect.flatMap(dedicated(id), (p) => verbs.rpost(p, body)),
      deleteDedicatedChannel: (id) => Effect.asVoid(Effect.flatMap(dedicated(id), (p) => verbs.rdelete(p))),
      listNotificationChannels: (id) => Effect.flatMap(notification(id), (p) => verbs.rget(p)),
      addNotificationChannel: (id, body) => Effect.flatMap(notification(id), (p) => verbs.rpost(p, body)),
      replaceNotificationChannels: (id, body) => Effect.flatMap(notification(id), (p) => verbs.rput(p, body)),
      removeNotificationChannel: (id, channelId) =>
        Effect.asVoid(
          Effect.flatMap(
            Integration.path("/incidents/{incident_id}/notification_channels/{channel_id}", { incident_id: id, channel_id: channelId }),
            (p) => verbs.rdelete(p)
          )
        )
    })
  })

/**
 * A layer providing {@link SlackService}.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { Slack } from "@effect-pagerduty/client"
 *
 * const SlackLive = Slack.layer({ auth: Redacted.make("u+key") })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<SlackService, UrlError, HttpClient.HttpClient> =>
  Layer.effect(SlackService, make(options))

/**
 * {@link layer} from `PAGERDUTY_API_KEY`, `PAGERDUTY_AUTH_TYPE`, `PAGERDUTY_REGION` and optional
 * `PAGERDUTY_SLACK_BASE_URL`.
 *
 * @example
 * ```ts
 * import { Slack } from "@effect-pagerduty/client"
 *
 * const SlackLive = Slack.layerConfig()
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (overrides: Omit<Options, "auth" | "region" | "baseUrl"> = {}) =>
  Layer.unwrapEffect(Effect.map(Integration.commonConfig("PAGERDUTY_SLACK_BASE_URL"), (c) => layer({ ...overrides, ...c })))
