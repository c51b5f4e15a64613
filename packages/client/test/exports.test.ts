/**
 * The `exports` maps of the published packages: every public module (each `src/*.ts` but
 * `index.ts`, which is ".", and `bin.ts`, the executable; plus `src/generated/*.ts`) has an
 * explicit entry with types, every entry points at a module that exists, `internal/` is
 * closed, and `files` ships what users need and no tests. The cli exports only its package.json.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..")

interface Entry {
  readonly types: string
  readonly default: string
}

interface Manifest {
  readonly name: string
  readonly sideEffects?: unknown
  readonly files?: ReadonlyArray<string>
  readonly exports: Readonly<Record<string, Entry | string | null>>
}

// The cli is not a library: it ships one esbuild bundle and exports only its package.json
// (its own test below), so importing it can never load a second copy of effect.
const packages = ["client", "testkit"] as const

const load = (name: string) => {
  const dir = path.join(root, "packages", name)
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as Manifest
  return { dir, manifest }
}

/** The subpaths a package must export: "." and one per public module. */
export const publicSubpaths = (dir: string): ReadonlyArray<{ readonly subpath: string; readonly module: string }> => {
  const out: Array<{ subpath: string; module: string }> = [{ subpath: ".", module: "index" }]
  const ts = (d: string) => fs.existsSync(d) ? fs.readdirSync(d).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")).sort() : []
  for (const f of ts(path.join(dir, "src"))) {
    if (f === "index.ts" || f === "bin.ts") continue
    out.push({ subpath: `./${f.slice(0, -3)}`, module: f.slice(0, -3) })
  }
  for (const f of ts(path.join(dir, "src", "generated"))) {
    out.push({ subpath: `./generated/${f.slice(0, -3)}`, module: `generated/${f.slice(0, -3)}` })
  }
  return out
}

describe("package exports", () => {
  for (const name of packages) {
    describe(`@effect-pagerduty/${name}`, () => {
      const { dir, manifest } = load(name)

      it("has an explicit entry with types for every public module in src/", () => {
        const missing: Array<string> = []
        for (const { module, subpath } of publicSubpaths(dir)) {
          const entry = manifest.exports[subpath]
          const want = { types: `./dist/${module}.d.ts`, default: `./dist/${module}.js` }
          if (entry === undefined || entry === null || typeof entry === "string") missing.push(`${subpath} (src/${module}.ts)`)
          else expect({ subpath, types: entry.types, default: entry.default }).toEqual({ subpath, ...want })
        }
        expect(missing, `modules without an "exports" entry in packages/${name}/package.json`).toEqual([])
      })

      it("has no entry that points at nothing, and no wildcard but the closed internal/", () => {
        const built = fs.existsSync(path.join(dir, "dist", "index.js"))
        const broken: Array<string> = []
        for (const [subpath, entry] of Object.entries(manifest.exports)) {
          if (subpath.includes("*")) {
            expect({ subpath, entry }).toEqual({ subpath: "./internal/*", entry: null })
            continue
          }
          if (subpath === "./package.json") {
            expect(entry).toBe("./package.json")
            continue
          }
          if (entry === null || typeof entry === "string") {
            broken.push(`${subpath}: ${String(entry)}`)
            continue
          }
          expect(Object.keys(entry)[0], `${subpath}: "types" must come first`).toBe("types")
          const m = /^\.\/dist\/(.+)\.js$/.exec(entry.default)
          if (m === null || entry.types !== `./dist/${m[1]}.d.ts`) {
            broken.push(`${subpath}: ${JSON.stringify(entry)}`)
            continue
          }
          const module = m[1]!
          if (!fs.existsSync(path.join(dir, "src", `${module}.ts`))) broken.push(`${subpath}: no src/${module}.ts`)
          // after `tsc -b` (as `pnpm test` runs it) the built files must exist too
          if (built) {
            for (const file of [entry.default, entry.types]) {
              if (!fs.existsSync(path.join(dir, file))) broken.push(`${subpath}: no ${file}`)
            }
          }
        }
        if (fs.existsSync(path.join(dir, "src", "internal"))) expect(manifest.exports["./internal/*"]).toBeNull()
        expect(broken, `entries of packages/${name}/package.json that point at nothing`).toEqual([])
      })

      it("is side-effect free ESM whose files hold dist and src, never tests", () => {
        expect(manifest.sideEffects).toBe(false)
        const files = manifest.files ?? []
        expect(files).toEqual(expect.arrayContaining(["dist/**/*.js", "dist/**/*.d.ts", "dist/**/*.map", "src"]))
        for (const f of files) expect(f.startsWith("!") || !/(^|\/)test(s)?(\/|$)|\.test\./.test(f), f).toBe(true)
        expect(fs.existsSync(path.join(dir, "src", "test"))).toBe(false)
      })
    })
  }

  it("@effect-pagerduty/cli exports nothing but its package.json and ships the bin and its bundle", () => {
    const { manifest } = load("cli")
    expect(manifest.exports).toEqual({ "./package.json": "./package.json" })
    expect(manifest.files).toEqual(["bin/pagerduty.js", "dist/bundle/**/*.js"])
  })

  it("publicSubpaths finds modules, generated tables and skips index.ts and bin.ts", () => {
    const tmp = fs.mkdtempSync(path.join(fs.realpathSync(process.env["TMPDIR"] ?? "/tmp"), "exports-test-"))
    try {
      fs.mkdirSync(path.join(tmp, "src", "generated"), { recursive: true })
      fs.mkdirSync(path.join(tmp, "src", "internal"))
      for (const f of ["src/index.ts", "src/bin.ts", "src/Alpha.ts", "src/generated/Tables.ts", "src/internal/hidden.ts"]) {
        fs.writeFileSync(path.join(tmp, f), "export {}\n")
      }
      expect(publicSubpaths(tmp)).toEqual([
        { subpath: ".", module: "index" },
        { subpath: "./Alpha", module: "Alpha" },
        { subpath: "./generated/Tables", module: "generated/Tables" }
      ])
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true })
    }
  })
})
