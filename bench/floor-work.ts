/**
 * The least work a mock of Jumio must do for each request of a flow, for the floor's top levels
 * (bench/floor.ts): tokens signed as Jumio signs them, ids drawn, the workflow execution and its
 * images kept, PROCESSED one processing delay after finalize (the bench's, bench/mock-options.ts);
 * past the mock's default bounds the oldest PROCESSED ones are evicted, as the mock evicts
 * completed ones only;
 * at the `durable` level every write on disk first (bench/floor-disk.ts). Nothing else: no
 * scenarios, tenants, validation, policies, journal or log.
 *
 * Tokens this process issued are remembered when issued, so the requests that present them cost
 * a map lookup: the cheapest correct way, and the one the floor must take to be a floor.
 */
import { CompactSign, SignJWT } from 'jose'
import { createSecretKey, randomUUID } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import type { FloorDisk } from './floor-disk.js'
import { DEFAULT_IMAGE_BUDGET, DEFAULT_KEPT, PROCESSING_DELAY_MS } from './mock-options.js'

interface Execution {
  id: string
  accountId: string
  status: 'INITIATED' | 'ACQUIRED' | 'PROCESSED'
  credentials: { id: string; category: string; classifiers: string[] }[]
  /** The images, in the chunks they arrived in (no copy). */
  parts: Map<string, Buffer[]>
  bytes: number
  /** The `api` block of the create answer, as JSON text: every upload answers it again. */
  api: string
}

/** The classifiers of workflow definition 10011, by credential category. */
const CATEGORIES = [
  { category: 'ID', classifiers: ['FRONT', 'BACK'] },
  { category: 'SELFIE', classifiers: ['FACE'] },
  { category: 'FACEMAP', classifiers: [] },
]
/** The mock's default bounds: workflow executions and image bytes kept. */
const KEPT = DEFAULT_KEPT
const IMAGE_BUDGET = DEFAULT_IMAGE_BUDGET

/** The state and least work of the floor's `work` and `durable` levels. */
export class FloorWork {
  private readonly key = createSecretKey(Buffer.alloc(32, 7))
  private readonly txKey = createSecretKey(Buffer.alloc(64, 9))
  private readonly access = new Map<string, { clientId: string; expiresAt: number }>()
  private readonly transactions = new Map<string, string>()
  private readonly executions = new Map<string, Execution>()
  private imageBytes = 0

  /** With a disk, every write is on it before it is answered. */
  constructor(private readonly disk?: FloorDisk) {}

