import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { Auth, Slack } from "../src/index.js"
import * as Mock from "./utils/mock.js"

describe("Slack", () => {
  it.effect("the two canonical paths work (python-pagerduty fuses them), with the spec's wrappers", () =>
    Effect.gen(function*() {
      const slack = yield* Slack.make({ auth: Redacted.make("u+SLACK") })
      assert.deepStrictEqual(yield* slack.getDedicatedChannel("PINC1"), { id: "C1" })
      assert.deepStrictEqual(yield* slack.createDedicatedChannel("PINC1", { name: "inc-1" }), { id: "C1" })
      assert.deepStrictEqual(yield* slack.listNotificationChannels("PINC1"), [{ id: "C2" }])
      yield* slack.replaceNotificationChannels("PINC1", [{ id: "C2" }])
      yield* slack.removeNotificationChannel("PINC1", "C2")
      const reqs = yield* Mock.recorded
      assert.deepStrictEqual(reqs.map((r) => `${r.method} ${r.url.replace("https://api.pagerduty.com/integration-slack", "")}`), [
        "GET /incidents/PINC1/dedicated_channel",
        "POST /incidents/PINC1/dedicated_channel",
        "GET /incidents/PINC1/notification_channels",
        "PUT /incidents/PINC1/notification_channels",
        "DELETE /incidents/PINC1/notification_channels/C2"
      ])
      assert.strictEqual(reqs[1]!.body, JSON.stringify({ channel: { name: "inc-1" } }))
      assert.strictEqual(reqs[3]!.body, JSON.stringify({ channels: [{ id: "C2" }] }))
      assert.strictEqual(slack.wrapping.canonicalPath("/incidents/PINC1/dedicated_channel")._tag, "Right")
    }).pipe(
      Effect.provide(Mock.layer((req) =>
        req.url.endsWith("dedicated_channel")
          ? Mock.json({ channel: { id: "C1" } })
          : req.method === "DELETE"
          ? Mock.json(null, 204)
          : Mock.json({ channels: [{ id: "C2" }] })
      ))
    ))

  it.effect("the base URL is configurable (python-pagerduty's is not); bearer auth through any Auth", () =>
    Effect.gen(function*() {
      const slack = yield* Slack.make({ auth: Auth.bearer(Redacted.make("oauth-token")), baseUrl: "http://127.0.0.1:9/slack" })
      yield* slack.getDedicatedChannel("PINC1")
      const [req] = yield* Mock.recorded
      assert.strictEqual(req!.url, "http://127.0.0.1:9/slack/incidents/PINC1/dedicated_channel")
      assert.strictEqual(req!.headers["authorization"], "Bearer oauth-token")
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({ channel: { id: "C1" } })))))

  it.effect("a response missing its wrapper is a ServerHttpError", () =>
    Effect.gen(function*() {
      const slack = yield* Slack.make({ auth: Redacted.make("u+SLACK") })
      const error = yield* Effect.flip(slack.getDedicatedChannel("PINC1"))
      assert.isTrue(error._tag === "ServerHttpError" && error.reason === "MissingWrapper")
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({ chan: {} })))))
})
