/**
 * A seeded mock's results depend on the workflow execution alone: its result's ids (capabilities,
 * findings) come from its id, as its extracted data does, not from the ids drawn before its
 * processing. So replicas give the same results whichever one runs a deadline.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { runFlow, uploadAndFinalize } from '../helpers/flow.js'
import type { Details, FlowResult } from '../helpers/flow.js'
import { accessToken, createAccount } from '../helpers/jumio.js'
import { startTestServer } from '../helpers/server.js'
import type { MockHttp, TestServer } from '../helpers/server.js'

const started: TestServer[] = []
afterAll(async () => {
  await Promise.all(started.map((m) => m.close()))
})

const ACCOUNT = { customerInternalReference: 'other', workflowDefinition: { key: 10011 } }

/** The details of a seeded mock's first workflow execution, processed after `between`. */
async function firstResult(between: (m: MockHttp) => Promise<unknown>): Promise<Details> {
  const m = await startTestServer(['--seed', 'results'])
  started.push(m)
  const first: FlowResult = await runFlow(m, { createOnly: true })
  await between(m)
  await uploadAndFinalize(m, first.created)
  return readDetails(m, first)
}

async function readDetails(m: MockHttp, r: FlowResult): Promise<Details> {
  const { account, workflowExecution } = r.created
  const res = await m.http
    .get(`/api/v1/accounts/${account.id}/workflow-executions/${workflowExecution.id}`)
    .set('Authorization', `Bearer ${r.token}`)
    .set('User-Agent', 'AcmeBank KYC/1.0')
    .expect(200)
  return res.body as Details
}

describe('a seeded workflow execution’s result', () => {
  it('has the same ids whatever ids were drawn before its processing', async () => {
    const alone = await firstResult(() => Promise.resolve())
    const after = await firstResult(async (m) => createAccount(m, await accessToken(m), ACCOUNT))
    expect(alone.workflow.id).toBe(after.workflow.id)
    expect(alone.workflow.status).toBe('PROCESSED')
    expect(after.capabilities).toEqual(alone.capabilities)
  })
})
