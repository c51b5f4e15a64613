/**
 * Events API v2: trigger, deduplicate, acknowledge, resolve, change events, a batch, and
 * exactly-once delivery through a dropped connection, against the PagerDuty simulator.
 *
 *   pnpm exec tsc -b && node examples/dist/src/events-v2.js
 *
 * With no arguments it serves the simulator on 127.0.0.1 (no account, no network).
 * `program` is exported so examples/test/events-examples.test.ts checks what it prints.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { EventsApi } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import { Console, Effect, Either, Layer, Redacted } from "effect"
import { pathToFileURL } from "node:url"

/** Needs the Events client and the simulator (to inject a fault and count incidents). */
export const program = Effect.gen(function*() {
  const events = yield* EventsApi.EventsApiService
  const sim = yield* Simulator.Simulator
  const lines: Array<string> = []
  const say = (line: string) => Effect.zipRight(Effect.sync(() => lines.push(line)), Console.log(line))
  // open incidents opened by one dedup key (the simulator may hold other incidents too)
  const openIncidents = (dedupKey: string) =>
    Effect.map(
      sim.state.incidents({ statuses: ["triggered", "acknowledged"] }),
      (is) => is.filter((i) => i.incident_key === dedupKey).length
    )

  // 1. trigger: validated before sending; severity defaults to "critical"
  const disk = yield* events.trigger({
    summary: "Disk 95% full on db-1",
    source: "db-1.example.com",
    severity: "warning",
    dedupKey: "db-1/disk",
    customDetails: { free: "5%" },
    links: [{ href: "https://runbooks.example.com/disk", text: "Runbook" }]
  })
  yield* say(`1. triggered ${disk.dedupKey}: ${disk.status} (${disk.message})`)

  // 2. the same dedup key deduplicates onto the open alert
  yield* events.trigger({ summary: "Disk 96% full on db-1", source: "db-1.example.com", dedupKey: "db-1/disk" })
  yield* say(`2. same key again: ${yield* openIncidents("db-1/disk")} open incident`)

  // 3. acknowledge, resolve
  yield* events.acknowledge(disk.dedupKey)
  yield* events.resolve(disk.dedupKey)
  yield* say(`3. acknowledged and resolved: ${yield* openIncidents("db-1/disk")} open incidents`)

  // 4. a bad event is a typed error and nothing is sent
  const before = (yield* sim.requests).length
  const invalid = yield* Effect.flip(events.trigger({ summary: "", source: "db-1" }))
  const after = (yield* sim.requests).length
  yield* say(`4. ${invalid._tag}: ${invalid.message}; requests sent: ${after - before}`)

  // 5. change events return PagerDuty's answer
  const change = yield* events.submit("Deployed checkout v42", { source: "ci", customDetails: { commit: "abc123" } })
  yield* say(`5. change event: ${change.status} (${change.message})`)

  // 6. a batch: bounded concurrency, one result per input, in order
  const results = yield* events.sendBatch(
    [
      { action: "trigger", summary: "CPU high on web-1", source: "web-1", dedupKey: "web-1/cpu" },
      { action: "trigger", summary: "", source: "web-2" },
      { action: "trigger", summary: "CPU high on web-3", source: "web-3", dedupKey: "web-3/cpu" },
      { action: "resolve", dedupKey: "web-1/cpu" }
    ],
    { concurrency: 2 }
  )
  yield* say(`6. batch: ${results.map((r) => Either.isRight(r) ? `ok ${r.right.dedupKey}` : r.left._tag).join(", ")}`)

  // 7. exactly once: the answer to the first attempt is lost AFTER PagerDuty processed it.
  // The client assigned the dedup key before sending, so the retry deduplicates.
  yield* sim.addFault({ method: "POST", path: "/v2/enqueue", nth: [1], kind: Simulator.Fault.drop({ afterProcessing: true }) })
  yield* sim.reset
  const flaky = yield* events.trigger({ summary: "Payments timing out", source: "payments" })
  const counted = (yield* sim.eventsByDedupKey)[flaky.dedupKey]
  yield* say(`7. dropped response, retried: ${counted} deliveries, ${yield* openIncidents(flaky.dedupKey)} incident, key assigned by the client`)
  return lines
})

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  Effect.scoped(
    Effect.gen(function*() {
      const served = yield* Simulator.serve({ incidents: 0 })
      yield* Console.log(`PagerDuty simulator at ${served.url}`)
      const Live = EventsApi.layer({ routingKey: Redacted.make(Simulator.DEFAULT_ROUTING_KEY), baseUrl: served.url }).pipe(
        Layer.provide(NodeHttpClient.layerUndici),
        Layer.merge(Layer.succeed(Simulator.Simulator, served.simulator))
      )
      return yield* Effect.provide(program, Live)
    })
  ).pipe(Effect.runPromise).catch((e) => {
    console.error(String(e))
    process.exit(1)
  })
}
