/**
 * User code needs no casts on API results: every example program (examples/src) and every
 * TypeScript code block of the README and of the guide (docs/guide) is free of `as {...}` and
 * `as unknown` (comments and strings aside), and the examples use the typed API.
 */
import { assert, describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..")

const CAST = /\bas\s+(\{|unknown\b)/

/** The code of a TypeScript source without comments and string contents. */
const code = (source: string): string =>
  source
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/`(?:\\.|[^`\\])*`/g, "``")
    .replace(/"(?:\\.|[^"\\\n])*"/g, "\"\"")
    .replace(/'(?:\\.|[^'\\\n])*'/g, "''")
    .replace(/\/\/[^\n]*/g, "")

const blocks = (markdown: string): ReadonlyArray<string> => [...markdown.matchAll(/```(?:ts|typescript)\n([\s\S]*?)```/g)].map((m) => m[1]!)

const offenders = (name: string, source: string): ReadonlyArray<string> =>
  code(source)
    .split("\n")
    .flatMap((line, i) => (CAST.test(line) ? [`${name}:${i + 1}: ${line.trim()}`] : []))

describe("no casts in user code", () => {
  it("the check finds a cast and ignores the same words in comments and strings", () => {
    assert.deepStrictEqual(offenders("x.ts", "const a = (b as { id: string }).id\n// sent as {\"incident\"}\nconst s = \"as unknown\""), [
      "x.ts:1: const a = (b as { id: string }).id"
    ])
    assert.strictEqual(offenders("y.ts", "const c = d as unknown as number").length, 1)
  })

  it("examples/src has no cast on API results and uses the typed API", () => {
    const dir = path.join(root, "examples/src")
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".ts"))
    assert.isAbove(files.length, 10)
    const found = files.flatMap((f) => offenders(`examples/src/${f}`, fs.readFileSync(path.join(dir, f), "utf8")))
    assert.deepStrictEqual(found, [])
    const typed = files.filter((f) => /\bPagerDuty\.\w+\(/.test(fs.readFileSync(path.join(dir, f), "utf8")))
    assert.includeMembers(typed, ["quick-start.ts", "rest-writes.ts", "rest-listing.ts", "oncall-now.ts", "oncall-hours.ts"])
  })

  it("the code blocks of the README and of every guide page have no cast", () => {
    const guides = fs.readdirSync(path.join(root, "docs/guide")).filter((f) => f.endsWith(".md")).map((f) => `docs/guide/${f}`)
    assert.include(guides, "docs/guide/typed-api.md")
    let checked = 0
    for (const file of ["README.md", ...guides]) {
      const code = blocks(fs.readFileSync(path.join(root, file), "utf8"))
      checked += code.length
      assert.deepStrictEqual(code.flatMap((block, i) => offenders(`${file} block ${i + 1}`, block)), [])
    }
    assert.isAbove(checked, 20)
  })
})
