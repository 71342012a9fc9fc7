/**
 * @module What every admin route shares: the admin token check and the tenant a call names.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { timingSafeEqual } from 'node:crypto'
import type { AppDeps } from '../deps.js'
import type { AppEnv } from '../env.js'
import { problem } from '../errors.js'

/** Names the admin operation (response validation) and checks the admin token. */
export function adminOperation(deps: AppDeps): (operationId: string) => MiddlewareHandler<AppEnv> {
  return (operationId) =>
    async function adminCall(c, next) {
      c.set('operationId', operationId)
      requireAdmin(c, deps)
      await next()
    }
}

/** Constant-time comparison of the admin bearer token, when one is configured (issue 3). */
export function requireAdmin(c: Context, deps: AppDeps): void {
  const expected = deps.config.adminToken
  if (expected === null) return
  const given = /^Bearer\s+(.+)$/i.exec(c.req.header('Authorization') ?? '')?.[1] ?? ''
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw problem.unauthorized('The admin API needs the admin token as a bearer token')
  }
}

/** The tenant an admin call names (`X-Mock-Tenant` or `?tenant=`); undefined means global. */
export function tenantParam(c: Context): string | undefined {
  return c.req.header('X-Mock-Tenant')?.trim() || c.req.query('tenant') || undefined
}
