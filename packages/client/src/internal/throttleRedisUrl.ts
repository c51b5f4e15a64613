/**
 * `redis://[[user]:password@]host[:port][/db]` (or `rediss://` for TLS) to ioredis options.
 * Errors never repeat the URL, which may hold a password.
 *
 * @internal
 */
import { Either } from "effect"

export interface RedisUrlOptions {
  readonly host: string
  readonly port: number
  readonly username?: string
  readonly password?: string
  readonly db?: number
  readonly tls?: Record<string, never>
}

export const parseRedisUrl = (url: string): Either.Either<RedisUrlOptions, string> => {
  let parsed: URL
  try {
    parsed = new URL(url.trim())
  } catch {
    return Either.left("not a URL (expected redis://host:port/db)")
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    return Either.left(`unsupported scheme ${parsed.protocol} (expected redis: or rediss:)`)
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1")
  if (host === "") return Either.left("missing host")
  const port = parsed.port === "" ? 6379 : Number(parsed.port)
  const path = parsed.pathname.replace(/^\//, "")
  let db: number | undefined
  if (path !== "") {
    if (!/^\d+$/.test(path)) return Either.left("the path must be a database number")
    db = Number(path)
  }
  const username = decodeURIComponent(parsed.username)
  const password = decodeURIComponent(parsed.password)
  return Either.right({
    host,
    port,
    ...(username === "" ? {} : { username }),
    ...(password === "" ? {} : { password }),
    ...(db === undefined ? {} : { db }),
    ...(parsed.protocol === "rediss:" ? { tls: {} } : {})
  })
}
