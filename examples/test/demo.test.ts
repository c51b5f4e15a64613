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
    // the simulated date comes first, and what "last quarter" means
    assert.strictEqual(lines[1]?.startsWith("simulated clock: 2026-01-15 12:00 UTC"), true)
    assert.include(lines[1], "last quarter is Q4 2025")
    // seven steps, numbered 1 to 7 in order, each naming the example file it comes from
    const headings = lines.filter((line) => /^\n?\d+\. /.test(line)).map((line) => line.trim())
    assert.deepStrictEqual(headings.map((h) => Number(/^(\d+)\./.exec(h)?.[1])), [1, 2, 3, 4, 5, 6, 7])
    for (const heading of headings) assert.match(heading, /\[examples\/src\/[a-z0-9-]+\.ts[^\]]*\]$/)
    assert.match(headings[4]!, /oncall-now\.ts\]$/)
    assert.match(headings[5]!, /Q4 2025.*oncall-hours\.ts\]$/)
    assert.match(headings[6]!, /events-v2\.ts\]$/)
    assert.match(out, /\n {3}\d+ triggered incidents; the first three:/)
    assert.match(out, /\n {3}found user .+; created \S+ "Disk full on db-1", now acknowledged/)
    assert.match(out, /\n {3}a 429 was answered by waiting 0\.\d s; got 12 users/)
    assert.match(out, /\n {3}HttpError: GET http:\/\/127\.0\.0\.1:\d+\/incidents\/PNOPE00: 404 Not Found \(code 2100, request id \S+\)/)
    assert.include(out, "   UrlError: https://api.pagerduty.com.evil.com/users: ForeignOrigin")
    assert.include(out, "   the simulator served 10 requests so far")

    // the examples' own lines appear once each, under their step (their printing is muted);
    // a line the example numbers itself is numbered within the step
    for (const line of result.onCallNow) assert.include(lines, `   ${line}`)
    for (const line of result.hours) assert.include(lines, `   ${line}`)
    for (const line of result.events) assert.include(lines, `   ${line.replace(/^(\d+)\. /, "7.$1 ")}`)
    assert.include(lines, "   7.7 dropped response, retried: 2 deliveries, 1 incident, key assigned by the client")
    assert.strictEqual(lines.filter((line) => line === result.events[0]).length, 0)
    assert.strictEqual(lines.filter((line) => line.includes("On call now, 5 escalation policies:")).length, 1)
    // no line restarts the numbering below a step
    assert.strictEqual(lines.filter((line) => /^\d+\. /.test(line)).length, 0)
    assert.strictEqual(result.hours[0], "On-call hours in Q4 2025 (2025-10-01 to 2026-01-01, 92 days), 2 schedules:")
    // a weekly rotation covers the whole quarter: 92 days = 2208 hours per schedule
    const total = result.hours
      .slice(result.hours.indexOf("All schedules:") + 1)
      .reduce((sum, line) => sum + Number(/: ([\d.]+) h$/.exec(line)?.[1] ?? "NaN"), 0)
    assert.strictEqual(total, 2 * 2208)
    assert.include(result.events, "2. same key again: 1 open incident")
    assert.include(result.events, "7. dropped response, retried: 2 deliveries, 1 incident, key assigned by the client")
  }))
