/**
 * PKCE (RFC 7636) helpers on the Web Crypto API, so they run unchanged in Node 20+, browsers,
 * Deno, Bun and edge workers (no `node:` imports).
 */
import { Effect } from "effect"

/** base64url without padding (RFC 4648 §5). */
export const base64Url = (bytes: Uint8Array): string => {
  let binary = ""
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
}

/** A 43-character verifier: base64url of 32 random bytes from `crypto.getRandomValues`. */
export const randomVerifier = Effect.sync(() => {
  const bytes = new Uint8Array(32)
  globalThis.crypto.getRandomValues(bytes)
  return base64Url(bytes)
})

/** The S256 challenge: base64url(SHA-256(ASCII(verifier))). */
export const s256 = (verifier: string): Effect.Effect<string> =>
  Effect.promise(() => globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))).pipe(
    Effect.map((digest) => base64Url(new Uint8Array(digest)))
  )

/** RFC 7636 §4.1: 43 to 128 characters of `[A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"`. */
export const isValidVerifier = (verifier: string): boolean => /^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)
