/**
 * `@effect-pagerduty/testkit`: an in-memory PagerDuty simulator for tests, demos and
 * benchmarks.
 *
 * @since 0.1.0
 */

/**
 * The PagerDuty simulator: `layer`, `serve`, `make`, fault rules and inspection.
 *
 * @since 0.1.0
 * @category modules
 * @example
 * import { Simulator } from "@effect-pagerduty/testkit"
 * const TestLive = Simulator.layer({ incidents: 50 })
 */
export * as Simulator from "./Simulator.js"
