#!/usr/bin/env node
// Code generator for @effect-pagerduty/client: reads the vendored OpenAPI specs in specs/
// and writes packages/client/src/generated/*.ts. Plain Node ESM, no dependencies.
//
//   RestApiTables.ts, <Integration>Tables.ts  paths, entity wrappers, pagination, scopes
//   RestSchemas.ts, EventsSchemas.ts          effect/Schema of the specs' schemas
//   RestOperations.ts                         one typed function per REST operation (the
//                                             `PagerDuty` module), with generated validators
// Hand corrections of the specs live in scripts/codegen-overrides.mjs.
//
//   node scripts/codegen.mjs                 write the generated files
//   node scripts/codegen.mjs --check         regenerate in memory, exit 1 listing files that differ
//   node scripts/codegen.mjs --out <dir>     write to (or check against) another directory
//   node scripts/codegen.mjs --all-schemas   emit every REST components.schemas entry
//   node scripts/codegen.mjs --report        print derivation diagnostics to stderr
//
// Output is deterministic: sorted keys, stable formatting (2-space indent, double quotes,
// no semicolons), no timestamps.
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { entityWrapperOverrides, historyPaths as historyPathsOverride, presentFields } from "./codegen-overrides.mjs"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const specsDir = path.join(root, "specs")

// ---------------------------------------------------------------------------------------
// arguments

const argv = process.argv.slice(2)
const check = argv.includes("--check")
const allSchemas = argv.includes("--all-schemas")
const report = argv.includes("--report")
const outIndex = argv.indexOf("--out")
const outDir = outIndex >= 0 ? path.resolve(argv[outIndex + 1]) : path.join(root, "packages/client/src/generated")

const log = (...args) => {
  if (report) console.error(...args)
}

// ---------------------------------------------------------------------------------------
// spec helpers

const METHODS = ["get", "put", "post", "patch", "delete", "head", "options"]

const specCache = new Map()
const loadSpec = (file) => {
  if (!specCache.has(file)) specCache.set(file, JSON.parse(fs.readFileSync(path.join(specsDir, file), "utf8")))
  return specCache.get(file)
}

/** Resolves a local JSON pointer (`#/a/b~1c`, segments may also be URI-encoded). */
const pointer = (spec, ref) => {
  if (!ref.startsWith("#/")) throw new Error(`Only local $refs are supported: ${ref}`)
  let node = spec
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~")
    if (node === undefined || node === null || !(key in node)) throw new Error(`Unresolvable $ref ${ref}`)
    node = node[key]
  }
  return node
}

/** Follows `$ref`s until a non-reference node. */
const deref = (spec, node) => {
  let n = node
  const seen = new Set()
  while (n && typeof n === "object" && typeof n.$ref === "string") {
    if (seen.has(n.$ref)) throw new Error(`$ref cycle at ${n.$ref}`)
    seen.add(n.$ref)
    n = pointer(spec, n.$ref)
  }
  return n
}

/** Every operation of a spec, sorted by path then method: { method, path, op, pathItem }. */
const operationsOf = (spec) => {
  const out = []
  for (const p of Object.keys(spec.paths ?? {}).sort()) {
    const item = spec.paths[p]
    for (const m of METHODS) if (item[m]) out.push({ method: m.toUpperCase(), path: p, op: item[m], item })
  }
  return out
}

/** Parameters of an operation (path-level ones merged in), dereferenced. */
const parametersOf = (spec, { op, item }) => {
  const byKey = new Map()
  for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
    const param = deref(spec, raw)
    byKey.set(`${param.in}:${param.name}`, param)
  }
  return [...byKey.values()]
}

const hasQueryParam = (params, name) => params.some((p) => p.in === "query" && p.name === name)

const JSON_TYPE = /^application\/(.+\+)?json/

const jsonSchemaOf = (spec, content) => {
  if (!content) return undefined
  const key = Object.keys(content).sort().find((k) => JSON_TYPE.test(k))
  return key === undefined ? undefined : content[key].schema
}

/** The schema of the first 2xx response that has a JSON body, or undefined. */
const successSchema = (spec, op) => {
  const codes = Object.keys(op.responses ?? {})
    .filter((c) => /^2\d\d$/.test(c) || c === "2XX")
    .sort()
  for (const code of codes) {
    const response = deref(spec, op.responses[code])
    const schema = jsonSchemaOf(spec, response.content)
    if (schema !== undefined) return schema
  }
  return undefined
}

const requestSchema = (spec, op) => {
  if (!op.requestBody) return undefined
  return jsonSchemaOf(spec, deref(spec, op.requestBody).content)
}

// ---------------------------------------------------------------------------------------
// entity wrappers

// Envelope metadata that sits next to the wrapped entity or list and is never the wrapper.
const ENVELOPE_FIELDS = new Set([
  "limit",
  "offset",
  "total",
  "more",
  "cursor",
  "next_cursor",
  "previous_cursor",
  "after",
  "before",
  "has_more",
  "warnings",
  // list metadata seen next to the list in REST.json
  "response_metadata", // audit records: cursor metadata
  "additional_fields", // business service impacts: total_impacted_count
  "privileges" // automation actions / runners: permissions of the caller
])

/**
 * The properties of an object schema: `allOf` parts are merged; returns undefined when
 * the schema is not an object (array, scalar, free-form).
 */
const objectProperties = (spec, node, depth = 0) => {
  const schema = deref(spec, node)
  if (!schema || typeof schema !== "object" || depth > 20) return undefined
  if (schema.type === "array" || (schema.type && schema.type !== "object")) return undefined
  let props
  if (schema.properties) props = { ...schema.properties }
  if (schema.allOf) {
    for (const part of schema.allOf) {
      const sub = objectProperties(spec, part, depth + 1)
      if (sub) props = { ...(props ?? {}), ...sub }
    }
  }
  return props
}

const isContainer = (spec, node) => {
  const schema = deref(spec, node)
  if (!schema || typeof schema !== "object") return true
  if (schema.type === "object" || schema.type === "array") return true
  if (schema.type === undefined) return true // $ref'd objects, allOf, oneOf: containers
  return false
}

/** The single wrapper property of an object schema (see the header of RestApiTables.ts). */
const PAGINATION_PARAMS = ["limit", "offset", "total", "cursor", "after", "before", "startIndex", "count"]

const PAGINATION_FIELDS = ["limit", "offset", "total", "more", "next_cursor", "cursor"]

const wrapperOf = (spec, node, isResponse) => {
  if (node === undefined) return null
  const schema = deref(spec, node)
  for (const key of ["oneOf", "anyOf"]) {
    if (Array.isArray(schema[key])) {
      const found = new Set(schema[key].map((branch) => wrapperOf(spec, branch, isResponse)))
      return found.size === 1 ? [...found][0] : null
    }
  }
  const props = objectProperties(spec, schema)
  if (!props) return null
  const candidates = Object.keys(props).filter((k) => !ENVELOPE_FIELDS.has(k))
  if (candidates.length === 1) return isContainer(spec, props[candidates[0]]) ? candidates[0] : null
  // Request bodies must be exactly one key. A response may carry scalar metadata next to
  // the list, but only when it is a paginated list envelope, and never if it has an `id`
  // or `type` (then it is the entity itself).
  if (!isResponse || !PAGINATION_FIELDS.some((k) => k in props)) return null
  if (candidates.includes("id") || candidates.includes("type")) return null
  const containers = candidates.filter((k) => isContainer(spec, props[k]))
  return containers.length === 1 ? containers[0] : null
}

/** Python's inference rule (§5.2), for comparison only. */
const singularName = (r) => {
  if (r.endsWith("ies")) return r.slice(0, -3) + "y"
  if (r.endsWith("ses")) return r.slice(0, -1)
  if (r.endsWith("s")) return r.slice(0, -1)
  return r
}

const isParam = (node) => node.startsWith("{") && node.endsWith("}")

const inferEntityWrapper = (method, p) => {
  const nodes = p.split("/")
  const last = nodes[nodes.length - 1]
  if (isParam(last)) return singularName(nodes[nodes.length - 2])
  if (method === "POST") return singularName(last)
  return last
}

/** Derived wrappers for every operation, then overrides; returns { table, overridden }. */
const deriveWrappers = (spec, file) => {
  const table = {}
  for (const o of operationsOf(spec)) {
    const req = requestSchema(spec, o.op)
    table[`${o.method} ${o.path}`] = [req === undefined ? null : wrapperOf(spec, req, false), wrapperOf(spec, successSchema(spec, o.op), true)]
  }
  const overrides = entityWrapperOverrides[file] ?? {}
  const overridden = []
  for (const key of Object.keys(overrides).sort()) {
    if (!(key in table)) throw new Error(`codegen-overrides: ${file} has no operation ${key}`)
    const [req, res] = overrides[key]
    if (table[key][0] === req && table[key][1] === res) {
      throw new Error(`codegen-overrides: ${file} ${key} agrees with the spec already; remove the override`)
    }
    table[key] = [req, res]
    overridden.push(key)
  }
  return { table, overridden }
}

