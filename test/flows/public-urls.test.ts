import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runFlow } from '../helpers/flow.js'
import { credentialOf } from '../helpers/jumio.js'
import { startReceiver } from '../helpers/receiver.js'
import { startHttpMock } from '../helpers/http-mock.js'
import { expectNoResponseViolations } from '../helpers/server.js'
import type { RunningMock } from '../helpers/server.js'

describe('hrefs point at the configured public base URL of each host family', () => {
  let s: RunningMock
  beforeAll(async () => {
    s = await startHttpMock([
      ...['--public-url', 'https://jumio-mock.example'],
      ...[
        '--public-url-api',
        'https://api.amer-1.example',
        '--public-url-web',
        'https://acme.web.amer-1.example',
      ],
    ])
  })
  afterAll(() => s.close())

  it('uses each family, and --public-url for the others', async () => {
    const r = await runFlow(s, { createOnly: true })
    const id = credentialOf(r.created, 'ID')
    expect(id.api?.parts['front']).toMatch(
      /^https:\/\/api\.amer-1\.example\/api\/v1\/accounts\/[^/]+\/workflow-executions\/[^/]+\/credentials\/[^/]+\/parts\/FRONT$/,
    )
    expect(id.api?.workflowExecution).toMatch(/^https:\/\/api\.amer-1\.example\//)
    expect(r.created.web?.href).toMatch(
      /^https:\/\/acme\.web\.amer-1\.example\/web\/v4\/app\?authorizationToken=/,
    )
    const status = await s.http
      .get(
        `/api/v1/accounts/${r.created.account.id}/workflow-executions/${r.created.workflowExecution.id}/status`,
      )
      .set('Authorization', `Bearer ${r.token}`)
      .expect(200)
    expect((status.body as { account: { href: string } }).account.href).toBe(
      `https://jumio-mock.example/api/v1/accounts/${r.created.account.id}`,
    )
    expectNoResponseViolations(s)
  })
})

describe('--intermediate-callbacks', () => {
  it('also calls back on ACQUIRED, not only on PROCESSED', async () => {
    const s = await startHttpMock(['--intermediate-callbacks'])
    const receiver = await startReceiver()
    try {
      await runFlow(s, { body: { callbackUrl: receiver.url } })
      const got = await receiver.waitFor(2)
      // both fall due at once (processing delay 0): their arrival order is the network's
      const statuses = got.map((g) => (g.body['workflowExecution'] as { status: string }).status)
      expect(statuses.sort()).toEqual(['ACQUIRED', 'PROCESSED'])
      expectNoResponseViolations(s)
    } finally {
      await s.close()
      await receiver.close()
    }
  })
})

describe('security headers', () => {
  it('sends nosniff and no-referrer, no framework banner and no stack trace', async () => {
    const s = await startHttpMock()
    try {
      const ok = await s.http.get('/').expect(200)
      const notFound = await s.http.get('/nope/../../etc/passwd').expect(404)
      // regression: answers thrown as errors (401, a route's 404, 405) are fresh responses and
      // lacked the headers set before the route ran
      const unauthorized = await s.http.get('/api/v1/workflow-executions/x').expect(401)
      const token = (await runFlow(s, { createOnly: true })).token
      const missing = await s.http
        .get('/api/v1/workflow-executions/nope')
        .set('Authorization', `Bearer ${token}`)
        .expect(404)
      const wrongMethod = await s.http.patch('/oauth2/token').expect(405)
      for (const res of [ok, notFound, unauthorized, missing, wrongMethod]) {
        expect(res.headers['x-content-type-options']).toBe('nosniff')
        expect(res.headers['referrer-policy']).toBe('no-referrer')
        expect(res.headers['x-request-id']).toMatch(/^[\w-]{8,}$/)
        expect(res.headers['x-powered-by']).toBeUndefined()
        expect(res.headers['server']).toBeUndefined()
      }
      expect(notFound.text).not.toMatch(/at .*\.(ts|js):\d+/)
      expectNoResponseViolations(s)
    } finally {
      await s.close()
    }
  })
})
