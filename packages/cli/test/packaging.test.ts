/**
 * Packaging, without the network: scripts/pack-check.mjs's static checks (package metadata,
 * LICENSE/README in every package, the cli bundle holding one copy of each package and importing
 * nothing but Node built-ins) and its reading of README.md's Install block, which CI then runs
 * literally with npm and pnpm (`node scripts/pack-check.mjs`, in .ci/run).
 */
import { assert, describe, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../../..")
const script = Path.join(root, "scripts/pack-check.mjs")

interface Command {
  readonly comment: string
  readonly line: string
  readonly global: boolean
  readonly dev: boolean
  readonly specs: ReadonlyArray<string>
}

const packCheck = (args: ReadonlyArray<string>, readme?: string) => {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== "PACK_CHECK_README") env[k] = v
  if (readme !== undefined) env.PACK_CHECK_README = readme
  const result = spawnSync(process.execPath, [script, ...args], { cwd: root, env, encoding: "utf8", timeout: 120_000 })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** `--plan` on a README whose Install section is `block` (a ```sh fence). */
const planOf = (block: string) => {
  const dir = fs.mkdtempSync(Path.join(os.tmpdir(), "pack-check-readme-"))
  try {
    const readme = Path.join(dir, "README.md")
    fs.writeFileSync(readme, `# x\n\nIntro.\n\n## Install (in your project)\n\n\`\`\`sh\n${block}\n\`\`\`\n\nMore.\n\n## Quick start\n\n\`\`\`sh\nnpm run nothing\n\`\`\`\n`)
    return packCheck(["--plan"], readme)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const nameOf = (spec: string) => (spec.indexOf("@", 1) < 0 ? spec : spec.slice(0, spec.indexOf("@", 1)))

describe("packaging", () => {
  it("metadata, LICENSE and README of every package; the cli bundle has one copy of each package and no runtime imports", { timeout: 120_000 }, () => {
    const { status, stderr, stdout } = packCheck(["--static"])
    assert.strictEqual(status, 0, stderr + stdout)
    const report = JSON.parse(stdout) as { problems: ReadonlyArray<string>; bundledPackages: number; commands: ReadonlyArray<Command> }
    assert.deepStrictEqual(report.problems, [])
    // effect, @effect/cli, @effect/platform(-node), printer, our three, undici, ...
    assert.isAtLeast(report.bundledPackages, 10)
  })

  it("README.md's Install block: a minimal line without @effect/platform-node, a Node line, every package with an Effect 3 range", { timeout: 60_000 }, () => {
    const { status, stderr, stdout } = packCheck(["--plan"])
    assert.strictEqual(status, 0, stderr)
    const plan = JSON.parse(stdout) as { commands: ReadonlyArray<Command>; npm: ReadonlyArray<string>; pnpm: ReadonlyArray<string> }
    const minimal = plan.commands.find((c) => c.specs.includes("@effect-pagerduty/client"))
    assert.isDefined(minimal)
    assert.deepStrictEqual((minimal?.specs ?? []).map(nameOf).sort(), ["@effect-pagerduty/client", "@effect/platform", "effect"])
    const specs = plan.commands.flatMap((c) => c.specs)
    const range = (name: string) => specs.find((s) => nameOf(s) === name)
    assert.match(range("effect") ?? "", /^effect@\^3\.\d+$/)
    assert.match(range("@effect/platform") ?? "", /^@effect\/platform@\^0\.97$/)
    assert.match(range("@effect/platform-node") ?? "", /^@effect\/platform-node@\^0\.108$/)
    // our names become the tarballs, for npm and for pnpm
    assert.include(plan.npm[0], "npm install <client.tgz>")
    assert.include(plan.pnpm[0], "pnpm add <client.tgz>")
    assert.isTrue(plan.pnpm.every((line) => line.startsWith("pnpm add ")))
  })

  it("an Install block that names a package without a version range fails the check", () => {
    const { status, stderr } = planOf("# minimal\nnpm install @effect-pagerduty/client effect@^3.22 @effect/platform@^0.97\nnpm install @effect/platform-node")
    assert.strictEqual(status, 1)
    assert.include(stderr, "\"@effect/platform-node\" has no version range")
  })

  it("an Install block line that is not `npm install` fails the check (it could not be run with both managers)", () => {
    const { status, stderr } = planOf("yarn add @effect-pagerduty/client effect@^3.22")
    assert.strictEqual(status, 1)
    assert.include(stderr, "is not an `npm install` line")
  })

  it("comments name the path; flags mark dev and global installs", () => {
    const { status, stderr, stdout } = planOf([
      "# minimal: fetch",
      "npm install @effect-pagerduty/client effect@^3.22 @effect/platform@^0.97",
      "npm install -D @effect-pagerduty/testkit @effect/vitest@^0.30   # tests",
      "npm install -g @effect-pagerduty/cli"
    ].join("\n"))
    assert.strictEqual(status, 0, stderr)
    const plan = JSON.parse(stdout) as { commands: ReadonlyArray<Command>; pnpm: ReadonlyArray<string> }
    assert.deepStrictEqual(plan.commands.map((c) => [c.comment, c.dev, c.global]), [["minimal: fetch", false, false], ["", true, false], ["", false, true]])
    assert.deepStrictEqual(plan.pnpm, [
      "pnpm add <client.tgz> effect@^3.22 @effect/platform@^0.97",
      "pnpm add -D <testkit.tgz> @effect/vitest@^0.30",
      "pnpm add -g <cli.tgz>"
    ])
  })
})
