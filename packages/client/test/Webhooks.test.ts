/**
 * Webhooks v3 receiving side: signature verification (vectors computed here with
 * node:crypto, independently of the module), rotation, tampering, wrong secrets, missing
 * and malformed headers, a property test over arbitrary bodies and headers, decoding of
 * every documented event type from the documentation's payloads, and the HTTP handler on a
 * real @effect/platform-node server bound to 127.0.0.1.
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Queue, Redacted, Ref } from "effect"
import * as fc from "fast-check"
import { createHmac } from "node:crypto"
import * as fs from "node:fs"
import * as http from "node:http"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { Webhooks } from "../src/index.js"
import { type Captured, everything, observe } from "./utils/observe.js"

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "webhooks")
const fixture = (name: string): string => fs.readFileSync(path.join(fixtures, name), "utf8")
const dataTypes = JSON.parse(fixture("data-types.json")) as Record<string, unknown>

const SECRET = "whsec-test-9f3a2c1e5b7d"
const OLD_SECRET = "whsec-old-0a1b2c3d4e5f"
const BODY = fixture("incident.priority_updated.json")

/** The reference signature: node:crypto, not the module under test. */
const hmacHex = (secret: string, body: string | Uint8Array): string => createHmac("sha256", secret).update(body).digest("hex")

const failure = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const f = Cause.failureOption(exit.cause)
  if (f._tag === "None") throw new Error(`expected a typed failure, got ${Cause.pretty(exit.cause)}`)
  return f.value
}