// ---------------------------------------------------------------------------------------
// formatting

const q = (s) => JSON.stringify(s)
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/
const key = (k) => (IDENT.test(k) ? k : q(k))
const lit = (v) => (v === null ? "null" : q(v))

// The header names each spec's `info.version`, so a diff of a generated file shows which spec
// version it came from.
const header = (files) =>
  `// Generated by scripts/codegen.mjs from ${files.map((f) => `specs/${f}`).join(", ")}. Do not edit.\n` +
  `// Spec version: ${files.map((f) => `${f} ${loadSpec(f).info?.version ?? "(none)"}`).join(", ")}.\n` +
  `// Regenerate with \`pnpm codegen\`; \`node scripts/codegen.mjs --check\` reports drift.\n`

const doc = (lines, example, since = "0.1.0") => {
  const body = [...lines, "", "@example", "```ts", ...example, "```", "", `@since ${since}`, "@category generated"]
  return `/**\n${body.map((l) => (l === "" ? " *" : ` * ${l}`)).join("\n")}\n */\n`
}

const stringArray = (items) => (items.length === 0 ? "[]" : `[\n${items.map((i) => `  ${q(i)}`).join(",\n")}\n]`)

const record = (entries, value) =>
  entries.length === 0 ? "{}" : `{\n${entries.map(([k, v]) => `  ${q(k)}: ${value(v)}`).join(",\n")}\n}`

const sortedEntries = (obj) => Object.keys(obj).sort().map((k) => [k, obj[k]])

// ---------------------------------------------------------------------------------------
// table files (REST and integrations)

const tableSections = ({ spec, file, module, importPath, pathsDoc, baseUrls, stripPrefix }) => {
  const ops = operationsOf(spec)
  const rel = (p) => (stripPrefix && p.startsWith(stripPrefix) ? p.slice(stripPrefix.length) || "/" : p)
  const { table, overridden } = deriveWrappers(spec, file)
  const wrappers = {}
  for (const [k, v] of Object.entries(table)) {
    const sp = k.indexOf(" ")
    wrappers[`${k.slice(0, sp)} ${rel(k.slice(sp + 1))}`] = v
  }
  const canonical = Object.keys(spec.paths).map(rel).sort()
  const methods = {}
  for (const o of ops) (methods[rel(o.path)] ??= []).push(o.method)
  const cursor = []
  const offset = []
  const sinceUntil = []
  const scopes = {}
  const limited = []
  const pagination = {}
  for (const o of ops) {
    const params = parametersOf(spec, o)
    const p = rel(o.path)
    if (o.method === "GET" && hasQueryParam(params, "cursor")) cursor.push(p)
    if (o.method === "GET" && (hasQueryParam(params, "offset") || hasQueryParam(params, "limit")) && !hasQueryParam(params, "cursor")) {
      if (hasQueryParam(params, "offset")) offset.push(p)
    }
    if (o.method === "GET" && hasQueryParam(params, "since") && hasQueryParam(params, "until")) sinceUntil.push(p)
    const paging = PAGINATION_PARAMS.filter((n) => hasQueryParam(params, n))
    if (o.method === "GET" && paging.length > 0) pagination[p] = paging
    const scope = o.op["x-pd-requires-scope"]
    if (typeof scope === "string") scopes[`${o.method} ${p}`] = scope
    if (o.op["x-pd-operation-limit"] === true) limited.push(`${o.method} ${p}`)
  }
  const ex = (line) => [`import * as ${module} from "${importPath}"`, "", line]
  const sections = []
  sections.push(
    doc([`Base URL of the API in each service region, from the spec's \`servers\`${baseUrls.eu ? "" : " (the spec lists no EU server; the EU host is derived by the client's Region module)"}.`], ex(`${module}.baseUrls.us // ${q(baseUrls.us)}`)) +
      `export const baseUrls: { readonly us: string; readonly eu: string | null } = {\n  us: ${q(baseUrls.us)},\n  eu: ${lit(baseUrls.eu ?? null)}\n}\n`
  )
  sections.push(
    doc([pathsDoc, "Sorted; path parameters keep the spec's names (e.g. `{id}`)."], ex(`${module}.canonicalPaths.includes(${q(canonical[0])}) // true`)) +
      `export const canonicalPaths: ReadonlyArray<string> = ${stringArray(canonical)}\n`
  )
  sections.push(
    doc(["HTTP methods the spec defines for each canonical path (upper case, in `GET PUT POST PATCH DELETE` order)."], ex(`${module}.pathMethods[${q(canonical[0])}] // ${JSON.stringify(methods[canonical[0]])}`)) +
      `export const pathMethods: Readonly<Record<string, ReadonlyArray<string>>> = ${record(sortedEntries(methods), (v) => `[${v.map(q).join(", ")}]`)}\n`
  )
  const firstOp = Object.keys(wrappers).sort()[0]
  sections.push(
    doc(
      [
        "Entity wrappers per operation, keyed by `\"<METHOD> <canonical path>\"`: `[request, response]`.",
        "",
        "`request` is the single top-level property of the JSON request body that holds the entity",
        "(null: no body, or the body is not a one-key wrapper); `response` is the single top-level",
        "property of the 2xx JSON response that holds the entity or list, ignoring pagination metadata",
        "(`limit`, `offset`, `total`, `more`, `cursor`, `next_cursor`, ...); null when the response is not",
        "an object wrapper (arrays, 204, analytics-style bodies). Derived from the spec, then",
        "`scripts/codegen-overrides.mjs` (see `entityWrapperOverrides`)."
      ],
      ex(`const [request, response] = ${module}.entityWrappers[${q(firstOp)}]`)
    ) +
      `export const entityWrappers: Readonly<Record<string, readonly [request: string | null, response: string | null]>> = ${record(sortedEntries(wrappers), ([a, b]) => `[${lit(a)}, ${lit(b)}]`)}\n`
  )
  sections.push(
    doc(["Operations whose wrapper comes from `scripts/codegen-overrides.mjs` instead of the spec (see the comments there)."], ex(`${module}.entityWrapperOverrides.length`)) +
      `export const entityWrapperOverrides: ReadonlyArray<string> = ${stringArray(overridden.map((k) => { const sp = k.indexOf(" "); return `${k.slice(0, sp)} ${rel(k.slice(sp + 1))}` }).sort())}\n`
  )
  sections.push(
    doc(["Canonical paths whose GET takes the `cursor` query parameter (cursor-based pagination)."], ex(`${module}.cursorPaginatedPaths.length`)) +
      `export const cursorPaginatedPaths: ReadonlyArray<string> = ${stringArray([...new Set(cursor)].sort())}\n`
  )
  sections.push(
    doc(["Canonical paths whose GET takes the `offset` query parameter and no `cursor` (classic offset/limit pagination)."], ex(`${module}.classicPaginatedPaths.length`)) +
      `export const classicPaginatedPaths: ReadonlyArray<string> = ${stringArray([...new Set(offset)].sort())}\n`
  )
  sections.push(
    doc(
      ["Pagination query parameters each canonical path's GET accepts (`limit`, `offset`, `total`, `cursor`, `after`, `before`, SCIM `startIndex`/`count`)."],
      ex(`${module}.paginationParams[${q(Object.keys(pagination).sort()[0] ?? canonical[0])}]`)
    ) + `export const paginationParams: Readonly<Record<string, ReadonlyArray<string>>> = ${record(sortedEntries(pagination), (v) => `[${v.map(q).join(", ")}]`)}\n`
  )
  return { sections, wrappers, overridden, canonical, cursor, offset, sinceUntil, scopes, limited, ex }
}

