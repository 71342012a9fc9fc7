/**
 * @module API credentials as Jumio's portal manages them: OAuth2 clients and the
 * deprecated Basic-auth API users, each of a tenant, with permissions ("initiate a transaction",
 * "retrieve & delete transaction details", [D] jumio-reference §2.1), rotation with a grace period and
 * deactivation. Those configured at start-up (`--clients`, `--credentials-file`) are fixed; those
 * created through the admin API change, and durable mode stores them (secrets as scrypt hashes,
 * secret-hash.ts), each change all or nothing: memory never runs ahead of the disk.
 */
import { createHash } from 'node:crypto'
import { JumioProblem, PROBLEMS, problem } from '../errors.js'
import {
  ALL_PERMISSIONS,
  accepts,
  cognitoStyle,
  label,
  principal,
  safeEqual,
  wrongPlace,
} from './credential-model.js'
import type {
  ApiCredential,
  Authentication,
  ConfiguredCredential,
  CredentialStore,
  CredentialType,
  Listed,
  Permission,
  Presented,
} from './credential-model.js'
import { remember } from './memo.js'
import { isTenantName } from './tenants.js'
import { hashSecret, newSecret, secretMatches } from './secret-hash.js'

/** What the registry is built from. */
export interface ApiCredentialsOptions {
  configured: ConfiguredCredential[]
  /** When the configured ones were configured (epoch ms): start-up. */
  startedAt: number
  /** `--clients` or `--credentials-file` given: unregistered pairs are refused. */
  closed: boolean
  /** Created credentials kept (`--max-api-credentials`). */
  max: number
  /** `--revoke-on-deactivate`: whether deactivation refuses existing access tokens. */
  revokeOnDeactivate: boolean
  /** The current time on a tenant's clock. */
  now: (tenant: string) => number
  /** A fresh UUID-shaped id (the instance's id source). */
  ids: () => string
  store?: CredentialStore | undefined
}

/** The credentials a request may present, and the admin operations on them. */
export class ApiCredentials {
  readonly closed: boolean
  readonly startedAt: number
  private readonly configured: Map<string, ConfiguredCredential>
  /** In creation order (a rotation keeps a credential's place). */
  private readonly created = new Map<string, ApiCredential>()
  /** sha256(id, secret) → the stored hash it matched: scrypt is paid once per pair. */
  private readonly verified = new Map<string, string>()

  constructor(private readonly options: ApiCredentialsOptions) {
    this.closed = options.closed
    this.startedAt = options.startedAt
    this.configured = new Map(options.configured.map((c) => [c.clientId, c]))
    for (const c of options.store?.loadCredentials() ?? []) this.created.set(c.clientId, c)
  }

  /** The credential of a client id, if it is registered. */
  find(clientId: string): ApiCredential | ConfiguredCredential | undefined {
    return this.configured.get(clientId) ?? this.created.get(clientId)
  }

  /** True when the client was deactivated with its access tokens refused. */
  tokensRevoked(clientId: string): boolean {
    const c = this.created.get(clientId)
    return c?.status === 'INACTIVE' && c.tokensRevoked === true
  }

  /**
   * Checks a pair. A registered id needs one of its current secrets, an active status and the
   * right place (an OAuth2 client at the token endpoint, an API user as Basic auth); any other
   * pair of non-empty strings is accepted unless the instance is closed.
   */
  async authenticate(id: string, secret: string, presented: Presented): Promise<Authentication> {
    const refused = (reason: string): Authentication => ({ ok: false, reason })
    if (!id || !secret || !isTenantName(id)) return refused('Invalid client credentials')
    const configured = this.configured.get(id)
    if (configured) {
      if (!safeEqual(configured.secret, secret)) return refused('Invalid client credentials')
      if (!accepts(configured, presented)) return refused(wrongPlace(configured.type))
      return principal(configured)
    }
    if (!this.created.has(id)) {
      if (this.closed) return refused('Invalid client credentials')
      return { ok: true, clientId: id, tenant: id, permissions: ALL_PERMISSIONS, registered: false }
    }
    const made = await this.matching(id, secret)
    if (!made) return refused('Invalid client credentials')
    if (made.status === 'INACTIVE') return refused(`Client ${id} was deactivated`)
    if (!accepts(made, presented)) return refused(wrongPlace(made.type))
    return principal(made)
  }

  /** The credential, as it is once `secret` was checked, if the secret is one that works now. */
  private async matching(id: string, secret: string): Promise<ApiCredential | undefined> {
    const key = createHash('sha256').update(id).update('\0').update(secret).digest('base64')
    let hash = this.verified.get(key)
    if (hash === undefined) {
      for (const s of this.created.get(id)?.secrets ?? []) {
        if (await secretMatches(secret, s.hash)) hash = remember(this.verified, key, s.hash)
        if (hash !== undefined) break
      }
    }
    // read again after the wait: a rotation, a deactivation or a reset may have come meanwhile
    const made = this.created.get(id)
    if (!made || hash === undefined) return undefined
    const now = this.options.now(made.tenant)
    const live = made.secrets.find((s) => s.hash === hash)
    return live && (live.expiresAt === undefined || now < live.expiresAt) ? made : undefined
  }

  /** The current time on a tenant's clock. */
  now(tenant: string): number {
    return this.options.now(tenant)
  }

  /** The credentials of a type (of one tenant), configured first, then in creation order. */
  list(type: CredentialType, tenant?: string): Listed[] {
    const mine = (c: { type: CredentialType; tenant: string }) =>
      c.type === type && (tenant === undefined || c.tenant === tenant)
    return [
      ...[...this.configured.values()]
        .filter(mine)
        .map((credential) => ({ source: 'configured' as const, credential })),
      ...[...this.created.values()]
        .filter(mine)
        .map((credential) => ({ source: 'admin' as const, credential })),
    ]
  }