describe("Webhooks.verify", () => {
  it.effect("accepts the signature node:crypto computes for a fixed secret and body (text and bytes)", () =>
    Effect.gen(function*() {
      const header = `v1=${hmacHex(SECRET, BODY)}`
      // a known vector, pinned so a change in the fixture is noticed
      assert.strictEqual(hmacHex("secret", "{\"event\":{}}"), createHmac("sha256", "secret").update(Buffer.from("{\"event\":{}}")).digest("hex"))
      yield* Webhooks.verify(BODY, { "X-PagerDuty-Signature": header }, Redacted.make(SECRET))
      yield* Webhooks.verify(new TextEncoder().encode(BODY), { "x-pagerduty-signature": header }, Redacted.make(SECRET))
      yield* Webhooks.verify(BODY, new Headers({ "X-PagerDuty-Signature": header.toUpperCase().replace("V1=", "v1=") }), Redacted.make(SECRET))
      // the exact bytes: non-ASCII text is UTF-8
      const unicode = "{\"event\":{\"data\":{\"title\":\"Störung – 東京 🔥\"}}}"
      yield* Webhooks.verify(unicode, { "x-pagerduty-signature": `v1=${hmacHex(SECRET, Buffer.from(unicode, "utf8"))}` }, Redacted.make(SECRET))
      // and sign() agrees with node:crypto
      assert.strictEqual(yield* Webhooks.sign(BODY, Redacted.make(SECRET)), header)
      assert.strictEqual(
        yield* Webhooks.sign(BODY, [Redacted.make(SECRET), Redacted.make(OLD_SECRET)]),
        `v1=${hmacHex(SECRET, BODY)},v1=${hmacHex(OLD_SECRET, BODY)}`
      )
    }))

  it.effect("rotation: a header with two signatures verifies under either secret, and two secrets accept either signature", () =>
    Effect.gen(function*() {
      const both = `v1=${hmacHex(OLD_SECRET, BODY)}, v1=${hmacHex(SECRET, BODY)}`
      yield* Webhooks.verify(BODY, { "x-pagerduty-signature": both }, Redacted.make(SECRET))
      yield* Webhooks.verify(BODY, { "x-pagerduty-signature": both }, Redacted.make(OLD_SECRET))
      const onlyOld = `v1=${hmacHex(OLD_SECRET, BODY)}`
      yield* Webhooks.verify(BODY, { "x-pagerduty-signature": onlyOld }, [Redacted.make(SECRET), Redacted.make(OLD_SECRET)])
      // a retired secret no longer verifies
      const e = failure(yield* Effect.exit(Webhooks.verify(BODY, { "x-pagerduty-signature": onlyOld }, [Redacted.make(SECRET)])))
      assert.strictEqual(e.reason, "InvalidSignature")
      // repeated header lines are joined like a comma list
      yield* Webhooks.verify(BODY, { "x-pagerduty-signature": [`v1=${"0".repeat(64)}`, `v1=${hmacHex(SECRET, BODY)}`] }, Redacted.make(SECRET))
    }))

  it.effect("a tampered body fails InvalidSignature (one changed byte, appended whitespace, re-serialised JSON)", () =>
    Effect.gen(function*() {
      const header = { "x-pagerduty-signature": `v1=${hmacHex(SECRET, BODY)}` }
      const bytes = new TextEncoder().encode(BODY)
      const flipped = bytes.slice()
      flipped[flipped.length - 3] ^= 1
      for (const body of [flipped, `${BODY} `, JSON.stringify(JSON.parse(BODY))]) {
        const e = failure(yield* Effect.exit(Webhooks.verify(body, header, Redacted.make(SECRET))))
        assert.strictEqual(e._tag, "WebhookSignatureError")
        assert.strictEqual(e.reason, "InvalidSignature")
      }
    }))

  it.effect("a wrong secret fails InvalidSignature, and the error shows neither secret nor signature", () =>
    Effect.gen(function*() {
      const signature = hmacHex(SECRET, BODY)
      const expectedUnderWrong = hmacHex("the-wrong-secret", BODY)
      const e = failure(yield* Effect.exit(Webhooks.verify(BODY, { "x-pagerduty-signature": `v1=${signature}` }, Redacted.make("the-wrong-secret"))))
      assert.strictEqual(e.reason, "InvalidSignature")
      const shown = [e.message, String(e), JSON.stringify(e), e.detail].join("\n")
      for (const secret of ["the-wrong-secret", SECRET, signature, expectedUnderWrong]) assert.notInclude(shown, secret)
    }))

  it.effect("missing, empty and malformed headers are typed failures with their reason", () =>
    Effect.gen(function*() {
      const sig = hmacHex(SECRET, BODY)
      const cases: ReadonlyArray<readonly [Webhooks.HeadersInput, Webhooks.SignatureFailure]> = [
        [{}, "MissingSignature"],
        [{ "x-pagerduty-signature": "" }, "MissingSignature"],
        [{ "x-pagerduty-signature": "  " }, "MissingSignature"],
        [{ "x-pagerduty-signature": sig }, "MalformedSignature"], // no v1= prefix
        [{ "x-pagerduty-signature": `sha256=${sig}` }, "MalformedSignature"],
        [{ "x-pagerduty-signature": `v1=${sig.slice(1)}` }, "MalformedSignature"], // 63 digits
        [{ "x-pagerduty-signature": `v1=${sig.slice(2)}zz` }, "MalformedSignature"],
        [{ "x-pagerduty-signature": `v2=${sig}` }, "MalformedSignature"], // no v1 at all
        [{ "x-pagerduty-signature": Array.from({ length: 17 }, () => `v1=${sig}`).join(",") }, "MalformedSignature"],
        [{ "x-pagerduty-signature": `v1=${sig},${"x".repeat(5000)}` }, "MalformedSignature"]
      ]
      for (const [headers, reason] of cases) {
        const e = failure(yield* Effect.exit(Webhooks.verify(BODY, headers, Redacted.make(SECRET))))
        assert.strictEqual(e.reason, reason, JSON.stringify(headers).slice(0, 80))
      }
      // other versions are ignored next to a valid v1
      yield* Webhooks.verify(BODY, { "x-pagerduty-signature": `v2=${"a".repeat(64)},v1=${sig}` }, Redacted.make(SECRET))
    }))

  it.effect("no usable secret is NoSecret (a configuration error), not a silent accept", () =>
    Effect.gen(function*() {
      const header = { "x-pagerduty-signature": `v1=${hmacHex("", BODY)}` }
      assert.strictEqual(failure(yield* Effect.exit(Webhooks.verify(BODY, header, []))).reason, "NoSecret")
      assert.strictEqual(failure(yield* Effect.exit(Webhooks.verify(BODY, header, Redacted.make("")))).reason, "NoSecret")
    }))

  it("property: no body/header combination dies or is accepted without the right signature", async () => {
    const secret = "prop-secret-1234"
    const body = fc.oneof(fc.string(), fc.uint8Array({ maxLength: 256 }), fc.constant(BODY))
    const entry = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.string({ unit: fc.constantFrom(..."0123456789abcdefABCDEF"), minLength: 64, maxLength: 64 }).map((h) => `v1=${h}`),
      fc.stringMatching(/^v[0-9]{1,2}=[0-9a-fA-F]{0,70}$/),
      fc.constant("v1=")
    )
    await fc.assert(
      fc.asyncProperty(body, fc.array(entry, { maxLength: 20 }), fc.boolean(), fc.nat(20), async (b, entries, includeValid, at) => {
        const valid = `v1=${hmacHex(secret, typeof b === "string" ? Buffer.from(b, "utf8") : b)}`
        const list = entries.slice()
        if (includeValid) list.splice(at % (list.length + 1), 0, valid)
        const header = list.join(",")
        const exit = await Effect.runPromiseExit(Webhooks.verify(b, { "x-pagerduty-signature": header }, Redacted.make(secret)))
        if (Exit.isFailure(exit)) {
          // never a defect or an interruption: a typed failure with a known reason
          const f = Cause.failureOption(exit.cause)
          if (f._tag === "None") return false
          return ["MissingSignature", "MalformedSignature", "InvalidSignature"].includes(f.value.reason)
        }
        // accepted: only if the right signature is in the header (case-insensitive hex)
        return header.toLowerCase().split(",").map((s) => s.trim()).includes(valid)
      }),
      { numRuns: 400 }
    )
  })
})