const restFile = () => {
  const file = "REST.json"
  const spec = loadSpec(file)
  const module = "RestApiTables"
  const t = tableSections({
    spec,
    file,
    module,
    importPath: "@effect-pagerduty/client/generated/RestApiTables",
    pathsDoc: "Every path of the REST API v2 (`paths` of REST.json): the REST canonical path list.",
    baseUrls: { us: spec.servers[0].url, eu: "https://api.eu.pagerduty.com" }
  })
  for (const p of historyPathsOverride) {
    if (!t.sinceUntil.includes(p)) throw new Error(`codegen-overrides: history path ${p} does not take since and until in REST.json`)
  }
  const s = t.sections
  s[0] = s[0].replace(" (the spec lists no EU server; the EU host is derived by the client's Region module)", "")
  s[0] = s[0].replace("from the spec's `servers`.", "from the spec's `servers` (US) and PagerDuty's EU service region.")
  s.push(
    doc(
      [
        "Paths `iterHistory` accepts (time-window bisection over `since`/`until`).",
        "",
        "Kept from python-pagerduty's HISTORICAL_RECORD_PATHS in `scripts/codegen-overrides.mjs`:",
        "deriving \"GET takes since and until\" from the spec gives the broader `sinceUntilPaths`, which",
        "includes analytics, schedules and notification endpoints that are not paginated record lists.",
        "Codegen checks that every entry is in `sinceUntilPaths`."
      ],
      t.ex(`${module}.historyPaths.includes("/log_entries") // true`)
    ) + `export const historyPaths: ReadonlyArray<string> = ${stringArray([...historyPathsOverride].sort())}\n`
  )
  s.push(
    doc(["Canonical paths whose GET takes both `since` and `until` query parameters (derived from the spec)."], t.ex(`${module}.sinceUntilPaths.includes("/incidents") // true`)) +
      `export const sinceUntilPaths: ReadonlyArray<string> = ${stringArray([...new Set(t.sinceUntil)].sort())}\n`
  )
  s.push(
    doc(["OAuth scope each operation requires (`x-pd-requires-scope`), keyed by `\"<METHOD> <canonical path>\"`."], t.ex(`${module}.requiredScopes["GET /incidents"] // "incidents.read"`)) +
      `export const requiredScopes: Readonly<Record<string, string>> = ${record(sortedEntries(t.scopes), q)}\n`
  )
  s.push(
    doc(["Operations marked `x-pd-operation-limit: true` (subject to an additional per-operation rate limit)."], t.ex(`${module}.operationLimit.includes("POST /incidents") // true`)) +
      `export const operationLimit: ReadonlyArray<string> = ${stringArray(t.limited.sort())}\n`
  )
  const content = header([file]) + "\n" + s.join("\n")
  return { name: `${module}.ts`, content, info: { spec, wrappers: t.wrappers, overridden: t.overridden } }
}

// Integration specs: module name, spec file, how their paths relate to the client base URL.
const INTEGRATIONS = [
  { file: "integration-jira-cloud.json", module: "JiraCloudTables", title: "Jira Cloud integration API", prefix: "/integration-jira-cloud" },
  { file: "integration-jira-service.json", module: "JiraServerTables", title: "Jira Server integration API" },
  { file: "integration-ms-teams-service.json", module: "MsTeamsTables", title: "Microsoft Teams integration API" },
  { file: "integration-slack-service.json", module: "SlackTables", title: "Slack integration API (incident channels and Slack connections)" },
  { file: "scim.json", module: "ScimTables", title: "SCIM v2 API" },
  { file: "mcp.json", module: "McpTables", title: "MCP server" },
  { file: "events-v1.json", module: "EventsV1Tables", title: "legacy Events API v1" },
  { file: "events-v2.json", module: "EventsV2Tables", title: "Events API v2 (alert events and change events)" }
]

const euOf = (url) => {
  const u = new URL(url)
  if (!u.hostname.endsWith(".pagerduty.com") || u.hostname.includes(".eu.")) return null
  const [sub] = u.hostname.split(".")
  return `${u.protocol}//${sub}.eu.pagerduty.com${u.pathname === "/" ? "" : u.pathname}`
}

const integrationFile = ({ file, module, title, prefix }) => {
  const spec = loadSpec(file)
  const server = spec.servers[0].url.replace(/\/$/, "")
  const us = prefix ? server + prefix : server
  const eu = spec.servers.find((s) => s.url.includes(".eu."))?.url ?? euOf(us)
  const t = tableSections({
    spec,
    file,
    module,
    importPath: `@effect-pagerduty/client/generated/${module}`,
    pathsDoc:
      `Canonical paths of the ${title}, relative to \`baseUrls\`` +
      (prefix ? ` (the spec's paths carry the \`${prefix}\` prefix on \`${server}\`; it is moved into the base URL).` : "."),
    baseUrls: { us, eu },
    stripPrefix: prefix
  })
  t.sections[0] = t.sections[0].replace(
    /Base URL of the API in each service region, from the spec's `servers`[^\n]*\./,
    `Base URL of the ${title} in each service region: \`us\` from the spec's \`servers\`${prefix ? ` plus \`${prefix}\`` : ""}, \`eu\` the same path on the \`.eu.\` host (the spec lists no EU server).`
  )
  if (Object.keys(t.scopes).length > 0) {
    t.sections.push(
      doc(["OAuth scope each operation requires (`x-pd-requires-scope`), keyed by `\"<METHOD> <canonical path>\"`."], t.ex(`${module}.requiredScopes`)) +
        `export const requiredScopes: Readonly<Record<string, string>> = ${record(sortedEntries(t.scopes), q)}\n`
    )
  }
  return { name: `${module}.ts`, content: header([file]) + "\n" + t.sections.join("\n"), info: { wrappers: t.wrappers } }
}

// ---------------------------------------------------------------------------------------
// effect/Schema emitter

// Schemas emitted from REST.json (plus everything they reference).
const REST_SCHEMAS = [
  "Alert",
  "AuditRecord",
  "EscalationPolicy",
  "Incident",
  "IncidentNote",
  "LogEntry",
  "Oncall",
  "Override",
  "Priority",
  "Schedule",
  "ScheduleLayer",
  "Service",
  "Tag",
  "Team",
  "User"
]

// Schemas emitted from events-v2.json: named roots (JSON pointers) plus components.
const EVENTS_V2_ROOTS = {
  ChangeEvent: "#/paths/~1change~1enqueue/post/requestBody/content/application~1json/schema",
  Event: "#/paths/~1enqueue/post/requestBody/content/application~1json/schema",
  // both endpoints answer 202 with components/responses/Success
  EventResponse: "#/components/responses/Success/content/application~1json/schema"
}

// Field-optionality rule (documented in the generated header): a property is required in
// the decoder only when the spec lists it in `required`, it is not `readOnly`, and its
// name is one of these identity fields that PagerDuty always sends. Everything else is
// `Schema.optional`, because PagerDuty omits fields in some responses (references,
// `include[]`-dependent fields, read-only fields in list views).
const ALWAYS_PRESENT = new Set(["id", "type"])

const PURE = "/*#__PURE__*/ "

const RESERVED = new Set(["Schema", "Object", "Array", "String", "Number", "Boolean", "Date", "Error", "Function", "Symbol", "Promise", "Record", "Map", "Set"])

