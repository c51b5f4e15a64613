import { assert, describe, it } from "@effect/vitest"
import { build, type BuildOptions, type Metafile } from "esbuild"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"

// The main entry must bundle for browsers and edge workers with no Node built-in, no undici
// and no @effect/platform-node anywhere in its import graph; the Node-only parts live in
// `@effect-pagerduty/client/node` (src/node.ts).
const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../src")

const nodeOnly = /(^|\/)node:|^(assert|buffer|child_process|crypto|dns|events|fs|http|https|net|os|path|stream|tls|url|util|zlib)(\/|$)|node_modules\/(\.pnpm\/)?(undici|@effect\+platform-node|@effect\/platform-node)/

/** Bundle a file of src/, or (`{ contents }`) a small program importing the package. */
const bundle = async (entry: string | { readonly contents: string }, options: BuildOptions) => {
  const result = await build({
    ...(typeof entry === "string"
      ? { entryPoints: [path.join(src, entry)] }
      : { stdin: { contents: entry.contents, resolveDir: src, loader: "ts" } }),
    bundle: true,
    format: "esm",
    write: false,
    metafile: true,
    minify: true,
    logLevel: "silent",
    ...options
  })
  return { metafile: result.metafile as Metafile, bytes: result.outputFiles![0]!.contents }
}

const offenders = (metafile: Metafile): Array<string> => {
  const out: Array<string> = []
  for (const [file, input] of Object.entries(metafile.inputs)) {
    if (nodeOnly.test(file)) out.push(file)
    for (const imported of input.imports) if (nodeOnly.test(imported.path)) out.push(`${file} -> ${imported.path}`)
  }
  return out
}

describe("runtime-neutral main entry", () => {
  it("index.ts bundles for the browser (esbuild platform: browser) with no Node built-in in its inputs", async () => {
    const { metafile, bytes } = await bundle("index.ts", { platform: "browser" })
    const inputs = Object.keys(metafile.inputs)
    assert.isAbove(inputs.length, 100)
    assert.isTrue(inputs.some((file) => file.endsWith("src/ApiClient.ts")))
    assert.isTrue(inputs.some((file) => file.includes("@effect/platform") || file.includes("@effect+platform@")))
    assert.deepStrictEqual(offenders(metafile), [])
    const gzip = gzipSync(bytes).byteLength
    console.log(`browser bundle of @effect-pagerduty/client (everything, minified): ${bytes.byteLength} bytes, ${gzip} gzipped`)
  }, 20_000)

  it("index.ts bundles for edge workers (platform: neutral, worker/browser conditions)", async () => {
    const { metafile } = await bundle("index.ts", {
      minify: false,
      platform: "neutral",
      conditions: ["worker", "browser", "import"],
      mainFields: ["browser", "module", "main"]
    })
    assert.deepStrictEqual(offenders(metafile), [])
  }, 20_000)

  it("a RestApi program on FetchHttpClient bundles for the browser without the modules it does not use", async () => {
    const program = [
      `import { FetchHttpClient } from "@effect/platform"`,
      `import { Effect, Redacted } from "effect"`,
      `import { RestApi } from "./index.js"`,
      `export const run = (key: string) => Effect.runPromise(Effect.flatMap(RestApi.RestApiService, (pd) => pd.listAll("/users")).pipe(`,
      `  Effect.provide(RestApi.layer({ apiKey: Redacted.make(key) })), Effect.provide(FetchHttpClient.layer)))`
    ].join("\n")
    const { metafile, bytes } = await bundle({ contents: program }, { platform: "browser" })
    assert.deepStrictEqual(offenders(metafile), [])
    const used = Object.values(metafile.outputs).flatMap((output) =>
      Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([file]) => file)
    )
    assert.isTrue(used.some((file) => file.endsWith("src/RestApi.ts")))
    for (const unused of ["src/Mcp.ts", "src/JiraCloud.ts", "src/Slack.ts", "src/Throttle.ts"]) {
      assert.isFalse(used.some((file) => file.endsWith(unused)), `${unused} should be tree-shaken`)
    }
    const gzip = gzipSync(bytes).byteLength
    console.log(`browser bundle of a RestApi.listAll program on FetchHttpClient (minified): ${bytes.byteLength} bytes, ${gzip} gzipped`)
  }, 20_000)

  it("the check catches Node imports: the Node entry (src/node.ts) does not bundle for the browser", async () => {
    const error = await bundle("node.ts", { platform: "browser" }).then(() => undefined, (e: unknown) => e)
    assert.isDefined(error)
    assert.match(String((error as { errors?: Array<{ text: string }> }).errors?.[0]?.text), /node:|Could not resolve/)
    // and on platform node it bundles, with Node built-ins that the offenders check reports
    const { metafile } = await bundle("node.ts", { platform: "node", minify: false })
    assert.isAbove(offenders(metafile).length, 0)
  }, 20_000)
})
