// Hand-kept corrections applied by scripts/codegen.mjs on top of what it derives from
// the vendored specs. Keep this list SHORT: every entry needs a comment saying why the
// spec alone is not enough (a gap or an ambiguity in the spec, or Python compatibility
// where Python's table is right and the spec cannot tell).
//
// Entity-wrapper keys are "<METHOD> <canonical path>" exactly as in the spec; values are
// [requestWrapper, responseWrapper] (null = no wrapping). Codegen fails if a key does not
// name a real operation, or if an override agrees with what the spec already derives (so
// stale entries are noticed when the spec is fixed).

/** @type {Record<string, Record<string, readonly [string | null, string | null]>>} */
export const entityWrapperOverrides = {
  "REST.json": {
    // Python compatibility: every analytics endpoint is configured "no wrapping" in
    // Python (Appendix B `* /analytics/raw/incidents/{id}/responses`); the spec's body is
    // {responses, ...} next to incident-level fields, so callers want the whole body.
    "GET /analytics/raw/incidents/{id}/responses": [null, null],
    // Spec gap: `rules` sits next to `migrated_at`/`migrated_by` metadata (an object),
    // so the derivation cannot pick one; the list is `rules` (example, Python inference).
    //   200 schema: {"allOf":[{"$ref":"#/components/schemas/Pagination"},{"type":"object","properties":
    //     {"migrated_at":{"type":"string","format":"date-time",...},"migrated_by":{...},"rules":{...}}}]}
    "GET /services/{id}/rules": [null, "rules"],
    // Spec gap: the 200 schema describes the bare delegation object, but the spec's own
    // example (and Python's inference) is wrapped: {"oauth_delegation": {...}}.
    //   200 schema: {"$ref":"#/components/schemas/OAuthDelegation"}
    //   200 example: {"oauth_delegation":{"client_id":"PagerDutyLogin","created_at":"2026-01-01T12:00:00Z",...}}
    // (The typed getUserDelegation decodes the unwrapped value with OAuthDelegation.)
    "GET /users/{id}/oauth_delegations/{delegation_id}": [null, "oauth_delegation"],
    // Spec gap: the 200 schema is the bare connection, but the spec's own example is
    // wrapped ({"connection": [...]}) and Python wraps it too (inferred `connection`).
    // The request body schema is unwrapped in the spec, so only the response is overridden.
    //   200 schema: {"$ref":"#/components/schemas/WorkflowIntegrationConnection"}
    // (The typed updateWorkflowIntegrationConnection decodes the unwrapped value with it.)
    "PATCH /workflows/integrations/{integration_id}/connections/{id}": [null, "connection"]
  }
}

// HISTORICAL_RECORD_PATHS (iter_history). Deriving "GET collections that take since and
// until" from REST.json gives a much larger set (analytics, schedules, notifications,
// on-call shifts, v3 schedules, ...), several of which are not paginated lists of
// time-stamped records and would make `iterHistory` bisect nonsense. We therefore keep
// Python's list (§ Appendix C) as the source of truth, and codegen checks that every entry
// is a real GET operation that accepts `since` and `until` in the spec. The derived,
// broader set is emitted separately as `sinceUntilPaths` for information.
export const historyPaths = [
  "/audit/records",
  "/change_events",
  "/escalation_policies/{id}/audit/records",
  "/incidents",
  "/log_entries",
  "/oncalls",
  "/schedules/{id}/audit/records",
  "/services/{id}/audit/records",
  "/teams/{id}/audit/records",
  "/users/{id}/audit/records"
]

// Fields a REST response entity always carries although the spec does not list them in
// `required` (the schema emitter makes every other field optional and nullable). Without these
// a caller of the typed API would have to null-check `incident.id` and `incident.title`.
// Spec excerpts (REST.json 2.0.0), none of which has a `required` list covering the fields:
//   Incident: {"allOf":[{"$ref":"#/components/schemas/Tag/allOf/0"},{"type":"object","properties":{
//     "incident_number":{"type":"integer","readOnly":true,...},"title":{"type":"string",...},
//     ...,"status":{"type":"string","enum":["triggered","acknowledged","resolved"],...}}}]}  (no `required`)
//   Tag/allOf/0 (the base of every entity): {"type":"object","properties":{"id":{"type":"string",
//     "readOnly":true},...,"self":{"type":"string","readOnly":true,...}}}  (`id` readOnly, no `required`)
//   User: "required":["name","email","type"] (id, self, html_url are readOnly, so not required)
//   Service, Team, EscalationPolicy: "required" lists `type` and `name` but not `id`
//   LogEntry: {"allOf":[{"$ref":"#/components/schemas/Tag/allOf/0"},{"type":"object","properties":{
//     "created_at":...,"channel":...}}]}  (no `required`; `id`/`type` readOnly in the base)
//   Schedule: "required":["time_zone","type"] (`id` readOnly in the base)
// Only top-level fields of the named component schemas; keys are component names.
/** @type {Record<string, Record<string, ReadonlyArray<string>>>} */
export const presentFields = {
  "REST.json": {
    EscalationPolicy: ["id", "name", "type"],
    Incident: ["id", "status", "title", "type"],
    LogEntry: ["id", "type"],
    Schedule: ["id", "type"],
    Service: ["id", "name", "type"],
    Team: ["id", "name", "type"],
    User: ["email", "id", "name", "type"]
  }
}
