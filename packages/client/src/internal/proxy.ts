/**
 * Runtime-neutral helpers for proxy URLs (parsing, masking, `NO_PROXY` lists). No Node
 * imports here: `node.ts` wires them to undici.
 *
 * @internal
 */
import { Either } from "effect"

/** A proxy URL that passed validation. `masked` never contains credentials. */
export interface ParsedProxy {
  readonly url: URL
  /** `http://***@proxy.corp:3128` when the URL has credentials, else the origin. */
  readonly masked: string
  readonly hasCredentials: boolean
}

/** Why a proxy URL was rejected (the text never contains the URL's credentials). */
export interface ProxyUrlProblem {
  readonly reason: "InvalidUrl" | "UnsupportedProtocol"
  readonly masked: string
  readonly detail: string
}

const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i

/** Mask anything between `://` and the last `@` of the authority (best effort for unparsable input). */
export const maskRaw = (raw: string): string => {
  const trimmed = raw.trim()
  const schemeEnd = trimmed.indexOf("://")
  const start = schemeEnd === -1 ? 0 : schemeEnd + 3
  const rest = trimmed.slice(start)
  const authorityEnd = rest.search(/[/?#]/)
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd)
  const at = authority.lastIndexOf("@")
  if (at === -1) return trimmed
  return `${trimmed.slice(0, start)}***@${rest.slice(at + 1)}`
}

/** The origin of a parsed URL, with `***@` in place of any credentials. */
export const maskUrl = (url: URL): string =>
  `${url.protocol}//${url.username !== "" || url.password !== "" ? "***@" : ""}${url.host}`

/**
 * Parse a proxy URL. A value without a scheme (`proxy.corp:3128`, common in `HTTPS_PROXY`)
 * is read as `http://`, like curl does. Only `http:` and `https:` proxies are accepted.
 */
export const parseProxyUrl = (raw: string): Either.Either<ParsedProxy, ProxyUrlProblem> => {
  const trimmed = raw.trim()
  const withScheme = hasScheme.test(trimmed) ? trimmed : `http://${trimmed}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    return Either.left({ reason: "InvalidUrl", masked: maskRaw(trimmed), detail: "not a URL" })
  }
  if (url.hostname === "") {
    return Either.left({ reason: "InvalidUrl", masked: maskUrl(url), detail: "no host" })
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return Either.left({
      reason: "UnsupportedProtocol",
      masked: maskUrl(url),
      detail: `proxy protocol ${url.protocol} is not supported (use http: or https:)`
    })
  }
  return Either.right({ url, masked: maskUrl(url), hasCredentials: url.username !== "" || url.password !== "" })
}

/** Join a `NO_PROXY` list given as a string (comma or space separated) or an array. */
export const noProxyList = (value: string | ReadonlyArray<string> | undefined): string =>
  value === undefined
    ? ""
    : (typeof value === "string" ? value.split(/[,\s]+/) : value).map((entry) => entry.trim()).filter((entry) => entry !== "").join(",")
