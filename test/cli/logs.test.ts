/**
 * Request logs: one JSON line per request with id, operation, status, duration,
 * scenario and violations; levels; and never a token or a secret, even in a URL's query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kill, ready, spawnCli } from './process.js'
import type { Child } from './process.js'

const UA = { 'User-Agent': 'curl/8.5.0' }
const SECRET = 'very-secret-value-123'

type Line = Record<string, unknown>
const lines = (c: Child): Line[] =>
  c
    .stderr()
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line)
const requests = (c: Child) => lines(c).filter((l) => l['msg'] === 'request')

describe('--log-format json at the default level', () => {
  let mock: Child
  let url: string
  let accessToken: string
  let txToken: string
  let tokenResponse: Response

  beforeAll(async () => {
    mock = spawnCli(['--port', '0', '--log-format', 'json', '--clients', `acme:${SECRET}`])
    url = await ready(mock)
    tokenResponse = await fetch(`${url}/oauth2/token`, {
      method: 'POST',
      headers: { ...UA, Authorization: `Basic ${btoa(`acme:${SECRET}`)}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    })
    accessToken = ((await tokenResponse.json()) as { access_token: string }).access_token
    const created = await fetch(`${url}/api/v1/accounts`, {
      method: 'POST',
      headers: { ...UA, Authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({
        customerInternalReference: 'logs',
        workflowDefinition: { key: 10011 },
      }),
    })
    const body = (await created.json()) as { web: { href: string }; sdk: { token: string } }
    txToken = body.sdk.token
    await fetch(body.web.href.replace(/^https?:\/\/[^/]+/, url))
    await fetch(`${url}/__admin/health`)
    await fetch(`${url}/no/such/path`)
    for (let i = 0; i < 100 && requests(mock).length < 4; i++) {
      await new Promise((r) => setTimeout(r, 20))
    }
  })
  afterAll(() => {
    kill(mock)
  })

  it('writes one JSON line per request with its id, operation, status, duration and scenario', () => {
    const [token] = requests(mock)
    expect(token).toMatchObject({
      level: 'info',
      method: 'POST',
      path: '/oauth2/token',
      operation: 'requestAccessToken',
      status: 200,
      scenario: 'approved',
    })
    expect(token?.['id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(token?.['durationMs']).toBeTypeOf('number')
    expect(token?.['time']).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(requests(mock).at(-1)).toMatchObject({
      path: '/no/such/path',
      status: 404,
      operation: null,
    })
  })

  it('counts the request’s contract violations as X-Mock-Violations does', () => {
    const header = tokenResponse.headers.get('X-Mock-Violations')
    expect(requests(mock)[0]?.['violations']).toBe(Number.parseInt(header ?? '0', 10))
  })

  it('never logs a token or a secret, nor the query that carries the web token', () => {
    const text = mock.stderr()
    expect(accessToken.length).toBeGreaterThan(20)
    for (const secret of [accessToken, txToken, SECRET, btoa(`acme:${SECRET}`), 'eyJ']) {
      expect(text).not.toContain(secret)
    }
    expect(requests(mock)[2]).toMatchObject({ method: 'GET', path: '/web/v4/app' })
  })

  it('logs health checks only at debug level', () => {
    expect(requests(mock).map((l) => l['path'])).not.toContain('/__admin/health')
  })
})

describe('levels', () => {
  it('--log-level warn drops successful requests; debug adds health checks', async () => {
    const quiet = spawnCli(['--port', '0', '--log-format', 'json', '--log-level', 'warn'])
    const chatty = spawnCli(['--port', '0', '--log-format', 'json', '--log-level', 'debug'])
    try {
      const [q, c] = await Promise.all([ready(quiet), ready(chatty)])
      await fetch(`${q}/__admin/health`)
      await fetch(`${c}/__admin/health`)
      await expect
        .poll(() => requests(chatty))
        .toContainEqual(
          expect.objectContaining({ level: 'debug', path: '/__admin/health', status: 200 }),
        )
      expect(quiet.stderr()).toBe('')
    } finally {
      kill(quiet)
      kill(chatty)
    }
  })
})
