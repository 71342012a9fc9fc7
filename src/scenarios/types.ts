/**
 * @module The shape of a scenario: a named, described bundle of behaviour,
 * as the engine uses it once `load.ts` has validated and normalised the file
 * (durations in milliseconds). The file's format is `contracts/scenarios.schema.json`.
 */
import type { CapabilityName, Category } from '../model/workflow-definitions.js'

/** [D] decision types (jumio-reference §10.2, §11). */
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

/** Timing, all in milliseconds on the injected clock. */
export interface Timing {
  processingDelay?: number
  processAfterStatusReads?: number
  tokenLifetime?: number
  sessionTimeout?: number
  callbackDelay?: number
}

/** Something that goes wrong on matching requests. */
export interface Fault {
  /** operationIds, or `*` for all; every Jumio operation when absent. */
  operations?: string[]
  /** Client ids the request presents (Basic user, token subject, token request); any when absent. */
  clients?: string[]
  status?: number
  title?: string
  detail?: string
  retryAfter?: number
  latency?: { min: number; max: number }
  drop?: boolean
  times?: number
  rate?: number
}

/** How uploads are answered. */
export interface UploadPolicy {
  policy: 'accept' | 'reject'
  status?: number
  detail?: string
}

/** How callback delivery misbehaves. */
export interface CallbackBehaviour {
  duplicate?: boolean
  outOfOrder?: boolean
  extraDelay?: number
}

/** A scenario as the engine uses it. */
export interface Scenario {
  name: string
  description: string
  decision?: DecisionOutcome
  capabilities?: Partial<Record<CapabilityName, CapabilityOutcome | CapabilityOutcome[]>>
  /** Fixed values merged over the generated extraction data. */
  extraction?: Record<string, unknown>
  timing?: Timing
  faults?: Fault[]
  uploads?: UploadPolicy
  callbacks?: CallbackBehaviour
  /** Request validation: record violations (lenient) or reject as Jumio would (strict). */
  validation?: 'lenient' | 'strict'
}
