import { describe, expect, it } from 'vitest'
import { redact } from '../../src/cli/logger.js'

describe('redact (log lines)', () => {
  it('masks JWS tokens and Basic/Bearer credentials in any string, at any depth', () => {
    const jws = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'
    expect(redact(`token ${jws} used`)).toBe('token [redacted] used')
    expect(redact('auth: basic YWNtZTpzZWNyZXQ=')).toBe('auth: basic [redacted]')
    expect(redact({ a: [{ b: `Bearer ${jws}` }] })).toEqual({ a: [{ b: 'Bearer [redacted]' }] })
  })

  it('masks fields named like secrets, and keeps everything else as it is', () => {
    expect(redact({ client_secret: 's3cret', accessToken: 'x', path: '/api/v1/accounts' })).toEqual(
      { client_secret: '[redacted]', accessToken: '[redacted]', path: '/api/v1/accounts' },
    )
    expect(redact({ status: 200, ok: true, none: null })).toEqual({
      status: 200,
      ok: true,
      none: null,
    })
  })
})
