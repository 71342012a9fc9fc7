/**
 * Regression tests for the bugs found while documenting the harness (one `it` each).
 */
import { describe, expect, it } from 'vitest'
import { cli } from '../helpers/cli.js'
import { startMockJumio } from '../../src/index.js'
import { samplePng } from '../../src/samples/images.js'
import { admin, runFlow, uploadAndFinalize } from '../helpers/flow.js'
import {
  accessToken,
  credentialOf,
  retrieve,
  uploadImage,
  USER_AGENT,
  workflowPath,
} from '../helpers/jumio.js'
import {
  expectNoResponseViolations,
  FIXTURES,
  startTestServer,
  useTestServer,
} from '../helpers/server.js'
import type { TestServer } from '../helpers/server.js'

const s = useTestServer(['--scenarios', `${FIXTURES}scenarios.extra.yaml`])

describe('regressions', () => {
  it('a global reset also undoes moves of the global clock', async () => {
    await admin(s, 'post', '/clock/advance', { ms: 5000 }).expect(200)
    await admin(s, 'post', '/reset').expect(204)
    expect((await admin(s, 'get', '/clock').expect(200)).body).toMatchObject({ skewMs: 0 })
  })

  it("the journal keeps an upload's format and dimensions, and does not mask token_type", async () => {
    const r = await runFlow(s, { createOnly: true })
    const id = credentialOf(r.created, 'ID')
    await uploadImage(
      s,
      id.api?.parts['front'] ?? '',
      id.api?.token ?? '',
      samplePng(1000, 630),
    ).expect(200)
    const upload = (
      (await admin(s, 'get', '/journal?operation=uploadPart').expect(200)).body as {
        entries: { request: { body: unknown } }[]
      }
    ).entries[0]
    expect(upload?.request.body).toMatchObject({
      classifier: 'FRONT',
      format: 'png',
      width: 1000,
      height: 630,
    })
    const token = (
      (await admin(s, 'get', '/journal?operation=requestAccessToken').expect(200)).body as {
        entries: { response: { body: Record<string, unknown> } }[]
      }
    ).entries[0]
    expect(token?.response.body).toMatchObject({
      access_token: '***',
      token_type: 'Bearer',
      expires_in: 3600,
    })
  })

  it('strictness follows the scenario that a marker chose for the creating request', async () => {
    const token = await accessToken(s)
    const res = await s.http
      .post('/api/v1/accounts')
      .set('Authorization', `Bearer ${token}`)
      .set('User-Agent', '')
      .send({
        customerInternalReference: 'o-1 scenario:strict-checks',
        workflowDefinition: { key: 10011 },
      })
      .expect(403)
    expect((res.body as { detail: string }).detail).toContain('User-Agent header is missing')
    expectNoResponseViolations(s)
  })

  it('a hot reload that removes the active scenario falls back instead of failing every request', async () => {
    await admin(s, 'put', '/scenarios/active', { name: 'strict-checks' }).expect(200)
    const file = s.deps.scenarios
    const kept = new Map([['approved', file.require('approved')]])
    file.replace({ path: file.path, default: 'approved', scenarios: kept })
    await s.http.get('/').set('User-Agent', USER_AGENT).expect(200)
    await accessToken(s)
  })
})

describe('a hot reload that removes a workflow definition', () => {
  it('leaves the workflow executions created with it to finish, by their deadline or at once', async () => {
    const slow = await startTestServer([
      ...['--scenarios', `${FIXTURES}scenarios.extra.yaml`, '--processing-delay', '1m'],
    ])
    try {
      const waiting = await runFlow(slow, { key: 20001, createOnly: true })
      const atOnce = await runFlow(slow, { key: 20001, createOnly: true })
      await uploadAndFinalize(slow, waiting.created)
      // the file loses its definitions (a reload; the watcher calls replace the same way)
      const file = slow.deps.scenarios
      const kept = new Map([['approved', file.require('approved')]])
      file.replace({ path: file.path, default: 'approved', scenarios: kept })
      // the deadline timer fires when the clock passes the processing delay
      await admin(slow, 'post', '/clock/advance', { ms: 120_000 }).expect(200)
      const processed = await retrieve(slow, waiting.token, workflowPath(waiting.created))
      expect(processed.status).toBe(200)
      expect(processed.body).toMatchObject({
        workflow: { status: 'PROCESSED', definitionKey: '20001' },
      })
      // finalized after the reload: processed on the definition it was created with
      await admin(
        slow,
        'post',
        `/workflow-executions/${atOnce.created.workflowExecution.id}/process`,
      ).expect(200)
      await retrieve(slow, atOnce.token, workflowPath(atOnce.created)).expect(200)
      // and a new one cannot use the removed key
      const res = await slow.http
        .post('/api/v1/accounts')
        .set('Authorization', `Bearer ${waiting.token}`)
        .set('User-Agent', USER_AGENT)
        .send({ customerInternalReference: 'x', workflowDefinition: { key: 20001 } })
      expect(res.status).toBe(400)
    } finally {
      await slow.close()
    }
  })
})

