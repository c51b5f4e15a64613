/**
 * effect-pagerduty: PagerDuty API clients for Effect.
 *
 * `Throttle` and `ThrottleRedis` are not re-exported here: they need the optional peer
 * `@effect/experimental`, so they have their own entry points
 * (`@effect-pagerduty/client/Throttle`, `@effect-pagerduty/client/ThrottleRedis`) and this
 * entry loads with `effect` and `@effect/platform` alone.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as ApiClient from "./ApiClient.js"

/**
 * @since 0.1.0
 */
export * as Auth from "./Auth.js"

/**
 * @since 0.1.0
 */
export * as EntityWrapping from "./EntityWrapping.js"

/**
 * @since 0.1.0
 */
export * as EventsApi from "./EventsApi.js"

/**
 * @since 0.1.0
 */
export * as EventsApiV1 from "./EventsApiV1.js"

/**
 * @since 0.1.0
 */
export * as JiraCloud from "./JiraCloud.js"

/**
 * @since 0.1.0
 */
export * as JiraServer from "./JiraServer.js"

/**
 * @since 0.1.0
 */
export * as Mcp from "./Mcp.js"

/**
 * @since 0.1.0
 */
export * as MsTeams from "./MsTeams.js"

/**
 * @since 0.1.0
 */
export * as OAuth from "./OAuth.js"

/**
 * @since 0.1.0
 */
export * as Observability from "./Observability.js"

/**
 * @since 0.2.0
 */
export * as PagerDuty from "./PagerDuty.js"

/**
 * @since 0.1.0
 */
export * as PagerDutyError from "./PagerDutyError.js"

/**
 * @since 0.1.0
 */
export * as Pagination from "./Pagination.js"

/**
 * @since 0.1.0
 */
export * as Region from "./Region.js"

/**
 * @since 0.1.0
 */
export * as RestApi from "./RestApi.js"

/**
 * @since 0.1.0
 */
export * as RetryPolicy from "./RetryPolicy.js"

/**
 * @since 0.1.0
 */
export * as Schedules from "./Schedules.js"

/**
 * @since 0.1.0
 */
export * as Scim from "./Scim.js"

/**
 * @since 0.1.0
 */
export * as Slack from "./Slack.js"

/**
 * @since 0.1.0
 */
export * as SlackConnections from "./SlackConnections.js"

/**
 * @since 0.2.0
 */
export * as Webhooks from "./Webhooks.js"
