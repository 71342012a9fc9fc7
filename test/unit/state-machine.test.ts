/**
 * The workflow life cycle's next step, table-driven and without a server: which transition is
 * due next from each status, and when (jumio-reference §18).
 */
import { describe, expect, it } from 'vitest'
import { nextTransition } from '../../src/server/domain/workflows.js'
import type { WorkflowExecution } from '../../src/server/state/models.js'

type Fields = Parameters<typeof nextTransition>[0]

const T = 1_000_000
const BASE: Fields = {
  status: 'INITIATED',
  scenario: { name: 'approved' } as WorkflowExecution['scenario'],
  statusReads: 0,
  createdAt: T,
  processingDelayMs: 1000,
  tokenExpiresAt: T + 30 * 60_000,
  sessionTimeoutMs: 15 * 60_000,
}
const reads = (n: number) =>
  ({ name: 'slow', timing: { processAfterStatusReads: n } }) as WorkflowExecution['scenario']

describe('the next transition of a workflow execution', () => {
  it.each<[string, Partial<Fields>, ReturnType<typeof nextTransition>]>([
    [
      'INITIATED, nothing uploaded: the token expires',
      {},
      { status: 'TOKEN_EXPIRED', at: T + 1_800_000 },
    ],
    [
      'INITIATED, a first upload: the session expires after its timeout',
      { startedAt: T + 5000 },
      { status: 'SESSION_EXPIRED', at: T + 5000 + 900_000 },
    ],
    [
      'INITIATED, a later upload: the timeout runs from the last activity',
      { startedAt: T + 5000, lastActivityAt: T + 60_000 },
      { status: 'SESSION_EXPIRED', at: T + 60_000 + 900_000 },
    ],
    [
      'ACQUIRED: processed after the processing delay from finalize',
      { status: 'ACQUIRED', acquiredAt: T + 70_000 },
      { status: 'PROCESSED', at: T + 71_000 },
    ],
    [
      'ACQUIRED without a finalize time: the delay runs from creation',
      { status: 'ACQUIRED' },
      { status: 'PROCESSED', at: T + 1000 },
    ],
    [
      'ACQUIRED, the scenario waits for 3 status reads and saw 2: nothing is due',
      { status: 'ACQUIRED', acquiredAt: T, scenario: reads(3), statusReads: 2 },
      null,
    ],
    [
      'ACQUIRED, the scenario waits for 3 status reads and saw 3: processed',
      { status: 'ACQUIRED', acquiredAt: T, scenario: reads(3), statusReads: 3 },
      { status: 'PROCESSED', at: T + 1000 },
    ],
    ['PROCESSED: terminal', { status: 'PROCESSED' }, null],
    ['TOKEN_EXPIRED: terminal', { status: 'TOKEN_EXPIRED' }, null],
    ['SESSION_EXPIRED: terminal', { status: 'SESSION_EXPIRED', startedAt: T }, null],
  ])('%s', (_, fields, expected) => {
    expect(nextTransition({ ...BASE, ...fields })).toEqual(expected)
  })
})
