#!/usr/bin/env node
/**
 * `pagerduty-simulator --port N [--host H] [--incidents N] [--latency ms] [--seed N]`:
 * runs the simulator as a local server until interrupted, printing its URL and keys.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Cause from "effect/Cause"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Simulator from "./Simulator.js"

const usage = "usage: pagerduty-simulator [--port N] [--host 127.0.0.1] [--incidents N] [--latency ms] [--seed N]"

const parse = (argv: ReadonlyArray<string>): Record<string, number | string> | string => {
  const out: Record<string, number | string> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === "--help" || arg === "-h") return usage
    const m = /^--(port|host|incidents|latency|seed)(?:=(.*))?$/.exec(arg)
    if (m === null) return `unknown argument: ${arg}\n${usage}`
    const value = m[2] ?? argv[++i]
    if (value === undefined) return `missing value for --${m[1]}\n${usage}`
    if (m[1] === "host") out.host = value
    else {
      const n = Number(value)
      if (!Number.isInteger(n) || n < 0) return `--${m[1]} needs a non-negative integer, got ${value}`
      out[m[1]] = n
    }
  }
  return out
}

const args = parse(process.argv.slice(2))
if (typeof args === "string") {
  const help = args === usage
  ;(help ? process.stdout : process.stderr).write(args + "\n")
  process.exit(help ? 0 : 2)
}

const num = (k: string) => typeof args[k] === "number" ? args[k] as number : undefined
const program = Effect.scoped(Effect.gen(function*() {
  const served = yield* Simulator.serve({
    port: num("port") ?? 0,
    host: typeof args.host === "string" ? args.host : "127.0.0.1",
    incidents: num("incidents"),
    latency: num("latency"),
    seed: num("seed")
  })
  const lines = [
    `PagerDuty simulator listening on ${served.url}`,
    `  REST API key (account):  ${Simulator.DEFAULT_API_KEY}    (Authorization: Token token=${Simulator.DEFAULT_API_KEY})`,
    `  REST API key (user):     ${Simulator.DEFAULT_USER_API_KEY}`,
    `  Events routing key:      ${Simulator.DEFAULT_ROUTING_KEY}`,
    `  OAuth client:            ${Simulator.DEFAULT_OAUTH_CLIENT.clientId} / ${Simulator.DEFAULT_OAUTH_CLIENT.clientSecret}`,
    `  Try: curl -H 'Authorization: Token token=${Simulator.DEFAULT_API_KEY}' ${served.url}/incidents`
  ]
  process.stdout.write(lines.join("\n") + "\n")
  return yield* Effect.never
}))

const fiber = Effect.runFork(program)
const stop = () => Effect.runFork(Fiber.interrupt(fiber))
process.once("SIGINT", stop)
process.once("SIGTERM", stop)
fiber.addObserver((exit) => {
  if (Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause)) {
    process.stderr.write(`pagerduty-simulator: ${String(exit.cause)}\n`)
    process.exit(1)
  }
  process.exit(0)
})
