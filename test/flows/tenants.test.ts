import type { Test } from 'supertest'
import { describe, expect, it } from 'vitest'
import { expectProblem } from '../helpers/expect.js'
import { admin, adminView, runFlow } from '../helpers/flow.js'
import { accessToken, createAccount, retrieve, USER_AGENT } from '../helpers/jumio.js'
import type { Created } from '../helpers/jumio.js'
import { startHttpMock, useHttpMock } from '../helpers/http-mock.js'
import { expectNoResponseViolations } from '../helpers/server.js'

const s = useHttpMock(['--processing-delay', '10s'])

describe('tenants inside one shared instance', () => {
  it('run flows in parallel with different scenarios and never see each other', async () => {
    await admin(s, 'put', '/scenarios/active', { name: 'rejected-fake' }, 'team-b').expect(200)
    await admin(s, 'post', '/clock/advance', { ms: 0 }, 'team-a').expect(200)
    const [a, b] = await Promise.all([
      runFlow(s, { client: 'team-a' }),
      runFlow(s, { client: 'team-b' }),
    ])
    expect([a.status, b.status]).toEqual(['ACQUIRED', 'ACQUIRED'])
    await admin(s, 'post', '/clock/advance', { ms: 10_000 }, 'team-a').expect(200)
    const base = (r: typeof a) =>
      `/api/v1/accounts/${r.created.account.id}/workflow-executions/${r.created.workflowExecution.id}`
    const aDone = await s.http.get(base(a)).set('Authorization', `Bearer ${a.token}`).expect(200)
    expect((aDone.body as { decision: { type: string } }).decision.type).toBe('PASSED')
    const bStill = await s.http
      .get(`${base(b)}/status`)
      .set('Authorization', `Bearer ${b.token}`)
      .expect(200)
    expect(
      (bStill.body as { workflowExecution: { status: string } }).workflowExecution.status,
    ).toBe('ACQUIRED')
    await s.http.get(base(b)).set('Authorization', `Bearer ${a.token}`).expect(404)
    await s.http.get(base(a)).set('Authorization', `Bearer ${b.token}`).expect(404)
    await admin(s, 'post', '/clock/advance', { ms: 10_000 }, 'team-b').expect(200)
    const bDone = await s.http.get(base(b)).set('Authorization', `Bearer ${b.token}`).expect(200)
    expect((bDone.body as { decision: { type: string } }).decision.type).toBe('REJECTED')
    const aList = await admin(s, 'get', '/workflow-executions', undefined, 'team-a').expect(200)
    expect(
      (aList.body as { workflowExecutions: { id: string }[] }).workflowExecutions.map((w) => w.id),
    ).toEqual([a.created.workflowExecution.id])
    await admin(s, 'post', '/reset', undefined, 'team-a').expect(204)
    await s.http.get(base(a)).set('Authorization', `Bearer ${a.token}`).expect(404)
    await s.http.get(base(b)).set('Authorization', `Bearer ${b.token}`).expect(200)
  })

  it('keeps the settings of a tenant whatever its name, and refuses a name with control characters', async () => {
    // `*` and a NUL were names Redis used for itself: a reset of everything, the global settings
    await admin(s, 'put', '/scenarios/active', { name: 'rejected-fake' }, '*').expect(200)
    const star = await admin(s, 'get', '/scenarios/active', undefined, '*').expect(200)
    expect(star.body).toMatchObject({ name: 'rejected-fake', source: 'tenant' })
    await admin(s, 'put', '/scenarios/active?tenant=%00g', { name: 'rejected-fake' }).expect(400)
    const global = await admin(s, 'get', '/scenarios/active').expect(200)
    expect(global.body).toMatchObject({ source: 'default' })
    await s.http
      .post('/oauth2/token')
      .auth('\u0000g', 'secret')
      .type('form')
      .send({ grant_type: 'client_credentials' })
      .expect(400)
  })

  it('lets X-Mock-Tenant name the tenant explicitly', async () => {
    const r = await runFlow(s, {
      client: 'ci-job',
      headers: { 'X-Mock-Tenant': 'shared' },
      createOnly: true,
    })
    const wfe = await adminView(s, r.created.workflowExecution.id)
    expect(wfe?.tenant).toBe('shared')
  })
})

