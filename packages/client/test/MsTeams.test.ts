import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { MsTeams } from "../src/index.js"
import * as Mock from "./utils/mock.js"

describe("MsTeams", () => {
  it.effect("meeting and dedicated chat: base URL, Token auth, response wrappers from the spec", () =>
    Effect.gen(function*() {
      const teams = yield* MsTeams.make({ auth: Redacted.make("u+TEAMS") })
      const meeting = yield* teams.createMeeting("PINC1", { mst_team_id: "T1" })
      assert.deepStrictEqual(meeting, { url: "https://teams.example/m" })
      const chat = yield* teams.createDedicatedChat("PINC1", { mst_tenant_id: "TEN1" })
      assert.deepStrictEqual(chat, { id: "C1" })
      yield* teams.deleteDedicatedChat("PINC1")
      const reqs = yield* Mock.recorded
      assert.deepStrictEqual(reqs.map((r) => `${r.method} ${r.url}`), [
        "POST https://api.pagerduty.com/integration-ms-teams/incidents/PINC1/meeting",
        "POST https://api.pagerduty.com/integration-ms-teams/incidents/PINC1/dedicated_chat",
        "DELETE https://api.pagerduty.com/integration-ms-teams/incidents/PINC1/dedicated_chat"
      ])
      assert.strictEqual(reqs[0]!.headers["authorization"], "Token token=u+TEAMS")
      const patch = yield* Effect.flip(teams.request({ method: "PATCH", url: "/incidents/PINC1/meeting" }))
      assert.isTrue(patch._tag === "UrlError" && patch.reason === "MethodNotPermitted")
      assert.strictEqual((yield* Mock.recorded).length, 3)
    }).pipe(
      Effect.provide(Mock.layer((req) =>
        req.url.endsWith("/meeting")
          ? Mock.json({ meeting: { url: "https://teams.example/m" } })
          : req.method === "DELETE"
          ? Mock.json(null, 204)
          : Mock.json({ chat: { id: "C1" } })
      ))
    ))
})
