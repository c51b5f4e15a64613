/**
 * URL normalisation with an origin check.
 *
 * The Python client accepts any URL that merely *starts with* the base URL string, so
 * `https://api.pagerduty.com.evil.com/users` receives the API key. Here a full URL is
 * accepted only when its parsed origin (scheme, host, port) equals the base origin and its
 * path lies under the base path; everything else is a path joined onto the base.
 */
import { Either } from "effect"
import { UrlError } from "../PagerDutyError.js"

export type QueryValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | ReadonlyArray<string | number | boolean>

export type Query = Readonly<Record<string, QueryValue>>

const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]"])

/** Parse and validate a client's base URL: https, or http on a loopback host (simulators, tests). */
export const parseBaseUrl = (input: string): Either.Either<URL, UrlError> => {
  let url: URL
  try {
    url = new URL(input)
  } catch {
    return Either.left(new UrlError({ url: input, reason: "Malformed", detail: "the base URL is not a valid absolute URL" }))
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopbackHosts.has(url.hostname))) {
    return Either.left(
      new UrlError({ url: input, reason: "InsecureScheme", detail: "API base URLs must use https (http is allowed only on loopback hosts)" })
    )
  }
  if (url.username !== "" || url.password !== "") {
    // never keep credentials in a URL: they would show up in every error message
    return Either.left(new UrlError({ url: `${url.protocol}//${url.host}`, reason: "Malformed", detail: "the base URL must not contain credentials" }))
  }
  url.search = ""
  url.hash = ""
  if (!url.pathname.endsWith("/")) url.pathname = `${url.pathname}/`
  return Either.right(url)
}

const hasScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:/

/** The path of `base` without its trailing slash ("" for the root). */
export const basePath = (base: URL): string => base.pathname.replace(/\/+$/, "")

/**
 * Resolve `input` (a path, or a full URL on the base origin) against `base`.
 * Returns a fresh URL object; any query string in `input` is kept.
 */
export const resolve = (base: URL, input: string): Either.Either<URL, UrlError> => {
  if (hasScheme.test(input)) {
    let url: URL
    try {
      url = new URL(input)
    } catch {
      return Either.left(new UrlError({ url: input, reason: "Malformed" }))
    }
    if (url.origin !== base.origin || url.username !== "" || url.password !== "") {
      return Either.left(
        new UrlError({ url: redactUserInfo(url, input), reason: "ForeignOrigin", detail: `the client only sends requests to ${base.origin}` })
      )
    }
    const prefix = basePath(base)
    if (prefix !== "" && url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) {
      return Either.left(new UrlError({ url: input, reason: "ForeignOrigin", detail: `the path is not under ${base.origin}${prefix}` }))
    }
    url.hash = ""
    return Either.right(url)
  }
  // A path: `users`, `/users` and `//users` all mean `<base>/users` (as in the Python client).
  // Backslashes are refused: URL parsers treat them as slashes, which could change the host.
  if (input.includes("\\")) {
    return Either.left(new UrlError({ url: input, reason: "Malformed", detail: "backslashes are not allowed in a path" }))
  }
  const [pathPart, ...rest] = input.split("?")
  const path = (pathPart ?? "").split("#")[0]!.replace(/^\/+/, "")
  const query = rest.length > 0 ? `?${rest.join("?").split("#")[0]}` : ""
  let url: URL
  try {
    url = new URL(`${base.origin}${basePath(base)}/${path}${query}`)
  } catch {
    return Either.left(new UrlError({ url: input, reason: "Malformed" }))
  }
  if (url.origin !== base.origin) {
    return Either.left(new UrlError({ url: input, reason: "ForeignOrigin", detail: `the client only sends requests to ${base.origin}` }))
  }
  const prefix = basePath(base)
  if (prefix !== "" && url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) {
    return Either.left(new UrlError({ url: input, reason: "ForeignOrigin", detail: `the path is not under ${base.origin}${prefix}` }))
  }
  return Either.right(url)
}

const redactUserInfo = (url: URL, input: string): string => {
  if (url.username === "" && url.password === "") return input
  const copy = new URL(url.href)
  copy.username = ""
  copy.password = ""
  return copy.href
}

/** Append query parameters: arrays repeat the key, booleans are `true`/`false`, null/undefined are omitted. */
export const appendQuery = (url: URL, params: Query | undefined): URL => {
  if (params === undefined) return url
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue
    if (Array.isArray(value)) {
      for (const item of value) url.searchParams.append(key, String(item))
    } else {
      url.searchParams.append(key, String(value))
    }
  }
  return url
}

/** The path of `url` relative to the base path (always starting with `/`). */
export const relativePath = (base: URL, url: URL): string => {
  const prefix = basePath(base)
  const path = prefix !== "" && url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname
  return path === "" ? "/" : path
}
