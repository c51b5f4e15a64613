/**
 * The route registry.
 *
 * How to add endpoints: write a module next to this file (for example `jira.ts` for
 * `/integration-jira-cloud/...`, `slack.ts` for `/integration-slack/...`, `scim.ts` for
 * `/scim/v2/...`, `mcp.ts` for `/mcp`) that exports `routes: ReadonlyArray<Route>`, where a
 * route is `{ method, path: "/prefix/things/{id}", auth: "rest" | "none", handle }` (see
 * `../router.ts`). `handle(ctx)` gets the parsed request, path params, the mutable state,
 * a renderer for wire shapes, the simulator time and the authenticated caller, and returns
 * a response built with the helpers in `../wire.ts` (`json`, `pdError`, `notFound`...).
 * Then import the module here and add its routes to `routeModules`. Nothing else changes:
 * faults, auth (`auth: "rest"` checks `Token token=` / `Bearer`), rate limits, recording and
 * both front ends apply to every registered route automatically. Paths of different
 * modules must not collide; literal segments win over `{params}` of the same length.
 *
 * @internal
 */
import type { Route } from "../router.js"
import * as directory from "./directory.js"
import * as events from "./events.js"
import * as incidents from "./incidents.js"
import * as jira from "./jira.js"
import * as jiraServer from "./jiraServer.js"
import * as mcp from "./mcp.js"
import * as msteams from "./msteams.js"
import * as oauth from "./oauth.js"
import * as reports from "./reports.js"
import * as schedules from "./schedules.js"
import * as scim from "./scim.js"
import * as slack from "./slack.js"
import * as slackChannels from "./slackChannels.js"
import * as webhooks from "./webhooks.js"

/** Route modules that need no engine services. */
export const routeModules: ReadonlyArray<ReadonlyArray<Route>> = [
  incidents.routes,
  events.routes,
  directory.routes,
  schedules.routes,
  reports.routes,
  jira.routes,
  jiraServer.routes,
  msteams.routes,
  slack.routes,
  slackChannels.routes,
  scim.routes,
  mcp.routes,
  webhooks.routes
]

/** Every route; `issuer` is the engine, which alone may mint OAuth tokens. */
export const allRoutes = (issuer: oauth.TokenIssuer): ReadonlyArray<Route> => [
  ...routeModules.flat(),
  ...oauth.makeRoutes(issuer)
]
