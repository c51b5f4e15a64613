/**
 * `pagerduty webhooks listen`: a local receiver for PagerDuty Webhooks v3. It serves
 * `Webhooks.handler` on `--host` (default 127.0.0.1) and `--port`, verifies every delivery's
 * `X-PagerDuty-Signature` with the subscription's secret (`--secret`, repeatable while a
 * secret rotates, or `PAGERDUTY_WEBHOOK_SECRET`), and prints each verified event as one line
 * of JSON on stdout (NDJSON, for `jq -c`). Rejected deliveries (bad signature or body) are
 * answered 401/400 and reported on stderr; the secret is never printed. It runs until Ctrl-C,
 * or until `--count` events were printed.
 *
 * @since 0.2.0
 */
import { Command, Options } from "@effect/cli"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServer from "@effect/platform/HttpServer"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as Webhooks from "@effect-pagerduty/client/Webhooks"
import { Config, Console, Context, Deferred, Effect, Layer, Option, Redacted, type Scope } from "effect"
import * as ErrorReport from "./ErrorReport.js"

/**
 * The NDJSON line printed for a verified event: the event's envelope fields and `data`, plus
 * the delivery's `webhook_id` (`X-Webhook-Id`) and `subscription_id`.
 *
 * @example
 * ```ts
 * import { WebhooksCommand } from "@effect-pagerduty/cli"
 *
 * const line = (event: Parameters<typeof WebhooksCommand.eventLine>[0]) =>
 *   WebhooksCommand.eventLine(event, { webhookId: "wh-1", subscriptionId: "PSUB1" })
 * ```
 *
 * @since 0.2.0
 * @category formatting
 */
export const eventLine = (event: Webhooks.WebhookEvent, delivery: Webhooks.Delivery): string =>
  JSON.stringify({
    id: event.id,
    event_type: event.event_type,
    resource_type: event.resource_type,
    occurred_at: event.occurred_at,
    agent: event.agent,
    client: event.client,
    data: event.data,
    webhook_id: delivery.webhookId ?? null,
    subscription_id: delivery.subscriptionId ?? null
  })

const rejection: Readonly<Record<number, string>> = {
  400: "the body is not a PagerDuty v3 webhook",
  401: "the X-PagerDuty-Signature header is missing or does not match the secret",
  405: "only POST is accepted",
  413: "the body is too large",
  500: "the event could not be handled"
}

/**
 * Options of {@link listen}.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import type { WebhooksCommand } from "@effect-pagerduty/cli"
 *
 * const options: WebhooksCommand.ListenOptions = { host: "127.0.0.1", port: 0, secrets: [Redacted.make("s")], count: 1 }
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface ListenOptions {
  readonly host: string
  /** 0 picks a free port (printed on stderr). */
  readonly port: number
  readonly secrets: ReadonlyArray<Redacted.Redacted<string>>
  /** Stop after this many events were printed; run until interrupted when absent. */
  readonly count?: number | undefined
}

/**
 * Serves the receiver (Node's HTTP server) until interrupted or `count` events were printed:
 * each verified event goes to `Console.log` as an {@link eventLine}, the address and every
 * rejected delivery to `Console.error`.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { WebhooksCommand } from "@effect-pagerduty/cli"
 *
 * const once = Effect.scoped(WebhooksCommand.listen({ host: "127.0.0.1", port: 0, secrets: [Redacted.make("s")], count: 1 }))
 * ```
 *
 * @since 0.2.0
 * @category running
 */
