/**
 * Output formats of the `pagerduty` command: `json` (one pretty-printed JSON document),
 * `ndjson` (one compact JSON value per line, for `jq -c` and log pipelines) and `table`
 * (aligned columns for people).
 *
 * Listings are streamed: `json` and `ndjson` write each item as it arrives (the `json`
 * output is still exactly `JSON.stringify(items, null, 2)`), so memory stays constant
 * however long the listing; `table` needs every row to size its columns.
 *
 * @since 0.1.0
 */
import { Effect, Stream } from "effect"

/**
 * An output format.
 *
 * @example
 * ```ts
 * import { Output } from "@effect-pagerduty/cli"
 *
 * const format: Output.Format = "ndjson"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Format = "json" | "ndjson" | "table"

/**
 * Every format, in the order `--format` lists them.
 *
 * @example
 * ```ts
 * import { Output } from "@effect-pagerduty/cli"
 *
 * Output.formats // ["json", "ndjson", "table"]
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const formats: ReadonlyArray<Format> = ["json", "ndjson", "table"]

/**
 * One table column: its header and how to read the cell from an item.
 *
 * @example
 * ```ts
 * import { Output } from "@effect-pagerduty/cli"
 *
 * const status: Output.Column = { header: "STATUS", get: (item) => (item as { status?: string }).status }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Column {
  readonly header: string
  readonly get: (item: unknown) => unknown
}

/**
 * A column reading a dotted path (`"service.summary"`) of each item.
 *
 * @example
 * ```ts
 * import { Output } from "@effect-pagerduty/cli"
 *
 * const c = Output.column("SERVICE", "service.summary")
 * c.get({ service: { summary: "Web" } }) // "Web"
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const column = (header: string, path: string): Column => {
  const keys = path.split(".")
  return {
    header,
    get: (item) => {
      let value: unknown = item
      for (const key of keys) {
        if (typeof value !== "object" || value === null) return undefined
        value = (value as Record<string, unknown>)[key]
      }
      return value
    }
  }
}

/**
 * Where output goes: a function writing text (the command writes to `process.stdout`,
 * honouring back-pressure; tests collect strings).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import type { Output } from "@effect-pagerduty/cli"
 *
 * const chunks: Array<string> = []
 * const sink: Output.Sink = (text) => Effect.sync(() => { chunks.push(text) })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Sink = (text: string) => Effect.Effect<void>

/**
 * A {@link Sink} writing to `process.stdout`, waiting for the stream to accept each chunk so a
 * slow reader (a pipe to `less`) throttles the listing instead of filling memory.
 *
 * @example
 * ```ts
 * import { Output } from "@effect-pagerduty/cli"
 *
 * const program = Output.stdout("hello\n")
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const stdout: Sink = (text) =>
  Effect.async<void>((resume) => {
    if (process.stdout.write(text)) resume(Effect.void)
    else process.stdout.once("drain", () => resume(Effect.void))
  })

const maxCellWidth = 60

/**
 * How one value is shown in a table cell: strings as they are (on one line), references by
 * their `summary` (else `id`), arrays joined with `, `, other objects as compact JSON.
 *
 * @example
 * ```ts
 * import { Output } from "@effect-pagerduty/cli"
 *
 * Output.cell({ id: "PSVC1", summary: "Web" }) // "Web"
 * Output.cell([1, 2]) // "1, 2"
 * Output.cell(null) // ""
 * ```
 *
 * @since 0.1.0
 * @category formatting
 */
export const cell = (value: unknown): string => {
  if (value === null || value === undefined) return ""
  if (typeof value === "string") return value.replace(/\s+/g, " ").trim()
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value)
  if (Array.isArray(value)) return value.map(cell).join(", ")
  if (typeof value === "object") {
    const record = value as Record<string, unknown>
    if (typeof record.summary === "string") return cell(record.summary)
    if (typeof record.id === "string") return record.id
    return JSON.stringify(value)
  }
  return String(value)
}

const truncate = (text: string, width: number): string =>
  text.length <= width ? text : `${text.slice(0, width - 1)}…`

const skippedKeys = new Set(["self", "html_url"])

/**
 * Columns for items of unknown shape: the top-level keys in order of first appearance
 * (without `self` and `html_url`), at most `max` of them; a single `VALUE` column when the
 * items are not objects.
 *
 * @example
 * ```ts
 * import { Output } from "@effect-pagerduty/cli"
 *
 * Output.inferColumns([{ id: "P1", name: "Ada" }, { id: "P2", email: "b@example.com" }]).map((c) => c.header)
 * // ["ID", "NAME", "EMAIL"]
 * ```
 *
 * @since 0.1.0
 * @category formatting
 */
export const inferColumns = (items: ReadonlyArray<unknown>, max = 8): ReadonlyArray<Column> => {
  if (items.length === 0) return []
  if (!items.every((item) => typeof item === "object" && item !== null && !Array.isArray(item))) {
    return [{ header: "VALUE", get: (item) => item }]
  }
  const keys: Array<string> = []
  for (const item of items) {
    for (const key of Object.keys(item as object)) {
      if (!skippedKeys.has(key) && !keys.includes(key)) keys.push(key)
    }
  }
  return keys.slice(0, max).map((key) => column(key.toUpperCase(), key))
}

