/**
 * @module The one place that decides which scenario applies to a new workflow execution.
 */
import type { ScenarioRegistry } from './registry.js'
import type { Scenario } from './types.js'

/** What a request offers for choosing the scenario. */
export interface ScenarioInput {
  /** The `X-Mock-Scenario` request header. */
  header?: string | undefined
  customerInternalReference?: string | undefined
  userReference?: string | undefined
}

const MARKER = /(?:^|[^a-z0-9-])scenario:([a-z0-9][a-z0-9-]*)/i

/**
 * Picks the scenario for a new workflow execution. Highest precedence first:
 * 1. the `X-Mock-Scenario` request header;
 * 2. a marker `scenario:<name>` in customerInternalReference or userReference (like Stripe's
 *    magic test values);
 * 3. the scenarios file's default.
 * An unknown name is a 400 problem naming the known ones.
 *
 * @example resolveScenario({ customerInternalReference: 'order-7 scenario:rejected-fake' }, registry)
 */
export function resolveScenario(input: ScenarioInput, registry: ScenarioRegistry): Scenario {
  if (input.header) return registry.require(input.header.trim())
  for (const ref of [input.customerInternalReference, input.userReference]) {
    const name = ref === undefined ? undefined : MARKER.exec(ref)?.[1]
    if (name) return registry.require(name.toLowerCase())
  }
  return registry.default
}
