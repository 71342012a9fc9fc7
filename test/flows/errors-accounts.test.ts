import { beforeAll, describe, expect, it } from 'vitest'
import { accessToken, txTokenOf, useClient, USER_AGENT } from '../helpers/jumio.js'
import type { Created } from '../helpers/jumio.js'
import { expectProblem } from '../helpers/expect.js'
import { advanceClock } from '../helpers/flow.js'
import { startHttpMock, useHttpMock } from '../helpers/http-mock.js'
import { expectNoResponseViolations } from '../helpers/server.js'

const s = useHttpMock()
const jumio = useClient(s)

const VALID = { customerInternalReference: 'ref-1', workflowDefinition: { key: 10011 } }
/** [D] Jumio's rule for customerInternalReference, as the 400 states it. */
const CIR_RULE =
  '/customerInternalReference must be a string of 1 to 100 characters without any of < > " / ; ` % { } | (Jumio\'s rule)'
const URL_RULE = (pointer: string) =>
  `${pointer} must be an absolute http or https URL of at most 255 characters`

const post = (body: unknown, auth?: string) => jumio.createRequest(body, auth)

describe('POST /api/v1/accounts: body rules (400 naming the field)', () => {
  it.each([
    [
      'customerInternalReference is missing',
      { workflowDefinition: { key: 10011 } },
      "must have required property 'customerInternalReference'",
    ],
    [
      'customerInternalReference is empty',
      { ...VALID, customerInternalReference: '' },
      '/customerInternalReference',
    ],
    [
      'customerInternalReference has 101 characters',
      { ...VALID, customerInternalReference: 'r'.repeat(101) },
      CIR_RULE,
    ],
    [
      'customerInternalReference is not a string',
      { ...VALID, customerInternalReference: true },
      '/customerInternalReference',
    ],
    [
      'workflowDefinition is missing',
      { customerInternalReference: 'r' },
      "must have required property 'workflowDefinition'",
    ],
    [
      'workflowDefinition.key is missing',
      { ...VALID, workflowDefinition: {} },
      "/workflowDefinition must have required property 'key'",
    ],
    [
      'workflowDefinition.key is not digits',
      { ...VALID, workflowDefinition: { key: 'ten' } },
      '/workflowDefinition/key',
    ],
    [
      'userReference has 101 characters',
      { ...VALID, userReference: 'u'.repeat(101) },
      '/userReference must NOT have more than 100 characters',
    ],
    [
      'userReference is empty',
      { ...VALID, userReference: '' },
      '/userReference must NOT have fewer than 1 characters',
    ],
    [
      'reportingCriteria has 256 characters',
      { ...VALID, reportingCriteria: 'c'.repeat(256) },
      '/reportingCriteria must NOT have more than 255 characters',
    ],
    [
      'callbackUrl has 256 characters',
      { ...VALID, callbackUrl: `https://x.example/${'p'.repeat(238)}` },
      URL_RULE('/callbackUrl'),
    ],
    // the journey navigates to these and callbacks call them: only absolute http(s) URLs
    [
      'callbackUrl is javascript:',
      { ...VALID, callbackUrl: 'javascript:alert(1)' },
      URL_RULE('/callbackUrl'),
    ],
    ['callbackUrl is relative', { ...VALID, callbackUrl: '/callback' }, URL_RULE('/callbackUrl')],
    [
      'web.errorUrl is javascript:',
      { ...VALID, web: { errorUrl: 'javascript:alert(document.domain)//' } },
      URL_RULE('/web/errorUrl'),
    ],
    [
      'web.successUrl is a data: URL',
      { ...VALID, web: { successUrl: 'data:text/html,<script>alert(1)</script>' } },
      URL_RULE('/web/successUrl'),
    ],
    [
      'web.successUrl has no host',
      { ...VALID, web: { successUrl: 'https:///path' } },
      URL_RULE('/web/successUrl'),
    ],
    [
      'tokenLifetime is 30 minutes',
      { ...VALID, tokenLifetime: '30 minutes' },
      '/tokenLifetime must match pattern',
    ],
    ['tokenLifetime is 5w', { ...VALID, tokenLifetime: '5w' }, '/tokenLifetime must match pattern'],
    [
      'tokenLifetime is a number',
      { ...VALID, tokenLifetime: 1800 },
      '/tokenLifetime must be string',
    ],
    [
      'tokenLifetime is 4m',
      { ...VALID, tokenLifetime: '4m' },
      'tokenLifetime must be between 5m and 60d, got 4m',
    ],
    [
      'tokenLifetime is 299s',
      { ...VALID, tokenLifetime: '299s' },
      'tokenLifetime must be between 5m and 60d, got 299s',
    ],
    [
      'tokenLifetime is 61d',
      { ...VALID, tokenLifetime: '61d' },
      'tokenLifetime must be between 5m and 60d, got 61d',
    ],
    [
      'tokenLifetime is -30m',
      { ...VALID, tokenLifetime: '-30m' },
      'tokenLifetime must be between 5m and 60d, got -30m',
    ],
    [
      'web.locale is xx',
      { ...VALID, web: { locale: 'xx' } },
      '/web/locale must be equal to one of the allowed values',
    ],
    ['web.locale is en_US', { ...VALID, web: { locale: 'en_US' } }, '/web/locale'],
    [
      'web.successUrl has 256 characters',
      { ...VALID, web: { successUrl: `https://x.example/${'s'.repeat(238)}` } },
      URL_RULE('/web/successUrl'),
    ],
    ['the body is a JSON array', [VALID], '/ must be object'],
    ['the body is a JSON string', 'ref-1', '/ must be object'],
  ])('refuses a body where %s', async (_, body, detail) => {
    const res = await s.http
      .post('/api/v1/accounts')
      .set('Authorization', `Bearer ${jumio.token}`)
      .type('json')
      .send(JSON.stringify(body))
    expectProblem(res, 400, detail)
  })

  it.each(['<', '>', '"', '/', ';', '`', '%', '{', '}', '|'])(
    'refuses customerInternalReference containing %s',
    async (ch) => {
      const res = await post({ ...VALID, customerInternalReference: `order${ch}7` })
      expectProblem(res, 400, CIR_RULE)
      // Jumio's rule, not the contract's machinery (the directive's pattern, anyOf)
      expect((res.body as { detail: string }).detail).not.toMatch(/pattern|anyOf|\\s/)
    },
  )

  it('refuses an unknown workflow key, listing the known keys', async () => {
    const res = await post({ ...VALID, workflowDefinition: { key: 99999 } })
    expectProblem(res, 400, 'workflowDefinition.key 99999 is not a known workflow definition')
    const detail = (res.body as { detail: string }).detail
    for (const key of ['1', '2', '3', '5', '6', '9', '16', '20', '32', '10005', '10006']) {
      expect(detail).toMatch(new RegExp(`known keys: .*\\b${key}\\b`))
    }
    expect(detail).toContain('10008, 10010, 10011, 10013, 10014, 10026')
  })

  it.each([
    [
      'ID',
      'RESIDENCE_PERMIT',
      'credentials[0].type.values: RESIDENCE_PERMIT is not a ID type; allowed: ID_CARD, DRIVING_LICENSE, PASSPORT, VISA',
    ],
    ['ID', 'id_card', 'credentials[0].type.values: id_card is not a ID type'],
    ['FACEMAP', 'IPROOV', 'credentials[0].type.values: IPROOV is not a FACEMAP type'],
  ])('refuses a %s credential of type %s', async (category, type, detail) => {
    const credentials = [{ category, type: { values: [type] } }]
    const res = await post({ ...VALID, workflowDefinition: { key: 10011, credentials } })
    expectProblem(res, 400, `workflowDefinition.${detail}`)
  })

  it('refuses a DOCUMENT type that is not a document code', async () => {
    const credentials = [
      { category: 'DOCUMENT', country: { values: ['USA'] }, type: { values: ['utility bill'] } },
    ]
    const res = await post({ ...VALID, workflowDefinition: { key: 10026, credentials } })
    expectProblem(res, 400, 'utility bill is not a DOCUMENT type (use a document code such as UB)')
  })

  it('refuses a body that is not JSON', async () => {
    const res = await s.http
      .post('/api/v1/accounts')
      .set('Authorization', `Bearer ${jumio.token}`)
      .type('json')
      .send('{"customerInternalReference": "x",')
    expectProblem(res, 400, 'The request body is not valid JSON')
  })

  it('takes JSON after a byte order mark, as RFC 8259 lets a parser (found by a probe)', async () => {
    const res = await s.http
      .post('/api/v1/accounts')
      .set('Authorization', `Bearer ${jumio.token}`)
      .set('User-Agent', 'AcmeBank KYC/1.0')
      .type('json')
      .send(`\uFEFF${JSON.stringify(VALID)}`)
    expect(res.status).toBe(200)
  })

  it('refuses an empty body', async () => {
    const res = await s.http.post('/api/v1/accounts').set('Authorization', `Bearer ${jumio.token}`)
    expectProblem(res, 400, 'A JSON request body is required')
  })
})

