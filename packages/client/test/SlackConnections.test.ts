import { assert, describe, it } from "@effect/vitest"
import { Simulator } from "@effect-pagerduty/testkit"
import { Chunk, Effect, Redacted, Stream } from "effect"
import { SlackConnections } from "../src/index.js"
import * as Mock from "./utils/mock.js"

const TEAM = "T0SIMSLACK"

describe("SlackConnections", () => {
  it.effect("app host per region, configurable base URL", () =>
    Effect.gen(function*() {
      for (const [options, expected] of [
        [{}, "https://app.pagerduty.com/integration-slack/workspaces/T1/connections/A1"],
        [{ region: "eu" as const }, "https://app.eu.pagerduty.com/integration-slack/workspaces/T1/connections/A1"],
        [{ baseUrl: "http://127.0.0.1:9/s" }, "http://127.0.0.1:9/s/workspaces/T1/connections/A1"]
      ] as const) {
        const slack = yield* SlackConnections.make({ auth: Redacted.make("u+K"), ...options })
        yield* slack.getConnection("T1", "A1")
        const recorded = yield* Mock.recorded
        assert.strictEqual(recorded[recorded.length - 1]!.url, expected)
      }
    }).pipe(Effect.provide(Mock.layer(() => Mock.json({ slack_connection: { id: "A1" } })))))

  it.effect("against the simulator: connections per workspace, paginated, with slack_connection wrapping", () =>
    Effect.gen(function*() {
      const slack = yield* SlackConnections.make({ auth: Redacted.make(Simulator.DEFAULT_API_KEY) })
      const listed = yield* Stream.runCollect(slack.listConnections(TEAM, { pageSize: 2 }))
      assert.strictEqual(listed.length, 3)
      const created = (yield* slack.createConnection(TEAM, { source_id: "PSVC1", source_type: "service_reference", channel_id: "C9" })) as {
        id: string
        channel_id: string
      }
      assert.strictEqual(created.channel_id, "C9")
      const updated = (yield* slack.updateConnection(TEAM, created.id, { channel_name: "renamed" })) as { channel_name: string }
      assert.strictEqual(updated.channel_name, "renamed")
      yield* slack.deleteConnection(TEAM, created.id)
      const after = yield* Stream.runCollect(slack.listConnections(TEAM))
      assert.deepStrictEqual(Chunk.toArray(after).map((c) => (c as { id: string }).id), Chunk.toArray(listed).map((c) => (c as { id: string }).id))
      const other = yield* Stream.runCollect(slack.listConnections("T0OTHER"))
      assert.strictEqual(other.length, 0)
      const sim = yield* Simulator.Simulator
      const counts = yield* sim.countsByEndpoint
      assert.strictEqual(counts["GET /integration-slack/workspaces/{slack_team_id}/connections"], 4)
      assert.strictEqual(counts["POST /integration-slack/workspaces/{slack_team_id}/connections"], 1)
    }).pipe(Effect.provide(Simulator.layer())))
})
