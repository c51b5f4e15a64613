#!/usr/bin/env node
// Docs check: every export of every public module must carry a doc comment with `@since`,
// `@category` and `@example`. Walks the exports with the TypeScript compiler API (the
// checker's view of each module, so `export { x }` lists and re-exports from internal files
// are followed to their declarations). Public modules are the `.ts` files under each
// package's src/ except `internal/` and `bin.ts` (the executable). Namespace re-exports
// (`export * as RestApi from "./RestApi.js"` in index.ts) are not checked themselves: the
// module they name is checked export by export.
//
// Usage: node scripts/docs-check.mjs [--json] [src-dir ...]
// (default: packages/client/src packages/testkit/src packages/cli/src). Exit code 1 when an
// export misses a tag; each offender is printed as `file:export: missing @tag, @tag`.
//
// Code blocks: node scripts/docs-check.mjs --blocks [--json] [file.md | dir ...]
// (default: README.md, every packages/*/README.md, docs/ except docs/api/). Every ```ts block is
// type-checked as its own module, as if it were a file in examples/ (so it imports the packages
// by their published names, resolved through their `exports` to the built dist/, plus
// everything examples/ depends on: @effect/platform-node, @effect/vitest, OpenTelemetry,
// ioredis). The options are the workspace's strict ones, less `noUnusedLocals` /
// `noUnusedParameters` (a snippet may declare what it does not use). A block must be
// complete: its imports and every identifier it uses. Exit code 1 when one does not compile;
// each error is printed as `file.md:line: message`, the line in the Markdown file.
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const REQUIRED = ["since", "category", "example"]

const args = process.argv.slice(2)
const json = args.includes("--json")
const dirs = args.filter((a) => !a.startsWith("--"))

if (args.includes("--blocks")) {
  const { checkBlocks } = await import("./docs-check-blocks.mjs")
  process.exit(checkBlocks(root, dirs, json))
}
const srcDirs = (dirs.length > 0 ? dirs : ["packages/client/src", "packages/testkit/src", "packages/cli/src"]).map((d) => path.resolve(root, d))

/** The public module files of a src/ directory. */
const publicFiles = (dir) => {
  const out = []
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== "internal") walk(p)
      } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") && !(d === dir && entry.name === "bin.ts")) {
        out.push(p)
      }
    }
  }
  walk(dir)
  return out.sort()
}

const files = srcDirs.flatMap(publicFiles)
const program = ts.createProgram(files, {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  allowJs: false,
  noEmit: true,
  skipLibCheck: true,
  types: []
})
const checker = program.getTypeChecker()

/** Tag names on a declaration's doc comments (for a variable: those of its statement). */
const tagsOf = (decl) => {
  const names = new Set()
  for (const tag of ts.getJSDocTags(decl)) names.add(tag.tagName.text)
  return names
}

const isNamespaceReexport = (symbol) =>
  (symbol.declarations ?? []).some((d) => ts.isSourceFile(d) || ts.isModuleDeclaration(d) && !d.body)

const offenders = []
let checked = 0
for (const file of files) {
  const sf = program.getSourceFile(file)
  if (sf === undefined) continue
  const moduleSymbol = checker.getSymbolAtLocation(sf)
  if (moduleSymbol === undefined) continue // no exports at all
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    let target = exported
    if (exported.flags & ts.SymbolFlags.Alias) {
      target = checker.getAliasedSymbol(exported)
      if (isNamespaceReexport(target)) continue
      // `export { x }` / `export { x } from "./y.js"`: the doc may sit on the export specifier
    }
    checked++
    const decls = [...(target.declarations ?? []), ...(exported !== target ? exported.declarations ?? [] : [])]
    const present = new Set()
    for (const decl of decls) for (const name of tagsOf(decl)) present.add(name)
    const missing = REQUIRED.filter((t) => !present.has(t))
    if (missing.length > 0) {
      offenders.push({ file: path.relative(root, file), export: exported.getName(), missing })
    }
  }
}

if (json) {
  process.stdout.write(JSON.stringify({ files: files.map((f) => path.relative(root, f)), checked, offenders }, null, 2) + "\n")
} else {
  for (const o of offenders) process.stdout.write(`${o.file}:${o.export}: missing ${o.missing.map((t) => `@${t}`).join(", ")}\n`)
  process.stdout.write(`docs check: ${files.length} public modules, ${checked} exports, ${offenders.length} missing @since/@category/@example\n`)
}
process.exit(offenders.length > 0 ? 1 : 0)
