import { assert, describe, it } from "@effect/vitest"
import * as EventsV1Tables from "../src/generated/EventsV1Tables.js"
import * as EventsV2Tables from "../src/generated/EventsV2Tables.js"
import * as JiraCloudTables from "../src/generated/JiraCloudTables.js"
import * as JiraServerTables from "../src/generated/JiraServerTables.js"
import * as McpTables from "../src/generated/McpTables.js"
import * as MsTeamsTables from "../src/generated/MsTeamsTables.js"
import * as ScimTables from "../src/generated/ScimTables.js"
import * as SlackTables from "../src/generated/SlackTables.js"
import { inferEntityWrapper, pythonIntegrations, pythonSlackFusedPath } from "./generated-python-tables.js"

type Tables = {
  readonly baseUrls: { readonly us: string; readonly eu: string | null }
  readonly canonicalPaths: ReadonlyArray<string>
  readonly entityWrappers: Readonly<Record<string, readonly [string | null, string | null]>>
  readonly pathMethods: Readonly<Record<string, ReadonlyArray<string>>>
}

/** Python's effective wrapper (§5.2: config, else inference) for an operation. */
const pythonWrapper = (config: ReadonlyArray<readonly [string, readonly [string | null, string | null]]>, op: string) => {
  const [method, path] = op.split(" ")
  const hit = config.find(([k]) => k === op || k === `* ${path}`)
  if (hit) return hit[1]
  const w = inferEntityWrapper(method, path)
  return [w, w] as const
}

/** Operations where the spec shows Python's wrapper is wrong; the generated table follows the spec. */
const knownPythonMismatches: Record<string, ReadonlyArray<string>> = {
  JiraCloudTables: [],
  // spec: POST /rules body is {"rule": {...}} and so is the answer (Python infers the same:
  // only /rules/{id} is missing from Python's path list)
  JiraServerTables: [],
  // spec: POST .../meeting has an unwrapped body ({"conference_bridge"...} fields) -> request null
  MsTeamsTables: ["POST /incidents/{incident_id}/meeting"],
  // spec: POST .../notification_channels takes and answers {"channel": ...} (Python config:
  // no wrapping); PUT takes and answers {"channels": [...]} (Python infers
  // "notification_channels" from the last path node)
  SlackTables: ["PUT /incidents/{incident_id}/notification_channels", "POST /incidents/{incident_id}/notification_channels"],
  // spec: GET .../connections/{connection_id} answers {"slack_connection": ...}; Python has
  // no config entry and infers "connection" (§10), so rget fails there
  SlackConnections: ["GET /workspaces/{slack_team_id}/connections/{connection_id}"]
}

const compare = (name: string, tables: Tables) => {
  const python = pythonIntegrations[name]
  const mismatches: Array<string> = []
  for (const path of python.canonicalPaths) {
    assert.include(tables.canonicalPaths, path, `${name}: ${path}`)
    for (const method of tables.pathMethods[path]) {
      const op = `${method} ${path}`
      const [req, res] = tables.entityWrappers[op]
      const [preq, pres] = pythonWrapper(python.config, op)
      const ok = (!["POST", "PUT", "PATCH"].includes(method) || req === preq) && (method === "DELETE" || res === pres)
      if (!ok) mismatches.push(op)
    }
  }
  assert.deepStrictEqual(mismatches, knownPythonMismatches[name], name)
}

