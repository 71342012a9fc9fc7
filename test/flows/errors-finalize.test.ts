import { describe, expect, it } from 'vitest'
import { samplePng } from '../../src/samples/images.js'
import {
  accessToken,
  createAccount,
  credentialOf,
  decisionsOf,
  finalize,
  txTokenOf,
  useClient,
  workflowPath,
} from '../helpers/jumio.js'
import type { Details } from '../helpers/jumio.js'
import { expectProblem } from '../helpers/expect.js'
import { startHttpMock, useHttpMock } from '../helpers/http-mock.js'
import { expectNoResponseViolations } from '../helpers/server.js'

const s = useHttpMock()
const jumio = useClient(s)

const create = (key: number, extra: Record<string, unknown> = {}) =>
  jumio.create({
    customerInternalReference: 'fin',
    workflowDefinition: { key },
    ...extra,
  })

describe('finalize: PUT .../workflow-executions/{id} with the transaction token', () => {
  it('answers a second finalize with 403', async () => {
    const w = await create(10011)
    await jumio.finalize(w).expect(200)
    const res = await jumio.finalize(w)
    expectProblem(
      res,
      403,
      `Workflow execution ${w.workflowExecution.id} is already finalized (PROCESSED)`,
    )
  })

  it('answers a second finalize while still ACQUIRED with 403', async () => {
    const slow = await startHttpMock(['--processing-delay', '10s'])
    try {
      const w = await createAccount(slow, await accessToken(slow), {
        customerInternalReference: 'fin',
        workflowDefinition: { key: 10011 },
      })
      await finalize(slow, w).expect(200)
      expectProblem(await finalize(slow, w), 403, 'is already finalized (ACQUIRED)')
      expectNoResponseViolations(slow)
    } finally {
      await slow.close()
    }
  })

  it.each([
    ['no body', undefined],
    ['an empty JSON object', {}],
  ])('accepts %s', async (_, body) => {
    const w = await create(10011)
    const req = jumio.finalize(w)
    const res = await (body === undefined ? req : req.send(body)).expect(200)
    expect(Object.keys(res.body as object)).toEqual(['timestamp', 'account', 'workflowExecution'])
  })

  it("accepts the tiny multipart form of Jumio's raw example and ignores any other body", async () => {
    const w = await create(10011)
    await jumio.finalize(w).field('finalize', 'true').expect(200)
    const v = await create(10011)
    await jumio.finalize(v).type('json').send('{not json').expect(200)
  })

  it.each([
    ['no token', () => '', 401, 'Missing bearer token'],
    [
      'the OAuth2 access token',
      () => `Bearer ${jumio.token}`,
      401,
      'An OAuth2 access token is not accepted here',
    ],
    ['a garbled token', () => 'Bearer a.b.c', 401, 'Authorization token is invalid'],
  ])('refuses finalize with %s', async (_, auth, status, detail) => {
    const w = await create(10011)
    const res = await jumio.finalize(w).set('Authorization', auth())
    expectProblem(res, status, detail)
  })

  it("refuses another workflow execution's token with 403", async () => {
    const [w, v] = [await create(10011), await create(10011)]
    expectProblem(
      await jumio.finalize(w, txTokenOf(v)),
      403,
      'not valid for this account and workflow execution',
    )
  })

  it('answers finalize of a deleted workflow execution with 404', async () => {
    const w = await create(10011)
    await s.http.delete(workflowPath(w)).set('Authorization', `Bearer ${jumio.token}`).expect(200)
    expectProblem(
      await jumio.finalize(w),
      404,
      `Workflow execution ${w.workflowExecution.id} not found`,
    )
  })

  it('accepts finalize with no parts: usability NOT_UPLOADED, dependants PRECONDITION_NOT_FULFILLED, REJECTED', async () => {
    const w = await create(10011)
    await jumio.finalize(w).expect(200)
    const details = (await jumio.retrieve(workflowPath(w)).expect(200)).body as Details
    expect(details.workflow['status']).toBe('PROCESSED')
    expect(details.decision).toEqual({
      type: 'REJECTED',
      details: { label: 'REJECTED' },
      risk: { score: 100 },
    })
    expect(decisionsOf(details, 'usability')).toEqual([
      ['ID', 'NOT_EXECUTED', 'NOT_UPLOADED'],
      ['SELFIE', 'NOT_EXECUTED', 'NOT_UPLOADED'],
      ['FACEMAP', 'NOT_EXECUTED', 'NOT_UPLOADED'],
    ])
    for (const name of ['imageChecks', 'extraction', 'dataChecks', 'liveness', 'similarity']) {
      expect(decisionsOf(details, name).map(([, type, label]) => [type, label])).toEqual([
        ['NOT_EXECUTED', 'PRECONDITION_NOT_FULFILLED'],
      ])
    }
    expect(details.credentials.every((c) => c.parts === undefined)).toBe(true)
  })

  it('accepts finalize with only the ID: the selfie branch is not executed, the ID branch passes', async () => {
    const w = await create(10011)
    const front = credentialOf(w, 'ID').api?.parts['front'] ?? ''
    await jumio.upload(front, txTokenOf(w), samplePng(800, 500)).expect(200)
    await jumio.finalize(w).expect(200)
    const details = (await jumio.retrieve(workflowPath(w)).expect(200)).body as Details
    expect(details.decision.type).toBe('REJECTED')
    expect(decisionsOf(details, 'usability')).toEqual([
      ['ID', 'PASSED', 'OK'],
      ['SELFIE', 'NOT_EXECUTED', 'NOT_UPLOADED'],
      ['FACEMAP', 'NOT_EXECUTED', 'NOT_UPLOADED'],
    ])
    expect(decisionsOf(details, 'extraction')).toEqual([['ID', 'PASSED', 'OK']])
    expect(decisionsOf(details, 'liveness')).toEqual([
      ['SELFIE+FACEMAP', 'NOT_EXECUTED', 'PRECONDITION_NOT_FULFILLED'],
    ])
    expect(decisionsOf(details, 'similarity')).toEqual([
      ['ID+SELFIE', 'NOT_EXECUTED', 'PRECONDITION_NOT_FULFILLED'],
    ])
  })

  it('accepts finalize of a DATA workflow without prepared data: the screening is not executed', async () => {
    const w = await create(10010, { userReference: 'u' })
    await jumio.finalize(w).expect(200)
    const details = (await jumio.retrieve(workflowPath(w)).expect(200)).body as Details
    expect(decisionsOf(details, 'watchlistScreening')).toEqual([
      ['DATA', 'NOT_EXECUTED', 'PRECONDITION_NOT_FULFILLED'],
    ])
    expect(details.decision).toEqual({
      type: 'REJECTED',
      details: { label: 'REJECTED' },
      risk: { score: 100 },
    })
  })
})
