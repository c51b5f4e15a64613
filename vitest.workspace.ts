// The design fixes this file at the top level; vitest 3.2 reads it and runs every project.
export default [
  "packages/client/vitest.config.ts",
  "packages/testkit/vitest.config.ts",
  "packages/cli/vitest.config.ts",
  "examples/vitest.config.ts"
]
