/**
 * Runs the integrations example against the testkit simulator: in memory on PagerDuty's real
 * hosts, and over a real socket with one base URL for every client.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { OAuth } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import * as Integrations from "../src/integrations.js"

const SIGNATURE = "eyJ0eXAi.SIGNATURE_FOR_THE_EXAMPLE_55"

const targets: Integrations.Targets = {
  incidentId: "Q000003",
  slackTeamId: "T0SIMSLACK",
  msTeamsTeamId: "19:sim-team@thread.tacv2",
  scimFilter: `userName co "r"`
}

/** A Jira Server access token from the simulator's identity endpoint. */
const accessToken = (oauthBaseUrl?: string) =>
  Effect.flatMap(
    OAuth.make({
      clientId: Simulator.DEFAULT_OAUTH_CLIENT.clientId,
      clientSecret: Redacted.make(Simulator.DEFAULT_OAUTH_CLIENT.clientSecret),
      baseUrl: oauthBaseUrl
    }),
    (oauth) => Effect.map(oauth.scopedAppToken("read write"), (t) => t.accessToken)
  )

/** The example's lines for the simulator's seed (users 0-9 are seeded in order). */
const expectedLines = (scimUsers: ReadonlyArray<string>, channel: string) => [
  "jira cloud accounts mappings: PJMAP01, PJMAP02",
  "jira server rules: Jira rule 1, Jira rule 2, Jira rule 3",
  "ms teams meeting: Incident bridge teams.microsoft.com",
  `slack dedicated channel: #inc-q000003 (${channel})`,
  "slack connections in T0SIMSLACK: 3",
  `scim users where userName co "r": ${scimUsers.join(", ")}`,
  "mcp tools: list_incidents, get_user"
]

describe("integrations example", () => {
  it.effect("one call per client on PagerDuty's hosts; a second run finds the Slack channel instead of creating it", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const token = yield* accessToken()
      const settings: Integrations.Settings = { apiKey: Redacted.make(Simulator.DEFAULT_API_KEY), accessToken: token, jiraSignatureToken: Redacted.make(SIGNATURE) }
      const run = Integrations.program(targets).pipe(Effect.provide(Integrations.layer(settings)))
      const first = yield* run
      const scimUsers = (yield* sim.state.users).map((u) => u.email).filter((e) => e.includes("r"))
      assert.isAbove(scimUsers.length, 2) // more than one SCIM page of 2
      assert.deepStrictEqual(first, expectedLines(scimUsers, "C0SIMDED001"))
      const second = yield* run
      assert.deepStrictEqual(second, first)

      const counts = yield* sim.countsByEndpoint
      assert.deepStrictEqual(
        [
          counts["GET /integration-jira-cloud/accounts_mappings"],
          counts["GET /integration-jira-service/rules"],
          counts["POST /integration-ms-teams/incidents/{incident_id}/meeting"],
          counts["GET /integration-slack/incidents/{incident_id}/dedicated_channel"],
          counts["POST /integration-slack/incidents/{incident_id}/dedicated_channel"],
          counts["GET /integration-slack/workspaces/{slack_team_id}/connections"],
          counts["POST /mcp"]
        ],
        [2, 2, 2, 2, 1, 2, 2]
      )
      assert.strictEqual(counts["GET /scim/v2/Users"], 2 * Math.ceil(scimUsers.length / 2))
      const hosts = new Set((yield* sim.requests).filter((r) => r.endpoint !== "POST /oauth/token").map((r) => `${new URL(r.url).host} ${r.path.split("/")[1]}`))
      assert.deepStrictEqual([...hosts].sort(), [
        "api.pagerduty.com integration-jira-cloud",
        "api.pagerduty.com integration-ms-teams",
        "api.pagerduty.com integration-slack",
        "api.pagerduty.com scim",
        "app.pagerduty.com integration-jira-service",
        "app.pagerduty.com integration-slack",
        "mcp.pagerduty.com mcp"
      ])
      const printed = [...first, ...second].join("\n")
      assert.notInclude(printed, SIGNATURE)
      assert.notInclude(printed, Redacted.value(token))
      assert.notInclude(printed, Simulator.DEFAULT_API_KEY)
    }).pipe(Effect.provide(Simulator.layer())))

  it.live("over a real simulator server on 127.0.0.1 with one base URL for every client", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const { simulator, url } = yield* Simulator.serve()
        const token = yield* accessToken(url)
        const settings: Integrations.Settings = {
          apiKey: Redacted.make(Simulator.DEFAULT_API_KEY),
          accessToken: token,
          jiraSignatureToken: Redacted.make(SIGNATURE),
          origin: url
        }
        const lines = yield* Integrations.program(targets).pipe(Effect.provide(Integrations.layer(settings)))
        const scimUsers = (yield* simulator.state.users).map((u) => u.email).filter((e) => e.includes("r"))
        assert.deepStrictEqual(lines, expectedLines(scimUsers, "C0SIMDED001"))
        const requests = yield* simulator.requests
        assert.isTrue(requests.every((r) => r.url.startsWith(`${url}/`) && r.status < 300 || r.status === 404))
        assert.strictEqual(requests.filter((r) => r.status === 404).map((r) => r.endpoint).join(), "GET /integration-slack/incidents/{incident_id}/dedicated_channel")
      })
    ).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
