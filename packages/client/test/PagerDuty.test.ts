/**
 * The typed operations on a mock HttpClient: what they send (path parameters, query names with
 * `[]`, comma-joined lists, wrapped bodies, From and early-access headers), what they return
 * (unwrapped entities, streams, pages with more/total, void), decoding (SchemaMismatchError
 * naming operation, path and field; `decode: false`), and that the generated validators accept
 * exactly what the generated schemas decode.
 */
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Either, Exit, Layer, Redacted, Schema, Stream } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as RestSchemas from "../src/generated/RestSchemas.js"
import { EntityWrapping, PagerDuty, RestApi } from "../src/index.js"
import * as Mock from "./utils/mock.js"

const incident = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: "incident",
  title: `Incident ${id}`,
  status: "triggered",
  self: `https://api.pagerduty.com/incidents/${id}`,
  future_field: { kept: true },
  ...extra
})

const layer = (handler: Parameters<typeof Mock.layer>[0], options: PagerDuty.Options = {}) =>
  PagerDuty.layerRestApi({ apiKey: Redacted.make("u+key"), ...options }).pipe(Layer.provideMerge(Mock.layer(handler)))

const query = (url: string) => [...new URL(url).searchParams.entries()]

describe("typed operations: requests and results", () => {
  it.effect("getIncident: path parameter encoded, include[] sent, the unwrapped entity returned with unknown fields kept", () =>
    Effect.gen(function*() {
      const pd = yield* PagerDuty.PagerDuty
      const got = yield* pd.getIncident("P 1/x", { include: ["acknowledgers", "teams"] })
      assert.strictEqual(got.title, "Incident P1")
      assert.deepStrictEqual(got["future_field"], { kept: true })
      const [req] = yield* Mock.recorded
      assert.strictEqual(new URL(req!.url).pathname, "/incidents/P%201%2Fx")
      assert.deepStrictEqual(query(req!.url), [["include[]", "acknowledgers"], ["include[]", "teams"]])
    }).pipe(Effect.provide(layer(() => Mock.json({ incident: incident("P1") })))))

  it.effect("the standalone function needs only RestApiService; the service method is the same call", () =>
    Effect.gen(function*() {
      const a = yield* PagerDuty.getIncident("P1")
      const b = yield* (yield* PagerDuty.PagerDuty).getIncident("P1")
      assert.deepStrictEqual(a, b)
      assert.strictEqual((yield* Mock.recorded).length, 2)
    }).pipe(Effect.provide(layer(() => Mock.json({ incident: incident("P1") })))))

  it.effect("createIncident: body wrapped as {incident}, from sent as the From header; updateIncident PUTs to the id", () =>
    Effect.gen(function*() {
      const pd = yield* PagerDuty.PagerDuty
      const created = yield* pd.createIncident({
        from: "me@example.com",
        body: { type: "incident", title: "Disk full", service: { id: "PSVC", type: "service_reference" } }
      })
      assert.strictEqual(created.id, "PNEW")
      yield* pd.updateIncident("PNEW", { from: "me@example.com", body: { type: "incident_reference", status: "acknowledged" } })
      const [post, put] = yield* Mock.recorded
      assert.strictEqual(post!.method, "POST")
      assert.strictEqual(post!.headers["from"], "me@example.com")
      assert.deepStrictEqual(Object.keys(JSON.parse(post!.body!)), ["incident"])
      assert.strictEqual(JSON.parse(post!.body!).incident.title, "Disk full")
      assert.strictEqual(put!.method, "PUT")
      assert.strictEqual(new URL(put!.url).pathname, "/incidents/PNEW")
      assert.deepStrictEqual(JSON.parse(put!.body!), { incident: { type: "incident_reference", status: "acknowledged" } })
    }).pipe(Effect.provide(layer((r) => Mock.json({ incident: incident("PNEW", { status: r.method === "PUT" ? "acknowledged" : "triggered" }) }, 201)))))

  it.effect("uploadEnrichmentCsv: the CSV sent as given (text/csv, not JSON, not wrapped), filename as a query parameter, the 202 body decoded", () =>
    Effect.gen(function*() {
      const csv = "name,email\nAda,ada@example.com\n"
      const accepted = yield* PagerDuty.uploadEnrichmentCsv("S1", { body: csv, filename: "users.csv" })
      assert.strictEqual(accepted.status, "accepted")
      assert.strictEqual(accepted.upload_id, "U1")
      yield* PagerDuty.uploadEnrichmentCsv("S1", { body: new TextEncoder().encode(csv) })
      const [text, bytes] = yield* Mock.recorded
      assert.strictEqual(text!.method, "POST")
      assert.strictEqual(new URL(text!.url).pathname, "/enrichment/schemas/S1/records")
      assert.deepStrictEqual(query(text!.url), [["filename", "users.csv"]])
      assert.strictEqual(text!.headers["content-type"], "text/csv")
      assert.strictEqual(text!.body, csv)
      assert.strictEqual(bytes!.headers["content-type"], "text/csv")
      assert.strictEqual(bytes!.body, csv)
      // a body of the wrong kind (from untyped code) is a typed error, nothing sent
      const untyped = PagerDuty.entity(PagerDuty.uploadEnrichmentCsv.descriptor) // (...args: unknown[]) => Effect
      const bad = yield* Effect.flip(untyped("S1", { body: 42 }))
      assert.strictEqual(bad._tag, "TransportError")
      assert.strictEqual((yield* Mock.recorded).length, 2)
    }).pipe(Effect.provide(layer(() => Mock.json({ upload_id: "U1", schema_id: "S1", filename: "users.csv", size_bytes: 31, status: "accepted" }, 202)))))

  it.effect("listIncidents: a Stream over every page (classic pagination), statuses[] and comma-joined sort_by sent", () =>
    Effect.gen(function*() {
      const all = yield* Stream.runCollect(PagerDuty.listIncidents({ statuses: ["triggered", "acknowledged"], sort_by: ["created_at:desc", "urgency"], pageSize: 2 }))
      assert.deepStrictEqual(Chunk.toReadonlyArray(all).map((i) => i.id), ["P0", "P1", "P2", "P3", "P4"])
      const rs = yield* Mock.recorded
      assert.strictEqual(rs.length, 3)
      const q = new URL(rs[0]!.url).searchParams
      assert.deepStrictEqual(q.getAll("statuses[]"), ["triggered", "acknowledged"])
      assert.strictEqual(q.get("sort_by"), "created_at:desc,urgency")
      assert.strictEqual(q.get("limit"), "2")
    }).pipe(Effect.provide(layer((r) => {
      const q = new URL(r.url).searchParams
      const offset = Number(q.get("offset") ?? 0)
      const items = [0, 1, 2, 3, 4].slice(offset, offset + 2).map((n) => incident(`P${n}`))
      return Mock.json({ incidents: items, limit: 2, offset, more: offset + 2 < 5, total: null })
    }))))

  it.effect("listIncidentsPages: decoded items with more/total per page", () =>
    Effect.gen(function*() {
      const pages = Chunk.toReadonlyArray(yield* Stream.runCollect(PagerDuty.listIncidentsPages({ pageSize: 2 })))
      assert.deepStrictEqual(pages.map((p) => [p.page, p.items.length, p.more, p.total]), [[0, 2, true, 3], [1, 1, false, 3]])
      assert.strictEqual(pages[0]!.items[0]!.title, "Incident P0")
    }).pipe(Effect.provide(layer((r) => {
      const offset = Number(new URL(r.url).searchParams.get("offset") ?? 0)
      const items = [0, 1, 2].slice(offset, offset + 2).map((n) => incident(`P${n}`))
      return Mock.json({ incidents: items, limit: 2, offset, more: offset + 2 < 3, total: 3 })
    }))))

  it.effect("listings keep iterAll's semantics: the 10 000 offset cap fails with PaginationLimitError, onLimit: \"stop\" ends", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Stream.runCount(PagerDuty.listIncidents()))
      assert.strictEqual(error._tag, "PaginationLimitError")
      const stopped = yield* Stream.runCount(PagerDuty.listIncidents({ onLimit: "stop" }))
      assert.strictEqual(stopped, 10_000)
    }).pipe(Effect.provide(layer((r) => {
      const q = new URL(r.url).searchParams
      const offset = Number(q.get("offset") ?? 0)
      const limit = Number(q.get("limit") ?? 100)
      return Mock.json({ incidents: Array.from({ length: limit }, (_, i) => incident(`P${offset + i}`)), limit, offset, more: true, total: null })
    }))))

  it.effect("a cursor listing (listAuditRecords) hands next_cursor on and decodes each record", () =>
    Effect.gen(function*() {
      const records = Chunk.toReadonlyArray(yield* Stream.runCollect(PagerDuty.listAuditRecords({ pageSize: 2 })))
      assert.deepStrictEqual(records.map((r) => r.id), ["A1", "A2", "A3"])
      const cursors = (yield* Mock.recorded).map((r) => new URL(r.url).searchParams.get("cursor"))
      assert.deepStrictEqual(cursors, [null, "c2"])
      const pages = Chunk.toReadonlyArray(yield* Stream.runCollect(PagerDuty.listAuditRecordsPages({ pageSize: 2 })))
      assert.deepStrictEqual(pages.map((p) => [p.items.length, p.more, p.cursor]), [[2, true, undefined], [1, false, "c2"]])
    }).pipe(Effect.provide(layer((r) => {
      const record = (id: string) => ({ id, execution_time: "2026-01-01T00:00:00Z", root_resource: { id: "P", type: "user_reference" }, action: "create" })
      return new URL(r.url).searchParams.get("cursor") === "c2"
        ? Mock.json({ records: [record("A3")], next_cursor: null, limit: 2 })
        : Mock.json({ records: [record("A1"), record("A2")], next_cursor: "c2", limit: 2 })
    }))))

  it.effect("a 204 operation returns void; the early-access header is sent where the spec requires it", () =>
    Effect.gen(function*() {
      const result: void = yield* PagerDuty.deleteIncidentNote("P1", "N1")
      assert.isUndefined(result)
      yield* PagerDuty.deleteIpAllowList("PIP")
      const [del, ip] = yield* Mock.recorded
      assert.strictEqual(del!.method, "DELETE")
      assert.strictEqual(new URL(del!.url).pathname, "/incidents/P1/notes/N1")
      assert.strictEqual(ip!.headers["x-early-access"], "ip-allow-lists")
    }).pipe(Effect.provide(layer(() => Mock.json(null, 204)))))

  it.effect("an empty path parameter is a UrlError and nothing is sent", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(PagerDuty.getIncident(""))
      assert.isTrue(Exit.isFailure(exit))
      const error = yield* Effect.flip(PagerDuty.getIncident(""))
      assert.strictEqual(error._tag, "UrlError")
      assert.include(error.message, "getIncident")
      assert.strictEqual((yield* Mock.recorded).length, 0)
    }).pipe(Effect.provide(layer(() => Mock.json({})))))
})