// The documented event types and the `data.type` each carries (PagerDuty's v3 overview,
// Early Access events, and the ping event).
const documented: Record<string, string> = {
  "incident.acknowledged": "incident",
  "incident.annotated": "incident_note",
  "incident.conference_bridge.updated": "incident_conference_bridge",
  "incident.custom_field_values.updated": "incident_field_values",
  "incident.delegated": "incident",
  "incident.escalated": "incident",
  "incident.incident_type.changed": "incident",
  "incident.priority_updated": "incident",
  "incident.reassigned": "incident",
  "incident.reopened": "incident",
  "incident.resolved": "incident",
  "incident.responder.added": "incident_responder",
  "incident.responder.replied": "incident_responder",
  "incident.service_updated": "incident",
  "incident.status_update_published": "incident_status_update",
  "incident.triggered": "incident",
  "incident.unacknowledged": "incident",
  "incident.workflow.started": "incident_workflow_instance",
  "incident.workflow.completed": "incident_workflow_instance",
  "service.created": "service",
  "service.deleted": "service",
  "service.updated": "service",
  "pagey.ping": "ping",
  "incident.action_invocation.created": "incident_action_invocation",
  "incident.action_invocation.updated": "incident_action_invocation",
  "incident.action_invocation.terminated": "incident_action_invocation",
  "incident.task.created": "incident_task",
  "incident.task.updated": "incident_task",
  "incident.task.completed": "incident_task"
}

const envelope = (eventType: string, data: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    event: {
      id: `01EVT${eventType.length}`,
      event_type: eventType,
      resource_type: eventType.split(".")[0],
      occurred_at: "2026-01-01T00:00:00.000Z",
      agent: { id: "PU00000", type: "user_reference", summary: "Ada" },
      client: { name: "PagerDuty" },
      data,
      ...extra
    }
  })

