/**
 * The baseline: the shortest correct PagerDuty client on this stack, plain `fetch` (Node's
 * built-in undici, keep-alive) with no library. It is the floor every scenario is measured
 * against, so it does only what correctness needs and what our client also does:
 *
 * - classic offset pagination advancing by the real page length, until `more` is false;
 * - a 429 waits `ratelimit-reset` seconds (else `retry-after`, else 1 s) and retries;
 * - a 500/502/503/504 on a GET waits like Python's client and ours by default
 *   (1.5 s × 2ⁿ⁺¹ = 3 s, 6 s, 12 s..., no jitter) and retries, at most 6 times;
 * - a dropped connection, a body cut short, or a 200 whose body is not JSON is retried at
 *   once (at most 5 times): the shortest correct handling of a transfer fault;
 * - with `concurrency: n`, the first page asks for `total`, then the remaining pages are
 *   fetched n at a time and emitted in order (an ordered window of promises);
 * - history: a window whose `total` exceeds 10 000 is split in halves (whole seconds),
 *   depth first, exactly like `iterHistory`.
 */
import { ACCEPT, API_KEY, ROUTING_KEY } from "./protocol.js"

const headers = { Authorization: `Token token=${API_KEY}`, Accept: ACCEPT }

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

const waitFor429 = (res: Response): number => {
  const reset = Number(res.headers.get("ratelimit-reset") ?? res.headers.get("retry-after") ?? "1")
  return (Number.isFinite(reset) && reset >= 0 ? reset : 1) * 1000
}

const retryable5xx = new Set([500, 502, 503, 504])

/** Transport failures (connection reset, body cut short) and unreadable JSON: retried at once, this many times. */
const maxReadRetries = 5

/** One GET: the response and its body, or `undefined` when the connection or the JSON broke. */
const attemptGet = async (url: string): Promise<{ readonly res: Response; readonly body: unknown } | undefined> => {
  try {
    const res = await fetch(url, { headers })
    if (!res.ok) {
      await res.arrayBuffer()
      return { res, body: undefined }
    }
    return { res, body: JSON.parse(await res.text()) }
  } catch {
    return undefined
  }
}

/** GET a JSON body, retrying 429, 5xx, dropped connections and unreadable bodies as described above. */
export const getJson = async (url: string): Promise<Record<string, unknown>> => {
  let serverErrors = 0
  let readErrors = 0
  for (;;) {
    const got = await attemptGet(url)
    if (got === undefined) {
      if (readErrors++ < maxReadRetries) continue
      throw new Error(`GET ${url}: the connection or the body failed ${readErrors} times`)
    }
    const { body, res } = got
    if (res.ok) return body as Record<string, unknown>
    if (res.status === 429) {
      await sleep(waitFor429(res))
    } else if (retryable5xx.has(res.status) && serverErrors < 6) {
      // python-pagerduty's (and our default) un-jittered backoff: 3 s, 6 s, 12 s, ...
      await sleep(3000 * 2 ** serverErrors++)
    } else {
      throw new Error(`GET ${url}: HTTP ${res.status}`)
    }
  }
}

const pageUrl = (base: string, path: string, params: Record<string, string>, offset: number, limit: number, total = false) => {
  const q = new URLSearchParams(params)
  q.set("limit", String(limit))
  q.set("offset", String(offset))
  if (total) q.set("total", "true")
  return `${base}${path}?${q}`
}

/** Every incident of `GET {base}/incidents` (with `params`), one callback per page. */
export const listIncidents = async (
  base: string,
  options: { readonly concurrency: number; readonly pageSize?: number; readonly params?: Record<string, string> },
  onPage: (items: ReadonlyArray<unknown>) => void
): Promise<void> => {
  const limit = options.pageSize ?? 100
  const params = options.params ?? {}
  if (options.concurrency <= 1) {
    let offset = 0
    for (;;) {
      const body = await getJson(pageUrl(base, "/incidents", params, offset, limit))
      const items = body["incidents"] as Array<unknown>
      onPage(items)
      offset += items.length
      if (body["more"] !== true || items.length === 0) return
    }
  }
  const first = await getJson(pageUrl(base, "/incidents", params, 0, limit, true))
  const firstItems = first["incidents"] as Array<unknown>
  onPage(firstItems)
  if (first["more"] !== true || firstItems.length === 0) return
  const total = Math.min(first["total"] as number, 10_000)
  const offsets: Array<number> = []
  for (let o = firstItems.length; o < total; o += limit) offsets.push(o)
  const inFlight: Array<Promise<Record<string, unknown>>> = []
  let next = 0
  const launch = () => {
    const o = offsets[next++]!
    inFlight.push(getJson(pageUrl(base, "/incidents", params, o, Math.min(limit, total - o))))
  }
  while (next < offsets.length && inFlight.length < options.concurrency) launch()
  while (inFlight.length > 0) {
    const body = await inFlight.shift()!
    if (next < offsets.length) launch()
    onPage(body["incidents"] as Array<unknown>)
  }
}

const formatInstant = (millis: number): string => {
  const iso = new Date(millis).toISOString()
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso
}

/** Every incident created in [since, until), past the 10 000 cap, by bisecting windows. */
export const historyIncidents = async (
  base: string,
  since: number,
  until: number,
  onPage: (items: ReadonlyArray<unknown>) => void
): Promise<void> => {
  const params = (s: number, u: number) => ({ since: formatInstant(s), until: formatInstant(u) })
  const node = async (s: number, u: number): Promise<void> => {
    const p = params(s, u)
    const body = await getJson(pageUrl(base, "/incidents", p, 0, 1, true))
    const total = body["total"] as number
    if (total === 0) return
    const seconds = Math.floor((u - s) / 1000)
    if (total <= 10_000 || seconds <= 1) return listIncidents(base, { concurrency: 1, params: p }, onPage)
    const mid = s + Math.floor(seconds / 2) * 1000
    await node(s, mid)
    await node(mid, u)
  }
  await node(since, until)
}

/** POST one Events v2 trigger; 429 and 5xx are retried (the dedup key makes that safe). */
export const trigger = async (base: string, dedupKey: string, i: number): Promise<void> => {
  const body = JSON.stringify({
    routing_key: ROUTING_KEY,
    event_action: "trigger",
    dedup_key: dedupKey,
    payload: { summary: `bench event ${i}`, source: "bench", severity: "info" }
  })
  let serverErrors = 0
  for (;;) {
    const res = await fetch(`${base}/v2/enqueue`, { method: "POST", headers: { "Content-Type": "application/json" }, body })
    if (res.status === 202) {
      const answer = await res.json() as { dedup_key?: unknown }
      if (answer.dedup_key !== dedupKey) throw new Error(`trigger ${dedupKey}: the answer has dedup_key ${String(answer.dedup_key)}`)
      return
    }
    await res.arrayBuffer()
    if (res.status === 429) await sleep(waitFor429(res))
    else if (res.status >= 500 && serverErrors < 6) await sleep(3000 * 2 ** serverErrors++)
    else throw new Error(`trigger ${dedupKey}: HTTP ${res.status}`)
  }
}

/** `count` triggers, `concurrency` at a time. */
export const triggers = async (base: string, tag: string, count: number, concurrency: number, onSent: () => void): Promise<void> => {
  let next = 0
  const worker = async () => {
    while (next < count) {
      const i = next++
      await trigger(base, `${tag}:${i}`, i)
      onSent()
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker))
}
