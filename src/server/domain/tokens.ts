/**
 * @module Every token the mock issues or reads, all through jose (jumio-reference §2.1, §3).
 *
 * - The OAuth2 access token is a standard JWT (`exp`, `iat`, `jti`, `sub` = client id), 3600 s.
 * - The transaction token is Jumio's own jjwt format, not a standard JWT: header
 *   `{"alg":"HS512","zip":"GZIP"}` over gzip-compressed JSON claims. jose has no JWS compression,
 *   so we sign the gzipped bytes with `CompactSign` and gunzip after `compactVerify`.
 */
import { createHash, createSecretKey } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { gunzipSync, gzipSync } from 'node:zlib'
import {
  CompactSign,
  SignJWT,
  compactVerify,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
} from 'jose'
import type { JWTPayload } from 'jose'
import { problem } from '../errors.js'
import { ALL_PERMISSIONS } from './credential-model.js'
import type { Permission } from './credential-model.js'
import { memoize, remember } from './memo.js'

/** [D] access tokens live 60 minutes (jumio-reference §2.1). */
export const ACCESS_TOKEN_TTL_S = 3600

/** The claims of a transaction token, named as Jumio names them ([O] jumio-reference §3.1). */
export interface TransactionClaims {
  /** Expiry, epoch milliseconds as a string. */
  exAt: string
  accId: string
  /** Always equal to `wfeId` in every observed token. */
  aId: string
  wfeId: string
  /** The customerInternalReference. */
  cRef: string
  /** Unexplained UUID; random here. */
  cId: string
}

/** What a verified access token says about its bearer. */
export interface AccessPrincipal {
  clientId: string
  /** The tenant that issued it: its expiry is judged on this tenant's clock. */
  tenant: string
  expiresAt: number
  /** A registered client's permissions, fixed at issue; absent for any other client (all). */
  permissions?: readonly Permission[]
}

/** Issues and verifies both kinds of token with this instance's keys. */
export class TokenService {
  // KeyObjects: jose 5's Node build signs and verifies HMAC with node:crypto, synchronously.
  // Keep jose at major 5: jose 6 has no Node build and goes through WebCrypto, ten times the CPU
  // per token (measured; docs/benchmarks.md, "Hot paths fixed").
  private accessKey: KeyObject
  private transactionKey: KeyObject
  // what verified tokens said (signatures never change; expiry is checked again on every use)
  private readonly verified = new Map<string, AccessPrincipal>()
  private readonly transactions = new Map<string, Readonly<TransactionClaims>>()

  constructor(secret: Uint8Array) {
    // Two keys derived from one secret, so that neither token verifies as the other.
    this.accessKey = derive(secret, 'access')
    this.transactionKey = derive(secret, 'transaction')
  }

  /**
   * Signs and verifies with another secret from now on: the replicas of shared state agreed on
   * a new one (Redis lost its data). Tokens of the old secret are refused, as another instance's.
   */
  rekey(secret: Uint8Array): void {
    this.accessKey = derive(secret, 'access')
    this.transactionKey = derive(secret, 'transaction')
    this.verified.clear()
    this.transactions.clear()
  }

  /**
   * Signs an OAuth2 access token for `clientId` of `tenant` at `now` (epoch ms, its clock). A
   * registered client's token carries its permissions: they hold for the token's hour even if
   * the credential is reset away meanwhile.
   */
  async issueAccessToken(
    clientId: string,
    tenant: string,
    now: number,
    jti: string,
    permissions?: readonly Permission[],
  ): Promise<string> {
    const iat = Math.floor(now / 1000)
    const claims = {
      client_id: clientId,
      token_use: 'access',
      scope: 'jumio/api',
      tenant,
      ...(permissions && { permissions }),
    }
    const exp = iat + ACCESS_TOKEN_TTL_S
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(clientId)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(jti)
      .sign(this.accessKey)
    // what this instance signed needs no verification at its first use: known as verified
    remember(this.verified, token, principalOf({ ...claims, sub: clientId, iat, exp, jti }))
    return token
  }

  /**
   * Verifies an access token; any failure is a 401 problem. Clients reuse a token for its hour,
   * so verified tokens are remembered (bounded) and only their expiry is checked again.
   */
  async verifyAccessToken(token: string, now: number): Promise<AccessPrincipal> {
    const known = this.verified.get(token)
    if (known && now < known.expiresAt) return known
    return remember(this.verified, token, await this.verifyAccessTokenNow(token, now))
  }

  private async verifyAccessTokenNow(token: string, now: number): Promise<AccessPrincipal> {
    try {
      const { payload } = await jwtVerify(token, this.accessKey, {
        algorithms: ['HS256'],
        currentDate: new Date(now),
      })
      return principalOf(payload)
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw problem.unauthorized('Access token has expired')
      if (err instanceof Error && err.name === 'JumioProblem') throw err
      throw problem.unauthorized('Access token is invalid')
    }
  }

