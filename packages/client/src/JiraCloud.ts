/**
 * The Jira Cloud integration API (`https://api.pagerduty.com/integration-jira-cloud`):
 * accounts mappings and their rules. Every operation of the spec is reachable through the
 * generic verbs (`rget`, `rpost`, `iterAll`...), wrapped per the generated tables; typed
 * helpers cover the python-pagerduty use cases.
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { Context, Effect, Layer, Stream } from "effect"
import * as JiraCloudTables from "./generated/JiraCloudTables.js"
import * as Integration from "./internal/integration.js"
import type { PagerDutyError, UrlError } from "./PagerDutyError.js"
import type * as Pagination from "./Pagination.js"

/**
 * Options of {@link make}: `auth` is an API key (sent as `Token token=`) or any `Auth`
 * (`Auth.bearer(...)`, an `OAuth.TokenSource`'s `auth`).
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import type { JiraCloud } from "@effect-pagerduty/client"
 *
 * const options: JiraCloud.Options = { auth: Redacted.make("u+key"), region: "eu" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Integration.CommonOptions {}

/**
 * The Jira Cloud integration client.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { JiraCloud } from "@effect-pagerduty/client"
 *
 * const rules = Effect.flatMap(JiraCloud.JiraCloudService, (jira: JiraCloud.JiraCloud) =>
 *   Stream.runCollect(jira.listRules("PIJ90N7")))
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface JiraCloud extends Integration.Verbs {
  /** `GET /accounts_mappings`, every page. */
  readonly listAccountsMappings: (options?: Integration.ListOptions) => Stream.Stream<unknown, PagerDutyError | Pagination.PaginationLimitError>
  /** `GET /accounts_mappings/{id}`. */
  readonly getAccountsMapping: (id: string) => Effect.Effect<unknown, PagerDutyError>
  /** `GET /accounts_mappings/{id}/rules`, every page. */
  readonly listRules: (accountsMappingId: string, options?: Integration.ListOptions) => Stream.Stream<unknown, PagerDutyError | Pagination.PaginationLimitError>
  /** `GET /accounts_mappings/{id}/rules/{rule_id}`. */
  readonly getRule: (accountsMappingId: string, ruleId: string) => Effect.Effect<unknown, PagerDutyError>
  /** `POST /accounts_mappings/{id}/rules` (the body is the rule itself, unwrapped). */
  readonly createRule: (accountsMappingId: string, rule: unknown) => Effect.Effect<unknown, PagerDutyError>
  /** `PUT /accounts_mappings/{id}/rules/{rule_id}`. */
  readonly updateRule: (accountsMappingId: string, ruleId: string, rule: unknown) => Effect.Effect<unknown, PagerDutyError>
  /** `DELETE /accounts_mappings/{id}/rules/{rule_id}`. */
  readonly deleteRule: (accountsMappingId: string, ruleId: string) => Effect.Effect<void, PagerDutyError>
}

/**
 * The tag of the Jira Cloud client.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { JiraCloud } from "@effect-pagerduty/client"
 *
 * const mapping = Effect.flatMap(JiraCloud.JiraCloudService, (jira) => jira.getAccountsMapping("PIJ90N7"))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class JiraCloudService extends Context.Tag("@effect-pagerduty/client/JiraCloud")<JiraCloudService, JiraCloud>() {}

/**
 * Build the client on the `HttpClient` in context.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { JiraCloud } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const jira = yield* JiraCloud.make({ auth: Redacted.make("u+key") })
 *   return yield* jira.getAccountsMapping("PIJ90N7")
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<JiraCloud, UrlError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const verbs = yield* Integration.make(JiraCloudTables, {
      name: "jira-cloud",
      baseUrl: Integration.baseUrlOf(JiraCloudTables, options),
      auth: Integration.authOf(options.auth, "token"),
      permittedMethods: ["GET", "POST", "PUT", "DELETE"],
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      retry: options.retry,
      timeout: options.timeout,
      transformClient: options.transformClient
    })
    const mapping = (id: string) => Integration.path("/accounts_mappings/{id}", { id })
    const rules = (id: string) => Integration.path("/accounts_mappings/{id}/rules", { id })
    const rule = (id: string, ruleId: string) => Integration.path("/accounts_mappings/{id}/rules/{rule_id}", { id, rule_id: ruleId })
    return JiraCloudService.of({
      ...verbs,
      listAccountsMappings: (o) => verbs.iterAll("/accounts_mappings", o),
      getAccountsMapping: (id) => Effect.flatMap(mapping(id), (p) => verbs.rget(p)),
      listRules: (id, o) => Stream.unwrap(Effect.map(rules(id), (p) => verbs.iterAll(p, o))),
      getRule: (id, ruleId) => Effect.flatMap(rule(id, ruleId), (p) => verbs.rget(p)),
      createRule: (id, body) => Effect.flatMap(rules(id), (p) => verbs.rpost(p, body)),
      updateRule: (id, ruleId, body) => Effect.flatMap(rule(id, ruleId), (p) => verbs.rput(p, body)),
      deleteRule: (id, ruleId) => Effect.asVoid(Effect.flatMap(rule(id, ruleId), (p) => verbs.rdelete(p)))
    })
  })

/**
 * A layer providing {@link JiraCloudService}.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { JiraCloud } from "@effect-pagerduty/client"
 *
 * const JiraLive = JiraCloud.layer({ auth: Redacted.make("u+key") })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<JiraCloudService, UrlError, HttpClient.HttpClient> =>
  Layer.effect(JiraCloudService, make(options))

/**
 * {@link layer} from `PAGERDUTY_API_KEY` (redacted), `PAGERDUTY_AUTH_TYPE`, `PAGERDUTY_REGION`
 * and optional `PAGERDUTY_JIRA_CLOUD_BASE_URL`.
 *
 * @example
 * ```ts
 * import { JiraCloud } from "@effect-pagerduty/client"
 *
 * const JiraLive = JiraCloud.layerConfig()
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (overrides: Omit<Options, "auth" | "region" | "baseUrl"> = {}) =>
  Layer.unwrapEffect(Effect.map(Integration.commonConfig("PAGERDUTY_JIRA_CLOUD_BASE_URL"), (c) => layer({ ...overrides, ...c })))
