/**
 * PagerDuty's own JavaScript client, `@pagerduty/pdjs` 2.2.4, in the bench: what a user of
 * pdjs writes to list incidents (`api(...)` then `response.next()` until there is none) and
 * to send Events v2 triggers (`event(...)`). pdjs retries only 429 (3 times, 20 s apart) and
 * rejects on anything else (an HTML 503, a dropped connection, an unreadable body), so on
 * the fault scenarios it is expected to fail: the bench reports what happens.
 *
 * pdjs builds its events URL as `https://${server}/v2/enqueue` (no http, no port), so events
 * go through an agent that speaks plain HTTP to the simulator while claiming `https:` to
 * node-fetch; the REST calls take a full `url`. Both use a keep-alive agent, like the other
 * clients.
 */
import { api, event } from "@pagerduty/pdjs"
import * as Http from "node:http"
import * as Net from "node:net"
import { API_KEY, ROUTING_KEY } from "./protocol.js"

/** A keep-alive agent that connects to the simulator over plain TCP whatever the URL says. */
class SimulatorAgent extends Http.Agent {
  constructor(private readonly target: URL) {
    super({ keepAlive: true })
    // node-fetch requests `https:` URLs with `https.request`, which checks the agent's protocol
    ;(this as unknown as { protocol: string }).protocol = "https:"
  }
  override createConnection(): Net.Socket {
    return Net.connect(Number(this.target.port), this.target.hostname)
  }
}

interface PdjsResponse {
  readonly data: Record<string, unknown>
  readonly next?: (() => Promise<PdjsResponse>) | undefined
}

/** A failure pdjs rejected with: an Error, or (for a non-JSON body) the fetch `Response` itself. */
export const describe = (error: unknown): string => {
  if (error instanceof Error) return `${error.name}: ${error.message}`
  if (typeof error === "object" && error !== null && "status" in error) return `rejected with the HTTP ${String((error as { status: unknown }).status)} response (its body is not JSON)`
  return String(error)
}

/** Every incident of `GET {base}/incidents`, one callback per page, sequentially (pdjs has no concurrency). */
export const listIncidents = async (base: string, onPage: (items: ReadonlyArray<unknown>) => void): Promise<void> => {
  const pd = api({ token: API_KEY })
  let response = await pd({ url: `${base}/incidents`, method: "GET", data: { limit: 100, offset: 0 } }) as unknown as PdjsResponse
  onPage(response.data["incidents"] as ReadonlyArray<unknown>)
  while (response.next !== undefined) {
    response = await response.next()
    onPage(response.data["incidents"] as ReadonlyArray<unknown>)
  }
}

/** `count` Events v2 triggers with dedup keys `${tag}:${i}`, sequentially. */
export const triggers = async (base: string, tag: string, count: number, onSent: () => void): Promise<void> => {
  const agent = new SimulatorAgent(new URL(base))
  try {
    for (let i = 0; i < count; i++) {
      const dedupKey = `${tag}:${i}`
      const response = await event({
        server: "events.simulator.invalid",
        agent,
        data: {
          routing_key: ROUTING_KEY,
          event_action: "trigger",
          dedup_key: dedupKey,
          payload: { summary: `bench event ${i}`, source: "bench", severity: "info" }
        }
      } as unknown as Parameters<typeof event>[0]) as unknown as PdjsResponse
      if (response.data["dedup_key"] !== dedupKey) throw new Error(`trigger ${dedupKey}: the answer has dedup_key ${String(response.data["dedup_key"])}`)
      onSent()
    }
  } finally {
    agent.destroy()
  }
}
