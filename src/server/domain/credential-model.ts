/**
 * @module What an API credential is: its permissions, an OAuth2 client or a
 * deprecated API user, created (stored, secrets hashed) or configured (never stored), and the
 * rules of where each is presented. The registry that keeps them is api-credentials.ts.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { components } from '../contract/admin.gen.js'

type Schemas = components['schemas']
/** What a credential may do: INITIATE, RETRIEVE_DELETE. */
export type Permission = Schemas['ApiPermission']
/** OAUTH2_CLIENT (access tokens) or API_USER (Basic auth, deprecated). */
export type CredentialType = Schemas['ApiCredential']['type']

/** Both: the portal grants either or both ([D] jumio-reference §2.1); a credential gets both by default. */
export const ALL_PERMISSIONS: readonly Permission[] = Object.freeze(['INITIATE', 'RETRIEVE_DELETE'])

/** A credential created through the admin API, as it is stored. */
export interface ApiCredential {
  type: CredentialType
  clientId: string
  name: string
  tenant: string
  permissions: Permission[]
  status: Schemas['ApiCredential']['status']
  /** Epoch ms on the tenant's clock, as every time below. */
  createdAt: number
  rotatedAt?: number
  deactivatedAt?: number
  /** Deactivated with its access tokens refused at once. */
  tokensRevoked?: boolean
  /** scrypt hashes: the current secret first, then the one it replaced, until `expiresAt`. */
  secrets: { hash: string; expiresAt?: number }[]
}

/** A credential configured at start-up: its secret as given (it is never stored). */
export interface ConfiguredCredential {
  type: CredentialType
  clientId: string
  secret: string
  name: string
  tenant: string
  permissions: Permission[]
  /** `--clients` pairs also work as Basic auth on the REST API, as they always did. */
  basicToo?: boolean
}

/** A credential as the admin API lists it. */
export type Listed =
  | { source: 'admin'; credential: ApiCredential }
  | { source: 'configured'; credential: ConfiguredCredential }

/** Where created credentials are kept: durable mode's table, or shared state's Redis. */
export interface CredentialStore {
  loadCredentials(): ApiCredential[]
  /**
   * Writes `credential`, forgetting `forget`, all or nothing; a StorageError when refused. A
   * change of a credential names the version it was made from (`previous`): a store several
   * processes share refuses it when another changed the credential meanwhile.
   */
  saveCredential(
    credential: ApiCredential,
    forget?: string,
    previous?: ApiCredential,
  ): void | Promise<void>
  /** Forgets the created credentials (of one tenant). */
  deleteCredentials(tenant?: string): void | Promise<void>
}

/** Where a secret is presented: at the token endpoint, or as Basic auth on the REST API. */
export type Presented = 'token' | 'basic'

/** Who a verified pair is, or why it was refused. */
export type Authentication =
  | {
      ok: true
      clientId: string
      tenant: string
      permissions: readonly Permission[]
      /** Created or configured: its tenant is fixed (no `X-Mock-Tenant`), its tokens say so. */
      registered: boolean
    }
  | { ok: false; reason: string }

/** A registered credential as an accepted principal. */
export function principal(c: ApiCredential | ConfiguredCredential): Authentication {
  const { clientId, tenant, permissions } = c
  return { ok: true, clientId, tenant, permissions, registered: true }
}

/**
 * [I] Cognito's client id format, 26 lowercase letters and digits (jumio-reference §2.1), from a
 * UUID-shaped id.
 */
export function cognitoStyle(seed: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  const bytes = createHash('sha256').update(seed).digest()
  return [...bytes.subarray(0, 26)].map((b) => alphabet[b % alphabet.length]).join('')
}

/** An OAuth2 client presents its secret at the token endpoint, an API user as Basic auth. */
export function accepts(
  c: { type: CredentialType; basicToo?: boolean },
  presented: Presented,
): boolean {
  if (c.type === 'API_USER') return presented === 'basic'
  return presented === 'token' || c.basicToo === true
}

/** Why a credential presented in the wrong place is refused. */
export function wrongPlace(type: CredentialType): string {
  return type === 'API_USER'
    ? 'An API user authenticates with Basic auth on the account and retrieval APIs; it gets no access token'
    : 'OAuth2 client credentials are exchanged for an access token at /oauth2/token; Basic auth on the REST API takes an API user'
}

/** A type's name in messages. */
export function label(type: CredentialType): string {
  return type === 'API_USER' ? 'API user' : 'OAuth2 client'
}

/** Constant-time string comparison (configured secrets). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
