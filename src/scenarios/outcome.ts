/**
 * @module The results of a processed workflow execution: capabilities built along the
 * definition's dependency chains, one usability entry per credential, the scenario's forced
 * results applied, and dependants of a rejected or not-executed capability NOT_EXECUTED /
 * PRECONDITION_NOT_FULFILLED ([D] jumio-reference §9.2, §11). The top-level decision rolls up as the
 * captures show (roll-up.ts).
 */
import type {
  CapabilityName,
  CapabilitySpec,
  Category,
  WorkflowDefinition,
} from '../model/workflow-definitions.js'
import { extractionData, livenessData, personOf, watchlistData } from './extraction.js'
import type { ExtractionHints } from './extraction.js'
import { ageOn } from './person.js'
import type { Capabilities, CapabilityEntry, Decision, Step, WorkflowResult } from './result.js'
import { decision, rollUp, stepOf } from './roll-up.js'
import type { CapabilityOutcome, DecisionType, Scenario } from './types.js'

export type { CapabilityEntry, Decision, Step, WorkflowResult } from './result.js'

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

/** The person and document of the workflow execution, built once for every capability. */
interface Profile {
  /** `extraction.data` of the ID or DOCUMENT credential, if there is one. */
  extraction?: Record<string, unknown>
  /** The person's age on the day of processing. */
  age: number
}

const PASS_LABEL: Partial<Record<CapabilityName, string>> = { similarity: 'MATCH' }
const USABLE: DecisionType[] = ['PASSED', 'WARNING']
// [O] a document of a type or country that cannot be processed stops its own chain (imageChecks,
// extraction and after) but not similarity or liveness (examples: unsupported-document)
const UNPROCESSABLE = ['UNSUPPORTED_DOCUMENT_TYPE', 'UNSUPPORTED_COUNTRY']

/** Builds the capabilities, the top-level decision and the steps. */
export function buildResult(input: OutcomeInput): WorkflowResult {
  const capabilities: Capabilities = {}
  const usabilityOf = new Map<Category, CapabilityEntry>()
  const profile = profileOf(input)
  for (const spec of input.definition.capabilities) {
    if (spec.name === 'usability') {
      capabilities.usability = usabilityEntries(input, spec, usabilityOf)
      continue
    }
    if (!applies(spec, profile)) continue
    const entry = capabilityEntry(input, spec, capabilities, usabilityOf)
    if (entry) {
      addData(input, spec, entry, profile)
      ;(capabilities[spec.name] ??= []).push(entry)
    }
  }
  return {
    decision: topDecision(input, capabilities),
    capabilities,
    steps: steps(input, capabilities),
  }
}

function profileOf(input: OutcomeInput): Profile {
  const doc = input.credentials.find((c) => c.category === 'ID' || c.category === 'DOCUMENT')
  const hints: ExtractionHints = {
    category: doc?.category ?? 'ID',
    country: doc?.country,
    documentType: doc?.documentType,
    preparedData: input.credentials.find((c) => c.category === 'DATA')?.preparedData,
    overrides: { ...input.scenario.extraction, ...input.extractionOverrides },
  }
  const extraction = doc ? extractionData(input.seed, input.now, hints) : undefined
  const given = extraction?.['dateOfBirth']
  const born =
    typeof given === 'string' ? given : personOf(input.seed, input.now, hints).dateOfBirth
  const age = ageOn(born, input.now)
  return { ...(extraction && { extraction }), age: Number.isFinite(age) ? age : 35 }
}

/** [I] drivingLicenseVerification checks a driving licence: it has no entry for other IDs. */
function applies(spec: CapabilitySpec, profile: Profile): boolean {
  if (spec.name !== 'drivingLicenseVerification' || !spec.credentials.includes('ID')) return true
  return profile.extraction?.['type'] === 'DRIVING_LICENSE'
}

