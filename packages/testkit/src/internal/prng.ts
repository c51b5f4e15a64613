/**
 * Deterministic pseudo-random helpers. Seed data is derived from `(seed, kind, index)` with a
 * stateless hash so any item of a 100 000-item collection can be generated on demand, in any
 * order, without keeping the collection in memory.
 *
 * @internal
 */

/** A 32-bit avalanche hash of a few integers (a murmur3-style finaliser). */
export const hash = (a: number, b: number, c = 0): number => {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35) ^ Math.imul(c + 0x1b873593, 0x27d4eb2f)) >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** Picks an element of `items` from a hash value. */
export const pick = <A>(items: ReadonlyArray<A>, h: number): A => items[h % items.length]

/**
 * mulberry32: a tiny sequential PRNG, used where a stream of draws is needed (fault
 * probabilities, generated dedup keys). Returns floats in [0, 1).
 */
export const mulberry32 = (seed: number): () => number => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const HEX = "0123456789abcdef"

/** `n` lowercase hex characters drawn from `next`. */
export const hexString = (next: () => number, n: number): string => {
  let out = ""
  for (let i = 0; i < n; i++) out += HEX[Math.floor(next() * 16)]
  return out
}
