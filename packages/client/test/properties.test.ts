import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Redacted } from "effect"
import * as fc from "fast-check"
import { ApiClient, Auth, RetryPolicy } from "../src/index.js"
import { decodeErrorBody } from "../src/internal/errorBody.js"
import * as UrlInternal from "../src/internal/url.js"
import * as Mock from "./utils/mock.js"

const base = Either.getOrThrow(UrlInternal.parseBaseUrl("https://api.pagerduty.com"))
const basePathed = Either.getOrThrow(UrlInternal.parseBaseUrl("https://api.pagerduty.com/integration-slack"))

// URL-ish strings: hosts that look like PagerDuty's, tricky separators, encoded dots.
const trickyPiece = fc.constantFrom(
  "https://api.pagerduty.com",
  "https://api.pagerduty.com.evil.com",
  "https://api.pagerduty.community",
  "https://evil.com",
  "http://api.pagerduty.com",
  "//evil.com",
  "\\\\evil.com",
  "/\\evil.com",
  "@evil.com",
  ":443",
  ":8443",
  "/",
  "//",
  "..",
  "%2e%2e",
  "%2F",
  "?",
  "#",
  "users",
  "integration-slack",
  "user:pw@",
  "HTTPS://",
  "javascript:",
  " ",
  "\t"
)
const urlish = fc.oneof(
  fc.array(trickyPiece, { maxLength: 6 }).map((parts) => parts.join("")),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.string({ maxLength: 40 })
)

describe("property: URL normalisation", () => {
  it("never resolves to another origin, nor outside the base path", () => {
    fc.assert(
      fc.property(urlish, (input) => {
        for (const b of [base, basePathed]) {
          const result = UrlInternal.resolve(b, input)
          if (Either.isRight(result)) {
            assert.strictEqual(result.right.origin, b.origin, input)
            const prefix = UrlInternal.basePath(b)
            assert.isTrue(result.right.pathname === prefix || result.right.pathname.startsWith(`${prefix}/`), input)
          }
        }
      }),
      { numRuns: 3000 }
    )
  })

  it.effect("no generated URL on another origin is ever sent", () =>
    Effect.gen(function*() {
      const api = yield* ApiClient.make({
        name: "rest",
        baseUrl: "https://api.pagerduty.com",
        auth: Auth.token(Redacted.make("k")),
        permittedMethods: ["GET"],
        retry: RetryPolicy.none
      })
      const inputs = fc.sample(urlish, 1500)
      for (const url of inputs) yield* Effect.either(api.request({ url }))
      const sent = yield* Mock.recorded
      assert.isAbove(sent.length, 100)
      for (const r of sent) assert.strictEqual(new URL(r.url).origin, "https://api.pagerduty.com", r.url)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({})))))
})

describe("property: error-body decoding", () => {
  const bodies = fc.oneof(
    fc.json(),
    fc.string(),
    fc.jsonValue().map((error) => JSON.stringify({ error })),
    fc.jsonValue().map((errors) => JSON.stringify({ error: { message: "m", code: 2001, errors } })),
    fc.record({ code: fc.jsonValue(), message: fc.jsonValue(), errors: fc.jsonValue() }).map((error) => JSON.stringify({ error })),
    fc.constantFrom("<html>502</html>", "", "   ", "null", "[]", "{\"error\":null}", "{\"errors\":\"a string\"}")
  )

  it("never throws and always yields a printable error", () => {
    fc.assert(
      fc.property(bodies, fc.integer({ min: 400, max: 599 }), (text, status) => {
        const decoded = decodeErrorBody(text)
        assert.isObject(decoded)
        const error = ApiClient.responseError({
          method: "GET",
          url: "https://api.pagerduty.com/x",
          status,
          headers: {},
          text,
          requestId: undefined,
          rateLimit: undefined,
          attempts: 1
        })
        assert.isString(error.message)
        assert.include(error.message, `GET https://api.pagerduty.com/x: ${status}`)
        assert.notInclude(error.message, "\n")
        if (decoded.errors !== undefined) for (const e of decoded.errors) assert.isString(e)
      }),
      { numRuns: 2000 }
    )
  })
})
