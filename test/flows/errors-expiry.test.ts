import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { samplePng } from '../../src/samples/images.js'
import {
  accessToken,
  createAccount,
  credentialOf,
  finalize,
  retrieve,
  txTokenOf,
  uploadImage,
  workflowPath,
} from '../helpers/jumio.js'
import type { Created, Details } from '../helpers/jumio.js'
import { expectProblem } from '../helpers/expect.js'
import { advanceClock } from '../helpers/flow.js'
import { startHttpMock } from '../helpers/http-mock.js'
import { expectNoResponseViolations } from '../helpers/server.js'
import type { RunningMock } from '../helpers/server.js'

// Each test moves the clock, so each gets its own server.
let s: RunningMock
let token: string
beforeEach(async () => {
  s = await startHttpMock()
  token = await accessToken(s)
})
afterEach(async () => {
  expectNoResponseViolations(s)
  await s.close()
})

const FRONT = samplePng(800, 500)
const create = (tokenLifetime?: string) =>
  createAccount(s, token, {
    customerInternalReference: 'expiry',
    workflowDefinition: { key: 10011 },
    ...(tokenLifetime === undefined ? {} : { tokenLifetime }),
  })
const front = (w: Created) => credentialOf(w, 'ID').api?.parts['front'] ?? ''
const statusOf = async (w: Created) => {
  const res = await retrieve(s, token, `${workflowPath(w)}/status`).expect(200)
  return (res.body as { workflowExecution: { status: string } }).workflowExecution.status
}

describe('transaction token and session expiry', () => {
  it('accepts an upload one millisecond before the default 30 minutes are over', async () => {
    const w = await create()
    await advanceClock(s, 30 * 60_000 - 1)
    await uploadImage(s, front(w), txTokenOf(w), FRONT).expect(200)
  })

  it('answers an upload after 30 minutes without any upload with 401, and the status is TOKEN_EXPIRED', async () => {
    const w = await create()
    await advanceClock(s, 30 * 60_000)
    const res = await uploadImage(s, front(w), txTokenOf(w), FRONT)
    expectProblem(res, 401, 'Authorization token has expired (TOKEN_EXPIRED)')
    expect(await statusOf(w)).toBe('TOKEN_EXPIRED')
    const details = (await retrieve(s, token, workflowPath(w)).expect(200)).body as Details
    expect(details.decision).toEqual({
      type: 'NOT_EXECUTED',
      details: { label: 'TOKEN_EXPIRED' },
      risk: { score: -1 },
    })
    expect(details.startedAt).toBeUndefined()
  })

  it('answers finalize with an expired token with 401', async () => {
    const w = await create('5m')
    await advanceClock(s, 5 * 60_000 + 1)
    expectProblem(await finalize(s, w), 401, 'Authorization token has expired (TOKEN_EXPIRED)')
  })

  it('honours a longer tokenLifetime', async () => {
    const w = await create('1d')
    await advanceClock(s, 23 * 3_600_000)
    await uploadImage(s, front(w), txTokenOf(w), FRONT).expect(200)
  })

  it('keeps a started journey open past the token lifetime while uploads continue', async () => {
    const w = await create('5m')
    await uploadImage(s, front(w), txTokenOf(w), FRONT).expect(200)
    await advanceClock(s, 10 * 60_000)
    await uploadImage(s, front(w), txTokenOf(w), FRONT).expect(200)
    await advanceClock(s, 10 * 60_000)
    await finalize(s, w).expect(200)
  })

  it('answers an upload after 15 idle minutes of a started journey with 401 SESSION_EXPIRED', async () => {
    const w = await create()
    await uploadImage(s, front(w), txTokenOf(w), FRONT).expect(200)
    await advanceClock(s, 15 * 60_000)
    const res = await uploadImage(s, front(w), txTokenOf(w), FRONT)
    expectProblem(res, 401, 'Authorization token has expired (SESSION_EXPIRED)')
    expect(await statusOf(w)).toBe('SESSION_EXPIRED')
  })

  it("checks expiry before scope: an expired token on another workflow execution's path is 401", async () => {
    const expired = await create('5m')
    const open = await create('1d')
    await advanceClock(s, 6 * 60_000)
    const res = await uploadImage(s, front(open), txTokenOf(expired), FRONT)
    expectProblem(res, 401, 'expired')
  })
})