  /** Signs a transaction token over gzipped claims, as jjwt does. */
  async issueTransactionToken(claims: TransactionClaims): Promise<string> {
    const json = JSON.stringify(claims)
    const gz = gzipSync(Buffer.from(json))
    gz[9] = 0xff // [O] the gzip OS byte is 255 in tokens since 2022 (JDK >= 16), jumio-reference §3.1
    const token = await new CompactSign(gz)
      .setProtectedHeader({ alg: 'HS512', zip: 'GZIP' })
      .sign(this.transactionKey)
    // known as verified, with the claims a verification would read from it
    remember(this.transactions, token, Object.freeze(JSON.parse(json) as TransactionClaims))
    return token
  }

  /**
   * Verifies a transaction token's signature and reads its claims. Expiry is not checked here:
   * the workflow execution's own deadline decides (it may have been moved by a scenario).
   * A bad signature or a garbled token is a 401 problem. Verified tokens are remembered (bounded):
   * every upload and the finalize of a workflow execution present the same one.
   */
  async verifyTransactionToken(token: string): Promise<Readonly<TransactionClaims>> {
    const known = this.transactions.get(token)
    if (known) return known
    return remember(this.transactions, token, Object.freeze(await this.readTransactionToken(token)))
  }

  private async readTransactionToken(token: string): Promise<TransactionClaims> {
    try {
      const { payload, protectedHeader } = await compactVerify(token, this.transactionKey, {
        algorithms: ['HS512'],
      })
      const json = protectedHeader['zip'] === 'GZIP' ? gunzipSync(payload) : Buffer.from(payload)
      const claims = JSON.parse(json.toString('utf8')) as Partial<TransactionClaims>
      if (
        typeof claims.accId !== 'string' ||
        typeof claims.wfeId !== 'string' ||
        typeof claims.exAt !== 'string'
      ) {
        throw new Error('claims missing')
      }
      return claims as TransactionClaims
    } catch {
      throw problem.unauthorized('Authorization token is invalid')
    }
  }
}

/** What a verified access token's claims say about its bearer. */
function principalOf(payload: JWTPayload): AccessPrincipal {
  if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') {
    throw problem.unauthorized('Access token is missing its subject or expiry')
  }
  const permissions = permissionsClaim(payload)
  return {
    clientId: payload.sub,
    tenant: tenantClaim(payload),
    expiresAt: payload.exp * 1000,
    ...(permissions && { permissions }),
  }
}

/** The tenant of an access token's claims: its own claim, else (older tokens) the client id. */
function tenantClaim(payload: JWTPayload): string {
  const tenant = payload['tenant']
  return typeof tenant === 'string' && tenant !== '' ? tenant : (payload.sub ?? '')
}

/** A token's permissions claim, the known ones only; undefined without one. */
function permissionsClaim(payload: JWTPayload): Permission[] | undefined {
  const claim = payload['permissions']
  if (!Array.isArray(claim)) return undefined
  return ALL_PERMISSIONS.filter((p) => claim.includes(p))
}

/**
 * The unverified client and tenant of an access token, to pick the clock that judges its expiry
 * before verifying it (and a client's faults), and whether its tenant is pinned (a registered
 * client's token); remembered; undefined for what is not a JWT.
 */
export const accessTokenClaims = memoize(
  (token): { clientId: string; tenant: string; pinned: boolean } | undefined => {
    // a transaction token's payload is gzipped, not JSON: decodeJwt would throw, which was about
    // 7 % of a finalize's CPU when its token was new (measured)
    if (tokenKind(token) === 'transaction') return undefined
    try {
      const payload = decodeJwt(token)
      const tenant = tenantClaim(payload)
      const clientId = payload.sub ?? ''
      return tenant
        ? { clientId, tenant, pinned: permissionsClaim(payload) !== undefined }
        : undefined
    } catch {
      return undefined
    }
  },
)

/** Which kind of token a bearer string looks like, without verifying it (remembered). */
export const tokenKind = memoize((token): 'transaction' | 'access' | 'unknown' => {
  try {
    // a JWS header: jose types `zip` for JWE only, so it is read as a plain member here
    const header: Record<string, unknown> = decodeProtectedHeader(token)
    if (header['alg'] === 'HS512' && header['zip'] === 'GZIP') return 'transaction'
    if (header['alg'] === 'HS256') return 'access'
  } catch {
    // not a JWS at all
  }
  return 'unknown'
})

function derive(secret: Uint8Array, label: string): KeyObject {
  // A labelled SHA-512 gives two independent 64-byte keys from one secret.
  return createSecretKey(createHash('sha512').update(secret).update(label).digest())
}
