/**
 * The `pagerduty` executable: runs {@link Cli.main} on `process.argv` and exits with its code.
 * Ctrl-C interrupts the running command (its finalizers run) and exits 130.
 *
 * @since 0.1.0
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import { Effect, Exit, Layer } from "effect"
import * as Cli from "./Cli.js"

// `pagerduty ... | head` closes stdout early: stop quietly instead of crashing on EPIPE.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0)
  throw error
})

// What `@effect/cli` needs (NodeContext.layer would also load the command executor and workers).
const CliEnvironment = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer)

NodeRuntime.runMain(Cli.main(process.argv).pipe(Effect.provide(CliEnvironment)), {
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
