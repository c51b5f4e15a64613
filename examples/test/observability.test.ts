/**
 * Runs the observability examples: the call-statistics table, and the OpenTelemetry export
 * (with in-memory exporters in place of the console ones).
 */
import { Simulator } from "@effect-pagerduty/testkit"
import { assert, describe, it } from "@effect/vitest"
import { AggregationTemporality, InMemoryMetricExporter } from "@opentelemetry/sdk-metrics"
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base"
import { Effect, Logger } from "effect"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Stats from "../src/observability-stats.js"
import * as Otel from "../src/otel-console.js"

// InMemorySpanExporter forgets its spans on shutdown (when the SDK layer closes): keep them.
class KeptSpans extends InMemorySpanExporter {
  override shutdown(): Promise<void> {
    return Promise.resolve()
  }
}

describe("observability examples", () => {
  it.live("observability-stats prints counts, time, retries and statuses per METHOD /path", () =>
    Effect.gen(function*() {
      const { stats, table } = yield* Stats.program({ rateLimitResetSeconds: 0 }).pipe(Effect.scoped)
      assert.deepStrictEqual(stats.counts, { "GET /incidents": 3, "GET /incidents/{id}": 2, "GET /users": 2 })
      assert.deepStrictEqual(stats.statuses["GET /users"], { "200": 1, "429": 1 })
      assert.deepStrictEqual(stats.retries, { "GET /users": 1 })
      assert.strictEqual(stats.totalCount, 7)
      const lines = table.split("\n")
      assert.match(lines[0]!, /^call\s+count\s+time ms\s+retries\s+statuses$/)
      assert.match(lines[1]!, /^GET \/incidents\s+3\s+\d+\s+0\s+200×3$/)
      assert.match(lines[3]!, /^GET \/users\s+2\s+\d+\s+1\s+200×1 429×1$/)
      assert.match(lines[4]!, /^total\s+7\s+\d+\s+1$/)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici), Effect.provide(Logger.remove(Logger.defaultLogger))))

  it.effect("otel-console exports a span per request and per page, and the pagerduty_* metrics", () =>
    Effect.gen(function*() {
      const spans = new KeptSpans()
      const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
      const stats = yield* Otel.program("https://api.pagerduty.com").pipe(Effect.provide(Otel.telemetry(spans, metrics)))
      assert.deepStrictEqual(stats.counts, { "GET /incidents": 2, "GET /incidents/{id}": 1 })

      const finished = spans.getFinishedSpans()
      const requests = finished.filter((s) => s.name === "PagerDuty.rest")
      assert.strictEqual(requests.length, 3)
      assert.deepStrictEqual(requests.map((s) => s.attributes["url.template"]), ["/incidents", "/incidents", "/incidents/{id}"])
      for (const span of requests) {
        assert.strictEqual(span.attributes["http.request.method"], "GET")
        assert.strictEqual(span.attributes["http.response.status_code"], 200)
        assert.match(String(span.attributes["pagerduty.request_id"]), /^sim-/)
        assert.strictEqual(span.attributes["pagerduty.retry_count"], 0)
      }
      const pages = finished.filter((s) => s.name === "PagerDuty.page")
      assert.strictEqual(pages.length, 2)
      const triage = finished.find((s) => s.name === "triage")
      assert.isDefined(triage)
      // every request span sits under the application's span
      for (const span of [...requests, ...pages]) assert.strictEqual(span.spanContext().traceId, triage!.spanContext().traceId)
      assert.notInclude(JSON.stringify(finished.map((s) => s.attributes)), "sim-api-key")

      const exported = metrics.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics))
      const requestsTotal = exported.find((m) => m.descriptor.name === "pagerduty_requests_total")
      assert.isDefined(requestsTotal)
      const points = requestsTotal!.dataPoints.filter((p) => p.attributes.path === "/incidents/{id}")
      assert.isAtLeast(Number(points[0]?.value ?? 0), 1)
      assert.isDefined(exported.find((m) => m.descriptor.name === "pagerduty_request_time_ms_total"))
      assert.isDefined(exported.find((m) => m.descriptor.name === "pagerduty_request_duration"))
    }).pipe(Effect.provide(Simulator.layer({ incidents: 20 }))))
})