  /** Creates a credential; its secret is returned this once. */
  async create(
    type: CredentialType,
    request: { name?: string; tenant?: string | undefined; permissions?: Permission[] },
  ): Promise<{ credential: ApiCredential; secret: string }> {
    const clientId = this.freshId(type)
    const secret = newSecret()
    const hash = await hashSecret(secret)
    const tenant = request.tenant ?? clientId
    const credential: ApiCredential = {
      type,
      clientId,
      name: request.name ?? clientId,
      tenant,
      permissions: [...(request.permissions ?? ALL_PERMISSIONS)],
      status: 'ACTIVE',
      createdAt: this.options.now(tenant),
      secrets: [{ hash }],
    }
    await this.commit(credential, this.room())
    return { credential, secret }
  }

  /** A new secret; the one it replaces works `graceMs` more on the tenant's clock. */
  async rotate(
    type: CredentialType,
    clientId: string,
    tenant: string | undefined,
    graceMs: number,
  ): Promise<{ credential: ApiCredential; secret: string }> {
    this.active(type, clientId, tenant)
    const secret = newSecret()
    const hash = await hashSecret(secret)
    const made = this.active(type, clientId, tenant)
    const now = this.options.now(made.tenant)
    const previous = made.secrets[0]
    // at most two secrets: a second rotation ends the grace of the first
    const graced =
      graceMs > 0 && previous ? [{ hash: previous.hash, expiresAt: now + graceMs }] : []
    const credential = { ...made, rotatedAt: now, secrets: [{ hash }, ...graced] }
    await this.commit(credential, undefined, made)
    return { credential, secret }
  }

  /**
   * Deactivates a credential: no secret works any more. Its access tokens stay valid until they
   * expire unless `revokeTokens` (default: the instance's setting) refuses them too; once refused
   * they stay refused. Deactivating again changes nothing else.
   */
  async deactivate(
    type: CredentialType,
    clientId: string,
    tenant: string | undefined,
    revokeTokens: boolean | undefined,
  ): Promise<ApiCredential> {
    const made = this.own(type, clientId, tenant)
    const revoke = revokeTokens ?? (made.status === 'ACTIVE' && this.options.revokeOnDeactivate)
    if (made.status === 'INACTIVE' && (made.tokensRevoked === true || !revoke)) return made
    const credential: ApiCredential = {
      ...made,
      status: 'INACTIVE',
      deactivatedAt: made.deactivatedAt ?? this.options.now(made.tenant),
      tokensRevoked: made.tokensRevoked === true || revoke,
    }
    await this.commit(credential, undefined, made)
    return credential
  }

  /** Forgets the created credentials of a tenant, or all of them; stored first. */
  async reset(tenant?: string): Promise<void> {
    await this.options.store?.deleteCredentials(tenant)
    for (const [id, c] of this.created) {
      if (tenant === undefined || c.tenant === tenant) this.created.delete(id)
    }
  }

  /**
   * Takes the created credentials as a shared store holds them, in creation order: another
   * process changed them (shared state reads them again before the next request).
   */
  mirror(created: ApiCredential[]): void {
    this.created.clear()
    for (const c of created) this.created.set(c.clientId, c)
  }

  /** A created credential of this type (and tenant, when one is named), else 404 or 409. */
  private own(type: CredentialType, clientId: string, tenant: string | undefined): ApiCredential {
    const mine = (c: ApiCredential | ConfiguredCredential | undefined) =>
      c !== undefined && c.type === type && (tenant === undefined || c.tenant === tenant)
    if (mine(this.configured.get(clientId))) {
      throw conflict(
        `${clientId} was configured at start-up (--clients, --credentials-file) and cannot change; create one through the admin API to rotate or deactivate it`,
      )
    }
    const made = this.created.get(clientId)
    if (!made || !mine(made)) throw problem.notFound(`No ${label(type)} ${clientId}`)
    return made
  }

  private active(type: CredentialType, clientId: string, tenant: string | undefined) {
    const made = this.own(type, clientId, tenant)
    if (made.status === 'INACTIVE') throw conflict(`${clientId} was deactivated`)
    return made
  }

  /** The credential to forget to make room for one more, or 409 when none may go. */
  private room(): string | undefined {
    if (this.created.size < this.options.max) return undefined
    for (const c of this.created.values()) if (c.status === 'INACTIVE') return c.clientId
    throw credentialsFull(this.options.max)
  }

  /** Stores a change, then makes it: a refused write (StorageError) changes nothing. */
  private async commit(
    credential: ApiCredential,
    forget?: string,
    previous?: ApiCredential,
  ): Promise<void> {
    await this.options.store?.saveCredential(credential, forget, previous)
    if (forget !== undefined) this.created.delete(forget)
    this.created.set(credential.clientId, credential)
  }

  /**
   * A client id no credential has: [I] Cognito's 26 lowercase letters and digits for an OAuth2
   * client (jumio-reference §2.1), a UUID for an API user's token. From the id source, so a seeded
   * instance makes the same ones (skipping those a restart finds taken).
   */
  private freshId(type: CredentialType): string {
    for (;;) {
      const uuid = this.options.ids()
      const id = type === 'API_USER' ? uuid : cognitoStyle(uuid)
      if (!this.find(id)) return id
    }
  }
}

function conflict(detail: string): JumioProblem {
  return new JumioProblem(PROBLEMS.conflict, detail)
}

/** The 409 of a create when the bound is reached and no credential may make room. */
export function credentialsFull(max: number): JumioProblem {
  return conflict(
    `At most ${String(max)} API credentials are kept (--max-api-credentials) and none is deactivated; deactivate or reset some first`,
  )
}
