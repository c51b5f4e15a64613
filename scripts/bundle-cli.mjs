#!/usr/bin/env node
// Bundles the `pagerduty` command into ONE file, packages/cli/dist/pagerduty.js, with esbuild:
// the CLI's compiled modules (packages/cli/dist, from `tsc -b`), @effect-pagerduty/client and
// testkit, and exactly one copy of effect, @effect/cli, @effect/platform(-node) and undici. The
// cli package ships only this file (plus the bin shim), so it has no runtime dependencies: an
// `effect` of another version installed next to it cannot be loaded by it, and nothing prints
// "Executing an Effect versioned X with a Runtime of version Y".
//
// Run after `tsc -b` (part of `pnpm build` and `pnpm test`; the cli's vitest config also runs it
// before its tests). Usage: node scripts/bundle-cli.mjs [--metafile] (--metafile prints the
// 15 biggest inputs).
import * as esbuild from "esbuild"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const cli = path.join(root, "packages/cli")
const entry = path.join(cli, "dist/bin.js")
const outfile = path.join(cli, "dist/pagerduty.js")

/** Builds the bundle; returns its path and size in bytes. */
export const bundleCli = async ({ metafile = false } = {}) => {
  if (!fs.existsSync(entry)) throw new Error(`${path.relative(root, entry)} is missing: run \`tsc -b\` (pnpm build) first`)
  const version = JSON.parse(fs.readFileSync(path.join(cli, "package.json"), "utf8")).version
  const result = await esbuild.build({
    entryPoints: [entry],
    absWorkingDir: cli,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20.19",
    // Dynamic imports (the simulator, the undici client) are inlined: one file, loaded lazily
    // by esbuild's module wrappers.
    splitting: false,
    // CommonJS dependencies (undici, ws, mime) call `require` for Node built-ins.
    banner: {
      js: [
        `// @effect-pagerduty/cli ${version}: the \`pagerduty\` command, bundled by scripts/bundle-cli.mjs (MIT).`,
        `// Third-party code bundled here: effect, @effect/* and their dependencies (MIT); see their packages for notices.`,
        `import { createRequire as __pdCreateRequire } from "node:module";`,
        `const require = __pdCreateRequire(import.meta.url);`
      ].join("\n")
    },
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: "none",
    minifyIdentifiers: true,
    keepNames: false,
    sourcemap: false,
    metafile,
    logLevel: "silent",
    write: false,
    outfile
  })
  // A warning (an import that will always be undefined, a require that cannot be bundled) is a
  // broken command at run time: fail the build instead.
  if (result.warnings.length > 0) {
    const text = await esbuild.formatMessages(result.warnings, { kind: "warning" })
    throw new Error(`esbuild warnings while bundling the cli:\n${text.join("")}`)
  }
  const [output] = result.outputFiles
  // Write next to the target and rename, so a test spawning the bin never reads half a file.
  const tmp = `${outfile}.${process.pid}.tmp`
  fs.writeFileSync(tmp, output.contents)
  fs.renameSync(tmp, outfile)
  return { file: outfile, bytes: output.contents.byteLength, metafile: result.metafile }
}

/** vitest `globalSetup` of packages/cli: the bin tests spawn the bundle, so build it from the current dist first. */
export const setup = async () => {
  await bundleCli()
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now()
  const { bytes, file, metafile } = await bundleCli({ metafile: process.argv.includes("--metafile") })
  process.stdout.write(`bundled ${path.relative(root, file)}: ${(bytes / 1024).toFixed(0)} KB in ${Date.now() - started} ms\n`)
  if (metafile !== undefined) {
    const inputs = Object.entries(metafile.outputs[Object.keys(metafile.outputs)[0]].inputs)
      .map(([name, { bytesInOutput }]) => [name.replace(/^.*node_modules\//, ""), bytesInOutput])
    const byPackage = new Map()
    for (const [name, bytesIn] of inputs) {
      const pkg = name.startsWith("@") ? name.split("/").slice(0, 2).join("/") : name.split("/")[0]
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesIn)
    }
    for (const [pkg, b] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
      process.stdout.write(`  ${(b / 1024).toFixed(0).padStart(6)} KB  ${pkg}\n`)
    }
  }
}
