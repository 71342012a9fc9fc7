/**
 * @module The results of a processed workflow execution: capabilities built along the
 * definition's dependency chains, one usability entry per credential, the scenario's forced
 * results applied, and dependants of a rejected or not-executed capability NOT_EXECUTED /
 * PRECONDITION_NOT_FULFILLED ([D] REFERENCE §9.2, §11).
 */
import type {
  CapabilityName,
  CapabilitySpec,
  Category,
  WorkflowDefinition,
} from '../server/domain/workflow-definitions.js'
import { extractionData, livenessData, watchlistData } from './extraction.js'
import type { CapabilityOutcome, DecisionType, Scenario } from './types.js'

/** A decision as retrieval shows it. */
export interface Decision {
  type: DecisionType
  details: { label: string }
  risk?: { score: number }
}

/** One entry of a capability array ([D] REFERENCE §11 common entry shape). */
export interface CapabilityEntry {
  id: string
  credentials: { id: string; category: string }[]
  decision: Decision
  data?: Record<string, unknown>
  validFaceMapForAuthentication?: string
}

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
  capabilities: Partial<Record<CapabilityName, CapabilityEntry[]>>
  steps: Step[]
}

/** A credential as the outcome sees it. */
export interface OutcomeCredential {
  id: string
  category: Category
  classifiers: string[]
  required: string[]
  uploaded: string[]
  country?: string | undefined
  documentType?: string | undefined
  preparedData?: Record<string, unknown> | undefined
}

/** Everything the outcome depends on; same input, same result. */
export interface OutcomeInput {
  definition: WorkflowDefinition
  credentials: OutcomeCredential[]
  scenario: Scenario
  seed: string
  now: number
  newId: () => string
  /** Where a credential's FACEMAP can be fetched (liveness' validFaceMapForAuthentication). */
  facemapHref: (credentialId: string) => string
  extractionOverrides?: Record<string, unknown> | undefined
  /** Set for expired workflow executions: nothing counts as uploaded. */
  expired?: 'TOKEN_EXPIRED' | 'SESSION_EXPIRED'
}

const PASS_LABEL: Partial<Record<CapabilityName, string>> = { similarity: 'MATCH' }
const USABLE: DecisionType[] = ['PASSED', 'WARNING']
const STEP_OF: Partial<Record<CapabilityName, string>> = {
  watchlistScreening: 'SCREENING',
  addressValidation: 'ADDRESS_VERIFICATION',
  proofOfResidency: 'ADDRESS_VERIFICATION',
  drivingLicenseVerification: 'DL_VERIFICATION',
  braCpfValidation: 'BRA_CPF_VALIDATION',
}

/** Builds the capabilities, the top-level decision and the steps. */
export function buildResult(input: OutcomeInput): WorkflowResult {
  const capabilities: Partial<Record<CapabilityName, CapabilityEntry[]>> = {}
  const usabilityOf = new Map<Category, CapabilityEntry>()
  for (const spec of input.definition.capabilities) {
    if (spec.name === 'usability') {
      capabilities.usability = usabilityEntries(input, spec, usabilityOf)
      continue
    }
    const entry = capabilityEntry(input, spec, capabilities, usabilityOf)
    if (entry) (capabilities[spec.name] ??= []).push(entry)
  }
  return {
    decision: topDecision(input, capabilities),
    capabilities,
    steps: steps(input, capabilities),
  }
}

function usabilityEntries(
  input: OutcomeInput,
  spec: CapabilitySpec,
  byCategory: Map<Category, CapabilityEntry>,
) {
  const entries: CapabilityEntry[] = []
  for (const c of input.credentials.filter((c) => spec.credentials.includes(c.category))) {
    const complete = c.classifiers.length > 0 && c.required.every((p) => isUploaded(input, c, p))
    const decision = complete
      ? (forced(input.scenario, 'usability', c.category) ?? pass('usability'))
      : notExecuted('NOT_UPLOADED')
    const entry: CapabilityEntry = { id: input.newId(), credentials: [ref(c)], decision }
    byCategory.set(c.category, entry)
    entries.push(entry)
  }
  return entries
}

function capabilityEntry(
  input: OutcomeInput,
  spec: CapabilitySpec,
  done: Partial<Record<CapabilityName, CapabilityEntry[]>>,
  usabilityOf: Map<Category, CapabilityEntry>,
): CapabilityEntry | null {
  const credentials = input.credentials.filter((c) => spec.credentials.includes(c.category))
  if (credentials.length === 0) return null
  const entry: CapabilityEntry = {
    id: input.newId(),
    credentials: credentials.map(ref),
    decision: pass(spec.name),
  }
  if (blocked(input, spec, done, usabilityOf)) {
    entry.decision = notExecuted('PRECONDITION_NOT_FULFILLED')
    // [O] empty data objects on NOT_EXECUTED entries (examples README, quirk 15)
    if (['extraction', 'similarity', 'watchlistScreening'].includes(spec.name)) entry.data = {}
    return entry
  }
  entry.decision = forced(input.scenario, spec.name) ?? pass(spec.name)
  addData(input, spec, entry, credentials)
  return entry
}

function blocked(
  input: OutcomeInput,
  spec: CapabilitySpec,
  done: Partial<Record<CapabilityName, CapabilityEntry[]>>,
  usabilityOf: Map<Category, CapabilityEntry>,
): boolean {
  if (spec.after === null) {
    const needed = input.credentials.filter((c) => spec.requires.includes(c.category))
    return needed.some((c) => !c.required.every((p) => isUploaded(input, c, p)))
  }
  if (spec.after === 'usability') {
    return spec.requires.some((category) => {
      const u = usabilityOf.get(category)
      return !u || !USABLE.includes(u.decision.type)
    })
  }
  const parent = done[spec.after]?.[0]
  return !parent || !USABLE.includes(parent.decision.type)
}

