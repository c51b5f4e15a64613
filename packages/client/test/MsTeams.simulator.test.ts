/**
 * The MS Teams client end to end against the testkit simulator: incident meetings and
 * dedicated chats with the spec's wrapping (`meeting`, `chat` unwrapped; the chat's GET
 * answer kept whole), bodies sent as given, the API host per region and a base URL override.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import { Simulator } from "@effect-pagerduty/testkit"
import { Effect, Redacted } from "effect"
import { MsTeams } from "../src/index.js"
import { type Captured, everything, observe } from "./utils/observe.js"

const KEY = Redacted.make(Simulator.DEFAULT_API_KEY)
const TENANT = "dd649b90-2b30-45cb-a264-1130134c625e"
const TEAM = "19:sim-team@thread.tacv2"

describe("MsTeams against the simulator", () => {
  it.effect("meeting and dedicated chat: bodies sent as given, meeting/chat unwrapped, GET kept whole, 409 and 404", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const [incident] = yield* sim.state.incidents()
      const teams = yield* MsTeams.make({ auth: KEY })

      const meeting = (yield* teams.createMeeting(incident!.id, { mst_team_id: TEAM, meeting: { name: "War room" } })) as {
        name: string
        url: string
      }
      assert.strictEqual(meeting.name, "War room")
      assert.match(meeting.url, /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//)
      const titled = (yield* teams.createMeeting(incident!.id, { mst_team_id: TEAM })) as { name: string }
      assert.strictEqual(titled.name, incident!.title)

      const chat = (yield* teams.createDedicatedChat(incident!.id, { mst_tenant_id: TENANT, chat: { name: "Incident chat" } })) as {
        name: string
        url: string
      }
      assert.strictEqual(chat.name, "Incident chat")
      assert.deepStrictEqual(yield* teams.getDedicatedChat(incident!.id), { chat, tenant_id: TENANT })
      const conflict = yield* Effect.flip(teams.createDedicatedChat(incident!.id, { mst_tenant_id: TENANT }))
      assert.isTrue(conflict._tag === "HttpError" && conflict.status === 409)
      yield* teams.deleteDedicatedChat(incident!.id)
      const gone = yield* Effect.flip(teams.getDedicatedChat(incident!.id))
      assert.isTrue(gone._tag === "HttpError" && gone.status === 404)

      const requests = (yield* sim.requests).filter((r) => r.path.startsWith("/integration-ms-teams/"))
      assert.strictEqual(requests.length, 7)
      for (const r of requests) {
        assert.strictEqual(new URL(r.url).origin, "https://api.pagerduty.com")
        assert.strictEqual(r.headers["accept"], "application/json")
      }
      assert.deepStrictEqual(JSON.parse(requests[0]!.body), { mst_team_id: TEAM, meeting: { name: "War room" } })
      assert.deepStrictEqual(JSON.parse(requests[2]!.body), { mst_tenant_id: TENANT, chat: { name: "Incident chat" } })
      const counts = yield* sim.countsByEndpoint
      assert.strictEqual(counts["POST /integration-ms-teams/incidents/{incident_id}/meeting"], 2)
      assert.strictEqual(counts["POST /integration-ms-teams/incidents/{incident_id}/dedicated_chat"], 2)
    }).pipe(Effect.provide(Simulator.layer())))

  it.effect("the spec's required fields and unknown incidents are errors from the simulator; EU uses the EU host", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const [incident] = yield* sim.state.incidents()
      const teams = yield* MsTeams.make({ auth: KEY })
      // the types require the ids; an empty one still reaches the server, which refuses it
      const noTeam = yield* Effect.flip(teams.createMeeting(incident!.id, { mst_team_id: "" }))
      assert.isTrue(noTeam._tag === "HttpError" && noTeam.status === 400)
      const noTenant = yield* Effect.flip(teams.createDedicatedChat(incident!.id, { mst_tenant_id: "" }))
      assert.isTrue(noTenant._tag === "HttpError" && noTenant.status === 400)
      const unknown = yield* Effect.flip(teams.createMeeting("QNOSUCH", { mst_team_id: TEAM }))
      assert.isTrue(unknown._tag === "HttpError" && unknown.status === 404)
      const wrongKey = yield* Effect.flip(
        Effect.flatMap(MsTeams.make({ auth: Redacted.make("not-a-key") }), (t) => t.getDedicatedChat(incident!.id))
      )
      assert.isTrue(wrongKey._tag === "HttpError" && wrongKey.status === 401)
      const eu = yield* MsTeams.make({ auth: KEY, region: "eu" })
      yield* eu.createMeeting(incident!.id, { mst_team_id: TEAM })
      const last = (yield* sim.requests).at(-1)!
      assert.strictEqual(last.url, `https://api.eu.pagerduty.com/integration-ms-teams/incidents/${incident!.id}/meeting`)
      assert.strictEqual(last.status, 201)
    }).pipe(Effect.provide(Simulator.layer())))

  it.effect("the API key never reaches a log line, a span or an error", () =>
    Effect.gen(function*() {
      const secret = "u+MSTEAMS_SECRET_KEY_31"
      const captured: Captured = { logs: [], spans: [] }
      const error = yield* observe(
        Effect.flatMap(MsTeams.make({ auth: Redacted.make(secret) }), (t) => Effect.flip(t.createMeeting("Q000001", { mst_team_id: TEAM }))),
        captured
      )
      assert.isTrue(error._tag === "HttpError" && error.status === 401)
      assert.isAbove(captured.spans.length, 0)
      assert.notInclude(`${everything(captured)}\n${error.message}\n${JSON.stringify(error)}`, secret)
    }).pipe(Effect.provide(Simulator.layer({ apiKeys: [Simulator.DEFAULT_API_KEY] }))))

  it.live("a base URL override reaches a real simulator server on 127.0.0.1", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const { simulator, url } = yield* Simulator.serve()
        const [incident] = yield* simulator.state.incidents()
        const teams = yield* MsTeams.make({ auth: KEY, baseUrl: `${url}/integration-ms-teams` })
        const meeting = (yield* teams.createMeeting(incident!.id, { mst_team_id: TEAM })) as { name: string }
        assert.strictEqual(meeting.name, incident!.title)
        assert.deepStrictEqual(yield* simulator.countsByEndpoint, { "POST /integration-ms-teams/incidents/{incident_id}/meeting": 1 })
      })
    ).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
