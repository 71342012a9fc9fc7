/**
 * @module Jumio's hosted Mock Service directive: a JSON object in customerInternalReference with
 * `decisionLabel`, `credentialWithDecision` and `extractionOverrides` ([D] jumio-reference §21),
 * turned into a scenario. The label is mapped onto the capability that owns it (jumio-reference §11);
 * its dependants follow along the chains like any other rejected capability.
 */
import type { MockDirective } from '../model/mock-directive.js'
import type { CapabilityName, Category } from '../model/workflow-definitions.js'
import { ownersOf } from './labels.js'
import type { Scenario } from './types.js'

/** [I] which credential categories each capability mainly judges, to pick among a label's owners. */
const JUDGES: Partial<Record<CapabilityName, Category[]>> = {
  liveness: ['SELFIE', 'FACEMAP'],
  similarity: ['SELFIE'],
  authentication: ['SELFIE', 'FACEMAP'],
  imageChecks: ['ID', 'DOCUMENT'],
  extraction: ['ID', 'DOCUMENT'],
  dataChecks: ['ID'],
  watchlistScreening: ['ID', 'DATA'],
  biometricVerification: ['SELFIE'],
}

/** The scenario a directive asks for, built over `base`; null when it names no known label. */
export function directiveScenario(directive: MockDirective, base: Scenario): Scenario | null {
  const label = directive.decisionLabel
  if (!label) return null
  const category = directive.credentialWithDecision as Category | undefined
  const owners = ownersOf(label).filter(
    (o) => o.capability !== 'usability' || o.type !== 'NOT_EXECUTED',
  )
  const owner =
    owners.find((o) => category !== undefined && JUDGES[o.capability]?.includes(category)) ??
    owners.find((o) => o.capability === 'usability' && category !== undefined) ??
    owners[0]
  if (!owner) return null
  if (owner.type === 'PASSED')
    return { ...base, name: `mock-service:${label}`, description: 'Jumio Mock Service directive' }
  const outcome = {
    type: owner.type,
    label,
    ...(owner.capability === 'usability' && category !== undefined && { category }),
  }
  return {
    ...base,
    name: `mock-service:${label}`,
    description: `Jumio Mock Service directive: ${owner.capability} ${owner.type} / ${label}`,
    capabilities: { ...base.capabilities, [owner.capability]: outcome },
  }
}
