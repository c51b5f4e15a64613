/**
 * `Webhooks.verify` compares signatures with the constant-time comparison only: every
 * (secret, signature) pair goes through `constantTimeEqual` on full 32-byte MACs, with no
 * early exit once a pair matched, and never through string equality. The comparison itself
 * visits every byte whatever the position of the first difference.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Redacted } from "effect"
import { createHmac } from "node:crypto"
import { vi } from "vitest"

const calls: Array<readonly [number, number]> = []

vi.mock("../src/internal/webhooks.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../src/internal/webhooks.js")>()
  return {
    ...actual,
    constantTimeEqual: (a: Uint8Array, b: Uint8Array) => {
      calls.push([a.length, b.length])
      return actual.constantTimeEqual(a, b)
    }
  }
})

const { Webhooks } = await import("../src/index.js")
const Internal = await vi.importActual<typeof import("../src/internal/webhooks.js")>("../src/internal/webhooks.js")

const body = "{\"event\":{\"id\":\"E1\"}}"
const mac = (secret: string) => createHmac("sha256", secret).update(body).digest("hex")

describe("constant-time comparison", () => {
  it.effect("every secret x signature pair is compared with constantTimeEqual, even after a match", () =>
    Effect.gen(function*() {
      calls.length = 0
      // the matching signature comes first, the matching secret first: a short-circuit would stop at 1 call
      const header = `v1=${mac("s1")},v1=${mac("other")},v1=${"0".repeat(64)}`
      yield* Webhooks.verify(body, { "x-pagerduty-signature": header }, [Redacted.make("s1"), Redacted.make("s2")])
      assert.strictEqual(calls.length, 6)
      assert.isTrue(calls.every(([a, b]) => a === 32 && b === 32))

      calls.length = 0
      const exit = yield* Effect.exit(Webhooks.verify(body, { "x-pagerduty-signature": `v1=${mac("wrong")}` }, Redacted.make("s1")))
      assert.isTrue(Exit.isFailure(exit))
      assert.strictEqual(calls.length, 1)
    }))

  it("constantTimeEqual gives the right answer wherever the first difference is, and on length mismatch", () => {
    const a = new Uint8Array(32).map((_, i) => i)
    assert.isTrue(Internal.constantTimeEqual(a, a.slice()))
    for (const at of [0, 15, 31]) {
      const b = a.slice()
      b[at] ^= 0x80
      assert.isFalse(Internal.constantTimeEqual(a, b))
    }
    assert.isFalse(Internal.constantTimeEqual(a, a.slice(0, 31)))
  })

  it("constantTimeEqual reads every byte of both inputs (no early exit on the first difference)", () => {
    const reads = (differAt: number): number => {
      let count = 0
      const track = (bytes: Uint8Array) =>
        new Proxy(bytes, {
          get(target, key, receiver) {
            if (typeof key === "string" && /^\d+$/.test(key)) count++
            const value = Reflect.get(target, key, receiver === undefined ? target : target)
            return typeof value === "function" ? value.bind(target) : value
          }
        })
      const a = new Uint8Array(32).fill(7)
      const b = a.slice()
      b[differAt] = 8
      Internal.constantTimeEqual(track(a), track(b))
      return count
    }
    // a difference in the first byte costs as many reads as one in the last byte, or none
    assert.strictEqual(reads(0), 64)
    assert.strictEqual(reads(31), 64)
  })
})
