/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time per function and per
 * package (the `node_modules/<pkg>` or workspace package a frame's file belongs to).
 */

interface CallFrame {
  readonly functionName: string
  readonly url: string
  readonly lineNumber: number
}

interface ProfileNode {
  readonly id: number
  readonly callFrame: CallFrame
}

interface CpuProfile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

const packageOf = (url: string): string => {
  if (url === "") return "(native / idle / gc)"
  if (url.startsWith("node:")) return "node internals"
  const nm = url.lastIndexOf("/node_modules/")
  if (nm >= 0) {
    const rest = url.slice(nm + "/node_modules/".length).split("/")
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!
  }
  const ws = /\/(packages\/[^/]+|bench)\//.exec(url)
  return ws !== null ? ws[1]! : url
}

const shortUrl = (url: string): string => {
  const nm = url.lastIndexOf("/node_modules/")
  if (nm >= 0) return url.slice(nm + "/node_modules/".length)
  const ws = /\/((?:packages\/[^/]+|bench)\/.*)$/.exec(url)
  return ws !== null ? ws[1]! : url.replace(/^file:\/\//, "")
}

/** The top `n` functions and the packages by self time, as text. */
export const summarise = (profile: CpuProfile, n: number): string => {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const selfByFrame = new Map<string, number>()
  const selfByPackage = new Map<string, number>()
  let total = 0
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!)
    const dt = profile.timeDeltas[i] ?? 0
    if (node === undefined) continue
    total += dt
    const f = node.callFrame
    const key = `${f.functionName || "(anonymous)"}  ${shortUrl(f.url)}:${f.lineNumber + 1}`
    selfByFrame.set(key, (selfByFrame.get(key) ?? 0) + dt)
    const pkg = f.functionName === "(idle)" ? "(idle)" : packageOf(f.url)
    selfByPackage.set(pkg, (selfByPackage.get(pkg) ?? 0) + dt)
  }
  const pct = (x: number) => `${((100 * x) / Math.max(1, total)).toFixed(1).padStart(5)}%`
  const top = [...selfByFrame.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)
  const pkgs = [...selfByPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10)
  return [
    `total ${(total / 1000).toFixed(0)} ms sampled; self time by package:`,
    ...pkgs.map(([k, v]) => `  ${pct(v)}  ${k}`),
    `top ${n} functions by self time:`,
    ...top.map(([k, v]) => `  ${pct(v)}  ${k}`)
  ].join("\n")
}
