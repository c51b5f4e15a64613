import { assert, describe, it } from "@effect/vitest"
import { Simulator } from "@effect-pagerduty/testkit"
import { Chunk, Effect, Redacted, Stream } from "effect"
import { JiraCloud } from "../src/index.js"
import * as Mock from "./utils/mock.js"

const KEY = "u+JIRA_SECRET_KEY_123"

describe("JiraCloud", () => {
  it.effect("base URL, headers, Token auth; EU and an overridden base URL", () =>
    Effect.gen(function*() {
      const us = yield* JiraCloud.make({ auth: Redacted.make(KEY) })
      yield* us.getAccountsMapping("PIJ90N7")
      const eu = yield* JiraCloud.make({ auth: Redacted.make(KEY), region: "eu" })
      yield* eu.getAccountsMapping("PIJ90N7")
      const local = yield* JiraCloud.make({ auth: Redacted.make(KEY), baseUrl: "http://127.0.0.1:9/jira" })
      yield* local.getAccountsMapping("P 1/2")
      const [a, b, c] = yield* Mock.recorded
      assert.strictEqual(a!.url, "https://api.pagerduty.com/integration-jira-cloud/accounts_mappings/PIJ90N7")
      assert.strictEqual(a!.headers["authorization"], `Token token=${KEY}`)
      assert.strictEqual(a!.headers["accept"], "application/json")
      assert.strictEqual(b!.url, "https://api.eu.pagerduty.com/integration-jira-cloud/accounts_mappings/PIJ90N7")
      assert.strictEqual(c!.url, "http://127.0.0.1:9/jira/accounts_mappings/P%201%2F2")
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({ id: "PIJ90N7" })))))

  it.effect("wrapping per the spec: rules are sent and returned bare; bad paths, methods and ids are UrlErrors before sending", () =>
    Effect.gen(function*() {
      const jira = yield* JiraCloud.make({ auth: Redacted.make(KEY) })
      const created = yield* jira.createRule("PJMAP01", { name: "Sync" })
      assert.deepStrictEqual(created, { id: "R1", name: "Sync" })
      const [post] = yield* Mock.recorded
      assert.strictEqual(post!.body, JSON.stringify({ name: "Sync" }))
      const errors = [
        yield* Effect.flip(jira.rget("/accounts_mappings/P1/unknown")),
        yield* Effect.flip(jira.rpost("/accounts_mappings", {})),
        yield* Effect.flip(jira.getRule("", "R1")),
        yield* Effect.flip(jira.rget("https://api.pagerduty.com.evil.com/integration-jira-cloud/accounts_mappings"))
      ]
      assert.deepStrictEqual(errors.map((e) => e._tag === "UrlError" ? e.reason : e._tag), ["UnknownPath", "MethodNotPermitted", "Malformed", "ForeignOrigin"])
      assert.strictEqual((yield* Mock.recorded).length, 1)
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({ id: "R1", name: "Sync" })))))

  it.effect("against the simulator: mappings, rules CRUD and classic pagination", () =>
    Effect.gen(function*() {
      const jira = yield* JiraCloud.make({ auth: Redacted.make(Simulator.DEFAULT_API_KEY) })
      const mappings = yield* Stream.runCollect(jira.listAccountsMappings())
      assert.deepStrictEqual(Chunk.toArray(mappings).map((m) => (m as { id: string }).id), ["PJMAP01", "PJMAP02"])
      const rules = yield* Stream.runCollect(jira.listRules("PJMAP01", { pageSize: 2 }))
      assert.strictEqual(rules.length, 5)
      const sim = yield* Simulator.Simulator
      assert.strictEqual((yield* sim.countsByEndpoint)["GET /integration-jira-cloud/accounts_mappings/{id}/rules"], 3)
      const rule = (yield* jira.createRule("PJMAP01", { name: "New rule" })) as { id: string; name: string }
      assert.strictEqual(rule.name, "New rule")
      const updated = (yield* jira.updateRule("PJMAP01", rule.id, { name: "Renamed" })) as { name: string }
      assert.strictEqual(updated.name, "Renamed")
      assert.strictEqual(((yield* jira.getRule("PJMAP01", rule.id)) as { name: string }).name, "Renamed")
      yield* jira.deleteRule("PJMAP01", rule.id)
      const gone = yield* Effect.flip(jira.getRule("PJMAP01", rule.id))
      assert.isTrue(gone._tag === "HttpError" && gone.status === 404)
      const mapping = (yield* jira.getAccountsMapping("PJMAP02")) as { id: string }
      assert.strictEqual(mapping.id, "PJMAP02")
    }).pipe(Effect.provide(Simulator.layer())))
})