// pure: prefix each top-level schema with `/*#__PURE__*/` so bundlers drop the unused ones;
// sinceOf: the `@since` of each export (default 0.1.0); intro: extra header lines.
const schemaModule = ({ spec, file, module, roots, pure = false, sinceOf = () => "0.1.0", introExtra = [] }) => {
  // top-level fields PagerDuty always sends (codegen-overrides.mjs `presentFields`), by pointer
  const present = new Map(Object.entries(presentFields[file] ?? {}).map(([n, fields]) => [`#/components/schemas/${n}`, new Set(fields)]))
  for (const [ptr, fields] of present) {
    const node = spec.components?.schemas?.[ptr.split("/").pop()]
    if (node === undefined) throw new Error(`codegen-overrides: presentFields names ${ptr}, which ${file} does not have`)
    for (const f of fields) {
      if (!(f in (objectProperties(spec, node) ?? {}))) throw new Error(`codegen-overrides: presentFields ${ptr} has no property ${f} in ${file}`)
    }
  }
  // roots: Map name -> pointer. Component schemas reached by $ref get their component name.
  const names = new Map() // pointer -> identifier
  const used = new Set()
  const ident = (raw) => {
    let id = raw.replace(/[^A-Za-z0-9_$]/g, "_")
    if (/^[0-9]/.test(id)) id = "_" + id
    if (RESERVED.has(id)) id = id + "Schema"
    let candidate = id
    for (let i = 2; used.has(candidate); i++) candidate = `${id}${i}`
    used.add(candidate)
    return candidate
  }
  for (const [n, ptr] of Object.entries(roots).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) names.set(ptr, ident(n))
  const COMPONENT = /^#\/components\/schemas\/[^/]+$/
  const nameOf = (ref) => {
    if (!names.has(ref)) names.set(ref, ident(decodeURIComponent(ref.split("/").pop())))
    return names.get(ref)
  }
  // walk: collect dependencies of each named pointer
  const deps = new Map()
  const visit = (ptr) => {
    if (deps.has(ptr)) return
    const d = new Set()
    deps.set(ptr, d)
    const walk = (node, depth) => {
      if (!node || typeof node !== "object" || depth > 60) return
      if (typeof node.$ref === "string") {
        if (COMPONENT.test(node.$ref)) {
          nameOf(node.$ref)
          d.add(node.$ref)
          visit(node.$ref)
        } else walk(pointer(spec, node.$ref), depth + 1)
        return
      }
      for (const [k, v] of Object.entries(node)) {
        if (k === "example" || k === "examples" || k === "enum" || k === "default") continue
        if (k === "properties") for (const p of Object.values(v)) walk(p, depth + 1)
        else if (Array.isArray(v)) v.forEach((x) => walk(x, depth + 1))
        else if (typeof v === "object") walk(v, depth + 1)
      }
    }
    walk(pointer(spec, ptr), 0)
  }
  for (const ptr of Object.values(roots)) visit(ptr)

  // order: dependencies first (DFS post-order over sorted names); back edges are cycles
  const all = [...deps.keys()].sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0))
  const order = []
  const state = new Map()
  const recursive = new Set()
  const dfs = (ptr, stack) => {
    const st = state.get(ptr)
    if (st === "done") return
    if (st === "active") {
      for (let i = stack.indexOf(ptr); i < stack.length; i++) recursive.add(stack[i])
      return
    }
    state.set(ptr, "active")
    stack.push(ptr)
    for (const d of [...deps.get(ptr)].sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : 1))) dfs(d, stack)
    stack.pop()
    state.set(ptr, "done")
    order.push(ptr)
  }
  for (const ptr of all) dfs(ptr, [])

  // expressions
  const emitted = new Set()
  const ind = (s, n) => s.split("\n").join("\n" + " ".repeat(n))
  const enumExpr = (values) => {
    const lits = values.filter((v) => v !== null)
    if (lits.length === 0) return "Schema.Null"
    const base = lits.every((v) => typeof v === "string") ? "Schema.String" : lits.every((v) => typeof v === "number") ? "Schema.Number" : lits.every((v) => typeof v === "boolean") ? "Schema.Boolean" : "Schema.Unknown"
    return `Schema.Union(Schema.Literal(${lits.map((v) => JSON.stringify(v)).join(", ")}), ${base})`
  }
  const enumType = (values) => {
    const lits = values.filter((v) => v !== null)
    if (lits.length === 0) return "null"
    if (lits.every((v) => typeof v === "string")) return "string"
    if (lits.every((v) => typeof v === "number")) return "number"
    if (lits.every((v) => typeof v === "boolean")) return "boolean"
    return "unknown"
  }
  // merged object view of a schema node (allOf flattened); returns null if not an object
  const merged = (node, depth = 0) => {
    if (depth > 30) return null
    if (node.$ref && !COMPONENT.test(node.$ref)) return merged(pointer(spec, node.$ref), depth + 1)
    if (node.$ref) return merged(pointer(spec, node.$ref), depth + 1)
    if (node.allOf) {
      const out = { properties: {}, required: new Set(), nullable: !!node.nullable }
      if (node.properties) Object.assign(out.properties, node.properties)
      for (const r of node.required ?? []) out.required.add(r)
      for (const part of node.allOf) {
        const m = merged(part, depth + 1)
        if (!m) continue
        Object.assign(out.properties, m.properties)
        for (const r of m.required) out.required.add(r)
      }
      return out
    }
    if (node.properties || node.type === "object") {
      return { properties: { ...(node.properties ?? {}) }, required: new Set(node.required ?? []), nullable: !!node.nullable, additional: node.additionalProperties }
    }
    return null
  }
  const expr = (node, mode, depth, owner) => {
    // mode: "schema" | "type"
    if (!node || typeof node !== "object") return mode === "schema" ? "Schema.Unknown" : "unknown"
    if (typeof node.$ref === "string") {
      if (COMPONENT.test(node.$ref)) {
        const n = nameOf(node.$ref)
        if (mode === "type") return n
        if (!emitted.has(node.$ref) || (recursive.has(node.$ref) && recursive.has(owner))) return `Schema.suspend((): Schema.Schema<${n}> => ${n})`
        return n
      }
      return expr(pointer(spec, node.$ref), mode, depth + 1, owner)
    }
    let out
    const nullable = node.nullable === true
    const union = node.oneOf ?? node.anyOf
    if (node.allOf) {
      const parts = node.allOf.filter((p) => !(p && typeof p === "object" && Object.keys(p).every((k) => k === "description" || k === "nullable" || k === "readOnly" || k === "example")))
      if (parts.length === 1 && !node.properties) out = expr(parts[0], mode, depth + 1, owner)
      else out = structExpr(merged(node), mode, depth, owner)
    } else if (union) {
      const members = [...new Set(union.map((m) => expr(m, mode, depth + 1, owner)))]
      out = members.length === 1 ? members[0] : mode === "schema" ? `Schema.Union(\n  ${members.map((m) => ind(m, 2)).join(",\n  ")}\n)` : members.map((m) => (m.includes("\n") ? `(${m})` : m)).join(" | ")
    } else if (Array.isArray(node.enum)) {
      out = mode === "schema" ? enumExpr(node.enum) : enumType(node.enum)
    } else if (node.type === "array") {
      const item = expr(node.items, mode, depth + 1, owner)
      out = mode === "schema" ? `Schema.Array(${item})` : `ReadonlyArray<${item}>`
    } else if (node.type === "string") out = mode === "schema" ? "Schema.String" : "string"
    else if (node.type === "integer" || node.type === "number") out = mode === "schema" ? "Schema.Number" : "number"
    else if (node.type === "boolean") out = mode === "schema" ? "Schema.Boolean" : "boolean"
    else if (node.properties || node.type === "object") {
      const m = merged(node)
      if (Object.keys(m.properties).length === 0) {
        const value = m.additional && typeof m.additional === "object" ? expr(m.additional, mode, depth + 1, owner) : mode === "schema" ? "Schema.Unknown" : "unknown"
        out = mode === "schema" ? `Schema.Record({ key: Schema.String, value: ${value} })` : `{ readonly [key: string]: ${value} }`
      } else out = structExpr(m, mode, depth, owner)
    } else out = mode === "schema" ? "Schema.Unknown" : "unknown"
    if (nullable && out !== "Schema.Unknown" && out !== "unknown") out = mode === "schema" ? `Schema.NullOr(${out})` : `${out.includes("\n") ? `(${out})` : out} | null`
    return out
  }
  const structExpr = (m, mode, depth, owner) => {
    const fields = Object.keys(m.properties).sort()
    const lines = fields.map((f) => {
      const p = m.properties[f]
      const pn = p && p.$ref && !COMPONENT.test(p.$ref) ? pointer(spec, p.$ref) : p
      const required = (m.required.has(f) && !(pn && pn.readOnly === true) && ALWAYS_PRESENT.has(f)) || (depth === 0 && !inputMode && present.get(owner)?.has(f) === true)
      let e = expr(p, mode, depth + 1, owner)
      // Optional fields also accept null: PagerDuty sends null for unset fields even where
      // the spec does not say `nullable` (e.g. `alert_grouping.ended_at` in its own examples).
      if (!required && mode === "schema" && !e.startsWith("Schema.NullOr(") && e !== "Schema.Unknown") e = `Schema.NullOr(${e})`
      if (!required && mode === "type" && !/\| null$/.test(e) && e !== "unknown") e = `${e.includes("\n") || e.includes(" | ") ? `(${e})` : e} | null`
      if (mode === "schema") return `${key(f)}: ${required ? ind(e, 2) : `Schema.optional(${ind(e, 2)})`}`
      // Schema.optional decodes to `?: T | undefined` (exactOptionalPropertyTypes)
      return `readonly ${key(f)}${required ? `: ${ind(e, 2)}` : `?: ${ind(e.includes("\n") || e.includes(" | ") ? `(${e})` : e, 2)} | undefined`}`
    })
    if (mode === "schema") return `Schema.Struct(\n  {\n    ${lines.map((l) => ind(l, 2)).join(",\n    ")}\n  },\n  Schema.Record({ key: Schema.String, value: Schema.Unknown })\n)`
    return `{\n  ${[...lines, "readonly [key: string]: unknown"].join("\n  ")}\n}`
  }

  // With `pure`, the most frequent field schemas are shared constants (schemas are immutable
  // values): a bundle of every schema is ~90 KB smaller (minified) than with each spelled out.
  const SHARED = pure
    ? [
      ["optionalString", "Schema.optional(Schema.NullOr(Schema.String))"],
      ["optionalNumber", "Schema.optional(Schema.NullOr(Schema.Number))"],
      ["optionalBoolean", "Schema.optional(Schema.NullOr(Schema.Boolean))"],
      ["optionalStrings", "Schema.optional(Schema.NullOr(Schema.Array(Schema.String)))"],
      ["extraFields", "Schema.Record({ key: Schema.String, value: Schema.Unknown })"]
    ]
    : []
  const shared = (e) => SHARED.reduce((acc, [name, text]) => acc.split(text).join(name), e)
  const sharedDecls = SHARED.length === 0
    ? ""
    : "// Field schemas shared by many structs (see `SHARED` in scripts/codegen.mjs); not exported.\n" +
      "// `extraFields` is the index signature that keeps unknown properties.\n" +
      SHARED.map(([name, text]) => `const ${name} = ${PURE}${text}`).join("\n") + "\n\n"
  // `<Name>Input`: the type of a component with `presentFields` as a request body, where the
  // fields PagerDuty always sends in responses (`id`, ...) are optional again.
  let inputMode = false
  const inputTypeOf = (ptr) => {
    inputMode = true
    try {
      return expr({ ...pointer(spec, ptr), nullable: false }, "type", 0, ptr)
    } finally {
      inputMode = false
    }
  }
  // A schema whose inferred type nests structs deeper than this gets the explicit type of a
  // recursive one: in the emitted .d.ts, tsc gives up on IncidentWorkflow's (8 levels of inline
  // `steps`) and infers its Context as `any`, so `Schema.decodeUnknownSync(IncidentWorkflow)`
  // does not compile for users (Context any is not assignable to never). The next deepest is 4.
  const MAX_INFERRED_DEPTH = 5
  const structDepth = (e) => {
    let depth = 0
    let max = 0
    const stack = []
    for (let i = 0; i < e.length; i++) {
      if (e.startsWith("Schema.Struct(", i)) {
        stack.push(true)
        max = Math.max(max, ++depth)
        i += "Schema.Struct(".length - 1
      } else if (e[i] === "(") stack.push(false)
      else if (e[i] === ")" && stack.pop() === true) depth--
    }
    return max
  }
  const sections = []
  for (const ptr of order) {
    const n = nameOf(ptr)
    const node = pointer(spec, ptr)
    const description = typeof node.description === "string" ? node.description.split("\n")[0].trim() : ""
    const source = ptr.startsWith("#/components/schemas/") ? `\`${ptr.slice(2)}\`` : `the schema at \`${decodeURIComponent(ptr.slice(2)).replace(/~1/g, "/")}\``
    const ex = [`import { Schema } from "effect"`, `import * as ${module} from "@effect-pagerduty/client/generated/${module}"`, "", `const value = Schema.decodeUnknownSync(${module}.${n})({ extra: "kept" })`]
    const lines = [`${description ? description.replace(/\*\//g, "* /") + " " : ""}From ${source} of ${file}.`.trim()]
    const schemaExpr = expr(node, "schema", 0, ptr)
    if (recursive.has(ptr) || structDepth(schemaExpr) > MAX_INFERRED_DEPTH) {
      const typeExpr = expr({ ...node, nullable: false }, "type", 0, ptr)
      const t = node.nullable === true ? `${typeExpr} | null` : typeExpr
      sections.push(doc([`Type of {@link ${n}}.`], [`import type * as ${module} from "@effect-pagerduty/client/generated/${module}"`, "", `const f = (value: ${module}.${n}) => value`], sinceOf(n)) + (t.startsWith("{") && node.nullable !== true ? `export interface ${n} ${t}\n` : `export type ${n} = ${t}\n`))
      sections.push(doc(lines, ex, sinceOf(n)) + `export const ${n}: Schema.Schema<${n}> = ${pure ? PURE : ""}${shared(schemaExpr)}.annotations({ identifier: ${q(n)} })\n`)
    } else {
      sections.push(doc(lines, ex, sinceOf(n)) + `export const ${n} = ${pure ? PURE : ""}${shared(schemaExpr)}.annotations({ identifier: ${q(n)} })\n`)
      sections.push(doc([`Type of {@link ${n}}.`], [`import type * as ${module} from "@effect-pagerduty/client/generated/${module}"`, "", `const f = (value: ${module}.${n}) => value`], sinceOf(n)) + `export type ${n} = typeof ${n}.Type\n`)
    }
    if (present.has(ptr)) {
      sections.push(
        doc(
          [`{@link ${n}} as a request body: the fields PagerDuty always sends in responses (codegen-overrides \`presentFields\`) are optional.`],
          [`import type * as ${module} from "@effect-pagerduty/client/generated/${module}"`, "", `const f = (value: ${module}.${n}Input) => value`],
          "0.2.0"
        ) + `export type ${n}Input = ${inputTypeOf(ptr)}\n`
      )
    }
    emitted.add(ptr)
  }
  const intro =
    `/**\n * effect/Schema definitions for ${file}. Decoding rules:\n *\n` +
    [
      "Every struct keeps unknown properties (index signature `Record<string, unknown>`).",
      "A property is required only when the spec lists it in `required`, it is not `readOnly`,",
      "and it is an identity field (`id`, `type`); everything else is `Schema.optional` and also accepts",
      "`null` (PagerDuty sends null for unset fields even where the spec does not say `nullable`).",
      "`nullable: true` -> `Schema.NullOr`; enums are open: `Schema.Union(Schema.Literal(...), Schema.String)`",
      "because PagerDuty adds values; date-times stay strings; integers are `Schema.Number`.",
      "No transformations: `Type` and `Encoded` are the same, decoding is a cheap check.",
      "Recursive schemas get an explicit type and `Schema.suspend`; so do schemas nesting structs",
      "more than 5 deep (IncidentWorkflow), whose inferred type tsc cannot emit (Context `any`).",
      ...introExtra
    ]
      .map((l) => ` * ${l}`)
      .join("\n") +
    "\n *\n * @since 0.1.0\n */\n"
  // Validators: one plain function per schema, accepting exactly what the schema decodes (the
  // schemas have no transformations, so a value that passes is its own decoded value). They
  // mirror `expr` case by case; the typed operations use them as the fast path and fall back to
  // `Schema.decodeUnknownEither` only to describe a failure (test: generated-validators).
  const checks = (rootPtrs) => {
    const helpers = []
    // only the validators reachable from rootPtrs (tsc's noUnusedLocals)
    const needed = new Set()
    const queue = []
    const fnName = (ptr) => {
      if (!needed.has(ptr)) {
        needed.add(ptr)
        queue.push(ptr)
      }
      return `check$${nameOf(ptr)}`
    }
    const hoisted = new Map() // body -> name: one helper per distinct body
    const hoist = (body) => {
      if (hoisted.has(body)) return hoisted.get(body)
      const n = `check$$${helpers.length}`
      hoisted.set(body, n)
      helpers.push(`function ${n}(u: unknown): boolean {\n  return ${body}\n}`)
      return n
    }
    // a predicate identifier for a node
    const pred = (node) => {
      if (node && typeof node === "object" && typeof node.$ref === "string" && COMPONENT.test(node.$ref)) return fnName(node.$ref)
      const body = test(node, "u")
      if (body === "true") return "check$unknown"
      if (body === "typeof u === \"string\"") return "check$string"
      return hoist(body)
    }
    const nullOr = (t, v) => (t === "true" || t.startsWith(`${v} === null ||`) ? t : `(${v} === null || ${t})`)
    const test = (node, v) => {
      if (!node || typeof node !== "object") return "true"
      if (typeof node.$ref === "string") {
        if (COMPONENT.test(node.$ref)) return `${fnName(node.$ref)}(${v})`
        return test(pointer(spec, node.$ref), v)
      }
      let out
      const union = node.oneOf ?? node.anyOf
      if (node.allOf) {
        const parts = node.allOf.filter((p) => !(p && typeof p === "object" && Object.keys(p).every((k) => k === "description" || k === "nullable" || k === "readOnly" || k === "example")))
        if (parts.length === 1 && !node.properties) out = test(parts[0], v)
        else out = structTest(merged(node), v)
      } else if (union) {
        // members deduplicated as `expr` does (by their schema expression)
        const seen = new Set()
        const members = []
        for (const m of union) {
          const key = expr(m, "schema", 0, null)
          if (seen.has(key)) continue
          seen.add(key)
          members.push(test(m, v))
        }
        out = members.length === 1 ? members[0] : members.includes("true") ? "true" : `(${members.join(" || ")})`
      } else if (Array.isArray(node.enum)) {
        const lits = node.enum.filter((x) => x !== null)
        if (lits.length === 0) out = `${v} === null`
        else if (lits.every((x) => typeof x === "string")) out = `typeof ${v} === "string"`
        else if (lits.every((x) => typeof x === "number")) out = `typeof ${v} === "number"`
        else if (lits.every((x) => typeof x === "boolean")) out = `typeof ${v} === "boolean"`
        else out = "true"
      } else if (node.type === "array") out = `check$array(${v}, ${pred(node.items)})`
      else if (node.type === "string") out = `typeof ${v} === "string"`
      else if (node.type === "integer" || node.type === "number") out = `typeof ${v} === "number"`
      else if (node.type === "boolean") out = `typeof ${v} === "boolean"`
      else if (node.properties || node.type === "object") {
        const m = merged(node)
        if (Object.keys(m.properties).length === 0) out = `check$record(${v}, ${m.additional && typeof m.additional === "object" ? pred(m.additional) : "check$unknown"})`
        else out = structTest(m, v)
      } else out = "true"
      if (node.nullable === true && out !== "true") out = nullOr(out, v)
      return out
    }
    const structTest = (m, v) => {
      const fields = Object.keys(m.properties).sort()
      const conds = [`check$object(${v})`]
      for (const f of fields) {
        const p = m.properties[f]
        const pn = p && p.$ref && !COMPONENT.test(p.$ref) ? pointer(spec, p.$ref) : p
        const access = `${v}${IDENT.test(f) ? `.${f}` : `[${q(f)}]`}`
        // the required rule of structExpr, for the struct being tested (owner-level fields only)
        const required = (m.required.has(f) && !(pn && pn.readOnly === true) && ALWAYS_PRESENT.has(f)) || (m === currentTop && present.get(currentOwner)?.has(f) === true)
        const t = test(p, "x")
        if (required) conds.push(t === "true" ? `${q(f)} in ${v}` : `${pred(p)}(${access})`)
        else if (t !== "true") conds.push(`check$optional(${access}, ${pred(p)})`)
      }
      return conds.join(" && ")
    }
    let currentTop = null
    let currentOwner = null
    const fns = new Map()
    for (const ptr of rootPtrs) fnName(ptr)
    while (queue.length > 0) {
      const ptr = queue.shift()
      const node = pointer(spec, ptr)
      currentOwner = ptr
      // the top-level struct of a component is where `presentFields` apply (depth 0 in structExpr)
      const top = node.allOf && !(node.allOf.filter((p) => !(p && typeof p === "object" && Object.keys(p).every((k) => ["description", "nullable", "readOnly", "example"].includes(k)))).length === 1 && !node.properties)
        ? merged(node)
        : !node.allOf && !node.oneOf && !node.anyOf && !Array.isArray(node.enum) && node.type !== "array" && (node.properties || node.type === "object")
        ? merged(node)
        : null
      currentTop = top
      let body
      if (top !== null && Object.keys(top.properties).length > 0) {
        body = structTest(top, "u")
        if (node.nullable === true) body = nullOr(body, "u")
      } else body = test(node, "u")
      currentTop = null
      fns.set(ptr, `function ${fnName(ptr)}(u: unknown): boolean {\n  return ${body}\n}`)
    }
    return [...order.filter((ptr) => fns.has(ptr)).map((ptr) => fns.get(ptr)), ...helpers].join("\n\n")
  }
  return {
    name: `${module}.ts`,
    content: header([file]) + intro + `import { Schema } from "effect"\n\n` + sharedDecls + sections.join("\n"),
    info: { count: order.length, names: order.map(nameOf), nameOf, checks, hasInput: (ptr) => present.has(ptr) }
  }
}

