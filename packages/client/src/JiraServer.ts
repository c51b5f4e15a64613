/**
 * The Jira Server (Jira service) integration API (`https://app.pagerduty.com/integration-jira-service`):
 * rules. Always `Authorization: Bearer <access token>`, plus the `x-pagerduty-jira-signature`
 * header, which is kept `Redacted` and masked in traces like the token.
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { Config, Context, Effect, Layer, Option, Redacted, type Stream } from "effect"
import * as JiraServerTables from "./generated/JiraServerTables.js"
import * as Integration from "./internal/integration.js"
import { type PagerDutyError, UrlError } from "./PagerDutyError.js"
import type * as Pagination from "./Pagination.js"
import * as Region from "./Region.js"

/**
 * Options of {@link make}: `auth` is an OAuth access token (sent as `Bearer`) or any `Auth`;
 * `jiraSignatureToken` is the integration's signature token.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import type { JiraServer } from "@effect-pagerduty/client"
 *
 * const options: JiraServer.Options = { auth: Redacted.make("access-token"), jiraSignatureToken: Redacted.make("sig") }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Integration.CommonOptions {
  readonly jiraSignatureToken: Redacted.Redacted
}

/**
 * The Jira Server integration client.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { JiraServer } from "@effect-pagerduty/client"
 *
 * const rules = Effect.flatMap(JiraServer.JiraServerService, (jira: JiraServer.JiraServer) => Stream.runCollect(jira.listRules()))
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface JiraServer extends Integration.Verbs {
  /** `GET /rules`, every page. */
  readonly listRules: (options?: Integration.ListOptions) => Stream.Stream<unknown, PagerDutyError | Pagination.PaginationLimitError>
  /** `GET /rules/{id}` (unwrapped from `rule`). */
  readonly getRule: (id: string) => Effect.Effect<unknown, PagerDutyError>
  /** `POST /rules` (wrapped in `rule`). */
  readonly createRule: (rule: unknown) => Effect.Effect<unknown, PagerDutyError>
  /** `PUT /rules/{id}` (wrapped in `rule`). */
  readonly updateRule: (id: string, rule: unknown) => Effect.Effect<unknown, PagerDutyError>
  /** `DELETE /rules/{id}`. */
  readonly deleteRule: (id: string) => Effect.Effect<void, PagerDutyError>
}

/**
 * The tag of the Jira Server client.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { JiraServer } from "@effect-pagerduty/client"
 *
 * const rule = Effect.flatMap(JiraServer.JiraServerService, (jira) => jira.getRule("PRULE01"))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class JiraServerService extends Context.Tag("@effect-pagerduty/client/JiraServer")<JiraServerService, JiraServer>() {}

const SIGNATURE_HEADER = "x-pagerduty-jira-signature"

/**
 * Build the client on the `HttpClient` in context. A blank signature, or one that is not a
 * header-safe value (visible ASCII), is a `UrlError` (reason `Malformed`) and nothing is sent.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { JiraServer } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const jira = yield* JiraServer.make({ auth: Redacted.make("access-token"), jiraSignatureToken: Redacted.make("sig") })
 *   return yield* jira.createRule({ name: "Sync P1s", config: {} })
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<JiraServer, UrlError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const baseUrl = Integration.baseUrlOf(JiraServerTables, options)
    // A header value: a blank one is refused by PagerDuty, and a line break or a non-ASCII
    // character would only fail in the transport (and be retried). The value is never shown.
    if (!/^[\x21-\x7e]+$/.test(Redacted.value(options.jiraSignatureToken))) {
      return yield* new UrlError({
        url: baseUrl,
        reason: "Malformed",
        detail: "jiraSignatureToken must be a non-empty header value (visible ASCII, no spaces or line breaks)"
      })
    }
    const verbs = yield* Integration.make(JiraServerTables, {
      name: "jira-server",
      baseUrl,
      auth: Integration.authOf(options.auth, "bearer"),
      permittedMethods: ["GET", "POST", "PUT", "DELETE"],
      headers: { Accept: "application/json", [SIGNATURE_HEADER]: Redacted.value(options.jiraSignatureToken) },
      secretHeaders: [SIGNATURE_HEADER],
      retry: options.retry,
      timeout: options.timeout,
      transformClient: options.transformClient
    })
    const rule = (id: string) => Integration.path("/rules/{id}", { id })
    return JiraServerService.of({
      ...verbs,
      listRules: (o) => verbs.iterAll("/rules", o),
      getRule: (id) => Effect.flatMap(rule(id), (p) => verbs.rget(p)),
      createRule: (body) => verbs.rpost("/rules", body),
      updateRule: (id, body) => Effect.flatMap(rule(id), (p) => verbs.rput(p, body)),
      deleteRule: (id) => Effect.asVoid(Effect.flatMap(rule(id), (p) => verbs.rdelete(p)))
    })
  })

/**
 * A layer providing {@link JiraServerService}.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { JiraServer } from "@effect-pagerduty/client"
 *
 * const JiraLive = JiraServer.layer({ auth: Redacted.make("access-token"), jiraSignatureToken: Redacted.make("sig") })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<JiraServerService, UrlError, HttpClient.HttpClient> =>
  Layer.effect(JiraServerService, make(options))

/**
 * {@link layer} from `PAGERDUTY_ACCESS_TOKEN` and `PAGERDUTY_JIRA_SIGNATURE_TOKEN` (both redacted),
 * `PAGERDUTY_REGION` and optional `PAGERDUTY_JIRA_SERVER_BASE_URL`.
 *
 * @example
 * ```ts
 * import { JiraServer } from "@effect-pagerduty/client"
 *
 * const JiraLive = JiraServer.layerConfig()
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (overrides: Omit<Options, "auth" | "region" | "baseUrl" | "jiraSignatureToken"> = {}) =>
  Layer.unwrapEffect(
    Effect.map(
      Config.all({
        auth: Config.redacted("PAGERDUTY_ACCESS_TOKEN"),
        jiraSignatureToken: Config.redacted("PAGERDUTY_JIRA_SIGNATURE_TOKEN"),
        region: Region.config,
        baseUrl: Config.option(Config.string("PAGERDUTY_JIRA_SERVER_BASE_URL"))
      }),
      (c) => layer({ ...overrides, auth: c.auth, jiraSignatureToken: c.jiraSignatureToken, region: c.region, baseUrl: Option.getOrUndefined(c.baseUrl) })
    )
  )
