import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Exit, Layer } from "effect"
import * as fc from "fast-check"
import { ApiClient, EntityWrapping, PagerDutyError } from "../src/index.js"
import * as RestApiTables from "../src/generated/RestApiTables.js"

const rest = EntityWrapping.rest

const canonical = (path: string) => Either.getOrThrow(rest.canonicalPath(path))

const response = (text: string): ApiClient.ApiResponse => ({
  method: "GET",
  url: "https://api.pagerduty.com/users/P1",
  status: 200,
  headers: {},
  text,
  requestId: "req-1",
  rateLimit: undefined,
  attempts: 1
})

describe("canonicalPath", () => {
  it("maps ids to parameters and keeps literal paths", () => {
    assert.strictEqual(canonical("/users/PABC123"), "/users/{id}")
    assert.strictEqual(canonical("users/PABC123?include[]=teams"), "/users/{id}")
    assert.strictEqual(canonical("/incidents/PX/notes"), "/incidents/{id}/notes")
    assert.strictEqual(canonical("/users"), "/users")
  })

  it("prefers an exact literal match (/users/me, /incidents/count, /incidents/types)", () => {
    assert.strictEqual(canonical("/users/me"), "/users/me")
    assert.strictEqual(canonical("/incidents/types"), "/incidents/types")
    assert.strictEqual(canonical("/schedules/preview"), "/schedules/preview")
  })

  it("resolves Python's ambiguous /event_orchestrations/services/global deterministically", () => {
    // Python raises a bare Exception (after sending the request); the literal `services` at the
    // first differing segment wins here.
    assert.strictEqual(canonical("/event_orchestrations/services/global"), "/event_orchestrations/services/{service_id}")
    assert.strictEqual(canonical("/event_orchestrations/PORCH1/global"), "/event_orchestrations/{id}/global")
  })

  it("treats a trailing slash as the collection (/users/ is /users, not /users/{id})", () => {
    assert.strictEqual(canonical("/users/"), "/users")
    assert.strictEqual(canonical("/users/P1/"), "/users/{id}")
  })

  it("fails with UrlError UnknownPath for unknown paths and empty segments", () => {
    for (const path of ["/nope", "/users/P1/nope/deeper/still", "/users//contact_methods"]) {
      const result = rest.canonicalPath(path)
      assert.isTrue(Either.isLeft(result), path)
      if (Either.isLeft(result)) {
        assert.strictEqual(result.left._tag, "UrlError")
        assert.strictEqual(result.left.reason, "UnknownPath")
      }
    }
  })

  it("is idempotent on every canonical path of the REST tables", () => {
    for (const path of RestApiTables.canonicalPaths) assert.strictEqual(canonical(path), path)
  })

  it("property: a concrete path built from a canonical path maps back to a path of the same shape", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...RestApiTables.canonicalPaths),
        fc.stringMatching(/^P[A-Z0-9]{6}$/),
        (template, id) => {
          const concrete = template.replace(/\{[^}]+\}/g, id)
          const found = canonical(concrete)
          const a = found.split("/")
          const b = template.split("/")
          assert.strictEqual(a.length, b.length)
          // every literal of the match is in the concrete path
          a.forEach((seg, i) => {
            if (!EntityWrapping.isPathParam(seg)) assert.strictEqual(seg, concrete.split("/")[i])
          })
        }
      )
    )
  })
})

describe("wrappers", () => {
  it("reads the generated table", () => {
    assert.deepStrictEqual(rest.wrappers("POST", "/incidents"), { request: "incident", response: "incident" })
    assert.deepStrictEqual(rest.wrappers("get", "/users/me"), { request: null, response: "user" })
    assert.deepStrictEqual(rest.wrappers("GET", "/status_pages/{id}/statuses/{status_id}"), { request: null, response: "status" })
    assert.deepStrictEqual(rest.wrappers("PUT", "/incidents"), { request: "incidents", response: "incidents" })
  })

  it("infers missing operations with Python's rule, singularising correctly", () => {
    const w = EntityWrapping.make({ canonicalPaths: ["/widgets", "/widgets/{id}", "/boxes/{id}/statuses/{sid}"], wrappers: {} })
    assert.deepStrictEqual(w.wrappers("GET", "/widgets"), { request: "widgets", response: "widgets" })
    assert.deepStrictEqual(w.wrappers("POST", "/widgets"), { request: "widget", response: "widget" })
    assert.deepStrictEqual(w.wrappers("PUT", "/widgets/{id}"), { request: "widget", response: "widget" })
    assert.deepStrictEqual(w.wrappers("GET", "/boxes/{id}/statuses/{sid}"), { request: "status", response: "status" })
    const strict = EntityWrapping.make({ canonicalPaths: ["/widgets"], wrappers: {}, inferMissing: false })
    assert.deepStrictEqual(strict.wrappers("GET", "/widgets"), { request: null, response: null })
  })

  it("accepts Python-style keys: `*`, strings, pairs and null; the method key beats `*`", () => {
    const w = EntityWrapping.make({
      canonicalPaths: ["/a", "/b", "/c"],
      wrappers: { "* /a": "thing", "GET /a": ["x", "y"], "POST /b": null, "* /c": ["req", null], "get /c": "ignored" }
    })
    assert.deepStrictEqual(w.wrappers("GET", "/a"), { request: "x", response: "y" })
    assert.deepStrictEqual(w.wrappers("PUT", "/a"), { request: "thing", response: "thing" })
    assert.deepStrictEqual(w.wrappers("POST", "/b"), { request: null, response: null })
    assert.deepStrictEqual(w.wrappers("GET", "/c"), { request: "req", response: null })
  })

  it("singularName", () => {
    const cases: Array<[string, string]> = [
      ["escalation_policies", "escalation_policy"],
      ["statuses", "status"],
      ["addresses", "address"],
      ["services", "service"],
      ["responses", "response"],
      ["business", "business"],
      ["users", "user"],
      ["status", "status"],
      ["boxes", "box"]
    ]
    for (const [plural, singular] of cases) assert.strictEqual(EntityWrapping.singularName(plural), singular, plural)
  })
})

