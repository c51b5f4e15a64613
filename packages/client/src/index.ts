/**
 * effect-pagerduty: PagerDuty API clients for Effect.
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
 * @since 0.1.0
 */
export * as Throttle from "./Throttle.js"