// ---------------------------------------------------------------------------------------
// typed operations (RestOperations.ts)
//
// One typed function per REST operation, named by its `operationId`. Each is a table entry
// (method, path template, query parameter names, From / early-access headers, result kind,
// a thunk of the result schema) handed to the small runtime in src/internal/operation.ts,
// with a generated function type; the runtime calls RestApi's public verbs (`rget`/`rpost`/
// ..., `iterAllPages`), so retry, auth, entity wrapping, throttling and pagination stay in
// RestApi. Every entry is a `/*#__PURE__*/` top-level export, so a bundler keeps only the
// operations (and schemas) a program uses.

// A request body without a JSON content type is sent as given (ApiClient's `body`) in its
// first `text/*` content type (`uploadEnrichmentCsv`: multipart/form-data or text/csv, sent as
// text/csv); an operation with neither stops the codegen, so a new kind is never dropped silently.
const RAW_BODY_TYPE = /^text\//

// Option names the runtime reads itself; a query parameter may not use one of them.
const RUNTIME_OPTIONS = new Set(["body", "from", "decode", "headers", "timeout", "retry", "pageSize", "concurrency", "onLimit"])
// Pagination query parameters the list streams set themselves.
const STREAM_PAGING = new Set(["limit", "offset", "cursor", "total"])

