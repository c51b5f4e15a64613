/**
 * The pure parts of `Schedules`: window splitting, stitching of chunked entries, the outer
 * overflow rule, time zone formatting and validation helpers.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Internal from "../src/internal/schedules.js"

const H = 3_600_000
const T0 = Date.UTC(2026, 0, 1)
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + "Z"
const piece = (startH: number, endH: number, userId: string, extra: Record<string, unknown> = {}) =>
  Internal.toPiece({ start: iso(T0 + startH * H), end: iso(T0 + endH * H), user: { id: userId }, ...extra }, "r")!

/** What the chunked client sees: the entries of a timeline overlapping `[from, to)`, whole. */
const overlapping = (timeline: ReadonlyArray<readonly [number, number, string]>, from: number, to: number) =>
  timeline.filter(([s, e]) => T0 + s * H < to && T0 + e * H > from).map(([s, e, u]) => piece(s, e, u))

const stitchAll = (timeline: ReadonlyArray<readonly [number, number, string]>, since: number, until: number, maxMs: number) => {
  const st = new Internal.Stitcher<string>()
  const out: Array<Internal.Piece<string>> = []
  for (const [from, to] of Internal.splitWindow(since, until, maxMs)) out.push(...st.push(from, to, overlapping(timeline, from, to)))
  out.push(...st.flush())
  return out.map((p) => [(p.startMs - T0) / H, (p.endMs - T0) / H, p.userId, p.raw["start"], p.raw["end"]])
}

describe("splitWindow", () => {
  it("splits into consecutive windows of at most maxMs, the last ending at until", () => {
    assert.deepStrictEqual(Internal.splitWindow(0, 25, 10), [[0, 10], [10, 20], [20, 25]])
    assert.deepStrictEqual(Internal.splitWindow(0, 20, 10), [[0, 10], [10, 20]])
    assert.deepStrictEqual(Internal.splitWindow(0, 5, 10), [[0, 5]])
  })

  it("a 92-day quarter takes two 90-day windows", () => {
    const since = Date.UTC(2025, 9, 1)
    const until = Date.UTC(2026, 0, 1)
    const windows = Internal.splitWindow(since, until, 90 * 24 * H)
    assert.deepStrictEqual(windows, [[since, since + 90 * 24 * H], [since + 90 * 24 * H, until]])
  })
})

