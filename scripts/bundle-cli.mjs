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

/**
 * Builds the bundle (`write: false`: only computes it, for the metafile); returns its entry file,
 * the number of files, the bytes of the entry and of all files, and the metafile.
 */
export const bundleCli = async ({ metafile = false, write = true } = {}) => {
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
  const entryFile = path.join(outdir, "pagerduty.js")
  const bytes = result.outputFiles.reduce((n, f) => n + f.contents.byteLength, 0)
  const entryBytes = result.outputFiles.find((f) => f.path === entryFile)?.contents.byteLength ?? 0
  if (write) {
    // Each file replaced atomically (write aside, rename), chunks before the entry that imports
    // them, stale chunks removed last: a `pagerduty` started meanwhile (a test) never sees a
    // missing or half-written file. Chunk names carry a content hash.
    const written = new Set()
    const ordered = [...result.outputFiles].sort((a, b) => Number(a.path === entryFile) - Number(b.path === entryFile))
    for (const file of ordered) {
      fs.mkdirSync(path.dirname(file.path), { recursive: true })
      const tmp = `${file.path}.${process.pid}.tmp`
      fs.writeFileSync(tmp, file.contents)
      fs.renameSync(tmp, file.path)
      written.add(file.path)
    }
    for (const entry of fs.readdirSync(outdir, { recursive: true, withFileTypes: true })) {
      const full = path.join(entry.parentPath ?? entry.path, entry.name)
      if (entry.isFile() && !written.has(full)) fs.rmSync(full, { force: true })
    }
  }
  return { file: entryFile, files: result.outputFiles.length, bytes, entryBytes, metafile: result.metafile }
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