describe("Webhooks.decode", () => {
  it("knows exactly the documented event types", () => {
    assert.deepStrictEqual([...Webhooks.eventTypes].sort(), Object.keys(documented).sort())
  })

  it.effect("decodes every documented event type from the documentation's data payloads", () =>
    Effect.gen(function*() {
      for (const [eventType, dataType] of Object.entries(documented)) {
        const data = dataTypes[dataType]
        assert.isDefined(data, dataType)
        const event = yield* Webhooks.decode(envelope(eventType, data))
        assert.strictEqual(event._tag, eventType)
        assert.strictEqual(event.event_type, eventType)
        assert.strictEqual((event.data as { type: string }).type, dataType)
        assert.strictEqual(event.agent?.summary, "Ada")
      }
    }))

  it.effect("decodes the documentation's full payloads, with typed data", () =>
    Effect.gen(function*() {
      const priority = yield* Webhooks.decode(new TextEncoder().encode(BODY))
      assert.strictEqual(priority._tag, "incident.priority_updated")
      if (priority._tag === "incident.priority_updated") {
        assert.strictEqual(priority.data.number, 2)
        assert.strictEqual(priority.data.priority?.summary, "P1")
        assert.deepStrictEqual(priority.data.assignees.map((a) => a.id), ["PTUXL6G"])
        assert.strictEqual(priority.data.conference_bridge?.conference_url, "https://example.com")
      }
      const service = yield* Webhooks.decode(fixture("service.updated.json"))
      assert.strictEqual(service._tag, "service.updated")
      assert.strictEqual(service.agent, null)
      assert.strictEqual(service.client, null)
      if (service._tag === "service.updated") assert.deepStrictEqual(service.data.teams.map((t) => t.summary), ["Engineering"])
    }))

  it.effect("an unknown event type is an UnknownEvent with its data, and unknown fields are kept", () =>
    Effect.gen(function*() {
      const unknown = yield* Webhooks.decode(envelope("incident.role.assigned", { anything: [1, 2] }, { trace: "t-1" }))
      assert.strictEqual(unknown._tag, "UnknownEvent")
      assert.strictEqual(unknown.event_type, "incident.role.assigned")
      assert.deepStrictEqual(unknown.data, { anything: [1, 2] })
      assert.deepStrictEqual(unknown.extra, { trace: "t-1" })
      const withExtra = yield* Webhooks.decode(envelope("incident.annotated", { ...(dataTypes.incident_note as object), new_field: { x: 1 } }))
      assert.deepStrictEqual((withExtra.data as Record<string, unknown>).new_field, { x: 1 })
    }))

  it.effect("bad bodies are typed WebhookDecodeErrors: not JSON, not UTF-8, no envelope, bad data of a known type", () =>
    Effect.gen(function*() {
      const reason = (body: string | Uint8Array) => Effect.map(Effect.exit(Webhooks.decode(body)), (exit) => failure(exit).reason)
      assert.strictEqual(yield* reason("{not json"), "InvalidJson")
      assert.strictEqual(yield* reason(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), "InvalidJson")
      assert.strictEqual(yield* reason("[]"), "InvalidEnvelope")
      assert.strictEqual(yield* reason("{\"event\":{\"id\":1}}"), "InvalidEnvelope")
      assert.strictEqual(yield* reason(envelope("incident.triggered", { id: "Q1", type: "incident" })), "InvalidData")
      const e = failure(yield* Effect.exit(Webhooks.decode(envelope("incident.annotated", { type: "incident_note" }))))
      assert.strictEqual(e.eventType, "incident.annotated")
    }))

  it("property: any body decodes to an event or fails with a typed WebhookDecodeError, never a defect", async () => {
    const body = fc.oneof(
      fc.string(),
      fc.json(),
      fc.uint8Array({ maxLength: 128 }),
      fc.record({ event: fc.anything() }).map((v) => JSON.stringify(v)),
      fc.tuple(fc.constantFrom(...Object.keys(documented), "x.y"), fc.anything()).map(([t, data]) => envelope(t, data))
    )
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const exit = await Effect.runPromiseExit(Webhooks.decode(b))
        if (Exit.isSuccess(exit)) return typeof exit.value._tag === "string"
        const f = Cause.failureOption(exit.cause)
        return f._tag === "Some" && f.value._tag === "WebhookDecodeError"
      }),
      { numRuns: 500 }
    )
  })

  it.effect("verifyAndDecode checks the signature before parsing", () =>
    Effect.gen(function*() {
      const event = yield* Webhooks.verifyAndDecode(BODY, { "x-pagerduty-signature": `v1=${hmacHex(SECRET, BODY)}` }, Redacted.make(SECRET))
      assert.strictEqual(event.id, "5ac64822-4adc-4fda-ade0-410becf0de4f")
      const notJson = "{not json"
      const e = failure(yield* Effect.exit(Webhooks.verifyAndDecode(notJson, { "x-pagerduty-signature": `v1=${"0".repeat(64)}` }, Redacted.make(SECRET))))
      assert.strictEqual(e._tag, "WebhookSignatureError")
    }))
})

// ---------------------------------------------------------------------------
// The handler on a real server
// ---------------------------------------------------------------------------

const ServerLive = NodeHttpServer.layer(() => http.createServer(), { port: 0, host: "127.0.0.1" })

const serve = <E, R>(app: HttpApp.Default<E, R>) =>
  Effect.gen(function*() {
    yield* HttpServer.serveEffect(app)
    const server = yield* HttpServer.HttpServer
    const address = server.address as HttpServer.TcpAddress
    assert.strictEqual(address.hostname, "127.0.0.1")
    return `http://127.0.0.1:${address.port}`
  })

const post = (url: string, body: string, headers: Record<string, string>, method = "POST") =>
  Effect.promise(async () => {
    const res = await fetch(url, { method, body: method === "GET" ? null : body, headers })
    return { status: res.status, text: await res.text() }
  })

