/**
 * Webhook subscriptions and deliveries of the simulator: the REST routes (secret shown once,
 * loopback URLs only), signed v3 envelopes for incident changes made through REST and the
 * Events API, filters, ordering, PagerDuty's retry rules on TestClock, and deliveries that
 * never hold up the API request that caused them. Signatures are checked here with
 * node:crypto.
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Deferred, Effect, Queue, TestClock } from "effect"
import { createHmac } from "node:crypto"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { Simulator } from "../src/index.js"
import { API, AUTH, FROM, getJson, sendJson, trigger } from "./helpers.js"

interface Received {
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly event: { readonly id: string; readonly event_type: string; readonly resource_type: string; readonly data: any; readonly agent: any }
}

/** An in-process receiver: records each request, answers with `status(n)` for the n-th request (1-based). */
const receiver = (queue: Queue.Queue<Received>, status: (n: number) => number = () => 202) => {
  let n = 0
  return Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const body = yield* request.text
    n++
    yield* Queue.offer(queue, { headers: request.headers, body, event: JSON.parse(body).event })
    return HttpServerResponse.empty({ status: status(n) })
  }).pipe(Effect.orDie)
}

const subscribe = (events: ReadonlyArray<string>, extra: Record<string, unknown> = {}, url = "http://127.0.0.1:9/hooks") =>
  sendJson("POST", "/webhook_subscriptions", {
    webhook_subscription: {
      type: "webhook_subscription",
      delivery_method: { type: "http_delivery_method", url },
      events,
      filter: { type: "account_reference" },
      ...extra
    }
  })

const hmac = (secret: string, body: string) => `v1=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`

const LIFECYCLE = ["incident.triggered", "incident.acknowledged", "incident.resolved", "incident.annotated"]

/** Waits until the delivery fiber has scheduled its retry sleep (so TestClock.adjust reaches it). */
const retryScheduled = TestClock.sleeps().pipe(Effect.zipLeft(Effect.yieldNow()), Effect.repeat({ until: Chunk.isNonEmpty }))

