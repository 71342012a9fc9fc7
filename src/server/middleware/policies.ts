/**
 * @module Jumio's documented policies on every request that are not part of a body's schema:
 * a User-Agent naming the business ([D] REFERENCE §2.2: "missing or suspicious headers" → 403)
 * and the host family an operation lives on (§1). Lenient mode records; strict mode refuses
 * what Jumio is documented to refuse (a missing User-Agent: 403).
 */
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.js'
import { userAgentViolations, violation } from '../journal/violations.js'
import { hostFamily, recordViolation, refuseInStrictMode } from './journal.js'

/** [D] where each operation lives (REFERENCE §1, §20.1). */
const FAMILY_OF: Record<string, string> = {
  requestAccessToken: 'auth',
  createAccount: 'account',
  updateAccount: 'account',
  uploadPart: 'api',
  updatePart: 'api',
  finalizeWorkflowExecution: 'api',
  getHealth: 'status',
}

/** Records (lenient) or enforces (strict) the header policies. */
export function requestPolicies(): MiddlewareHandler<AppEnv> {
  return async function policies(c, next) {
    const operationId = c.get('operationId') as string | undefined
    if (operationId === undefined) {
      await next()
      return
    }
    const agent = userAgentViolations(c.req.header('User-Agent'))
    recordViolation(c, ...agent)
    const host = hostFamily(c.req.header('Host'))
    const expected = FAMILY_OF[operationId] ?? 'retrieval'
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
