/**
 * One client program, two transports: `Simulator.layer` (in memory, no sockets) and
 * `Simulator.serve` (a real server on 127.0.0.1, port 0) with the Node HTTP client (undici).
 * The program lists every triggered incident with `RestApi.listAll` (several pages), creates an
 * incident, reads it back, acknowledges it with a multi-update, and counts what is open. Both
 * runs must give the same result.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import { Simulator } from "@effect-pagerduty/testkit"
import { Effect, Layer, Redacted } from "effect"
import { RestApi } from "../src/index.js"

// A fixed start, so both simulators (the layer on its clock, the server on the wall clock)
// seed the same incidents at the same times.
const options: Simulator.Options = { seed: 7, incidents: 540, now: "2026-03-01T00:00:00Z" }

const program = Effect.gen(function*() {
  const pd = yield* RestApi.RestApiService
  const triggered = (yield* pd.listAll("/incidents", { params: { statuses: ["triggered"] }, pageSize: 25 })) as ReadonlyArray<
    { readonly id: string; readonly title: string; readonly service: { readonly id: string } }
  >
  const created = (yield* pd.rpost("/incidents", {
    json: { type: "incident", title: "Checkout latency", urgency: "low", service: { id: triggered[0]!.service.id, type: "service_reference" } }
  })) as { readonly id: string; readonly self: string }
  const readBack = (yield* pd.rget(`/incidents/${created.id}`)) as Record<string, unknown>
  const [acknowledged] = (yield* pd.updateIncidents([{ id: created.id, status: "acknowledged" }])) as ReadonlyArray<{ readonly status: string }>
  const open = yield* pd.getTotal("/incidents", { params: { statuses: ["triggered", "acknowledged"] } })
  return {
    triggered: triggered.map((i) => [i.id, i.title]),
    created: { id: created.id, path: new URL(created.self).pathname },
    readBack: [readBack["id"], readBack["title"], readBack["status"], readBack["urgency"], readBack["incident_number"]],
    acknowledged: acknowledged?.status,
    open
  }
})

const client = (baseUrl?: string) =>
  RestApi.layer({
    apiKey: Redacted.make(Simulator.DEFAULT_API_KEY),
    defaultFrom: "ada.lovelace0@example.com",
    ...(baseUrl === undefined ? {} : { baseUrl })
  })

describe("the same program on Simulator.layer and on Simulator.serve + NodeHttpClient", () => {
  it.live("gives the same result over both transports", () =>
    Effect.gen(function*() {
      const inMemory = yield* program.pipe(Effect.provide(client().pipe(Layer.provide(Simulator.layer(options)))))
      const { overHttp, requests } = yield* Effect.scoped(
        Effect.gen(function*() {
          const served = yield* Simulator.serve(options)
          assert.match(served.url, /^http:\/\/127\.0\.0\.1:\d+$/)
          const overHttp = yield* program.pipe(Effect.provide(client(served.url).pipe(Layer.provide(NodeHttpClient.layerUndici))))
          return { overHttp, requests: yield* served.simulator.requests }
        })
      )
      assert.deepStrictEqual(overHttp, inMemory)
      // the program did real work: several pages of triggered incidents, then the writes
      assert.isAbove(inMemory.triggered.length, 25)
      assert.strictEqual(inMemory.acknowledged, "acknowledged")
      assert.strictEqual(inMemory.readBack[1], "Checkout latency")
      // and it went over the socket: every page and write is in the server's recording
      const pages = Math.ceil(inMemory.triggered.length / 25) + (inMemory.triggered.length % 25 === 0 ? 1 : 0)
      assert.deepStrictEqual(requests.map((r) => r.endpoint), [
        ...Array.from({ length: pages }, () => "GET /incidents"),
        "POST /incidents",
        "GET /incidents/{id}",
        "PUT /incidents",
        "GET /incidents"
      ])
    }))
})
