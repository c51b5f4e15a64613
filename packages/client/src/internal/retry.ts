/**
 * The retry `Schedule` of one call, built from a `RetryPolicy` and driven by `Effect.retry`.
 *
 * An attempt that should be retried fails with a {@link Signal}; anything else (a typed
 * `PagerDutyError`) stops the schedule through `Schedule.whileInput`. The schedule is three
 * small parts combined with `Schedule.intersect` and checked with `Schedule.checkEffect`:
 *
 * - {@link budgets}: per-status budgets, `maxHttpRetries`, `maxNetworkRetries` and the single
 *   `onUnauthorized` refresh, counted in the schedule's own state;
 * - {@link delays}: the wait, from the response headers (`RetryPolicy.retryDelay`), `0` for
 *   the first network retry, else the policy's `backoff` schedule stepped in its own state;
 * - the deadline: no retry whose wait would end past `deadline` after `started`.
 *
 * Budgets count every request that reached the transport, including those a retrying
 * middleware in `transformClient` made inside one attempt (`Signal.sends`), so a user's own
 * retry uses our budget up faster instead of multiplying the attempts.
 */
import { Clock, Duration, Effect, Option, Schedule, ScheduleDecision, ScheduleInterval, ScheduleIntervals } from "effect"
import * as RetryPolicy from "../RetryPolicy.js"

/** What one request sent to the transport ended with: a status, or a network failure. */
export type Send = number | "network"

/**
 * An attempt's failure that the retry schedule may retry, with the final value to use when it
 * does not (`value`: the response or the transport error).
 */
export interface Signal<A> {
  readonly _tag: "RetrySignal"
  /** `status`: a retryable status; `network`: no response; `body`: an unreadable 2xx body; `refresh`: a 401 after `onUnauthorized`. */
  readonly kind: "status" | "network" | "body" | "refresh"
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  /** This attempt's sends, in order: more than one when user middleware retried inside. */
  readonly sends: ReadonlyArray<Send>
  readonly value: A
}

export const isSignal = (u: unknown): u is Signal<unknown> =>
  typeof u === "object" && u !== null && "_tag" in u && u._tag === "RetrySignal"

/** What the schedule outputs for each retry it allows: the wait and why (a status or `network`). */
export interface Step {
  readonly delay: Duration.Duration
  readonly reason: string
}

interface Budgets {
  readonly perStatus: Readonly<Record<number, number>>
  readonly http: number
  readonly network: number
  readonly refreshed: boolean
}

const countSends = (state: Budgets, sends: ReadonlyArray<Send>): Budgets =>
  sends.reduce<Budgets>((s, send) =>
    send === "network"
      ? { ...s, network: s.network + 1 }
      : { ...s, http: s.http + 1, perStatus: { ...s.perStatus, [send]: (s.perStatus[send] ?? 0) + 1 } }, state)

const continueNow = (now: number) => ScheduleDecision.continueWith(ScheduleInterval.after(now))

/**
 * Per-status, HTTP, network and refresh budgets. Sends before the last one of an attempt were
 * retried inside the attempt (user middleware) and are charged first.
 */
export const budgets = (policy: RetryPolicy.RetryPolicy, method: string, retryUnreadableBody: boolean) =>
  Schedule.makeWithState<Budgets, unknown, Signal<unknown>>(
    { perStatus: {}, http: 0, network: 0, refreshed: false },
    (now, input, state) => {
      if (!isSignal(input)) return Effect.succeed([state, input as Signal<unknown>, ScheduleDecision.done] as const)
      const charged = countSends(state, input.sends.slice(0, -1))
      const allowed = (() => {
        switch (input.kind) {
          case "refresh":
            return !charged.refreshed
          case "network":
            return charged.network < policy.maxNetworkRetries && RetryPolicy.retriesNetworkErrors(policy, method)
          case "body":
            return charged.network < policy.maxNetworkRetries && (RetryPolicy.isIdempotent(method) || retryUnreadableBody)
          case "status":
            return (charged.perStatus[input.status] ?? 0) < RetryPolicy.statusBudget(policy, method, input.status) &&
              charged.http < policy.maxHttpRetries
        }
      })()
      if (!allowed) return Effect.succeed([charged, input, ScheduleDecision.done] as const)
      const next: Budgets = input.kind === "refresh"
        ? { ...charged, refreshed: true }
        : countSends(charged, [input.kind === "status" ? input.status : "network"])
      return Effect.succeed([next, input, continueNow(now)] as const)
    }
  )

