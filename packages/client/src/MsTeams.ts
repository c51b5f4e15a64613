/**
 * The MS Teams integration API (`https://api.pagerduty.com/integration-ms-teams`): incident
 * meetings and dedicated chats. Python's client permits POST only; the spec also defines
 * GET and DELETE on the dedicated chat, and every operation of the spec is reachable here.
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { Context, Effect, Layer } from "effect"
import * as MsTeamsTables from "./generated/MsTeamsTables.js"
import * as Integration from "./internal/integration.js"
import type { PagerDutyError, UrlError } from "./PagerDutyError.js"

/**
 * Options of {@link make}: `auth` is an API key (sent as `Token token=`) or any `Auth`.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import type { MsTeams } from "@effect-pagerduty/client"
 *
 * const options: MsTeams.Options = { auth: Redacted.make("u+key") }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Integration.CommonOptions {}

/**
 * Body of `createMeeting`: the spec requires the Microsoft Teams team id.
 *
 * @example
 * ```ts
 * import type { MsTeams } from "@effect-pagerduty/client"
 *
 * const body: MsTeams.MeetingRequest = { mst_team_id: "19:abc@thread.tacv2", meeting: { name: "Server room on fire" } }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface MeetingRequest {
  readonly mst_team_id: string
  readonly meeting?: { readonly name?: string | undefined } | undefined
  readonly [key: string]: unknown
}

/**
 * Body of `createDedicatedChat`: the spec requires the Microsoft Teams tenant id.
 *
 * @example
 * ```ts
 * import type { MsTeams } from "@effect-pagerduty/client"
 *
 * const body: MsTeams.DedicatedChatRequest = { mst_tenant_id: "dd649b90-2b30-45cb-a264-1130134c625e" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface DedicatedChatRequest {
  readonly mst_tenant_id: string
  readonly owner_pd_user_id?: string | undefined
  readonly chat?: { readonly name?: string | undefined } | undefined
  readonly [key: string]: unknown
}

/**
 * The MS Teams integration client.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { MsTeams } from "@effect-pagerduty/client"
 *
 * const meeting = Effect.flatMap(MsTeams.MsTeamsService, (teams: MsTeams.MsTeams) => teams.createMeeting("PINC123", { mst_team_id: "19:abc@thread.tacv2" }))
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface MsTeams extends Integration.Verbs {
  /** `POST /incidents/{incident_id}/meeting`; the `meeting` of the response. */
  readonly createMeeting: (incidentId: string, body: MeetingRequest) => Effect.Effect<unknown, PagerDutyError>
  /** `GET /incidents/{incident_id}/dedicated_chat`. */
  readonly getDedicatedChat: (incidentId: string) => Effect.Effect<unknown, PagerDutyError>
  /** `POST /incidents/{incident_id}/dedicated_chat`; the `chat` of the response. */
  readonly createDedicatedChat: (incidentId: string, body: DedicatedChatRequest) => Effect.Effect<unknown, PagerDutyError>
  /** `DELETE /incidents/{incident_id}/dedicated_chat`. */
  readonly deleteDedicatedChat: (incidentId: string) => Effect.Effect<void, PagerDutyError>
}

/**
 * The tag of the MS Teams client.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { MsTeams } from "@effect-pagerduty/client"
 *
 * const chat = Effect.flatMap(MsTeams.MsTeamsService, (teams) => teams.getDedicatedChat("PINC123"))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class MsTeamsService extends Context.Tag("@effect-pagerduty/client/MsTeams")<MsTeamsService, MsTeams>() {}

/**
 * Build the client on the `HttpClient` in context.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { MsTeams } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const teams = yield* MsTeams.make({ auth: Redacted.make("u+key") })
 *   return yield* teams.createMeeting("PINC123", { mst_team_id: "19:abc@thread.tacv2" })
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<MsTeams, UrlError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const verbs = yield* Integration.make(MsTeamsTables, {
      name: "ms-teams",
      baseUrl: Integration.baseUrlOf(MsTeamsTables, options),
      auth: Integration.authOf(options.auth, "token"),
      headers: { Accept: "application/json" },
      retry: options.retry,
      timeout: options.timeout,
      transformClient: options.transformClient
    })
    const meeting = (id: string) => Integration.path("/incidents/{incident_id}/meeting", { incident_id: id })
    const chat = (id: string) => Integration.path("/incidents/{incident_id}/dedicated_chat", { incident_id: id })
    return MsTeamsService.of({
      ...verbs,
      createMeeting: (id, body) => Effect.flatMap(meeting(id), (p) => verbs.rpost(p, body)),
      getDedicatedChat: (id) => Effect.flatMap(chat(id), (p) => verbs.rget(p)),
      createDedicatedChat: (id, body) => Effect.flatMap(chat(id), (p) => verbs.rpost(p, body)),
      deleteDedicatedChat: (id) => Effect.asVoid(Effect.flatMap(chat(id), (p) => verbs.rdelete(p)))
    })
  })

/**
 * A layer providing {@link MsTeamsService}.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { MsTeams } from "@effect-pagerduty/client"
 *
 * const TeamsLive = MsTeams.layer({ auth: Redacted.make("u+key") })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<MsTeamsService, UrlError, HttpClient.HttpClient> =>
  Layer.effect(MsTeamsService, make(options))

/**
 * {@link layer} from `PAGERDUTY_API_KEY`, `PAGERDUTY_AUTH_TYPE`, `PAGERDUTY_REGION` and optional
 * `PAGERDUTY_MS_TEAMS_BASE_URL`.
 *
 * @example
 * ```ts
 * import { MsTeams } from "@effect-pagerduty/client"
 *
 * const TeamsLive = MsTeams.layerConfig()
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (overrides: Omit<Options, "auth" | "region" | "baseUrl"> = {}) =>
  Layer.unwrapEffect(Effect.map(Integration.commonConfig("PAGERDUTY_MS_TEAMS_BASE_URL"), (c) => layer({ ...overrides, ...c })))