describe('a hot reload that removes a scenario still bound or queued', () => {
  it('falls through to the next level instead of answering 400', async () => {
    // regression: 400 Unknown scenario until the override was used up or the binding removed
    const t = await startTestServer(['--scenarios', `${FIXTURES}scenarios.extra.yaml`])
    try {
      const r = await runFlow(t, { createOnly: true })
      await admin(t, 'put', `/accounts/${r.created.account.id}/scenario`, {
        name: 'uploads-refused',
      }).expect(200)
      await admin(t, 'post', '/scenarios/overrides', { scenario: 'slow-status', times: 2 }).expect(
        201,
      )
      // also one for reads of existing workflow executions (review)
      await admin(t, 'post', '/scenarios/overrides', {
        scenario: 'flaky',
        operation: 'getWorkflowExecutionStatus',
      }).expect(201)
      const file = t.deps.scenarios
      const kept = new Map([['approved', file.require('approved')]])
      file.replace({ path: file.path, default: 'approved', scenarios: kept })
      const body = { customerInternalReference: 'x', workflowDefinition: { key: 10011 } }
      const send = (req: ReturnType<typeof t.http.post>) =>
        req.set('Authorization', `Bearer ${r.token}`).set('User-Agent', USER_AGENT).send(body)
      for (const res of [
        await send(t.http.post('/api/v1/accounts')),
        await send(t.http.put(`/api/v1/accounts/${r.created.account.id}`)),
        await send(t.http.put(`/api/v1/accounts/${r.created.account.id}`)),
      ]) {
        expect([res.status, res.headers['x-mock-scenario']]).toEqual([200, 'approved'])
      }
      await retrieve(t, r.token, `${workflowPath(r.created)}/status`).expect(200)
    } finally {
      await t.close()
    }
  })
})

describe('regressions in the command line', () => {
  it('exec reads JUMIO_MOCK_* variables and leaves --help after -- to the command', async () => {
    const probe =
      'fetch(process.env.JUMIO_MOCK_URL+"/",{headers:{"user-agent":""}}).then(r=>process.exit(r.status===403?0:1))'
    expect(
      (await cli(['exec', '--', 'node', '-e', probe], { JUMIO_MOCK_VALIDATION: 'strict' })).code,
    ).toBe(0)
    const help = 'process.exit(process.argv.includes("--help")?0:1)'
    expect((await cli(['exec', '--', 'node', '-e', help, '--help'])).code).toBe(0)
  })

  it('verify runs a later check of a journey alone, and finds an admin API that asks for its token', async () => {
    const mock = await startMockJumio({
      flags: ['--admin-token', 'sesame', '--processing-delay', '0'],
    })
    try {
      const r = await cli([
        'verify',
        '--base-url',
        mock.url,
        '--workflows',
        '10011',
        '--checks',
        '10011:upload,scenario',
      ])
      expect(r.out).toContain('ok   10011: upload every API part')
      expect(r.out).toContain('ok   scenario jumio-unavailable')
      expect(r.code).toBe(0)
    } finally {
      await mock.close()
    }
  })

  it("verify-callbacks leaves the client's other workflow executions alone", async () => {
    const mock = await startMockJumio({ flags: ['--callback-retries', '0'] })
    try {
      const before = await runFlow(
        { http: (await import('supertest')).default(mock.url) } as unknown as TestServer,
        { client: 'acme', createOnly: true },
      )
      const r = await cli([
        'verify-callbacks',
        '--url',
        'http://127.0.0.1:9/none',
        '--mock-url',
        mock.url,
        '--client-id',
        'acme',
        '--fetch-wait',
        '0',
      ])
      expect(r.code).toBe(1)
      const res = await fetch(
        `${mock.url}/__admin/workflow-executions/${before.created.workflowExecution.id}`,
      )
      expect(res.status).toBe(200)
    } finally {
      await mock.close()
    }
  })

  it('the journal keeps the body of an answer thrown as an error, problem and OAuth2 alike', async () => {
    await admin(s, 'post', '/reset').expect(204)
    const r = await runFlow(s, { createOnly: true })
    const status = `/api/v1/accounts/${r.created.account.id}/workflow-executions/${r.created.workflowExecution.id}/status`
    await s.http.get(status).set('User-Agent', USER_AGENT).expect(401)
    await s.http
      .post('/oauth2/token')
      .auth('acme', 'secret')
      .set('User-Agent', USER_AGENT)
      .type('form')
      .send({ grant_type: 'password' })
      .expect(400)
    const entries = (
      (await admin(s, 'get', '/journal').expect(200)).body as {
        entries: { operationId?: string; status: number; response: { body: unknown } }[]
      }
    ).entries
    const unauthorized = entries.find((e) => e.status === 401)
    expect(unauthorized?.response.body).toMatchObject({ title: 'Unauthorized', status: 401 })
    const oauth = entries.find((e) => e.operationId === 'requestAccessToken' && e.status === 400)
    expect(oauth?.response.body).toEqual({ error: 'unsupported_grant_type' })
  })

  it('a transaction token verified once is still refused for another workflow execution', async () => {
    const one = await runFlow(s, { createOnly: true })
    const two = await runFlow(s, { createOnly: true })
    const own = credentialOf(one.created, 'ID').api
    const other = credentialOf(two.created, 'ID').api
    await uploadImage(s, own?.parts['front'] ?? '', own?.token ?? '', samplePng(1000, 630)).expect(
      200,
    )
    await uploadImage(
      s,
      other?.parts['front'] ?? '',
      own?.token ?? '',
      samplePng(1000, 630),
    ).expect(403)
  })
})
