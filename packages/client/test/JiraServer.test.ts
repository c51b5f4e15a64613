import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted, Stream } from "effect"
import { JiraServer } from "../src/index.js"
import * as Mock from "./utils/mock.js"
import { type Captured, everything, observe } from "./utils/observe.js"

const TOKEN = "pdus+JIRA_ACCESS_TOKEN"
const SIGNATURE = "JIRA_SIGNATURE_SECRET_42"

const options = { auth: Redacted.make(TOKEN), jiraSignatureToken: Redacted.make(SIGNATURE) }

describe("JiraServer", () => {
  it.effect("app host, Bearer auth, the signature header, rule wrapping", () =>
    Effect.gen(function*() {
      const jira = yield* JiraServer.make(options)
      const created = yield* jira.createRule({ name: "Sync" })
      assert.deepStrictEqual(created, { id: "PR1", name: "Sync" })
      const [req] = yield* Mock.recorded
      assert.strictEqual(req!.url, "https://app.pagerduty.com/integration-jira-service/rules")
      assert.strictEqual(req!.headers["authorization"], `Bearer ${TOKEN}`)
      assert.strictEqual(req!.headers["x-pagerduty-jira-signature"], SIGNATURE)
      assert.strictEqual(req!.body, JSON.stringify({ rule: { name: "Sync" } }))
      const eu = yield* JiraServer.make({ ...options, region: "eu" })
      yield* eu.getRule("PR1")
      assert.strictEqual((yield* Mock.recorded)[1]!.url, "https://app.eu.pagerduty.com/integration-jira-service/rules/PR1")
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({ rule: { id: "PR1", name: "Sync" } })))))

  it.effect("lists every page of rules", () =>
    Effect.gen(function*() {
      const jira = yield* JiraServer.make(options)
      const rules = yield* Stream.runCollect(jira.listRules({ pageSize: 2 }))
      assert.strictEqual(rules.length, 3)
      const urls = (yield* Mock.recorded).map((r) => new URL(r.url).search)
      assert.deepStrictEqual(urls, ["?limit=2&offset=0", "?limit=2&offset=2"])
    }).pipe(
      Effect.provide(Mock.layer((req) => {
        const offset = Number(new URL(req.url).searchParams.get("offset"))
        return offset === 0
          ? Mock.json({ rules: [{ id: "1" }, { id: "2" }], limit: 2, offset: 0, more: true })
          : Mock.json({ rules: [{ id: "3" }], limit: 2, offset: 2, more: false })
      }))
    ))

  it.effect("neither the token nor the signature reaches a log, a span or an error", () =>
    Effect.gen(function*() {
      const captured: Captured = { logs: [], spans: [] }
      const error = yield* observe(
        Effect.flatMap(JiraServer.make(options), (jira) => Effect.flip(jira.getRule("PR1"))),
        captured
      )
      const text = `${everything(captured)}\n${error.message}\n${JSON.stringify(error)}`
      assert.isAbove(captured.spans.length, 0)
      assert.notInclude(text, TOKEN)
      assert.notInclude(text, SIGNATURE)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({ error: { message: "Forbidden", code: 2010 } }, 403)))))
})