describe("webhook subscriptions", () => {
  it.effect("create returns the secret once; get and list never show it; update, enable, ping, delete", () =>
    Effect.gen(function*() {
      const created = yield* subscribe(LIFECYCLE, { description: "ops bot", delivery_method: { type: "http_delivery_method", url: "http://localhost:8080/pd", custom_headers: [{ name: "X-Token", value: "hdr-secret" }] } })
      assert.strictEqual(created.status, 200)
      const sub = created.body.webhook_subscription
      assert.match(sub.delivery_method.secret, /^[0-9a-f]{64}$/)
      assert.strictEqual(sub.delivery_method.url, "http://localhost:8080/pd")
      assert.deepStrictEqual(sub.events, LIFECYCLE)
      assert.deepStrictEqual(sub.filter, { type: "account_reference" })

      const got = yield* getJson(`/webhook_subscriptions/${sub.id}`)
      assert.strictEqual(got.body.webhook_subscription.delivery_method.secret, null)
      assert.strictEqual(got.body.webhook_subscription.delivery_method.custom_headers[0].value, "-- redacted --")
      const listed = yield* getJson("/webhook_subscriptions")
      assert.deepStrictEqual(listed.body.webhook_subscriptions.map((s: any) => [s.id, s.delivery_method.secret]), [[sub.id, null]])
      assert.notInclude(JSON.stringify(listed.body), sub.delivery_method.secret)

      const updated = yield* sendJson("PUT", `/webhook_subscriptions/${sub.id}`, { webhook_subscription: { events: ["incident.triggered"], active: false, filter: { type: "service_reference", id: "PV00001" } } })
      assert.strictEqual(updated.status, 200)
      assert.deepStrictEqual(updated.body.webhook_subscription.events, ["incident.triggered"])
      assert.strictEqual(updated.body.webhook_subscription.active, false)
      assert.deepStrictEqual((yield* getJson("/webhook_subscriptions?filter_type=service&filter_id=PV00001")).body.webhook_subscriptions.length, 1)
      assert.deepStrictEqual((yield* getJson("/webhook_subscriptions?filter_type=team")).body.webhook_subscriptions.length, 0)

      const enabled = yield* sendJson("POST", `/webhook_subscriptions/${sub.id}/enable`, undefined)
      assert.strictEqual(enabled.body.webhook_subscription.active, true)
      assert.strictEqual((yield* sendJson("POST", `/webhook_subscriptions/${sub.id}/ping`, undefined)).status, 202)
      assert.strictEqual((yield* sendJson("DELETE", `/webhook_subscriptions/${sub.id}`, undefined)).status, 204)
      assert.strictEqual((yield* getJson(`/webhook_subscriptions/${sub.id}`)).status, 404)
    }).pipe(Effect.provide(Simulator.layer({ incidents: 0 }))))

  it.effect("only loopback URLs are accepted, and bad input is a 400 that stores nothing", () =>
    Effect.gen(function*() {
      for (const url of ["https://example.com/hook", "http://10.0.0.1/hook", "http://127.0.0.1.example.com/", "http://user:pw@127.0.0.1/", "ftp://127.0.0.1/", "not a url"]) {
        const res = yield* subscribe(["incident.triggered"], {}, url)
        assert.strictEqual(res.status, 400, url)
      }
      assert.strictEqual((yield* subscribe([])).status, 400)
      assert.strictEqual((yield* subscribe(["incident.triggered"], { filter: { type: "service_reference", id: "PVNOPE00" } })).status, 400)
      assert.strictEqual((yield* subscribe(["incident.triggered"], { filter: { type: "team_reference" } })).status, 400)
      for (const url of ["http://127.0.0.1:1/a", "http://localhost/b", "http://[::1]:8080/c", "https://127.0.0.1/d"]) {
        assert.strictEqual((yield* subscribe(["incident.triggered"], {}, url)).status, 200, url)
      }
      assert.strictEqual((yield* getJson("/webhook_subscriptions")).body.webhook_subscriptions.length, 4)
    }).pipe(Effect.provide(Simulator.layer({ incidents: 0 }))))
})

