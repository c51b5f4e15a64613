/**
 * Every export of every public module (client, testkit, cli; `internal/` excluded) has a doc
 * comment with `@since`, `@category` and `@example`, as scripts/docs-check.mjs finds them with
 * the TypeScript compiler API; and every ```ts block of the README, the packages' READMEs and
 * docs/ type-checks (`docs-check.mjs --blocks`). The examples of the doc comments themselves
 * are type-checked and run by `pnpm run docs` (@effect/docgen, scripts/docs.mjs).
 */
import { describe, expect, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..")
const script = path.join(root, "scripts", "docs-check.mjs")

interface Report {
  readonly files: ReadonlyArray<string>
  readonly checked: number
  readonly offenders: ReadonlyArray<{ readonly file: string; readonly export: string; readonly missing: ReadonlyArray<string> }>
}

interface BlocksReport {
  readonly files: ReadonlyArray<string>
  readonly blocks: ReadonlyArray<{ readonly file: string; readonly line: number }>
  readonly errors: ReadonlyArray<{ readonly file: string; readonly line: number; readonly message: string }>
  readonly brokenLinks: ReadonlyArray<{ readonly file: string; readonly line: number; readonly target: string }>
}

const checkBlocks = (...targets: ReadonlyArray<string>): { readonly status: number | null; readonly report: BlocksReport } => {
  const result = spawnSync(process.execPath, [script, "--blocks", "--json", ...targets], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
  if (result.error !== undefined) throw result.error
  return { status: result.status, report: JSON.parse(result.stdout) as BlocksReport }
}

const check = (...dirs: ReadonlyArray<string>): { readonly status: number | null; readonly report: Report } => {
  const result = spawnSync(process.execPath, [script, "--json", ...dirs], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
  if (result.error !== undefined) throw result.error
  return { status: result.status, report: JSON.parse(result.stdout) as Report }
}

describe("doc comments", () => {
  it("every public export has @since, @category and @example", { timeout: 120_000 }, () => {
    const { report, status } = check()
    const offenders = report.offenders.map((o) => `${o.file}:${o.export}: missing ${o.missing.map((t) => `@${t}`).join(", ")}`)
    expect(offenders).toEqual([])
    expect(status).toBe(0)
    // it did look at the packages, not at an empty set
    expect(report.files).toEqual(expect.arrayContaining([
      "packages/client/src/RestApi.ts",
      "packages/client/src/generated/RestSchemas.ts",
      "packages/testkit/src/Simulator.ts"
    ]))
    expect(report.files.some((f) => f.includes("/internal/"))).toBe(false)
    expect(report.checked).toBeGreaterThan(100)
  })

  it("reports each export missing a tag, follows `export { x }` into internal files, skips namespace re-exports", { timeout: 120_000 }, () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "docs-check-"))
    try {
      const src = path.join(tmp, "src")
      fs.mkdirSync(path.join(src, "internal"), { recursive: true })
      const full = "/**\n * Fine.\n *\n * @example\n * ```ts\n * const x = 1\n * ```\n *\n * @since 0.1.0\n * @category models\n */\n"
      fs.writeFileSync(
        path.join(src, "Mod.ts"),
        [
          'import { hidden } from "./internal/hidden.js"',
          `${full}export const documented = 1`,
          "/** @since 0.1.0 */\nexport const noCategory = 2",
          "export interface Bare { readonly a: string }",
          `${full}export class Klass {}`,
          "export { hidden }",
          ""
        ].join("\n")
      )
      fs.writeFileSync(path.join(src, "internal", "hidden.ts"), "/**\n * @since 0.1.0\n * @category internal\n */\nexport const hidden = 3\n")
      fs.writeFileSync(path.join(src, "index.ts"), '/** @since 0.1.0 */\nexport * as Mod from "./Mod.js"\n')
      fs.writeFileSync(path.join(src, "bin.ts"), "export const notAModule = 1\n")
      const { report, status } = check(src)
      expect(status).toBe(1)
      expect([...report.offenders].sort((a, b) => a.export.localeCompare(b.export))).toEqual([
        { file: path.relative(root, path.join(src, "Mod.ts")), export: "Bare", missing: ["since", "category", "example"] },
        { file: path.relative(root, path.join(src, "Mod.ts")), export: "hidden", missing: ["example"] },
        { file: path.relative(root, path.join(src, "Mod.ts")), export: "noCategory", missing: ["category", "example"] }
      ])
      expect(report.files).toEqual([path.relative(root, path.join(src, "Mod.ts")), path.relative(root, path.join(src, "index.ts"))])
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true })
    }
  })

  it("every ts code block of README.md, the packages' READMEs and docs/ type-checks; every relative link resolves", { timeout: 120_000 }, () => {
    const { report, status } = checkBlocks()
    expect(report.errors.map((e) => `${e.file}:${e.line}: ${e.message}`)).toEqual([])
    expect(report.brokenLinks.map((l) => `${l.file}:${l.line}: ${l.target}`)).toEqual([])
    expect(status).toBe(0)
    // it read the README, the guide and the packages' READMEs, not an empty set
    expect(report.files).toEqual(expect.arrayContaining(["README.md", "docs/README.md", "docs/guide/rest.md", "packages/testkit/README.md"]))
    expect(report.files.some((f) => f.startsWith("docs/api/"))).toBe(false)
    expect(report.blocks.filter((b) => b.file === "README.md").length).toBeGreaterThan(0)
    expect(new Set(report.blocks.map((b) => b.file)).size).toBeGreaterThan(10)
  })

  it("the README stays a first page: at most 15 KB, with the two set-up commands and links to the guide", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(15 * 1024)
    expect(readme).toContain("npm i -g pnpm@10.34.9 && pnpm install && pnpm demo")
    expect(readme).toMatch(/^pnpm test\b/m)
    expect(readme).toContain("](docs/README.md)")
  })

  it("the testing guide's example is examples/test/readme-testing.test.ts verbatim (which vitest runs)", () => {
    const guide = fs.readFileSync(path.join(root, "docs", "guide", "testing.md"), "utf8")
    const block = /```ts\n([\s\S]*?)```/.exec(guide)?.[1]
    const test = fs.readFileSync(path.join(root, "examples", "test", "readme-testing.test.ts"), "utf8")
    expect(block).toBeDefined()
    expect(test.replace(/^\/\/[^\n]*\n/, "")).toBe(block)
  })

  it("the README's quick start is examples/src/quick-start.ts's program and layer (which examples/test runs)", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")
    const block = /## Quick start\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? ""
    const source = fs.readFileSync(path.join(root, "examples", "src", "quick-start.ts"), "utf8").replace(/^export /gm, "")
    const definitions = /(const program = [\s\S]*?\n\}\)\n\n[\s\S]*?const PagerDutyLive = [\s\S]*?\n\)\n)/.exec(source)?.[1]
    expect(definitions).toBeDefined()
    expect(block).toContain(definitions)
  })

  it("reports a block that does not compile and a broken link at their lines in the Markdown file; sh and text blocks are not checked", { timeout: 120_000 }, () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "docs-blocks-"))
    try {
      const md = path.join(tmp, "page.md")
      fs.writeFileSync(
        md,
        [
          "# Page", // 1
          "", // 2
          "```ts", // 3
          'import { RestApi } from "@effect-pagerduty/client"', // 4
          "const layer = RestApi.layerConfig()", // 5
          "```", // 6
          "", // 7
          "```ts", // 8
          'import { Redacted } from "effect"', // 9
          "", // 10
          "const key = Redacted.make(userSuppliedKey)", // 11
          "```", // 12
          "", // 13
          "```sh", // 14
          "this is not TypeScript", // 15
          "```", // 16
          "", // 17
          "```text", // 18
          "const x: number = 'text'", // 19
          "```", // 20
          "[here](page.md#page), [the web](https://example.com/x.md), [top](#page), `[code](nope.md)`", // 21
          "[gone](missing.md) and [api](../docs/api/client/RestApi.ts.md)", // 22
          ""
        ].join("\n")
      )
      const { report, status } = checkBlocks(md)
      expect(status).toBe(1)
      expect(report.blocks.map((b) => b.line)).toEqual([4, 9])
      expect(report.errors.map((e) => [path.basename(e.file), e.line, e.message])).toEqual([
        ["page.md", 11, "Cannot find name 'userSuppliedKey'."]
      ])
      expect(report.brokenLinks.map((l) => [path.basename(l.file), l.line, l.target])).toEqual([
        ["page.md", 22, "missing.md"],
        ["page.md", 22, "../docs/api/client/RestApi.ts.md"]
      ])
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true })
    }
  })
})
