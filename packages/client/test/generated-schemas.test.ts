import { assert, describe, it } from "@effect/vitest"
import { Either, ParseResult, Schema } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as EventsSchemas from "../src/generated/EventsSchemas.js"
import * as RestSchemas from "../src/generated/RestSchemas.js"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..")
const rest = JSON.parse(fs.readFileSync(path.join(root, "specs/REST.json"), "utf8"))

/** The first example of a response in the vendored spec (resolving `$ref`s). */
const example = (method: string, p: string, status = "200"): any => {
  const resolve = (node: any): any => {
    let n = node
    while (n && typeof n.$ref === "string") {
      n = n.$ref
        .slice(2)
        .split("/")
        .map((k: string) => decodeURIComponent(k).replace(/~1/g, "/").replace(/~0/g, "~"))
        .reduce((acc: any, k: string) => acc[k], rest)
    }
    return n
  }
  const response = resolve(rest.paths[p][method].responses[status])
  const examples = response.content["application/json"].examples
  return resolve(Object.values(examples)[0]).value
}

describe("generated schemas", () => {
  it("emits every requested REST schema", () => {
    for (const n of [
      "Incident",
      "Alert",
      "LogEntry",
      "IncidentNote",
      "User",
      "Team",
      "Service",
      "EscalationPolicy",
      "Schedule",
      "ScheduleLayer",
      "Override",
      "Oncall",
      "Priority",
      "Tag",
      "AuditRecord"
    ] as const) {
      assert.isTrue(Schema.isSchema(RestSchemas[n]), n)
    }
    for (const n of ["Event", "ChangeEvent", "Payload", "ChangeEventPayload", "EventResponse", "Images", "Links"] as const) {
      assert.isTrue(Schema.isSchema(EventsSchemas[n]), n)
    }
  })

  it("decodes the spec's own examples (incident, incidents, log entries, users, on-calls, notes, services)", () => {
    const incident = example("get", "/incidents/{id}").incident
    const decoded = Schema.decodeUnknownSync(RestSchemas.Incident)(incident)
    assert.deepStrictEqual(decoded, incident)
    assert.strictEqual(decoded.status, incident.status)
    for (const i of example("get", "/incidents").incidents) Schema.decodeUnknownSync(RestSchemas.Incident)(i)
    for (const e of example("get", "/log_entries").log_entries) Schema.decodeUnknownSync(RestSchemas.LogEntry)(e)
    for (const u of example("get", "/users").users) Schema.decodeUnknownSync(RestSchemas.User)(u)
    for (const o of example("get", "/oncalls").oncalls) Schema.decodeUnknownSync(RestSchemas.Oncall)(o)
    for (const n of example("get", "/incidents/{id}/notes").notes) Schema.decodeUnknownSync(RestSchemas.IncidentNote)(n)
    for (const s of example("get", "/services").services) Schema.decodeUnknownSync(RestSchemas.Service)(s)
    // The spec's schedule example contradicts its schema: `next_oncall_for_user.user` is an
    // array there, a Reference in the schema. Decoding reports exactly that path.
    const schedule = example("get", "/schedules/{id}").schedule
    const failed = Schema.decodeUnknownEither(RestSchemas.Schedule)(schedule)
    assert.isTrue(Either.isLeft(failed))
    if (Either.isLeft(failed)) {
      const issues = ParseResult.ArrayFormatter.formatErrorSync(failed.left)
      assert.deepStrictEqual(issues[0].path, ["next_oncall_for_user", "user"])
    }
    Schema.decodeUnknownSync(RestSchemas.Schedule)({ ...schedule, next_oncall_for_user: { ...schedule.next_oncall_for_user, user: schedule.next_oncall_for_user.user[0] } })
    Schema.decodeUnknownSync(RestSchemas.EscalationPolicy)(example("get", "/escalation_policies/{id}").escalation_policy)
  })

  it("keeps unknown fields, also in nested structs", () => {
    const input = {
      id: "PT4KHLK",
      type: "incident",
      title: "Disk full",
      status: "triggered",
      future_field: { a: 1 },
      service: { id: "PIJ90N7", type: "service_reference", new_nested: true }
    }
    const decoded = Schema.decodeUnknownSync(RestSchemas.Incident)(input)
    assert.deepStrictEqual(decoded, input)
    assert.deepStrictEqual(decoded["future_field"], { a: 1 })
    assert.deepStrictEqual(Schema.encodeSync(RestSchemas.Incident)(decoded), input)
  })

  it("missing optional fields are fine; unknown enum values are accepted", () => {
    const minimal = { id: "P", type: "incident", title: "t", status: "brand_new_status" }
    assert.deepStrictEqual(Schema.decodeUnknownSync(RestSchemas.Incident)(minimal), minimal)
    const user = Schema.decodeUnknownSync(RestSchemas.User)({ id: "P1", type: "user", name: "Ada", email: "ada@example.com", role: "brand_new_role" })
    assert.strictEqual(user.role, "brand_new_role")
    assert.deepStrictEqual(Schema.decodeUnknownSync(RestSchemas.Priority)({ id: "P", name: null }), { id: "P", name: null })
  })

  it("a wrong type fails with a ParseError", () => {
    const result = Schema.decodeUnknownEither(RestSchemas.Incident)({ id: "P", type: "incident", title: "t", status: "resolved", incident_number: "not a number" })
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) {
      assert.isTrue(ParseResult.isParseError(result.left))
      assert.include(result.left.message, "incident_number")
    }
    assert.throws(() => Schema.decodeUnknownSync(RestSchemas.User)({ id: 42 }))
    assert.throws(() => Schema.decodeUnknownSync(RestSchemas.Incident)("not an object"))
  })

  it("fields PagerDuty always sends (codegen-overrides presentFields) are required: an incident without a title fails", () => {
    const result = Schema.decodeUnknownEither(RestSchemas.Incident)({ id: "P", type: "incident", status: "resolved" })
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) assert.deepStrictEqual(ParseResult.ArrayFormatter.formatErrorSync(result.left)[0]!.path, ["title"])
    // and a reference (not a full entity) keeps every field optional
    Schema.decodeUnknownSync(RestSchemas.IncidentReference)({ id: "P", type: "incident_reference" })
  })

  it("required identity fields: references need `type` when the spec requires it", () => {
    assert.throws(() => Schema.decodeUnknownSync(RestSchemas.AcknowledgerReference)({ id: "P" }))
    Schema.decodeUnknownSync(RestSchemas.AcknowledgerReference)({ id: "P", type: "user_reference" })
  })

  it("Events v2: trigger and change events decode, extra fields kept", () => {
    const trigger = {
      routing_key: "R0123456789",
      event_action: "trigger",
      dedup_key: "k",
      payload: { summary: "disk full", source: "db1", severity: "critical", custom_details: { free: 0 } },
      images: [{ src: "https://example.com/a.png" }],
      links: [{ href: "https://example.com", text: "x" }],
      extra: 1
    }
    assert.deepStrictEqual(Schema.decodeUnknownSync(EventsSchemas.Event)(trigger), trigger)
    const change = { routing_key: "R", payload: { summary: "deploy", source: "ci", timestamp: "2020-07-17T08:42:58.315+0000" } }
    assert.deepStrictEqual(Schema.decodeUnknownSync(EventsSchemas.ChangeEvent)(change), change)
    const response = { status: "success", message: "Event processed", dedup_key: "k" }
    assert.deepStrictEqual(Schema.decodeUnknownSync(EventsSchemas.EventResponse)(response), response)
    assert.throws(() => Schema.decodeUnknownSync(EventsSchemas.Event)({ payload: { summary: 1 } }))
  })

  it("types: Type equals Encoded and optional fields are typed", () => {
    const incident: RestSchemas.Incident = { id: "P", type: "incident", title: "x", status: "triggered" }
    const encoded: typeof RestSchemas.Incident.Encoded = incident
    const title: string = incident.title
    assert.strictEqual(title, "x")
    assert.strictEqual(encoded, incident)
  })
})
