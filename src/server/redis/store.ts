/**
 * @module The {@link Store} in Redis (`--redis-url`): every replica reads and writes the
 * same accounts, workflow executions and images, and the bounds hold for the cluster as a whole
 * (the scripts in `store-scripts.ts`). Replicas do not share objects as one process does, so two
 * requests on two replicas may change one workflow execution at once (two uploads in parallel):
 * each save names the version it started from, and a save that finds another version merges its
 * own changes into the stored ones (`merge.ts`) and tries again. A completed workflow execution is
 * never changed again: a replica that settled it at the same moment as another takes the stored
 * result, so a status reads the same everywhere and its callback is scheduled once.
 */
import type { Redis } from 'ioredis'
import type { Account, StoredPart, WorkflowExecution } from '../state/models.js'
import { isTerminal } from '../state/models.js'
import { imageBuffer } from '../state/image-bytes.js'
import type { ImageHold, Store, StoreLimits, StoreStats } from '../state/store.js'
import { merge } from './merge.js'
import { PREFIX } from './link.js'
import { DELETE_ACCOUNT, DELETE_WFE, MAKE_ROOM, RESET_TENANT, SAVE } from './store-scripts.js'

const Z = '\u0000'
/** Tries of a save that keeps meeting newer versions (each merges them). */
const MAX_TRIES = 8

/** What this replica last read or wrote of a workflow execution object. */
interface Base {
  version: number
  doc: string
}

type Script = 'save' | 'room' | 'deleteWfe' | 'deleteAccount' | 'reset'
const SCRIPTS: Record<Script, string> = {
  save: SAVE,
  room: MAKE_ROOM,
  deleteWfe: DELETE_WFE,
  deleteAccount: DELETE_ACCOUNT,
  reset: RESET_TENANT,
}

/** Accounts, workflow executions and images in Redis. */
export class RedisStore implements Store {
  private readonly bases = new WeakMap<WorkflowExecution, Base>()
  /** Parts whose bytes are in Redis already (saving again does not send them), and where. */
  private readonly stored = new WeakMap<StoredPart, string>()
  private last: StoreStats = { workflowExecutions: 0, imageBytes: 0, evictions: 0 }

  constructor(
    private readonly redis: Redis,
    private readonly limits: StoreLimits,
  ) {
    for (const [name, lua] of Object.entries(SCRIPTS))
      redis.defineCommand(`jm_${name}`, { numberOfKeys: 0, lua })
  }

  private run(name: Script, ...args: (string | number | Buffer)[]): Promise<unknown> {
    const command = (
      this.redis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>
    )[`jm_${name}`]
    if (!command) throw new Error(`script ${name} not defined`)
    return command.call(this.redis, PREFIX, ...args)
  }

  private wkey(tenant: string, id: string): string {
    return `${PREFIX}w:${tenant}${Z}${id}`
  }

  async getAccount(tenant: string, id: string): Promise<Account | undefined> {
    const k = `${tenant}${Z}${id}`
    const [created, ids] = (await this.redis
      .multi()
      .hget(`${PREFIX}a:${k}`, 'c')
      .lrange(`${PREFIX}al:${k}`, 0, -1)
      .exec()) as [[null, string | null], [null, string[]]]
    if (created[1] === null) return undefined
    return { id, tenant, createdAt: Number(created[1]), workflowExecutionIds: ids[1] }
  }

  async saveAccount(account: Account): Promise<void> {
    const k = `${account.tenant}${Z}${account.id}`
    const known = new Set(await this.redis.lrange(`${PREFIX}al:${k}`, 0, -1))
    const added = account.workflowExecutionIds.filter((id) => !known.has(id))
    const m = this.redis.multi().hsetnx(`${PREFIX}a:${k}`, 'c', account.createdAt)
    m.sadd(`${PREFIX}ta:${account.tenant}`, account.id)
    if (added.length > 0) m.rpush(`${PREFIX}al:${k}`, ...added)
    await m.exec()
  }

  async getWorkflowExecution(tenant: string, id: string): Promise<WorkflowExecution | undefined> {
    const [doc, v] = await this.redis.hmget(this.wkey(tenant, id), 'doc', 'v')
    return doc === null || doc === undefined ? undefined : this.revive(doc, Number(v))
  }

  async locateWorkflowExecution(id: string): Promise<WorkflowExecution | undefined> {
    const tenant = await this.redis.hget(`${PREFIX}loc`, id)
    return tenant === null ? undefined : this.getWorkflowExecution(tenant, id)
  }

  private revive(doc: string, version: number): WorkflowExecution {
    const wfe = JSON.parse(doc) as WorkflowExecution
    this.bases.set(wfe, { version, doc })
    this.markStored(wfe)
    return wfe
  }

  /** Notes the parts of a workflow execution read from (or written to) Redis. */
  private markStored(wfe: WorkflowExecution): void {
    const k = this.wkey(wfe.tenant, wfe.id)
    for (const c of wfe.credentials) for (const p of Object.values(c.parts)) this.stored.set(p, k)
  }

  /** The bytes of an image part, read when a retrieval asks for them. */
  async partBytes(part: StoredPart): Promise<Uint8Array<ArrayBuffer> | undefined> {
    const k = this.stored.get(part)
    if (k === undefined) return undefined
    const bytes = await this.redis.hgetBuffer(k, `i:${part.id}`)
    return bytes ? new Uint8Array(bytes) : undefined
  }

