/**
 * The minimal install (README: `@effect-pagerduty/client effect @effect/platform`) works because
 * the main entry's import graph reaches no optional peer: `@effect/experimental` only through
 * `/Throttle` and `/ThrottleRedis` (whose Redis store loads `ioredis`), `undici` and
 * `@effect/platform-node` only through `/node`. esbuild walks the graph of src/ with every
 * package left external and lists what each entry imports from outside.
 */
import { assert, describe, it } from "@effect/vitest"
import { build } from "esbuild"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")) as {
  readonly peerDependencies: Record<string, string>
  readonly peerDependenciesMeta: Record<string, { readonly optional?: boolean }>
}

/** The packages (not Node built-ins) that `entry`'s import graph loads at run time (`deep`: the module paths). */
const externals = async (entry: string, deep = false): Promise<Array<string>> => {
  const result = await build({
    entryPoints: [path.join(pkgDir, "src", entry)],
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    write: false,
    metafile: true,
    logLevel: "silent"
  })
  const names = new Set<string>()
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imported of input.imports) {
      // type-only imports are erased before esbuild sees them; these are run-time imports
      if (imported.external !== true || imported.path.startsWith("node:")) continue
      const parts = imported.path.split("/")
      names.add(deep ? imported.path : imported.path.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!)
    }
  }
  return [...names].sort()
}

const optional = Object.keys(pkg.peerDependenciesMeta).filter((name) => pkg.peerDependenciesMeta[name]?.optional === true).sort()

describe("optional peer dependencies", () => {
  it("are declared: @effect/experimental, @effect/platform-node, ioredis and undici are optional peers", () => {
    assert.deepStrictEqual(optional, ["@effect/experimental", "@effect/platform-node", "ioredis", "undici"])
    for (const name of optional) assert.isString(pkg.peerDependencies[name], `${name} has a peer range`)
  })

  it("the main entry loads with the required peers only (effect, @effect/platform)", async () => {
    assert.deepStrictEqual(await externals("index.ts"), ["@effect/platform", "effect"])
  })

  it("each optional peer is reached only through its own entry point", async () => {
    assert.include(await externals("Throttle.ts"), "@effect/experimental")
    // ioredis itself is loaded by @effect/experimental's Redis store (ThrottleRedis imports only its types)
    assert.include(await externals("ThrottleRedis.ts", true), "@effect/experimental/RateLimiter/Redis")
    const node = await externals("node.ts")
    assert.include(node, "@effect/platform-node")
    assert.include(node, "undici")
  })
})
