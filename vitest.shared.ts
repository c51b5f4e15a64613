import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

const root = path.dirname(fileURLToPath(import.meta.url))

// Tests run on the TypeScript sources: workspace packages resolve to `src/`, not to
// their built `dist/` (which is what users and the packaging check get).
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@effect-pagerduty\/(client|testkit|cli)$/, replacement: `${root}/packages/$1/src/index.ts` },
      { find: /^@effect-pagerduty\/(client|testkit|cli)\/(.+)$/, replacement: `${root}/packages/$1/src/$2.ts` }
    ]
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
