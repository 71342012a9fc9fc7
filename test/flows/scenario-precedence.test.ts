import { describe, expect, it } from 'vitest'
import { admin, adminView, resetAfterEach, runFlow } from '../helpers/flow.js'
import { accessToken, createAccount } from '../helpers/jumio.js'
import { useHttpMock } from '../helpers/http-mock.js'

const s = useHttpMock()
resetAfterEach(s)

const scenarioOf = async (id: string) => (await adminView(s, id))?.scenario

describe('choosing the scenario, highest precedence first', () => {
  it('8. the file default when nothing else chooses', async () => {
    const r = await runFlow(s, { createOnly: true })
    expect(await scenarioOf(r.created.workflowExecution.id)).toBe('approved')
  })

  it('7. the global active scenario beats the default', async () => {
    await admin(s, 'put', '/scenarios/active', { name: 'rejected-fake' }).expect(200)
    const r = await runFlow(s)
    expect(r.details.decision.type).toBe('REJECTED')
  })

  it('6. the tenant active scenario beats the global one, for that tenant only', async () => {
    await admin(s, 'put', '/scenarios/active', { name: 'rejected-fake' }).expect(200)
    await admin(s, 'put', '/scenarios/active', { name: 'approved' }, 'client-a').expect(200)
    const a = await runFlow(s, { client: 'client-a', createOnly: true })
    const b = await runFlow(s, { client: 'client-b', createOnly: true })
    expect(await scenarioOf(a.created.workflowExecution.id)).toBe('approved')
    expect(await scenarioOf(b.created.workflowExecution.id)).toBe('rejected-fake')
  })

  it('5. a scenario:<name> marker in customerInternalReference or userReference beats the active one', async () => {
    await admin(s, 'put', '/scenarios/active', { name: 'approved' }, 'client-a').expect(200)
    const a = await runFlow(s, {
      body: { customerInternalReference: 'order-1 scenario:rejected-fake' },
      createOnly: true,
    })
    const b = await runFlow(s, {
      body: { userReference: 'scenario:rejected-fake' },
      createOnly: true,
    })
    expect(await scenarioOf(a.created.workflowExecution.id)).toBe('rejected-fake')
    expect(await scenarioOf(b.created.workflowExecution.id)).toBe('rejected-fake')
  })

  it("4. Jumio's Mock Service directive beats a marker; its inner reference is echoed", async () => {
    const directive = JSON.stringify({
      customerInternalReference: 'mockuser scenario:approved',
      decisionLabel: 'NFC_CERTIFICATE',
      credentialWithDecision: 'ID',
      extractionOverrides: { firstName: 'JOHN', idType: 'PASSPORT' },
    })
    const r = await runFlow(s, { body: { customerInternalReference: directive } })
    expect(r.details.workflow.customerInternalReference).toBe('mockuser scenario:approved')
    expect(r.details.capabilities['dataChecks']?.[0]?.decision).toEqual({
      type: 'REJECTED',
      details: { label: 'NFC_CERTIFICATE' },
    })
    expect(r.details.decision.type).toBe('REJECTED')
    expect(r.details.capabilities['extraction']?.[0]?.data).toMatchObject({
      firstName: 'JOHN',
      type: 'PASSPORT',
    })
  })

  it('3. an account binding beats the directive and applies to new workflow executions on it', async () => {
    const token = await accessToken(s)
    const created = await createAccount(s, token, {
      customerInternalReference: 'x',
      workflowDefinition: { key: 10011 },
    })
    await admin(
      s,
      'put',
      `/accounts/${created.account.id}/scenario`,
      { name: 'rejected-fake' },
      'client-a',
    ).expect(200)
    const again = await createAccount(
      s,
      token,
      { customerInternalReference: 'x', workflowDefinition: { key: 10011 } },
      created.account.id,
    )
    expect(await scenarioOf(again.workflowExecution.id)).toBe('rejected-fake')
    await admin(s, 'put', '/accounts/unknown/scenario', { name: 'approved' }, 'client-a').expect(
      404,
    )
  })

  it('2. a one-shot override beats a binding, and is used up', async () => {
    await admin(
      s,
      'post',
      '/scenarios/overrides',
      { scenario: 'rejected-fake', times: 1 },
      'client-a',
    ).expect(201)
    const first = await runFlow(s, { createOnly: true })
    const second = await runFlow(s, { createOnly: true })
    expect(await scenarioOf(first.created.workflowExecution.id)).toBe('rejected-fake')
    expect(await scenarioOf(second.created.workflowExecution.id)).toBe('approved')
  })

  it('1. the X-Mock-Scenario header beats everything and names the scenario on the response', async () => {
    await admin(
      s,
      'post',
      '/scenarios/overrides',
      { scenario: 'approved', times: 1 },
      'client-a',
    ).expect(201)
    const r = await runFlow(s, {
      headers: { 'X-Mock-Scenario': 'rejected-fake' },
      createOnly: true,
    })
    expect(await scenarioOf(r.created.workflowExecution.id)).toBe('rejected-fake')
    const res = await s.http.get('/')
    expect(res.headers['x-mock-scenario']).toBe('approved')
  })

  it('an unknown scenario name is a 400 naming the known ones', async () => {
    const token = await accessToken(s)
    const res = await s.http
      .post('/api/v1/accounts')
      .set('Authorization', `Bearer ${token}`)
      .set('X-Mock-Scenario', 'nope')
      .send({ customerInternalReference: 'x', workflowDefinition: { key: 10011 } })
      .expect(400)
    expect(res.body).toEqual({
      title: 'Bad Request',
      status: 400,
      detail: 'Unknown scenario "nope"; known scenarios: approved, rejected-fake',
    })
  })

  it('fixes the scenario at creation: switching later does not change the workflow', async () => {
    const r = await runFlow(s, { createOnly: true })
    await admin(s, 'put', '/scenarios/active', { name: 'rejected-fake' }).expect(200)
    expect(await scenarioOf(r.created.workflowExecution.id)).toBe('approved')
  })
})
