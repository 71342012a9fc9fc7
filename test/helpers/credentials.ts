/**
 * The admin API's API credentials and the token endpoint, for the tests of
 * credentials: create one, ask for a token with a pair, call with Basic auth.
 */
import { expect } from 'vitest'
import { admin } from './flow.js'
import { USER_AGENT } from './jumio.js'
import type { MockHttp } from './server.js'

/** The body of a created or rotated credential (the contract's NewApiCredential). */
export interface NewCredential {
  type: 'OAUTH2_CLIENT' | 'API_USER'
  clientId: string
  clientSecret: string
  name: string
  tenant: string
  permissions: string[]
  status: 'ACTIVE' | 'INACTIVE'
  source: 'admin' | 'configured'
  createdAt: string
  rotatedAt?: string
  previousSecretExpiresAt?: string
}

/** Where each type lives in the admin API. */
export const BASE = { OAUTH2_CLIENT: '/api-credentials', API_USER: '/api-users' } as const

/** Creates a credential through the admin API (201), `tenant` as X-Mock-Tenant. */
export async function createCredential(
  s: MockHttp,
  body: Record<string, unknown> = {},
  options: { type?: keyof typeof BASE; tenant?: string } = {},
): Promise<NewCredential> {
  const res = await admin(s, 'post', BASE[options.type ?? 'OAUTH2_CLIENT'], body, options.tenant)
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body as NewCredential
}

/** POST /oauth2/token with a pair as Basic auth. */
export function tokenRequest(s: MockHttp, id: string, secret: string) {
  return s.http
    .post('/oauth2/token')
    .auth(id, secret)
    .set('User-Agent', USER_AGENT)
    .type('form')
    .send({ grant_type: 'client_credentials' })
}

/** An access token for a pair that must be accepted. */
export async function tokenFor(s: MockHttp, id: string, secret: string): Promise<string> {
  const res = await tokenRequest(s, id, secret)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return (res.body as { access_token: string }).access_token
}

/** `Authorization: Basic` for a pair. */
export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`
}
