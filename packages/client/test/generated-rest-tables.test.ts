import { assert, describe, it } from "@effect/vitest"
import * as RestApiTables from "../src/generated/RestApiTables.js"
import {
  inferEntityWrapper,
  pythonCanonicalPaths,
  pythonCursorPaths,
  pythonEntityWrapperConfig,
  pythonHistoryPaths
} from "./generated-python-tables.js"

const wrappers = RestApiTables.entityWrappers
const operations = Object.keys(wrappers)
const canonical = new Set(RestApiTables.canonicalPaths)

/**
 * Differences between REST.json's path list and Python's CANONICAL_PATHS (Appendix A).
 * The spec is newer than python-pagerduty v7.0.0 (enrichment, IP allow lists, ...), and it
 * fuses Python's three `/tags/{id}/<entity_type>` paths into one parameterised path.
 */
const onlyInSpec = [
  "/enrichment/event_enrichments",
  "/enrichment/event_enrichments/default",
  "/enrichment/event_enrichments/{id}",
  "/enrichment/event_enrichments/{id}/associations",
  "/enrichment/event_enrichments/{id}/rules",
  "/enrichment/integrations/servicenow",
  "/enrichment/integrations/servicenow/credentials",
  "/enrichment/integrations/servicenow/credentials/{credentials_id}",
  "/enrichment/integrations/servicenow/{integration_id}",
  "/enrichment/integrations/servicenow/{integration_id}/tables",
  "/enrichment/integrations/servicenow/{integration_id}/tables/{table_id}",
  "/enrichment/integrations/servicenow/{integration_id}/tables/{table_id}/enable",
  "/enrichment/integrations/servicenow/{integration_id}/tables/{table_id}/test",
  "/enrichment/query",
  "/enrichment/schemas",
  "/enrichment/schemas/{schema_id}",
  "/enrichment/schemas/{schema_id}/records",
  "/enrichment/schemas/{schema_id}/records/{record_id}",
  "/ip_allow_lists",
  "/ip_allow_lists/{id}",
  "/ip_allow_lists/{id}/audit/records",
  "/tags/{id}/{entity_type}",
  "/users/{id}/regenerate_private_url_key"
]
const onlyInPython = ["/tags/{id}/users", "/tags/{id}/teams", "/tags/{id}/escalation_policies"]

/**
 * Appendix B entries where the spec shows Python's table is wrong or incomplete (§14.7 and
 * the spec), keyed by operation: what Python says. The generated table follows the spec.
 */
const knownPythonMismatches: Record<string, readonly [string | null, string | null]> = {
  // §14.7: the API answers {"orchestration": {...}} to a create
  "POST /event_orchestrations": ["orchestrations", "orchestrations"],
  // §14.7: the created field comes back as {"field": {...}}
  "POST /incidents/custom_fields": ["field", "fields"],
  // §14.7: the list is `paused_incident_reporting_alerts`
  "GET /paused_incident_reports/alerts": ["paused_incident_reporting_counts", "paused_incident_reporting_counts"],
  // spec: the body is {"invocation": {"metadata": ...}}; Python sends the caller's body as is
  "POST /automation_actions/actions/{id}/invocations": [null, "invocation"],
  // spec: {"global_threshold": {...}} both ways; Python returns/sends the whole body
  "GET /business_services/priority_thresholds": [null, null],
  "PUT /business_services/priority_thresholds": [null, null],
  // spec: 200 {"integrations": [...], "total": n}
  "POST /event_orchestrations/{id}/integrations/migration": [null, null],
  // spec: 200 {"responder_request_targets": [...]}
  "PUT /incidents/{id}/responder_requests/cancel": [null, null],
  // spec: the body is {"decision": {"feedback": ...}} (wrapping is skipped when present)
  "POST /recommendations/event_orchestrations/services/{service_id}/rules/{recommendation_id}/dismiss": [null, null]
}

/** Python's lookup (§5.2): `<METHOD|*> <path>` keys that name a real canonical path. */
const pythonConfigFor = (op: string): readonly [string | null, string | null] | undefined => {
  const [method, path] = op.split(" ")
  const hit = pythonEntityWrapperConfig.find(([k]) => k === `${method} ${path}` || k === `* ${path}`)
  return hit?.[1]
}

