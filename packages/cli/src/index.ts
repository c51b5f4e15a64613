/**
 * `@effect-pagerduty/cli`: the `pagerduty` command, and its parts for embedding or testing.
 *
 * @since 0.1.0
 */

/**
 * @since 0.2.0
 */
export * as Argv from "./Argv.js"

/**
 * @since 0.1.0
 */
export * as Cli from "./Cli.js"

/**
 * @since 0.1.0
 */
export * as ErrorReport from "./ErrorReport.js"

/**
 * @since 0.1.0
 */
export * as Output from "./Output.js"

/**
 * @since 0.1.0
 */
export * as Progress from "./Progress.js"

/**
 * @since 0.2.0
 */
export * as WebhooksCommand from "./WebhooksCommand.js"