/** Runs the app on one in-memory request (no socket). */
const call = <E>(app: HttpApp.Default<E, never>, body: string, headers: Record<string, string>) =>
  app.pipe(
    Effect.provideService(
      HttpServerRequest.HttpServerRequest,
      HttpServerRequest.fromWeb(new Request("http://127.0.0.1/pagerduty", { method: "POST", body, headers }))
    ),
    Effect.map((response) => response.status)
  )

describe("Webhooks.handler", () => {
  it.effect("one span PagerDuty.webhook per delivery with the event and delivery ids; no secret or signature in spans or logs", () =>
    Effect.gen(function*() {
      const captured: Captured = { logs: [], spans: [] }
      const signature = `v1=${hmacHex(SECRET, BODY)}`
      const app = Webhooks.handler(Redacted.make(SECRET), (event) => event.id === "fail" ? Effect.fail("boom") : Effect.void)
      const statuses = yield* observe(
        Effect.all([
          call(app, BODY, { "x-pagerduty-signature": signature, "x-webhook-id": "wh-7", "x-webhook-subscription": "PSUB7" }),
          call(app, BODY, { "x-pagerduty-signature": `v1=${hmacHex("wrong", BODY)}` }),
          call(app, "{}", { "x-pagerduty-signature": `v1=${hmacHex(SECRET, "{}")}` }),
          call(Webhooks.handler([], () => Effect.void), BODY, { "x-pagerduty-signature": signature })
        ]),
        captured
      )
      assert.deepStrictEqual(statuses, [202, 401, 400, 500])
      const spans = captured.spans.filter((s) => s.name === "PagerDuty.webhook")
      assert.strictEqual(spans.length, 4)
      assert.deepStrictEqual(
        ["pagerduty.event.id", "pagerduty.event.type", "pagerduty.webhook.id", "pagerduty.webhook.subscription", "http.response.status_code"].map((k) => spans[0].attributes.get(k)),
        ["5ac64822-4adc-4fda-ade0-410becf0de4f", "incident.priority_updated", "wh-7", "PSUB7", 202]
      )
      assert.deepStrictEqual([spans[1].attributes.get("pagerduty.webhook.rejected"), spans[1].attributes.get("http.response.status_code")], ["InvalidSignature", 401])
      assert.strictEqual(spans[2].attributes.get("pagerduty.webhook.rejected"), "InvalidEnvelope")
      assert.strictEqual(spans[3].attributes.get("pagerduty.webhook.rejected"), "NoSecret")
      const all = everything(captured)
      for (const secret of [SECRET, signature.slice(3), hmacHex("wrong", BODY)]) assert.notInclude(all, secret)
    }))


  it.scoped("answers 202 to a signed event and gives the handler the typed event and delivery ids; 401/400/405/413 otherwise", () =>
    Effect.gen(function*() {
      const seen = yield* Queue.unbounded<readonly [Webhooks.WebhookEvent, Webhooks.Delivery]>()
      const app = Webhooks.handler(Redacted.make(SECRET), (event, delivery) => Queue.offer(seen, [event, delivery] as const), { maxBodyBytes: 64 * 1024 })
      const url = yield* serve(app)
      const signed = (body: string) => ({ "content-type": "application/json", "x-pagerduty-signature": `v1=${hmacHex(SECRET, body)}` })

      const ok = yield* post(url, BODY, { ...signed(BODY), "x-webhook-id": "wh-1", "x-webhook-subscription": "PSUB1" })
      assert.strictEqual(ok.status, 202)
      const [event, delivery] = yield* Queue.take(seen)
      assert.strictEqual(event._tag, "incident.priority_updated")
      assert.deepStrictEqual(delivery, { webhookId: "wh-1", subscriptionId: "PSUB1" })

      assert.strictEqual((yield* post(url, BODY, { "x-pagerduty-signature": `v1=${hmacHex("nope", BODY)}` })).status, 401)
      assert.strictEqual((yield* post(url, BODY, {})).status, 401)
      assert.strictEqual((yield* post(url, `${BODY}\n`, signed(BODY))).status, 401) // tampered
      assert.strictEqual((yield* post(url, "{\"no\":1}", signed("{\"no\":1}"))).status, 400)
      assert.strictEqual((yield* post(url, "", {}, "GET")).status, 405)
      const big = JSON.stringify({ event: { pad: "x".repeat(70 * 1024) } })
      const tooLarge = yield* post(url, big, signed(big))
      assert.strictEqual(tooLarge.status, 413)
      // nothing but the first delivery reached the handler
      assert.strictEqual(yield* Queue.size(seen), 0)
      // no answer echoes a secret or signature
      assert.notInclude(ok.text + tooLarge.text, SECRET)
    }).pipe(Effect.provide(ServerLive)))

  it.effect("a streamed body (no Content-Length) over the limit is 413 and the handler never runs", () =>
    Effect.gen(function*() {
      let ran = false
      const app = Webhooks.handler(Redacted.make(SECRET), () => Effect.sync(() => void (ran = true)), { maxBodyBytes: 1024 })
      const chunk = new TextEncoder().encode("x".repeat(512))
      let pulled = 0
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled++
          if (pulled > 100) controller.close()
          else controller.enqueue(chunk)
        }
      })
      const request = new Request("http://127.0.0.1/pagerduty", { method: "POST", body: stream, duplex: "half" } as RequestInit)
      const status = yield* app.pipe(Effect.provideService(HttpServerRequest.HttpServerRequest, HttpServerRequest.fromWeb(request)), Effect.map((r) => r.status))
      assert.strictEqual(status, 413)
      assert.isFalse(ran)
      // it stopped reading soon after the limit instead of buffering the whole body
      assert.isBelow(pulled, 10)
      // within the limit, a streamed body is verified and handled
      const small = new Request("http://127.0.0.1/pagerduty", {
        method: "POST",
        body: new Blob([BODY]).stream(),
        duplex: "half",
        headers: { "x-pagerduty-signature": `v1=${hmacHex(SECRET, BODY)}` }
      } as RequestInit)
      const big = Webhooks.handler(Redacted.make(SECRET), () => Effect.sync(() => void (ran = true)))
      assert.strictEqual(yield* big.pipe(Effect.provideService(HttpServerRequest.HttpServerRequest, HttpServerRequest.fromWeb(small)), Effect.map((r) => r.status)), 202)
      assert.isTrue(ran)
    }))

  it.scoped("a failing or dying handler answers 500 so PagerDuty redelivers; the next attempt succeeds", () =>
    Effect.gen(function*() {
      let calls = 0
      const app = Webhooks.handler(Redacted.make(SECRET), (event) =>
        Effect.suspend(() => {
          calls++
          if (calls === 1) return Effect.fail(new Error(`database down while handling ${event.id}`))
          if (calls === 2) return Effect.die("bug")
          return Effect.void
        }))
      const url = yield* serve(app)
      const headers = { "x-pagerduty-signature": `v1=${hmacHex(SECRET, BODY)}`, "x-webhook-id": "wh-9" }
      assert.strictEqual((yield* post(url, BODY, headers)).status, 500)
      assert.strictEqual((yield* post(url, BODY, headers)).status, 500)
      assert.strictEqual((yield* post(url, BODY, headers)).status, 202)
      assert.strictEqual(calls, 3)
    }).pipe(Effect.provide(ServerLive)))

  it.effect("secrets given as an Effect are read per request: a subscription made after start, then a rotation", () =>
    Effect.gen(function*() {
      const secrets = yield* Ref.make<ReadonlyArray<Redacted.Redacted<string>>>([])
      const app = Webhooks.handler(Ref.get(secrets), () => Effect.void)
      const signed = (secret: string) => ({ "x-pagerduty-signature": `v1=${hmacHex(secret, BODY)}` })
      assert.strictEqual(yield* call(app, BODY, signed(SECRET)), 500) // nothing configured yet
      yield* Ref.set(secrets, [Redacted.make(SECRET)])
      assert.strictEqual(yield* call(app, BODY, signed(SECRET)), 202)
      yield* Ref.set(secrets, [Redacted.make("next-secret"), Redacted.make(SECRET)])
      assert.strictEqual(yield* call(app, BODY, signed("next-secret")), 202)
      yield* Ref.set(secrets, [Redacted.make("next-secret")])
      assert.strictEqual(yield* call(app, BODY, signed(SECRET)), 401)
    }))

  it.scoped("a handler without a usable secret answers 500 (misconfiguration), never 2xx", () =>
    Effect.gen(function*() {
      const url = yield* serve(Webhooks.handler([], () => Effect.void))
      assert.strictEqual((yield* post(url, BODY, { "x-pagerduty-signature": `v1=${hmacHex("", BODY)}` })).status, 500)
    }).pipe(Effect.provide(ServerLive)))
})
