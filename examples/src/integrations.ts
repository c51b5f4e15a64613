/**
 * The integration APIs: one short call per client.
 *
 * Jira Cloud accounts mappings, Jira Server rules (OAuth Bearer token + the
 * `x-pagerduty-jira-signature` header), an MS Teams meeting, an incident's Slack dedicated
 * channel (get or create), Slack connections per workspace, SCIM users by filter as a
 * `Stream` (`startIndex`/`count` pages), and MCP `tools/list`.
 *
 * Against the testkit simulator (`pagerduty-simulator` prints its URL and keys; any incident
 * id such as `Q000000`, the seeded Slack workspace `T0SIMSLACK`; for the Jira Server access
 * token, run `oauth-token-source` or POST a client-credentials grant to `/oauth/token`):
 *
 *   PAGERDUTY_API_KEY=sim-api-key PAGERDUTY_ACCESS_TOKEN=pdus+_sim_... PAGERDUTY_JIRA_SIGNATURE_TOKEN=any \
 *   PAGERDUTY_BASE_URL=http://127.0.0.1:PORT INCIDENT_ID=Q000000 SLACK_TEAM_ID=T0SIMSLACK \
 *   MS_TEAMS_TEAM_ID=19:team@thread.tacv2 node examples/dist/src/integrations.js
 *
 * Without `PAGERDUTY_BASE_URL` every client uses its real PagerDuty host. Without
 * `PAGERDUTY_API_KEY` at all, it serves the simulator on 127.0.0.1 and runs against it (the
 * Jira Server access token then comes from the simulator's `/oauth/token`).
 */
import type { HttpClient } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { JiraCloud, JiraServer, Mcp, MsTeams, OAuth, Scim, Slack, SlackConnections } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import { Chunk, Config, Console, Effect, Layer, Option, Redacted, Stream } from "effect"
import { pathToFileURL } from "node:url"

/** Credentials, and one origin for every API (a simulator, a proxy) or none for PagerDuty's hosts. */
export interface Settings {
  readonly apiKey: Redacted.Redacted
  /** An OAuth access token for Jira Server (Bearer only). */
  readonly accessToken: Redacted.Redacted
  readonly jiraSignatureToken: Redacted.Redacted
  readonly origin?: string | undefined
}

/** What to look at. */
export interface Targets {
  readonly incidentId: string
  readonly slackTeamId: string
  readonly msTeamsTeamId: string
  readonly scimFilter: string
}

/** The seven clients. Needs an `HttpClient`. */
export const layer = (settings: Settings) => {
  const at = (path: string) => settings.origin === undefined ? undefined : `${settings.origin.replace(/\/+$/, "")}${path}`
  const auth = settings.apiKey
  return Layer.mergeAll(
    JiraCloud.layer({ auth, baseUrl: at("/integration-jira-cloud") }),
    JiraServer.layer({ auth: settings.accessToken, jiraSignatureToken: settings.jiraSignatureToken, baseUrl: at("/integration-jira-service") }),
    MsTeams.layer({ auth, baseUrl: at("/integration-ms-teams") }),
    Slack.layer({ auth, baseUrl: at("/integration-slack") }),
    SlackConnections.layer({ auth, baseUrl: at("/integration-slack") }),
    Scim.layer({ auth, baseUrl: at("/scim/v2") }),
    Mcp.layer({ auth, baseUrl: settings.origin })
  )
}

const field = (value: unknown, name: string): string => String((value as Record<string, unknown> | null)?.[name] ?? "?")

