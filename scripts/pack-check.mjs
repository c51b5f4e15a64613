#!/usr/bin/env node
// Packaging check: lint every package (publint --strict, arethetypeswrong), pack the tarballs
// with `pnpm pack`, install them into a new empty project OUTSIDE the workspace (tarballs by
// file path, peers from the npm registry, so nothing resolves through workspace links), then
// run scripts/pack-check-app.mjs there: it imports every public module of every package and
// makes requests against the simulator. Both bins must answer `--help`.
//
// Run after `pnpm build` (the tarballs contain dist/). Usage: node scripts/pack-check.mjs
// (KEEP_PACK_CHECK=1 keeps the temporary project for inspection).
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const packages = ["client", "testkit", "cli"]
const started = Date.now()

// Environment of the child processes: none of the npm_config_* / npm_package_* variables that
// `pnpm` sets for scripts, so npm in the temporary project sees a plain user environment.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|pnpm_)/i.test(k)))

const run = (cmd, args, cwd, opts = {}) =>
  new Promise((resolve, reject) => {
    const shown = `$ ${path.basename(cmd)} ${args.join(" ")}  (in ${cwd.startsWith(root) ? path.relative(root, cwd) || "." : cwd})`
    execFile(cmd, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!opts.quiet || error) process.stdout.write(`${shown}\n${stdout}${stderr}`)
      else process.stdout.write(`${shown}: ok\n`)
      if (error) reject(new Error(`${shown} failed (${error.code ?? error.signal})`))
      else resolve(stdout)
    })
  })

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "effect-pagerduty-pack-"))
let failed = false
try {
  for (const name of packages) {
    if (!fs.existsSync(path.join(root, "packages", name, "dist", "index.js"))) {
      throw new Error(`packages/${name}/dist is missing: build first (pnpm build)`)
    }
  }

  // Lint and pack every package at once (each is independent).
  const tarballs = {}
  await Promise.all(packages.map(async (name) => {
    const dir = path.join(root, "packages", name)
    await run("pnpm", ["exec", "publint", "--strict"], dir, { quiet: true })
    await run("pnpm", ["exec", "attw", "--pack", ".", "--profile", "esm-only", "--format", "table-flipped"], dir, { quiet: true })
    const out = await run("pnpm", ["pack", "--pack-destination", tmp], dir, { quiet: true })
    const file = out.trim().split("\n").pop().trim()
    tarballs[`@effect-pagerduty/${name}`] = path.isAbsolute(file) ? file : path.join(tmp, path.basename(file))
  }))

  // What a user installs next to our packages: the Effect 3 line at the versions we build
  // with, and the optional peers of the modules that need them (Throttle, ThrottleRedis, node).
  const read = (p) => JSON.parse(fs.readFileSync(path.join(root, p), "utf8"))
  const rootPkg = read("package.json")
  const clientPkg = read("packages/client/package.json")
  const cliPkg = read("packages/cli/package.json")
  const dependencies = {}
  for (const deps of [rootPkg.devDependencies, cliPkg.dependencies, clientPkg.devDependencies]) {
    for (const [name, version] of Object.entries(deps ?? {})) {
      if (version.startsWith("workspace:")) continue
      const isEffect = (name.startsWith("@effect/") && name !== "@effect/vitest") || name === "effect"
      const isOptionalPeer = clientPkg.peerDependenciesMeta?.[name]?.optional === true
      if (isEffect || isOptionalPeer) dependencies[name] = version
    }
  }
  for (const [name, file] of Object.entries(tarballs)) dependencies[name] = `file:${file}`

  const app = path.join(tmp, "app")
  fs.mkdirSync(app)
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "pack-check-app", private: true, type: "module", dependencies }, null, 2))
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], app)
  for (const name of Object.keys(tarballs)) {
    const real = fs.realpathSync(path.join(app, "node_modules", name))
    if (real.startsWith(root)) throw new Error(`${name} resolves into the workspace (${real}), not to the installed tarball`)
  }

  // Every public module, from the installed packages' own `exports` maps.
  const imports = []
  for (const name of Object.keys(tarballs)) {
    const pkg = JSON.parse(fs.readFileSync(path.join(app, "node_modules", name, "package.json"), "utf8"))
    for (const [key, target] of Object.entries(pkg.exports ?? {})) {
      if (target === null || key.includes("*") || key === "./package.json") continue
      imports.push(key === "." ? name : `${name}/${key.slice(2)}`)
    }
  }
  fs.copyFileSync(path.join(root, "scripts/pack-check-app.mjs"), path.join(app, "check.mjs"))
  fs.writeFileSync(path.join(app, "modules.json"), JSON.stringify(imports, null, 2))
  await run("node", ["check.mjs"], app)
  await run(path.join(app, "node_modules/.bin/pagerduty"), ["--help"], app, { quiet: true })
  await run(path.join(app, "node_modules/.bin/pagerduty-simulator"), ["--help"], app, { quiet: true })
  process.stdout.write(`pack check passed: ${Object.keys(tarballs).length} tarballs installed outside the workspace, ${imports.length} modules imported, simulator round trip ok (${((Date.now() - started) / 1000).toFixed(1)} s)\n`)
} catch (error) {
  failed = true
  process.stderr.write(`pack check FAILED: ${error instanceof Error ? error.message : String(error)}\n`)
} finally {
  if (process.env.KEEP_PACK_CHECK) process.stdout.write(`kept ${tmp}\n`)
  else fs.rmSync(tmp, { recursive: true, force: true })
}
process.exit(failed ? 1 : 0)
