import { describe, expect, it } from 'vitest'
import { admin, adminView, resetAfterEach, runFlow } from '../helpers/flow.js'
import { accessToken, createAccount, credentialOf, uploadImage } from '../helpers/jumio.js'
import { samplePng } from '../../src/samples/images.js'
import { startHttpMock, useHttpMock } from '../helpers/http-mock.js'
import { expectNoResponseViolations, T0 } from '../helpers/server.js'

const s = useHttpMock()
resetAfterEach(s)

interface AdminWfe {
  id: string
  status: string
  scenario: string
  tenant: string
  deadlines: { tokenExpiresAt: string; next?: { status: string; at: string } }
  credentials: { category: string; parts: { classifier: string; width?: number }[] }[]
}

describe('the admin API', () => {
  it('reports health with the version and the scenarios file', async () => {
    const res = await admin(s, 'get', '/health').expect(200)
    expect(res.body).toMatchObject({ status: 'UP', version: '0.1.0', defaultScenario: 'approved' })
  })

  it("reports the process's memory and the journal's fill, with what it dropped", async () => {
    const small = await startHttpMock(['--journal-size', '3'])
    try {
      const token = await accessToken(small) // one journaled request
      for (let i = 0; i < 4; i++) {
        await createAccount(small, token, {
          customerInternalReference: `memory-${String(i)}`,
          workflowDefinition: { key: 10011 },
        })
      }
      const { memory } = (await admin(small, 'get', '/health').expect(200)).body as {
        memory: Record<string, number>
      }
      expect(memory).toMatchObject({ journalEntries: 3, journalDropped: 2 })
      expect(memory['heapUsedBytes']).toBeGreaterThan(0)
      expect(memory['rssBytes']).toBeGreaterThan(memory['heapUsedBytes'] ?? 0)
      expectNoResponseViolations(small)
    } finally {
      await small.close()
    }
  })

  it('lists scenarios with the active one and its source', async () => {
    const res = await admin(s, 'get', '/scenarios').expect(200)
    expect(res.body).toMatchObject({
      default: 'approved',
      active: { name: 'approved', source: 'default' },
      scenarios: [{ name: 'approved' }, { name: 'rejected-fake' }],
      overrides: [],
    })
    await admin(s, 'put', '/scenarios/active', { name: 'rejected-fake' }).expect(200)
    expect((await admin(s, 'get', '/scenarios/active', undefined, 't1').expect(200)).body).toEqual({
      name: 'rejected-fake',
      source: 'global',
      tenant: 't1',
    })
    await admin(s, 'put', '/scenarios/active', { name: null }).expect(200)
    expect((await admin(s, 'get', '/scenarios/active').expect(200)).body).toEqual({
      name: 'approved',
      source: 'default',
    })
    const bad = await admin(s, 'put', '/scenarios/active', { name: 'nope' }).expect(400)
    expect((bad.body as { detail: string }).detail).toContain(
      'known scenarios: approved, rejected-fake',
    )
  })

  it('queues, lists and clears overrides; a fault override answers the next matching request', async () => {
    const o = await admin(
      s,
      'post',
      '/scenarios/overrides',
      { fault: { status: 503, retryAfter: 5 }, operation: 'getWorkflowExecutionStatus', times: 1 },
      'client-a',
    ).expect(201)
    expect(o.body).toMatchObject({
      remaining: 1,
      operation: 'getWorkflowExecutionStatus',
      fault: { status: 503 },
    })
    const listed = await admin(s, 'get', '/scenarios/overrides', undefined, 'client-a').expect(200)
    expect((listed.body as { overrides: unknown[] }).overrides).toHaveLength(1)
    const r = await runFlow(s, { createOnly: true }).catch((e: unknown) => e)
    expect(String(r)).toContain('503')
    await admin(
      s,
      'post',
      '/scenarios/overrides',
      { scenario: 'rejected-fake', times: 3 },
      'client-a',
    ).expect(201)
    await admin(s, 'delete', '/scenarios/overrides', undefined, 'client-a').expect(204)
    expect(
      (
        (await admin(s, 'get', '/scenarios/overrides', undefined, 'client-a')).body as {
          overrides: unknown[]
        }
      ).overrides,
    ).toEqual([])
    await admin(s, 'post', '/scenarios/overrides', { times: 1 }).expect(400)
    await admin(s, 'post', '/scenarios/overrides', {
      scenario: 'approved',
      operation: 'nope',
    }).expect(400)
  })

  it.each([
    [
      'a Retry-After of 1e300 s',
      { fault: { status: 503, retryAfter: 1e300 } },
      '/fault/retryAfter must be <= 86400',
    ],
    [
      'a Retry-After that is no whole number',
      { fault: { status: 503, retryAfter: 1.5 } },
      '/fault/retryAfter must be integer',
    ],
    [
      'a negative Retry-After',
      { fault: { status: 429, retryAfter: -1 } },
      '/fault/retryAfter must be >= 0',
    ],
    ['1e308 times', { fault: { status: 500 }, times: 1e308 }, '/times must be <= 1000000'],
    [
      'a detail of 2001 characters',
      { fault: { status: 500, detail: 'd'.repeat(2001) } },
      '/fault/detail must NOT have more than 2000 characters',
    ],
  ])('refuses an override with %s, storing nothing', async (_, body, detail) => {
    const res = await admin(s, 'post', '/scenarios/overrides', body, 'bounds').expect(400)
    expect((res.body as { detail: string }).detail).toContain(detail)
    const list = await admin(s, 'get', '/scenarios/overrides', undefined, 'bounds').expect(200)
    expect((list.body as { overrides: unknown[] }).overrides).toEqual([])
    // and the next answer carries no such header
    const token = await accessToken(s, 'bounds')
    const res2 = await s.http
      .get('/api/v1/accounts/a/workflow-executions/w/status')
      .set('Authorization', `Bearer ${token}`)
    expect(res2.headers['retry-after']).toBeUndefined()
  })

  it('shows the internal view of workflow executions with filters', async () => {
    const token = await accessToken(s)
    const created = await createAccount(s, token, {
      customerInternalReference: 'find-me',
      workflowDefinition: { key: 10011 },
    })
    const id = credentialOf(created, 'ID')
    await uploadImage(
      s,
      id.api?.parts['front'] ?? '',
      id.api?.token ?? '',
      samplePng(1000, 630),
    ).expect(200)
    const list = await admin(
      s,
      'get',
      '/workflow-executions?customerInternalReference=find-me',
    ).expect(200)
    const [wfe] = (list.body as { workflowExecutions: AdminWfe[] }).workflowExecutions
    expect(wfe).toMatchObject({
      id: created.workflowExecution.id,
      status: 'INITIATED',
      scenario: 'approved',
      tenant: 'client-a',
    })
    expect(wfe?.deadlines).toEqual({
      tokenExpiresAt: new Date(T0 + 30 * 60_000).toISOString(),
      next: { status: 'SESSION_EXPIRED', at: new Date(T0 + 15 * 60_000).toISOString() },
    })
    expect(wfe?.credentials.find((c) => c.category === 'ID')?.parts).toMatchObject([
      { classifier: 'FRONT', width: 1000 },
    ])
    expect(
      (
        (await admin(s, 'get', '/workflow-executions?status=PROCESSED').expect(200)).body as {
          workflowExecutions: unknown[]
        }
      ).workflowExecutions,
    ).toEqual([])
    await admin(s, 'get', `/workflow-executions/${created.workflowExecution.id}`).expect(200)
    await admin(s, 'get', '/workflow-executions/unknown').expect(404)
  })

  it('forces expiry and processing now', async () => {
    const a = await runFlow(s, { createOnly: true })
    const expired = await admin(
      s,
      'post',
      `/workflow-executions/${a.created.workflowExecution.id}/expire`,
    ).expect(200)
    expect((expired.body as AdminWfe).status).toBe('TOKEN_EXPIRED')
    await admin(s, 'post', `/workflow-executions/${a.created.workflowExecution.id}/expire`).expect(
      400,
    )
    const b = await runFlow(s, { createOnly: true })
    const processed = await admin(
      s,
      'post',
      `/workflow-executions/${b.created.workflowExecution.id}/process`,
    ).expect(200)
    expect((processed.body as AdminWfe).status).toBe('PROCESSED')
  })

  it('reads and advances the clock, globally or per tenant; expiry fires without a reader', async () => {
    const r = await runFlow(s, { createOnly: true })
    const clock = await admin(s, 'get', '/clock').expect(200)
    expect(clock.body).toEqual({
      now: new Date(T0).toISOString(),
      epochMs: T0,
      skewMs: 0,
      frozen: true,
    })
    const moved = await admin(s, 'post', '/clock/advance', { ms: 30 * 60_000 }, 'client-a').expect(
      200,
    )
    expect(moved.body).toMatchObject({ skewMs: 30 * 60_000, tenant: 'client-a' })
    expect((await adminView(s, r.created.workflowExecution.id))?.status).toBe('TOKEN_EXPIRED')
    expect((await admin(s, 'get', '/clock', undefined, 'other').expect(200)).body).toMatchObject({
      skewMs: 0,
    })
    await admin(s, 'post', '/clock/advance', { ms: -1 }).expect(400)
  })

  it('resets state, overrides and clock but keeps scenarios', async () => {
    const r = await runFlow(s, { createOnly: true })
    await admin(s, 'post', '/clock/advance', { ms: 1000 }, 'client-a').expect(200)
    await admin(s, 'post', '/reset').expect(204)
    expect(await adminView(s, r.created.workflowExecution.id)).toBeUndefined()
    expect((await admin(s, 'get', '/clock', undefined, 'client-a')).body).toMatchObject({
      skewMs: 0,
    })
    expect(
      ((await admin(s, 'get', '/scenarios')).body as { scenarios: unknown[] }).scenarios,
    ).toHaveLength(2)
  })
})

describe('the admin token', () => {
  it('is required as a bearer on every admin call when set, not for the pages', async () => {
    const guarded = await startHttpMock(['--admin-token', 's3cret'])
    try {
      for (const path of [
        '/__admin/health',
        '/__admin/scenarios',
        '/__admin/clock',
        '/__admin/callbacks',
        '/__admin/workflow-executions',
      ]) {
        const res = await guarded.http.get(path).expect(401)
        expect(res.body).toEqual({
          title: 'Unauthorized',
          status: 401,
          detail: 'The admin API needs the admin token as a bearer token',
        })
        await guarded.http.get(path).set('Authorization', 'Bearer s3cre').expect(401)
        await guarded.http.get(path).set('Authorization', 'Bearer s3cret').expect(200)
      }
      await guarded.http.post('/__admin/reset').expect(401)
      // the ready line's admin URL leads a person to the console, which asks for the token
      for (const path of ['/__admin', '/__admin/']) {
        await guarded.http.get(path).expect(302).expect('Location', '/__admin/ui')
      }
      await guarded.http.get('/__admin/ui').expect(200)
      expectNoResponseViolations(guarded)
    } finally {
      await guarded.close()
    }
  })
})
