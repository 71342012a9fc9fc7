/**
 * @module What the mock needs to know about each Jumio operation, read from the contract's `x-`
 * fields and nowhere else: the host family Jumio serves it on, the rate-limit family it counts
 * against, and whether it creates a workflow execution (contracts/jumio.openapi.yaml).
 */
import type { HostFamily } from '../domain/hrefs.js'
import type { RateFamily } from '../domain/rate-limit.js'
import type { Contract } from './validators.js'

/** One operation of the Jumio contract and its facts. */
export interface Operation {
  operationId: string
  method: string
  /** The contract's path, `{param}` style. */
  path: string
  hostFamily: Exclude<HostFamily, 'web'>
  rateFamily?: RateFamily
  /** Creates a workflow execution: its scenario is chosen with the full precedence. */
  createsWorkflowExecution: boolean
}

const HOSTS = ['auth', 'account', 'api', 'retrieval', 'status'] as const
const RATES = ['token', 'account', 'retrieval'] as const

/** Every operation of the contract, by operationId; a missing or unknown fact is a bug. */
export function operationsOf(contract: Contract): Map<string, Operation> {
  const out = new Map<string, Operation>()
  for (const op of contract.operations.values()) {
    const host = op.extensions['jumio-host']
    const rate = op.extensions['rate-limit']
    if (!HOSTS.includes(host as Operation['hostFamily'])) {
      throw new Error(`contract: ${op.operationId} has no valid x-jumio-host`)
    }
    if (rate !== undefined && !RATES.includes(rate as RateFamily)) {
      throw new Error(`contract: ${op.operationId} has an unknown x-rate-limit`)
    }
    out.set(op.operationId, {
      operationId: op.operationId,
      method: op.method,
      path: op.path,
      hostFamily: host as Operation['hostFamily'],
      ...(rate !== undefined && { rateFamily: rate as RateFamily }),
      createsWorkflowExecution: op.extensions['creates-workflow-execution'] === true,
    })
  }
  return out
}
