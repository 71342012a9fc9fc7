/**
 * @module Hono's typing of per-request variables.
 */
import type { RequestIdVariables } from 'hono/request-id'
import type { Operation } from './contract/operations.js'
import type { Violation } from './journal/violations.js'

/** Per-request variables set by middleware and routes. */
export interface AppEnv {
  Variables: RequestIdVariables & {
    /** The contract operation this request was routed to. */
    operationId: string
    /** That operation's facts (Jumio operations only; admin routes name just the operationId). */
    operation: Operation | undefined
    /** The scenario that answered, for the X-Mock-Scenario header. */
    scenario: string | undefined
    /** The tenant the request acts for. */
    tenant: string | undefined
    /** The client id the request presents, unverified (faults aimed at one client). */
    client: string | undefined
    /** Strict validation: reject what Jumio rejects instead of recording it. */
    strict: boolean | undefined
    /** Contract and policy violations this request carried (journal, X-Mock-Violations). */
    violations: Violation[] | undefined
    /** What the journal keeps of a body it cannot read itself (uploads). */
    requestSummary: unknown
    /** The request body once read (request-body.ts): every reader shares it. */
    body: Buffer | undefined
    /** The body was left part-way: the answer closes the connection. */
    bodyAbandoned: boolean | undefined
    /** The client went away before the body's end: every later read fails the same way. */
    bodyLost: Error | undefined
  }
}
