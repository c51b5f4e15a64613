import { assert, describe, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { existsSync } from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

// Runs scripts/browser-smoke.mjs (the client bundled for the browser, one page in headless
// Chromium calling the simulator on another origin). The script installs Debian's chromium
// when it can (`node scripts/browser-smoke.mjs`, a CI step); this test never installs and
// skips, saying so, when no browser is on the machine.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..")

const chromium = (() => {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv !== undefined && existsSync(fromEnv)) return fromEnv
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    for (const name of ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]) {
      if (dir !== "" && existsSync(path.join(dir, name))) return path.join(dir, name)
    }
  }
  return undefined
})()

if (chromium === undefined) {
  console.warn(
    "SKIP browser smoke test: no chromium on this machine. Run `node scripts/browser-smoke.mjs` (installs Debian's chromium as root) to run it."
  )
}

const run = (): Promise<{ code: number | null; output: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "scripts/browser-smoke.mjs"), "--no-install"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    child.stdout.on("data", (chunk) => (output += String(chunk)))
    child.stderr.on("data", (chunk) => (output += String(chunk)))
    child.on("close", (code) => resolve({ code, output }))
  })

describe("browser", () => {
  it.skipIf(chromium === undefined)("headless Chromium runs the bundled client against the simulator (CORS, FetchHttpClient)", async () => {
    const { code, output } = await run()
    const verdict = output.split("\n").find((line) => /^(PASS|FAIL|SKIP):/.test(line)) ?? output.slice(-2000)
    assert.strictEqual(code, 0, verdict)
    assert.match(verdict, /^PASS: browser smoke test: OK users=7 first-incident=\S+ calls=2 userAgent=chrome$/)
    assert.match(output, /simulator saw: GET \/users origin=http:\/\/127\.0\.0\.1:\d+; GET \/incidents origin=http:\/\/127\.0\.0\.1:\d+/)
  }, 90_000)
})
