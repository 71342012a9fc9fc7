/**
 * @module Checks every outgoing body against the contract when enabled (always in our tests):
 * the mock must never send a body outside the contract.
 */
import type { MiddlewareHandler } from 'hono'
import type { AppDeps } from '../deps.js'
import type { AppEnv } from '../env.js'

/** Records (and logs) responses that break the contract. */
export function validateResponses(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async function validateResponse(c, next) {
    await next()
    const operationId = c.get('operationId') as string | undefined
    if (!operationId) return
    const contract = deps.contract.operations.has(operationId) ? deps.contract : deps.adminContract
    const contentType = c.res.headers.get('Content-Type') ?? ''
    const text = await c.res.clone().text()
    let body: unknown = text
    if (contentType.includes('json')) {
      try {
        body = JSON.parse(text)
      } catch {
        body = undefined
      }
    }
    const type = text === '' ? '' : contentType
    const messages = contract
      .validateResponse(operationId, c.res.status, type, body)
      .map((v) => v.message)
    if (messages.length === 0) return
    const violation = {
      operationId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      messages,
    }
    deps.responseViolations.push(violation)
    deps.log.error('response breaks the contract', { ...violation })
  }
}