describe("integration tables", () => {
  it("Jira Cloud: the spec's /integration-jira-cloud prefix moves into the base URL; Python's table agrees", () => {
    assert.strictEqual(JiraCloudTables.baseUrls.us, pythonIntegrations.JiraCloudTables.baseUrl)
    assert.deepStrictEqual(JiraCloudTables.canonicalPaths, pythonIntegrations.JiraCloudTables.canonicalPaths)
    compare("JiraCloudTables", JiraCloudTables)
    assert.deepStrictEqual(JiraCloudTables.entityWrappers["GET /accounts_mappings"], [null, "accounts_mappings"])
    assert.deepStrictEqual(JiraCloudTables.classicPaginatedPaths, ["/accounts_mappings", "/accounts_mappings/{id}/rules"])
    assert.strictEqual(JiraCloudTables.requiredScopes["GET /accounts_mappings"], "jira_cloud_accounts.read")
  })

  it("Jira Server: the spec adds /rules/{id} to Python's single path", () => {
    assert.strictEqual(JiraServerTables.baseUrls.us, pythonIntegrations.JiraServerTables.baseUrl)
    assert.deepStrictEqual(JiraServerTables.canonicalPaths, ["/rules", "/rules/{id}"])
    compare("JiraServerTables", JiraServerTables)
    assert.deepStrictEqual(JiraServerTables.entityWrappers["POST /rules"], ["rule", "rule"])
    assert.deepStrictEqual(JiraServerTables.paginationParams["/rules"], ["limit", "offset", "total"])
  })

  it("MS Teams: the spec adds /dedicated_chat to Python's meeting path", () => {
    assert.strictEqual(MsTeamsTables.baseUrls.us, pythonIntegrations.MsTeamsTables.baseUrl)
    assert.deepStrictEqual(MsTeamsTables.canonicalPaths, ["/incidents/{incident_id}/dedicated_chat", "/incidents/{incident_id}/meeting"])
    compare("MsTeamsTables", MsTeamsTables)
    assert.deepStrictEqual(MsTeamsTables.entityWrappers["POST /incidents/{incident_id}/meeting"], [null, "meeting"])
  })

  it("Slack: one spec covers Python's Slack and SlackConnections clients; no fused path", () => {
    assert.notInclude(SlackTables.canonicalPaths, pythonSlackFusedPath)
    // Python's Slack client (api host) and SlackConnections (app host) share this spec; the
    // spec's only server is the api host.
    assert.strictEqual(SlackTables.baseUrls.us, pythonIntegrations.SlackTables.baseUrl)
    assert.notStrictEqual(SlackTables.baseUrls.us, pythonIntegrations.SlackConnections.baseUrl)
    compare("SlackTables", SlackTables)
    compare("SlackConnections", SlackTables)
    assert.deepStrictEqual(SlackTables.entityWrappers["GET /incidents/{incident_id}/notification_channels"], [null, "channels"])
    assert.deepStrictEqual(SlackTables.entityWrappers["GET /workspaces/{slack_team_id}/connections"], [null, "slack_connections"])
    assert.deepStrictEqual(SlackTables.classicPaginatedPaths, ["/workspaces/{slack_team_id}/connections"])
  })

  it("SCIM, MCP and Events: paths, servers, no wrapping", () => {
    assert.strictEqual(ScimTables.baseUrls.us, "https://api.pagerduty.com/scim/v2")
    assert.deepStrictEqual(ScimTables.paginationParams["/Users"], ["startIndex", "count"])
    assert.deepStrictEqual(ScimTables.pathMethods["/Users/{id}"], ["GET", "PUT", "PATCH", "DELETE"])
    for (const op of Object.keys(ScimTables.entityWrappers)) assert.deepStrictEqual(ScimTables.entityWrappers[op], [null, null], op)
    assert.strictEqual(McpTables.baseUrls.us, "https://mcp.pagerduty.com")
    assert.deepStrictEqual(McpTables.canonicalPaths, ["/mcp"])
    assert.strictEqual(EventsV2Tables.baseUrls.us, "https://events.pagerduty.com/v2")
    assert.strictEqual(EventsV2Tables.baseUrls.eu, "https://events.eu.pagerduty.com/v2")
    assert.deepStrictEqual(EventsV2Tables.canonicalPaths, ["/change/enqueue", "/enqueue"])
    assert.deepStrictEqual(EventsV1Tables.canonicalPaths, ["/create_event.json"])
    assert.strictEqual(EventsV1Tables.baseUrls.us, "https://events.pagerduty.com/generic/2010-04-15")
  })
})
