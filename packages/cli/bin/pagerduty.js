#!/usr/bin/env node
// The `pagerduty` command. Runs the single bundled file (dist/pagerduty.js, built by
// scripts/bundle-cli.mjs after `tsc -b`), which carries its own copy of effect and every other
// dependency: the package has no runtime dependencies, so no other Effect version can be loaded.
try {
  await import("../dist/pagerduty.js")
} catch (error) {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/pagerduty.js")) {
    process.stderr.write("pagerduty: dist/pagerduty.js is missing; in the repository run `pnpm build` first\n")
    process.exit(1)
  }
  throw error
}