function addData(
  input: OutcomeInput,
  spec: CapabilitySpec,
  entry: CapabilityEntry,
  credentials: OutcomeCredential[],
) {
  const { type, details } = entry.decision
  const first = credentials[0]
  if (spec.name === 'extraction' && first) {
    const preparedData = input.credentials.find((c) => c.category === 'DATA')?.preparedData
    entry.data = extractionData(input.seed, input.now, {
      category: first.category,
      country: first.country,
      documentType: first.documentType,
      preparedData,
      overrides: { ...input.scenario.extraction, ...input.extractionOverrides },
    })
  } else if (spec.name === 'liveness' && type !== 'NOT_EXECUTED') {
    entry.data = livenessData(input.seed)
    const facemap = input.credentials.find((c) => c.category === 'FACEMAP')
    if (facemap && type === 'PASSED')
      entry.validFaceMapForAuthentication = input.facemapHref(facemap.id)
  } else if (spec.name === 'similarity') {
    // [D] data.similarity is MATCH | NOT_MATCH | NOT_POSSIBLE (REFERENCE §11)
    entry.data = {
      similarity:
        details.label === 'NO_MATCH'
          ? 'NOT_MATCH'
          : details.label === 'NOT_POSSIBLE'
            ? 'NOT_POSSIBLE'
            : 'MATCH',
    }
  } else if (spec.name === 'watchlistScreening') {
    entry.data = watchlistData(input.seed, input.now, details.label === 'ALERT' ? 1 : 0)
  } else if (spec.name === 'imageChecks' && details.label === 'REPEATED_FACE') {
    entry.data = {
      faceSearchFindings: { status: 'DONE', findings: [input.newId(), input.newId()] },
    }
  }
}

function topDecision(
  input: OutcomeInput,
  capabilities: Partial<Record<CapabilityName, CapabilityEntry[]>>,
): WorkflowResult['decision'] {
  if (input.expired) return decision('NOT_EXECUTED', input.expired)
  const fixed = input.scenario.decision
  if (fixed) return decision(fixed.type, fixed.label ?? fixed.type, fixed.score)
  const all = Object.values(capabilities).flat()
  if (all.some((e) => e.decision.details.label === 'TECHNICAL_ERROR'))
    return decision('NOT_EXECUTED', 'TECHNICAL_ERROR')
  // [O] a credential the API channel had to upload but did not: REJECTED (examples: session-expired)
  const missing = input.credentials.some(
    (c) => c.classifiers.length > 0 && !c.required.every((p) => isUploaded(input, c, p)),
  )
  if (missing || all.some((e) => e.decision.type === 'REJECTED')) return decision('REJECTED')
  if (all.some((e) => e.decision.type === 'WARNING')) return decision('WARNING')
  return decision('PASSED')
}

/** [D] scores: PASSED 0–30, WARNING 31–70, REJECTED 71–100, NOT_EXECUTED -1 (REFERENCE §10.2). */
const SCORES: Record<DecisionType, number> = {
  PASSED: 0,
  WARNING: 50,
  REJECTED: 100,
  NOT_EXECUTED: -1,
}

function decision(
  type: DecisionType,
  label: string = type,
  score = SCORES[type],
): WorkflowResult['decision'] {
  return { type, details: { label }, risk: { score } }
}

/** [I] a step is REJECTED or WARNING if any of its capabilities is, NOT_EXECUTED only if none ran. */
function stepType(types: DecisionType[]): DecisionType {
  if (types.includes('REJECTED')) return 'REJECTED'
  if (types.includes('WARNING')) return 'WARNING'
  return types.every((t) => t === 'NOT_EXECUTED') ? 'NOT_EXECUTED' : 'PASSED'
}

function steps(
  input: OutcomeInput,
  capabilities: Partial<Record<CapabilityName, CapabilityEntry[]>>,
): Step[] {
  const byName = new Map<string, CapabilityEntry[]>()
  for (const [name, entries] of Object.entries(capabilities) as [
    CapabilityName,
    CapabilityEntry[],
  ][]) {
    const step = STEP_OF[name] ?? 'ID_IV'
    byName.set(step, [...(byName.get(step) ?? []), ...entries])
  }
  return [...byName].map(([name, entries]) => {
    const worst = stepType(entries.map((e) => e.decision.type))
    return {
      id: input.newId(),
      name,
      capabilityIds: entries.map((e) => e.id),
      decision: { type: worst, details: { label: worst } },
    }
  })
}

function forced(scenario: Scenario, name: CapabilityName, category?: Category): Decision | null {
  const raw = scenario.capabilities?.[name]
  const list: CapabilityOutcome[] = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]
  const hit = list.find((o) => o.category === undefined || o.category === category)
  return hit ? { type: hit.type, details: { label: hit.label } } : null
}

function pass(name: CapabilityName): Decision {
  return { type: 'PASSED', details: { label: PASS_LABEL[name] ?? 'OK' } }
}

function notExecuted(label: string): Decision {
  return { type: 'NOT_EXECUTED', details: { label } }
}

function ref(c: OutcomeCredential) {
  return { id: c.id, category: c.category }
}

function isUploaded(input: OutcomeInput, c: OutcomeCredential, classifier: string): boolean {
  return !input.expired && c.uploaded.includes(classifier)
}