describe("Stitcher", () => {
  it("an entry spanning two chunk edges is emitted once, whole", () => {
    // chunks of 10 h over [0, 40); user B's shift 5-33 crosses the edges at 10, 20 and 30
    const timeline = [[0, 5, "A"], [5, 33, "B"], [33, 40, "A"]] as const
    assert.deepStrictEqual(stitchAll(timeline, T0, T0 + 40 * H, 10 * H), [
      [0, 5, "A", iso(T0), iso(T0 + 5 * H)],
      [5, 33, "B", iso(T0 + 5 * H), iso(T0 + 33 * H)],
      [33, 40, "A", iso(T0 + 33 * H), iso(T0 + 40 * H)]
    ])
  })

  it("entries starting or ending exactly at a chunk edge are neither duplicated nor merged across users", () => {
    const timeline = [[0, 10, "A"], [10, 20, "B"], [20, 30, "A"]] as const
    assert.deepStrictEqual(stitchAll(timeline, T0, T0 + 30 * H, 10 * H).map((e) => e.slice(0, 3)), [[0, 10, "A"], [10, 20, "B"], [20, 30, "A"]])
  })

  it("an inclusive server that also returns the entry starting at a chunk's end is de-duplicated", () => {
    const st = new Internal.Stitcher<string>()
    const first = st.push(T0, T0 + 10 * H, [piece(0, 10, "A"), piece(10, 20, "B")])
    const second = st.push(T0 + 10 * H, T0 + 20 * H, [piece(10, 20, "B")])
    const rest = st.flush()
    assert.deepStrictEqual([...first, ...second, ...rest].map((p) => [(p.startMs - T0) / H, (p.endMs - T0) / H, p.userId]), [[0, 10, "A"], [10, 20, "B"]])
  })

  it("pieces of one shift cut at chunk edges by a server that ignores overflow are merged back", () => {
    const st = new Internal.Stitcher<string>()
    const out = [
      ...st.push(T0, T0 + 10 * H, [piece(0, 4, "A"), piece(4, 10, "B", { tag: "first piece" })]),
      ...st.push(T0 + 10 * H, T0 + 20 * H, [piece(10, 20, "B")]),
      ...st.push(T0 + 20 * H, T0 + 30 * H, [piece(20, 26, "B"), piece(26, 30, "C")]),
      ...st.flush()
    ]
    assert.deepStrictEqual(out.map((p) => [(p.startMs - T0) / H, (p.endMs - T0) / H, p.userId]), [[0, 4, "A"], [4, 26, "B"], [26, 30, "C"]])
    // the merged entry keeps the fields of its first piece, with the outer start/end strings
    assert.deepStrictEqual(out[1]!.raw, { start: iso(T0 + 4 * H), end: iso(T0 + 26 * H), user: { id: "B" }, tag: "first piece" })
  })

  it("once the server has shown it honours overflow, same-user entries meeting at an edge stay apart", () => {
    const st = new Internal.Stitcher<string>()
    const out = [
      ...st.push(T0, T0 + 10 * H, [piece(0, 4, "A"), piece(4, 15, "B")]), // B reaches past 10: overflow honoured
      ...st.push(T0 + 10 * H, T0 + 20 * H, [piece(4, 15, "B"), piece(15, 20, "A")]),
      ...st.push(T0 + 20 * H, T0 + 30 * H, [piece(20, 30, "A")]),
      ...st.flush()
    ]
    assert.deepStrictEqual(out.map((p) => [(p.startMs - T0) / H, (p.endMs - T0) / H, p.userId]), [[0, 4, "A"], [4, 15, "B"], [15, 20, "A"], [20, 30, "A"]])
  })

  it("same-user entries adjacent inside one chunk are left as the server rendered them", () => {
    const st = new Internal.Stitcher<string>()
    const out = [...st.push(T0, T0 + 10 * H, [piece(0, 4, "A"), piece(4, 8, "A")]), ...st.flush()]
    assert.strictEqual(out.length, 2)
  })

  it("emits entries as soon as no later chunk can change them", () => {
    const st = new Internal.Stitcher<string>()
    const first = st.push(T0, T0 + 10 * H, [piece(0, 4, "A"), piece(4, 12, "B")])
    assert.deepStrictEqual(first.map((p) => p.userId), ["A"])
    const second = st.push(T0 + 10 * H, T0 + 20 * H, [piece(4, 12, "B"), piece(12, 30, "C")])
    assert.deepStrictEqual(second.map((p) => p.userId), ["B"])
    assert.deepStrictEqual(st.flush().map((p) => p.userId), ["C"])
  })

  it("for any chunk length, stitching gives exactly the entries of one unchunked request", () => {
    // irregular shifts: 1 h to 100 h, users cycling with repeats, over ~20 days
    const timeline: Array<readonly [number, number, string]> = []
    let t = -30
    const lengths = [1, 7, 13, 100, 2, 48, 5, 31, 72, 3, 9, 24, 60, 11]
    for (let i = 0; t < 520; i++) {
      const len = lengths[i % lengths.length]!
      timeline.push([t, t + len, ["A", "B", "C", "B"][i % 4]!])
      t += len
    }
    const since = T0 + 3.5 * H
    const until = T0 + 470 * H
    const reference = stitchAll(timeline, since, until, 10_000 * H)
    for (const chunkHours of [1, 2.5, 7, 24, 50, 99.5, 466]) {
      assert.deepStrictEqual(stitchAll(timeline, since, until, chunkHours * H), reference, `chunks of ${chunkHours} h`)
    }
    assert.strictEqual(reference.length, timeline.filter(([s, e]) => T0 + s * H < until && T0 + e * H > since).length)
  })
})

