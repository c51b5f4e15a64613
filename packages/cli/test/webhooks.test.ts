/**
 * `pagerduty webhooks listen` in-process (`Cli.main`): a real server on 127.0.0.1 (port 0,
 * its address read from stderr), signed deliveries posted with fetch (signatures computed
 * here with node:crypto), one NDJSON line per verified event on stdout, rejected deliveries
 * reported on stderr, the secret never printed, and the configuration errors.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Layer } from "effect"
import { createHmac } from "node:crypto"
import { Cli } from "../src/index.js"

const CliEnvironment = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer)
const SECRET = "cli-webhook-secret-42"

const envelope = (id: string, eventType: string, data: unknown) =>
  JSON.stringify({ event: { id, event_type: eventType, resource_type: eventType.split(".")[0], occurred_at: "2026-01-01T00:00:00Z", agent: null, client: null, data } })

const incident = { id: "Q000001", type: "incident", number: 1, status: "triggered", created_at: "2026-01-01T00:00:00Z", title: "Disk full", service: { id: "PV00000", type: "service_reference" } }

const sign = (secret: string, body: string) => `v1=${createHmac("sha256", secret).update(body).digest("hex")}`

const post = (url: string, body: string, headers: Record<string, string>) =>
  Effect.promise(() => fetch(url, { method: "POST", body, headers }).then((r) => r.status))

/** Starts `pagerduty ...args`; resolves with the listening URL once it is printed. */
const start = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  Effect.gen(function*() {
    const out: Array<string> = []
    const err: Array<string> = []
    const listening = yield* Deferred.make<string>()
    const fiber = yield* Cli.main(["node", "pagerduty", ...args], env, {
      stdout: (text) => Effect.sync(() => void out.push(text)),
      stderr: (text) => {
        err.push(text)
        const m = /listening for PagerDuty webhooks on (http:\/\/127\.0\.0\.1:\d+)\//.exec(text)
        if (m !== null) Deferred.unsafeDone(listening, Exit.succeed(m[1]))
      },
      stdoutIsTTY: false,
      stderrIsTTY: false
    }).pipe(Effect.provide(CliEnvironment), Effect.fork)
    return { fiber, out, err, listening }
  })

describe("pagerduty webhooks listen", () => {
  it.live("prints each verified event as NDJSON, rejects bad signatures with 401 on stderr, exits after --count", () =>
    Effect.gen(function*() {
      const run = yield* start(["webhooks", "listen", "--port", "0", "--secret", "old-secret", "--secret", SECRET, "--count", "2"])
      const url = yield* Deferred.await(run.listening)
      const first = envelope("E1", "incident.triggered", incident)
      assert.strictEqual(yield* post(`${url}/pagerduty`, first, { "x-pagerduty-signature": sign(SECRET, first), "x-webhook-id": "wh-1", "x-webhook-subscription": "PW00000" }), 202)
      const forged = envelope("E2", "incident.resolved", incident)
      assert.strictEqual(yield* post(url, forged, { "x-pagerduty-signature": sign("attacker", forged) }), 401)
      assert.strictEqual(yield* post(url, forged, {}), 401)
      const ping = envelope("E3", "pagey.ping", { type: "ping", message: "Hello from your friend Pagey!" })
      assert.strictEqual(yield* post(url, ping, { "x-pagerduty-signature": sign("old-secret", ping) }), 202)
      const code = yield* Fiber.join(run.fiber)
      assert.strictEqual(code, 0)

      const lines = run.out.join("").split("\n").filter((l) => l !== "")
      assert.strictEqual(lines.length, 2)
      const [a, b] = lines.map((l) => JSON.parse(l))
      assert.deepStrictEqual([a.id, a.event_type, a.data.title, a.webhook_id, a.subscription_id], ["E1", "incident.triggered", "Disk full", "wh-1", "PW00000"])
      assert.deepStrictEqual([b.id, b.event_type, b.data.type, b.webhook_id], ["E3", "pagey.ping", "ping", null])
      const stderr = run.err.join("")
      assert.strictEqual(stderr.match(/answered 401/g)?.length, 2)
      for (const secret of [SECRET, "old-secret"]) {
        assert.notInclude(run.out.join(""), secret)
        assert.notInclude(stderr, secret)
      }
    }))

  it.live("takes the secret from PAGERDUTY_WEBHOOK_SECRET", () =>
    Effect.gen(function*() {
      const run = yield* start(["webhooks", "listen", "--port", "0", "--count", "1"], { PAGERDUTY_WEBHOOK_SECRET: SECRET })
      const url = yield* Deferred.await(run.listening)
      const body = envelope("E9", "incident.acknowledged", { ...incident, status: "acknowledged" })
      assert.strictEqual(yield* post(url, body, { "x-pagerduty-signature": sign(SECRET, body) }), 202)
      assert.strictEqual(yield* Fiber.join(run.fiber), 0)
      assert.strictEqual(JSON.parse(run.out.join("")).data.status, "acknowledged")
    }))

  it.live("no secret, a bad port or count are errors with their exit codes, and nothing listens", () =>
    Effect.gen(function*() {
      const noSecret = yield* start(["webhooks", "listen", "--port", "0"])
      assert.strictEqual(yield* Fiber.join(noSecret.fiber), 8)
      assert.include(noSecret.err.join(""), "PAGERDUTY_WEBHOOK_SECRET")
      const badPort = yield* start(["webhooks", "listen", "--port", "70000", "--secret", SECRET])
      assert.strictEqual(yield* Fiber.join(badPort.fiber), 2)
      assert.include(badPort.err.join(""), "--port", badPort.err.join(""))
      const badCount = yield* start(["webhooks", "listen", "--port", "0", "--secret", SECRET, "--count", "0"])
      assert.strictEqual(yield* Fiber.join(badCount.fiber), 2)
      for (const run of [noSecret, badPort, badCount]) {
        assert.notInclude(run.err.join(""), "listening")
        assert.notInclude(run.err.join(""), SECRET)
      }
    }))
})
