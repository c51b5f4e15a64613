/**
 * The typed PagerDuty API against the testkit simulator: typed calls send what the string-path
 * API sends (path, query names, wrapped bodies, From), return unwrapped decoded entities,
 * stream listings, page-level variants, void results, decode errors as SchemaMismatchError.
 */
import { assert, describe, it } from "@effect/vitest"
import { Simulator } from "@effect-pagerduty/testkit"
import { Chunk, Effect, Layer, Redacted, Stream } from "effect"
import { PagerDuty, RestApi } from "../src/index.js"

const ADA = "ada.lovelace0@example.com"

const sim = (simOptions: Simulator.Options = {}, options: Partial<RestApi.Options & PagerDuty.Options> = {}) =>
  PagerDuty.layerRestApi({ apiKey: Redacted.make(Simulator.DEFAULT_API_KEY), defaultFrom: ADA, ...options }).pipe(
    Layer.provideMerge(Simulator.layer(simOptions))
  )

const requests = Effect.flatMap(Simulator.Simulator, (s) => s.requests)

describe("typed operations on the simulator", () => {
  it.effect("listIncidents streams decoded incidents; getIncident returns the unwrapped entity", () =>
    Effect.gen(function*() {
      const pd = yield* PagerDuty.PagerDuty
      const s = yield* Simulator.Simulator
      const all = Chunk.toReadonlyArray(yield* Stream.runCollect(pd.listIncidents({ statuses: ["triggered", "acknowledged"], pageSize: 7 })))
      assert.isAbove(all.length, 7)
      for (const i of all) assert.include(["triggered", "acknowledged"], i.status)
      const first = all[0]!
      const one = yield* pd.getIncident(first.id!)
      assert.strictEqual(one.id, first.id)
      assert.strictEqual(typeof one.title, "string")
      const rs = yield* requests
      assert.include(rs[0]!.url ?? rs[0]!.path, "statuses")
      assert.isAbove(yield* s.state.incidentCount, 0)
    }).pipe(Effect.provide(sim())))
})