describe("Jumio's rate limits (--rate-limit)", () => {
  it('answers the 11th token request of a second with 429 and Retry-After, per tenant', async () => {
    const limited = await startHttpMock(['--rate-limit'])
    try {
      const ask = (client: string) =>
        limited.http
          .post('/oauth2/token')
          .auth(client, 'secret')
          .type('form')
          .send({ grant_type: 'client_credentials' })
      for (let i = 0; i < 10; i++) await ask('busy').expect(200)
      const res = await ask('busy').expect(429)
      expect(res.headers['retry-after']).toBe('1')
      expect(res.body).toEqual({
        title: 'Too Many Requests',
        status: 429,
        detail: 'Request limit exceeded',
      })
      await ask('calm').expect(200)
      // a reset of a tenant whose name is a pattern resets that tenant only
      await admin(limited, 'post', '/reset', undefined, 'bus*').expect(204)
      await ask('busy').expect(429)
      await admin(limited, 'post', '/clock/advance', { ms: 1000 }, 'busy').expect(200)
      await ask('busy').expect(200)
      expectNoResponseViolations(limited)
    } finally {
      await limited.close()
    }
  })
})

describe('with --clients, a tenant is its client: X-Mock-Tenant selects nothing on the Jumio API', () => {
  const closed = useHttpMock(['--clients', 'bank-a:secret-a,bank-b:secret-b'])
  const token = async (id: string, secret: string) => {
    const res = await closed.http
      .post('/oauth2/token')
      .auth(id, secret)
      .type('form')
      .send({ grant_type: 'client_credentials' })
      .expect(200)
    return (res.body as { access_token: string }).access_token
  }

  it("refuses client a's bearer token or Basic credentials on client b's accounts", async () => {
    const [a, b] = await Promise.all([token('bank-a', 'secret-a'), token('bank-b', 'secret-b')])
    const created = await createAccount(closed, b, {
      customerInternalReference: 'b-owned',
      workflowDefinition: { key: 10011 },
    })
    const path = `/api/v1/accounts/${created.account.id}/workflow-executions/${created.workflowExecution.id}`
    const asA = (req: Test) => req.set('X-Mock-Tenant', 'bank-b').set('User-Agent', USER_AGENT)
    await asA(closed.http.get(path).set('Authorization', `Bearer ${a}`)).expect(404)
    await asA(closed.http.get(`${path}/status`).auth('bank-a', 'secret-a')).expect(404)
    await asA(closed.http.delete(path).set('Authorization', `Bearer ${a}`)).expect(404)
    await asA(
      closed.http
        .delete(`/api/v1/accounts/${created.account.id}`)
        .set('Authorization', `Bearer ${a}`),
    ).expect(404)
    // nothing of b's was touched, and what a creates naming b stays a's
    await retrieve(closed, b, path).expect(200)
    const own = await asA(closed.http.post('/api/v1/accounts').set('Authorization', `Bearer ${a}`))
      .send({ customerInternalReference: 'a-owned', workflowDefinition: { key: 10011 } })
      .expect(200)
    const wfe = (own.body as Created).workflowExecution.id
    expect((await adminView(closed, wfe))?.tenant).toBe('bank-a')
  })
})

describe("an access token's expiry", () => {
  it('is judged on the clock of the tenant that issued it, whatever tenant a header names', async () => {
    const token = await accessToken(s, 'clock-owner')
    await admin(s, 'post', '/clock/advance', { ms: 3_601_000 }, 'clock-owner').expect(200)
    const res = await s.http
      .post('/api/v1/accounts')
      .set('Authorization', `Bearer ${token}`)
      .set('X-Mock-Tenant', 'fresh-clock')
      .set('User-Agent', USER_AGENT)
      .send({ customerInternalReference: 'late', workflowDefinition: { key: 10011 } })
    expectProblem(res, 401, 'Access token has expired')
  })
})
