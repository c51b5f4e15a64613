/**
 * MD5 (RFC 1321) over the UTF-8 bytes of a string, as lower-case hex.
 *
 * The legacy Events API v1 derives a trigger's `incident_key` from the md5 of its
 * description (seed 002). Web Crypto has no MD5 and the client must stay runtime-neutral
 * (no `node:crypto`), so this is a small, self-contained implementation. It is used only to
 * derive a deduplication key, never for security.
 *
 * @internal
 */

// Per-round shift amounts (RFC 1321, section 3.4).
const S: ReadonlyArray<number> = [
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
  5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
  4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
  6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21
]

// K[i] = floor(abs(sin(i + 1)) * 2^32)
const K: ReadonlyArray<number> = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 0x100000000) >>> 0)

const rotl = (x: number, c: number): number => ((x << c) | (x >>> (32 - c))) >>> 0

/** MD5 digest of raw bytes (16 bytes). */
export const md5Bytes = (input: Uint8Array): Uint8Array => {
  const bitLength = input.length * 8
  // message + 0x80 + zero padding to 56 mod 64 + 8 bytes of length
  const paddedLength = (((input.length + 8) >>> 6) + 1) << 6
  const buffer = new Uint8Array(paddedLength)
  buffer.set(input)
  buffer[input.length] = 0x80
  const view = new DataView(buffer.buffer)
  // length in bits, little-endian 64-bit (low word, then high word)
  view.setUint32(paddedLength - 8, bitLength >>> 0, true)
  view.setUint32(paddedLength - 4, Math.floor(bitLength / 0x100000000) >>> 0, true)

  let a0 = 0x67452301
  let b0 = 0xefcdab89
  let c0 = 0x98badcfe
  let d0 = 0x10325476
  const M = new Uint32Array(16)

  for (let offset = 0; offset < paddedLength; offset += 64) {
    for (let j = 0; j < 16; j++) M[j] = view.getUint32(offset + j * 4, true)
    let A = a0
    let B = b0
    let C = c0
    let D = d0
    for (let i = 0; i < 64; i++) {
      let F: number
      let g: number
      if (i < 16) {
        F = (B & C) | (~B & D)
        g = i
      } else if (i < 32) {
        F = (D & B) | (~D & C)
        g = (5 * i + 1) % 16
      } else if (i < 48) {
        F = B ^ C ^ D
        g = (3 * i + 5) % 16
      } else {
        F = C ^ (B | ~D)
        g = (7 * i) % 16
      }
      F = (F + A + K[i]! + M[g]!) >>> 0
      A = D
      D = C
      C = B
      B = (B + rotl(F, S[i]!)) >>> 0
    }
    a0 = (a0 + A) >>> 0
    b0 = (b0 + B) >>> 0
    c0 = (c0 + C) >>> 0
    d0 = (d0 + D) >>> 0
  }

  const out = new Uint8Array(16)
  const outView = new DataView(out.buffer)
  outView.setUint32(0, a0, true)
  outView.setUint32(4, b0, true)
  outView.setUint32(8, c0, true)
  outView.setUint32(12, d0, true)
  return out
}

const encoder = new TextEncoder()

/** MD5 of the UTF-8 encoding of `text`, as 32 lower-case hex digits (Python's `hashlib.md5(text.encode()).hexdigest()`). */
export const md5Hex = (text: string): string => {
  let hex = ""
  for (const byte of md5Bytes(encoder.encode(text))) hex += byte.toString(16).padStart(2, "0")
  return hex
}
