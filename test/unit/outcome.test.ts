/**
 * Outcome derivation without a server: a rejected or not-executed capability makes the ones
 * after it on its dependency chains NOT_EXECUTED / PRECONDITION_NOT_FULFILLED, and leaves the
 * others alone ([D] jumio-reference §11); a missing upload is NOT_UPLOADED.
 */
import { describe, expect, it } from 'vitest'
import { buildResult } from '../../src/scenarios/outcome.js'
import type { OutcomeCredential } from '../../src/scenarios/outcome.js'
import type { CapabilityOutcome, Scenario } from '../../src/scenarios/types.js'
import { DefinitionCatalogue } from '../../src/model/workflow-definitions.js'

const definition = new DefinitionCatalogue().get('10013')
if (!definition) throw new Error('10013 is built in')

/** The 10013 credentials, with their required parts uploaded unless `missing` names them. */
function credentials(missing: string[] = []): OutcomeCredential[] {
  return (definition?.credentials ?? []).map((c, i) => ({
    id: `cred-${String(i)}`,
    category: c.category,
    classifiers: c.classifiers,
    required: c.required,
    uploaded: c.required.filter((p) => !missing.includes(p)),
  }))
}

/** `capability → decision type` of a result, the first entry of each. */
function typesOf(capabilities: Scenario['capabilities'], missing: string[] = []) {
  let n = 0
  const result = buildResult({
    definition: definition as NonNullable<typeof definition>,
    credentials: credentials(missing),
    scenario: { name: 't', description: 't', ...(capabilities && { capabilities }) },
    seed: 'seed',
    now: Date.UTC(2026, 0, 1),
    newId: () => `id-${String(n++)}`,
    facemapHref: (id) => `http://mock/${id}`,
  })
  return Object.fromEntries(
    Object.entries(result.capabilities).map(([name, entries]) => [
      name,
      `${entries[0]?.decision.type ?? '-'}/${entries[0]?.decision.details.label ?? '-'}`,
    ]),
  )
}

const BLOCKED = 'NOT_EXECUTED/PRECONDITION_NOT_FULFILLED'
/** [O] screening after an ID that could not be read says why (examples: usability rejections). */
const blockedAs = (name: string) =>
  name === 'watchlistScreening' ? 'NOT_EXECUTED/VALIDATION_FAILED' : BLOCKED
const rejected = (label: string): CapabilityOutcome => ({ type: 'REJECTED', label })

describe('outcome derivation along the dependency chains of 10013', () => {
  it('passes everything when nothing is forced', () => {
    const types = typesOf(undefined)
    expect(Object.values(types).every((t) => t.startsWith('PASSED/'))).toBe(true)
  })

  it.each<[string, CapabilityOutcome, string, string[], string[]]>([
    [
      'imageChecks',
      rejected('MANIPULATED_DOCUMENT'),
      'imageChecks',
      ['extraction', 'dataChecks', 'watchlistScreening', 'addressValidation', 'proofOfResidency'],
      ['liveness', 'similarity'],
    ],
    [
      'extraction',
      { type: 'NOT_EXECUTED', label: 'TECHNICAL_ERROR' },
      'extraction',
      ['dataChecks', 'watchlistScreening', 'addressValidation', 'proofOfResidency'],
      ['imageChecks', 'liveness', 'similarity'],
    ],
    [
      'liveness',
      rejected('LIVENESS_UNDETERMINED'),
      'liveness',
      [],
      ['imageChecks', 'extraction', 'dataChecks', 'similarity'],
    ],
    [
      'similarity',
      rejected('NO_MATCH'),
      'similarity',
      [],
      ['imageChecks', 'extraction', 'liveness'],
    ],
    [
      'dataChecks',
      rejected('MISMATCHING_DATAPOINTS'),
      'dataChecks',
      [],
      ['extraction', 'watchlistScreening', 'similarity'],
    ],
  ])(
    'a forced %s result blocks exactly the capabilities after it',
    (name, outcome, at, blocked, untouched) => {
      const types = typesOf({ [name]: outcome })
      expect(types[at]).toBe(`${outcome.type}/${outcome.label}`)
      for (const b of blocked) expect(types[b], b).toBe(blockedAs(b))
      for (const u of untouched) expect(types[u], u).toMatch(/^PASSED\//)
    },
  )

  it('a missing required part: usability NOT_UPLOADED, the rest of its chains blocked', () => {
    const types = typesOf(undefined, ['FACE'])
    expect(types['liveness']).toBe(BLOCKED)
    expect(types['similarity']).toBe(BLOCKED)
    expect(types['extraction']).toMatch(/^PASSED\//)
  })
})
