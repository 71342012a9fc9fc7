/**
 * Regressions for the bad input an adversarial probe of the running server found (one `it` each):
 * every answer is a problem with the status the route's contract gives, never a 500.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { samplePng } from '../../src/samples/images.js'
import { admin, runFlow } from '../helpers/flow.js'
import {
  accessToken,
  credentialOf,
  finalize,
  piecewise,
  retrieve,
  USER_AGENT,
  workflowPath,
} from '../helpers/jumio.js'
import { startHttpMock, useHttpMock } from '../helpers/http-mock.js'

const s = useHttpMock()

describe('bad input found by probing', () => {
  it('advancing the clock with a JSON null, array or number body is a 400, not a 500', async () => {
    for (const body of ['null', '[]', '5']) {
      const res = await s.http
        .post('/__admin/clock/advance')
        .set('Content-Type', 'application/json')
        .send(body)
      expect([res.status, (res.body as { title?: string }).title]).toEqual([400, 'Bad Request'])
    }
  })

  it('a docs asset or contract named like an object property is a 404, not a 500', async () => {
    for (const name of ['constructor', '__proto__', 'hasOwnProperty', 'toString']) {
      await s.http.get(`/__admin/contracts/${name}`).expect(404)
      await s.http.get(`/__admin/docs/assets/${name}`).expect(404)
    }
  })

  it('a part classifier named like an object property is a 404, not a 200 {}', async () => {
    const r = await runFlow(s, {})
    const id = credentialOf(r.created, 'ID').id
    for (const name of ['constructor', '__proto__', 'toString', 'valueOf']) {
      const res = await s.http
        .get(`/api/v1/accounts/${r.created.account.id}/credentials/${id}/parts/${name}`)
        .set('Authorization', `Bearer ${r.token}`)
        .set('User-Agent', USER_AGENT)
      expect([name, res.status]).toEqual([name, 404])
    }
  })

  it('another method on an admin, web or docs path is a 405 with Allow, as on the Jumio paths', async () => {
    const cases: [string, string, string][] = [
      ['delete', '/__admin/health', 'GET'],
      ['get', '/__admin/clock/advance', 'POST'],
      ['put', '/__admin/journal', 'GET, DELETE'],
      ['get', '/web/v4/app/outcome', 'POST'],
      ['post', '/__admin/docs', 'GET'],
      ['post', '/', 'GET'],
    ]
    for (const [method, path, allow] of cases) {
      const res = await s.http[method as 'get'](path)
      expect([path, res.status, res.headers['allow']]).toEqual([path, 405, allow])
      expect(res.body).toMatchObject({ title: 'Method Not Allowed', status: 405 })
    }
    // an unknown path is still a 404
    await s.http.delete('/__admin/nothing-here').expect(404)
    await admin(s, 'get', '/health').expect(200)
  })

  it.each([
    ['finalized', 403],
    ['deleted', 404],
    ['reset', 404],
  ] as const)(
    'an upload still arriving when its workflow execution is %s stores nothing (%i)',
    async (what, expected) => {
      const r = await runFlow(s, { createOnly: true })
      const id = credentialOf(r.created, 'ID')
      const href = new URL(id.api?.parts['front'] ?? '')
      const boundary = 'race'
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f.png"\r\nContent-Type: image/png\r\n\r\n`,
        ),
        samplePng(1000, 630),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ])
      const { req: upload, answer } = piecewise(`${s.url}${href.pathname}`, 'POST', {
        Authorization: `Bearer ${id.api?.token ?? ''}`,
        'User-Agent': USER_AGENT,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Content-Length': String(body.length),
      })
      // the headers and a first piece: the route checks the token and the workflow execution
      upload.write(body.subarray(0, 100))
      await sleep(300)
      if (what === 'finalized') await finalize(s, r.created).expect(200)
      if (what === 'deleted') {
        await s.http
          .delete(workflowPath(r.created))
          .set('Authorization', `Bearer ${r.token}`)
          .set('User-Agent', USER_AGENT)
          .expect(200)
      }
      if (what === 'reset') await admin(s, 'post', '/reset').expect(204)
      upload.end(body.subarray(100))
      expect((await answer).status).toBe(expected)
      if (what === 'finalized') {
        const part = `/api/v1/accounts/${r.created.account.id}/credentials/${id.id}/parts/FRONT`
        await retrieve(s, r.token, part).expect(404)
      } else {
        // still gone: the upload did not bring it back
        const token = what === 'reset' ? (await runFlow(s, { createOnly: true })).token : r.token
        await retrieve(s, token, workflowPath(r.created)).expect(404)
      }
    },
  )

  it.each([
    [{ firstName: { x: 1 } }, 'extractionOverrides.firstName must be string'],
    [{ dateOfBirth: 5 }, 'extractionOverrides.dateOfBirth must be string'],
    ['abc', 'extractionOverrides must be an object'],
    [['JOHN'], 'extractionOverrides must be an object'],
  ])(
    'a Mock Service directive whose extractionOverrides %j break the extraction data is a 400',
    async (overrides, detail) => {
      const reference = JSON.stringify({
        customerInternalReference: 'x',
        extractionOverrides: overrides,
      })
      const res = await s.http
        .post('/api/v1/accounts')
        .set('Authorization', `Bearer ${(await runFlow(s, { createOnly: true })).token}`)
        .set('User-Agent', USER_AGENT)
        .send({ customerInternalReference: reference, workflowDefinition: { key: 10011 } })
      expect(res.status).toBe(400)
      expect((res.body as { detail: string }).detail).toContain(detail)
    },
  )

  it('a directive with a non-string decisionLabel is a 400; valid overrides still apply', async () => {
    const token = (await runFlow(s, { createOnly: true })).token
    const create = (reference: unknown) =>
      s.http
        .post('/api/v1/accounts')
        .set('Authorization', `Bearer ${token}`)
        .set('User-Agent', USER_AGENT)
        .send({
          customerInternalReference: JSON.stringify(reference),
          workflowDefinition: { key: 10011 },
        })
    await create({ customerInternalReference: 'x', decisionLabel: 7 }).expect(400)
    await create({
      customerInternalReference: 'x',
      extractionOverrides: { firstName: 'JOHN', idType: 'PASSPORT', custom: 'kept' },
    }).expect(200)
  })

  it('admin input the admin contract forbids is a 400 naming it', async () => {
    const r = await runFlow(s, { createOnly: true })
    const bad: [string, string, string | undefined, string][] = [
      ['get', '/workflow-executions?status=abc', undefined, 'status must be equal to one of'],
      ['get', '/journal?limit=0', undefined, 'limit must be >= 1'],
      ['get', '/journal?hasViolations=maybe', undefined, 'hasViolations must be boolean'],
      [
        'put',
        `/accounts/${r.created.account.id}/scenario`,
        '{"name":"approved","x":1}',
        'must NOT have additional properties (x)',
      ],
      ['post', '/callbacks/any/redeliver', '[]', 'must be object'],
      ['post', '/clock/advance', '{"ms":"5"}', '/ms must be integer'],
    ]
    for (const [method, path, body, detail] of bad) {
      const req = s.http[method as 'get'](`/__admin${path}`)
      const res = await (body === undefined
        ? req
        : req.set('Content-Type', 'application/json').send(body))
      expect([path, res.status]).toEqual([path, 400])
      expect((res.body as { detail: string }).detail).toContain(detail)
    }
    // what the contract allows still passes
    await admin(s, 'get', '/journal?limit=1&hasViolations=false&status=200').expect(200)
    await admin(s, 'get', '/workflow-executions?status=INITIATED').expect(200)
  })

  it('a fault override with neither status, latencyMs nor drop is a 400: it would do nothing', async () => {
    const res = await admin(s, 'post', '/scenarios/overrides', { fault: {} })
    expect(res.status).toBe(400)
    await admin(s, 'post', '/scenarios/overrides', { fault: { latencyMs: 1 } }).expect(201)
    await admin(s, 'delete', '/scenarios/overrides').expect(204)
  })

  it('the token endpoint takes the form media type itself, not a parameter naming it', async () => {
    const res = await s.http
      .post('/oauth2/token')
      .auth('a', 'b')
      .set('User-Agent', USER_AGENT)
      .set('Content-Type', 'text/plain; x=application/x-www-form-urlencoded')
      .send('grant_type=client_credentials')
    expect([res.status, res.body]).toEqual([400, { error: 'invalid_request' }])
    await s.http
      .post('/oauth2/token')
      .auth('a', 'b')
      .set('User-Agent', USER_AGENT)
      .set('Content-Type', 'Application/X-WWW-Form-Urlencoded; charset=UTF-8')
      .send('grant_type=client_credentials')
      .expect(200)
  })

  it('verifying client callbacks needs an http or https URL', async () => {
    for (const url of ['data:text/plain,ok', 'file:///etc/passwd', 'ftp://x/y']) {
      const res = await admin(s, 'post', '/callbacks/verify', { url })
      expect([url, res.status]).toEqual([url, 400])
    }
  })

  it('an update whose account is deleted while it waits answers 404 and leaves it deleted', async () => {
    // regression: the update saved the account again, bringing it back (review). The route reads
    // the account, then the body, then waits the scenario's latency before it saves; the body
    // ends only once the deletion is done, so the update cannot finish before it on a slow box
    const dir = mkdtempSync(join(tmpdir(), 'jumio-mock-slow-update-'))
    writeFileSync(
      join(dir, 'scenarios.yaml'),
      `default: approved
scenarios:
  approved: { description: fine }
  slow-update:
    description: updates wait
    faults: [{ operation: updateAccount, latency: 300ms }]
`,
    )
    const t = await startHttpMock(['--scenarios', join(dir, 'scenarios.yaml')])
    try {
      const r = await runFlow(t, { createOnly: true })
      const path = `/api/v1/accounts/${r.created.account.id}`
      const as = (req: ReturnType<typeof t.http.put>) =>
        req.set('Authorization', `Bearer ${r.token}`).set('User-Agent', USER_AGENT)
      const body = JSON.stringify({
        customerInternalReference: 'x',
        workflowDefinition: { key: 10011 },
      })
      // without a length, so that the route, not the journal, reads the body as it comes
      const { req: update, answer } = piecewise(`${t.url}${path}`, 'PUT', {
        Authorization: `Bearer ${r.token}`,
        'User-Agent': USER_AGENT,
        'Content-Type': 'application/json',
        'X-Mock-Scenario': 'slow-update',
      })
      update.write(body.slice(0, 10))
      await sleep(100)
      await as(t.http.delete(path)).expect(200)
      update.end(body.slice(10))
      expect((await answer).status).toBe(404)
      await retrieve(t, r.token, workflowPath(r.created)).expect(404)
      await as(t.http.put(path))
        .send({ customerInternalReference: 'y', workflowDefinition: { key: 10011 } })
        .expect(404)
    } finally {
      await t.close()
    }
  })

  it('admin calls that take no body ignore one, as before', async () => {
    for (const body of ['{}', 'null']) {
      await s.http
        .post('/__admin/reset')
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(204)
    }
  })

  it('an extraction override named like an object property is set as given', async () => {
    const reference = JSON.stringify({
      customerInternalReference: 'x',
      extractionOverrides: { constructor: 'X', idType: 'PASSPORT' },
    })
    const r = await runFlow(s, { body: { customerInternalReference: reference } })
    expect(r.details.capabilities['extraction']?.[0]?.data).toMatchObject({
      constructor: 'X',
      type: 'PASSPORT',
    })
  })

  it('reading a clock, or unsetting what a tenant does not have, keeps nothing for it', async () => {
    const t = await startHttpMock(['--max-tenants', '2'])
    try {
      await admin(t, 'put', '/scenarios/active', { name: 'rejected-fake' }, 'team-a').expect(200)
      await admin(t, 'post', '/clock/advance', { ms: 3_600_000 }, 'team-a').expect(200)
      for (let i = 0; i < 5; i++) {
        await admin(t, 'get', `/clock?tenant=reader-${String(i)}`).expect(200)
        await admin(t, 'delete', '/scenarios/overrides', undefined, `clearer-${String(i)}`)
        await admin(t, 'put', '/scenarios/active', { name: null }, `unsetter-${String(i)}`)
      }
      const active = await admin(t, 'get', '/scenarios/active', undefined, 'team-a')
      expect((active.body as { name: string }).name).toBe('rejected-fake')
      const clock = await admin(t, 'get', '/clock?tenant=team-a')
      expect((clock.body as { skewMs: number }).skewMs).toBe(3_600_000)
      // every clock moved: one that holds nothing follows, and has moved by nothing of its own
      await admin(t, 'post', '/clock/advance', { ms: 60_000 }).expect(200)
      const fresh = await admin(t, 'get', '/clock?tenant=reader-0')
      expect((fresh.body as { skewMs: number }).skewMs).toBe(0)
      const health = await admin(t, 'get', '/health')
      expect((health.body as { tenants: unknown }).tenants).toMatchObject({
        count: 1,
        evictions: 0,
      })
    } finally {
      await t.close()
    }
  })

  it('a callbackUrl or web URL that only looks like a URL is a 400, not a callback that never parses', async () => {
    const token = await accessToken(s)
    const create = (extra: Record<string, unknown>) =>
      s.http
        .post('/api/v1/accounts')
        .set('Authorization', `Bearer ${token}`)
        .set('User-Agent', USER_AGENT)
        .send({ customerInternalReference: 'urls', workflowDefinition: { key: 10011 }, ...extra })
    for (const url of ['http://[::1', 'http://a:99999/', 'http://%zz/']) {
      for (const [name, extra] of [
        ['callbackUrl', { callbackUrl: url }],
        ['web.successUrl', { web: { successUrl: url } }],
        ['web.errorUrl', { web: { errorUrl: url } }],
      ] as const) {
        const res = await create(extra)
        expect([res.status, (res.body as { detail?: string }).detail]).toEqual([
          400,
          `${name} must be an absolute http or https URL: ${url} is not one`,
        ])
      }
    }
    await create({ callbackUrl: 'https://example.com/cb?name=José' }).expect(200)
  })
})
