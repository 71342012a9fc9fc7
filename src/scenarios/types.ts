/**
 * @module The shape of a scenario: a named, described bundle of behaviour (ARCHITECTURE
 * "Scenarios"). The outcome part decides the results a processed workflow execution shows.
 */
import type { CapabilityName, Category } from '../server/domain/workflow-definitions.js'

/** [D] decision types (REFERENCE §10.2, §11). */
export type DecisionType = 'PASSED' | 'WARNING' | 'REJECTED' | 'NOT_EXECUTED'

/** A capability's forced result; `category` narrows it to one credential (usability). */
export interface CapabilityOutcome {
  type: DecisionType
  label: string
  category?: Category
}

/** The top-level decision, when a scenario fixes it rather than deriving it. */
export interface DecisionOutcome {
  type: DecisionType
  label?: string
  score?: number
}

/** A scenario as the engine uses it. */
export interface Scenario {
  name: string
  description: string
  decision?: DecisionOutcome
  capabilities?: Partial<Record<CapabilityName, CapabilityOutcome | CapabilityOutcome[]>>
  /** Fixed values merged over the generated extraction data. */
  extraction?: Record<string, unknown>
}

/** The built-in scenario used when no file defines one: every capability passes. */
export const APPROVED: Scenario = {
  name: 'approved',
  description: 'Every capability passes; the decision is PASSED.',
}