/** One call per client; returns the printed lines so a test can check them. */
export const program = (targets: Targets) =>
  Effect.gen(function*() {
    const lines: Array<string> = []
    const say = (line: string) => Effect.zipRight(Effect.sync(() => lines.push(line)), Console.log(line))

    // Jira Cloud: every accounts mapping (classic pagination as a Stream)
    const jiraCloud = yield* JiraCloud.JiraCloudService
    const mappings = yield* Stream.runCollect(jiraCloud.listAccountsMappings())
    yield* say(`jira cloud accounts mappings: ${Chunk.toArray(mappings).map((m) => field(m, "id")).join(", ")}`)

    // Jira Server: rules (Bearer token, signature header; both stay Redacted)
    const jiraServer = yield* JiraServer.JiraServerService
    const rules = yield* Stream.runCollect(jiraServer.listRules())
    yield* say(`jira server rules: ${Chunk.toArray(rules).map((r) => field(r, "name")).join(", ")}`)

    // MS Teams: a meeting for the incident (the answer is unwrapped from `meeting`)
    const teams = yield* MsTeams.MsTeamsService
    const meeting = yield* teams.createMeeting(targets.incidentId, { mst_team_id: targets.msTeamsTeamId, meeting: { name: "Incident bridge" } })
    yield* say(`ms teams meeting: ${field(meeting, "name")} ${new URL(field(meeting, "url")).host}`)

    // Slack: the incident's dedicated channel, created when it has none (404)
    const slack = yield* Slack.SlackService
    const channel = yield* slack.getDedicatedChannel(targets.incidentId).pipe(
      Effect.catchIf(
        (e) => e._tag === "HttpError" && e.status === 404,
        () => slack.createDedicatedChannel(targets.incidentId, { name: `inc-${targets.incidentId.toLowerCase()}`, privacy: "public" })
      )
    )
    yield* say(`slack dedicated channel: #${field(channel, "name")} (${field(channel, "id")})`)

    // Slack Connections: every connection of one workspace
    const connections = yield* SlackConnections.SlackConnectionsService
    const inWorkspace = yield* Stream.runCount(connections.listConnections(targets.slackTeamId))
    yield* say(`slack connections in ${targets.slackTeamId}: ${inWorkspace}`)

    // SCIM: users matching a filter, fetched 2 at a time (startIndex/count) as a Stream
    const scim = yield* Scim.ScimService
    const users = yield* scim.listUsers({ filter: targets.scimFilter, count: 2 }).pipe(
      Stream.map((u) => field(u, "userName")),
      Stream.runCollect
    )
    yield* say(`scim users where ${targets.scimFilter}: ${Chunk.toArray(users).join(", ")}`)

    // MCP: JSON-RPC tools/list
    const mcp = yield* Mcp.McpService
    const tools = yield* mcp.listTools
    yield* say(`mcp tools: ${tools.map((t) => field(t, "name")).join(", ")}`)
    return lines
  })

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const config = Config.all({
    apiKey: Config.redacted("PAGERDUTY_API_KEY"),
    accessToken: Config.redacted("PAGERDUTY_ACCESS_TOKEN"),
    jiraSignatureToken: Config.redacted("PAGERDUTY_JIRA_SIGNATURE_TOKEN"),
    origin: Config.option(Config.string("PAGERDUTY_BASE_URL")),
    incidentId: Config.string("INCIDENT_ID"),
    slackTeamId: Config.string("SLACK_TEAM_ID"),
    msTeamsTeamId: Config.string("MS_TEAMS_TEAM_ID"),
    scimFilter: Config.withDefault(Config.string("SCIM_FILTER"), `active eq true`)
  })
  const onSimulator = Effect.scoped(
    Effect.gen(function*() {
      const served = yield* Simulator.serve({})
      yield* Console.log(`PagerDuty simulator at ${served.url}`)
      const oauth = yield* OAuth.make({
        clientId: Simulator.DEFAULT_OAUTH_CLIENT.clientId,
        clientSecret: Redacted.make(Simulator.DEFAULT_OAUTH_CLIENT.clientSecret),
        baseUrl: served.url
      })
      const token = yield* oauth.scopedAppToken("read write")
      const settings: Settings = {
        apiKey: Redacted.make(Simulator.DEFAULT_API_KEY),
        accessToken: token.accessToken,
        jiraSignatureToken: Redacted.make("simulator-accepts-any-signature"),
        origin: served.url
      }
      const targets: Targets = { incidentId: "Q000003", slackTeamId: "T0SIMSLACK", msTeamsTeamId: "19:sim-team@thread.tacv2", scimFilter: `userName co "r"` }
      return yield* program(targets).pipe(Effect.provide(layer(settings)))
    })
  )
  const fromConfig = Effect.flatMap(config, (c) =>
    program(c).pipe(Effect.provide(layer({ ...c, origin: Option.getOrUndefined(c.origin) }))))
  const main: Effect.Effect<ReadonlyArray<string>, unknown, HttpClient.HttpClient> = process.env["PAGERDUTY_API_KEY"] === undefined
    ? onSimulator
    : fromConfig
  main.pipe(
      Effect.provide(NodeHttpClient.layerUndici),
      Effect.runPromise
    ).catch((e) => {
      console.error(String(e))
      process.exit(1)
    })
}