const esc = (segment) => segment.replace(/~/g, "~0").replace(/\//g, "~1")
const COMPONENT_PTR = /^#\/components\/schemas\/[^/]+$/

/** Follows `$ref`s from a pointer; returns the pointer of the first non-reference node. */
const followPtr = (spec, ptr) => {
  const seen = new Set()
  for (;;) {
    const node = pointer(spec, ptr)
    if (!node || typeof node !== "object" || typeof node.$ref !== "string" || seen.has(ptr)) return ptr
    seen.add(ptr)
    ptr = node.$ref
  }
}

/** The pointer of property `prop` of the object schema at `ptr` (through allOf/oneOf/anyOf). */
const propPtr = (spec, ptr, prop, depth = 0) => {
  if (depth > 10) return null
  const at = followPtr(spec, ptr)
  const node = pointer(spec, at)
  if (node?.properties && Object.hasOwn(node.properties, prop)) return `${at}/properties/${esc(prop)}`
  for (const k of ["allOf", "oneOf", "anyOf"]) {
    for (let i = 0; i < (node?.[k]?.length ?? 0); i++) {
      const found = propPtr(spec, `${at}/${k}/${i}`, prop, depth + 1)
      if (found) return found
    }
  }
  return null
}

const itemsPtr = (spec, ptr) => {
  const at = followPtr(spec, ptr)
  const node = pointer(spec, at)
  return node?.type === "array" && node.items ? `${at}/items` : null
}

const pascal = (s) => s[0].toUpperCase() + s.slice(1)

/** The pointer of the first 2xx JSON response schema of an operation, or null. */
const successPtr = (spec, o) => {
  const codes = Object.keys(o.op.responses ?? {}).filter((c) => /^2\d\d$/.test(c) || c === "2XX").sort()
  for (const code of codes) {
    const resPtr = followPtr(spec, `#/paths/${esc(o.path)}/${o.method.toLowerCase()}/responses/${code}`)
    const content = pointer(spec, resPtr).content
    const ct = content && Object.keys(content).sort().find((k) => JSON_TYPE.test(k))
    if (ct) return `${resPtr}/content/${esc(ct)}/schema`
  }
  return null
}

/** The content type of a body sent as given (no JSON content, a `text/*` one), or null. */
const rawBodyType = (spec, o) => {
  if (!o.op.requestBody) return null
  const content = deref(spec, o.op.requestBody).content ?? {}
  const types = Object.keys(content).sort()
  if (types.some((k) => JSON_TYPE.test(k))) return null
  const raw = types.find((k) => RAW_BODY_TYPE.test(k))
  if (raw === undefined) throw new Error(`codegen: ${o.op.operationId} has a body that is neither JSON nor text (${types.join(", ")})`)
  return raw
}

const requestPtr = (spec, o) => {
  if (!o.op.requestBody) return null
  const at = followPtr(spec, `#/paths/${esc(o.path)}/${o.method.toLowerCase()}/requestBody`)
  const content = pointer(spec, at).content
  const ct = content && Object.keys(content).sort().find((k) => JSON_TYPE.test(k))
  return ct ? `${at}/content/${esc(ct)}/schema` : null
}

/** TypeScript type of a query parameter: closed literal unions for enums, arrays for `[]`. */
const queryType = (spec, param) => {
  const schema = deref(spec, param.schema ?? {}) ?? {}
  const scalar = (s) => {
    const n = deref(spec, s ?? {}) ?? {}
    if (Array.isArray(n.enum) && n.enum.length > 0) return n.enum.map((v) => JSON.stringify(v)).join(" | ")
    if (n.type === "integer" || n.type === "number") return "number"
    if (n.type === "boolean") return "boolean"
    return "string"
  }
  if (schema.type === "array") {
    const t = scalar(schema.items)
    return `ReadonlyArray<${t.includes(" | ") ? `(${t})` : t}>`
  }
  if (param.name.endsWith("[]")) {
    const t = scalar(schema)
    return `ReadonlyArray<${t.includes(" | ") ? `(${t})` : t}>`
  }
  return scalar(schema)
}

const firstParagraph = (text) =>
  (text ?? "")
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, " ").trim())
    .filter((p) => p !== "" && !/^Scoped OAuth requires/i.test(p) && !/^For more information see/i.test(p))[0] ?? ""