describe("typed operations: decoding", () => {
  it.effect("a response that does not match the spec is a SchemaMismatchError naming the operation, path and field", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(PagerDuty.getIncident("P1"))
      assert.strictEqual(error._tag, "SchemaMismatchError")
      if (error._tag !== "SchemaMismatchError") return
      assert.strictEqual(error.operation, "getIncident")
      assert.strictEqual(error.method, "GET")
      assert.strictEqual(error.path, "/incidents/P1")
      assert.strictEqual(error.field, "title")
      assert.include(error.message, "getIncident (GET /incidents/P1)")
      // decode: false returns it unchecked
      const raw = yield* PagerDuty.getIncident("P1", { decode: false })
      assert.strictEqual(raw.title as unknown, 42)
    }).pipe(Effect.provide(layer(() => Mock.json({ incident: incident("P1", { title: 42 }) })))))

  it.effect("in a listing the error names the item and its field; the stream fails (no defect)", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Stream.runDrain(PagerDuty.listIncidents()))
      assert.strictEqual(error._tag, "SchemaMismatchError")
      if (error._tag !== "SchemaMismatchError") return
      assert.strictEqual(error.operation, "listIncidents")
      assert.strictEqual(error.item, 1)
      assert.strictEqual(error.field, "status")
    }).pipe(Effect.provide(layer(() => Mock.json({ incidents: [incident("P0"), incident("P1", { status: ["bad"] })], more: false, limit: 100, offset: 0 })))))

  it.effect("PagerDuty.layer({ decode: false }) makes unchecked the default; a call's own decode wins", () =>
    Effect.gen(function*() {
      const pd = yield* PagerDuty.PagerDuty
      const items = yield* Stream.runCollect(pd.listIncidents())
      assert.strictEqual(Chunk.size(items), 1)
      const error = yield* Effect.flip(Stream.runDrain(pd.listIncidents({ decode: true })))
      assert.strictEqual(error._tag, "SchemaMismatchError")
    }).pipe(Effect.provide(layer(() => Mock.json({ incidents: [{ id: 1 }], more: false, limit: 100, offset: 0 }), { decode: false }))))
})

