/**
 * What the bench orchestrator (`run.ts`), the simulator process (`server.ts`) and the client
 * processes (`client.ts`) tell each other. Everything crosses process boundaries as JSON.
 */

/** Options of one simulator process. */
export interface ServerSpec {
  readonly incidents: number
  readonly latencyMs: number
  /** A 429 (`ratelimit-reset: reset`) on every nth `GET /incidents`. */
  readonly every429?: { readonly nth: number; readonly reset: number } | undefined
  /** A 503 on every nth `GET /incidents`. */
  readonly every503?: number | undefined
  /** A dropped connection (no answer) on every nth `GET /incidents`. */
  readonly everyDrop?: number | undefined
  /** A 200 whose JSON body is truncated on every nth `GET /incidents`. */
  readonly everyInvalidJson?: number | undefined
}

/** What the simulator process reports on `GET /stats?prefix=P` of its control port. */
export interface ServerStats {
  /** Every request the simulator answered, faulted ones included. */
  readonly requests: number
  /** 429s sent (fault rules and rate limiting). */
  readonly sent429: number
  /** Events received whose dedup key starts with the prefix. */
  readonly events: number
  /** Distinct dedup keys with the prefix. */
  readonly eventKeys: number
  /** Dedup keys with the prefix that arrived more than once. */
  readonly eventKeysSeenTwice: number
  /** CPU time (user + system) the simulator process has used so far, microseconds. */
  readonly cpuMicros: number
}

/** What one client process does. */
export type Task =
  | {
    readonly _tag: "list"
    /** Incidents the listing must return, numbered 1..expected. */
    readonly expected: number
    readonly concurrency: number
    /** Decode every item with the generated `Incident` schema (ours only). */
    readonly schema: boolean
  }
  | {
    readonly _tag: "history"
    readonly expected: number
    readonly since: string
    readonly until: string
  }
  | {
    readonly _tag: "events"
    readonly count: number
    readonly concurrency: number
  }
  | {
    readonly _tag: "throughput"
    readonly seconds: number
    readonly concurrency: number
    readonly pageSize: number
  }

/**
 * The implementations compared: our client, the raw `fetch` baseline, and PagerDuty's own
 * JavaScript client `@pagerduty/pdjs` 2.2.4.
 */
export type Impl = "ours" | "raw" | "pdjs"

/** One client process: which implementation, against which simulator, doing what. */
export interface ClientSpec {
  readonly impl: Impl
  readonly url: string
  readonly control: string
  readonly task: Task
  /** Untimed passes of the task before the timed one (JIT warm-up, connections open). */
  readonly warmup: number
  /** Prefix of dedup keys of the timed pass (events). */
  readonly tag: string
  /** Write a CPU profile of the timed pass (only) to this file. */
  readonly profile?: string | undefined
  /**
   * Give up on the timed pass after this many ms and report it as failed (pdjs may hang or
   * fail on faults; the result says what happened instead of failing the whole bench).
   */
  readonly timeoutMs?: number | undefined
}

/** What a client process prints as its last stdout line, after `RESULT `. */
export interface ClientResult {
  readonly wallMs: number
  /** CPU time (user + system) of the client process during the timed pass, ms. */
  readonly cpuMs: number
  /** CPU time the simulator process used during the timed pass, ms. */
  readonly serverCpuMs: number
  /** Items received (incidents listed, or events accepted). */
  readonly items: number
  /** Expected items never received. */
  readonly lost: number
  /** Items received more than once. */
  readonly duplicated: number
  /** Items outside the expected range. */
  readonly unexpected: number
  /** Requests the simulator answered during the timed pass. */
  readonly requests: number
  /** 429s the simulator sent during the timed pass. */
  readonly sent429: number
  /** Events: distinct dedup keys the simulator saw, and keys it saw more than once. */
  readonly eventKeys: number
  readonly eventKeysSeenTwice: number
  /** Peak resident set size of the process (`process.resourceUsage().maxRSS`), bytes. */
  readonly maxRss: number
  /** RSS just before the timed pass, bytes. */
  readonly rssBefore: number
  /** Heap used after a full GC before the timed pass, and the largest after-GC heap sampled during it, bytes. */
  readonly heapBefore: number
  readonly heapMaxAfterGc: number
  /** RSS when the first sample was taken (10 000 items in) and the largest RSS sampled after it, bytes. */
  readonly rssFirstSample: number
  readonly rssMaxSampled: number
  /** Throughput task: requests per second. */
  readonly perSecond: number
  /** Set when the timed pass failed or timed out (only for clients run with `timeoutMs`). */
  readonly error?: string | undefined
}

export const RESULT_PREFIX = "RESULT "

export const API_KEY = "sim-api-key"
export const ROUTING_KEY = "sim-routing-key-0000000000000000"
export const ACCEPT = "application/vnd.pagerduty+json;version=2"
