/**
 * The Credentials API over real HTTP, in open mode: credentials created through the
 * admin API, their permissions (INITIATE, RETRIEVE_DELETE) enforced with Jumio's 403 problem and
 * journaled, several credentials of one tenant sharing its accounts, rotation with a grace period
 * on the tenant's clock, deactivation, a list that never shows a secret, and the deprecated
 * Basic-auth API users.
 */
import { describe, expect, it } from 'vitest'
import { expectOAuthError, expectProblem } from '../helpers/expect.js'
import { admin, adminView, uploadAndFinalize } from '../helpers/flow.js'
import { accessToken, createAccount, retrieve, USER_AGENT, workflowPath } from '../helpers/jumio.js'
import type { Created } from '../helpers/jumio.js'
import { basic, createCredential, tokenFor, tokenRequest } from '../helpers/credentials.js'
import { useHttpMock } from '../helpers/http-mock.js'

const s = useHttpMock()

const ACCOUNT = { customerInternalReference: 'creds', workflowDefinition: { key: 10011 } }

/** Every retrieval and deletion a RETRIEVE_DELETE permission covers, for a created account. */
function retrievals(created: Created) {
  const wfe = workflowPath(created)
  const front = created.workflowExecution.credentials.find((c) => c.category === 'ID')?.id ?? ''
  return [
    ['GET', `${wfe}/status`],
    ['GET', `${wfe}/steps`],
    ['GET', wfe],
    ['GET', `/api/v1/workflow-executions/${created.workflowExecution.id}`],
    ['GET', `/api/v1/accounts/${created.account.id}/credentials/${front}/parts/FRONT`],
    ['DELETE', wfe],
    ['DELETE', `/api/v1/accounts/${created.account.id}`],
  ] as const
}

const call = (method: 'GET' | 'DELETE', path: string, auth: string) =>
  (method === 'GET' ? s.http.get(path) : s.http.delete(path))
    .set('Authorization', auth)
    .set('User-Agent', USER_AGENT)

