/**
 * The `pagerduty` executable: runs {@link Cli.main} on `process.argv` and exits with its code.
 * Ctrl-C interrupts the running command (its finalizers run) and exits 130.
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Effect, Exit } from "effect"
import * as Cli from "./Cli.js"

// `pagerduty ... | head` closes stdout early: stop quietly instead of crashing on EPIPE.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0)
  throw error
})

NodeRuntime.runMain(Cli.main(process.argv).pipe(Effect.provide(NodeContext.layer)), {
  disableErrorReporting: true,
  teardown: (exit, onExit) => {
    if (Exit.isSuccess(exit)) {
      // Let pending output drain, then exit with the command's code.
      process.exitCode = exit.value as number
      onExit(0)
    } else {
      onExit(130)
    }
  }
})