/** Wrappers Python's client actually uses: request only on bodies, DELETE never unwrapped. */
const agrees = (op: string, python: readonly [string | null, string | null]) => {
  const [method] = op.split(" ")
  const [req, res] = wrappers[op]
  const requestOk = !["POST", "PUT", "PATCH"].includes(method) || req === python[0]
  const responseOk = method === "DELETE" ? res === null || res === python[1] : res === python[1]
  return requestOk && responseOk
}

describe("RestApiTables", () => {
  it("canonicalPaths is REST.json's path list; differences from Python's Appendix A are documented", () => {
    assert.strictEqual(RestApiTables.canonicalPaths.length, 273)
    assert.deepStrictEqual([...RestApiTables.canonicalPaths], [...RestApiTables.canonicalPaths].sort())
    const python = new Set(pythonCanonicalPaths)
    assert.strictEqual(pythonCanonicalPaths.length, 253)
    assert.deepStrictEqual(RestApiTables.canonicalPaths.filter((p) => !python.has(p)), onlyInSpec)
    assert.deepStrictEqual(pythonCanonicalPaths.filter((p) => !canonical.has(p)), onlyInPython)
  })

  it("has a wrapper entry for each of the 465 operations and pathMethods agrees", () => {
    assert.strictEqual(operations.length, 465)
    const fromMethods = Object.entries(RestApiTables.pathMethods).flatMap(([p, ms]) => ms.map((m) => `${m} ${p}`))
    assert.deepStrictEqual(fromMethods.sort(), [...operations].sort())
    for (const op of operations) assert.isTrue(canonical.has(op.slice(op.indexOf(" ") + 1)), op)
  })

  it("Python's ENTITY_WRAPPER_CONFIG (Appendix B) comes out of the spec plus the overrides", () => {
    let compared = 0
    const unmatchedKeys: Array<string> = []
    for (const [key] of pythonEntityWrapperConfig) {
      const path = key.slice(key.indexOf(" ") + 1)
      if (!canonical.has(path)) unmatchedKeys.push(key)
    }
    // §14.7: these keys can never match (canonical paths use {service_id})
    assert.deepStrictEqual(unmatchedKeys, ["* /event_orchestrations/services/{id}", "* /event_orchestrations/services/{id}/active"])
    const mismatches: Array<string> = []
    for (const op of operations) {
      const python = pythonConfigFor(op)
      if (python === undefined) continue
      compared++
      if (agrees(op, python)) continue
      if (op in knownPythonMismatches) {
        assert.deepStrictEqual(python, knownPythonMismatches[op], op)
        continue
      }
      mismatches.push(`${op}: python ${JSON.stringify(python)} generated ${JSON.stringify(wrappers[op])}`)
    }
    assert.deepStrictEqual(mismatches, [])
    assert.strictEqual(compared, 108)
    // every documented mismatch really is one (stale entries fail)
    for (const op of Object.keys(knownPythonMismatches)) assert.isFalse(agrees(op, knownPythonMismatches[op]), op)
  })

  it("§14.7 wrapper mismatches follow the spec", () => {
    assert.deepStrictEqual(wrappers["GET /event_orchestrations/services/{service_id}"], [null, "orchestration_path"])
    assert.deepStrictEqual(wrappers["PUT /event_orchestrations/services/{service_id}"], ["orchestration_path", "orchestration_path"])
    assert.deepStrictEqual(wrappers["POST /event_orchestrations"], ["orchestration", "orchestration"])
    assert.deepStrictEqual(wrappers["POST /incidents/custom_fields"], ["field", "field"])
    assert.deepStrictEqual(wrappers["GET /status_pages/{id}/statuses/{status_id}"], [null, "status"])
    assert.deepStrictEqual(wrappers["GET /paused_incident_reports/alerts"], [null, "paused_incident_reporting_alerts"])
    assert.deepStrictEqual(wrappers["GET /service_dependencies/business_services/{id}"], [null, "relationships"])
    assert.deepStrictEqual(wrappers["POST /service_dependencies/disassociate"], ["relationships", "relationships"])
    assert.deepStrictEqual(wrappers["GET /users/{id}/status_update_notification_rules/{status_update_notification_rule_id}"], [null, "notification_rule"])
    assert.deepStrictEqual(wrappers["POST /schedules/preview"], ["schedule", "schedule"])
  })

  it("well-known operations", () => {
    const expected: Record<string, readonly [string | null, string | null]> = {
      "GET /users": [null, "users"],
      "GET /users/{id}": [null, "user"],
      "POST /incidents": ["incident", "incident"],
      "PUT /incidents": ["incidents", "incidents"],
      "GET /abilities/{id}": [null, null],
      "GET /users/me": [null, "user"],
      "POST /schedules/{id}/overrides": ["overrides", null],
      "PUT /teams/{id}/users/{user_id}": [null, null],
      "GET /audit/records": [null, "records"],
      "GET /oncalls": [null, "oncalls"],
      "GET /log_entries": [null, "log_entries"],
      "GET /incidents/{id}/notes": [null, "notes"],
      "POST /incidents/{id}/notes": ["note", "note"],
      "PUT /incidents/{id}/merge": ["source_incidents", "incident"],
      "GET /analytics/raw/incidents/{id}": [null, null],
      "DELETE /users/{id}": [null, null]
    }
    for (const [op, w] of Object.entries(expected)) assert.deepStrictEqual(wrappers[op], w, op)
  })

  it("Python's inference rule (§5.2) on the operations Appendix B does not list: differences are counted", () => {
    const bodies = (op: string) => ["POST", "PUT", "PATCH"].includes(op.split(" ")[0])
    const unlisted = operations.filter((op) => pythonConfigFor(op) === undefined)
    const differ = unlisted.filter((op) => {
      const [method, path] = op.split(" ")
      const w = inferEntityWrapper(method, path)
      const [req, res] = wrappers[op]
      if (method === "DELETE") return res !== null && res !== w // Python never unwraps DELETE
      return res !== w || (bodies(op) && req !== w)
    })
    assert.strictEqual(unlisted.length, 357)
    // The spec wins; most differences are new enrichment endpoints, 204/array/action bodies
    // (no wrapper) and irregular singulars (`statuse`, `{resource_type}`).
    assert.strictEqual(differ.length, 46)
    assert.include(differ, "GET /status_pages/{id}/statuses/{status_id}")
  })

  it("overrides are listed and applied", () => {
    assert.deepStrictEqual(RestApiTables.entityWrapperOverrides, [
      "GET /analytics/raw/incidents/{id}/responses",
      "GET /services/{id}/rules",
      "GET /users/{id}/oauth_delegations/{delegation_id}",
      "PATCH /workflows/integrations/{integration_id}/connections/{id}"
    ])
    assert.deepStrictEqual(wrappers["PATCH /workflows/integrations/{integration_id}/connections/{id}"], [null, "connection"])
    assert.deepStrictEqual(wrappers["GET /services/{id}/rules"], [null, "rules"])
  })

  it("cursorPaginatedPaths: GETs with a `cursor` parameter = Python's list (Appendix C) + newer paths", () => {
    const extra = RestApiTables.cursorPaginatedPaths.filter((p) => !pythonCursorPaths.includes(p))
    assert.deepStrictEqual(extra, ["/enrichment/schemas/{schema_id}/records", "/ip_allow_lists/{id}/audit/records"])
    assert.deepStrictEqual(pythonCursorPaths.filter((p) => !RestApiTables.cursorPaginatedPaths.includes(p)), [])
  })

  it("historyPaths is Python's HISTORICAL_RECORD_PATHS, all of which take since/until in the spec", () => {
    assert.deepStrictEqual([...RestApiTables.historyPaths], [...pythonHistoryPaths].sort())
    for (const p of RestApiTables.historyPaths) assert.include(RestApiTables.sinceUntilPaths, p)
    assert.isAbove(RestApiTables.sinceUntilPaths.length, RestApiTables.historyPaths.length)
  })

  it("classicPaginatedPaths, requiredScopes, operationLimit", () => {
    for (const p of ["/incidents", "/users", "/log_entries", "/oncalls", "/services", "/teams"]) {
      assert.include(RestApiTables.classicPaginatedPaths, p)
    }
    assert.notInclude(RestApiTables.classicPaginatedPaths, "/audit/records")
    assert.strictEqual(RestApiTables.requiredScopes["GET /incidents"], "incidents.read")
    assert.strictEqual(RestApiTables.requiredScopes["POST /incidents"], "incidents.write")
    assert.include(RestApiTables.operationLimit, "POST /incidents")
    assert.include(RestApiTables.operationLimit, "GET /oncalls")
    for (const op of RestApiTables.operationLimit) assert.isTrue(op in wrappers, op)
    assert.strictEqual(RestApiTables.baseUrls.us, "https://api.pagerduty.com")
  })
})
