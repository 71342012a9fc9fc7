/**
 * @module The top-level decision of a terminal workflow execution, rolled up from its
 * capabilities as Jumio's captured responses show it. Jumio does not document
 * the rule; every retrieval capture in contracts/examples/ follows this one (checked by
 * test/unit/roll-up.test.ts), and docs/fidelity.md gives it with its evidence:
 *
 * 1. [D] a token that expired before the journey started: NOT_EXECUTED / TOKEN_EXPIRED, -1;
 * 2. [I] a capability that hit TECHNICAL_ERROR: NOT_EXECUTED / TECHNICAL_ERROR, -1;
 * 3. [O] the credentials could not be read — a session that expired, a credential the API
 *    channel had to upload and did not, a usability REJECTED, an extraction NOT_EXECUTED:
 *    REJECTED, 100;
 * 4. [O] any other capability REJECTED: REJECTED, 80;
 * 5. [O] a WARNING of an identity-verification capability (the ID_IV step): WARNING, 40;
 * 6. [O] else PASSED, risk 50 when an advisory check warned (a screening ALERT, imageChecks
 *    REPEATED_FACE; [I] the address and driving-licence checks, their own steps like
 *    screening), else 0; labelled PASSED, or OK where no ID_IV capability ran (10010).
 */
import type { CapabilityName } from '../model/workflow-definitions.js'
import type { Capabilities, CapabilityEntry, WorkflowResult } from './result.js'
import type { DecisionType } from './types.js'

/** [D] a capability's step: ID_IV unless it has its own (jumio-reference §10.3). */
const STEP_OF: Partial<Record<CapabilityName, string>> = {
  watchlistScreening: 'SCREENING',
  addressValidation: 'ADDRESS_VERIFICATION',
  proofOfResidency: 'ADDRESS_VERIFICATION',
  drivingLicenseVerification: 'DL_VERIFICATION',
  braCpfValidation: 'BRA_CPF_VALIDATION',
}

/** The step a capability's entries are grouped under. */
export function stepOf(name: CapabilityName): string {
  return STEP_OF[name] ?? 'ID_IV'
}

/**
 * [O] each type's risk score where the type alone sets it: WARNING 40 in every WARNING capture,
 * REJECTED 100 where the credentials could not be read; [D] NOT_EXECUTED -1 (jumio-reference §10.2).
 */
export const SCORES: Record<DecisionType, number> = {
  PASSED: 0,
  WARNING: 40,
  REJECTED: 100,
  NOT_EXECUTED: -1,
}

/** What the roll-up reads besides the capabilities. */
export interface RollUpContext {
  expired?: 'TOKEN_EXPIRED' | 'SESSION_EXPIRED' | undefined
  /** A credential the API channel had to upload was not complete. */
  missingUpload: boolean
}

/** The top-level decision of `capabilities` (rules 1–6 above). */
export function rollUp(
  capabilities: Capabilities | Record<string, CapabilityEntry[]>,
  context: RollUpContext,
): WorkflowResult['decision'] {
  const byName = Object.entries(capabilities) as [CapabilityName, CapabilityEntry[]][]
  const all = byName.flatMap(([name, entries]) => entries.map((entry) => ({ name, entry })))
  const is = (type: DecisionType, name?: CapabilityName) =>
    all.some((x) => x.entry.decision.type === type && (name === undefined || x.name === name))
  if (context.expired === 'TOKEN_EXPIRED') return decision('NOT_EXECUTED', 'TOKEN_EXPIRED')
  if (all.some((x) => x.entry.decision.details.label === 'TECHNICAL_ERROR'))
    return decision('NOT_EXECUTED', 'TECHNICAL_ERROR')
  const unread =
    context.expired === 'SESSION_EXPIRED' ||
    context.missingUpload ||
    is('REJECTED', 'usability') ||
    is('NOT_EXECUTED', 'extraction')
  if (unread) return decision('REJECTED', 'REJECTED', 100)
  if (is('REJECTED')) return decision('REJECTED', 'REJECTED', 80)
  const warnings = all.filter((x) => x.entry.decision.type === 'WARNING')
  if (warnings.some((x) => !advisory(x.name, x.entry))) return decision('WARNING')
  const identityVerification = byName.some(([name]) => stepOf(name) === 'ID_IV')
  return decision('PASSED', identityVerification ? 'PASSED' : 'OK', warnings.length > 0 ? 50 : 0)
}

/** A warning that raises the risk but not the decision: screening and the other own-step checks. */
function advisory(name: CapabilityName, entry: CapabilityEntry): boolean {
  return (
    stepOf(name) !== 'ID_IV' ||
    (name === 'imageChecks' && entry.decision.details.label === 'REPEATED_FACE')
  )
}

/** A top-level decision; the label defaults to the type, the score to the type's. */
export function decision(
  type: DecisionType,
  label: string = type,
  score = SCORES[type],
): WorkflowResult['decision'] {
  return { type, details: { label }, risk: { score } }
}