/**
 * Renders rows as aligned columns separated by two spaces, with a header line; cells wider
 * than 60 characters are cut with `…`. The last column is not padded. No rows and no columns
 * give `""`.
 *
 * @example
 * ```ts
 * import { Output } from "@effect-pagerduty/cli"
 *
 * Output.table([{ id: "P1", status: "triggered" }], [Output.column("ID", "id"), Output.column("STATUS", "status")])
 * // "ID  STATUS\nP1  triggered\n"
 * ```
 *
 * @since 0.1.0
 * @category formatting
 */
export const table = (items: ReadonlyArray<unknown>, columns?: ReadonlyArray<Column>): string => {
  const cols = columns ?? inferColumns(items)
  if (cols.length === 0) return ""
  const rows = [cols.map((c) => c.header), ...items.map((item) => cols.map((c) => truncate(cell(c.get(item)), maxCellWidth)))]
  const widths = cols.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)))
  return rows
    .map((row) => row.map((text, i) => (i === row.length - 1 ? text : text.padEnd(widths[i]!))).join("  ").trimEnd())
    .join("\n") + "\n"
}

const indent = (text: string): string => text.split("\n").map((line) => `  ${line}`).join("\n")

/**
 * Writes a stream of items in `format`, item by item for `json` and `ndjson`; `onItem` runs
 * after each item is written (`table`: as each row arrives). Returns the number of items.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { Output } from "@effect-pagerduty/cli"
 *
 * const program = Output.writeStream(Stream.make({ id: "P1" }, { id: "P2" }), "ndjson", Output.stdout)
 * ```
 *
 * @since 0.1.0
 * @category output
 */
export const writeStream = <E, R>(
  items: Stream.Stream<unknown, E, R>,
  format: Format,
  sink: Sink,
  columns?: ReadonlyArray<Column>,
  onItem: Effect.Effect<void> = Effect.void
): Effect.Effect<number, E, R> => {
  switch (format) {
    case "ndjson":
      return Stream.runFoldEffect(items, 0, (n, item) => Effect.as(Effect.zipRight(sink(`${JSON.stringify(item)}\n`), onItem), n + 1))
    case "json":
      return Effect.flatMap(
        Stream.runFoldEffect(items, 0, (n, item) =>
          Effect.as(Effect.zipRight(sink(`${n === 0 ? "[\n" : ",\n"}${indent(JSON.stringify(item, null, 2))}`), onItem), n + 1)),
        (n) => Effect.as(sink(n === 0 ? "[]\n" : "\n]\n"), n)
      )
    case "table":
      return Effect.flatMap(Stream.runCollect(Stream.tap(items, () => onItem)), (chunk) => {
        const all = Array.from(chunk)
        return Effect.as(sink(table(all, columns)), all.length)
      })
  }
}

/**
 * The list inside a PagerDuty listing body: the one array-valued property of an object
 * such as `{ "users": [...], "more": false, "limit": 25 }`, or `undefined` when there is not
 * exactly one.
 *
 * @example
 * ```ts
 * import { Output } from "@effect-pagerduty/cli"
 *
 * Output.listOf({ users: [{ id: "P1" }], more: false }) // [{ id: "P1" }]
 * Output.listOf({ user: { id: "P1" } }) // undefined
 * ```
 *
 * @since 0.1.0
 * @category formatting
 */
export const listOf = (body: unknown): ReadonlyArray<unknown> | undefined => {
  if (Array.isArray(body)) return body
  if (typeof body !== "object" || body === null) return undefined
  const arrays = Object.values(body).filter(Array.isArray)
  return arrays.length === 1 ? arrays[0] : undefined
}

/**
 * Formats one response body: `json` pretty-prints it; `ndjson` writes the items of a listing
 * one per line (else the body on one line); `table` shows the items of a listing, or a
 * `KEY`/`VALUE` table of an object (a single wrapped entity such as `{ "user": {...} }` is
 * unwrapped first).
 *
 * @example
 * ```ts
 * import { Output } from "@effect-pagerduty/cli"
 *
 * Output.formatValue({ user: { id: "P1", name: "Ada" } }, "table")
 * // "KEY   VALUE\nid    P1\nname  Ada\n"
 * ```
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatValue = (body: unknown, format: Format): string => {
  switch (format) {
    case "json":
      return `${JSON.stringify(body, null, 2)}\n`
    case "ndjson": {
      const list = listOf(body)
      return list === undefined ? `${JSON.stringify(body)}\n` : list.map((item) => `${JSON.stringify(item)}\n`).join("")
    }
    case "table": {
      const list = listOf(body)
      if (list !== undefined) return table(list)
      const entity = unwrapSingle(body)
      if (typeof entity !== "object" || entity === null) return `${cell(entity)}\n`
      const pairs = Object.entries(entity).filter(([key]) => !skippedKeys.has(key)).map(([key, value]) => ({ key, value }))
      return table(pairs, [column("KEY", "key"), column("VALUE", "value")])
    }
  }
}

const unwrapSingle = (body: unknown): unknown => {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body
  const values = Object.values(body)
  return values.length === 1 && typeof values[0] === "object" && values[0] !== null && !Array.isArray(values[0]) ? values[0] : body
}
