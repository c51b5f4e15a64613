#!/usr/bin/env node
// Packaging check, run by CI after `pnpm test` (which builds dist/ and the cli bundle):
//
// 1. Metadata: every package has LICENSE, README.md, engines, repository, homepage, bugs and
//    keywords; @effect/experimental is an optional peer of the client; the cli has no runtime
//    dependencies and its bundle holds exactly one copy of each bundled package; README.md says
//    Node >= 20.19 and ESM-only.
// 2. publint --strict and arethetypeswrong (--profile esm-only) on every package, then
//    `pnpm pack`; each tarball carries LICENSE and README.md (the cli's: only its bin, bundle,
//    README, LICENSE and package.json).
// 3. README.md's Install block, run LITERALLY, line by line, in an empty directory outside the
//    workspace, once with npm and once with pnpm (`npm install` -> `pnpm add`), the tarballs in
//    place of the unpublished @effect-pagerduty/* names; every other package must carry a
//    version range. After the line that installs the client: a program on FetchHttpClient (the
//    minimal path); after @effect/platform-node: the same on NodeHttpClient; at the end: every
//    public module, the simulator, and OpenTelemetry when installed (scripts/pack-check-app.mjs),
//    and a CommonJS `require` of the client and the testkit.
//    A `-g` line installs into a private prefix, and that `pagerduty` must answer --version.
//    Package counts and sizes of each step are printed.
// 4. No version skew: the cli tarball installed into a project that already has another
//    effect@3 prints nothing on stderr for `--version` and a `--simulator` listing.
//
// Usage: node scripts/pack-check.mjs            the whole check (network: the npm registry)
//        node scripts/pack-check.mjs --plan     print the parsed Install block and the npm/pnpm
//                                               commands as JSON, run nothing
//        node scripts/pack-check.mjs --static   metadata and bundle checks only (no network),
//                                               as JSON { problems, bundledPackages, commands }
//        KEEP_PACK_CHECK=1 keeps the temporary directory for inspection; PACK_CHECK_README=<file>
//        reads the Install block from another file than README.md.
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import { builtinModules } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const packages = ["client", "testkit", "cli"]
const ours = /^@effect-pagerduty\/(client|testkit|cli)$/

// ---------------------------------------------------------------------------------------------
// The Install block
// ---------------------------------------------------------------------------------------------

/**
 * The first ```sh fence under the README's Install heading (`## Install...`, any level 2-3, any
 * trailing words), as commands: `{ comment, line, manager, global, dev, specs }`; `comment` is
 * the `#` line just above (it names the path). Throws when there is no such block, when a line
 * is not an `npm install` / `npm i`, or when a package other than ours has no version.
 */
