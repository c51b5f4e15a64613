/**
 * Reassignment through REST: `PUT /incidents/{id}` (and the multi-update `PUT /incidents`) with
 * `assignments` or `escalation_policy` changes the incident's assignees, and the change is
 * delivered as one signed `incident.reassigned` per subscription; unknown users or policies are
 * a 400 with PagerDuty's error body that changes nothing and sends nothing. Signatures are
 * checked with node:crypto.
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Queue } from "effect"
import { createHmac } from "node:crypto"
import { Simulator } from "../src/index.js"
import { AUTH, FROM, getJson, sendJson } from "./helpers.js"

interface Received {
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly event: { readonly event_type: string; readonly data: any }
}

const receiver = (queue: Queue.Queue<Received>) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const body = yield* request.text
    yield* Queue.offer(queue, { headers: request.headers, body, event: JSON.parse(body).event })
    return HttpServerResponse.empty({ status: 202 })
  }).pipe(Effect.orDie)

const hmac = (secret: string, body: string) => `v1=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`

const assign = (...ids: ReadonlyArray<string>) => ids.map((id) => ({ assignee: { id, type: "user_reference" } }))

const put = (path: string, body: unknown) => sendJson("PUT", path, body, { ...AUTH, ...FROM })

describe("reassignment through REST", () => {
  it.effect("PUT /incidents/{id} with assignments delivers one signed incident.reassigned; bad assignees are a 400 that changes and sends nothing", () =>
    Effect.gen(function*() {
      const received = yield* Queue.unbounded<Received>()
      yield* Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const incident = yield* sim.state.addIncident({ title: "Slow checkout" })
        const created = yield* sendJson("POST", "/webhook_subscriptions", {
          webhook_subscription: {
            type: "webhook_subscription",
            delivery_method: { type: "http_delivery_method", url: "http://127.0.0.1:9/hooks" },
            events: ["incident.reassigned"],
            filter: { type: "account_reference" }
          }
        })
        const sub = created.body.webhook_subscription
        const before = (yield* getJson(`/incidents/${incident.id}`)).body.incident.assignments.map((a: any) => a.assignee.id)
        const users: Array<string> = (yield* getJson("/users")).body.users.map((u: any) => u.id)
        const target = users.find((u) => !before.includes(u))!

        // unknown user, wrong reference type, empty list: 400 with PagerDuty's error body, nothing changed
        for (const assignments of [assign("PUNKNOWN"), [{ assignee: { id: target, type: "team_reference" } }], []]) {
          const bad = yield* put(`/incidents/${incident.id}`, { incident: { type: "incident", assignments } })
          assert.strictEqual(bad.status, 400)
          assert.strictEqual(bad.body.error.code, 2001)
          assert.strictEqual(bad.body.error.message, "Invalid Input Provided")
          assert.lengthOf(bad.body.error.errors, 1)
        }
        const unknownPolicy = yield* put(`/incidents/${incident.id}`, { incident: { type: "incident", escalation_policy: { id: "PNOPE", type: "escalation_policy_reference" } } })
        assert.strictEqual(unknownPolicy.status, 400)
        assert.deepStrictEqual((yield* getJson(`/incidents/${incident.id}`)).body.incident.assignments.map((a: any) => a.assignee.id), before)

        // the same assignees again: no change, no event
        const same = yield* put(`/incidents/${incident.id}`, { incident: { type: "incident", assignments: assign(...before) } })
        assert.strictEqual(same.status, 200)

        const ok = yield* put(`/incidents/${incident.id}`, { incident: { type: "incident", assignments: assign(target) } })
        assert.strictEqual(ok.status, 200)
        assert.deepStrictEqual(ok.body.incident.assignments.map((a: any) => a.assignee.id), [target])
        const event = yield* Queue.take(received)
        assert.strictEqual(event.event.event_type, "incident.reassigned")
        assert.strictEqual(event.event.data.id, incident.id)
        assert.deepStrictEqual(event.event.data.assignees.map((a: any) => a.id), [target])
        assert.strictEqual(event.headers["x-pagerduty-signature"], hmac(sub.delivery_method.secret, event.body))
        assert.strictEqual(event.headers["x-webhook-subscription"], sub.id)

        // the multi-update PUT /incidents reassigns too, and checks its assignees before changing anything
        const other = users.find((u) => u !== target)!
        const badMulti = yield* put("/incidents", { incidents: [{ id: incident.id, type: "incident_reference", assignments: assign("PUNKNOWN") }] })
        assert.strictEqual(badMulti.status, 400)
        const multi = yield* put("/incidents", { incidents: [{ id: incident.id, type: "incident_reference", assignments: assign(other) }] })
        assert.strictEqual(multi.status, 200)
        const second = yield* Queue.take(received)
        assert.deepStrictEqual([second.event.event_type, second.event.data.assignees.map((a: any) => a.id)], ["incident.reassigned", [other]])

        // exactly two deliveries: the rejected and unchanged updates sent nothing
        const attempts = yield* sim.awaitWebhookDeliveries(2)
        assert.deepStrictEqual(attempts.map((a) => [a.eventType, a.outcome]), [["incident.reassigned", "delivered"], ["incident.reassigned", "delivered"]])
        assert.lengthOf(yield* sim.webhookDeliveries, 2)
      }).pipe(Effect.provide(Simulator.layer({ incidents: 0, webhooks: { app: receiver(received) } })))
    }))
})
