import { describe, expect, it } from 'vitest'
import { httpServerOptions } from '../../src/server/http-server.js'

describe('the Node server options', () => {
  it('keep the 10 s limit on headers when --request-timeout is 0 (no whole-request limit)', () => {
    // regression: 0 also turned the headers' limit off (found by probing)
    expect(httpServerOptions({ requestTimeoutMs: 0 })).toMatchObject({
      requestTimeout: 0,
      headersTimeout: 10_000,
    })
    expect(httpServerOptions({ requestTimeoutMs: 2000 })).toMatchObject({
      requestTimeout: 2000,
      headersTimeout: 2000,
    })
    expect(httpServerOptions({ requestTimeoutMs: 30_000 }).headersTimeout).toBe(10_000)
  })
})
