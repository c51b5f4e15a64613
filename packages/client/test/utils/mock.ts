/**
 * A scriptable mock `HttpClient` for unit tests: every request is recorded, and a handler
 * decides the answer (a web `Response`, a transport failure, or never answering).
 */
import { HttpClient, HttpClientError, HttpClientResponse } from "@effect/platform"
import type { HttpClientRequest } from "@effect/platform"
import { Context, Effect, Layer, Ref } from "effect"

export interface Recorded {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
}

export type Answer = Response | "transport-error" | "never"

export class Requests extends Context.Tag("test/Requests")<Requests, Ref.Ref<ReadonlyArray<Recorded>>>() {}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "x-request-id": `req-${status}`, ...headers }
  })

const bodyText = (req: HttpClientRequest.HttpClientRequest): string | undefined => {
  switch (req.body._tag) {
    case "Uint8Array":
      return new TextDecoder().decode(req.body.body)
    default:
      return undefined
  }
}

export const layer = (
  handler: (request: Recorded, n: number) => Answer | Effect.Effect<Answer>
): Layer.Layer<HttpClient.HttpClient | Requests> =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.map(Requests, (ref) =>
      HttpClient.make((req, url) => {
        const recorded: Recorded = { method: req.method, url: url.toString(), headers: { ...req.headers }, body: bodyText(req) }
        return Ref.updateAndGet(ref, (rs) => [...rs, recorded]).pipe(
          Effect.flatMap((rs) => {
            const answer = handler(recorded, rs.length)
            return Effect.isEffect(answer) ? answer : Effect.succeed(answer)
          }),
          Effect.flatMap((answer) => {
            if (answer === "never") return Effect.never
            if (answer === "transport-error") {
              return Effect.fail(
                new HttpClientError.RequestError({ request: req, reason: "Transport", cause: new Error("socket hang up") })
              )
            }
            return Effect.succeed(HttpClientResponse.fromWeb(req, answer))
          })
        )
      }))
  ).pipe(Layer.provideMerge(Layer.effect(Requests, Ref.make<ReadonlyArray<Recorded>>([]))))

export const recorded = Effect.flatMap(Requests, Ref.get)
