#!/usr/bin/env node
// The `pagerduty` command. Runs the esbuild bundle (dist/bundle/pagerduty.js and its chunks, built by
// scripts/bundle-cli.mjs after `tsc -b`), which carries one copy of effect and of every other
// dependency: the package has no runtime dependencies, so no other Effect version can be loaded.
try {
  await import("../dist/bundle/pagerduty.js")
} catch (error) {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/bundle/pagerduty.js")) {
    process.stderr.write("pagerduty: dist/bundle/pagerduty.js is missing; in the repository run `pnpm build` first\n")
    process.exit(1)
  }
  throw error
}
