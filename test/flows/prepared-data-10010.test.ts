import { describe, expect, it } from 'vitest'
import {
  credentialOf,
  decisionsOf,
  retrieve,
  uploadJson,
  useClient,
  USER_AGENT,
  workflowPath,
} from '../helpers/jumio.js'
import type { Created, Details } from '../helpers/jumio.js'
import { expectProblem } from '../helpers/expect.js'
import { advanceClock } from '../helpers/flow.js'
import { useHttpMock } from '../helpers/http-mock.js'

const s = useHttpMock(['--processing-delay', '1s'])
const jumio = useClient(s)

const PREPARED = {
  firstName: 'JANE',
  lastName: 'DOE',
  dateOfBirth: '1990-04-12',
  email: 'jane.doe@example.com',
  phoneNumber: '+14155550100',
  address: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'USA' },
  id: { type: 'PASSPORT', idNumber: 'X1234567', expiryDate: '2031-01-31' },
}

describe('workflow 10010 (standalone watchlist screening) with prepared data', () => {
  let created: Created

  it('refuses a 10010 account without userReference', async () => {
    const res = await s.http
      .post('/api/v1/accounts')
      .set('Authorization', `Bearer ${jumio.token}`)
      .set('User-Agent', USER_AGENT)
      .send({ customerInternalReference: 'screen-1', workflowDefinition: { key: 10010 } })
    expectProblem(res, 400, 'userReference is required for workflow definition 10010')
  })

  it('creates a DATA credential with only the API channel and no web or sdk', async () => {
    created = await jumio.create({
      customerInternalReference: 'screen-1',
      userReference: 'user-10010',
      workflowDefinition: { key: 10010 },
    })
    expect(created.web).toBeUndefined()
    expect(created.sdk).toBeUndefined()
    const data = credentialOf(created, 'DATA')
    expect(created.workflowExecution.credentials).toHaveLength(1)
    expect(data.allowedChannels).toEqual(['API'])
    expect(data.api?.parts).toEqual({
      prepared_data: `${s.url}${workflowPath(created)}/credentials/${data.id}/parts/PREPARED_DATA`,
    })
    expect(data.api?.workflowExecution).toBe(`${s.url}${workflowPath(created)}`)
  })

  it('accepts the prepared data as JSON and echoes the same token', async () => {
    const data = credentialOf(created, 'DATA')
    const res = await uploadJson(
      s,
      data.api?.parts['prepared_data'] ?? '',
      data.api?.token ?? '',
      PREPARED,
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      timestamp: '2026-01-01T00:00:00.000Z',
      account: { id: created.account.id },
      workflowExecution: { id: created.workflowExecution.id },
      credential: { id: data.id },
      api: { token: data.api?.token },
    })
    // [O] as the real PREPARED_DATA upload response: an empty parts object
    expect((res.body as { api: { parts: unknown } }).api.parts).toEqual({})
  })

  it('finalizes and processes to a PASSED watchlist screening', async () => {
    const fin = await jumio.finalize(created).expect(200)
    expect(fin.body).toEqual({
      timestamp: '2026-01-01T00:00:00.000Z',
      account: { id: created.account.id },
      workflowExecution: { id: created.workflowExecution.id },
    })
    await advanceClock(s, 1000)
    const res = await jumio.retrieve(workflowPath(created)).expect(200)
    const details = res.body as Details
    expect(details.workflow).toEqual({
      id: created.workflowExecution.id,
      status: 'PROCESSED',
      definitionKey: '10010',
      userReference: 'user-10010',
      customerInternalReference: 'screen-1',
    })
    // [O] as the 10010 pass capture: PASSED / OK, risk 0
    expect(details.decision).toEqual({
      type: 'PASSED',
      details: { label: 'OK' },
      risk: { score: 0 },
    })
    expect(Object.keys(details.capabilities)).toEqual(['watchlistScreening'])
    expect(decisionsOf(details, 'watchlistScreening')).toEqual([['DATA', 'PASSED', 'OK']])
    expect(details.capabilities['watchlistScreening']?.[0]?.data).toMatchObject({
      searchResults: 0,
      searchStatus: 'DONE',
    })
    const data = credentialOf(created, 'DATA')
    expect(details.credentials).toEqual([
      {
        id: data.id,
        category: 'DATA',
        parts: [
          {
            classifier: 'PREPARED_DATA',
            href: `${s.url}/api/v1/accounts/${created.account.id}/credentials/${data.id}/parts/PREPARED_DATA`,
          },
        ],
      },
    ])
  })

  it('shows a SCREENING step', async () => {
    const res = await jumio.retrieve(`${workflowPath(created)}/steps`).expect(200)
    const steps = (res.body as { steps: { name: string; decision: { type: string } }[] }).steps
    expect(steps.map((x) => [x.name, x.decision.type])).toEqual([['SCREENING', 'PASSED']])
  })

  it('returns the prepared data as JSON from the PREPARED_DATA part', async () => {
    const data = credentialOf(created, 'DATA')
    const res = await retrieve(
      s,
      jumio.token,
      `/api/v1/accounts/${created.account.id}/credentials/${data.id}/parts/PREPARED_DATA`,
    ).expect(200)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(res.body).toEqual(PREPARED)
  })

  it('a screening ALERT rolls up to PASSED / OK at risk 50, as the 10010 ALERT capture shows', async () => {
    // Jumio's Mock Service directive picks the screening's ALERT (jumio-reference §21)
    const directive = {
      customerInternalReference: 'screen-2',
      decisionLabel: 'ALERT',
      credentialWithDecision: 'DATA',
    }
    const alert = await jumio.create({
      customerInternalReference: JSON.stringify(directive),
      userReference: 'user-10010',
      workflowDefinition: { key: 10010 },
    })
    const data = credentialOf(alert, 'DATA')
    await uploadJson(
      s,
      data.api?.parts['prepared_data'] ?? '',
      data.api?.token ?? '',
      PREPARED,
    ).expect(200)
    await jumio.finalize(alert).expect(200)
    await advanceClock(s, 1000)
    const details = (await jumio.retrieve(workflowPath(alert)).expect(200)).body as Details
    expect(decisionsOf(details, 'watchlistScreening')).toEqual([['DATA', 'WARNING', 'ALERT']])
    expect(details.decision).toEqual({
      type: 'PASSED',
      details: { label: 'OK' },
      risk: { score: 50 },
    })
  })
})
