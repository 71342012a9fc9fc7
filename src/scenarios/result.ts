/**
 * @module The results retrieval shows for a terminal workflow execution: capability entries,
 * steps and the top-level decision ([D] jumio-reference §10.2, §10.3, §11).
 */
import type { CapabilityName } from '../model/workflow-definitions.js'
import type { DecisionType } from './types.js'

/** A decision as retrieval shows it. */
export interface Decision {
  type: DecisionType
  details: { label: string }
  risk?: { score: number }
}

/** One entry of a capability array ([D] jumio-reference §11 common entry shape). */
export interface CapabilityEntry {
  id: string
  credentials: { id: string; category: string }[]
  decision: Decision
  data?: Record<string, unknown>
  validFaceMapForAuthentication?: string
}

/** Capability entries by capability name. */
export type Capabilities = Partial<Record<CapabilityName, CapabilityEntry[]>>

/** One step of §10.3. */
export interface Step {
  id: string
  name: string
  capabilityIds: string[]
  decision: Decision
}

/** Everything retrieval shows about a terminal workflow execution. */
export interface WorkflowResult {
  decision: Decision & { risk: { score: number } }
  capabilities: Capabilities
  steps: Step[]
}
