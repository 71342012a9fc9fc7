/**
 * @module Hono's typing of per-request variables.
 */
import type { RequestIdVariables } from 'hono/request-id'

/** Per-request variables set by middleware and routes. */
export interface AppEnv {
  Variables: RequestIdVariables & {
    /** The contract operation this request was routed to. */
    operationId: string
    /** The scenario that answered, for the X-Mock-Scenario header. */
    scenario: string | undefined
  }
}