const docText = (s) => s.replace(/\*\//g, "* /")

/**
 * Plans every operation: its result kind and the schema roots it needs. Returns
 * { plans, roots } where roots maps schema names to JSON pointers for schemaModule.
 */
const planOperations = (spec, wrappers) => {
  const ops = operationsOf(spec)
  const cursor = new Set()
  const classic = new Set()
  for (const o of ops) {
    const params = parametersOf(spec, o)
    if (o.method === "GET" && hasQueryParam(params, "cursor")) cursor.add(o.path)
    else if (o.method === "GET" && hasQueryParam(params, "offset")) classic.add(o.path)
  }
  const roots = {}
  const rootOf = new Map()
  const root = (ptr, fallback) => {
    const at = followPtr(spec, ptr)
    if (rootOf.has(at)) return rootOf.get(at)
    const name = COMPONENT_PTR.test(at) ? decodeURIComponent(at.split("/").pop()).replace(/~1/g, "/") : fallback
    roots[name] = at
    rootOf.set(at, at)
    return at
  }
  const plans = []
  const ids = new Set()
  for (const o of ops) {
    const id = o.op.operationId
    if (!IDENT.test(id) || ids.has(id)) throw new Error(`codegen: operationId ${id} is not a unique identifier`)
    ids.add(id)
    const P = pascal(id)
    const params = parametersOf(spec, o)
    const pathParams = [...o.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])
    const [reqWrapper, resWrapper] = wrappers[`${o.method} ${o.path}`] ?? [null, null]
    const last = o.path.split("/").pop()
    const paginated = o.method === "GET" && !isParam(last) && (cursor.has(o.path) || classic.has(o.path))
    const res = successPtr(spec, o)
    let kind = "void"
    let schemaPtr = null
    if (res !== null) {
      kind = "entity"
      let entity = res
      // an overridden wrapper the schema lacks (codegen-overrides: the schema describes the bare
      // entity, the wire wraps it): the schema is the entity's
      if (resWrapper !== null) entity = propPtr(spec, res, resWrapper) ?? (`${o.method} ${o.path}` in (entityWrapperOverrides["REST.json"] ?? {}) ? res : null)
      const listWrapper = resWrapper ?? (paginated ? inferEntityWrapper("GET", o.path) : null)
      if (paginated && listWrapper !== null) {
        const listPtr = resWrapper !== null ? entity : propPtr(spec, res, listWrapper)
        const items = listPtr === null ? null : itemsPtr(spec, listPtr)
        kind = "list"
        schemaPtr = items === null ? null : root(items, `${P}Item`)
      } else if (entity !== null) {
        schemaPtr = root(entity, `${P}Result`)
      }
    }
    const req = requestPtr(spec, o)
    let bodyPtr = null
    if (req !== null) {
      const inner = reqWrapper === null ? req : propPtr(spec, req, reqWrapper)
      bodyPtr = inner === null ? null : root(inner, `${P}Body`)
    }
    const query = params
      .filter((p) => p.in === "query" && !(kind === "list" && STREAM_PAGING.has(p.name)))
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((p) => {
        const key = p.name.replace(/\[\]$/, "")
        if (RUNTIME_OPTIONS.has(key)) throw new Error(`codegen: ${id} query parameter ${p.name} collides with a runtime option`)
        const schema = deref(spec, p.schema ?? {}) ?? {}
        const joined = !p.name.endsWith("[]") && schema.type === "array" // sent comma-separated
        return { key, wire: p.name, joined, required: p.required === true, type: queryType(spec, p), description: firstParagraph(p.description) }
      })
    const headers = params.filter((p) => p.in === "header")
    const from = headers.find((p) => p.name.toLowerCase() === "from")
    const constants = {}
    for (const h of headers) {
      const schema = deref(spec, h.schema ?? {}) ?? {}
      if (h.name === "X-EARLY-ACCESS" && Array.isArray(schema.enum) && schema.enum.length === 1) constants[h.name] = schema.enum[0]
    }
    const raw = rawBodyType(spec, o)
    const body = req === null && raw === null ? null : { required: deref(spec, o.op.requestBody).required === true, ptr: bodyPtr, raw }
    plans.push({ o, id, P, pathParams, kind, schemaPtr, query, from: from ? { required: from.required === true } : null, constants, body, reqWrapper, resWrapper })
  }
  return { plans, roots }
}

// Helpers of the generated validators (see `checks` in schemaModule), not exported.
const CHECK_HELPERS = `// Validators generated from the same schema nodes as RestSchemas.ts (see \`checks\` in
// scripts/codegen.mjs): each accepts exactly what its schema decodes. Not exported; bundlers drop
// the unused ones with the operations that use them.
function check$unknown(_: unknown): boolean {
  return true
}

function check$string(u: unknown): boolean {
  return typeof u === "string"
}

function check$object(u: unknown): u is Readonly<Record<string, unknown>> {
  return typeof u === "object" && u !== null && !Array.isArray(u)
}

function check$optional(u: unknown, f: (u: unknown) => boolean): boolean {
  return u === undefined || u === null || f(u)
}

function check$array(u: unknown, f: (u: unknown) => boolean): boolean {
  if (!Array.isArray(u)) return false
  for (let i = 0; i < u.length; i++) if (!f(u[i])) return false
  return true
}

function check$record(u: unknown, f: (u: unknown) => boolean): boolean {
  if (!check$object(u)) return false
  if (f === check$unknown) return true
  for (const k of Object.keys(u)) if (!f(u[k])) return false
  return true
}
`