describe("applyOuterEdges", () => {
  const since = T0 + 10 * H
  const until = T0 + 20 * H
  it("without overflow the first and last entries are truncated to the window", () => {
    const first = Internal.applyOuterEdges(piece(5, 12, "A"), since, until, false, "UTC")!
    assert.deepStrictEqual([first.raw["start"], first.raw["end"]], [iso(since), iso(T0 + 12 * H)])
    const last = Internal.applyOuterEdges(piece(18, 30, "B"), since, until, false, "UTC")!
    assert.deepStrictEqual([last.raw["start"], last.raw["end"], last.endMs], [iso(T0 + 18 * H), iso(until), until])
  })

  it("with overflow entries stay whole; entries outside the window are dropped either way", () => {
    const whole = Internal.applyOuterEdges(piece(5, 30, "A"), since, until, true, "UTC")!
    assert.deepStrictEqual([whole.raw["start"], whole.raw["end"]], [iso(T0 + 5 * H), iso(T0 + 30 * H)])
    assert.isUndefined(Internal.applyOuterEdges(piece(5, 10, "A"), since, until, true, "UTC"))
    assert.isUndefined(Internal.applyOuterEdges(piece(20, 22, "A"), since, until, false, "UTC"))
  })

  it("truncated bounds are rendered in the time zone", () => {
    const cut = Internal.applyOuterEdges(piece(5, 12, "A"), since, until, false, "Europe/Paris")!
    assert.strictEqual(cut.raw["start"], "2026-01-01T11:00:00+01:00")
  })
})

describe("helpers", () => {
  it("formatInZone renders like PagerDuty (Z in UTC, offset elsewhere, DST aware)", () => {
    assert.strictEqual(Internal.formatInZone(Date.UTC(2026, 6, 1, 12), "UTC"), "2026-07-01T12:00:00Z")
    assert.strictEqual(Internal.formatInZone(Date.UTC(2026, 6, 1, 12), "America/New_York"), "2026-07-01T08:00:00-04:00")
    assert.strictEqual(Internal.formatInZone(Date.UTC(2026, 0, 1, 12), "America/New_York"), "2026-01-01T07:00:00-05:00")
    assert.strictEqual(Internal.formatInZone(Date.UTC(2026, 0, 1, 12), "Asia/Kolkata"), "2026-01-01T17:30:00+05:30")
  })

  it("validates ids, time zones and instants", () => {
    assert.isTrue(Internal.isValidId("P4MHU96"))
    for (const bad of ["", "P 1", "../users", "PC1/overrides", "P-1", 7]) assert.isFalse(Internal.isValidId(bad), String(bad))
    assert.isTrue(Internal.isValidTimeZone("Europe/Paris"))
    assert.isFalse(Internal.isValidTimeZone("Mars/Olympus"))
    assert.isFalse(Internal.isValidTimeZone(""))
    assert.strictEqual(Internal.parseInstant("2011-06-01"), Date.UTC(2011, 5, 1))
    assert.strictEqual(Internal.parseInstant("2011-05-06T03:30-07:00"), Date.UTC(2011, 4, 6, 10, 30))
    assert.isUndefined(Internal.parseInstant("yesterday"))
    assert.isUndefined(Internal.parseInstant(new Date(Number.NaN)))
    assert.isUndefined(Internal.parseInstant(Number.POSITIVE_INFINITY))
  })

  it("toPiece refuses entries without a start, end or user id", () => {
    assert.isUndefined(Internal.toPiece({ start: "2026-01-01T00:00:00Z", end: "2026-01-02T00:00:00Z" }, 0))
    assert.isUndefined(Internal.toPiece({ start: "soon", end: "2026-01-02T00:00:00Z", user: { id: "P1" } }, 0))
    assert.isUndefined(Internal.toPiece([], 0))
  })
})
