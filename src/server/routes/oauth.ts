/**
 * @module `POST /oauth2/token`: client credentials by Basic auth or form fields → an access
 * token ([D] jumio-reference §2.1). Errors use OAuth2's shape, not problem details.
 */
import { Hono } from 'hono'
import type { Context } from 'hono'
import type { AppDeps } from '../deps.js'
import type { AppEnv } from '../env.js'
import { OAuthError } from '../errors.js'
import { ACCESS_TOKEN_TTL_S } from '../domain/tokens.js'
import { actingTenant, basicCredentials } from '../auth.js'
import type { AccessTokenResponse } from '../contract/types.js'
import { mediaType } from '../contract/validators.js'
import { readTokenForm } from '../request-body.js'
import { binder } from './bind.js'

/** The token endpoint. */
export function oauthRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  binder(app, deps.operations)('requestAccessToken', async (c) => {
    const form = await readForm(c, deps.config.maxBodyBytes)
    const basic = basicCredentials(c.req.header('Authorization'))
    const id = basic?.id ?? form.get('client_id') ?? ''
    const secret = basic?.secret ?? form.get('client_secret') ?? ''
    const grant = form.get('grant_type')
    if (!grant) throw new OAuthError(400, 'invalid_request', 'grant_type is required')
    if (grant !== 'client_credentials') {
      throw new OAuthError(400, 'unsupported_grant_type', `grant_type ${grant} is not supported`)
    }
    // [D] the token endpoint answers 200, 400, 403 or 429, never 401 (jumio-reference §15), and
    // Cognito, which it very probably is, answers 400 {"error": "invalid_client"} (§2.1)
    if (!id || !secret)
      throw new OAuthError(400, 'invalid_client', 'client credentials are missing')
    // an unknown, deactivated or API-user pair, or one whose secret expired: `invalid_client`
    const found = await deps.credentials.authenticate(id, secret, 'token')
    if (!found.ok) throw new OAuthError(400, 'invalid_client', found.reason)
    const tenant = actingTenant(c, deps, found.tenant, found.registered)
    const now = deps.workflows.clock(tenant).now()
    const permissions = found.registered ? found.permissions : undefined
    const token = await deps.tokens.issueAccessToken(id, tenant, now, deps.ids(), permissions)
    // [D] exactly these three fields (jumio-reference §2.1)
    const body: AccessTokenResponse = {
      access_token: token,
      expires_in: ACCESS_TOKEN_TTL_S,
      token_type: 'Bearer',
    }
    return c.json(body, 200, { 'Cache-Control': 'no-store' })
  })
  return app
}

/** Reads a form body leniently: urlencoded as documented, JSON bodies are not accepted. */
async function readForm(c: Context<AppEnv>, limit: number): Promise<URLSearchParams> {
  const req = c.req
  // the media type itself, not a parameter that happens to name it
  if (mediaType(req.header('Content-Type')) !== 'application/x-www-form-urlencoded') {
    throw new OAuthError(
      400,
      'invalid_request',
      'Content-Type must be application/x-www-form-urlencoded',
    )
  }
  return readTokenForm(c, limit)
}
