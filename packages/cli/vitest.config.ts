import { defineProject, mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

// globalSetup: test/bin.test.ts spawns bin/pagerduty.js, which runs the esbuild bundle
// dist/bundle/pagerduty.js; rebuild it from the current dist (after `tsc -b`) so it is never stale.
export default mergeConfig(shared, defineProject({ test: { name: "cli", globalSetup: ["../../scripts/bundle-cli.mjs"] } }))
