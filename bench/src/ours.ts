/**
 * Our client in the bench: `RestApi` on `NodeHttpClient.layerUndici` (what the README's quick
 * start uses), default retry policy, pointed at the simulator with `baseUrl`.
 * `BENCH_HTTP_CLIENT=fetch` (global `fetch`, as the baseline) or `=node` (`node:http`) swaps
 * the `HttpClient` to compare transports.
 */
import type { HttpClient } from "@effect/platform"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { RestApi } from "@effect-pagerduty/client"
import { Incident } from "@effect-pagerduty/client/generated/RestSchemas"
import { Chunk, Effect, Layer, Redacted, Stream } from "effect"
import { API_KEY } from "./protocol.js"

/** The REST client layer for a simulator at `url`. */
export const restLayer = (url: string): Layer.Layer<RestApi.RestApiService> =>
  RestApi.layer({ apiKey: Redacted.make(API_KEY), baseUrl: url }).pipe(
    Layer.provide(httpLayer()),
    Layer.orDie
  )

/** The `HttpClient` of our runs (see the module note). */
export const httpLayer = (): Layer.Layer<HttpClient.HttpClient> => {
  switch (process.env["BENCH_HTTP_CLIENT"]) {
    case "fetch":
      return FetchHttpClient.layer
    case "node":
      return NodeHttpClient.layer
    default:
      return NodeHttpClient.layerUndici
  }
}

const forEachChunk = <A, E>(stream: Stream.Stream<A, E>, onPage: (items: ReadonlyArray<unknown>) => void) =>
  Stream.runForEachChunk(stream, (chunk) => Effect.sync(() => onPage(Chunk.toReadonlyArray(chunk))))

/** Every incident of `GET /incidents` through `iterAll`, one callback per chunk. */
export const listIncidents = (
  options: { readonly concurrency: number; readonly schema: boolean },
  onPage: (items: ReadonlyArray<unknown>) => void
): Effect.Effect<void, RestApi.StreamError, RestApi.RestApiService> =>
  Effect.flatMap(RestApi.RestApiService, (pd) =>
    forEachChunk(
      options.schema
        ? pd.iterAll("/incidents", { pageSize: 100, concurrency: options.concurrency, schema: Incident })
        : pd.iterAll("/incidents", { pageSize: 100, concurrency: options.concurrency }),
      onPage
    ))

/** Every incident created in [since, until) through `iterHistory` (bisects past the 10 000 cap). */
export const historyIncidents = (
  since: string,
  until: string,
  onPage: (items: ReadonlyArray<unknown>) => void
): Effect.Effect<void, RestApi.StreamError, RestApi.RestApiService> =>
  Effect.flatMap(RestApi.RestApiService, (pd) => forEachChunk(pd.iterHistory("/incidents", { since, until, pageSize: 100 }), onPage))
