#!/usr/bin/env node
// Packaging check: lint every package (publint, arethetypeswrong), pack the tarballs with
// `pnpm pack`, install them into a new empty project OUTSIDE the workspace (so nothing
// resolves through workspace links), then run a program there that imports every public
// module of every package and makes requests against the simulator.
//
// Run after `pnpm build` (the tarballs contain dist/). Usage: node scripts/pack-check.mjs
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const packages = ["client", "testkit", "cli"]
const run = (cmd, args, cwd, opts = {}) => {
  process.stdout.write(`$ ${cmd} ${args.join(" ")}  (in ${path.relative(root, cwd) || "."})\n`)
  return execFileSync(cmd, args, { cwd, stdio: opts.capture ? "pipe" : "inherit", encoding: "utf8", env: { ...process.env, npm_config_nodedir: undefined } })
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "effect-pagerduty-pack-"))
try {
  const tarballs = {}
  for (const name of packages) {
    const dir = path.join(root, "packages", name)
    run("pnpm", ["exec", "publint", "--strict"], dir)
    run("pnpm", ["exec", "attw", "--pack", ".", "--profile", "esm-only", "--format", "ascii"], dir)
    const out = run("pnpm", ["pack", "--pack-destination", tmp], dir, { capture: true })
    const file = out.trim().split("\n").pop().trim()
    tarballs[`@effect-pagerduty/${name}`] = path.isAbsolute(file) ? file : path.join(tmp, path.basename(file))
  }

  // peer dependencies the user installs next to our packages (exact pins of the Effect 3 line)
  const rootPkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"))
  const cliPkg = JSON.parse(fs.readFileSync(path.join(root, "packages/cli/package.json"), "utf8"))
  const peers = {}
  for (const deps of [rootPkg.devDependencies, cliPkg.dependencies]) {
    for (const [name, version] of Object.entries(deps)) {
      if (name.startsWith("@effect/") && name !== "@effect/vitest" || name === "effect") peers[name] = version
    }
  }
  const app = path.join(tmp, "app")
  fs.mkdirSync(app)
  const dependencies = { ...peers }
  for (const [name, file] of Object.entries(tarballs)) dependencies[name] = `file:${file}`
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "pack-check-app", private: true, type: "module", dependencies }, null, 2))
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], app)

  // every public module, from the installed packages' own `exports` maps
  const imports = []
  for (const name of Object.keys(tarballs)) {
    const pkg = JSON.parse(fs.readFileSync(path.join(app, "node_modules", name, "package.json"), "utf8"))
    for (const [key, target] of Object.entries(pkg.exports ?? {})) {
      if (target === null || key.includes("*") || key === "./package.json") continue
      if (name === "@effect-pagerduty/cli" && key === "./bin") continue
      imports.push(key === "." ? name : `${name}/${key.slice(2)}`)
    }
  }
  fs.copyFileSync(path.join(root, "scripts/pack-check-app.mjs"), path.join(app, "check.mjs"))
  fs.writeFileSync(path.join(app, "modules.json"), JSON.stringify(imports, null, 2))
  run("node", ["check.mjs"], app)
  run(path.join(app, "node_modules/.bin/pagerduty"), ["--help"], app, { capture: true })
  process.stdout.write(`pack check passed: ${imports.length} modules imported from the installed tarballs\n`)
} finally {
  if (!process.env.KEEP_PACK_CHECK) fs.rmSync(tmp, { recursive: true, force: true })
}
