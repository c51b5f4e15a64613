#!/usr/bin/env node
// Browser smoke test: the client, bundled for the browser with esbuild, makes real requests
// from a page in headless Chromium to the PagerDuty simulator (another origin, so CORS is
// exercised) through FetchHttpClient.
//
//   node scripts/browser-smoke.mjs             installs Debian's `chromium` when missing (root + apt-get)
//   node scripts/browser-smoke.mjs --no-install  never installs; skips when no browser is found
//   node scripts/browser-smoke.mjs --install-only  only makes sure a browser is there (CI, before `pnpm test`)
//
// Exit codes: 0 = passed, or skipped with a "SKIP:" line (no browser and none installable);
// 1 = failed. The browser can be named with CHROMIUM_PATH.
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import * as http from "node:http"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { build } from "esbuild"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const install = !process.argv.includes("--no-install")
const installOnly = process.argv.includes("--install-only")

const log = (line) => console.log(`[browser-smoke] ${line}`)

const onPath = (name) => {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, name)
    if (dir !== "" && existsSync(candidate)) return candidate
  }
  return undefined
}

export const findChromium = () => {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH
  for (const name of ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]) {
    const found = onPath(name)
    if (found !== undefined) return found
  }
  return undefined
}

const installChromium = () => {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return "not running as root"
  if (onPath("apt-get") === undefined) return "apt-get is not available"
  log("chromium not found: installing Debian's chromium package with apt-get")
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" }
  const update = spawnSync("apt-get", ["update"], { stdio: "inherit", env })
  if (update.status !== 0) return `apt-get update failed (exit ${update.status})`
  const result = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], { stdio: "inherit", env })
  return result.status === 0 ? undefined : `apt-get install chromium failed (exit ${result.status})`
}

const listen = (server) =>
  new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => resolve(server.address().port))
  })

// The page's program: one REST listing through FetchHttpClient, then the call statistics.
const pageProgram = `
import { FetchHttpClient } from "@effect/platform"
import { Effect, Redacted } from "effect"
import { Observability, RestApi } from ${JSON.stringify(path.join(root, "packages/client/src/index.ts"))}

const api = new URLSearchParams(location.search).get("api") ?? ""
const out = document.getElementById("result")!
const program = Effect.gen(function*() {
  const pd = yield* RestApi.RestApiService
  const users = yield* pd.listAll("/users")
  const incident = yield* pd.rget("/incidents", { params: { limit: 1 } }).pipe(Effect.map((list) => (list as ReadonlyArray<{ id: string }>)[0]?.id ?? "none"))
  const stats = yield* Observability.callStatistics
  return "OK users=" + users.length + " first-incident=" + incident + " calls=" + stats.totalCount + " userAgent=" + (navigator.userAgent.includes("Chrome") ? "chrome" : "other")
}).pipe(
  Effect.provide(RestApi.layer({ apiKey: Redacted.make("sim-api-key"), baseUrl: api })),
  Effect.provide(FetchHttpClient.layer)
)
// top-level await: the load event (and so --dump-dom) waits for the result
out.textContent = await Effect.runPromise(program).catch((error) => "FAIL " + String(error))
`