interface Delays {
  readonly backoff: unknown
  readonly networkRetries: number
}

/**
 * The wait before a retry: what the headers ask for (see `RetryPolicy.retryDelay`), `0` for a
 * `refresh` and for the first network or unreadable-body retry, else the next `backoff` delay
 * (the backoff ending ends the schedule).
 */
export const delays = (policy: RetryPolicy.RetryPolicy) =>
  Schedule.makeWithState<Delays, unknown, Step>(
    { backoff: policy.backoff.initial, networkRetries: 0 },
    (now, input, state) => {
      if (!isSignal(input)) return Effect.succeed([state, { delay: Duration.zero, reason: "" }, ScheduleDecision.done] as const)
      const reason = input.kind === "status" || input.kind === "refresh" ? String(input.status) : "network"
      const immediate = (next: Delays) => Effect.succeed([next, { delay: Duration.zero, reason }, continueNow(now)] as const)
      if (input.kind === "refresh") return immediate(state)
      if (input.kind !== "status" && state.networkRetries === 0) return immediate({ ...state, networkRetries: 1 })
      const fromHeaders = input.kind === "status" ? RetryPolicy.retryDelay(policy, input.status, input.headers, now) : Option.none()
      if (Option.isSome(fromHeaders)) {
        const delay = fromHeaders.value
        return Effect.succeed([state, { delay, reason }, ScheduleDecision.continueWith(ScheduleInterval.after(now + Duration.toMillis(delay)))] as const)
      }
      return Effect.map(policy.backoff.step(now, input, state.backoff), ([backoff, _out, decision]) => {
        const next: Delays = { backoff, networkRetries: state.networkRetries + (input.kind === "status" ? 0 : 1) }
        if (ScheduleDecision.isDone(decision)) return [next, { delay: Duration.zero, reason }, ScheduleDecision.done] as const
        const delay = Duration.millis(Math.max(0, ScheduleIntervals.start(decision.intervals) - now))
        return [next, { delay, reason }, decision] as const
      })
    }
  )

/**
 * The whole schedule of one call started at `started` (epoch ms): budgets ∩ delays, no retry
 * past the deadline, only {@link Signal}s retried. Outputs the allowed retry's {@link Step}.
 */
export const schedule = (
  policy: RetryPolicy.RetryPolicy,
  method: string,
  started: number,
  retryUnreadableBody: boolean
): Schedule.Schedule<Step, unknown> =>
  budgets(policy, method, retryUnreadableBody).pipe(
    Schedule.intersect(delays(policy)),
    Schedule.map(([_, step]) => step),
    Schedule.checkEffect((_input, step) =>
      Effect.map(
        Clock.currentTimeMillis,
        (now) => now + Duration.toMillis(step.delay) - started <= Duration.toMillis(policy.deadline)
      )
    ),
    Schedule.whileInput(isSignal)
  )

/**
 * Run `f` for each retry the schedule allows. `Schedule.tapOutput` also runs on the step that
 * ends the schedule, which logged (and counted) one retry more than was made.
 */
export const tapRetries = <Out, In, R, R2>(
  self: Schedule.Schedule<Out, In, R>,
  f: (out: Out) => Effect.Effect<void, never, R2>
): Schedule.Schedule<Out, In, R | R2> =>
  Schedule.makeWithState(self.initial, (now, input, state) =>
    Effect.tap(self.step(now, input, state), ([, out, decision]) => ScheduleDecision.isDone(decision) ? Effect.void : f(out)))
