/**
 * OAuth 2.0 token endpoint (`POST /oauth/token`, form-encoded): client_credentials,
 * authorization_code with optional PKCE (S256 or plain), and refresh_token. Codes are
 * registered by tests through the Simulator service, standing in for `/oauth/authorize`.
 * Issued access tokens authenticate REST calls as `Authorization: Bearer` until they expire
 * on the simulator clock or are revoked.
 *
 * @internal
 */
import type { Route, RouteContext } from "../router.js"
import { pkceChallenge } from "../sha256.js"
import { json, type SimResponse } from "../wire.js"

/** The engine method that mints tokens (kept off `Env` so only this module issues them). */
export interface TokenIssuer {
  readonly issueToken: (
    clientId: string,
    scope: string,
    userId: string | null,
    now: number,
    withRefresh: boolean
  ) => { access: { token: string; expiresAt: number }; refresh: { token: string } | undefined }
}

const oauthError = (status: number, error: string, description: string): SimResponse =>
  json(status, { error, error_description: description })

/** Client credentials from the form, or from HTTP Basic auth (RFC 6749 section 2.3.1). */
const clientCredentials = (ctx: RouteContext, form: URLSearchParams): { id: string | null; secret: string | null } => {
  const basic = /^Basic\s+(\S+)$/i.exec(ctx.req.headers["authorization"] ?? "")
  if (basic !== null) {
    try {
      const decoded = atob(basic[1])
      const i = decoded.indexOf(":")
      if (i > 0) return { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) }
    } catch {
      // Malformed Basic credentials fall through to the form fields.
    }
  }
  return { id: form.get("client_id"), secret: form.get("client_secret") }
}

const tokenResponse = (ctx: RouteContext, issued: ReturnType<TokenIssuer["issueToken"]>, scope: string): SimResponse =>
  json(200, {
    access_token: issued.access.token,
    token_type: "bearer",
    expires_in: Math.round((issued.access.expiresAt - ctx.now) / 1000),
    ...(issued.refresh === undefined ? {} : { refresh_token: issued.refresh.token }),
    scope
  }, { "cache-control": "no-store", pragma: "no-cache" })

export const makeRoutes = (issuer: TokenIssuer): ReadonlyArray<Route> => [{
  method: "POST",
  path: "/oauth/token",
  auth: "none",
  handle: (ctx) => {
    const form = new URLSearchParams(ctx.req.body)
    const grant = form.get("grant_type")
    if (grant === null || grant === "") return oauthError(400, "invalid_request", "The grant_type parameter is missing.")
    const { id, secret } = clientCredentials(ctx, form)
    const client = id === null ? undefined : ctx.env.oauth.clients.get(id)
    if (id === null || client === undefined) return oauthError(401, "invalid_client", "Client authentication failed: unknown client.")
    // Public clients using PKCE may omit the secret on the code exchange; everything else must present it.
    const secretOk = secret === client.secret
    switch (grant) {
      case "client_credentials": {
        if (!secretOk) return oauthError(401, "invalid_client", "Client authentication failed: bad client secret.")
        const scope = form.get("scope") ?? client.scopes
        return tokenResponse(ctx, issuer.issueToken(id, scope, null, ctx.now, false), scope)
      }
      case "authorization_code": {
        const code = form.get("code")
        const grantRec = code === null ? undefined : ctx.env.oauth.codes.get(code)
        if (code === null || grantRec === undefined || grantRec.clientId !== id) {
          return oauthError(400, "invalid_grant", "The authorization code is invalid, expired or was issued to another client.")
        }
        if (form.get("redirect_uri") !== grantRec.redirectUri) return oauthError(400, "invalid_grant", "The redirect_uri does not match the authorization request.")
        if (grantRec.codeChallenge !== null) {
          const verifier = form.get("code_verifier")
          if (verifier === null || verifier === "") return oauthError(400, "invalid_request", "The code_verifier parameter is missing.")
          const derived = grantRec.codeChallengeMethod === "S256" ? pkceChallenge(verifier) : verifier
          if (derived !== grantRec.codeChallenge) return oauthError(400, "invalid_grant", "PKCE verification failed: code_verifier does not match the code_challenge.")
        } else if (!secretOk) {
          return oauthError(401, "invalid_client", "Client authentication failed: bad client secret.")
        }
        // Codes are single-use.
        ctx.env.oauth.codes.delete(code)
        return tokenResponse(ctx, issuer.issueToken(id, grantRec.scope, grantRec.userId, ctx.now, true), grantRec.scope)
      }
      case "refresh_token": {
        const token = form.get("refresh_token")
        const rec = token === null ? undefined : ctx.env.oauth.refreshTokens.get(token)
        if (token === null || rec === undefined || rec.revoked || rec.clientId !== id) return oauthError(400, "invalid_grant", "The refresh token is invalid or revoked.")
        if (!secretOk && ctx.env.oauth.clients.get(id)?.secret !== undefined && secret !== null) {
          return oauthError(401, "invalid_client", "Client authentication failed: bad client secret.")
        }
        // Rotation: the old refresh token stops working once exchanged.
        rec.revoked = true
        return tokenResponse(ctx, issuer.issueToken(id, rec.scope, rec.userId, ctx.now, true), rec.scope)
      }
      default:
        return oauthError(400, "unsupported_grant_type", `Unsupported grant_type: ${grant}`)
    }
  }
}]
