import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, it } from "@effect/vitest"
import { Effect } from "effect"
import { vi } from "vitest"
import { program } from "../src/demo.js"

// The demo is the README's first command: check that it runs end to end and prints what it
// claims. Effect's default Console writes through `console.log`, captured here. The on-call
// figures it prints come from the oncall-now / oncall-hours examples, whose values are checked
// independently (from the seeded rotations) in oncall-examples.test.ts; here we check that the
// demo prints exactly the lines those programs return.
it.live("the demo streams, writes, survives a 429, shows typed errors, on-call figures and events", () =>
  Effect.gen(function*() {
    const lines: Array<string> = []
    const spy = vi.spyOn(console, "log").mockImplementation((...args: Array<unknown>) => {
      lines.push(args.map(String).join(" "))
    })
    const result = yield* program({ rateLimitResetSeconds: 0 }).pipe(
      Effect.scoped,
      Effect.provide(NodeHttpClient.layerUndici),
      Effect.ensuring(Effect.sync(() => spy.mockRestore()))
    )
    const out = lines.join("\n")
    assert.match(out, /^PagerDuty simulator at http:\/\/127\.0\.0\.1:\d+/)
    assert.match(out, /1\. \d+ triggered incidents; the first three:/)
    assert.match(out, /2\. found user .+; created \S+ "Disk full on db-1", now acknowledged/)
    assert.match(out, /3\. a 429 was answered by waiting 0\.\d s; got 12 users/)
    assert.match(out, /4\. HttpError: GET http:\/\/127\.0\.0\.1:\d+\/incidents\/PNOPE00: 404 Not Found \(code 2100, request id \S+\)/)
    assert.include(out, "UrlError: https://api.pagerduty.com.evil.com/users: ForeignOrigin")
    assert.match(out, /The simulator served 10 requests so far\./)

    for (const line of [...result.onCallNow, ...result.hours, ...result.events]) assert.include(lines, line)
    assert.strictEqual(result.hours[0], "On-call hours in Q4 2025 (2025-10-01 to 2026-01-01, 92 days), 2 schedules:")
    // a weekly rotation covers the whole quarter: 92 days = 2208 hours per schedule
    const total = result.hours
      .slice(result.hours.indexOf("All schedules:") + 1)
      .reduce((sum, line) => sum + Number(/: ([\d.]+) h$/.exec(line)?.[1] ?? "NaN"), 0)
    assert.strictEqual(total, 2 * 2208)
    assert.include(result.events, "2. same key again: 1 open incident")
    assert.include(result.events, "7. dropped response, retried: 2 deliveries, 1 incident, key assigned by the client")
  }))
