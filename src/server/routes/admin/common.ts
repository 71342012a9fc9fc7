/**
 * @module What every admin route shares: binding by operationId with the admin token and request
 * checks ahead of the handler, and the tenant a call names.
 */
import type { Context, Hono, MiddlewareHandler } from 'hono'
import { timingSafeEqual } from 'node:crypto'
import type { AppDeps } from '../../deps.js'
import type { AppEnv } from '../../env.js'
import { isTenantName } from '../../domain/tenants.js'
import { problem } from '../../errors.js'
import { readBody } from '../../request-body.js'
import { binder } from '../bind.js'
import type { Bind } from '../bind.js'

/**
 * Binds admin operations of `app` by operationId (contracts/admin.openapi.yaml), each behind
 * {@link adminOperation}. The callback check is routed under a parameter: a static `verify`
 * beside `/__admin/callbacks/:callbackId/redeliver` would make Hono fall back from its
 * RegExpRouter to the TrieRouter for every route (16 % of a status read's CPU, measured);
 * test/unit/router.test.ts keeps every route on the RegExpRouter.
 */
export function adminBinder(app: Hono<AppEnv>, deps: AppDeps): Bind {
  return binder(app, deps.adminContract.operations, {
    before: adminOperation(deps),
    paths: { verifyClientCallbacks: '/__admin/callbacks/:callbackId' },
  })
}

/**
 * Names the admin operation (response validation), checks the admin token, then the query and a
 * JSON body against the admin contract: what it forbids is a 400 naming the value.
 */
export function adminOperation(deps: AppDeps): (operationId: string) => MiddlewareHandler<AppEnv> {
  return (operationId) =>
    async function adminCall(c, next) {
      c.set('operationId', operationId)
      requireAdmin(c, deps)
      const [query] = deps.adminContract.validateQuery(operationId, c.req.query())
      if (query) throw problem.badRequest(`Query parameter ${query.message.slice(1)}`)
      const [body] = await bodyViolations(c, deps, operationId)
      if (body) throw problem.badRequest(`Request body ${body.message}`)
      await next()
    }
}

/**
 * A JSON body's violations of the admin contract. Read whatever its Content-Type (`curl -d`
 * sends a form type); a body that is not JSON is left to the route, which names the problem.
 */
async function bodyViolations(c: Context<AppEnv>, deps: AppDeps, operationId: string) {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return []
  // an operation that takes no body ignores one, as it always did
  if (!deps.adminContract.operations.get(operationId)?.requests.size) return []
  const text = (await readBody(c, deps.config.maxBodyBytes)).toString('utf8')
  if (text.trim() === '') return []
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return []
  }
  return deps.adminContract.validateRequest(operationId, 'application/json', body)
}

/** Constant-time comparison of the admin bearer token, when one is configured. */
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

/**
 * The tenant an admin call names (`X-Mock-Tenant` or `?tenant=`); undefined means global. A name
 * with control characters (`?tenant=%00g`) is no tenant's: 400.
 */
export function tenantParam(c: Context): string | undefined {
  const named = c.req.header('X-Mock-Tenant')?.trim() || c.req.query('tenant') || undefined
  if (named !== undefined && !isTenantName(named)) {
    throw problem.badRequest('A tenant name holds no control characters')
  }
  return named
}