function usabilityEntries(
  input: OutcomeInput,
  spec: CapabilitySpec,
  byCategory: Map<Category, CapabilityEntry>,
) {
  const entries: CapabilityEntry[] = []
  for (const c of input.credentials.filter((c) => spec.credentials.includes(c.category))) {
    const decision = complete(input, c)
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
  done: Capabilities,
  usabilityOf: Map<Category, CapabilityEntry>,
): CapabilityEntry | null {
  const credentials = input.credentials.filter((c) => spec.credentials.includes(c.category))
  if (credentials.length === 0) return null
  const entry: CapabilityEntry = {
    id: input.newId(),
    credentials: credentials.map(ref),
    decision: forced(input.scenario, spec.name) ?? pass(spec.name),
  }
  if (blocked(input, spec, done, usabilityOf))
    entry.decision = notExecuted(blockedLabel(input, spec))
  return entry
}

/**
 * [O] a screening whose ID was uploaded but could not be read is VALIDATION_FAILED; one with
 * nothing uploaded PRECONDITION_NOT_FULFILLED, like every other dependant (examples:
 * unsupported-document, usability-missing-signature, session-expired).
 */
function blockedLabel(input: OutcomeInput, spec: CapabilitySpec): string {
  const uploaded = input.credentials
    .filter((c) => spec.requires.includes(c.category))
    .every((c) => c.classifiers.length > 0 && complete(input, c))
  return spec.name === 'watchlistScreening' && spec.after !== null && uploaded
    ? 'VALIDATION_FAILED'
    : 'PRECONDITION_NOT_FULFILLED'
}

function blocked(
  input: OutcomeInput,
  spec: CapabilitySpec,
  done: Capabilities,
  usabilityOf: Map<Category, CapabilityEntry>,
): boolean {
  if (spec.after === null) {
    const needed = input.credentials.filter((c) => spec.requires.includes(c.category))
    return needed.some((c) => !partsUploaded(input, c))
  }
  if (spec.after === 'usability') {
    return spec.requires.some((category) => {
      const u = usabilityOf.get(category)?.decision
      if (!u || !USABLE.includes(u.type)) return true
      return spec.name === 'imageChecks' && UNPROCESSABLE.includes(u.details.label)
    })
  }
  const parent = done[spec.after]?.[0]
  return !parent || !USABLE.includes(parent.decision.type)
}

function addData(
  input: OutcomeInput,
  spec: CapabilitySpec,
  entry: CapabilityEntry,
  profile: Profile,
) {
  const { type, details } = entry.decision
  if (type === 'NOT_EXECUTED') {
    // [O] empty data objects on NOT_EXECUTED entries (examples README, quirk 15)
    if (['extraction', 'similarity', 'watchlistScreening'].includes(spec.name)) entry.data = {}
    return
  }
  if (spec.name === 'extraction' && profile.extraction) {
    entry.data = profile.extraction
  } else if (spec.name === 'liveness') {
    const facemap = input.credentials.find((c) => c.category === 'FACEMAP')
    entry.data = livenessData(input.seed, profile.age, facemap?.documentType)
    // [O] only a FACEMAP that was captured can be authenticated against: a liveness whose
    // FACEMAP has no parts has no href (examples: liveness-bad-quality), so no href answers 404
    if (facemap?.uploaded.includes('FACEMAP') && type === 'PASSED')
      entry.validFaceMapForAuthentication = input.facemapHref(facemap.id)
  } else if (spec.name === 'similarity') {
    // [D] data.similarity is MATCH | NOT_MATCH | NOT_POSSIBLE (jumio-reference §11)
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

function topDecision(input: OutcomeInput, capabilities: Capabilities): WorkflowResult['decision'] {
  const fixed = input.scenario.decision
  if (fixed && !input.expired) return decision(fixed.type, fixed.label ?? fixed.type, fixed.score)
  // [O] a credential the API channel had to upload but did not (examples: session-expired)
  const missingUpload = input.credentials.some(
    (c) => c.classifiers.length > 0 && !complete(input, c),
  )
  return rollUp(capabilities, { expired: input.expired, missingUpload })
}

/** [I] a step is REJECTED or WARNING if any of its capabilities is, NOT_EXECUTED only if none ran. */
function stepType(types: DecisionType[]): DecisionType {
  if (types.includes('REJECTED')) return 'REJECTED'
  if (types.includes('WARNING')) return 'WARNING'
  return types.every((t) => t === 'NOT_EXECUTED') ? 'NOT_EXECUTED' : 'PASSED'
}

function steps(input: OutcomeInput, capabilities: Capabilities): Step[] {
  const byName = new Map<string, CapabilityEntry[]>()
  for (const [name, entries] of Object.entries(capabilities) as [
    CapabilityName,
    CapabilityEntry[],
  ][]) {
    const step = stepOf(name)
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

/** Every required part of the credential uploaded (nothing counts once expired). */
function partsUploaded(input: OutcomeInput, c: OutcomeCredential): boolean {
  return !input.expired && c.required.every((p) => c.uploaded.includes(p))
}

/** Uploadable through the API, and uploaded. */
function complete(input: OutcomeInput, c: OutcomeCredential): boolean {
  return c.classifiers.length > 0 && partsUploaded(input, c)
}