  async saveWorkflowExecution(
    wfe: WorkflowExecution,
    account?: Account,
    hold?: ImageHold,
  ): Promise<void> {
    for (let tries = 0; ; tries++) {
      const base = this.bases.get(wfe)
      const doc = serialize(wfe)
      const [outcome, version, stored] = (await this.run(
        'save',
        wfe.tenant,
        wfe.id,
        String(base?.version ?? 0),
        doc,
        isTerminal(wfe.status) ? '1' : '0',
        wfe.accountId,
        account ? String(account.createdAt) : '',
        this.limits.maxWorkflowExecutions,
        this.limits.maxImageBytes,
        hold?.key ?? '',
        ...this.images(wfe),
      )) as [string, number, string | null]
      if (outcome === 'ok') {
        hold?.forget()
        this.bases.set(wfe, { version, doc })
        this.markStored(wfe)
        return
      }
      // gone meanwhile (deleted, evicted): a save does not bring it back
      if (stored === null) return
      if (outcome === 'final' || tries >= MAX_TRIES) {
        this.adopt(wfe, JSON.parse(stored) as WorkflowExecution, { version, doc: stored })
        return
      }
      const merged = merge(JSON.parse(base?.doc ?? stored) as WorkflowExecution, wfe, stored)
      this.adopt(wfe, merged, { version, doc: stored })
    }
  }

  /** Kept part ids, then pairs of part id and bytes for the parts not in Redis yet. */
  private images(wfe: WorkflowExecution): (string | Buffer)[] {
    const keep: string[] = []
    const sent: (string | Buffer)[] = []
    for (const c of wfe.credentials) {
      for (const p of Object.values(c.parts)) {
        if (this.stored.has(p)) keep.push(p.id)
        else if (p.bytes) {
          keep.push(p.id)
          sent.push(p.id, imageBuffer(p.bytes))
        }
      }
    }
    return [keep.join(' '), ...sent]
  }

  async makeRoom(bytes: number): Promise<boolean> {
    const { maxWorkflowExecutions, maxImageBytes } = this.limits
    return (await this.run('room', maxWorkflowExecutions, maxImageBytes, bytes, '', 0)) === 1
  }

  /** Reserves image bytes for an upload across the cluster, until released or `ttlMs` passed. */
  async reserve(id: string, bytes: number, ttlMs: number): Promise<boolean> {
    const { maxWorkflowExecutions, maxImageBytes } = this.limits
    return (await this.run('room', maxWorkflowExecutions, maxImageBytes, bytes, id, ttlMs)) === 1
  }

  async release(keys: readonly string[]): Promise<void> {
    await this.redis.zrem(`${PREFIX}resv`, ...keys)
  }

  async deleteAccount(tenant: string, id: string): Promise<boolean> {
    return (await this.run('deleteAccount', tenant, id)) === 1
  }

  async deleteWorkflowExecution(tenant: string, id: string): Promise<boolean> {
    return (await this.run('deleteWfe', tenant, id)) === 1
  }

  async listWorkflowExecutions(tenant?: string): Promise<WorkflowExecution[]> {
    const tenants = tenant === undefined ? await this.redis.smembers(`${PREFIX}stt`) : [tenant]
    const keys: string[] = []
    for (const t of tenants)
      for (const id of await this.redis.smembers(`${PREFIX}tw:${t}`)) keys.push(this.wkey(t, id))
    if (keys.length === 0) return []
    const m = this.redis.multi()
    for (const k of keys) m.hmget(k, 'doc', 'v')
    const rows = ((await m.exec()) ?? []) as [unknown, [string | null, string | null]][]
    return rows.flatMap(([, [doc, v]]) => (doc === null ? [] : [this.revive(doc, Number(v))]))
  }

  async reset(tenant?: string): Promise<void> {
    const tenants = tenant === undefined ? await this.redis.smembers(`${PREFIX}stt`) : [tenant]
    // the reservations of uploads arriving stay: they end with their uploads (or lapse), as in
    // one process; a journey created meanwhile survives the reset, its upload too
    for (const t of tenants) await this.run('reset', t)
  }

  async stats(): Promise<StoreStats> {
    try {
      const [w, b, e] = await this.redis.hmget(`${PREFIX}st`, 'w', 'b', 'e')
      this.last = {
        workflowExecutions: Number(w ?? 0),
        imageBytes: Number(b ?? 0),
        evictions: Number(e ?? 0),
      }
    } catch {
      // Redis unreachable: the health shows the last counts it read, and says DOWN
    }
    return this.last
  }

  /**
   * Puts `from` into `into`, in place (a request in flight holds `into`), as of stored version
   * `base`; parts without bytes of their own came from Redis, where their bytes are.
   */
  private adopt(into: WorkflowExecution, from: WorkflowExecution, base: Base): void {
    replace(into, from)
    this.bases.set(into, base)
    const k = this.wkey(into.tenant, into.id)
    for (const c of into.credentials)
      for (const p of Object.values(c.parts)) if (!Object.hasOwn(p, 'bytes')) this.stored.set(p, k)
  }
}

function replace(into: WorkflowExecution, from: WorkflowExecution): void {
  const keys = new Set([...Object.keys(into), ...Object.keys(from)])
  const target = into as unknown as Record<string, unknown>
  const source = from as unknown as Record<string, unknown>
  for (const k of keys) {
    if (k in source) target[k] = source[k]
    else Reflect.deleteProperty(target, k)
  }
}

/** A workflow execution as Redis keeps it: everything but image bytes. */
export function serialize(wfe: WorkflowExecution): string {
  return JSON.stringify(wfe, (key, value: unknown) => (key === 'bytes' ? undefined : value))
}
