/**
 * PagerDuty service regions and the base URL of every API host in each.
 *
 * PagerDuty accounts live in the US or the EU service region; a key from one region is
 * rejected with 401 by the other. Every client takes a `region` (default `"us"`) and an
 * optional `baseUrl` that overrides it (for the simulator, a proxy, or a new host).
 *
 * @since 0.1.0
 */
import { Config } from "effect"

/**
 * A PagerDuty service region.
 *
 * @example
 * ```ts
 * import type { Region } from "@effect-pagerduty/client"
 *
 * const region: Region.Region = "eu"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Region = "us" | "eu"

/**
 * The PagerDuty hosts a client can talk to.
 *
 * - `api`: REST API v2, Jira Cloud, MS Teams and Slack integrations, SCIM
 * - `events`: Events API v2 and v1
 * - `identity`: OAuth token and authorize endpoints
 * - `app`: Jira Server and Slack Connections integrations
 * - `mcp`: the MCP server
 *
 * @example
 * ```ts
 * import type { Region } from "@effect-pagerduty/client"
 *
 * const host: Region.Host = "events"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Host = "api" | "events" | "identity" | "app" | "mcp"

/**
 * Origins of every host in every region.
 *
 * @example
 * ```ts
 * import { Region } from "@effect-pagerduty/client"
 *
 * Region.origins.eu.events // "https://events.eu.pagerduty.com"
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const origins: { readonly [R in Region]: { readonly [H in Host]: string } } = {
  us: {
    api: "https://api.pagerduty.com",
    events: "https://events.pagerduty.com",
    identity: "https://identity.pagerduty.com",
    app: "https://app.pagerduty.com",
    mcp: "https://mcp.pagerduty.com"
  },
  eu: {
    api: "https://api.eu.pagerduty.com",
    events: "https://events.eu.pagerduty.com",
    identity: "https://identity.eu.pagerduty.com",
    app: "https://app.eu.pagerduty.com",
    mcp: "https://mcp.eu.pagerduty.com"
  }
}

/**
 * The origin of `host` in `region`, or `override` when given (so `baseUrl` options win).
 *
 * @example
 * ```ts
 * import { Region } from "@effect-pagerduty/client"
 *
 * Region.origin("eu", "api") // "https://api.eu.pagerduty.com"
 * Region.origin("us", "api", "http://127.0.0.1:8080") // "http://127.0.0.1:8080"
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const origin = (region: Region, host: Host, override?: string | undefined): string =>
  override ?? origins[region][host]

/**
 * Reads `PAGERDUTY_REGION` (`us` or `eu`, default `us`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Region } from "@effect-pagerduty/client"
 *
 * const program = Effect.map(Region.config, (region) => Region.origin(region, "api"))
 * ```
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<Region> = Config.literal("us", "eu")("PAGERDUTY_REGION").pipe(
  Config.withDefault("us" as const)
)