describe("webhook deliveries", () => {
  it.effect("incident trigger, acknowledge, note and resolve arrive in order as signed v3 envelopes", () =>
    Effect.gen(function*() {
      const received = yield* Queue.unbounded<Received>()
      yield* Effect.gen(function*() {
        const sub = (yield* subscribe(LIFECYCLE)).body.webhook_subscription
        const secret: string = sub.delivery_method.secret
        const created = yield* sendJson("POST", "/incidents", { incident: { type: "incident", title: "Checkout is down", service: { id: "PV00000", type: "service_reference" } } }, { ...AUTH, ...FROM })
        const id = created.body.incident.id
        yield* sendJson("PUT", `/incidents/${id}`, { incident: { type: "incident", status: "acknowledged" } }, { ...AUTH, ...FROM })
        yield* sendJson("POST", `/incidents/${id}/notes`, { note: { content: "rolled back" } }, { ...AUTH, ...FROM })
        yield* sendJson("PUT", `/incidents/${id}`, { incident: { type: "incident", status: "resolved" } }, { ...AUTH, ...FROM })

        const events: Array<Received> = []
        for (let i = 0; i < 4; i++) events.push(yield* Queue.take(received))
        assert.deepStrictEqual(events.map((e) => e.event.event_type), ["incident.triggered", "incident.acknowledged", "incident.annotated", "incident.resolved"])
        assert.deepStrictEqual(events.map((e) => e.event.data.status ?? "note"), ["triggered", "acknowledged", "note", "resolved"])
        for (const e of events) {
          assert.strictEqual(e.headers["x-pagerduty-signature"], hmac(secret, e.body))
          assert.strictEqual(e.headers["x-webhook-subscription"], sub.id)
          assert.strictEqual(e.headers["content-type"], "application/json")
          assert.match(e.headers["x-webhook-id"], /^[0-9a-f-]{36}$/)
          assert.strictEqual(e.event.resource_type, "incident")
        }
        const triggered = events[0].event.data
        assert.strictEqual(triggered.id, id)
        assert.strictEqual(triggered.type, "incident")
        assert.strictEqual(triggered.title, "Checkout is down")
        assert.strictEqual(triggered.service.id, "PV00000")
        assert.isArray(triggered.assignees)
        assert.strictEqual(events[0].event.agent.summary, "Ada Lovelace")
        assert.deepStrictEqual(
          { type: events[2].event.data.type, content: events[2].event.data.content, incident: events[2].event.data.incident.id },
          { type: "incident_note", content: "rolled back", incident: id }
        )
        // event ids and webhook ids are unique
        assert.strictEqual(new Set(events.map((e) => e.event.id)).size, 4)
        assert.strictEqual(new Set(events.map((e) => e.headers["x-webhook-id"])).size, 4)
        const attempts = yield* (yield* Simulator.Simulator).awaitWebhookDeliveries(4)
        assert.deepStrictEqual(attempts.map((a) => [a.eventType, a.attempt, a.status, a.outcome]), [
          ["incident.triggered", 1, 202, "delivered"],
          ["incident.acknowledged", 1, 202, "delivered"],
          ["incident.annotated", 1, 202, "delivered"],
          ["incident.resolved", 1, 202, "delivered"]
        ])
      }).pipe(Effect.provide(Simulator.layer({ incidents: 0, webhooks: { app: receiver(received) } })))
    }))

  it.effect("Events API triggers deliver too; event type and service filters choose what is sent; ping sends pagey.ping", () =>
    Effect.gen(function*() {
      const received = yield* Queue.unbounded<Received>()
      yield* Effect.gen(function*() {
        const onlyResolved = (yield* subscribe(["incident.resolved"])).body.webhook_subscription.id
        const otherService = (yield* subscribe(["incident.triggered"], { filter: { type: "service_reference", id: "PV00001" } })).body.webhook_subscription.id
        const thisService = (yield* subscribe(["incident.triggered"], { filter: { type: "service_reference", id: "PV00000" } })).body.webhook_subscription.id
        yield* trigger("disk-1") // service 0
        const first = yield* Queue.take(received)
        assert.strictEqual(first.event.event_type, "incident.triggered")
        assert.strictEqual(first.headers["x-webhook-subscription"], thisService)
        assert.strictEqual(first.event.data.service.id, "PV00000")
        yield* sendJson("POST", `/webhook_subscriptions/${onlyResolved}/ping`, undefined)
        const ping = yield* Queue.take(received)
        assert.deepStrictEqual([ping.event.event_type, ping.event.resource_type, ping.event.data.type], ["pagey.ping", "pagey", "ping"])
        assert.strictEqual(ping.headers["x-webhook-subscription"], onlyResolved)
        const sim = yield* Simulator.Simulator
        assert.deepStrictEqual((yield* sim.awaitWebhookDeliveries(2)).map((a) => a.subscriptionId), [thisService, onlyResolved])
        assert.notInclude((yield* sim.webhookDeliveries).map((a) => a.subscriptionId), otherService)
      }).pipe(Effect.provide(Simulator.layer({ incidents: 0, webhooks: { app: receiver(received) } })))
    }))

  it.effect("reassignment and a new priority are incident.reassigned and incident.priority_updated; resolving is only incident.resolved", () =>
    Effect.gen(function*() {
      const received = yield* Queue.unbounded<Received>()
      yield* Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const incident = yield* sim.state.addIncident({ title: "Slow checkout" })
        yield* subscribe(["incident.reassigned", "incident.priority_updated", "incident.resolved"])
        yield* sim.state.reassignIncident(incident.id, ["PU00003"])
        const reassigned = yield* Queue.take(received)
        assert.strictEqual(reassigned.event.event_type, "incident.reassigned")
        assert.deepStrictEqual(reassigned.event.data.assignees.map((a: any) => a.id), ["PU00003"])
        const priority = (yield* getJson("/priorities")).body.priorities[0]
        yield* sendJson("PUT", `/incidents/${incident.id}`, { incident: { type: "incident", priority: { id: priority.id, type: "priority_reference" } } }, { ...AUTH, ...FROM })
        const updated = yield* Queue.take(received)
        assert.strictEqual(updated.event.event_type, "incident.priority_updated")
        assert.strictEqual(updated.event.data.priority.id, priority.id)
        yield* sendJson("PUT", `/incidents/${incident.id}`, { incident: { type: "incident", status: "resolved" } }, { ...AUTH, ...FROM })
        assert.strictEqual((yield* Queue.take(received)).event.event_type, "incident.resolved")
        const attempts = yield* sim.awaitWebhookDeliveries(3)
        assert.deepStrictEqual(attempts.map((a) => a.eventType), ["incident.reassigned", "incident.priority_updated", "incident.resolved"])
      }).pipe(Effect.provide(Simulator.layer({ incidents: 0, webhooks: { app: receiver(received) } })))
    }))

  it.effect("a 500 is retried after PagerDuty-like backoff on TestClock with the same body, id and signature; a 400 is dropped", () =>
    Effect.gen(function*() {
      const received = yield* Queue.unbounded<Received>()
      // 1st: 500 (retry), 2nd: 503 (retry), 3rd: 202 (delivered), 4th: 400 (dropped, no retry)
      const statuses = [500, 503, 202, 400]
      yield* Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        yield* subscribe(["incident.triggered"])
        yield* sim.state.addIncident({ title: "First" })
        const a = yield* Queue.take(received)
        yield* sim.awaitWebhookDeliveries(1)
        yield* retryScheduled
        // not yet: the first retry waits 75 seconds
        yield* TestClock.adjust("74 seconds")
        assert.strictEqual(yield* Queue.size(received), 0)
        yield* TestClock.adjust("1 second")
        const b = yield* Queue.take(received)
        yield* sim.awaitWebhookDeliveries(2)
        yield* retryScheduled
        yield* TestClock.adjust("150 seconds")
        const c = yield* Queue.take(received)
        assert.strictEqual(b.body, a.body)
        assert.strictEqual(c.body, a.body)
        assert.strictEqual(c.headers["x-webhook-id"], a.headers["x-webhook-id"])
        assert.strictEqual(c.headers["x-pagerduty-signature"], a.headers["x-pagerduty-signature"])

        yield* sim.state.addIncident({ title: "Second" })
        const d = yield* Queue.take(received)
        assert.strictEqual(d.event.data.title, "Second")
        const attempts = yield* sim.awaitWebhookDeliveries(4)
        assert.deepStrictEqual(attempts.map((x) => [x.attempt, x.status, x.outcome]), [[1, 500, "retrying"], [2, 503, "retrying"], [3, 202, "delivered"], [1, 400, "failed"]])
        assert.deepStrictEqual(attempts.slice(0, 3).map((x) => x.timestamp - attempts[0].timestamp), [0, 75_000, 225_000])
        yield* TestClock.adjust("1 hour")
        assert.strictEqual(yield* Queue.size(received), 0)
      }).pipe(Effect.provide(Simulator.layer({ incidents: 0, webhooks: { app: receiver(received, (n) => statuses[n - 1] ?? 202) } })))
    }))

  it.effect("gives up after 5 attempts (4 retries) when the receiver keeps failing", () =>
    Effect.gen(function*() {
      const received = yield* Queue.unbounded<Received>()
      yield* Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        yield* subscribe(["incident.triggered"])
        yield* sim.state.addIncident({ title: "Always failing" })
        for (const wait of ["75 seconds", "150 seconds", "300 seconds", "600 seconds"] as const) {
          yield* Queue.take(received)
          yield* retryScheduled
          yield* TestClock.adjust(wait)
        }
        yield* Queue.take(received)
        const attempts = yield* sim.awaitWebhookDeliveries(5)
        assert.deepStrictEqual(attempts.map((a) => a.outcome), ["retrying", "retrying", "retrying", "retrying", "failed"])
        yield* TestClock.adjust("1 day")
        assert.strictEqual((yield* sim.webhookDeliveries).length, 5)
      }).pipe(Effect.provide(Simulator.layer({ incidents: 0, webhooks: { app: receiver(received, () => 503) } })))
    }))

  it.effect("the API request that causes a delivery does not wait for it", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<void>()
      const received = yield* Queue.unbounded<string>()
      const slow = Effect.gen(function*() {
        const request = yield* HttpServerRequest.HttpServerRequest
        yield* Deferred.await(gate)
        yield* Queue.offer(received, yield* request.text)
        return HttpServerResponse.empty({ status: 204 })
      }).pipe(Effect.orDie)
      yield* Effect.gen(function*() {
        yield* subscribe(["incident.triggered"])
        // the receiver is blocked, yet the trigger answers
        const res = yield* trigger("slow-1")
        assert.strictEqual(res.status, 202)
        assert.strictEqual(yield* Queue.size(received), 0)
        yield* Deferred.succeed(gate, void 0)
        assert.include(yield* Queue.take(received), "incident.triggered")
      }).pipe(Effect.provide(Simulator.layer({ incidents: 0, webhooks: { app: slow } })))
    }))

  it.live("Simulator.serve delivers over real sockets to a 127.0.0.1 server; a redirect is not followed", () =>
    Effect.scoped(Effect.gen(function*() {
      const got = yield* Queue.unbounded<{ readonly headers: http.IncomingHttpHeaders; readonly body: string }>()
      let n = 0
      const server = yield* Effect.acquireRelease(
        Effect.async<http.Server>((resume) => {
          const srv = http.createServer((req, res) => {
            let body = ""
            req.on("data", (c) => (body += c))
            req.on("end", () => {
              n++
              Queue.unsafeOffer(got, { headers: req.headers, body })
              // the 2nd webhook is answered with a redirect to another host
              if (n === 2) res.writeHead(302, { location: "http://example.com/elsewhere" })
              else res.writeHead(204)
              res.end()
            })
          })
          srv.listen(0, "127.0.0.1", () => resume(Effect.succeed(srv)))
        }),
        (srv) => Effect.async<void>((resume) => {
          srv.closeAllConnections()
          srv.close(() => resume(Effect.void))
        })
      )
      const port = (server.address() as AddressInfo).port
      const served = yield* Simulator.serve({ incidents: 0 })
      const api = (path: string, init: RequestInit = {}) =>
        Effect.promise(() =>
          fetch(`${served.url}${path}`, { ...init, headers: { "content-type": "application/json", ...AUTH, ...FROM } }).then((r) => r.json() as Promise<any>)
        )
      const sub = (yield* api("/webhook_subscriptions", {
        method: "POST",
        body: JSON.stringify({ webhook_subscription: { delivery_method: { type: "http_delivery_method", url: `http://127.0.0.1:${port}/hook` }, events: ["incident.triggered"], filter: { type: "account_reference" } } })
      })).webhook_subscription
      for (const title of ["One", "Two"]) {
        yield* api("/incidents", { method: "POST", body: JSON.stringify({ incident: { type: "incident", title, service: { id: "PV00000", type: "service_reference" } } }) })
      }
      const first = yield* Queue.take(got)
      assert.strictEqual(first.headers["x-pagerduty-signature"], hmac(sub.delivery_method.secret, first.body))
      assert.strictEqual(JSON.parse(first.body).event.data.title, "One")
      const attempts = yield* served.simulator.awaitWebhookDeliveries(2)
      assert.deepStrictEqual(attempts.map((a) => [a.status, a.outcome]), [[204, "delivered"], [302, "failed"]])
      assert.strictEqual(n, 2)
    })))

  it.effect("without subscriptions nothing is delivered", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const incident = yield* sim.state.addIncident({ title: "Quiet" })
      assert.strictEqual((yield* sim.webhookDeliveries).length, 0)
      assert.strictEqual((yield* getJson(`${API}/incidents/${incident.id}`)).status, 200)
    }).pipe(Effect.provide(Simulator.layer({ incidents: 0 }))))
})