export const installBlock = (markdown) => {
  const lines = markdown.split(/\r?\n/)
  const heading = lines.findIndex((l) => /^#{2,3}\s+Install\b/i.test(l))
  if (heading < 0) throw new Error("README.md has no \"## Install\" heading")
  let i = heading + 1
  while (i < lines.length && !/^```(sh|bash|shell|console)\s*$/.test(lines[i])) {
    if (/^#{1,3}\s/.test(lines[i])) throw new Error(`README.md: no \`\`\`sh block between "${lines[heading]}" and "${lines[i]}"`)
    i++
  }
  if (i >= lines.length) throw new Error(`README.md: no \`\`\`sh block after "${lines[heading]}"`)
  const commands = []
  let comment = ""
  for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) {
    const raw = lines[i].trim()
    if (raw === "") continue
    if (raw.startsWith("#")) {
      comment = raw.replace(/^#+\s*/, "")
      continue
    }
    const line = raw.replace(/\s+#.*$/, "")
    const words = line.split(/\s+/)
    if (words[0] !== "npm" || (words[1] !== "install" && words[1] !== "i")) {
      throw new Error(`README.md Install block: "${raw}" is not an \`npm install\` line (pack-check runs each line with npm and with pnpm)`)
    }
    const flags = words.slice(2).filter((w) => w.startsWith("-"))
    const specs = words.slice(2).filter((w) => !w.startsWith("-"))
    for (const spec of specs) {
      const at = spec.indexOf("@", 1)
      const name = at < 0 ? spec : spec.slice(0, at)
      if (!ours.test(name) && at < 0) {
        throw new Error(`README.md Install block: "${spec}" has no version range; the registry's latest may be Effect 4 or another major (write e.g. ${spec}@^x.y)`)
      }
    }
    commands.push({
      comment,
      line,
      global: flags.includes("-g") || flags.includes("--global"),
      dev: flags.includes("-D") || flags.includes("--save-dev"),
      specs
    })
    comment = ""
  }
  if (commands.length === 0) throw new Error("README.md Install block has no install command")
  if (!commands.some((c) => c.specs.includes("@effect-pagerduty/client"))) throw new Error("README.md Install block does not install @effect-pagerduty/client")
  return commands
}

/** The package name of an install spec (`@scope/name@range`, `name@range`, `name`). */
const nameOf = (spec) => {
  const at = spec.indexOf("@", 1)
  return at < 0 ? spec : spec.slice(0, at)
}

/** The shell line for `manager`, our names replaced by the tarball paths. */
export const commandFor = (command, manager, tarballs) => {
  const words = command.line.split(/\s+/).map((w) => (ours.test(nameOf(w)) ? tarballs[nameOf(w)] ?? w : w))
  if (manager === "npm") return words.join(" ")
  return ["pnpm", "add", ...words.slice(2)].join(" ")
}

// ---------------------------------------------------------------------------------------------
// Running things
// ---------------------------------------------------------------------------------------------

// Environment of the child processes: none of the npm_config_* / npm_package_* variables that
// `pnpm` sets for scripts, so npm and pnpm in the temporary projects see a plain user environment.
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|pnpm_)/i.test(k)))
// Quieter installs; no behaviour change.
const quietNpm = { npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false", npm_config_loglevel: "error" }

// Every child runs in its own process group, so a failure (or Ctrl-C) can stop the installs
// still running in parallel, with their own children, before the temporary directory goes.
const running = new Set()
const stopAll = () => {
  for (const child of running) {
    try {
      process.kill(-child.pid, "SIGTERM")
    } catch {
      // already gone
    }
  }
}
process.on("SIGINT", () => {
  stopAll()
  process.exit(130)
})

const run = (cmd, args, cwd, opts = {}) =>
  new Promise((resolve, reject) => {
    const shown = `$ ${opts.shown ?? `${path.basename(cmd)} ${args.join(" ")}`}  (in ${cwd.startsWith(root) ? path.relative(root, cwd) || "." : cwd})`
    const started = Date.now()
    const child = execFile(cmd, args, { cwd, env: { ...baseEnv, ...opts.env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: opts.timeout ?? 300_000, detached: true }, (error, stdout, stderr) => {
      running.delete(child)
      const took = `${((Date.now() - started) / 1000).toFixed(1)} s`
      if (!opts.quiet || error) process.stdout.write(`${shown}  [${took}]\n${stdout}${stderr}`)
      else process.stdout.write(`${shown}: ok [${took}]\n`)
      if (error) reject(new Error(`${shown} failed (${error.code ?? error.signal})`))
      else resolve({ stdout, stderr })
    })
    running.add(child)
  })

const sh = (line, cwd, opts = {}) => run("sh", ["-c", line], cwd, { ...opts, shown: line })

/** Installed packages (directories with a package.json) and kilobytes of node_modules. */
const footprint = async (dir, manager) => {
  const modules = path.join(dir, "node_modules")
  if (!fs.existsSync(modules)) return { packages: 0, kb: 0 }
  let count = 0
  if (manager === "pnpm") {
    const store = path.join(modules, ".pnpm")
    count = fs.existsSync(store) ? fs.readdirSync(store).filter((e) => e !== "node_modules" && e !== "lock.yaml" && !e.startsWith(".")).length : 0
  } else {
    const walk = (d) => {
      for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
        if (!entry.isDirectory() || entry.name.startsWith(".")) continue
        const full = path.join(d, entry.name)
        if (entry.name.startsWith("@")) walk(full)
        else if (fs.existsSync(path.join(full, "package.json"))) {
          count++
          if (fs.existsSync(path.join(full, "node_modules"))) walk(path.join(full, "node_modules"))
        }
      }
    }
    walk(modules)
  }
  const { stdout } = await run("du", ["-sk", modules], dir, { quiet: true })
  return { packages: count, kb: Number(stdout.split(/\s/)[0]) }
}

const du = async (dir) => Number((await run("du", ["-sk", dir], dir, { quiet: true })).stdout.split(/\s/)[0])
const mb = (kb) => `${(kb / 1024).toFixed(1)} MB`

// ---------------------------------------------------------------------------------------------
// The check
// ---------------------------------------------------------------------------------------------

const readJson = (p) => JSON.parse(fs.readFileSync(p, "utf8"))

/** Metadata every package.json and package directory must have. Returns problems. */
const metadataProblems = () => {
  const problems = []
  for (const name of packages) {
    const dir = path.join(root, "packages", name)
    const pkg = readJson(path.join(dir, "package.json"))
    const where = `packages/${name}`
    if (pkg.license !== "MIT") problems.push(`${where}: license is not MIT`)
    if (!fs.existsSync(path.join(dir, "LICENSE"))) problems.push(`${where}: no LICENSE file`)
    if (!fs.existsSync(path.join(dir, "README.md"))) problems.push(`${where}: no README.md`)
    if (pkg.engines?.node !== ">=20.19") problems.push(`${where}: engines.node is ${JSON.stringify(pkg.engines?.node)}, expected ">=20.19" (require of ESM)`)
    if (typeof pkg.repository?.url !== "string" || pkg.repository?.directory !== where) problems.push(`${where}: repository { url, directory: "${where}" } missing`)
    if (typeof pkg.homepage !== "string") problems.push(`${where}: no homepage`)
    if (typeof pkg.bugs?.url !== "string") problems.push(`${where}: no bugs.url`)
    if (!Array.isArray(pkg.keywords) || pkg.keywords.length === 0) problems.push(`${where}: no keywords`)
    if (pkg.type !== "module") problems.push(`${where}: not "type": "module"`)
    if (name === "cli") {
      for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
        if (Object.keys(pkg[field] ?? {}).length > 0) problems.push(`${where}: has ${field}; the cli ships one bundle and needs none`)
      }
    }
    if (name === "client" && pkg.peerDependenciesMeta?.["@effect/experimental"]?.optional !== true) {
      problems.push(`${where}: @effect/experimental must be an optional peer (only Throttle/ThrottleRedis use it)`)
    }
  }
  if (!fs.existsSync(path.join(root, "LICENSE"))) problems.push("no LICENSE at the repository root")
  // What a newcomer must read before installing: the Node range and that the packages are ESM.
  const readme = fs.readFileSync(process.env.PACK_CHECK_README ?? path.join(root, "README.md"), "utf8")
  if (!/ESM-only/.test(readme)) problems.push("README.md does not say the packages are ESM-only")
  if (!/Node >= 20\.19/.test(readme)) problems.push("README.md does not say Node >= 20.19 (engines; require of ESM)")
  if (/Node >= 20\.18|Node 20\+/.test(readme)) problems.push("README.md still says Node >= 20.18 / Node 20+; engines is >= 20.19")
  return problems
}

