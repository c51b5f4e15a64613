/**
 * OpenTelemetry: export the client's spans (`PagerDuty.rest` per request, `PagerDuty.page`
 * per page, with `http.request.method`, `url.template`, `http.response.status_code`,
 * `pagerduty.request_id`, `pagerduty.retry_count`) and metrics (`pagerduty_requests_total`,
 * `pagerduty_request_time_ms_total`, `pagerduty_request_duration`, `pagerduty_retries_total`)
 * with `@effect/opentelemetry`, here to the console. Swap the console exporters for OTLP ones
 * to send them to a collector.
 *
 *   node examples/dist/src/otel-console.js   (serves the simulator on 127.0.0.1 itself)
 *
 * `program` and `telemetry` are exported so examples/test/observability.test.ts runs them
 * with in-memory exporters.
 */
import { NodeSdk } from "@effect/opentelemetry"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { ConsoleMetricExporter, PeriodicExportingMetricReader, type PushMetricExporter } from "@opentelemetry/sdk-metrics"
import { ConsoleSpanExporter, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base"
import { Observability, PagerDuty, RestApi } from "@effect-pagerduty/client"
import { Simulator } from "@effect-pagerduty/testkit"
import { Console, Effect, Redacted, Stream } from "effect"
import { pathToFileURL } from "node:url"

/** The OpenTelemetry SDK as a layer: spans exported one by one, metrics when the layer shuts down. */
export const telemetry = (spans: SpanExporter, metrics: PushMetricExporter) =>
  NodeSdk.layer(() => ({
    resource: { serviceName: "effect-pagerduty-example" },
    spanProcessor: new SimpleSpanProcessor(spans),
    // a long interval: the reader exports once more when the SDK shuts down
    metricReader: new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 60_000 })
  }))

/** Two pages of incidents and one read, inside an application span; prints the statistics. */
export const program = (baseUrl: string) =>
  Effect.gen(function*() {
    const pd = PagerDuty.fromRestApi(yield* RestApi.make({ apiKey: Redacted.make("sim-api-key"), baseUrl }))
    const [, stats] = yield* Observability.measure(
      Effect.gen(function*() {
        const incidents = yield* pd.listIncidents({ pageSize: 5 }).pipe(Stream.take(8), Stream.runCollect)
        for (const first of [...incidents].slice(0, 1)) yield* pd.getIncident(first.id)
      }).pipe(Effect.withSpan("triage", { attributes: { "app.step": "list and read" } }))
    )
    yield* Console.log(Observability.format(stats))
    return stats
  })

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  Effect.gen(function*() {
    const served = yield* Simulator.serve({ incidents: 20 })
    yield* program(served.url).pipe(Effect.provide(telemetry(new ConsoleSpanExporter(), new ConsoleMetricExporter())))
  }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici), Effect.runPromise).catch((e) => {
    console.error(String(e))
    process.exit(1)
  })
}
