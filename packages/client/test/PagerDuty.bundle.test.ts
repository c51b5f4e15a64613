/**
 * Tree-shaking of the typed API: an esbuild bundle (minified, browser) of a program calling one
 * typed operation is at most 1.5x the same program written with `rget`, and holds only the
 * schemas that operation needs (the 465 operations and ~470 schemas are pure top-level exports).
 */
import { assert, describe, it } from "@effect/vitest"
import { build, type Metafile } from "esbuild"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../src")

const bundle = async (lines: ReadonlyArray<string>) => {
  const result = await build({
    stdin: { contents: lines.join("\n"), resolveDir: src, loader: "ts" },
    bundle: true,
    format: "esm",
    write: false,
    metafile: true,
    minify: true,
    platform: "browser",
    logLevel: "silent"
  })
  const bytes = result.outputFiles[0]!.contents
  return { bytes: bytes.byteLength, gzip: gzipSync(bytes).byteLength, text: new TextDecoder().decode(bytes), metafile: result.metafile as Metafile }
}

const inputBytes = (metafile: Metafile, suffix: string) =>
  Object.values(metafile.outputs).reduce((n, output) =>
    n + Object.entries(output.inputs).filter(([file]) => file.endsWith(suffix)).reduce((m, [, input]) => m + input.bytesInOutput, 0), 0)

const common = [`import { FetchHttpClient } from "@effect/platform"`, `import { Effect, Redacted } from "effect"`, `import { RestApi } from "./index.js"`]
const provide = `Effect.provide(RestApi.layer({ apiKey: Redacted.make(key) })), Effect.provide(FetchHttpClient.layer)`

describe("typed API bundle size", () => {
  it("one typed operation (getIncident, decoded) bundles to <= 1.5x the same program with rget", async () => {
    const rget = await bundle([
      ...common,
      `export const run = (key: string, id: string) => Effect.runPromise(Effect.flatMap(RestApi.RestApiService, (pd) => pd.rget(\`/incidents/\${id}\`)).pipe(${provide}))`
    ])
    const typed = await bundle([
      ...common,
      `import { getIncident } from "./PagerDuty.js"`,
      `export const run = (key: string, id: string) => Effect.runPromise(Effect.map(getIncident(id), (incident) => incident.title).pipe(${provide}))`
    ])
    const ratio = typed.bytes / rget.bytes
    console.log(
      `bundle (minified): rget ${rget.bytes} bytes (${rget.gzip} gzipped), typed getIncident ${typed.bytes} bytes (${typed.gzip} gzipped), ratio ${ratio.toFixed(3)}; ` +
        `RestSchemas ${inputBytes(typed.metafile, "generated/RestSchemas.ts")} bytes, RestOperations ${inputBytes(typed.metafile, "generated/RestOperations.ts")} bytes`
    )
    assert.isAtMost(ratio, 1.5)
    // the Incident schema is in, schemas no part of an incident are not
    assert.include(typed.text, `"Incident"`)
    for (const unused of [`"AutomationActionsRunner"`, `"StatusPagePost"`, `"WebhookSubscription"`, `"listIncidents"`, `"getUser"`]) {
      assert.notInclude(typed.text, unused)
    }
    assert.isBelow(inputBytes(typed.metafile, "generated/RestSchemas.ts"), 60_000)
    assert.isBelow(inputBytes(typed.metafile, "generated/RestOperations.ts"), 20_000)
  }, 60_000)

  it("through the package index (PagerDuty.getIncident) the bundle holds every operation, still <= 1.5x rget", async () => {
    const rget = await bundle([
      ...common,
      `export const run = (key: string, id: string) => Effect.runPromise(Effect.flatMap(RestApi.RestApiService, (pd) => pd.rget(\`/incidents/\${id}\`)).pipe(${provide}))`
    ])
    // esbuild materialises a namespace re-exported by the index (`export * as PagerDuty`), so
    // every operation comes along; the subpath import above is the one to use for small bundles
    const viaIndex = await bundle([
      `import { FetchHttpClient } from "@effect/platform"`,
      `import { Effect, Redacted } from "effect"`,
      `import { PagerDuty, RestApi } from "./index.js"`,
      `export const run = (key: string, id: string) => Effect.runPromise(PagerDuty.getIncident(id).pipe(${provide}))`
    ])
    console.log(`bundle (minified) of PagerDuty.getIncident via the package index: ${viaIndex.bytes} bytes, ratio ${(viaIndex.bytes / rget.bytes).toFixed(3)}`)
    assert.isAtMost(viaIndex.bytes / rget.bytes, 1.5)
  }, 60_000)

  it("the whole typed API (the PagerDuty service) is what pulls every operation in", async () => {
    const service = await bundle([
      ...common,
      `import * as PagerDuty from "./PagerDuty.js"`,
      `export const run = (key: string) => Effect.runPromise(Effect.flatMap(PagerDuty.PagerDuty, (pd) => pd.getCurrentUser()).pipe(Effect.provide(PagerDuty.layer()), ${provide}))`
    ])
    assert.include(service.text, `"listIncidents"`)
    assert.include(service.text, `"StatusPagePost"`)
    console.log(`bundle (minified) of a program using the PagerDuty service: ${service.bytes} bytes (${service.gzip} gzipped)`)
  }, 60_000)
})
