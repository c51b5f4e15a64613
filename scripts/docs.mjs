#!/usr/bin/env node
// `pnpm run docs`: the API reference, built from the doc comments by @effect/docgen, into docs/api/.
//
// For each package (client and testkit, or those named on the command line) docgen reads the
// package's own docgen.json, parses every public module of its src/, type-checks every
// `@example` (tsc, strict, against the built package), then writes one Markdown page per module.
// An example that does not compile fails the build (exit code 1) with tsc's message.
//
// Examples are type-checked, not run: docgen would run them all with `tsx` afterwards, but many
// of ours declare their inputs (`declare const response: HttpClientResponse`) or describe a call
// against a live account, so they are not programs. docgen has no switch for "check, don't run"
// (`--no-run-examples` skips the type-check too), so docgen finds, first on its PATH, a `tsx`
// of ours (.docgen/bin/tsx) that does nothing.
//
// docgen runs in a staging directory, .docgen/<package>/ (gitignored), rather than in the
// package itself:
// - the examples import the package by its published name (`@effect-pagerduty/client/RestApi`)
//   and resolve it through its `exports` to the built dist/ (`pnpm run docs` builds first), so they
//   are checked against the declarations users get, not re-type-checked src/ under other options;
// - docgen's output (docs/, its examples/ scratch directory) never lands in a package.
// The generated pages are moved to docs/api/<package>/ (gitignored: a build output) with an
// index, docs/api/README.md.
//
// The cli package is not documented here: it ships one bundled executable and no library exports
// (its modules are internals, documented in their source).
//
// Usage: node scripts/docs.mjs [client] [testkit]
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const all = ["client", "testkit"]
const selected = process.argv.slice(2).filter((a) => !a.startsWith("--"))
const packages = selected.length > 0 ? selected : all
for (const name of packages) {
  if (!all.includes(name)) {
    process.stderr.write(`docs: unknown package ${name} (one of ${all.join(", ")})\n`)
    process.exit(2)
  }
}

const staging = path.join(root, ".docgen")
const apiDir = path.join(root, "docs", "api")
const bin = path.join(root, "node_modules", ".bin")
const docgen = path.join(bin, "docgen")

/** Links the three workspace packages under .docgen/node_modules, so examples import them by name. */
const linkWorkspacePackages = () => {
  const scope = path.join(staging, "node_modules", "@effect-pagerduty")
  fs.mkdirSync(scope, { recursive: true })
  for (const name of all) {
    const link = path.join(scope, name)
    fs.rmSync(link, { force: true, recursive: true })
    fs.symlinkSync(path.relative(scope, path.join(root, "packages", name)), link, "dir")
  }
}

/** A staging directory docgen can run in: package.json, docgen.json, src/ and node_modules/ of the package. */
const stage = (name) => {
  const pkgDir = path.join(root, "packages", name)
  const dir = path.join(staging, name)
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"))
  // A name of its own, so docgen does not rewrite `from "@effect-pagerduty/<name>"` to ../../src:
  // the examples then resolve the package like a user's program does.
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: `${pkg.name}-api-reference`, private: true, type: "module", homepage: pkg.homepage ?? "../../README.md" }, null, 2)
  )
  fs.copyFileSync(path.join(pkgDir, "docgen.json"), path.join(dir, "docgen.json"))
  fs.symlinkSync(path.relative(dir, path.join(pkgDir, "src")), path.join(dir, "src"), "dir")
  fs.symlinkSync(path.relative(dir, path.join(pkgDir, "node_modules")), path.join(dir, "node_modules"), "dir")
  return dir
}

/** Module pages: `title` from docgen's front matter (or, once rewritten, the page's heading), file name. */
const modulePages = (dir) =>
  fs.existsSync(dir)
    ? fs.readdirSync(dir, { recursive: true })
      .filter((f) => f.endsWith(".md") && path.basename(f) !== "index.md")
      .sort()
      .map((f) => {
        const text = fs.readFileSync(path.join(dir, f), "utf8")
        const title = (/^title:\s*(.+)$/m.exec(text) ?? /^# (.+)$/m.exec(text))?.[1]?.trim() ?? f
        return { file: f, title }
      })
    : []

/** The `tsx` docgen spawns after tsc: examples are type-checked only (see the comment at the top). */
const noRunTsx = () => {
  const dir = path.join(staging, "bin")
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, "tsx")
  fs.writeFileSync(file, "#!/bin/sh\n# scripts/docs.mjs: docgen's examples are type-checked, not run\nexit 0\n", { mode: 0o755 })
  return dir
}

const results = []
fs.mkdirSync(staging, { recursive: true })
linkWorkspacePackages()
const noRun = noRunTsx()
for (const name of packages) {
  const dir = stage(name)
  const started = performance.now()
  const run = spawnSync(docgen, [], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, PATH: [noRun, bin, process.env.PATH ?? ""].join(path.delimiter) },
    maxBuffer: 64 * 1024 * 1024
  })
  const seconds = (performance.now() - started) / 1000
  const output = `${run.stdout ?? ""}${run.stderr ?? ""}`
  if (run.error !== undefined || run.status !== 0) {
    process.stderr.write(output)
    process.stderr.write(`docs: docgen failed for packages/${name} (exit ${run.status ?? run.error?.message})\n`)
    process.exit(1)
  }
  const examples = Number(/(\d+) example\(s\) found/.exec(output)?.[1] ?? 0)
  const out = path.join(apiDir, name)
  fs.rmSync(out, { recursive: true, force: true })
  fs.mkdirSync(path.dirname(out), { recursive: true })
  fs.renameSync(path.join(dir, "docs", "modules"), out)
  fs.rmSync(path.join(out, "index.md"), { force: true }) // docgen's empty "Modules" front-matter page
  fs.rmSync(dir, { recursive: true, force: true })
  // docgen writes Jekyll front matter (which its prettier pass mangles to "***"); for reading on
  // GitHub or in an editor each page starts with a heading and a link back to the index instead.
  for (const page of modulePages(out)) {
    const file = path.join(out, page.file)
    const text = fs.readFileSync(file, "utf8")
    const body = text.replace(/^(?:\*\*\*|---)\s*\n[\s\S]*?\n---\s*\n/, "")
    const module = page.title.replace(/\.ts$/, "")
    const heading = module === "index" ? `@effect-pagerduty/${name}` : `@effect-pagerduty/${name}/${module}`
    fs.writeFileSync(file, `# ${heading}\n\n[API reference](../README.md) · [Documentation](../../README.md)\n\n${body}`)
  }
  const pages = modulePages(out)
  results.push({ name, pages, examples, seconds })
  process.stdout.write(`docs: packages/${name}: ${pages.length} module pages, ${examples} examples type-checked, ${seconds.toFixed(1)} s\n`)
}

// The index of every package's pages (those built now and any built before).
const index = ["# API reference", "", "Generated by `pnpm run docs` (@effect/docgen) from the doc comments; every example was type-checked.", ""]
let total = 0
for (const name of all) {
  const pages = modulePages(path.join(apiDir, name))
  if (pages.length === 0) continue
  total += pages.length
  index.push(`## @effect-pagerduty/${name}`, "")
  for (const page of pages) index.push(`- [${page.title}](${name}/${page.file.split(path.sep).join("/")})`)
  index.push("")
}
fs.writeFileSync(path.join(apiDir, "README.md"), index.join("\n"))
process.stdout.write(`docs: ${total} API pages in docs/api (index: docs/api/README.md)\n`)