describe('POST /api/v1/accounts: authentication', () => {
  let created: Created
  beforeAll(async () => {
    created = await jumio.create(VALID)
  })

  it('refuses a request without Authorization with 401', async () => {
    const res = await s.http.post('/api/v1/accounts').set('User-Agent', USER_AGENT).send(VALID)
    expectProblem(res, 401, 'Missing bearer token')
  })

  it.each([
    ['a garbled bearer', 'Bearer not-a-token', 'Access token is invalid'],
    [
      'a bearer with a bad signature',
      () => `Bearer ${jumio.token.slice(0, -4)}AAAA`,
      'Access token is invalid',
    ],
    ['an empty bearer', 'Bearer ', 'Missing bearer token'],
    ['an unknown scheme', 'Token abc', 'Missing bearer token'],
    [
      'Basic without a secret',
      `Basic ${Buffer.from('client-a:').toString('base64')}`,
      'Invalid client credentials',
    ],
  ])('refuses %s with 401', async (_, auth, detail) => {
    const res = await post(VALID, typeof auth === 'function' ? auth() : auth)
    expectProblem(res, 401, detail)
  })

  it('refuses a transaction token with 401', async () => {
    const res = await post(VALID, `Bearer ${txTokenOf(created)}`)
    expectProblem(res, 401, 'A workflow transaction token is not accepted here')
  })

  it('refuses an access token that expired after 3600 s with 401', async () => {
    const other = await startHttpMock()
    try {
      const old = await accessToken(other)
      await advanceClock(other, 3600_000)
      const res = await other.http
        .post('/api/v1/accounts')
        .set('Authorization', `Bearer ${old}`)
        .send(VALID)
      expectProblem(res, 401, 'Access token has expired')
      expectNoResponseViolations(other)
    } finally {
      await other.close()
    }
  })

  it('refuses an access token of another instance with 401', async () => {
    const other = await startHttpMock()
    try {
      const res = await post(VALID, `Bearer ${await accessToken(other)}`)
      expectProblem(res, 401, 'Access token is invalid')
    } finally {
      await other.close()
    }
  })
})