/** Every bundled package comes from exactly one directory (one copy of effect, of our packages...). */
const bundleProblems = (metafile) => {
  const copies = new Map()
  for (const input of Object.keys(metafile.inputs)) {
    const abs = path.resolve(root, "packages/cli", input)
    let name
    let dir
    const nm = abs.lastIndexOf("/node_modules/")
    if (nm >= 0) {
      const rest = abs.slice(nm + "/node_modules/".length).split("/")
      name = rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]
      dir = abs.slice(0, nm + "/node_modules/".length) + name
    } else {
      const m = /\/packages\/([^/]+)\//.exec(abs)
      if (m === null) continue
      name = `@effect-pagerduty/${m[1]}`
      dir = abs.slice(0, m.index + m[0].length)
    }
    if (!copies.has(name)) copies.set(name, new Set())
    copies.get(name).add(fs.realpathSync(dir))
  }
  const problems = []
  // Nothing outside the bundle but Node's built-ins (and ws's optional native speed-ups, which
  // it `require`s inside try/catch): no `effect` a neighbour could supply.
  const optionalNative = new Set(["bufferutil", "utf-8-validate"])
  for (const output of Object.values(metafile.outputs)) {
    for (const { external, path: imported } of output.imports) {
      if (external === true && !imported.startsWith("node:") && !builtinModules.includes(imported) && !optionalNative.has(imported)) problems.push(`the cli bundle imports ${imported} at run time`)
    }
  }
  // Split into chunks, still each module in exactly one output file.
  const outputsOf = new Map()
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (bytesInOutput > 0) outputsOf.set(input, (outputsOf.get(input) ?? 0) + 1)
    }
  }
  for (const [input, n] of outputsOf) if (n > 1) problems.push(`${input} is in ${n} files of the cli bundle`)
  for (const [name, dirs] of copies) if (dirs.size > 1) problems.push(`the cli bundle has ${dirs.size} copies of ${name}: ${[...dirs].join(", ")}`)
  for (const needed of ["effect", "@effect/cli", "@effect/platform", "@effect-pagerduty/client", "@effect-pagerduty/testkit"]) {
    if (!copies.has(needed)) problems.push(`the cli bundle does not contain ${needed}`)
  }
  return { problems, packages: copies.size }
}

