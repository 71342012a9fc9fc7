/**
 * @module Which fault, if any, a request meets: the scenario's fault rules matched by operation,
 * limited to the first N requests (`times`) or a share of them (`rate`), counted per tenant.
 */
import type { Fault, Scenario } from './types.js'

/** Jumio's bodies for the statuses faults use most ([D] 429 from jumio-reference §15). */
export const FAULT_TITLES: Record<number, { title: string; detail: string }> = {
  429: { title: 'Too Many Requests', detail: 'Request limit exceeded' },
  500: { title: 'Internal Server Error', detail: 'An unexpected error occurred' },
  502: { title: 'Bad Gateway', detail: 'The upstream service failed' },
  503: { title: 'Service Unavailable', detail: 'The service is temporarily unavailable' },
  504: { title: 'Gateway Timeout', detail: 'The upstream service timed out' },
}

/** The uses of the fault rules that apply N times (`times`), per tenant. */
export interface FaultCounts {
  /**
   * Takes one use of a rule of `times` uses; false once all are taken. One check and count, so
   * that a shared backend takes them atomically: N uses are N, whatever serves the requests.
   */
  take(rule: string, times: number): boolean | Promise<boolean>
}

/**
 * Picks the first rule of `scenario` that applies to this request (its operation and the client
 * id it presents); a `times` rule applies while it has uses left, and each time takes one.
 */
export async function pickFault(
  scenario: Scenario,
  operationId: string,
  counts: FaultCounts,
  client?: string,
  random: () => number = Math.random,
): Promise<Fault | null> {
  const rules = scenario.faults ?? []
  for (const [i, rule] of rules.entries()) {
    const ops = rule.operations
    if (ops && !ops.includes('*') && !ops.includes(operationId)) continue
    if (rule.clients && (client === undefined || !rule.clients.includes(client))) continue
    if (rule.rate !== undefined && random() >= rule.rate) continue
    if (rule.times !== undefined && !(await counts.take(`${scenario.name}#${i}`, rule.times)))
      continue
    return rule
  }
  return null
}

/** The latency of a fault in ms, uniformly drawn from its range. */
export function faultLatency(fault: Fault, random: () => number = Math.random): number {
  if (!fault.latency) return 0
  const { min, max } = fault.latency
  return Math.round(min + (max - min) * random())
}