const restOperationsFile = ({ spec, plans, nameOf, checks, hasInput }) => {
  const S = (ptr) => (ptr === null ? "unknown" : `S.${nameOf(ptr)}`)
  const sections = []
  const members = []
  const since = "0.2.0"
  const example = (p, pages = false) => {
    const args = [...p.pathParams.map((n) => q(`P${n.toUpperCase().replace(/[^A-Z]/g, "").slice(0, 6)}1`))]
    const required = p.query.filter((x) => x.required)
    const opts = [...required.map((x) => `${key(x.key)}: ${x.type.startsWith("ReadonlyArray") ? "[]" : x.type === "number" ? "1" : x.type === "boolean" ? "true" : x.type.startsWith('"') ? x.type.split(" | ")[0] : q("2026-01-01T00:00:00Z")}`)]
    // A required JSON body is declared with the option's own type: `body: {}` does not type-check
    // where the body type has required fields (createOverrides, createCustomShifts, ...).
    const declared = p.body?.required && p.body.raw === null ? [`declare const body: PagerDuty.${p.P}Options["body"]`] : []
    if (p.body?.required) opts.push(p.body.raw === null ? "body" : `body: ${q("name,email\nAda,ada@example.com\n")}`)
    if (p.from?.required) opts.push(`from: "me@example.com"`)
    if (opts.length > 0) args.push(`{ ${opts.join(", ")} }`)
    return [`import { PagerDuty } from "@effect-pagerduty/client"`, "", ...declared, `// needs RestApi.RestApiService; see PagerDuty.layer for a service of all operations`, `const program = PagerDuty.${p.id}${pages ? "Pages" : ""}(${args.join(", ")})`]
  }
  for (const p of plans) {
    const { o, id, P } = p
    const scope = o.op["x-pd-requires-scope"]
    const summary = docText(o.op.summary ?? id)
    const para = docText(firstParagraph(o.op.description))
    const lines = [`${summary}${summary.endsWith(".") ? "" : "."}`, ""]
    if (para && para !== summary) lines.push(para, "")
    lines.push(`\`${o.method} ${o.path}\` (operation \`${id}\`${o.op.tags?.length ? `, tag ${o.op.tags.join(", ")}` : ""}).`)
    lines.push(typeof scope === "string" ? `OAuth scope: \`${scope}\`.` : "OAuth scope: none listed in the spec.")
    if (o.op["x-pd-operation-limit"] === true) lines.push("Subject to an additional per-operation rate limit (`x-pd-operation-limit`).")
    if (o.op.deprecated === true) lines.push("Deprecated in the spec.")
    lines.push(`Reference: https://developer.pagerduty.com/api-reference/ (search \`${id}\`).`)
    const resultLine = {
      entity: `Result: the unwrapped${p.resWrapper ? ` \`${p.resWrapper}\`` : ""} entity, decoded with \`${S(p.schemaPtr)}\` (unless \`decode: false\`).`,
      list: `Result: a \`Stream\` of every item${p.resWrapper ? ` of \`${p.resWrapper}\`` : ""} (paginated like \`RestApi.iterAll\`), each decoded with \`${S(p.schemaPtr)}\`; \`${id}Pages\` gives the pages with \`more\`/\`total\`.`,
      void: "Result: `void` (the spec lists no JSON response)."
    }[p.kind]
    lines.push(resultLine)
    // options interface
    const base = p.kind === "list" ? "Op.ListOptions" : "Op.CallOptions"
    const fields = []
    for (const x of p.query) {
      if (x.description) fields.push(`  /** ${docText(x.description)}${x.wire !== x.key ? ` (sent as \`${x.wire}\`)` : x.joined ? " (sent comma-separated)" : ""} */`)
      fields.push(`  readonly ${key(x.key)}${x.required ? "" : "?"}: ${x.type}${x.required ? "" : " | undefined"}`)
    }
    if (p.body?.raw) {
      fields.push(`  /** The request body, sent as given with \`Content-Type: ${p.body.raw}\`. */`)
      fields.push(`  readonly body${p.body.required ? "" : "?"}: string | Uint8Array${p.body.required ? "" : " | undefined"}`)
    } else if (p.body) {
      fields.push(`  /** The request entity${p.reqWrapper ? ` (sent as \`{ ${p.reqWrapper}: body }\`)` : ""}. */`)
      fields.push(`  readonly body${p.body.required ? "" : "?"}: ${p.body.ptr === null ? "unknown" : `S.${nameOf(p.body.ptr)}${hasInput(p.body.ptr) ? "Input" : ""}`}${p.body.required ? "" : " | undefined"}`)
    }
    if (p.from) {
      fields.push("  /** The `From` header: the email of a user of the account (default: RestApi's `defaultFrom`). */")
      fields.push(`  readonly from?: string | undefined`)
    }
    const optional = !p.query.some((x) => x.required) && !p.body?.required
    const optsDoc = doc([`Options of {@link ${id}}.`], [`import type { PagerDuty } from "@effect-pagerduty/client"`, "", `const options: Partial<PagerDuty.${P}Options> = {}`], since)
    sections.push(optsDoc + (fields.length === 0 ? `export interface ${P}Options extends ${base} {}\n` : `export interface ${P}Options extends ${base} {\n${fields.join("\n")}\n}\n`))
    const params = [...p.pathParams.map((n) => `${n}: string`), `options${optional ? "?" : ""}: ${P}Options`].join(", ")
    const result = p.schemaPtr === null ? "unknown" : S(p.schemaPtr)
    const eff = {
      entity: (r) => `Effect.Effect<${result}, Op.OperationError${r}>`,
      void: (r) => `Effect.Effect<void, Op.OperationError${r}>`,
      list: (r) => `Stream.Stream<${result}, Op.StreamError${r}>`
    }[p.kind]
    const descriptor = [
      `name: ${q(id)}`,
      `method: ${q(o.method)}`,
      `path: ${q(o.path)}`,
      ...(p.query.length > 0 ? [`query: [${p.query.map((x) => q(x.joined ? `${x.wire},` : x.wire)).join(", ")}]`] : []),
      ...(p.body?.raw ? [`bodyType: ${q(p.body.raw)}`] : []),
      ...(Object.keys(p.constants).length > 0 ? [`headers: ${JSON.stringify(p.constants).replace(/":/g, '": ').replace(/,"/g, ', "').replace(/^\{/, "{ ").replace(/\}$/, " }")}`] : []),
      ...(p.kind !== "void" && p.schemaPtr !== null ? [`schema: () => ${S(p.schemaPtr)}`, `check: check$${nameOf(p.schemaPtr)}`] : [])
    ]
    const ctor = { entity: "Op.entity", void: "Op.none", list: "Op.list" }[p.kind]
    sections.push(
      doc(lines, example(p), since) +
        `export const ${id}: ((${params}) => ${eff(", RestApiService")}) & Op.Runnable = ${PURE}${ctor}({\n  ${descriptor.join(",\n  ")}\n})\n`
    )
    members.push(`  /** ${summary} (\`${o.method} ${o.path}\`) */\n  readonly ${id}: (${params}) => ${eff("")}`)
    if (p.kind === "list") {
      const pageType = `Stream.Stream<Op.Page<${result}>, Op.StreamError`
      sections.push(
        doc([`The pages of {@link ${id}}: each page's decoded items with \`more\`, \`total\`, \`offset\` or \`cursor\` and the raw body.`], example(p, true), since) +
          `export const ${id}Pages: ((${params}) => ${pageType}, RestApiService>) & Op.Runnable = ${PURE}Op.pages(${id})\n`
      )
      members.push(`  /** The pages of \`${id}\`, with \`more\`/\`total\` */\n  readonly ${id}Pages: (${params}) => ${pageType}>`)
    }
  }
  sections.push(
    doc(["Every typed operation as a method (what {@link PagerDuty.PagerDuty} provides, without the `RestApiService` requirement)."], [`import type { PagerDuty } from "@effect-pagerduty/client"`, "", `type GetIncident = PagerDuty.Operations["getIncident"]`], since) +
      `export interface Operations {\n${members.join("\n")}\n}\n`
  )
  const all = plans.flatMap((p) => (p.kind === "list" ? [p.id, `${p.id}Pages`] : [p.id]))
  sections.push(
    doc(["Every typed operation function, by name (used by `PagerDuty.make`; importing it keeps every operation in a bundle)."], [`import { PagerDuty } from "@effect-pagerduty/client"`, "", `Object.keys(PagerDuty.operations).length`], since) +
      `export const operations = {\n${all.map((n) => `  ${n}`).join(",\n")}\n}\n`
  )
  const intro =
    `/**\n * Typed functions for every one of the ${plans.length} operations of REST.json, each named by its\n` +
    ` * \`operationId\` and needing \`RestApi.RestApiService\`.\n *\n * @since 0.2.0\n */\n`
  const imports = [
    `import type { Effect, Stream } from "effect"`,
    `import * as Op from "../internal/operation.js"`,
    `import type { RestApiService } from "../RestApi.js"`,
    `import * as S from "./RestSchemas.js"`
  ].join("\n")
  return {
    name: "RestOperations.ts",
    content: header(["REST.json"]) + intro + imports + "\n\n" + sections.join("\n") + "\n" + CHECK_HELPERS + "\n" + checks(plans.filter((p) => p.kind !== "void" && p.schemaPtr !== null).map((p) => p.schemaPtr)) + "\n",
    info: { count: plans.length }
  }
}

// ---------------------------------------------------------------------------------------
// main

const generate = () => {
  const files = []
  const rest = restFile()
  files.push(rest)
  for (const i of INTEGRATIONS) files.push(integrationFile(i))
  const restSpec = rest.info.spec
  const componentRoots = (names) => Object.fromEntries(names.map((n) => [n, `#/components/schemas/${n.replace(/\//g, "~1")}`]))
  // RestSchemas: the schemas of every typed operation (results, list items, request bodies)
  // plus REST_SCHEMAS; those REST_SCHEMAS reaches were exported before 0.2.0.
  const before = new Set(schemaModule({ spec: restSpec, file: "REST.json", module: "RestSchemas", roots: componentRoots(REST_SCHEMAS) }).info.names)
  const { plans, roots: operationRoots } = planOperations(restSpec, rest.info.wrappers)
  const restRoots = { ...componentRoots(allSchemas ? Object.keys(restSpec.components.schemas) : REST_SCHEMAS), ...operationRoots }
  const schemas = schemaModule({
    spec: restSpec,
    file: "REST.json",
    module: "RestSchemas",
    roots: restRoots,
    pure: true,
    sinceOf: (n) => (before.has(n) ? "0.1.0" : "0.2.0"),
    introExtra: [
      "Covers every schema the typed operations (RestOperations.ts) decode or take as a body; results",
      "and bodies that are not a component get the operation's name (`<Operation>Result`, `<Operation>Item`,",
      "`<Operation>Body`). Each schema export is marked `#__PURE__`, so bundlers drop the unused ones."
    ]
  })
  files.push(schemas)
  files.push(restOperationsFile({ spec: restSpec, plans, nameOf: schemas.info.nameOf, checks: schemas.info.checks, hasInput: schemas.info.hasInput }))
  const events = loadSpec("events-v2.json")
  const eventRoots = { ...EVENTS_V2_ROOTS }
  for (const n of Object.keys(events.components.schemas)) eventRoots[n] = `#/components/schemas/${n}`
  files.push(schemaModule({ spec: events, file: "events-v2.json", module: "EventsSchemas", roots: eventRoots }))
  return files
}

const main = () => {
  const files = generate()
  if (report) {
    const rest = files[0].info
    log(`REST operations: ${Object.keys(rest.wrappers).length}; overridden: ${rest.overridden.length}`)
    for (const f of files.filter((f) => f.info.names)) log(`${f.name}: ${f.info.count} schemas`)
  }
  if (check) {
    const differ = []
    for (const f of files) {
      const target = path.join(outDir, f.name)
      const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : null
      if (current !== f.content) differ.push(path.relative(root, target) || target)
    }
    const expected = new Set(files.map((f) => f.name))
    if (fs.existsSync(outDir)) {
      for (const n of fs.readdirSync(outDir).sort()) if (n.endsWith(".ts") && !expected.has(n)) differ.push(`${path.relative(root, path.join(outDir, n))} (not generated)`)
    }
    if (differ.length > 0) {
      console.error(`Generated files are out of date (run \`pnpm codegen\`):\n${differ.map((d) => `  ${d}`).join("\n")}`)
      process.exit(1)
    }
    console.log(`codegen --check: ${files.length} files up to date`)
    return
  }
  fs.mkdirSync(outDir, { recursive: true })
  for (const f of files) {
    const target = path.join(outDir, f.name)
    const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : null
    if (current !== f.content) fs.writeFileSync(target, f.content)
  }
  console.log(`codegen: wrote ${files.length} files to ${path.relative(root, outDir) || outDir}`)
}

main()