/** Follow the README's Install block with `manager` in `dir`; returns the size of each step. */
const followReadme = async (manager, commands, tarballs, tmp, effectRange, pnpmStore) => {
  const dir = path.join(tmp, `readme-${manager}`)
  fs.mkdirSync(dir)
  // what `npm init -y` / `pnpm init` leave: a package.json and nothing else
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: `readme-${manager}`, version: "1.0.0", private: true }, null, 2))
  fs.copyFileSync(path.join(root, "scripts/pack-check-app.mjs"), path.join(dir, "check.mjs"))
  const globalDir = path.join(tmp, `global-${manager}`)
  fs.mkdirSync(globalDir)
  // A private global prefix for `-g` lines; for pnpm, PNPM_HOME would also move the package
  // store, so the user's store stays where `pnpm store path` says it is.
  const env = manager === "npm"
    ? { ...quietNpm, npm_config_prefix: globalDir }
    : { PNPM_HOME: globalDir, PATH: `${globalDir}:${process.env.PATH}`, npm_config_update_notifier: "false", npm_config_store_dir: pnpmStore }
  const globalBin = manager === "npm" ? path.join(globalDir, "bin") : globalDir
  const steps = []
  const installed = () => {
    const pkg = readJson(path.join(dir, "package.json"))
    return new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})])
  }
  const ran = new Set()
  for (const command of commands) {
    const out = await sh(commandFor(command, manager, tarballs), dir, { env })
    // A peer conflict installs a set nobody tested (pnpm warns and goes on; npm may force it).
    const conflict = /unmet peer|ERESOLVE|conflicting peer/i.exec(out.stdout + out.stderr)
    if (conflict !== null) throw new Error(`${manager}: "${command.line}" installs with a peer dependency conflict (${conflict[0]}); fix the ranges in README.md's Install block`)
    if (command.global) {
      const bin = path.join(globalBin, "pagerduty")
      if (!fs.existsSync(bin)) throw new Error(`${manager}: after "${command.line}" there is no ${bin}`)
      await run(bin, ["--version"], dir, { env, quiet: true })
      steps.push({ comment: command.comment, line: command.line, global: true, kb: await du(globalDir) })
      continue
    }
    const has = installed()
    steps.push({ comment: command.comment, line: command.line, ...(await footprint(dir, manager)) })
    if (has.has("@effect-pagerduty/client") && !ran.has("minimal")) {
      ran.add("minimal")
      await run("node", ["check.mjs", "minimal"], dir)
    }
    if (has.has("@effect-pagerduty/client") && has.has("@effect/platform-node") && !ran.has("node")) {
      ran.add("node")
      await run("node", ["check.mjs", "node"], dir)
    }
  }

  // Every public module needs the optional peers too; what the block left out is added here
  // (with the ranges this workspace builds with), so all modules are still checked.
  const workspace = { ...readJson(path.join(root, "packages/client/package.json")).peerDependencies, "@effect-pagerduty/testkit": tarballs["@effect-pagerduty/testkit"] }
  const missing = ["@effect-pagerduty/testkit", "@effect/platform-node", "@effect/experimental", "ioredis", "undici"].filter((n) => !installed().has(n))
  if (missing.length > 0) {
    process.stdout.write(`${manager}: not in README's Install block, added for the module check: ${missing.join(", ")}\n`)
    const specs = missing.map((n) => (n.startsWith("@effect-pagerduty/") ? workspace[n] : `${n}@${workspace[n]}`))
    await run(manager, manager === "npm" ? ["install", ...specs] : ["add", ...specs], dir, { env, quiet: true })
  }
  const imports = []
  for (const name of Object.keys(tarballs)) {
    const pkgPath = path.join(dir, "node_modules", name, "package.json")
    if (!fs.existsSync(pkgPath)) continue
    const real = fs.realpathSync(path.dirname(pkgPath))
    if (real.startsWith(root)) throw new Error(`${manager}: ${name} resolves into the workspace (${real}), not to the installed tarball`)
    for (const [key, target] of Object.entries(readJson(pkgPath).exports ?? {})) {
      if (target === null || key.includes("*") || key === "./package.json") continue
      imports.push(key === "." ? name : `${name}/${key.slice(2)}`)
    }
  }
  fs.writeFileSync(path.join(dir, "modules.json"), JSON.stringify(imports, null, 2))
  await run("node", ["check.mjs", "full"], dir)
  // ESM-only, and CommonJS code can still `require` it (Node >= 20.19, as engines says).
  const cjs = "const c = require('@effect-pagerduty/client'); const t = require('@effect-pagerduty/testkit'); if (typeof c.RestApi.layer !== 'function' || typeof t.Simulator.serve !== 'function') process.exit(1)"
  await run("node", ["-e", cjs], dir, { quiet: true, shown: "node -e \"require('@effect-pagerduty/client'), require('@effect-pagerduty/testkit')\"" })
  await run(path.join(dir, "node_modules/.bin/pagerduty-simulator"), ["--help"], dir, { quiet: true })
  const effectVersion = readJson(path.join(dir, "node_modules/effect/package.json")).version
  process.stdout.write(`${manager}: README Install block passed (effect ${effectVersion} from ${effectRange ?? "the block"}, ${imports.length} modules)\n`)
  return { manager, dir, steps, effectVersion, globalBin }
}

