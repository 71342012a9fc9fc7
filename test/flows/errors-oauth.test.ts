import { decodeJwt, decodeProtectedHeader } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { USER_AGENT } from '../helpers/jumio.js'
import { expectOAuthError, expectScenarioHeader } from '../helpers/expect.js'
import { startHttpMock } from '../helpers/http-mock.js'
import { expectNoResponseViolations, T0 } from '../helpers/server.js'
import type { RunningMock } from '../helpers/server.js'

let open: RunningMock
let closed: RunningMock
beforeAll(async () => {
  open = await startHttpMock()
  closed = await startHttpMock(['--clients', 'acme:s3cret,other:pw'])
})
afterEach(() => {
  expectNoResponseViolations(open)
  expectNoResponseViolations(closed)
})
afterAll(async () => {
  await open.close()
  await closed.close()
})

function tokenRequest(s: RunningMock, form: Record<string, string>, basic?: [string, string]) {
  const req = s.http.post('/oauth2/token').set('User-Agent', USER_AGENT).type('form')
  if (basic) void req.auth(basic[0], basic[1])
  return req.send(form)
}

describe('POST /oauth2/token', () => {
  it('issues exactly access_token, expires_in 3600 and token_type Bearer for Basic credentials', async () => {
    const res = await tokenRequest(open, { grant_type: 'client_credentials' }, ['any', 'thing'])
    expect(res.status).toBe(200)
    expectScenarioHeader(res)
    const body = res.body as Record<string, unknown>
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'token_type'])
    expect(body).toMatchObject({ expires_in: 3600, token_type: 'Bearer' })
  })

  it('issues a JWT with exp, iat, jti and sub (the client id)', async () => {
    const res = await tokenRequest(open, { grant_type: 'client_credentials' }, ['client-x', 'pw'])
    const jwt = (res.body as { access_token: string }).access_token
    expect(decodeProtectedHeader(jwt).alg).toBe('HS256')
    const claims = decodeJwt(jwt)
    expect(claims).toMatchObject({ sub: 'client-x', iat: T0 / 1000, exp: T0 / 1000 + 3600 })
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/)
    const again = await tokenRequest(open, { grant_type: 'client_credentials' }, ['client-x', 'pw'])
    expect(decodeJwt((again.body as { access_token: string }).access_token).jti).not.toBe(
      claims.jti,
    )
  })

  it('accepts client_id and client_secret as form fields', async () => {
    const res = await tokenRequest(closed, {
      grant_type: 'client_credentials',
      client_id: 'acme',
      client_secret: 's3cret',
    }).expect(200)
    expect(decodeJwt((res.body as { access_token: string }).access_token).sub).toBe('acme')
  })

  it('accepts a configured client by Basic auth', async () => {
    await tokenRequest(closed, { grant_type: 'client_credentials' }, ['other', 'pw']).expect(200)
  })

  it.each([
    ['a wrong grant type', { grant_type: 'password' }, 400, 'unsupported_grant_type'],
    [
      'an authorization_code grant',
      { grant_type: 'authorization_code' },
      400,
      'unsupported_grant_type',
    ],
    ['no grant type', {}, 400, 'invalid_request'],
  ])('answers %s with OAuth2 error', async (_, form, status, error) => {
    const res = await tokenRequest(open, form, ['any', 'thing'])
    expectOAuthError(res, status, error)
  })

  it.each([
    ['no credentials at all', undefined, {}],
    ['an empty secret by Basic', ['id', ''] as [string, string], {}],
    ['an empty client id by Basic', ['', 'secret'] as [string, string], {}],
    ['only a form client_id', undefined, { client_id: 'acme' }],
    ['only a form client_secret', undefined, { client_secret: 's3cret' }],
  ])('answers %s with 400 invalid_client', async (_, basic, extra) => {
    const res = await tokenRequest(open, { grant_type: 'client_credentials', ...extra }, basic)
    expectOAuthError(res, 400, 'invalid_client')
  })

  it.each([
    ['an unknown client', ['stranger', 's3cret'], {}],
    ['a known client with a wrong secret', ['acme', 'wrong'], {}],
    ['a secret of another client', ['acme', 'pw'], {}],
    ['a wrong secret in form fields', undefined, { client_id: 'acme', client_secret: 'nope' }],
  ] as [string, [string, string] | undefined, Record<string, string>][])(
    'with configured clients, answers %s with 400 invalid_client',
    async (_, basic, extra) => {
      const res = await tokenRequest(closed, { grant_type: 'client_credentials', ...extra }, basic)
      expectOAuthError(res, 400, 'invalid_client')
    },
  )

  it('refuses a JSON body with 400 invalid_request', async () => {
    const res = await open.http
      .post('/oauth2/token')
      .auth('any', 'thing')
      .send({ grant_type: 'client_credentials' })
    expectOAuthError(res, 400, 'invalid_request')
  })

  it('answers GET on the token endpoint with a 405 problem', async () => {
    const res = await open.http.get('/oauth2/token')
    expect(res.status).toBe(405)
    expect(res.body).toEqual({
      title: 'Method Not Allowed',
      status: 405,
      detail: 'Method GET is not allowed on /oauth2/token',
    })
    expect(res.headers['allow']).toBe('POST')
  })
})
