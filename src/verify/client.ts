/**
 * @module The verification suite's HTTP side: calls one Jumio-compatible target the way Jumio's
 * documentation says, and checks each response against the contract as it goes.
 */
import { Contract } from '../server/contract/validators.js'

/** Where the target lives, per host family. */
export interface Target {
  auth: string
  account: string
  api: string
  retrieval: string
  status: string
  clientId: string
  clientSecret: string
  userAgent: string
}

/** A response, read once, with its contract violations. */
export interface Checked {
  status: number
  headers: Headers
  json: unknown
  bytes: Uint8Array
  violations: string[]
}

/** A failed expectation, naming what was expected. */
export class CheckFailure extends Error {
  override name = 'CheckFailure'
}

/** Calls the target and validates responses against `contracts/jumio.openapi.yaml`. */
export class VerifyClient {
  readonly contract = Contract.load('jumio')

  constructor(readonly target: Target) {}

  /** Sends a request and checks the response against `operationId`'s contract. */
  async call(operationId: string, url: string, init: RequestInit = {}): Promise<Checked> {
    const headers = new Headers(init.headers)
    headers.set('User-Agent', this.target.userAgent)
    if (!headers.has('Accept')) headers.set('Accept', 'application/json')
    const res = await fetch(url, {
      ...init,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    })
    const bytes = new Uint8Array(await res.arrayBuffer())
    const type = res.headers.get('Content-Type') ?? ''
    let json: unknown
    if (type.includes('json') && bytes.length > 0) {
      try {
        json = JSON.parse(Buffer.from(bytes).toString('utf8'))
      } catch {
        json = undefined
      }
    }
    const body = json ?? (bytes.length > 0 ? bytes : undefined)
    const violations = this.contract
      .validateResponse(operationId, res.status, bytes.length === 0 ? '' : type, body)
      .map((v) => v.message)
    return { status: res.status, headers: res.headers, json, bytes, violations }
  }

  /** Like {@link call}, and fails unless the status is `expected` and the body is in the contract. */
  async expect(
    operationId: string,
    expected: number,
    url: string,
    init: RequestInit = {},
  ): Promise<Checked> {
    const r = await this.call(operationId, url, init)
    if (r.status !== expected) {
      const detail = r.json === undefined ? '' : `: ${JSON.stringify(r.json).slice(0, 300)}`
      throw new CheckFailure(
        `${operationId}: expected status ${String(expected)}, got ${String(r.status)}${detail}`,
      )
    }
    if (r.violations.length > 0) {
      throw new CheckFailure(
        `${operationId} ${String(r.status)} breaks the contract: ${r.violations.slice(0, 3).join('; ')}`,
      )
    }
    return r
  }

  /** An OAuth2 access token by client credentials (Basic auth). */
  async accessToken(): Promise<string> {
    const basic = Buffer.from(`${this.target.clientId}:${this.target.clientSecret}`).toString(
      'base64',
    )
    const r = await this.expect('requestAccessToken', 200, `${this.target.auth}/oauth2/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    })
    return (r.json as { access_token: string }).access_token
  }
}