/** The cli tarball next to another effect@3: nothing on stderr, plain JSON on stdout. */
const noSkew = async (tmp, tarball, bundledEffect) => {
  const dir = path.join(tmp, "skew")
  fs.mkdirSync(dir)
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "skew", version: "1.0.0", private: true }, null, 2))
  const { stdout } = await run("npm", ["view", "effect@^3", "version", "--json"], dir, { env: quietNpm, quiet: true })
  const versions = [].concat(JSON.parse(stdout))
  const other = versions.reverse().find((v) => v !== bundledEffect)
  if (other === undefined) throw new Error(`no effect@3 other than ${bundledEffect} on the registry`)
  await run("npm", ["install", `effect@${other}`, tarball], dir, { env: quietNpm, quiet: true })
  const bin = path.join(dir, "node_modules/.bin/pagerduty")
  const expected = readJson(path.join(root, "packages/cli/package.json")).version
  const version = await run(bin, ["--version"], dir, { env: quietNpm, quiet: true })
  if (version.stderr !== "") throw new Error(`pagerduty --version next to effect ${other} printed on stderr:\n${version.stderr}`)
  if (version.stdout.trim() !== expected) throw new Error(`pagerduty --version printed ${JSON.stringify(version.stdout)}, expected ${expected}`)
  const listed = await run(bin, ["--simulator", "incidents", "list", "--format", "ndjson"], dir, { env: quietNpm, quiet: true })
  if (listed.stderr !== "") throw new Error(`pagerduty --simulator incidents list next to effect ${other} printed on stderr:\n${listed.stderr}`)
  const lines = listed.stdout.trim().split("\n")
  for (const line of lines) {
    const incident = JSON.parse(line)
    if (incident.type !== "incident") throw new Error(`pagerduty --simulator incidents list printed ${line}`)
  }
  process.stdout.write(`no skew: the cli (bundled effect ${bundledEffect}) next to effect ${other}: --version and a --simulator listing (${lines.length} incidents as NDJSON) printed nothing on stderr\n`)
}