  /** An OAuth2 access token (HS256 JWT) for the Basic credentials, or undefined. */
  async token(authorization: string | undefined): Promise<string | undefined> {
    const clientId = Buffer.from(authorization?.slice(6) ?? '', 'base64')
      .toString()
      .split(':')[0]
    if (!clientId) return undefined
    const iat = Math.floor(Date.now() / 1000)
    const token = await new SignJWT({ client_id: clientId, token_use: 'access', tenant: clientId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(clientId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3600)
      .setJti(randomUUID())
      .sign(this.key)
    bounded(this.access, token, { clientId, expiresAt: (iat + 3600) * 1000 })
    return JSON.stringify({ access_token: token, expires_in: 3600, token_type: 'Bearer' })
  }

  /** Whether a bearer access token is one this process issued and still valid. */
  authorized(authorization: string | undefined): boolean {
    const known = this.access.get(authorization?.slice(7) ?? '')
    return known !== undefined && Date.now() < known.expiresAt
  }

  /** Creates an account and a 10011 workflow execution; answers with hrefs under `origin`. */
  async create(customerInternalReference: string, origin: string): Promise<string> {
    const [accountId, id] = [randomUUID(), randomUUID()]
    const claims = { exAt: String(Date.now() + 1_800_000), accId: accountId, wfeId: id }
    const gz = gzipSync(Buffer.from(JSON.stringify({ ...claims, cRef: customerInternalReference })))
    const token = await new CompactSign(gz)
      .setProtectedHeader({ alg: 'HS512', zip: 'GZIP' })
      .sign(this.txKey)
    const credentials = CATEGORIES.map((c) => ({ id: randomUUID(), ...c }))
    const execution = `${origin}/api/v1/accounts/${accountId}/workflow-executions/${id}`
    const parts: Record<string, string> = {}
    for (const c of credentials) {
      for (const k of c.classifiers)
        parts[k.toLowerCase()] = `${execution}/credentials/${c.id}/parts/${k}`
    }
    const api = { token, parts, workflowExecution: execution }
    const wfe: Execution = {
      id,
      accountId,
      status: 'INITIATED',
      credentials,
      parts: new Map(),
      bytes: 0,
      api: JSON.stringify(api),
    }
    if (this.executions.size >= KEPT) this.evictOldest()
    this.executions.set(id, wfe)
    bounded(this.transactions, token, id)
    const row = JSON.stringify({ accountId, status: wfe.status, credentials })
    await this.disk?.execution(id, row)
    return JSON.stringify({
      timestamp: new Date().toISOString(),
      account: { id: accountId },
      web: { href: `${origin}/web/v4/app?authorizationToken=${token}&locale=en` },
      sdk: { token },
      workflowExecution: {
        id,
        credentials: credentials.map((c) => ({
          id: c.id,
          category: c.category,
          allowedChannels: ['WEB', 'API', 'SDK'],
          ...(c.classifiers.length > 0 && { api }),
        })),
      },
    })
  }

  /** The workflow execution a bearer transaction token belongs to. */
  transaction(authorization: string | undefined): Execution | undefined {
    const id = this.transactions.get(authorization?.slice(7) ?? '')
    return id === undefined ? undefined : this.executions.get(id)
  }

  /** Keeps an uploaded part within the image budget (the oldest go first); answers as the mock. */
  async part(wfe: Execution, classifier: string, chunks: Buffer[]): Promise<string> {
    const size = chunks.reduce((n, c) => n + c.length, 0)
    const before = wfe.parts.get(classifier)?.reduce((n, c) => n + c.length, 0) ?? 0
    wfe.parts.set(classifier, chunks)
    wfe.bytes += size - before
    this.imageBytes += size - before
    while (this.imageBytes > IMAGE_BUDGET && this.evictOldest());
    await this.disk?.part(wfe.id, classifier, chunks)
    const credential = wfe.credentials.find((c) => c.classifiers.includes(classifier))
    return (
      `{"timestamp":"${new Date().toISOString()}","account":{"id":"${wfe.accountId}"},` +
      `"workflowExecution":{"id":"${wfe.id}"},"credential":{"id":"${credential?.id ?? ''}"},` +
      `"part":{"id":"${randomUUID()}"},"api":${wfe.api}}`
    )
  }

  /** Finalizes: ACQUIRED now, PROCESSED one processing delay later. */
  async finalize(wfe: Execution): Promise<string> {
    await this.setStatus(wfe, 'ACQUIRED')
    setTimeout(() => {
      void this.setStatus(wfe, 'PROCESSED')
    }, PROCESSING_DELAY_MS).unref()
    return `{"timestamp":"${new Date().toISOString()}","account":{"id":"${wfe.accountId}"},"workflowExecution":{"id":"${wfe.id}"}}`
  }

  private async setStatus(wfe: Execution, status: Execution['status']): Promise<void> {
    wfe.status = status
    await this.disk?.status(wfe.id, status)
  }

  /** Evicts the oldest PROCESSED workflow execution, if any (the mock evicts completed ones). */
  private evictOldest(): boolean {
    for (const wfe of this.executions.values()) {
      if (wfe.status !== 'PROCESSED') continue
      this.executions.delete(wfe.id)
      this.imageBytes -= wfe.bytes
      void this.disk?.evict(wfe.id)
      return true
    }
    return false
  }

  /** A workflow execution's status answer, or undefined when it is unknown. */
  status(id: string, origin: string): string | undefined {
    const wfe = this.executions.get(id)
    if (!wfe) return undefined
    const account = `${origin}/api/v1/accounts/${wfe.accountId}`
    return JSON.stringify({
      account: { id: wfe.accountId, href: account },
      workflowExecution: {
        id: wfe.id,
        href: `${origin}/api/v1/workflow-executions/${wfe.id}`,
        definitionKey: '10011',
        status: wfe.status,
      },
    })
  }
}

/** Sets `key` in a map kept at `limit` entries, the oldest dropped first. */
function bounded<K, V>(map: Map<K, V>, key: K, value: V, limit = 10_000): void {
  if (map.size >= limit) map.delete(map.keys().next().value as K)
  map.set(key, value)
}
