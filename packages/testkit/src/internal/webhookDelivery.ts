/**
 * The webhook sender of the simulator's front ends (`Simulator.layer` and `Simulator.serve`):
 * a fiber in the simulator's scope takes webhooks from a queue and POSTs them with Effect's
 * `HttpClient`, so the API request that caused them never waits for a delivery.
 *
 * Behaviour, after PagerDuty's "Webhook behavior" page:
 * - one webhook at a time, in the order they were generated (a failing webhook holds back
 *   the ones after it, as PagerDuty queues behind a failing delivery);
 * - a 2xx answer delivers; a 429 or 5xx answer, no answer within `timeout` (default 5 s)
 *   or a connection error is retried after `retryDelays` (default 75 s, 150 s, 300 s,
 *   600 s: 5 attempts over about 19 minutes, exponential); any other status (4xx, and 3xx:
 *   redirects are not followed) drops the webhook at once;
 * - the body, `X-Webhook-Id` and signature are the same on every attempt;
 * - only loopback URLs are ever contacted (checked when subscribing and again here).
 *
 * Waits are on Effect's `Clock`, so under `TestClock` a retry happens when the test adjusts
 * the clock past its delay.
 *
 * @internal
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import type { Engine } from "./engine.js"
import { type Delivery, isLoopbackUrl } from "./webhooks.js"

export interface DeliverySettings {
  /** Deliver to this app in process instead of over the network. */
  readonly app: HttpApp.Default<unknown, never> | undefined
  /** Waits before each retry; their count is the number of retries. */
  readonly retryDelays: ReadonlyArray<Duration.Duration>
  readonly timeout: Duration.Duration
  /** Driving clock in epoch ms (the engine's), for attempt timestamps. */
  readonly clock: () => number
}

export const DEFAULT_RETRY_DELAYS: ReadonlyArray<Duration.DurationInput> = ["75 seconds", "150 seconds", "300 seconds", "600 seconds"]
export const DEFAULT_TIMEOUT: Duration.DurationInput = "5 seconds"

class Retry extends Data.TaggedError("Retry")<{}> {}

/** An `HttpClient` that answers with an `HttpApp` run in this fiber (no socket). */
const appClient = (app: HttpApp.Default<unknown, never>): HttpClient.HttpClient =>
  HttpClient.make((request, url) =>
    Effect.gen(function*() {
      const body = request.body._tag === "Uint8Array" ? request.body.body : undefined
      const web = new Request(url.href, { method: request.method, headers: request.headers, ...(body === undefined ? {} : { body: body.slice() }) })
      const response = yield* app.pipe(
        Effect.provideService(HttpServerRequest.HttpServerRequest, HttpServerRequest.fromWeb(web)),
        // An app failure is what a server would answer it with: a 500.
        Effect.catchAllCause(() => Effect.succeed(HttpServerResponse.empty({ status: 500 })))
      )
      return HttpClientResponse.fromWeb(request, HttpServerResponse.toWeb(response))
    })
  )

/** Starts delivering the engine's webhooks for the life of the scope. */
export const start = (engine: Engine, settings: DeliverySettings): Effect.Effect<void, never, Scope.Scope> =>
  Effect.gen(function*() {
    const client = settings.app === undefined
      ? yield* Effect.provide(HttpClient.HttpClient, FetchHttpClient.layer)
      : appClient(settings.app)
    const queue = yield* Queue.unbounded<Delivery>()
    engine.webhookSink = (d) => {
      Queue.unsafeOffer(queue, d)
    }
    yield* Effect.addFinalizer(() => Effect.sync(() => {
      engine.webhookSink = undefined
    }))
    const deliver = deliverOne(engine, client, settings)
    yield* Queue.take(queue).pipe(Effect.flatMap(deliver), Effect.forever, Effect.forkScoped)
  })

const deliverOne = (engine: Engine, client: HttpClient.HttpClient, settings: DeliverySettings) => (delivery: Delivery): Effect.Effect<void> => {
  const maxAttempts = settings.retryDelays.length + 1
  let attempt = 0
  const send = Effect.gen(function*() {
    attempt++
    const status = isLoopbackUrl(delivery.url)
      ? yield* client.execute(
        HttpClientRequest.post(delivery.url).pipe(
          HttpClientRequest.setHeaders(delivery.headers),
          HttpClientRequest.bodyUint8Array(new TextEncoder().encode(delivery.body), "application/json")
        )
      ).pipe(
        Effect.tap((response) => Effect.ignore(response.arrayBuffer)),
        Effect.map((response) => response.status),
        Effect.timeout(settings.timeout),
        Effect.provideService(FetchHttpClient.RequestInit, { redirect: "manual" }),
        Effect.orElseSucceed(() => 0)
      )
      : -1
    const delivered = status >= 200 && status < 300
    const retryable = status === 0 || status === 429 || status >= 500
    const outcome = delivered ? "delivered" : retryable && attempt < maxAttempts ? "retrying" : "failed"
    engine.webhookLog.record({
      subscriptionId: delivery.subscriptionId,
      webhookId: delivery.webhookId,
      eventId: delivery.eventId,
      eventType: delivery.eventType,
      url: delivery.url,
      attempt,
      status: Math.max(0, status),
      outcome,
      timestamp: engine.simNow(settings.clock())
    })
    if (outcome === "retrying") return yield* Effect.fail(new Retry())
  })
  const [first, ...rest] = settings.retryDelays
  const schedule: Schedule.Schedule<unknown> = first === undefined ? Schedule.stop : Schedule.fromDelays(first, ...rest)
  return send.pipe(Effect.retry(schedule), Effect.ignore)
}

/** Resolves the `webhooks` options of the simulator. */
export const settings = (
  options: {
    readonly app?: HttpApp.Default<unknown, never> | undefined
    readonly retryDelays?: ReadonlyArray<Duration.DurationInput> | undefined
    readonly timeout?: Duration.DurationInput | undefined
  } | undefined,
  clock: () => number
): DeliverySettings => ({
  app: options?.app,
  retryDelays: (options?.retryDelays ?? DEFAULT_RETRY_DELAYS).map((d) => Duration.decode(d)),
  timeout: Duration.decode(options?.timeout ?? DEFAULT_TIMEOUT),
  clock
})
