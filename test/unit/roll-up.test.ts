import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CONTRACTS_DIR } from '../../src/package-files.js'
import type { WorkflowDetails } from '../../src/server/contract/types.js'
import { rollUp } from '../../src/scenarios/roll-up.js'
import { decisionRollsUp } from '../helpers/consistency.js'

// Every retrieval Jumio returned in the golden captures: the roll-up rule is derived from all of
// them, so each must come out as captured.
const DIR = `${CONTRACTS_DIR}examples/`
const captures = readdirSync(DIR)
  .filter((f) => f.startsWith('retrieval-'))
  .map((f) => [f, JSON.parse(readFileSync(`${DIR}${f}`, 'utf8')) as WorkflowDetails] as const)

describe('the top-level decision rolls up as every capture shows', () => {
  it('reads all ten retrieval captures', () => {
    expect(captures).toHaveLength(10)
  })

  it.each(captures)('%s', (_, capture) => {
    const expired = capture.workflow.status === 'SESSION_EXPIRED' ? 'SESSION_EXPIRED' : undefined
    const decision = rollUp(capture.capabilities as Parameters<typeof rollUp>[0], {
      expired,
      missingUpload: false,
    })
    expect(decision).toEqual(capture.decision)
    // the property test's check states the same rule: it must agree with the evidence too
    expect(decisionRollsUp(capture, { requested: {}, origin: '' })).toEqual([])
  })
})
