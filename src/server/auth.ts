/**
 * @module Who is calling: an OAuth2 client (bearer access token, or deprecated Basic auth) on
 * the account and retrieval APIs, or the holder of a transaction token on uploads and finalize
 * ([D] jumio-reference §2.1, §2.3, §3.2).
 */
import type { Context } from 'hono'
import type { AppDeps } from './deps.js'
import { problem } from './errors.js'
import type { Permission } from './domain/credential-model.js'
import { ALL_PERMISSIONS } from './domain/credential-model.js'
import type { TransactionClaims } from './domain/tokens.js'
import { accessTokenClaims, tokenKind } from './domain/tokens.js'
import { DEFAULT_TENANT, isTenantName } from './domain/tenants.js'
import { violation } from './journal/violations.js'
import { recordViolation } from './request-context.js'

/** An authenticated OAuth2 client or API user, the tenant it acts for and what it may do. */
export interface ClientPrincipal {
  clientId: string
  tenant: string
  permissions: readonly Permission[]
}

/** What each permission lets a client do, in the portal's words ([D] jumio-reference §2.1). */
const GRANTS: Record<Permission, string> = {
  INITIATE: 'initiate a transaction',
  RETRIEVE_DELETE: 'retrieve & delete transaction details',
}

/** Reads `Authorization: Basic` into client id and secret, or null. */
export function basicCredentials(
  header: string | undefined,
): { id: string; secret: string } | null {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '')
  if (!m?.[1]) return null
  const decoded = Buffer.from(m[1], 'base64').toString('utf8')
  const at = decoded.indexOf(':')
  if (at < 0) return null
  return { id: decoded.slice(0, at), secret: decoded.slice(at + 1) }
}

/**
 * The tenant a request acts for, given the tenant its credentials belong to. A registered
 * credential (created, or configured) always acts for its own tenant, and so does every request
 * of a closed instance (`--clients`, `--credentials-file`): tenants are then access control. In
 * open mode an unregistered client's request may name any tenant with `X-Mock-Tenant`.
 */
export function actingTenant(c: Context, deps: AppDeps, own: string, pinned = false): string {
  return pinned || deps.credentials.closed ? own : (named(c) ?? own)
}

/**
 * The client id a request presents, before it is verified: the Basic user, else the subject of
 * its access token, else `formClient` (the token endpoint's `client_id` field); for faults
 * aimed at one client.
 */
export function presentedClient(c: Context, formClient?: string): string | undefined {
  const header = c.req.header('Authorization')
  const basic = basicCredentials(header)
  if (basic?.id) return basic.id
  const bearer = /^Bearer\s+(\S+)/i.exec(header ?? '')?.[1]
  return (bearer === undefined ? undefined : accessTokenClaims(bearer)?.clientId) || formClient
}

/**
 * The tenant a request claims before its credentials are verified (the route verifies them), for
 * choosing its scenario and journaling it; undefined when its credentials name none (a
 * transaction token, or none at all) and no header may. `formClient` is the token endpoint's
 * `client_id` field.
 */
export function claimedTenant(c: Context, deps: AppDeps, formClient?: string): string | undefined {
  const header = c.req.header('Authorization')
  const id = basicCredentials(header)?.id || formClient
  // a client id that names no tenant (control characters) is refused by the route: none claimed
  if (id && !isTenantName(id)) return undefined
  if (id) return deps.credentials.find(id)?.tenant ?? actingTenant(c, deps, id)
  const bearer = /^Bearer\s+(\S+)/i.exec(header ?? '')?.[1]
  const claims = bearer === undefined ? undefined : accessTokenClaims(bearer)
  if (claims) return actingTenant(c, deps, claims.tenant, claims.pinned)
  return deps.credentials.closed ? undefined : named(c)
}

/**
 * [D] OAuth2 bearer, or Basic (deprecated but accepted) on account and retrieval (jumio-reference
 * §2.1), holding the permission the call needs: 401 before 403, as everywhere.
 */
