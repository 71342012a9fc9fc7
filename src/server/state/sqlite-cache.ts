/**
 * @module The objects durable mode's store (`sqlite-store.ts`) hands out. Workflow executions in
 * progress and accounts stay the same objects from read to read, as in the memory store, so
 * concurrent requests change one object and never lose each other's change (two uploads to one
 * workflow execution keep both parts); completed workflow executions are read back from disk,
 * their image bytes only when a retrieval asks for them. When the disk refuses a write, the
 * objects it changed are put back as the database has them (a failed write must not
 * live on in memory), in place, since a request in flight may hold them.
 */
import type Database from 'better-sqlite3'
import { prepared } from './sqlite-statements.js'
import type { Account, WorkflowExecution } from './models.js'
import { isTerminal } from './models.js'
import type { SqliteImages } from './sqlite-images.js'

/** The cache key of a tenant's account or workflow execution. */
export const key = (tenant: string, id: string) => `${tenant}\u0000${id}`

/** A row of table accounts or workflow_executions. */
export type Row = { tenant: string; id: string; json: string }

/** Accounts and workflow executions in progress, by {@link key}. */
export class SqliteCache {
  readonly live = new Map<string, WorkflowExecution>()
  readonly accounts = new Map<string, Account>()
  /** Objects the write in progress changed: put back as stored if it fails. */
  private readonly touched: Touched = { accounts: new Set(), wfes: new Set() }
  /** Objects the uncommitted writes of the open group changed: put back if its commit fails. */
  private readonly grouped: Touched = { accounts: new Set(), wfes: new Set() }

  constructor(
    private readonly db: Database.Database,
    private readonly images: SqliteImages,
  ) {}

  /** The account, from the cache or else from disk (then cached). */
  account(tenant: string, id: string): Account | undefined {
    const k = key(tenant, id)
    let account = this.accounts.get(k)
    if (!account) {
      const row = this.accountRow(tenant, id)
      if (row) this.accounts.set(k, (account = JSON.parse(row.json) as Account))
    }
    return account
  }

  /** A workflow execution from its row: cached when in progress, image bytes read on demand. */
  revive(row: Row): WorkflowExecution {
    const k = key(row.tenant, row.id)
    const cached = this.live.get(k)
    if (cached) return cached
    const wfe = JSON.parse(row.json) as WorkflowExecution
    this.images.attach(wfe)
    if (!isTerminal(wfe.status)) this.live.set(k, wfe)
    return wfe
  }

  /** Notes an account the write in progress changes (or drops from the cache). */
  touchAccount(account: Account): void {
    this.touched.accounts.add(account)
  }

  /** Notes a workflow execution the write in progress changes (or drops from the cache). */
  touchWorkflowExecution(wfe: WorkflowExecution): void {
    this.touched.wfes.add(wfe)
  }

  /**
   * The write in progress ended: if it failed, what it touched is put back as stored; if not,
   * that waits for its group's commit ({@link settleGroup}).
   */
  settle(written: boolean): void {
    const touched = take(this.touched)
    if (!written) this.restore(touched)
    else {
      for (const a of touched.accounts) this.grouped.accounts.add(a)
      for (const w of touched.wfes) this.grouped.wfes.add(w)
    }
  }

  /** The open group ended: if its commit failed, what its writes touched is put back as stored. */
  settleGroup(committed: boolean): void {
    const grouped = take(this.grouped)
    if (!committed) this.restore(grouped)
  }

  /**
   * Puts objects back as stored. One that cannot be read back (a disk failing reads) leaves the
   * cache, to be read from disk again by the next request that asks for it.
   */
  private restore(set: Touched): void {
    for (const a of set.accounts) {
      restoreOrDrop(this.accounts, a, () => {
        this.restoreAccount(a)
      })
    }
    for (const w of set.wfes) {
      restoreOrDrop(this.live, w, () => {
        this.restoreWorkflowExecution(w)
      })
    }
  }

  /** Forgets the cached objects (of one tenant), after a reset. */
  forget(tenant?: string): void {
    for (const map of [this.live, this.accounts] as Map<string, { tenant: string }>[])
      for (const [k, v] of map) if (tenant === undefined || v.tenant === tenant) map.delete(k)
  }

  private accountRow(tenant: string, id: string): Row | undefined {
    return prepared<[string, string], Row>(
      this.db,
      'SELECT * FROM accounts WHERE tenant = ? AND id = ?',
    ).get(tenant, id)
  }

  /** Puts a cached account back as the database has it, or out of the cache if it has none. */
  private restoreAccount(account: Account): void {
    const k = key(account.tenant, account.id)
    const row = this.accountRow(account.tenant, account.id)
    if (row) this.accounts.set(k, replaceContents(account, JSON.parse(row.json) as Account))
    else if (this.accounts.get(k) === account) this.accounts.delete(k)
  }

  /**
   * Puts a workflow execution back as the database has it (image bytes read on demand), or out
   * of the cache if it has none. Its credentials stay the objects they were: an upload in flight
   * holds one.
   */
  private restoreWorkflowExecution(wfe: WorkflowExecution): void {
    const k = key(wfe.tenant, wfe.id)
    const row = prepared<[string, string], Row>(
      this.db,
      'SELECT tenant, id, json FROM workflow_executions WHERE tenant = ? AND id = ?',
    ).get(wfe.tenant, wfe.id)
    if (!row) {
      if (this.live.get(k) === wfe) this.live.delete(k)
      return
    }
    const held = wfe.credentials
    const stored = JSON.parse(row.json) as WorkflowExecution
    replaceContents(wfe, stored)
    wfe.credentials = stored.credentials.map((c) => {
      const same = held.find((h) => h.id === c.id)
      return same ? replaceContents(same, c) : c
    })
    this.images.attach(wfe)
    if (isTerminal(wfe.status)) this.live.delete(k)
    else this.live.set(k, wfe)
  }
}

/** Objects of the cache that writes changed. */
interface Touched {
  accounts: Set<Account>
  wfes: Set<WorkflowExecution>
}

/** Runs `restore`; if it throws, `object` leaves `cache` (a later read finds it on disk). */
function restoreOrDrop<T extends { tenant: string; id: string }>(
  cache: Map<string, T>,
  object: T,
  restore: () => void,
): void {
  try {
    restore()
  } catch {
    const k = key(object.tenant, object.id)
    if (cache.get(k) === object) cache.delete(k)
  }
}

/** What `set` holds, leaving it empty. */
function take(set: Touched): Touched {
  const taken = { accounts: new Set(set.accounts), wfes: new Set(set.wfes) }
  set.accounts.clear()
  set.wfes.clear()
  return taken
}

/** Makes `target` hold exactly what `source` holds, keeping its identity. */
function replaceContents<T extends object>(target: T, source: T): T {
  for (const k of Object.keys(target))
    if (!Object.hasOwn(source, k)) Reflect.deleteProperty(target, k)
  return Object.assign(target, source)
}