// ---------------------------------------------------------------------------------------
// the generated validators accept exactly what the generated schemas decode

const spec = JSON.parse(
  fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../specs/REST.json"), "utf8")
) as { paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, unknown> }>> }

const resolve = (node: unknown): unknown => {
  let n = node as Record<string, unknown> | undefined
  while (n !== undefined && typeof n["$ref"] === "string") {
    let at: unknown = spec
    for (const key of (n["$ref"] as string).slice(2).split("/")) at = (at as Record<string, unknown>)[decodeURIComponent(key).replace(/~1/g, "/")]
    n = at as Record<string, unknown>
  }
  return n
}

/** The spec's response examples of an operation, unwrapped like the client does. */
const examplesOf = (method: string, p: string): ReadonlyArray<unknown> => {
  const op = spec.paths[p]![method.toLowerCase()]!
  const out: Array<unknown> = []
  const { response } = EntityWrapping.rest.wrappers(method, p)
  for (const [code, raw] of Object.entries(op.responses ?? {})) {
    if (!/^2/.test(code)) continue
    const content = (resolve(raw) as { content?: Record<string, { examples?: Record<string, unknown>; example?: unknown }> }).content
    for (const media of Object.values(content ?? {})) {
      const examples = [...Object.values(media.examples ?? {}).map((e) => (resolve(e) as { value?: unknown }).value), ...(media.example === undefined ? [] : [media.example])]
      for (const body of examples) {
        if (body === undefined) continue
        const entity = response === null ? body : (body as Record<string, unknown> | null)?.[response]
        if (entity !== undefined) out.push(entity)
      }
    }
  }
  return out
}

