/**
 * Request headers: merging with a fixed precedence, and validation against RFC 9110 before
 * anything is handed to a transport.
 *
 * Precedence (lowest to highest): the client's standard headers (`User-Agent`, its own
 * `Accept`, `From`...), `Content-Type` for a body, the caller's per-call headers, the
 * per-call `from` option, and last the credential the `Auth` adds. A per-call header can
 * therefore override `Accept`, `User-Agent` or `Content-Type` (as in python-pagerduty) but
 * never `Authorization`, a secret header of the client (the Jira signature) or the client's
 * `From`: only the per-call `from` option replaces that. (`Authorization` is protected by
 * order: the `Auth` runs after the merge; with `Auth.none` a per-call one is sent as given.)
 */
import { Option } from "effect"

/** Lower-case the names of a header record. */
export const normalize = (headers: Readonly<Record<string, string>> | undefined): Record<string, string> => {
  const out: Record<string, string> = {}
  if (headers === undefined) return out
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value
  return out
}

/**
 * The headers of one call before the `Auth` runs: per-call headers may override anything
 * except the `protectedNames` (lower case) the client set itself; `from` sets `From`.
 */
export const merge = (
  client: Readonly<Record<string, string>>,
  call: Readonly<Record<string, string>>,
  protectedNames: ReadonlySet<string>,
  from: string | undefined
): Record<string, string> => {
  const out: Record<string, string> = { ...client }
  for (const [name, value] of Object.entries(call)) {
    if (!(protectedNames.has(name) && name in client)) out[name] = value
  }
  if (from !== undefined) out["from"] = from
  return out
}

// RFC 9110 5.1 token: the characters a header name may have.
const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
// RFC 9110 5.5 field-value: HTAB, SP, visible ASCII and obs-text (0x80-0xFF); no CR, LF, NUL,
// other controls, DEL, or characters above U+00FF (zero-width spaces, non-Latin-1 letters).
const fieldValue = /^[\t\x20-\x7e\x80-\xff]*$/

/**
 * The first header whose name or value cannot be sent, described without its value (it may be
 * a credential): `Option.none()` when all are valid.
 */
export const invalid = (headers: Readonly<Record<string, string>>): Option.Option<string> => {
  for (const [name, value] of Object.entries(headers)) {
    if (!token.test(name)) return Option.some(`a header name is not an RFC 9110 token`)
    if (typeof value !== "string" || !fieldValue.test(value)) {
      return Option.some(
        `the ${name} header value has a character RFC 9110 does not allow (a line break, a control character, DEL, or a character above U+00FF)`
      )
    }
  }
  return Option.none()
}
