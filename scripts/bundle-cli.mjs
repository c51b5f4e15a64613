#!/usr/bin/env node
// Bundles the `pagerduty` command with esbuild into packages/cli/dist/bundle/: ONE build of the
// CLI's compiled modules (packages/cli/dist, from `tsc -b`), @effect-pagerduty/client and
// testkit, and exactly one copy of effect, @effect/cli, @effect/platform(-node) and undici. The
// entry is dist/bundle/pagerduty.js; what only some commands need (the simulator, the undici
// HTTP client, the webhook server) is split into chunks that it imports when a command uses
// them, so `pagerduty --version` parses a third of the code. Each module is in exactly one
// output file. The cli package ships only these files (plus the bin shim), so it has no runtime
// dependencies: an `effect` of another version installed next to it is never loaded, and
// nothing prints "Executing an Effect versioned X with a Runtime of version Y".
//
// Run after `tsc -b` (part of `pnpm build` and `pnpm test`; the cli's vitest config also runs it
// before its tests). Usage: node scripts/bundle-cli.mjs [--metafile] (--metafile prints the
// 15 biggest packages in the bundle).
import * as esbuild from "esbuild"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const cli = path.join(root, "packages/cli")
const entry = path.join(cli, "dist/bin.js")
const outdir = path.join(cli, "dist/bundle")

/** Builds the bundle; returns its entry file, the bytes of the entry and of all files, and the metafile. */
export const bundleCli = async ({ metafile = false } = {}) => {
  if (!fs.existsSync(entry)) throw new Error(`${path.relative(root, entry)} is missing: run \`tsc -b\` (pnpm build) first`)
  const version = JSON.parse(fs.readFileSync(path.join(cli, "package.json"), "utf8")).version
  const result = await esbuild.build({
    entryPoints: { pagerduty: entry },
    absWorkingDir: cli,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20.19",
    // Dynamic imports (the simulator, the undici client, the webhook server) become chunks
    // loaded on first use; code shared by several outputs goes to one shared chunk.
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
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
    outdir
  })
  // A warning (an import that will always be undefined, a require that cannot be bundled) is a
  // broken command at run time: fail the build instead.
  if (result.warnings.length > 0) {
    const text = await esbuild.formatMessages(result.warnings, { kind: "warning" })
    throw new Error(`esbuild warnings while bundling the cli:\n${text.join("")}`)
  }
  // Write a fresh directory and swap it in, so no stale chunk stays and a test spawning the
  // bin never reads half a bundle.
  const fresh = `${outdir}.${process.pid}.tmp`
  const old = `${outdir}.${process.pid}.old`
  fs.rmSync(fresh, { recursive: true, force: true })
  let bytes = 0
  let entryBytes = 0
  for (const file of result.outputFiles) {
    const target = path.join(fresh, path.relative(outdir, file.path))
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.writeFileSync(target, file.contents)
    bytes += file.contents.byteLength
    if (file.path === path.join(outdir, "pagerduty.js")) entryBytes = file.contents.byteLength
  }
  if (fs.existsSync(outdir)) fs.renameSync(outdir, old)
  fs.renameSync(fresh, outdir)
  fs.rmSync(old, { recursive: true, force: true })
  return { file: path.join(outdir, "pagerduty.js"), files: result.outputFiles.length, bytes, entryBytes, metafile: result.metafile }
}

/** vitest `globalSetup` of packages/cli: the bin tests spawn the bundle, so build it from the current dist first. */
export const setup = async () => {
  await bundleCli()
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now()
  const { bytes, entryBytes, file, files, metafile } = await bundleCli({ metafile: process.argv.includes("--metafile") })
  process.stdout.write(`bundled ${path.relative(root, file)}: ${(entryBytes / 1024).toFixed(0)} KB entry, ${files} files, ${(bytes / 1024).toFixed(0)} KB in all, in ${Date.now() - started} ms\n`)
  if (metafile !== undefined) {
    const inputs = Object.values(metafile.outputs).flatMap((output) => Object.entries(output.inputs))
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
