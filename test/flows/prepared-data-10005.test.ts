import { describe, expect, it } from 'vitest'
import {
  credentialOf,
  decisionsOf,
  retrieve,
  txTokenOf,
  useClient,
  workflowPath,
} from '../helpers/jumio.js'
import type { Created, Details } from '../helpers/jumio.js'
import { advanceClock } from '../helpers/flow.js'
import { useHttpMock } from '../helpers/http-mock.js'

const s = useHttpMock()
const jumio = useClient(s)

// [D] the 10005 example's prepared data: personalNumber, names and the address country
const PREPARED = {
  personalNumber: '12345678909',
  firstName: 'JOAO',
  lastName: 'SILVA',
  address: { country: 'BRA' },
}

describe('workflow 10005 (standalone CPF validation, Brazil) with prepared data', () => {
  let created: Created

  it('creates a DATA-only workflow without userReference, web or sdk', async () => {
    created = await jumio.create({
      customerInternalReference: 'cpf-1',
      workflowDefinition: { key: 10005 },
    })
    expect([created.web, created.sdk]).toEqual([undefined, undefined])
    expect(created.workflowExecution.credentials.map((c) => c.category)).toEqual(['DATA'])
    expect(Object.keys(credentialOf(created, 'DATA').api?.parts ?? {})).toEqual(['prepared_data'])
  })

  it('uploads the prepared data, which starts the journey', async () => {
    const href = credentialOf(created, 'DATA').api?.parts['prepared_data'] ?? ''
    const res = await jumio.uploadJson(href, txTokenOf(created), PREPARED).expect(200)
    expect((res.body as { part: { id: string } }).part.id).toMatch(/^[0-9a-f-]{36}$/)
    await advanceClock(s, 60_000)
    await jumio.finalize(created).expect(200)
  })

  it('processes to a PASSED braCpfValidation and no other capability', async () => {
    const res = await jumio.retrieve(workflowPath(created)).expect(200)
    const details = res.body as Details
    expect(details.workflow['status']).toBe('PROCESSED')
    expect(details.workflow['definitionKey']).toBe('10005')
    expect(details.workflow['userReference']).toBeUndefined()
    expect(details.startedAt).toBe('2026-01-01T00:00:00.000Z')
    expect(details.completedAt).toBe('2026-01-01T00:01:00.000Z')
    // [O] a workflow of standalone checks is PASSED / OK, as the 10010 captures show
    expect(details.decision).toEqual({
      type: 'PASSED',
      details: { label: 'OK' },
      risk: { score: 0 },
    })
    expect(Object.keys(details.capabilities)).toEqual(['braCpfValidation'])
    expect(decisionsOf(details, 'braCpfValidation')).toEqual([['DATA', 'PASSED', 'OK']])
  })

  it('has a BRA_CPF_VALIDATION step', async () => {
    const res = await jumio.retrieve(`${workflowPath(created)}/steps`).expect(200)
    const steps = (res.body as { steps: { name: string; capabilityIds: string[] }[] }).steps
    expect(steps.map((x) => x.name)).toEqual(['BRA_CPF_VALIDATION'])
    expect(steps[0]?.capabilityIds).toHaveLength(1)
  })

  it('round-trips the prepared data through part retrieval', async () => {
    const data = credentialOf(created, 'DATA')
    const res = await retrieve(
      s,
      jumio.token,
      `/api/v1/accounts/${created.account.id}/credentials/${data.id}/parts/PREPARED_DATA`,
    ).expect(200)
    expect(res.body).toEqual(PREPARED)
  })
})
