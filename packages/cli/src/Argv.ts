/**
 * Global flags anywhere on the command line, like gh and kubectl: `pagerduty -k KEY trigger ...`
 * and `pagerduty trigger -k KEY ...` mean the same.
 *
 * `@effect/cli` reads a flag only after the command that defines it. Every command of
 * `pagerduty` defines the global flags itself, so {@link normalize} only has to move the global
 * flags written before (or between) the command names to just after them: it walks the
 * command names of the tree, collects the global flags it meets with their values, and leaves
 * the command's own flags and arguments in their order (`@effect/cli` parses them, with every
 * flag's own arity). Only `@effect/cli`'s built-in flags (`--help`, `--version`,
 * `--log-level LEVEL`, `--completions SHELL`, `--wizard`) are also taken from after the command
 * names, because `@effect/cli` reads them only before the first value. It never looks past `--`.
 * `pagerduty help [command...]` is `pagerduty [command...] --help`, as in gh and git.
 *
 * @since 0.2.0
 */
import * as Descriptor from "@effect/cli/CommandDescriptor"
import * as HashSet from "effect/HashSet"

/**
 * A global flag: its spellings and whether it takes a value (`--region eu`, `--region=eu`).
 *
 * @example
 * ```ts
 * import type { Argv } from "@effect-pagerduty/cli"
 *
 * const region: Argv.GlobalFlag = { names: ["--region"], takesValue: true }
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface GlobalFlag {
  readonly names: ReadonlyArray<string>
  readonly takesValue: boolean
}

/**
 * The flags accepted before or after the command: the key (`-k` is the routing key for the
 * Events commands and the API key for the REST commands), `--region`, `--base-url`,
 * `--simulator`, `--format` and `--verbose`; and python-pagerduty's CLI flags (`-i`,
 * `--description`, `--source`), which its `pagerduty` accepts before the action too.
 *
 * @example
 * ```ts
 * import { Argv } from "@effect-pagerduty/cli"
 *
 * Argv.globalFlags.flatMap((f) => f.names).includes("--simulator") // true
 * ```
 *
 * @since 0.2.0
 * @category constants
 */
export const globalFlags: ReadonlyArray<GlobalFlag> = [
  { names: ["-k", "--api-key", "--routing-key"], takesValue: true },
  { names: ["--region"], takesValue: true },
  { names: ["--base-url"], takesValue: true },
  { names: ["--format"], takesValue: true },
  { names: ["--simulator"], takesValue: false },
  { names: ["--verbose"], takesValue: false },
  // python-pagerduty's CLI reads every flag before or after its action (`pagerduty -i KEY --description TEXT trigger`)
  { names: ["-i", "--dedup-key"], takesValue: true },
  { names: ["--description"], takesValue: true },
  { names: ["--source"], takesValue: true }
]

/** `@effect/cli`'s own flags, read wherever they are: left in place, skipped with their value. */
const builtInFlags: ReadonlyMap<string, boolean> = new Map([
  ["--help", false],
  ["-h", false],
  ["--version", false],
  ["--wizard", false],
  ["--completions", true],
  ["--log-level", true]
])

/** Flags that ask for help, the version or a completion script instead of running a command. */
const informational = new Set(["--help", "-h", "--version", "--wizard", "--completions"])

/**
 * What to do with a command line (`process.argv`, runtime and script first):
 *
 * - `Run`: hand `argv` (reordered) to `@effect/cli`; `path` is the command named (`["incidents", "list"]`);
 * - `Usage`: no command was given (`pagerduty`, `pagerduty incidents`): show the help of
 *   `path` and exit 2;
 * - `UnknownCommand`: `command` is not a command of `parent`; `suggestions` are the close names;
 * - `UnknownFlag`: `flag`, written before the command names ended (at `path`), is not a global flag.
 *
 * @example
 * ```ts
 * import type { Argv } from "@effect-pagerduty/cli"
 *
 * const describe = (n: Argv.Normalized) => n._tag === "UnknownCommand" ? `unknown command '${n.command}'` : n._tag
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type Normalized =
  | { readonly _tag: "Run"; readonly argv: ReadonlyArray<string>; readonly path: ReadonlyArray<string> }
  | { readonly _tag: "Usage"; readonly path: ReadonlyArray<string> }
  | {
    readonly _tag: "UnknownCommand"
    readonly command: string
    readonly parent: ReadonlyArray<string>
    readonly suggestions: ReadonlyArray<string>
  }
  | { readonly _tag: "UnknownFlag"; readonly flag: string; readonly path: ReadonlyArray<string> }

const flagName = (arg: string): string => {
  const eq = arg.indexOf("=")
  return arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg
}

const levenshtein = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

/**
 * The shape of a command descriptor as far as the walk needs it: `@effect/cli` builds every
 * command from these four cases, and a command with subcommands keeps them in `children`
 * (its public `getSubcommands` flattens them, so it cannot tell `incidents` from
 * `incidents list`).
 */
interface Node {
  readonly _tag: string
  readonly command?: Node
  readonly children?: ReadonlyArray<Node>
}

/** The subcommands of a command, by name (none for a command that runs). */
const childrenOf = (command: Descriptor.Command<unknown>): ReadonlyMap<string, Descriptor.Command<unknown>> => {
  const node = command as unknown as Node
  if (node._tag === "Map" && node.command !== undefined) return childrenOf(node.command as unknown as Descriptor.Command<unknown>)
  const out = new Map<string, Descriptor.Command<unknown>>()
  if (node._tag === "Subcommands" && node.children !== undefined) {
    for (const child of node.children) {
      const descriptor = child as unknown as Descriptor.Command<unknown>
      for (const name of HashSet.values(Descriptor.getNames(descriptor))) out.set(name, descriptor)
    }
  }
  return out
}