export async function requireClient(
  c: Context,
  deps: AppDeps,
  need: Permission,
): Promise<ClientPrincipal> {
  const principal = await authenticatedClient(c, deps)
  if (!principal.permissions.includes(need)) {
    throw problem.forbidden(
      `The API credentials ${principal.clientId} lack the ${need} permission ("${GRANTS[need]}") this call needs`,
    )
  }
  return principal
}

async function authenticatedClient(c: Context, deps: AppDeps): Promise<ClientPrincipal> {
  const header = c.req.header('Authorization')
  const basic = basicCredentials(header)
  if (basic) {
    const found = await deps.credentials.authenticate(basic.id, basic.secret, 'basic')
    if (!found.ok) throw problem.unauthorized(found.reason)
    const tenant = actingTenant(c, deps, found.tenant, found.registered)
    return { clientId: found.clientId, tenant, permissions: found.permissions }
  }
  const token = bearer(header)
  if (tokenKind(token) === 'transaction') {
    recordViolation(
      c,
      violation(
        'TRANSACTION_TOKEN_ON_RETRIEVAL',
        'A workflow transaction token was sent where an OAuth2 access token is expected',
      ),
    )
    throw problem.unauthorized(
      'A workflow transaction token is not accepted here; use an OAuth2 access token',
    )
  }
  // a token expires on the clock of the tenant that issued it, whichever tenant a header names
  const clock = deps.workflows.clock(accessTokenClaims(token)?.tenant ?? DEFAULT_TENANT)
  const principal = await deps.tokens
    .verifyAccessToken(token, clock.now())
    .catch((err: unknown) => {
      if (err instanceof Error && err.message === 'Access token has expired') {
        recordViolation(
          c,
          violation(
            'EXPIRED_TOKEN_REUSED',
            'An expired OAuth2 access token was sent; request a new one (they live 3600 s)',
          ),
        )
      }
      throw err
    })
  if (deps.credentials.tokensRevoked(principal.clientId)) {
    throw problem.unauthorized(
      `Access token was revoked: client ${principal.clientId} was deactivated`,
    )
  }
  const { permissions } = principal
  return {
    clientId: principal.clientId,
    tenant: actingTenant(c, deps, principal.tenant, permissions !== undefined),
    permissions: permissions ?? ALL_PERMISSIONS,
  }
}

/** The tenant an `X-Mock-Tenant` header names explicitly, if any. */
export function named(c: Context): string | undefined {
  const header = c.req.header('X-Mock-Tenant')?.trim()
  return header && isTenantName(header) ? header : undefined
}

/** [O] the transaction token opens only the account and workflow execution in its claims (jumio-reference §3.2). */
export async function requireTransactionToken(
  c: Context,
  deps: AppDeps,
  accountId: string,
  workflowExecutionId: string,
): Promise<TransactionClaims> {
  const token = bearer(c.req.header('Authorization'))
  if (tokenKind(token) === 'access') {
    recordViolation(
      c,
      violation(
        'ACCESS_TOKEN_ON_CREDENTIALS_API',
        'An OAuth2 access token was sent where the workflow transaction token (api.token) is expected',
      ),
    )
    throw problem.unauthorized(
      'An OAuth2 access token is not accepted here; use the workflow transaction token (api.token)',
    )
  }
  const claims = await deps.tokens.verifyTransactionToken(token)
  // An expired token is 401 before its scope is looked at: 401 comes before 403.
  const own = await deps.store.locateWorkflowExecution(claims.wfeId)
  if (own) {
    const { status } = await deps.workflows.settle(own)
    if (status === 'TOKEN_EXPIRED' || status === 'SESSION_EXPIRED') {
      recordViolation(
        c,
        violation(
          'EXPIRED_TOKEN_REUSED',
          `The transaction token of a ${status} workflow execution was used again`,
        ),
      )
      throw problem.unauthorized(`Authorization token has expired (${status})`)
    }
  }
  if (claims.accId !== accountId || claims.wfeId !== workflowExecutionId) {
    throw problem.forbidden(
      'The authorization token is not valid for this account and workflow execution',
    )
  }
  return claims
}

function bearer(header: string | undefined): string {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  if (!m?.[1]) throw problem.unauthorized('Missing bearer token in the Authorization header')
  return m[1]
}
