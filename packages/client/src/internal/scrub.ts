/**
 * Secret scrubbing at the source: when a server or proxy echoes a request in an error body,
 * the credential it carried (API key, bearer or OAuth token, routing or service key, OAuth
 * client secret) is replaced by `<redacted>` before the text reaches an error, a log or a span.
 *
 * Rules, chosen so that ordinary words survive:
 * - only secrets of at least {@link minLength} characters are scrubbed (PagerDuty's shortest
 *   credential, an API key, has 20; a wrong key `"wrong"` must not turn "it may be wrong"
 *   into "it may be <redacted>");
 * - a secret matches only as a whole token: the characters around it must not be letters or
 *   digits, so a secret inside a longer word or identifier is left alone;
 * - the secret is also found percent-encoded (a form body) and JSON-escaped (an echoed JSON body).
 */
import { Redacted } from "effect"

/** Secrets shorter than this are not scrubbed by value. */
export const minLength = 8

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

const variants = (secret: string): ReadonlyArray<string> => {
  const out = new Set([secret])
  try {
    out.add(encodeURIComponent(secret))
  } catch {
    // a lone surrogate cannot be percent-encoded: the raw form is still scrubbed
  }
  const json = JSON.stringify(secret)
  out.add(json.slice(1, -1))
  return [...out]
}

/**
 * A function that replaces the given secrets in a text (identity when none qualifies). The
 * pattern is built on first use: most responses are never scrubbed.
 */
export const scrubber = (secrets: ReadonlyArray<string>): (text: string) => string => {
  const qualifying = secrets.filter((s) => s.length >= minLength)
  if (qualifying.length === 0) return (text) => text
  let pattern: RegExp | undefined
  return (text) => {
    pattern ??= new RegExp(
      `(?<![A-Za-z0-9])(?:${qualifying.flatMap(variants).sort((a, b) => b.length - a.length).map(escapeRegExp).join("|")})(?![A-Za-z0-9])`,
      "g"
    )
    return text.replace(pattern, "<redacted>")
  }
}

/** {@link scrubber} over `Redacted` values (non-string values are ignored). */
export const scrub = (text: string, secrets: ReadonlyArray<Redacted.Redacted>): string =>
  scrubber(secrets.flatMap((s) => {
    const value: unknown = Redacted.value(s)
    return typeof value === "string" ? [value] : []
  }))(text)

const schemes = /^(?:Token token=|Bearer |Basic |Token )/i

/**
 * The secrets an `Auth` added to a request: every header value it set or changed (and the
 * token after a `Token token=` / `Bearer ` scheme), every top-level JSON property it set or
 * changed, and every form field it appended except `client_id`.
 */
export const addedSecrets = (
  before: { readonly headers: Readonly<Record<string, string>>; readonly json?: unknown; readonly form?: ReadonlyArray<readonly [string, string]> | undefined },
  after: { readonly headers: Readonly<Record<string, string>>; readonly json?: unknown; readonly form?: ReadonlyArray<readonly [string, string]> | undefined }
): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (const [name, value] of Object.entries(after.headers)) {
    if (before.headers[name] === value) continue
    out.push(value)
    const bare = value.replace(schemes, "")
    if (bare !== value) out.push(bare)
  }
  if (typeof after.json === "object" && after.json !== null && !Array.isArray(after.json)) {
    const old = typeof before.json === "object" && before.json !== null ? before.json as Record<string, unknown> : {}
    for (const [key, value] of Object.entries(after.json as Record<string, unknown>)) {
      if (typeof value === "string" && old[key] !== value) out.push(value)
    }
  }
  const oldForm = before.form?.length ?? 0
  for (const [name, value] of (after.form ?? []).slice(oldForm)) if (name !== "client_id") out.push(value)
  return out
}
