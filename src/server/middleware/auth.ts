/**
 * @module Who is calling: an OAuth2 client (bearer access token, or deprecated Basic auth) on
 * the account and retrieval APIs, or the holder of a transaction token on uploads and finalize
 * ([D] REFERENCE §2.1, §2.3, §3.2).
 */
import type { Context } from 'hono'
import { timingSafeEqual } from 'node:crypto'
import type { AppDeps } from '../deps.js'
import { problem } from '../errors.js'
import type { TransactionClaims } from '../domain/tokens.js'
import { accessTokenTenant, tokenKind } from '../domain/tokens.js'
import { DEFAULT_TENANT } from '../domain/tenants.js'
import { violation } from '../journal/violations.js'
import { recordViolation } from './journal.js'

/** An authenticated OAuth2 client; its id is the tenant. */
export interface ClientPrincipal {
  clientId: string
  tenant: string
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

/** True when the pair is accepted: any non-empty pair, or only configured clients. */
export function clientAccepted(deps: AppDeps, id: string, secret: string): boolean {
  if (!id || !secret) return false
  const { clients } = deps.config
  if (clients.size === 0) return true
  const expected = clients.get(id)
  return expected !== undefined && safeEqual(expected, secret)
}

/**
 * The tenant a request acts for, given the tenant its credentials belong to. When clients are
 * configured, tenants are access control: a Jumio API request acts for its credentials' tenant,
 * whatever `X-Mock-Tenant` says. In open mode (no `--clients`) the header may name any tenant.
 */
export function actingTenant(c: Context, deps: AppDeps, own: string): string {
  return deps.config.clients.size > 0 ? own : (named(c) ?? own)
}

/**
 * The tenant a request claims before its credentials are verified (the route verifies them), for
 * choosing its scenario and journaling it; undefined when its credentials name none (a
 * transaction token, or none at all) and no header may.
 */
export function claimedTenant(c: Context, deps: AppDeps): string | undefined {
  const header = c.req.header('Authorization')
  const basic = basicCredentials(header)
  const bearer = /^Bearer\s+(\S+)/i.exec(header ?? '')?.[1]
  const own = basic?.id || (bearer === undefined ? undefined : accessTokenTenant(bearer))
  if (own) return actingTenant(c, deps, own)
  return deps.config.clients.size > 0 ? undefined : named(c)
}

/** [D] OAuth2 bearer, or Basic (deprecated but accepted) on account and retrieval (REFERENCE §2.1). */
export async function requireClient(c: Context, deps: AppDeps): Promise<ClientPrincipal> {
  const header = c.req.header('Authorization')
  const basic = basicCredentials(header)
  if (basic) {
    if (!clientAccepted(deps, basic.id, basic.secret))
      throw problem.unauthorized('Invalid client credentials')
    return { clientId: basic.id, tenant: actingTenant(c, deps, basic.id) }
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
  const clock = deps.workflows.clock(accessTokenTenant(token) ?? DEFAULT_TENANT)
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
  return { clientId: principal.clientId, tenant: actingTenant(c, deps, principal.tenant) }
}

/** The tenant an `X-Mock-Tenant` header names explicitly, if any. */
export function named(c: Context): string | undefined {
  return c.req.header('X-Mock-Tenant')?.trim() || undefined
}

/** [O] the transaction token opens only the account and workflow execution in its claims (REFERENCE §3.2). */
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
  // An expired token is 401 before its scope is looked at: 401 comes before 403 (issue 2).
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

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
