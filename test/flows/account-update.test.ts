import { describe, expect, it } from 'vitest'
import { samplePng } from '../../src/samples/images.js'
import {
  credentialOf,
  retrieve,
  transactionClaims,
  txTokenOf,
  useClient,
  USER_AGENT,
  workflowPath,
} from '../helpers/jumio.js'
import type { Created, Details } from '../helpers/jumio.js'
import { expectProblem } from '../helpers/expect.js'
import { advanceClock } from '../helpers/flow.js'
import { useHttpMock } from '../helpers/http-mock.js'
import { T0 } from '../helpers/server.js'

const s = useHttpMock()
const jumio = useClient(s)

const body = (ref: string, key: number) => ({
  customerInternalReference: ref,
  workflowDefinition: { key },
})

describe('account update: PUT starts a second workflow execution on the same account', () => {
  let first: Created
  let second: Created
  const partPaths: string[] = []

  it('answers PUT on an unknown account with 404', async () => {
    const res = await s.http
      .put('/api/v1/accounts/3b1e5a52-0000-4000-a000-000000000000')
      .set('Authorization', `Bearer ${jumio.token}`)
      .set('User-Agent', USER_AGENT)
      .send(body('update-0', 10011))
    expectProblem(res, 404, 'Account 3b1e5a52-0000-4000-a000-000000000000 not found')
  })

  it('creates a second workflow execution with its own token on the same account', async () => {
    first = await jumio.create(body('first', 10011))
    await advanceClock(s, 1000)
    second = await jumio.create(body('second', 2), first.account.id)
    expect(second.account.id).toBe(first.account.id)
    expect(second.workflowExecution.id).not.toBe(first.workflowExecution.id)
    expect(second.timestamp).toBe('2026-01-01T00:00:01.000Z')
    expect(second.workflowExecution.credentials.map((c) => c.category)).toEqual(['ID'])
    const [a, b] = [txTokenOf(first), txTokenOf(second)]
    expect(b).not.toBe(a)
    expect(transactionClaims(b)).toMatchObject({
      accId: first.account.id,
      wfeId: second.workflowExecution.id,
      cRef: 'second',
      exAt: String(T0 + 1000 + 30 * 60_000),
    })
  })

  it('scopes each token to its own workflow execution', async () => {
    const front = credentialOf(second, 'ID').api?.parts['front'] ?? ''
    const res = await jumio.upload(front, txTokenOf(first), samplePng(800, 500))
    expectProblem(res, 403, 'not valid for this account and workflow execution')
  })

  it('keeps both workflow executions retrievable, each with its own definition', async () => {
    const png = samplePng(800, 500)
    for (const created of [first, second]) {
      const id = credentialOf(created, 'ID')
      await jumio.upload(id.api?.parts['front'] ?? '', txTokenOf(created), png).expect(200)
      await jumio.finalize(created).expect(200)
      partPaths.push(`/api/v1/accounts/${created.account.id}/credentials/${id.id}/parts/FRONT`)
    }
    const keys = []
    for (const created of [first, second]) {
      const res = await jumio.retrieve(workflowPath(created)).expect(200)
      const details = res.body as Details
      expect(details.account.id).toBe(first.account.id)
      keys.push([details.workflow['definitionKey'], details.workflow['customerInternalReference']])
      await retrieve(
        s,
        jumio.token,
        `/api/v1/workflow-executions/${created.workflowExecution.id}`,
      ).expect(200)
    }
    expect(keys).toEqual([
      ['10011', 'first'],
      ['2', 'second'],
    ])
    for (const path of partPaths) await jumio.retrieve(path).expect(200)
  })

  it('deletes the account: 200, then 404 for both workflow executions and their parts', async () => {
    const del = await s.http
      .delete(`/api/v1/accounts/${first.account.id}`)
      .set('Authorization', `Bearer ${jumio.token}`)
      .set('User-Agent', USER_AGENT)
      .expect(200)
    expect(del.text).toBe('')
    for (const created of [first, second]) {
      for (const suffix of ['', '/status', '/steps']) {
        const res = await jumio.retrieve(`${workflowPath(created)}${suffix}`)
        expectProblem(res, 404, created.workflowExecution.id)
      }
      const byId = `/api/v1/workflow-executions/${created.workflowExecution.id}`
      expectProblem(await jumio.retrieve(byId), 404, created.workflowExecution.id)
    }
    for (const path of partPaths) {
      expectProblem(await jumio.retrieve(path), 404, first.account.id)
    }
  })

  it('answers a second DELETE and a PUT on the deleted account with 404', async () => {
    const again = await s.http
      .delete(`/api/v1/accounts/${first.account.id}`)
      .set('Authorization', `Bearer ${jumio.token}`)
    expectProblem(again, 404, `Account ${first.account.id} not found`)
    const put = await s.http
      .put(`/api/v1/accounts/${first.account.id}`)
      .set('Authorization', `Bearer ${jumio.token}`)
      .send(body('third', 10011))
    expectProblem(put, 404, `Account ${first.account.id} not found`)
  })
})
