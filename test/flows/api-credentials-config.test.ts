/**
 * The Credentials API's configuration over real HTTP: a closed instance (`--clients`,
 * `--credentials-file`) accepts only configured and created credentials, configured ones carry a
 * tenant and permissions and cannot change; `--revoke-on-deactivate`; `--max-api-credentials`;
 * and the token endpoint's faults aimed at one client (an override's `clientId`, a scenario fault
 * rule's `client`), answered in OAuth2's shape for 401 and with Jumio's 429.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/config.js'
import { configuredCredentials } from '../../src/server/domain/configured-credentials.js'
import { expectOAuthError, expectProblem } from '../helpers/expect.js'
import { admin } from '../helpers/flow.js'
import { createAccount, retrieve, USER_AGENT, workflowPath } from '../helpers/jumio.js'
import { basic, createCredential, tokenFor, tokenRequest } from '../helpers/credentials.js'
import { useHttpMock } from '../helpers/http-mock.js'
import { FIXTURES } from '../helpers/server.js'

const ACCOUNT = { customerInternalReference: 'config', workflowDefinition: { key: 10011 } }

describe('a closed instance (--clients and --credentials-file)', () => {
  const s = useHttpMock([
    ...['--clients', 'veteran:veteran-secret'],
    ...['--credentials-file', `${FIXTURES}credentials.test.yaml`],
  ])

  it('accepts only configured and created credentials', async () => {
    expectOAuthError(await tokenRequest(s, 'stranger', 'anything'), 400, 'invalid_client')
    expectOAuthError(await tokenRequest(s, 'loner', 'wrong'), 400, 'invalid_client')
    await tokenFor(s, 'loner', 'loner-secret')
    const made = await createCredential(s, { tenant: 'bank' })
    await tokenFor(s, made.clientId, made.clientSecret)
    // --clients pairs work as Basic auth too, as they always did
    await s.http
      .get('/api/v1/workflow-executions/none')
      .set('Authorization', basic('veteran', 'veteran-secret'))
      .set('User-Agent', USER_AGENT)
      .expect(404)
  })

  it('gives configured credentials their tenant and permissions: one creates, another reads', async () => {
    const initiator = await tokenFor(s, 'bank-initiator', 'initiator-secret')
    const created = await createAccount(s, initiator, ACCOUNT)
    expectProblem(await retrieve(s, initiator, workflowPath(created)), 403, 'RETRIEVE_DELETE')
    const reader = await tokenFor(s, 'bank-reader', 'reader-secret')
    await retrieve(s, reader, `${workflowPath(created)}/status`).expect(200)
    // the API user of the same tenant reads it with Basic auth, and gets no access token
    await s.http
      .get(workflowPath(created))
      .set('Authorization', basic('bank-legacy', 'legacy-secret'))
      .set('User-Agent', USER_AGENT)
      .expect(200)
    expectOAuthError(await tokenRequest(s, 'bank-legacy', 'legacy-secret'), 400, 'invalid_client')
    // another tenant's client does not see it
    await retrieve(s, await tokenFor(s, 'loner', 'loner-secret'), workflowPath(created)).expect(404)
  })

  it('lists configured credentials, and refuses to rotate or deactivate them with 409', async () => {
    const res = await admin(s, 'get', '/api-credentials', undefined, 'bank').expect(200)
    expect(res.text).not.toContain('initiator-secret')
    expect((res.body as { apiCredentials: unknown[] }).apiCredentials.slice(0, 2)).toEqual([
      expect.objectContaining({
        clientId: 'bank-initiator',
        name: 'Onboarding service',
        tenant: 'bank',
        permissions: ['INITIATE'],
        status: 'ACTIVE',
        source: 'configured',
      }),
      expect.objectContaining({ clientId: 'bank-reader', permissions: ['RETRIEVE_DELETE'] }),
    ])
    const users = await admin(s, 'get', '/api-users').expect(200)
    expect(users.body).toEqual({
      apiCredentials: [expect.objectContaining({ type: 'API_USER', clientId: 'bank-legacy' })],
    })
    for (const action of ['rotate', 'deactivate']) {
      expectProblem(
        await admin(s, 'post', `/api-credentials/veteran/${action}`, {}),
        409,
        'was configured at start-up',
      )
    }
    await tokenFor(s, 'veteran', 'veteran-secret')
  })
})

describe('the configured credentials themselves', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jumio-mock-credentials-'))
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text)
    return join(dir, name)
  }

  it('stop start-up with the file, the path in it and the problem', () => {
    const bad = file('bad.yaml', 'oauth2Clients:\n  - clientId: a\n    permissions: [READ]\n')
    expect(() => configuredCredentials({ clients: new Map(), credentialsFile: bad })).toThrow(
      new ConfigError(
        `--credentials-file ${bad}: invalid credentials file\n` +
          `  at /oauth2Clients/0: must have required property 'clientSecret'\n` +
          `  at /oauth2Clients/0/permissions/0: must be equal to one of the allowed values`,
      ),
    )
    const twice = file('twice.yaml', 'apiUsers:\n  - { apiToken: a, apiSecret: b }\n')
    expect(() =>
      configuredCredentials({ clients: new Map([['a', 'c']]), credentialsFile: twice }),
    ).toThrow('Credential "a" is configured twice')
    expect(() =>
      configuredCredentials({ clients: new Map(), credentialsFile: join(dir, 'none.yaml') }),
    ).toThrow('cannot be read as YAML or JSON')
  })
})

describe('--revoke-on-deactivate and --max-api-credentials', () => {
  const s = useHttpMock(['--revoke-on-deactivate', '--max-api-credentials', '2'])

  it('refuses the access tokens of a deactivated client at once', async () => {
    const client = await createCredential(s)
    const token = await tokenFor(s, client.clientId, client.clientSecret)
    const res = await admin(s, 'post', `/api-credentials/${client.clientId}/deactivate`)
    expect(res.body).toMatchObject({ status: 'INACTIVE', tokensRevoked: true })
    expectProblem(await retrieve(s, token, '/api/v1/workflow-executions/x'), 401, 'was revoked')
  })

  it('keeps at most the bound: the oldest deactivated one goes first, and with none, 409', async () => {
    await admin(s, 'post', '/reset').expect(204)
    const first = await createCredential(s)
    const second = await createCredential(s, {}, { type: 'API_USER' })
    expectProblem(await admin(s, 'post', '/api-credentials', {}), 409, '--max-api-credentials')
    await admin(s, 'post', `/api-credentials/${first.clientId}/deactivate`).expect(200)
    const third = await createCredential(s)
    const list = async (path: string) =>
      (
        (await admin(s, 'get', path).expect(200)).body as { apiCredentials: { clientId: string }[] }
      ).apiCredentials.map((c) => c.clientId)
    expect([await list('/api-credentials'), await list('/api-users')]).toEqual([
      [third.clientId],
      [second.clientId],
    ])
  })
})

describe('token endpoint faults for one client', () => {
  const s = useHttpMock(['--scenarios', `${FIXTURES}scenarios.credentials.yaml`])

  it('an override with clientId answers that client 401 invalid_client, and nobody else', async () => {
    await admin(s, 'post', '/scenarios/overrides', {
      operation: 'requestAccessToken',
      clientId: 'unlucky',
      fault: { status: 401 },
      times: 2,
    }).expect(201)
    await tokenFor(s, 'lucky', 'secret')
    expectOAuthError(await tokenRequest(s, 'unlucky', 'secret'), 401, 'invalid_client')
    // the form's client_id counts as Basic's user does
    const form = await s.http
      .post('/oauth2/token')
      .set('User-Agent', USER_AGENT)
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: 'unlucky', client_secret: 'secret' })
    expectOAuthError(form, 401, 'invalid_client')
    await tokenFor(s, 'unlucky', 'secret')
    const journal = await admin(s, 'get', '/journal?operation=requestAccessToken&status=401')
    expect((journal.body as { entries: { response: { body: unknown } }[] }).entries).toHaveLength(2)
  })

  it('an override with clientId answers 429 with Retry-After in Jumio’s shape', async () => {
    await admin(s, 'post', '/scenarios/overrides', {
      operation: 'requestAccessToken',
      clientId: 'busy',
      fault: { status: 429, retryAfter: 3 },
    }).expect(201)
    const res = await tokenRequest(s, 'busy', 'secret')
    expect([res.status, res.headers['retry-after'], res.body]).toEqual([
      429,
      '3',
      { title: 'Too Many Requests', status: 429, detail: 'Request limit exceeded' },
    ])
    await tokenFor(s, 'busy', 'secret')
  })

  it("a scenario's fault rule with client fails that client's token requests, every time", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await tokenRequest(s, 'throttled', 'secret')
      expect([res.status, res.headers['retry-after']]).toEqual([429, '2'])
      expectOAuthError(await tokenRequest(s, 'revoked-b', 'secret'), 401, 'invalid_client')
    }
    await tokenFor(s, 'throttled-not', 'secret')
  })

  it('an override aims at the client whose token a Jumio call carries', async () => {
    const mine = await tokenFor(s, 'reader-x', 'secret')
    const theirs = await tokenFor(s, 'reader-y', 'secret')
    await admin(s, 'post', '/scenarios/overrides', {
      clientId: 'reader-x',
      fault: { status: 503 },
    }).expect(201)
    await retrieve(s, theirs, '/api/v1/workflow-executions/none').expect(404)
    await retrieve(s, mine, '/api/v1/workflow-executions/none').expect(503)
    await retrieve(s, mine, '/api/v1/workflow-executions/none').expect(404)
  })
})