/** Mean wall time of `pagerduty --version` over `n` runs (reported, never asserted). */
const startup = async (bin, n) => {
  await run(bin, ["--version"], os.tmpdir(), { quiet: true })
  const started = process.hrtime.bigint()
  for (let i = 0; i < n; i++) await new Promise((resolve, reject) => execFile(bin, ["--version"], (e) => (e ? reject(e) : resolve())))
  return Number(process.hrtime.bigint() - started) / 1e6 / n
}

const main = async () => {
  const started = Date.now()
  // PACK_CHECK_README=<file>: check another copy of the README (for trying an edit before making it)
  const readme = fs.readFileSync(process.env.PACK_CHECK_README ?? path.join(root, "README.md"), "utf8")
  const commands = installBlock(readme)

  if (process.argv.includes("--plan")) {
    const tarballs = Object.fromEntries(packages.map((n) => [`@effect-pagerduty/${n}`, `<${n}.tgz>`]))
    process.stdout.write(`${JSON.stringify({
      commands,
      npm: commands.map((c) => commandFor(c, "npm", tarballs)),
      pnpm: commands.map((c) => commandFor(c, "pnpm", tarballs))
    }, null, 2)}\n`)
    return
  }

  const statik = process.argv.includes("--static")
  for (const name of packages) {
    if (!fs.existsSync(path.join(root, "packages", name, "dist", name === "cli" ? "bin.js" : "index.js"))) {
      throw new Error(`packages/${name}/dist is missing: build first (pnpm build)`)
    }
  }
  const problems = metadataProblems()
  const { bundleCli } = await import("./bundle-cli.mjs")
  // --static (run by a test while other tests spawn the bin) only computes the bundle
  const bundle = await bundleCli({ metafile: true, write: !statik })
  const bundled = bundleProblems(bundle.metafile)
  problems.push(...bundled.problems)
  if (statik) {
    process.stdout.write(`${JSON.stringify({ problems, bundledPackages: bundled.packages, bundleBytes: bundle.bytes, commands })}\n`)
    process.exit(problems.length > 0 ? 1 : 0)
  }
  if (problems.length > 0) throw new Error(`package metadata:\n  ${problems.join("\n  ")}`)
  process.stdout.write(`metadata ok; cli bundle ${(bundle.bytes / 1024).toFixed(0)} KB in ${bundle.files} files (entry ${(bundle.entryBytes / 1024).toFixed(0)} KB), one copy of each of its ${bundled.packages} packages\n`)

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "effect-pagerduty-pack-"))
  let failed = false
  try {
    // Pack every package at once; each tarball carries LICENSE and README.md.
    const tarballs = {}
    await Promise.all(packages.map(async (name) => {
      const dir = path.join(root, "packages", name)
      const { stdout } = await run("pnpm", ["pack", "--pack-destination", tmp], dir, { quiet: true })
      const file = stdout.trim().split("\n").pop().trim()
      const tarball = path.isAbsolute(file) ? file : path.join(tmp, path.basename(file))
      const { stdout: listing } = await run("tar", ["-tzf", tarball], tmp, { quiet: true })
      const files = listing.trim().split("\n").map((f) => f.replace(/^package\//, ""))
      for (const needed of ["LICENSE", "README.md", "package.json"]) {
        if (!files.includes(needed)) throw new Error(`${path.basename(tarball)} has no ${needed}`)
      }
      if (name === "cli") {
        // the bin, the bundle's entry and chunks, README, LICENSE, package.json: nothing else
        const expected = ["LICENSE", "README.md", "bin/pagerduty.js", "dist/bundle/pagerduty.js", "package.json"]
        const other = files.filter((f) => !expected.includes(f) && !/^dist\/bundle\/chunks\/[\w-]+\.js$/.test(f))
        const absent = expected.filter((f) => !files.includes(f))
        if (other.length > 0 || absent.length > 0) {
          throw new Error(`${path.basename(tarball)}: unexpected ${other.join(", ") || "nothing"}; missing ${absent.join(", ") || "nothing"}`)
        }
      }
      tarballs[`@effect-pagerduty/${name}`] = tarball
    }))

    // Lint the tarballs (publint --strict; attw for the packages with modules: the cli is a
    // bin only) while the README is followed with npm and with pnpm, all at the same time.
    const bin = (name) => path.join(root, "node_modules/.bin", name)
    const lints = Promise.all(packages.map(async (name) => {
      const tarball = tarballs[`@effect-pagerduty/${name}`]
      await run(bin("publint"), ["run", tarball, "--strict"], tmp, { quiet: true })
      if (name !== "cli") await run(bin("attw"), [tarball, "--profile", "esm-only", "--format", "table-flipped"], tmp, { quiet: true })
    }))
    // The README, literally, with npm and with pnpm at the same time.
    const pnpmStore = (await run("pnpm", ["store", "path"], tmp, { quiet: true })).stdout.trim()
    const effectRange = commands.flatMap((c) => c.specs).find((s) => nameOf(s) === "effect")
    const bundledEffect = readJson(path.join(fs.realpathSync(path.join(root, "packages/cli/node_modules/effect")), "package.json")).version
    const [, , ...results] = await Promise.all([
      lints,
      noSkew(tmp, tarballs["@effect-pagerduty/cli"], bundledEffect),
      ...["npm", "pnpm"].map((manager) => followReadme(manager, commands, tarballs, tmp, effectRange, pnpmStore))
    ])

    // Sizes (printed for the README and the issue; never asserted).
    process.stdout.write("\nREADME Install block, step by step (cumulative node_modules):\n")
    for (const { manager, steps, globalBin } of results) {
      for (const step of steps) {
        const label = step.comment === "" ? step.line : step.comment
        process.stdout.write(step.global
          ? `  ${manager.padEnd(4)}  global install ${mb(step.kb).padStart(9)}                 ${label}\n`
          : `  ${manager.padEnd(4)}  ${String(step.packages).padStart(4)} packages ${mb(step.kb).padStart(9)}  ${label}\n`)
      }
      const bin = path.join(globalBin, "pagerduty")
      if (manager === "npm" && fs.existsSync(bin)) process.stdout.write(`  ${manager.padEnd(4)}  pagerduty --version (global install): ${(await startup(bin, 10)).toFixed(0)} ms mean of 10 runs\n`)
    }
    process.stdout.write(`\npack check passed: ${Object.keys(tarballs).length} tarballs; README Install block ok with npm and pnpm; no-skew cli ok (${((Date.now() - started) / 1000).toFixed(1)} s)\n`)
  } catch (error) {
    failed = true
    process.stderr.write(`pack check FAILED: ${error instanceof Error ? error.message : String(error)}\n`)
  } finally {
    if (failed) {
      stopAll()
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
    if (process.env.KEEP_PACK_CHECK) process.stdout.write(`kept ${tmp}\n`)
    else {
      // after a failure the other installs may still be writing there
      try {
        fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 500 })
      } catch (error) {
        process.stderr.write(`could not remove ${tmp}: ${error instanceof Error ? error.message : String(error)}\n`)
      }
    }
  }
  if (failed) process.exit(1)
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main().catch((error) => {
    process.stderr.write(`pack check FAILED: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  })
}
