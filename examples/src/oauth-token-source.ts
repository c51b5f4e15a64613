/**
 * OAuth: a long-running program on a self-refreshing scoped app token.
 *
 * A `TokenSource` fetches a client-credentials token with the given scopes, refreshes it by
 * itself `refreshBuffer` before it expires (one request however many fibers ask), and after a
 * 401 fetches a new one and sends the request again, once. `RestApi` uses its `auth`, so the
 * polling loop below never sees a token, an expiry or a 401.
 *
 * Against the testkit simulator (`pnpm --filter @effect-pagerduty/testkit exec pagerduty-simulator`
 * prints its URL; its OAuth client is `sim-client-id` / `sim-client-secret`, tokens live 1 hour):
 *
 *   PAGERDUTY_OAUTH_CLIENT_ID=sim-client-id PAGERDUTY_OAUTH_CLIENT_SECRET=sim-client-secret \
 *   PAGERDUTY_OAUTH_BASE_URL=http://127.0.0.1:PORT PAGERDUTY_BASE_URL=http://127.0.0.1:PORT \
 *   [PAGERDUTY_OAUTH_SCOPES="read write"] [POLLS=13] [POLL_EVERY="10 minutes"] \
 *   node examples/dist/src/oauth-token-source.js
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { OAuth, RestApi } from "@effect-pagerduty/client"
import { Config, Console, Duration, Effect, Layer, Option, Redacted, Schedule } from "effect"
import { pathToFileURL } from "node:url"

/** Where the tokens and the REST API are. */
export interface Settings {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted
  readonly scopes: string
  /** Identity service origin (default: the region's, `https://identity.pagerduty.com`). */
  readonly oauthBaseUrl?: string | undefined
  /** REST API origin (default `https://api.pagerduty.com`). */
  readonly apiBaseUrl?: string | undefined
}

/**
 * `RestApiService` authenticated by a self-refreshing scoped app token, plus the
 * `TokenSourceService` itself (to show when tokens change). Needs an `HttpClient`.
 */
export const layer = (settings: Settings) => {
  const Tokens = OAuth.tokenSourceLayer({ grant: OAuth.appGrant(settings.scopes), refreshBuffer: "5 minutes" }).pipe(
    Layer.provide(OAuth.layer({ clientId: settings.clientId, clientSecret: settings.clientSecret, baseUrl: settings.oauthBaseUrl }))
  )
  const Rest = Layer.unwrapEffect(
    Effect.map(OAuth.TokenSourceService, (source) =>
      // `auth` replaces the API key: every request asks the source for a valid token
      RestApi.layer({ apiKey: Redacted.make(""), auth: source.auth, baseUrl: settings.apiBaseUrl }))
  )
  return Rest.pipe(Layer.provideMerge(Tokens))
}

/** {@link layer} from `PAGERDUTY_OAUTH_CLIENT_ID`, `PAGERDUTY_OAUTH_CLIENT_SECRET` (redacted), optional scopes and base URLs. */
export const layerConfig = Layer.unwrapEffect(
  Effect.map(
    Config.all({
      clientId: Config.string("PAGERDUTY_OAUTH_CLIENT_ID"),
      clientSecret: Config.redacted("PAGERDUTY_OAUTH_CLIENT_SECRET"),
      scopes: Config.withDefault(Config.string("PAGERDUTY_OAUTH_SCOPES"), "read write"),
      oauthBaseUrl: Config.option(Config.string("PAGERDUTY_OAUTH_BASE_URL")),
      apiBaseUrl: Config.option(Config.string("PAGERDUTY_BASE_URL"))
    }),
    (c) => layer({ ...c, oauthBaseUrl: Option.getOrUndefined(c.oauthBaseUrl), apiBaseUrl: Option.getOrUndefined(c.apiBaseUrl) })
  )
)

/**
 * Polls the open incidents `polls` times, `every` apart, and reports which token each poll
 * used (numbered in order of appearance, with its expiry relative to the start). Returns the
 * printed lines so a test can check them; no token ever appears in them.
 */
export const program = (options: { readonly polls: number; readonly every: Duration.DurationInput }) =>
  Effect.gen(function*() {
    const pd = yield* RestApi.RestApiService
    const source = yield* OAuth.TokenSourceService
    const lines: Array<string> = []
    const say = (line: string) => Effect.zipRight(Effect.sync(() => lines.push(line)), Console.log(line))
    const start = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
    const minutes = (ms: number) => `+${Math.round((ms - start) / 60_000)} min`
    const seen: Array<number> = [] // expiries of the tokens used so far, in order
    let poll = 0

    const once = Effect.gen(function*() {
      poll++
      const open = yield* pd.getTotal("/incidents", { params: { statuses: ["triggered", "acknowledged"] } })
      const token = yield* source.current
      if (!seen.includes(token.expiresAt)) seen.push(token.expiresAt)
      const now = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
      yield* say(`poll ${poll} at ${minutes(now)}: ${open} open incidents (token ${seen.indexOf(token.expiresAt) + 1}, expires at ${minutes(token.expiresAt)})`)
    })

    yield* once.pipe(Effect.repeat({ schedule: Schedule.spaced(options.every), times: options.polls - 1 }))
    yield* say(`tokens used: ${seen.length}`)
    return lines
  })

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const settings = Config.all({
    polls: Config.withDefault(Config.integer("POLLS"), 13),
    every: Config.withDefault(Config.duration("POLL_EVERY"), Duration.minutes(10))
  })
  if (process.env["PAGERDUTY_OAUTH_CLIENT_ID"] === undefined) {
    // Tokens live an hour: this program is meant to run for hours. Its test drives it on the
    // simulator across two expiries with a test clock instead of waiting.
    console.error(
      "Set PAGERDUTY_OAUTH_CLIENT_ID and PAGERDUTY_OAUTH_CLIENT_SECRET (see the top of examples/src/oauth-token-source.ts),\n" +
        "or watch it cross two token expiries on the simulator in seconds: pnpm vitest run examples/test/oauth.test.ts"
    )
    process.exit(2)
  }
  Effect.flatMap(settings, program).pipe(
    Effect.provide(layerConfig),
    Effect.provide(NodeHttpClient.layerUndici),
    Effect.runPromise
  ).catch((e) => {
    console.error(String(e))
    process.exit(1)
  })
}
