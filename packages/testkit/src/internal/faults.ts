/**
 * Fault rules: which requests they hit (method, path glob or RegExp, every nth or listed
 * request numbers, a seeded probability) and what they do. A faulted request is answered
 * before the route runs, so it never changes state, except `drop` with `afterProcessing`,
 * which runs the route and then loses the response (the at-least-once case).
 *
 * @internal
 */
import { mulberry32 } from "./prng.js"

export type FaultKind =
  | { readonly _tag: "Latency"; readonly ms: number }
  | { readonly _tag: "Status429"; readonly reset: number; readonly retryAfter: number | undefined }
  | { readonly _tag: "Status5xx"; readonly status: number; readonly body: string }
  | { readonly _tag: "Drop"; readonly afterProcessing: boolean }
  | { readonly _tag: "InvalidJson" }
  | { readonly _tag: "OddErrorBody"; readonly variant: "array" | "string" | "errorsString"; readonly status: number }
  | { readonly _tag: "Timeout" }

export interface FaultRule {
  /** HTTP method to match (any when absent). */
  readonly method?: string | undefined
  /** Path to match: an exact path, a glob (`*` one segment, `**` anything) or a RegExp. */
  readonly path?: string | RegExp | undefined
  /**
   * Which matching requests fire (1-based, counted per rule): a number `n` fires on every
   * nth one (n, 2n, 3n...), a list fires on exactly those.
   */
  readonly nth?: number | ReadonlyArray<number> | undefined
  /** Chance in [0, 1] that a matching request fires, drawn from a PRNG seeded by `seed`. */
  readonly probability?: number | undefined
  /** Seed of the rule's PRNG; defaults to the simulator's seed. */
  readonly seed?: number | undefined
  /** Stop firing after this many hits. */
  readonly times?: number | undefined
  readonly kind: FaultKind
}

const globToRegExp = (glob: string): RegExp => {
  let re = ""
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]
    if (c === "*") {
      if (glob[i + 1] === "*") {
        re += ".*"
        i++
      } else {
        re += "[^/]*"
      }
    } else if (c === "?") {
      re += "[^/]"
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&")
    }
  }
  return new RegExp(`^${re}$`)
}

/** A rule with its counters. */
export class ActiveFault {
  private readonly pathRe: RegExp | undefined
  private readonly random: () => number
  private matched = 0
  private fired = 0

  constructor(readonly rule: FaultRule, defaultSeed: number) {
    this.pathRe = rule.path === undefined ? undefined : typeof rule.path === "string" ? globToRegExp(rule.path) : rule.path
    this.random = mulberry32(rule.seed ?? defaultSeed)
  }

  /** Counts the request if it matches and says whether the rule fires for it. */
  fires(method: string, path: string): boolean {
    const r = this.rule
    if (r.method !== undefined && r.method.toUpperCase() !== method) return false
    if (this.pathRe !== undefined) {
      this.pathRe.lastIndex = 0
      if (!this.pathRe.test(path)) return false
    }
    this.matched++
    if (r.times !== undefined && this.fired >= r.times) return false
    if (r.nth !== undefined) {
      const hit = typeof r.nth === "number" ? r.nth > 0 && this.matched % r.nth === 0 : r.nth.includes(this.matched)
      if (!hit) return false
    }
    // Drawn only for otherwise-matching requests, so the sequence is reproducible.
    if (r.probability !== undefined && this.random() >= r.probability) return false
    this.fired++
    return true
  }
}
