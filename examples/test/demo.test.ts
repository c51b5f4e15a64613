import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, it } from "@effect/vitest"
import { Effect } from "effect"
import { vi } from "vitest"
import { program } from "../src/demo.js"

// The demo is the README's first command: check that it runs end to end and prints what it
// claims. Effect's default Console writes through `console.log`, captured here.
it.live("the demo streams, writes, survives a 429 and shows typed errors", () =>
  Effect.gen(function*() {
    const lines: Array<string> = []
    const spy = vi.spyOn(console, "log").mockImplementation((...args: Array<unknown>) => {
      lines.push(args.map(String).join(" "))
    })
    yield* program({ rateLimitResetSeconds: 0 }).pipe(
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
    assert.match(out, /The simulator served 10 requests\./)
  }))