describe("wrap", () => {
  const wrap = (method: string, path: string, body: unknown, options?: EntityWrapping.WrapOptions) =>
    Either.getOrThrow(rest.wrap(method, path, body, options))

  it("wraps POST/PUT/PATCH bodies under the request wrapper", () => {
    assert.deepStrictEqual(wrap("POST", "/incidents", { title: "x" }), { incident: { title: "x" } })
    assert.deepStrictEqual(wrap("put", "/users/P1", { name: "n" }), { user: { name: "n" } })
    assert.deepStrictEqual(wrap("PUT", "/incidents", [{ id: "P1" }]), { incidents: [{ id: "P1" }] })
    const connections = EntityWrapping.make({ canonicalPaths: ["/connections/{id}"], wrappers: {} })
    assert.deepStrictEqual(Either.getOrThrow(connections.wrap("PATCH", "/connections/C1", { a: 1 })), { connection: { a: 1 } })
  })

  it("leaves bodies alone for other methods, already-wrapped bodies, pass-through and unwrapped operations", () => {
    assert.deepStrictEqual(wrap("GET", "/incidents", { title: "x" }), { title: "x" })
    assert.deepStrictEqual(wrap("DELETE", "/users/P1", { a: 1 }), { a: 1 })
    assert.deepStrictEqual(wrap("POST", "/incidents", { incident: { title: "x" } }), { incident: { title: "x" } })
    assert.deepStrictEqual(wrap("POST", "/incidents", { title: "x" }, { passThrough: true }), { title: "x" })
    assert.deepStrictEqual(wrap("POST", "/analytics/raw/incidents", { filters: {} }), { filters: {} })
    assert.strictEqual(wrap("POST", "/incidents", undefined), undefined)
  })

  it("fails with UrlError for unknown paths (nothing can be sent)", () => {
    const result = rest.wrap("POST", "/nope", { a: 1 })
    assert.isTrue(Either.isLeft(result))
  })
})

describe("unwrap", () => {
  it.effect("returns the value under the wrapper, or the whole body for null", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* rest.unwrap(response(`{"user":{"id":"P1"}}`), "user"), { id: "P1" })
      assert.deepStrictEqual(yield* rest.unwrap(response(`[1,2]`), null), [1, 2])
      assert.strictEqual(yield* rest.unwrap(response(""), null), null)
    }))

  it.effect("a missing key, a non-object or an empty body is a ServerHttpError MissingWrapper", () =>
    Effect.gen(function*() {
      for (const text of [`{"users":[]}`, `[1]`, `"str"`, ``]) {
        const exit = yield* Effect.exit(rest.unwrap(response(text), "user"))
        assert.isTrue(Exit.isFailure(exit), text)
        const error = yield* Effect.flip(rest.unwrap(response(text), "user"))
        assert.instanceOf(error, PagerDutyError.ServerHttpError)
        assert.strictEqual(error.reason, "MissingWrapper")
        assert.strictEqual(error.requestId, "req-1")
        assert.include(error.message, `"user"`)
      }
    }))

  it.effect("invalid JSON is InvalidJson", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(rest.unwrap(response("{oops"), "user"))
      assert.strictEqual(error.reason, "InvalidJson")
    }))
})

describe("layer", () => {
  it.effect("provides the REST tables by default and custom tables when given", () =>
    Effect.gen(function*() {
      const def = yield* Effect.provide(EntityWrapping.EntityWrappingService, EntityWrapping.layer())
      assert.strictEqual(def, EntityWrapping.rest)
      const custom = yield* Effect.provide(
        EntityWrapping.EntityWrappingService,
        EntityWrapping.layer({ canonicalPaths: ["/widgets"], wrappers: { "GET /widgets": "items" } })
      )
      assert.deepStrictEqual(custom.wrappers("GET", "/widgets"), { request: "items", response: "items" })
      assert.isTrue(Layer.isLayer(EntityWrapping.layer()))
    }))
})
