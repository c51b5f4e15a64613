import { assert, describe, it } from "@effect/vitest"
import { Simulator } from "@effect-pagerduty/testkit"
import { Chunk, Effect, Redacted, Stream } from "effect"
import { Scim } from "../src/index.js"
import * as Mock from "./utils/mock.js"

type User = { id: string; userName: string; displayName: string }

describe("Scim", () => {
  it.effect("listUsers: startIndex/count pages until totalResults, filter sent as given (Python's algorithm)", () =>
    Effect.gen(function*() {
      const scim = yield* Scim.make({ auth: Redacted.make("u+SCIM") })
      const users = yield* Stream.runCollect(scim.listUsers({ filter: 'userName sw "a"', count: 2 }))
      assert.deepStrictEqual(Chunk.toArray(users), [1, 2, 3, 4, 5].map((i) => ({ id: `U${i}` })))
      const urls = (yield* Mock.recorded).map((r) => new URL(r.url))
      assert.strictEqual(urls[0]!.origin + urls[0]!.pathname, "https://api.pagerduty.com/scim/v2/Users")
      assert.deepStrictEqual(urls.map((u) => [u.searchParams.get("startIndex"), u.searchParams.get("count"), u.searchParams.get("filter")]), [
        ["1", "2", 'userName sw "a"'],
        ["3", "2", 'userName sw "a"'],
        ["5", "2", 'userName sw "a"']
      ])
      const bad = yield* Effect.flip(Stream.runCollect(scim.listUsers({ count: 0 })))
      assert.isTrue(bad._tag === "UrlError" && bad.reason === "Malformed")
      assert.strictEqual((yield* Mock.recorded).length, 3)
    }).pipe(
      Effect.provide(Mock.layer((req) => {
        const start = Number(new URL(req.url).searchParams.get("startIndex"))
        const all = [1, 2, 3, 4, 5].map((i) => ({ id: `U${i}` }))
        const page = all.slice(start - 1, start + 1)
        return Mock.json({ totalResults: 5, startIndex: start, itemsPerPage: page.length, Resources: page })
      }))
    ))

  it.effect("against the simulator: filter, pagination, CRUD and PATCH", () =>
    Effect.gen(function*() {
      const scim = yield* Scim.make({ auth: Redacted.make(Simulator.DEFAULT_API_KEY) })
      const all = Chunk.toArray(yield* Stream.runCollect(scim.listUsers({ count: 3 }))) as Array<User>
      assert.strictEqual(all.length, 8)
      const sim = yield* Simulator.Simulator
      assert.strictEqual((yield* sim.countsByEndpoint)["GET /scim/v2/Users"], 3)
      const target = all[5]!
      const found = Chunk.toArray(yield* Stream.runCollect(scim.listUsers({ filter: `userName eq "${target.userName}"` }))) as Array<User>
      assert.deepStrictEqual(found.map((u) => u.id), [target.id])
      const created = (yield* scim.createUser({ userName: "new.user@example.com", displayName: "New User" })) as User
      assert.strictEqual(created.userName, "new.user@example.com")
      const patched = (yield* scim.patchUser(created.id, [{ op: "replace", path: "displayName", value: "Renamed" }])) as User
      assert.strictEqual(patched.displayName, "Renamed")
      const co = Chunk.toArray(yield* Stream.runCollect(scim.listUsers({ filter: 'displayName co "renamed"' }))) as Array<User>
      assert.deepStrictEqual(co.map((u) => u.id), [created.id])
      yield* scim.deleteUser(created.id)
      const gone = yield* Effect.flip(scim.getUser(created.id))
      assert.isTrue(gone._tag === "HttpError" && gone.status === 404)
      const invalid = yield* Effect.flip(Stream.runCollect(scim.listUsers({ filter: "userName zz" })))
      assert.isTrue(invalid._tag === "HttpError" && invalid.status === 400)
      const config = (yield* scim.serviceProviderConfig) as { patch: { supported: boolean } }
      assert.isTrue(config.patch.supported)
    }).pipe(Effect.provide(Simulator.layer({ users: 8 }))))
})