/**
 * Every command path of a command tree that runs something (`["incidents", "list"]`,
 * `["trigger"]`...), in the order the tree lists them.
 *
 * @example
 * ```ts
 * import { Argv, Cli } from "@effect-pagerduty/cli"
 *
 * Argv.commandPaths(Cli.command.descriptor).map((p) => p.join(" ")) // ["trigger", "acknowledge", ..., "incidents list", ...]
 * ```
 *
 * @since 0.2.0
 * @category parsing
 */
export const commandPaths = (root: Descriptor.Command<unknown>): ReadonlyArray<ReadonlyArray<string>> => {
  const out: Array<ReadonlyArray<string>> = []
  const walk = (node: Descriptor.Command<unknown>, path: ReadonlyArray<string>) => {
    const children = childrenOf(node)
    if (children.size === 0) out.push(path)
    for (const [name, child] of children) walk(child, [...path, name])
  }
  walk(root, [])
  return out
}

/**
 * The command names close to `name` (a typo, or a prefix of a command).
 *
 * @example
 * ```ts
 * import { Argv } from "@effect-pagerduty/cli"
 *
 * Argv.suggest("trigegr", ["trigger", "resolve"]) // ["trigger"]
 * ```
 *
 * @since 0.2.0
 * @category parsing
 */
export const suggest = (name: string, candidates: Iterable<string>): ReadonlyArray<string> =>
  [...candidates].filter((c) => levenshtein(name.toLowerCase(), c) <= 2 || (name.length >= 2 && c.startsWith(name.toLowerCase())))
    .sort()

/**
 * Reorders a command line so `@effect/cli` reads every global flag: the global flags before or
 * between the command names move to just after them (in their order), after the built-in
 * flags (`--help`, `--log-level debug`...) found anywhere before `--`; the rest keeps its order.
 *
 * @example
 * ```ts
 * import { Argv, Cli } from "@effect-pagerduty/cli"
 *
 * Argv.normalize(Cli.command.descriptor, ["node", "pagerduty", "-k", "KEY", "trigger", "--description", "Disk full"])
 * // { _tag: "Run", argv: ["node", "pagerduty", "trigger", "-k", "KEY", "--description", "Disk full"], path: ["trigger"] }
 * ```
 *
 * @since 0.2.0
 * @category parsing
 */
export const normalize = (root: Descriptor.Command<unknown>, argv: ReadonlyArray<string>): Normalized => {
  const head = argv.slice(0, 2)
  const args = argv.slice(2)
  const byName = new Map<string, GlobalFlag>()
  for (const flag of globalFlags) for (const name of flag.names) byName.set(name, flag)
  let node = root
  const path: Array<string> = []
  const kept: Array<string> = []
  const moved: Array<string> = []
  let i = 0
  while (i < args.length) {
    const arg = args[i]!
    if (arg === "--") break
    if (arg.startsWith("-") && arg.length > 1) {
      const name = flagName(arg)
      const inline = name !== arg
      const global = byName.get(name)
      const builtIn = builtInFlags.get(name)
      const target = global !== undefined ? moved : builtIn !== undefined ? kept : undefined
      if (target === undefined) {
        // before a command that runs, only global and built-in flags are known
        if (childrenOf(node).size > 0) return { _tag: "UnknownFlag", flag: name, path }
        break
      }
      const takesValue = global !== undefined ? global.takesValue : builtIn === true
      target.push(arg)
      if (takesValue && !inline && i + 1 < args.length) {
        target.push(args[i + 1]!)
        i += 2
      } else {
        i += 1
      }
      continue
    }
    const children = childrenOf(node)
    if (children.size === 0) break
    const child = children.get(arg)
    if (child === undefined && arg === "help" && path.length === 0) {
      // `pagerduty help incidents list`, as gh and git: the help of the command named after it
      return normalize(root, [...head, ...args.slice(i + 1).filter((a) => !a.startsWith("-")), "--help"])
    }
    if (child === undefined) {
      return { _tag: "UnknownCommand", command: arg, parent: path, suggestions: suggest(arg, children.keys()) }
    }
    node = child
    path.push(arg)
    i += 1
  }
  // `@effect/cli` reads its own flags only before the first value of a command's flags or
  // arguments (`incidents list --limit 5 --help` would be "unknown argument"): they move too.
  const rest: Array<string> = []
  for (let j = i; j < args.length; j++) {
    const arg = args[j]!
    if (arg === "--") {
      rest.push(...args.slice(j))
      break
    }
    const name = flagName(arg)
    const builtIn = builtInFlags.get(name)
    if (builtIn === undefined) {
      rest.push(arg)
      continue
    }
    kept.push(arg)
    if (builtIn && name === arg && j + 1 < args.length) kept.push(args[++j]!)
  }
  const asksForInformation = kept.some((arg) => informational.has(flagName(arg)))
  if (!asksForInformation && rest.length === 0 && childrenOf(node).size > 0) {
    return { _tag: "Usage", path }
  }
  return { _tag: "Run", argv: [...head, ...path, ...kept, ...moved, ...rest], path }
}
