/**
 * Runs the webhook-receiver example: its receiver is a real server on 127.0.0.1 (port 0),
 * PagerDuty is the in-memory simulator, which delivers the signed webhooks to it.
 */
import { RestApi } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Logger, LogLevel, Redacted } from "effect"
import * as Example from "../src/webhook-receiver.js"

const Live = Layer.mergeAll(
  RestApi.layer({ apiKey: Redacted.make(Simulator.DEFAULT_API_KEY), defaultFrom: "ada.lovelace0@example.com" }).pipe(
    Layer.provideMerge(Simulator.layer({ incidents: 0 }))
  ),
  Example.ReceiverLive
)

describe("webhook-receiver example", () => {
  it.scoped("prints each transition as its webhook arrives, in order", () =>
    Effect.gen(function*() {
      const lines = yield* Example.program
      assert.match(lines[0], /^receiver listening on http:\/\/127\.0\.0\.1:\d+\/pagerduty$/)
      assert.deepStrictEqual(lines.slice(1), [
        "subscribed PW00000 (secret received, not printed)",
        "-> triggered Q000000",
        "  <- incident.triggered: #1 \"Checkout is down\" is triggered (by Ada Lovelace)",
        "-> acknowledged Q000000",
        "  <- incident.acknowledged: #1 \"Checkout is down\" is acknowledged (by Ada Lovelace)",
        "-> noted Q000000",
        "  <- incident.annotated: note on Q000000: Rolled back the deploy",
        "-> resolved Q000000",
        "  <- incident.resolved: #1 \"Checkout is down\" is resolved (by Ada Lovelace)",
        "unsubscribed PW00000"
      ])
      const attempts = yield* (yield* Simulator.Simulator).awaitWebhookDeliveries(4)
      assert.deepStrictEqual(attempts.map((a) => [a.eventType, a.outcome]), [
        ["incident.triggered", "delivered"],
        ["incident.acknowledged", "delivered"],
        ["incident.annotated", "delivered"],
        ["incident.resolved", "delivered"]
      ])
    }).pipe(Effect.provide(Live), Effect.provide(Logger.minimumLogLevel(LogLevel.None))))
})
