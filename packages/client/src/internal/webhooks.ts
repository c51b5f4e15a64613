/**
 * Signature helpers of `Webhooks`: the `X-PagerDuty-Signature` parser, hex decoding, a
 * constant-time byte comparison and HMAC-SHA256 over Web Crypto (`crypto.subtle`), so the
 * module runs wherever the client runs (Node 20+, Deno, Bun, browsers, workers) with no
 * `node:crypto` import.
 *
 * @internal
 */

/** Signatures considered per header at most; a longer list is malformed (bounded work per request). */
export const MAX_SIGNATURES = 16

/** Header length accepted at most (a header of 16 `v1=<64 hex>` entries is about 1.1 KB). */
export const MAX_HEADER_LENGTH = 4096

/** The outcome of parsing `X-PagerDuty-Signature`. */
export type ParsedSignatures =
  | { readonly _tag: "Missing" }
  | { readonly _tag: "Malformed"; readonly detail: string }
  | { readonly _tag: "Parsed"; readonly signatures: ReadonlyArray<Uint8Array> }

const HEX = /^[0-9a-fA-F]{64}$/
const ENTRY = /^v(\d+)=(.*)$/

/**
 * Parses `v1=<hex>,v1=<hex>`: entries of other versions are ignored (PagerDuty's algorithm
 * selects `v1` only); a `v1` entry that is not 64 hex digits, an entry that is not
 * `v<n>=...`, too many entries, or no `v1` entry at all make the header malformed.
 */
export const parseSignatureHeader = (header: string | undefined): ParsedSignatures => {
  if (header === undefined || header.trim() === "") return { _tag: "Missing" }
  if (header.length > MAX_HEADER_LENGTH) return { _tag: "Malformed", detail: `the header is longer than ${MAX_HEADER_LENGTH} characters` }
  const entries = header.split(",").map((s) => s.trim()).filter((s) => s !== "")
  if (entries.length > MAX_SIGNATURES) return { _tag: "Malformed", detail: `more than ${MAX_SIGNATURES} signatures` }
  const signatures: Array<Uint8Array> = []
  for (const entry of entries) {
    const m = ENTRY.exec(entry)
    if (m === null) return { _tag: "Malformed", detail: "an entry is not of the form v<version>=<signature>" }
    if (m[1] !== "1") continue
    if (!HEX.test(m[2])) return { _tag: "Malformed", detail: "a v1 signature is not 64 hexadecimal digits" }
    signatures.push(hexToBytes(m[2]))
  }
  if (signatures.length === 0) return { _tag: "Malformed", detail: "no v1 signature" }
  return { _tag: "Parsed", signatures }
}

/** Bytes of an even-length hex string (validated by the caller). */
export const hexToBytes = (hex: string): Uint8Array => {
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return out
}

/** Lower-case hex of bytes. */
export const bytesToHex = (bytes: Uint8Array): string => {
  let s = ""
  for (const b of bytes) s += b.toString(16).padStart(2, "0")
  return s
}

/**
 * Compares two byte arrays in time that depends only on their lengths: every byte is
 * visited and differences are OR-ed together, with no early exit on the first mismatch.
 */
export const constantTimeEqual = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i]
  return diff === 0
}

/** Whether Web Crypto's HMAC is available in this runtime. */
export const hasSubtleCrypto = (): boolean =>
  typeof globalThis.crypto === "object" && globalThis.crypto !== null && typeof globalThis.crypto.subtle?.importKey === "function"

const encoder = new TextEncoder()

/** A fresh copy backed by a plain ArrayBuffer (Web Crypto's `BufferSource` in TS 5.9 excludes SharedArrayBuffer views). */
const toBuffer = (bytes: Uint8Array): ArrayBuffer => {
  const copy = new ArrayBuffer(bytes.byteLength)
  new Uint8Array(copy).set(bytes)
  return copy
}

/** An HMAC-SHA256 signing key (not extractable) of `secret` (UTF-8), with Web Crypto. */
export const importHmacKey = (secret: string): Promise<CryptoKey> =>
  globalThis.crypto.subtle.importKey("raw", toBuffer(encoder.encode(secret)), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])

/** HMAC-SHA256 of `message` under `key`. */
export const hmacSha256 = async (key: CryptoKey, message: Uint8Array): Promise<Uint8Array> =>
  new Uint8Array(await globalThis.crypto.subtle.sign("HMAC", key, toBuffer(message)))

/**
 * Imported keys by the `Redacted` holding the secret: a handler verifies every delivery with
 * the same secrets, and importing a key costs more than signing a webhook. Weakly held, so a
 * key goes with its `Redacted`; the key itself is not extractable.
 */
const keys = new WeakMap<object, Promise<CryptoKey>>()

/** The signing key of a secret, imported once per `Redacted`. */
export const keyOf = (holder: object, secret: () => string): Promise<CryptoKey> => {
  let key = keys.get(holder)
  if (key === undefined) {
    key = importHmacKey(secret())
    // a failed import is not cached: the next call tries again
    key.catch(() => keys.delete(holder))
    keys.set(holder, key)
  }
  return key
}

/** The raw body as bytes: strings are encoded as UTF-8, bytes are used as received. */
export const bodyBytes = (body: Uint8Array | string): Uint8Array => typeof body === "string" ? encoder.encode(body) : body
