/**
 * Slack Connections (`https://app.pagerduty.com/integration-slack`): the connections between
 * PagerDuty services or teams and Slack channels, per Slack workspace. The base URL is
 * configurable (python-pagerduty's cannot be changed).
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { Context, Effect, Layer, Stream } from "effect"
import * as SlackTables from "./generated/SlackTables.js"
import * as Integration from "./internal/integration.js"
import type { PagerDutyError, UrlError } from "./PagerDutyError.js"
import type * as Pagination from "./Pagination.js"

/**
 * Options of {@link make}: `auth` is an API key (sent as `Token token=`) or any `Auth`.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import type { SlackConnections } from "@effect-pagerduty/client"
 *
 * const options: SlackConnections.Options = { auth: Redacted.make("u+key"), region: "eu" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Integration.CommonOptions {}

/**
 * The Slack Connections client.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { SlackConnections } from "@effect-pagerduty/client"
 *
 * const all = Effect.flatMap(SlackConnections.SlackConnectionsService, (slack: SlackConnections.SlackConnections) =>
 *   Stream.runCollect(slack.listConnections("T0123ABCD")))
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface SlackConnections extends Integration.Verbs {
  /** `GET /workspaces/{slack_team_id}/connections`, every page. */
  readonly listConnections: (
    slackTeamId: string,
    options?: Integration.ListOptions
  ) => Stream.Stream<unknown, PagerDutyError | Pagination.PaginationLimitError>
  /** `GET /workspaces/{slack_team_id}/connections/{connection_id}`. */
  readonly getConnection: (slackTeamId: string, connectionId: string) => Effect.Effect<unknown, PagerDutyError>
  /** `POST /workspaces/{slack_team_id}/connections` (wrapped in `slack_connection`). */
  readonly createConnection: (slackTeamId: string, connection: unknown) => Effect.Effect<unknown, PagerDutyError>
  /** `PUT /workspaces/{slack_team_id}/connections/{connection_id}` (wrapped in `slack_connection`). */
  readonly updateConnection: (slackTeamId: string, connectionId: string, connection: unknown) => Effect.Effect<unknown, PagerDutyError>
  /** `DELETE /workspaces/{slack_team_id}/connections/{connection_id}`. */
  readonly deleteConnection: (slackTeamId: string, connectionId: string) => Effect.Effect<void, PagerDutyError>
}

/**
 * The tag of the Slack Connections client.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { SlackConnections } from "@effect-pagerduty/client"
 *
 * const one = Effect.flatMap(SlackConnections.SlackConnectionsService, (slack) => slack.getConnection("T0123ABCD", "A12BCDE"))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class SlackConnectionsService
  extends Context.Tag("@effect-pagerduty/client/SlackConnections")<SlackConnectionsService, SlackConnections>()
{}

/**
 * Build the client on the `HttpClient` in context.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { SlackConnections } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const slack = yield* SlackConnections.make({ auth: Redacted.make("u+key") })
 *   return yield* slack.createConnection("T0123ABCD", { source_id: "PSERV01", source_type: "service_reference", channel_id: "C01" })
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<SlackConnections, UrlError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const verbs = yield* Integration.make(SlackTables, {
      name: "slack-connections",
      baseUrl: Integration.baseUrlOf(SlackTables, options, "app", "/integration-slack"),
      auth: Integration.authOf(options.auth, "token"),
      permittedMethods: ["GET", "POST", "PUT", "DELETE"],
      headers: { Accept: "application/json" },
      retry: options.retry,
      timeout: options.timeout,
      transformClient: options.transformClient
    })
    const connections = (team: string) => Integration.path("/workspaces/{slack_team_id}/connections", { slack_team_id: team })
    const connection = (team: string, id: string) =>
      Integration.path("/workspaces/{slack_team_id}/connections/{connection_id}", { slack_team_id: team, connection_id: id })
    return SlackConnectionsService.of({
      ...verbs,
      listConnections: (team, o) => Stream.unwrap(Effect.map(connections(team), (p) => verbs.iterAll(p, o))),
      getConnection: (team, id) => Effect.flatMap(connection(team, id), (p) => verbs.rget(p)),
      createConnection: (team, body) => Effect.flatMap(connections(team), (p) => verbs.rpost(p, body)),
      updateConnection: (team, id, body) => Effect.flatMap(connection(team, id), (p) => verbs.rput(p, body)),
      deleteConnection: (team, id) => Effect.asVoid(Effect.flatMap(connection(team, id), (p) => verbs.rdelete(p)))
    })
  })

/**
 * A layer providing {@link SlackConnectionsService}.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { SlackConnections } from "@effect-pagerduty/client"
 *
 * const SlackLive = SlackConnections.layer({ auth: Redacted.make("u+key") })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<SlackConnectionsService, UrlError, HttpClient.HttpClient> =>
  Layer.effect(SlackConnectionsService, make(options))

/**
 * {@link layer} from `PAGERDUTY_API_KEY`, `PAGERDUTY_AUTH_TYPE`, `PAGERDUTY_REGION` and optional
 * `PAGERDUTY_SLACK_CONNECTIONS_BASE_URL`.
 *
 * @example
 * ```ts
 * import { SlackConnections } from "@effect-pagerduty/client"
 *
 * const SlackLive = SlackConnections.layerConfig()
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (overrides: Omit<Options, "auth" | "region" | "baseUrl"> = {}) =>
  Layer.unwrapEffect(Effect.map(Integration.commonConfig("PAGERDUTY_SLACK_CONNECTIONS_BASE_URL"), (c) => layer({ ...overrides, ...c })))
