/**
 * @module Jumio's documented policies on every request that are not part of a body's schema:
 * a User-Agent naming the business ([D] jumio-reference §2.2: "missing or suspicious headers" → 403)
 * and the host family an operation lives on (§1). Lenient mode records; strict mode refuses
 * what Jumio is documented to refuse (a missing User-Agent: 403).
 */
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.js'
import { userAgentViolations, violation } from '../journal/violations.js'
import { hostFamily, recordViolation, refuseInStrictMode } from '../request-context.js'

/** Records (lenient) or enforces (strict) the header policies. */
export function requestPolicies(): MiddlewareHandler<AppEnv> {
  return async function policies(c, next) {
    const operation = c.get('operation')
    if (operation === undefined) {
      await next()
      return
    }
    const agent = userAgentViolations(c.req.header('User-Agent'))
    recordViolation(c, ...agent)
    // [D] where each operation lives: the contract's x-jumio-host (jumio-reference §1, §20.1)
    const host = hostFamily(c.req.header('Host'))
    const { operationId, hostFamily: expected } = operation
    if (host !== 'local' && host !== expected) {
      recordViolation(
        c,
        violation(
          'WRONG_HOST',
          `${operationId} is served on Jumio's ${expected}. host, not ${host}.`,
        ),
      )
    }
    refuseInStrictMode(c)
    await next()
  }
}
