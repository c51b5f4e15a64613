/**
 * Webhooks v3: a receiver on 127.0.0.1 (port 0) that subscribes to the PagerDuty simulator
 * and prints each incident transition as PagerDuty pushes it, while the example triggers,
 * acknowledges and resolves an incident through the REST API. Then it unsubscribes and exits.
 *
 *   pnpm exec tsc -b && node examples/dist/src/webhook-receiver.js
 *
 * It serves the simulator on 127.0.0.1 (no account, no network). Against a real account the
 * receiver must be reachable from PagerDuty (https, a public host): see docs/guide/webhooks.md.
 * `program` is exported so examples/test/webhook-receiver.test.ts checks what it prints.
 */
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { PagerDuty, RestApi, Webhooks } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import { Console, Effect, Layer, Queue, Redacted, Ref } from "effect"
import * as http from "node:http"
import { pathToFileURL } from "node:url"

/** One line per event, as the receiver prints it. */
const describe = (event: Webhooks.WebhookEvent): string => {
  const by = event.agent?.summary ?? "PagerDuty"
  switch (event._tag) {
    case "incident.triggered":
    case "incident.acknowledged":
    case "incident.resolved":
      return `${event.event_type}: #${event.data.number} "${event.data.title}" is ${event.data.status} (by ${by})`
    case "incident.annotated":
      return `${event.event_type}: note on ${event.data.incident.id}: ${event.data.content}`
    case "UnknownEvent":
      return `unknown event type ${event.event_type}`
    default:
      return event.event_type
  }
}

/**
 * Needs the REST client (for the subscription and the incident) and an `HttpServer` (the
 * receiver), in a scope that ends the server.
 */
export const program = Effect.gen(function*() {
  const pd = yield* RestApi.RestApiService
  const lines: Array<string> = []
  const say = (line: string) => Effect.zipRight(Effect.sync(() => lines.push(line)), Console.log(line))

  // 1. The receiver. Its secret exists only once the subscription does, so the handler reads
  //    it from a Ref on each request. Webhooks.handler verifies the signature on the raw
  //    body, decodes the event and answers 202 (401/400 otherwise).
  const secret = yield* Ref.make<ReadonlyArray<Redacted.Redacted<string>>>([])
  const seen = yield* Queue.unbounded<Webhooks.WebhookEvent>()
  const processed = new Set<string>()
  const receiver = Webhooks.handler(Ref.get(secret), (event) =>
    // PagerDuty delivers at least once: skip an event id already handled.
    processed.has(event.id) ? Effect.void : Effect.zipRight(Effect.sync(() => processed.add(event.id)), Queue.offer(seen, event)))
  yield* HttpServer.serveEffect(receiver)
  const address = (yield* HttpServer.HttpServer).address as HttpServer.TcpAddress
  const url = `http://${address.hostname}:${address.port}/pagerduty`
  yield* say(`receiver listening on ${url}`)

  // 2. Subscribe: the response carries the signing secret, once.
  const created = yield* Webhooks.createSubscription({
    url,
    events: ["incident.triggered", "incident.acknowledged", "incident.annotated", "incident.resolved"],
    description: "webhook-receiver example"
  })
  yield* Ref.set(secret, [created.secret])
  yield* say(`subscribed ${created.subscription.id} (secret received, not printed)`)

  // 3. Change an incident and print each transition as its webhook arrives.
  const next = Effect.flatMap(Queue.take(seen), (event) => say(`  <- ${describe(event)}`))
  const incident = yield* PagerDuty.createIncident({
    body: { type: "incident", title: "Checkout is down", service: { id: "PV00000", type: "service_reference" } }
  })
  yield* say(`-> triggered ${incident.id}`)
  yield* next
  yield* pd.rput(`/incidents/${incident.id}`, { json: { type: "incident", status: "acknowledged" } })
  yield* say(`-> acknowledged ${incident.id}`)
  yield* next
  yield* pd.rpost(`/incidents/${incident.id}/notes`, { json: { content: "Rolled back the deploy" } })
  yield* say(`-> noted ${incident.id}`)
  yield* next
  yield* pd.rput(`/incidents/${incident.id}`, { json: { type: "incident", status: "resolved" } })
  yield* say(`-> resolved ${incident.id}`)
  yield* next

  // 4. Unsubscribe.
  yield* Webhooks.deleteSubscription(created.subscription.id)
  yield* say(`unsubscribed ${created.subscription.id}`)
  return lines
})

/** The receiver's server: 127.0.0.1, a free port, closed with the scope. */
export const ReceiverLive = NodeHttpServer.layer(() => http.createServer(), { port: 0, host: "127.0.0.1" })

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  Effect.scoped(
    Effect.gen(function*() {
      const served = yield* Simulator.serve({ incidents: 0 })
      yield* Console.log(`PagerDuty simulator at ${served.url}`)
      const Live = RestApi.layer({ apiKey: Redacted.make(Simulator.DEFAULT_API_KEY), baseUrl: served.url, defaultFrom: "ada.lovelace0@example.com" }).pipe(
        Layer.provide(NodeHttpClient.layerUndici),
        Layer.merge(ReceiverLive)
      )
      return yield* Effect.provide(program, Live)
    })
  ).pipe(Effect.runPromise).then(
    () => process.exit(0),
    (e) => {
      console.error(String(e))
      process.exit(1)
    }
  )
}