export const listen = (options: ListenOptions): Effect.Effect<void, HttpServerError.ServeError | ErrorReport.UsageError, Scope.Scope> =>
  Effect.gen(function*() {
    if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
      return yield* new ErrorReport.UsageError({ message: `--port must be an integer from 0 to 65535, got ${options.port}` })
    }
    if (options.count !== undefined && options.count < 1) {
      return yield* new ErrorReport.UsageError({ message: `--count must be at least 1, got ${options.count}` })
    }
    const [NodeHttpServer, Http] = yield* Effect.promise(() => Promise.all([import("@effect/platform-node/NodeHttpServer"), import("node:http")]))
    const done = yield* Deferred.make<void>()
    let printed = 0
    const app: HttpApp.Default = Webhooks.handler(options.secrets, (event, delivery) =>
      Effect.gen(function*() {
        yield* Console.log(eventLine(event, delivery))
        printed++
        if (options.count !== undefined && printed >= options.count) yield* Deferred.succeed(done, void 0)
      })).pipe(
        Effect.tap((response) => {
          const why = rejection[response.status]
          return response.status >= 400 && why !== undefined ? Console.error(`pagerduty: answered ${response.status}: ${why}`) : Effect.void
        })
      )
    const context = yield* Layer.build(NodeHttpServer.layerServer(() => Http.createServer(), { port: options.port, host: options.host }))
    yield* HttpServer.serveEffect(app).pipe(Effect.provide(context))
    const address = Context.get(context, HttpServer.HttpServer).address
    if (address._tag === "TcpAddress") {
      const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname
      yield* Console.error(`pagerduty: listening for PagerDuty webhooks on http://${host}:${address.port}/ (any path)`)
    }
    yield* Deferred.await(done)
  })

const listenCommand = Command.make(
  "listen",
  {
    port: Options.integer("port").pipe(
      Options.withPseudoName("N"),
      Options.withDescription("Port to listen on (0: a free port, printed on stderr).")
    ),
    host: Options.text("host").pipe(
      Options.withPseudoName("HOST"),
      Options.withDescription("Address to listen on. Optional: the default is 127.0.0.1 (this machine only)."),
      Options.withDefault("127.0.0.1")
    ),
    // text, wrapped in Redacted below: @effect/cli 0.77's repeated `Options.redacted` rejects a single occurrence
    secret: Options.text("secret").pipe(
      Options.withPseudoName("SECRET"),
      Options.withDescription(
        "The subscription's signing secret (from its create response). Repeatable while a secret rotates. Optional: the default is $PAGERDUTY_WEBHOOK_SECRET. Never printed."
      ),
      Options.repeated,
      Options.withDefault<ReadonlyArray<string>>([])
    ),
    count: Options.integer("count").pipe(
      Options.withPseudoName("N"),
      Options.withDescription("Exit after printing this many events. Optional: the default is to run until Ctrl-C."),
      Options.optional
    )
  },
  (o) =>
    Effect.gen(function*() {
      const fromEnv = yield* Config.option(Config.redacted("PAGERDUTY_WEBHOOK_SECRET"))
      const secrets = o.secret.length > 0 ? o.secret.map((s) => Redacted.make(s)) : Option.toArray(fromEnv)
      if (secrets.length === 0) {
        return yield* new ErrorReport.MissingConfiguration({ setting: "webhook secret", flag: "--secret", env: "PAGERDUTY_WEBHOOK_SECRET" })
      }
      yield* Effect.scoped(listen({ host: o.host, port: o.port, secrets, count: Option.getOrUndefined(o.count) }))
    })
).pipe(Command.withDescription(
  "Receive PagerDuty v3 webhooks: verify each delivery's signature with --secret and print each event as a line of JSON (NDJSON)"
))

/**
 * The `webhooks` command: `pagerduty webhooks listen --port N --secret S`.
 *
 * @example
 * ```ts
 * import { Command } from "@effect/cli"
 * import { WebhooksCommand } from "@effect-pagerduty/cli"
 *
 * const run = Command.run(WebhooksCommand.command, { name: "pagerduty", version: "0.2.0" })
 * ```
 *
 * @since 0.2.0
 * @category commands
 */
export const command = Command.make("webhooks").pipe(
  Command.withDescription("PagerDuty Webhooks v3: see 'pagerduty webhooks listen --help'"),
  Command.withSubcommands([listenCommand])
)
