/**
 * The Slack client end to end against the testkit simulator: an incident's dedicated channel
 * and notification channels on the two canonical paths (python-pagerduty fuses them), the
 * spec's `channel`/`channels` wrapping, Token and Bearer (TokenSource) auth, the API host per
 * region and a base URL override.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import { Simulator } from "@effect-pagerduty/testkit"
import { Effect, Layer, Redacted } from "effect"
import { OAuth, Slack } from "../src/index.js"
import { type Captured, everything, observe } from "./utils/observe.js"

const KEY = Redacted.make(Simulator.DEFAULT_API_KEY)

interface Channel {
  readonly id: string
  readonly name: string
  readonly slack_team_id: string
  readonly link: string
  readonly deep_link: string
}

describe("Slack against the simulator", () => {
  it.effect("dedicated channel: wrapped in `channel` both ways, 422 when it exists, 404 after delete", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const [incident] = yield* sim.state.incidents()
      const slack = yield* Slack.make({ auth: KEY })
      const created = (yield* slack.createDedicatedChannel(incident!.id, { name: "inc-war-room", privacy: "private", slack_team_id: "T0SIMSLACK" })) as Channel
      assert.strictEqual(created.name, "inc-war-room")
      assert.strictEqual(created.slack_team_id, "T0SIMSLACK")
      assert.strictEqual(created.deep_link, `slack://channel?team=T0SIMSLACK&id=${created.id}`)
      assert.deepStrictEqual(yield* slack.getDedicatedChannel(incident!.id), created)
      const again = yield* Effect.flip(slack.createDedicatedChannel(incident!.id, { name: "x" }))
      assert.isTrue(again._tag === "HttpError" && again.status === 422)
      yield* slack.deleteDedicatedChannel(incident!.id)
      const gone = yield* Effect.flip(slack.getDedicatedChannel(incident!.id))
      assert.isTrue(gone._tag === "HttpError" && gone.status === 404)

      const requests = (yield* sim.requests).filter((r) => r.path.startsWith("/integration-slack/"))
      assert.deepStrictEqual(JSON.parse(requests[0]!.body), { channel: { name: "inc-war-room", privacy: "private", slack_team_id: "T0SIMSLACK" } })
      for (const r of requests) {
        assert.strictEqual(new URL(r.url).origin, "https://api.pagerduty.com")
        assert.strictEqual(r.headers["accept"], "application/json")
      }
      const counts = yield* sim.countsByEndpoint
      assert.strictEqual(counts["GET /integration-slack/incidents/{incident_id}/dedicated_channel"], 2)
      assert.strictEqual(counts["DELETE /integration-slack/incidents/{incident_id}/dedicated_channel"], 1)
    }).pipe(Effect.provide(Simulator.layer())))

  it.effect("notification channels: add (`channel`), list (`channels`), replace (`channels` both ways), remove", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const [, incident] = yield* sim.state.incidents()
      const slack = yield* Slack.make({ auth: KEY })
      assert.deepStrictEqual(yield* slack.listNotificationChannels(incident!.id), [])
      const added = (yield* slack.addNotificationChannel(incident!.id, { id: "C0A", slack_team_id: "T0SIMSLACK" })) as Channel
      assert.strictEqual(added.id, "C0A")
      const replaced = (yield* slack.replaceNotificationChannels(incident!.id, [
        { id: "C0B", slack_team_id: "T0SIMSLACK" },
        { id: "C0C", slack_team_id: "T0OTHER" }
      ])) as ReadonlyArray<Channel>
      assert.deepStrictEqual(replaced.map((c) => `${c.slack_team_id}/${c.id}`), ["T0SIMSLACK/C0B", "T0OTHER/C0C"])
      yield* slack.removeNotificationChannel(incident!.id, "C0B")
      const listed = (yield* slack.listNotificationChannels(incident!.id)) as ReadonlyArray<Channel>
      assert.deepStrictEqual(listed.map((c) => c.id), ["C0C"])
      const missing = yield* Effect.flip(slack.removeNotificationChannel(incident!.id, "C0B"))
      assert.isTrue(missing._tag === "HttpError" && missing.status === 404)
      const unknown = yield* Effect.flip(slack.listNotificationChannels("QNOSUCH"))
      assert.isTrue(unknown._tag === "HttpError" && unknown.status === 404)

      const writes = (yield* sim.requests).filter((r) => r.method === "POST" || r.method === "PUT")
      assert.deepStrictEqual(writes.map((r) => JSON.parse(r.body)), [
        { channel: { id: "C0A", slack_team_id: "T0SIMSLACK" } },
        { channels: [{ id: "C0B", slack_team_id: "T0SIMSLACK" }, { id: "C0C", slack_team_id: "T0OTHER" }] }
      ])
      const counts = yield* sim.countsByEndpoint
      assert.strictEqual(counts["DELETE /integration-slack/incidents/{incident_id}/notification_channels/{channel_id}"], 2)
    }).pipe(Effect.provide(Simulator.layer())))

  it.effect("a TokenSource's auth (Bearer, scoped app token), the EU host, and no secret in logs, spans or errors", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const [incident] = yield* sim.state.incidents()
      const source = yield* OAuth.TokenSourceService
      const captured: Captured = { logs: [], spans: [] }
      const error = yield* observe(
        Effect.gen(function*() {
          const slack = yield* Slack.make({ auth: source.auth, region: "eu" })
          yield* slack.addNotificationChannel(incident!.id, { id: "C0EU" })
          return yield* Effect.flip(slack.getDedicatedChannel(incident!.id))
        }),
        captured
      )
      assert.isTrue(error._tag === "HttpError" && error.status === 404)
      const token = Redacted.value(yield* source.get)
      const slackRequests = (yield* sim.requests).filter((r) => r.path.startsWith("/integration-slack/"))
      assert.deepStrictEqual(slackRequests.map((r) => [new URL(r.url).origin, r.status]), [
        ["https://api.eu.pagerduty.com", 201],
        ["https://api.eu.pagerduty.com", 404]
      ])
      assert.strictEqual((yield* sim.countsByEndpoint)["POST /oauth/token"], 1)
      const text = `${everything(captured)}\n${error.message}\n${JSON.stringify(error)}`
      assert.isAbove(captured.spans.length, 0)
      assert.notInclude(text, token)
      assert.notInclude(text, Simulator.DEFAULT_OAUTH_CLIENT.clientSecret)
    }).pipe(
      Effect.provide(
        OAuth.tokenSourceLayer({ grant: OAuth.appGrant("read write") }).pipe(
          Layer.provide(OAuth.layer({ clientId: Simulator.DEFAULT_OAUTH_CLIENT.clientId, clientSecret: Redacted.make(Simulator.DEFAULT_OAUTH_CLIENT.clientSecret) })),
          Layer.provideMerge(Simulator.layer())
        )
      )
    ))

  it.live("a base URL override reaches a real simulator server on 127.0.0.1", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const { simulator, url } = yield* Simulator.serve()
        const [incident] = yield* simulator.state.incidents()
        const slack = yield* Slack.make({ auth: KEY, baseUrl: `${url}/integration-slack` })
        const created = (yield* slack.createDedicatedChannel(incident!.id, { name: "over-http" })) as Channel
        assert.strictEqual(created.name, "over-http")
        assert.deepStrictEqual(yield* slack.getDedicatedChannel(incident!.id), created)
        assert.strictEqual((yield* simulator.countsByEndpoint)["GET /integration-slack/incidents/{incident_id}/dedicated_channel"], 1)
      })
    ).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