const mutations = (value: unknown): ReadonlyArray<unknown> => {
  const out: Array<unknown> = [value, null, "text", 1, [], {}]
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const key of Object.keys(value)) {
      const { [key]: _, ...without } = value as Record<string, unknown>
      out.push(without)
      for (const v of [null, 12345, "text", true, [1], { nested: 1 }]) out.push({ ...value, [key]: v })
    }
  }
  return out
}

describe("generated validators", () => {
  it("accept exactly what the schema decodes: spec examples of every typed operation and mutations of each field", () => {
    let compared = 0
    let operationsWithExamples = 0
    for (const operation of Object.values(PagerDuty.operations) as ReadonlyArray<PagerDuty.Runnable>) {
      const d = operation.descriptor
      if (d.check === undefined || d.schema === undefined) continue
      const decode = Schema.decodeUnknownEither(d.schema())
      const examples = examplesOf(d.method, d.path)
      if (examples.length > 0) operationsWithExamples++
      for (const example of examples) {
        const values = Array.isArray(example) && operation.returns === "stream" ? example.slice(0, 2).flatMap(mutations) : mutations(example)
        for (const value of values) {
          assert.strictEqual(d.check(value), Either.isRight(decode(value)), `${d.name}: ${JSON.stringify(value).slice(0, 300)}`)
          compared++
        }
      }
    }
    assert.isAbove(operationsWithExamples, 200)
    assert.isAbove(compared, 10_000)
  })

  it("a schema exported for an operation's result is the same value the descriptor decodes with", () => {
    assert.strictEqual(PagerDuty.getIncident.descriptor.schema!(), RestSchemas.Incident)
    assert.strictEqual(PagerDuty.listIncidents.descriptor.schema!(), RestSchemas.Incident)
    assert.strictEqual(PagerDuty.getUser.descriptor.schema!(), RestSchemas.User)
    assert.strictEqual(PagerDuty.listIncidents.returns, "stream")
  })
})

describe("the service", () => {
  it.effect("has every operation of PagerDuty.operations as a method", () =>
    Effect.gen(function*() {
      const pd = yield* PagerDuty.PagerDuty
      const names = Object.keys(PagerDuty.operations)
      assert.isAbove(names.length, 465)
      for (const name of names) assert.strictEqual(typeof (pd as unknown as Record<string, unknown>)[name], "function", name)
      // and is built on the RestApi in context
      const api = yield* RestApi.RestApiService
      assert.strictEqual(typeof PagerDuty.fromRestApi(api).getIncident, "function")
    }).pipe(Effect.provide(layer(() => Mock.json({})))))
})