const main = async () => {
  let chromium = findChromium()
  if (chromium === undefined && install) {
    const problem = installChromium()
    if (problem !== undefined) log(`cannot install chromium: ${problem}`)
    chromium = findChromium()
  }
  if (chromium === undefined) {
    console.log("SKIP: browser smoke test skipped: no chromium found (install Debian's `chromium`, or set CHROMIUM_PATH)")
    return 0
  }
  log(`browser: ${chromium}`)
  if (installOnly) return 0

  const work = mkdtempSync(path.join(tmpdir(), "pd-browser-smoke-"))
  const servers = []
  try {
    // 1. the simulator, bundled from the testkit's TypeScript sources for Node, on its own origin
    const simEntry = path.join(work, "simulator.mjs")
    await build({
      stdin: {
        contents: `export { Simulator } from ${JSON.stringify(path.join(root, "packages/testkit/src/index.ts"))}`,
        resolveDir: root,
        loader: "ts"
      },
      bundle: true,
      platform: "node",
      format: "esm",
      outfile: simEntry,
      logLevel: "error",
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" }
    })
    const { Simulator } = await import(pathToFileURL(simEntry).href)
    const { Effect, Exit, Scope } = await import(pathToFileURL(path.join(root, "node_modules/effect/dist/esm/index.js")).href)
    const scope = Effect.runSync(Scope.make())
    servers.push(() => Effect.runPromise(Scope.close(scope, Exit.void)))
    const served = await Effect.runPromise(Scope.extend(Simulator.serve({ users: 7 }), scope))
    log(`simulator: ${served.url}`)

    // 2. the page bundle (platform browser: a Node import would fail the build)
    const page = await build({
      stdin: { contents: pageProgram, resolveDir: root, loader: "ts" },
      bundle: true,
      platform: "browser",
      format: "esm",
      target: "es2022",
      minify: true,
      write: false,
      metafile: true,
      logLevel: "error"
    })
    const nodeInputs = Object.keys(page.metafile.inputs).filter((file) => file.startsWith("node:"))
    if (nodeInputs.length > 0) throw new Error(`the page bundle has Node imports: ${nodeInputs.join(", ")}`)
    const js = page.outputFiles[0].contents
    log(`page bundle: ${js.byteLength} bytes`)
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>effect-pagerduty browser smoke</title></head>` +
      `<body><pre id="result">pending</pre><script type="module" src="/app.js"></script></body></html>`
    const pageServer = http.createServer((req, res) => {
      if (req.url?.startsWith("/app.js")) res.writeHead(200, { "content-type": "text/javascript" }).end(js)
      else if (req.url === "/favicon.ico") res.writeHead(404).end()
      else res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html)
    })
    const pagePort = await listen(pageServer)
    servers.push(() => new Promise((resolve) => { pageServer.closeAllConnections(); pageServer.close(() => resolve()) }))
    const url = `http://127.0.0.1:${pagePort}/?api=${encodeURIComponent(served.url)}`

    // 3. headless chromium prints the DOM once the page has loaded
    const profile = path.join(work, "profile")
    const args = [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--no-default-browser-check",
      "--enable-logging=stderr",
      "--log-level=0",
      `--user-data-dir=${profile}`,
      "--virtual-time-budget=15000",
      "--dump-dom",
      url
    ]
    const started = Date.now()
    const result = await new Promise((resolve) => {
      import("node:child_process").then(({ spawn }) => {
        const child = spawn(chromium, args, { stdio: ["ignore", "pipe", "pipe"] })
        let stdout = ""
        let stderr = ""
        const timer = setTimeout(() => child.kill("SIGKILL"), 60_000)
        child.stdout.on("data", (chunk) => { stdout += chunk })
        child.stderr.on("data", (chunk) => { stderr += chunk })
        child.on("close", (code) => {
          clearTimeout(timer)
          resolve({ code, stdout, stderr })
        })
      })
    })
    const match = /<pre id="result">([^<]*)<\/pre>/.exec(result.stdout)
    const shown = match?.[1] ?? "(no result element)"
    log(`chromium exit ${result.code} after ${Date.now() - started} ms; page shows: ${shown}`)
    const recorded = await Effect.runPromise(served.simulator.requests)
    const origins = recorded.map((r) => `${r.method} ${r.path} origin=${r.headers.origin ?? "-"}`)
    log(`simulator saw: ${origins.join("; ")}`)
    const expected = /^OK users=7 first-incident=\S+ calls=2 userAgent=chrome$/
    if (!expected.test(shown)) {
      const consoleLines = result.stderr.split("\n").filter((line) => /CONSOLE|CORS|blocked|net::/i.test(line))
      if (consoleLines.length > 0) log(`page console:\n${consoleLines.slice(-15).join("\n")}`)
      console.log(`FAIL: browser smoke test: expected ${expected}, page shows ${JSON.stringify(shown)}`)
      return 1
    }
    if (!recorded.some((r) => r.headers.origin === `http://127.0.0.1:${pagePort}`)) {
      console.log("FAIL: browser smoke test: the simulator saw no cross-origin request from the page")
      return 1
    }
    console.log(`PASS: browser smoke test: ${shown}`)
    return 0
  } finally {
    for (const close of servers.reverse()) await close()
    rmSync(work, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.log(`FAIL: browser smoke test: ${error instanceof Error ? error.stack : String(error)}`)
      process.exit(1)
    }
  )
}