describe('permissions of one tenant’s credentials', () => {
  it('lets a create-only client create an account and refuses it every retrieval with 403', async () => {
    const creator = await createCredential(s, { tenant: 'acme', permissions: ['INITIATE'] })
    const token = await tokenFor(s, creator.clientId, creator.clientSecret)
    const created = await createAccount(s, token, ACCOUNT)
    await uploadAndFinalize(s, created)
    for (const [method, path] of retrievals(created)) {
      const res = await call(method, path, `Bearer ${token}`)
      expectProblem(res, 403, `lack the RETRIEVE_DELETE permission`)
    }
    // Jumio's problem shape, and every refusal is in the tenant's journal
    const journal = await admin(s, 'get', '/journal?status=403', undefined, 'acme').expect(200)
    const entries = (journal.body as { entries: { path: string; response: { body: unknown } }[] })
      .entries
    expect(entries.map((e) => e.path)).toEqual(retrievals(created).map(([, path]) => path))
    expect(entries[0]?.response.body).toMatchObject({ title: 'Forbidden', status: 403 })
  })

  it('lets a retrieve-only client of the same tenant read that account, and refuses it create and update', async () => {
    const creator = await createCredential(s, { permissions: ['INITIATE'] }, { tenant: 'acme' })
    const reader = await createCredential(s, { tenant: 'acme', permissions: ['RETRIEVE_DELETE'] })
    expect([creator.tenant, reader.tenant]).toEqual(['acme', 'acme'])
    const created = await createAccount(
      s,
      await tokenFor(s, creator.clientId, creator.clientSecret),
      ACCOUNT,
    )
    await uploadAndFinalize(s, created)
    const token = await tokenFor(s, reader.clientId, reader.clientSecret)
    for (const [method, path] of retrievals(created).filter(([m]) => m === 'GET')) {
      expect((await call(method, path, `Bearer ${token}`)).status, path).toBe(200)
    }
    const create = await s.http
      .post('/api/v1/accounts')
      .set('Authorization', `Bearer ${token}`)
      .set('User-Agent', USER_AGENT)
      .send(ACCOUNT)
    expectProblem(create, 403, 'lack the INITIATE permission ("initiate a transaction")')
    const update = await s.http
      .put(`/api/v1/accounts/${created.account.id}`)
      .set('Authorization', `Bearer ${token}`)
      .set('User-Agent', USER_AGENT)
      .send(ACCOUNT)
    expectProblem(update, 403, 'lack the INITIATE permission')
    // and it deletes: RETRIEVE_DELETE covers deletion
    await call('DELETE', `/api/v1/accounts/${created.account.id}`, `Bearer ${token}`).expect(200)
  })

  it('pins a created client to its tenant: X-Mock-Tenant does not move it', async () => {
    const client = await createCredential(s, { tenant: 'pinned' })
    const token = await tokenFor(s, client.clientId, client.clientSecret)
    const res = await s.http
      .post('/api/v1/accounts')
      .set('Authorization', `Bearer ${token}`)
      .set('X-Mock-Tenant', 'elsewhere')
      .set('User-Agent', USER_AGENT)
      .send(ACCOUNT)
      .expect(200)
    const id = (res.body as Created).workflowExecution.id
    expect((await adminView(s, id))?.tenant).toBe('pinned')
  })

  it('gives a credential created without a tenant one of its own, with both permissions', async () => {
    const own = await createCredential(s)
    expect(own).toMatchObject({
      type: 'OAUTH2_CLIENT',
      tenant: own.clientId,
      name: own.clientId,
      permissions: ['INITIATE', 'RETRIEVE_DELETE'],
      status: 'ACTIVE',
      source: 'admin',
    })
    expect(own.clientId).toMatch(/^[a-z0-9]{26}$/)
    expect(own.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })
})

describe('the list of credentials', () => {
  it('never shows a secret, and filters by the tenant the call names', async () => {
    const made = await createCredential(s, { name: 'CI job' }, { tenant: 'listed' })
    const rotated = await admin(s, 'post', `/api-credentials/${made.clientId}/rotate`, {})
    const res = await admin(s, 'get', '/api-credentials', undefined, 'listed').expect(200)
    expect(res.text).not.toContain(made.clientSecret)
    expect(res.text).not.toContain((rotated.body as { clientSecret: string }).clientSecret)
    expect(res.text).not.toMatch(/secret|scrypt/i)
    expect(res.body).toEqual({
      apiCredentials: [
        {
          type: 'OAUTH2_CLIENT',
          clientId: made.clientId,
          name: 'CI job',
          tenant: 'listed',
          permissions: ['INITIATE', 'RETRIEVE_DELETE'],
          status: 'ACTIVE',
          source: 'admin',
          createdAt: made.createdAt,
          rotatedAt: expect.any(String) as string,
        },
      ],
    })
  })
})

describe('rotation', () => {
  it('keeps both secrets working through the grace, then only the new one once the tenant’s clock passes it', async () => {
    const old = await createCredential(s, { tenant: 'rotating' })
    const res = await admin(s, 'post', `/api-credentials/${old.clientId}/rotate`, {
      graceSeconds: 600,
    }).expect(200)
    const rotated = res.body as typeof old
    expect(rotated.clientSecret).not.toBe(old.clientSecret)
    expect(
      Date.parse(rotated.previousSecretExpiresAt ?? '') - Date.parse(rotated.rotatedAt ?? ''),
    ).toBe(600_000)
    await tokenFor(s, old.clientId, old.clientSecret)
    await tokenFor(s, old.clientId, rotated.clientSecret)
    await admin(s, 'post', '/clock/advance', { ms: 599_999 }, 'rotating').expect(200)
    const lastToken = await tokenFor(s, old.clientId, old.clientSecret)
    await admin(s, 'post', '/clock/advance', { ms: 1 }, 'rotating').expect(200)
    expectOAuthError(await tokenRequest(s, old.clientId, old.clientSecret), 400, 'invalid_client')
    await tokenFor(s, old.clientId, rotated.clientSecret)
    // a token issued with the old secret stays valid for its hour
    await retrieve(s, lastToken, '/api/v1/workflow-executions/none').expect(404)
    const list = await admin(s, 'get', '/api-credentials', undefined, 'rotating').expect(200)
    expect(JSON.stringify(list.body)).not.toContain('previousSecretExpiresAt')
  })

  it('refuses the old secret at once without a grace, and a second rotation ends the first one’s grace', async () => {
    const first = await createCredential(s)
    const rotate = async (body: object) =>
      (await admin(s, 'post', `/api-credentials/${first.clientId}/rotate`, body).expect(200))
        .body as typeof first
    const second = await rotate({})
    expectOAuthError(
      await tokenRequest(s, first.clientId, first.clientSecret),
      400,
      'invalid_client',
    )
    const third = await rotate({ graceSeconds: 3600 })
    const fourth = await rotate({ graceSeconds: 3600 })
    expectOAuthError(
      await tokenRequest(s, first.clientId, second.clientSecret),
      400,
      'invalid_client',
    )
    await tokenFor(s, first.clientId, third.clientSecret)
    await tokenFor(s, first.clientId, fourth.clientSecret)
  })
})

describe('deactivation', () => {
  it('answers invalid_client for any secret, and leaves issued tokens valid until they expire', async () => {
    const client = await createCredential(s, { tenant: 'leaving' })
    const token = await tokenFor(s, client.clientId, client.clientSecret)
    const res = await admin(s, 'post', `/api-credentials/${client.clientId}/deactivate`).expect(200)
    expect(res.body).toMatchObject({ status: 'INACTIVE', tokensRevoked: false })
    expectOAuthError(
      await tokenRequest(s, client.clientId, client.clientSecret),
      400,
      'invalid_client',
    )
    expectOAuthError(await tokenRequest(s, client.clientId, 'guess'), 400, 'invalid_client')
    await retrieve(s, token, '/api/v1/workflow-executions/none').expect(404)
    // once its hour is over, on the tenant's clock
    await admin(s, 'post', '/clock/advance', { ms: 3_600_000 }, 'leaving').expect(200)
    expectProblem(
      await retrieve(s, token, '/api/v1/workflow-executions/none'),
      401,
      'Access token has expired',
    )
    // deactivated clients cannot be rotated
    expectProblem(
      await admin(s, 'post', `/api-credentials/${client.clientId}/rotate`, {}),
      409,
      'was deactivated',
    )
  })

  it('shows no old secret still working once deactivated within a rotation’s grace', async () => {
    // regression: the list went on showing previousSecretExpiresAt of a deactivated client
    const client = await createCredential(s)
    const path = `/api-credentials/${client.clientId}`
    const rotated = await admin(s, 'post', `${path}/rotate`, { graceSeconds: 60 }).expect(200)
    expect(rotated.body).toHaveProperty('previousSecretExpiresAt')
    const res = await admin(s, 'post', `${path}/deactivate`).expect(200)
    expect(res.body).not.toHaveProperty('previousSecretExpiresAt')
    expectOAuthError(
      await tokenRequest(s, client.clientId, client.clientSecret),
      400,
      'invalid_client',
    )
  })

  it('refuses issued tokens at once with revokeTokens', async () => {
    const client = await createCredential(s)
    const token = await tokenFor(s, client.clientId, client.clientSecret)
    const res = await admin(s, 'post', `/api-credentials/${client.clientId}/deactivate`, {
      revokeTokens: true,
    }).expect(200)
    expect(res.body).toMatchObject({ status: 'INACTIVE', tokensRevoked: true })
    expectProblem(
      await retrieve(s, token, '/api/v1/workflow-executions/none'),
      401,
      `Access token was revoked: client ${client.clientId} was deactivated`,
    )
  })
})

describe('open mode stays open', () => {
  it('accepts any pair it does not know, and a known client id only with its own secret', async () => {
    await tokenFor(s, 'anybody', 'anything')
    const client = await createCredential(s)
    expectOAuthError(await tokenRequest(s, client.clientId, 'anything'), 400, 'invalid_client')
  })
})

describe('the deprecated API users (Basic auth)', () => {
  it('call the REST API with Basic auth, within their permissions, and get no access token', async () => {
    const user = await createCredential(
      s,
      { tenant: 'legacy', permissions: ['INITIATE'] },
      { type: 'API_USER' },
    )
    expect(user).toMatchObject({ type: 'API_USER', tenant: 'legacy', status: 'ACTIVE' })
    const auth = basic(user.clientId, user.clientSecret)
    const res = await s.http
      .post('/api/v1/accounts')
      .set('Authorization', auth)
      .set('User-Agent', USER_AGENT)
      .send(ACCOUNT)
      .expect(200)
    const created = res.body as Created
    const wfe = await adminView(s, created.workflowExecution.id)
    expect(wfe?.tenant).toBe('legacy')
    expectProblem(await call('GET', workflowPath(created), auth), 403, 'lack the RETRIEVE_DELETE')
    expectOAuthError(await tokenRequest(s, user.clientId, user.clientSecret), 400, 'invalid_client')
    const listed = await admin(s, 'get', '/api-users', undefined, 'legacy').expect(200)
    expect(listed.text).not.toContain(user.clientSecret)
    expect((listed.body as { apiCredentials: unknown[] }).apiCredentials).toHaveLength(1)
  })

  it('refuse the old secret after a rotation, and every call once deactivated', async () => {
    const user = await createCredential(s, {}, { type: 'API_USER' })
    const rotated = (
      await admin(s, 'post', `/api-users/${user.clientId}/rotate`, { graceSeconds: 0 }).expect(200)
    ).body as typeof user
    const read = (secret: string) =>
      call('GET', '/api/v1/workflow-executions/none', basic(user.clientId, secret))
    expectProblem(await read(user.clientSecret), 401, 'Invalid client credentials')
    await read(rotated.clientSecret).expect(404)
    await admin(s, 'post', `/api-users/${user.clientId}/deactivate`).expect(200)
    expectProblem(await read(rotated.clientSecret), 401, 'was deactivated')
  })

  it('keep OAuth2 clients and API users apart', async () => {
    const client = await createCredential(s)
    const res = await call(
      'GET',
      '/api/v1/workflow-executions/none',
      basic(client.clientId, client.clientSecret),
    )
    expectProblem(res, 401, 'exchanged for an access token at /oauth2/token')
    // each path knows its own type only
    expectProblem(
      await admin(s, 'post', `/api-users/${client.clientId}/rotate`, {}),
      404,
      'No API user',
    )
  })
})

describe('the admin operations’ bounds', () => {
  it.each([
    ['an unknown permission', { permissions: ['READ'] }],
    ['no permission', { permissions: [] }],
    ['a permission twice', { permissions: ['INITIATE', 'INITIATE'] }],
    ['a name too long', { name: 'n'.repeat(201) }],
    ['an extra field', { clientSecret: 'mine' }],
  ])('refuses %s with 400', async (_, body) => {
    expectProblem(await admin(s, 'post', '/api-credentials', body), 400, 'Request body')
  })

  it('refuses a grace over 30 days, and a tenant other than the one the call names', async () => {
    const client = await createCredential(s)
    expectProblem(
      await admin(s, 'post', `/api-credentials/${client.clientId}/rotate`, {
        graceSeconds: 2_592_001,
      }),
      400,
      'graceSeconds',
    )
    expectProblem(
      await admin(s, 'post', '/api-credentials', { tenant: 'a' }, 'b'),
      400,
      'is not the tenant the call names',
    )
    // a call naming another tenant does not find it
    expectProblem(
      await admin(s, 'post', `/api-credentials/${client.clientId}/deactivate`, {}, 'other'),
      404,
      'No OAuth2 client',
    )
  })

  it('forgets a tenant’s created credentials on its reset', async () => {
    const client = await createCredential(s, {}, { tenant: 'resetting' })
    const kept = await createCredential(s, {}, { tenant: 'staying' })
    await admin(s, 'post', '/reset', undefined, 'resetting').expect(204)
    const list = await admin(s, 'get', '/api-credentials').expect(200)
    const ids = (list.body as { apiCredentials: { clientId: string }[] }).apiCredentials.map(
      (c) => c.clientId,
    )
    expect(ids).toContain(kept.clientId)
    expect(ids).not.toContain(client.clientId)
    // an open instance: the id is nobody's now, so any pair is accepted again
    await accessToken(s, client.clientId)
  })
})
