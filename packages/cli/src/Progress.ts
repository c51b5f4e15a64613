/**
 * The progress line a long listing shows on stderr: items so far, pages fetched and
 * rate-limit waits, redrawn in place at most ten times a second and erased when the listing
 * ends (successfully or not).
 *
 * It is drawn only when stderr is a terminal (`process.stderr.isTTY`), so pipes, files and
 * CI logs never receive carriage returns or escape codes.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { Effect } from "effect"
import type { Scope } from "effect"

/**
 * The counters of a listing in progress.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import type { Progress } from "@effect-pagerduty/cli"
 *
 * const onPage = (progress: Progress.Progress, items: number) => Effect.zipRight(progress.page, progress.items(items))
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Progress {
  /** Count one page of a listing (its items are counted by {@link Progress.items}). */
  readonly page: Effect.Effect<void>
  /** Count `n` items written. */
  readonly items: (n: number) => Effect.Effect<void>
  /** Count one rate-limit answer (429) the client is waiting out. */
  readonly rateLimited: Effect.Effect<void>
  /** The counters so far. */
  readonly snapshot: Effect.Effect<Counters>
  /** Erase the line (idempotent). */
  readonly clear: Effect.Effect<void>
}

/**
 * A snapshot of the counters.
 *
 * @example
 * ```ts
 * import type { Progress } from "@effect-pagerduty/cli"
 *
 * const c: Progress.Counters = { items: 250, pages: 3, rateLimitWaits: 1 }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Counters {
  readonly items: number
  readonly pages: number
  readonly rateLimitWaits: number
}

/**
 * Options of {@link make}.
 *
 * @example
 * ```ts
 * import type { Progress } from "@effect-pagerduty/cli"
 *
 * const options: Progress.Options = { label: "incidents", enabled: true, write: (text) => process.stderr.write(text) }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** What is being listed (`incidents`, `/users`...). */
  readonly label: string
  /** Draw the line at all (the command passes `process.stderr.isTTY`). */
  readonly enabled: boolean
  /** Writes raw text to the terminal. */
  readonly write: (text: string) => void
  /** Minimum milliseconds between two redraws (default 100). */
  readonly intervalMs?: number | undefined
  /** The clock, for tests (default `Date.now`). */
  readonly now?: (() => number) | undefined
}

/**
 * The line for some counters: `incidents: 250 items, 3 pages, 1 rate-limit wait`.
 *
 * @example
 * ```ts
 * import { Progress } from "@effect-pagerduty/cli"
 *
 * Progress.render("incidents", { items: 250, pages: 3, rateLimitWaits: 0 }) // "incidents: 250 items, 3 pages"
 * ```
 *
 * @since 0.1.0
 * @category formatting
 */
export const render = (label: string, counters: Counters): string => {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`
  const parts = [plural(counters.items, "item")]
  if (counters.pages > 0) parts.push(plural(counters.pages, "page"))
  if (counters.rateLimitWaits > 0) parts.push(plural(counters.rateLimitWaits, "rate-limit wait"))
  return `${label}: ${parts.join(", ")}`
}

/** Carriage return and "erase the whole line". */
const eraseLine = "\r\u001b[2K"

/**
 * A progress line, erased when the scope closes.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Progress } from "@effect-pagerduty/cli"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const progress = yield* Progress.make({ label: "users", enabled: process.stderr.isTTY === true, write: (t) => process.stderr.write(t) })
 *   yield* progress.page
 *   yield* progress.items(25)
 * }))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Progress, never, Scope.Scope> => {
  const now = options.now ?? Date.now
  const interval = options.intervalMs ?? 100
  let counters: Counters = { items: 0, pages: 0, rateLimitWaits: 0 }
  let drawn = false
  let lastDraw = Number.NEGATIVE_INFINITY
  const draw = (force: boolean) =>
    Effect.sync(() => {
      if (!options.enabled) return
      const t = now()
      // throttled while the line is on screen; drawn at once after it was erased for output
      if (!force && drawn && t - lastDraw < interval) return
      lastDraw = t
      drawn = true
      options.write(`${eraseLine}${render(options.label, counters)}`)
    })
  const clear = Effect.sync(() => {
    if (drawn) options.write(eraseLine)
    drawn = false
  })
  const progress: Progress = {
    page: Effect.suspend(() => {
      counters = { ...counters, pages: counters.pages + 1 }
      return draw(false)
    }),
    items: (n) =>
      Effect.suspend(() => {
        counters = { ...counters, items: counters.items + n }
        return draw(false)
      }),
    rateLimited: Effect.suspend(() => {
      counters = { ...counters, rateLimitWaits: counters.rateLimitWaits + 1 }
      return draw(true)
    }),
    snapshot: Effect.sync(() => counters),
    clear
  }
  return Effect.as(Effect.addFinalizer(() => clear), progress)
}

/**
 * A progress line on `process.stderr`, drawn only when it is a terminal.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Progress } from "@effect-pagerduty/cli"
 *
 * const program = Effect.scoped(Effect.flatMap(Progress.stderr("incidents"), (p) => p.items(1)))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const stderr = (label: string): Effect.Effect<Progress, never, Scope.Scope> =>
  make({ label, enabled: process.stderr.isTTY === true, write: (text) => process.stderr.write(text) })

/**
 * An `HttpClient` middleware counting every rate-limit answer (429) on the progress line: each
 * one is a wait before the client retries. Pass it as a client's `transformClient`.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { RestApi } from "@effect-pagerduty/client"
 * import { Progress } from "@effect-pagerduty/cli"
 *
 * const layerFor = (progress: Progress.Progress) =>
 *   RestApi.layer({ apiKey: Redacted.make("u+key"), transformClient: Progress.countRateLimits(progress) })
 * ```
 *
 * @since 0.1.0
 * @category middleware
 */
export const countRateLimits = (progress: Progress) => (client: HttpClient.HttpClient): HttpClient.HttpClient =>
  HttpClient.transformResponse(client, Effect.tap((response) => (response.status === 429 ? progress.rateLimited : Effect.void)))

/**
 * A sink that erases the progress line before writing when stdout is a terminal too (by
 * default `process.stdout.isTTY`), so output never lands after the progress text; the next
 * update draws the line again below it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Output, Progress } from "@effect-pagerduty/cli"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const progress = yield* Progress.stderr("users")
 *   yield* Progress.clearing(progress, Output.stdout)("{}\n")
 * }))
 * ```
 *
 * @since 0.1.0
 * @category output
 */
export const clearing = (
  progress: Progress,
  sink: (text: string) => Effect.Effect<void>,
  sharedTerminal: boolean = process.stdout.isTTY === true
) =>
(text: string): Effect.Effect<void> => sharedTerminal ? Effect.zipRight(progress.clear, sink(text)) : sink(text)
