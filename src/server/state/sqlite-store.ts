/**
 * @module Durable mode (`--data-dir`, issue 7): the {@link Store} in SQLite (the database of
 * `sqlite.ts`). Every write is one synchronous transaction, done before the method resolves: a 200
 * means it is on disk. Image bytes are BLOBs in their own table (`sqlite-images.ts`). The
 * store's bounds hold on disk as in memory: past either, the oldest
 * completed workflow executions are deleted, in the order they completed (table `completed`),
 * and counted.
 */
import type Database from 'better-sqlite3'
import { prepared } from './sqlite.js'
import type { Account, WorkflowExecution } from './models.js'
import { isTerminal } from './models.js'
import { SqliteImages, serialize } from './sqlite-images.js'
import type { Store, StoreLimits, StoreStats } from './store.js'

const key = (tenant: string, id: string) => `${tenant}\u0000${id}`

type Row = { tenant: string; id: string; json: string }

/**
 * Workflow executions in progress stay in memory as the objects handlers mutate (as in the
 * memory store, so concurrent uploads to one of them never lose each other's part); completed
 * ones are read back from disk, their image bytes only when a retrieval asks for them.
 */
export class SqliteStore implements Store {
  private readonly live = new Map<string, WorkflowExecution>()
  private readonly accounts = new Map<string, Account>()
  private readonly images: SqliteImages
  /** Rows on disk: counted at open and after a reset, then kept up to date by every write. */
  private workflowExecutions = 0

  /** The store on the database `openDatabase()` (sqlite.ts) opened. */
  constructor(
    private readonly db: Database.Database,
    private readonly limits: StoreLimits,
  ) {
    this.images = new SqliteImages(db)
    this.workflowExecutions = this.countWorkflowExecutions()
    // bounds lowered since the last run: back within them before the first request
    this.db.transaction(() => {
      this.evictOverBounds()
    })()
  }

  getAccount(tenant: string, id: string): Promise<Account | undefined> {
    return Promise.resolve(this.account(tenant, id))
  }

  private account(tenant: string, id: string): Account | undefined {
    const k = key(tenant, id)
    let account = this.accounts.get(k)
    if (!account) {
      const row = prepared<[string, string], Row>(
        this.db,
        'SELECT * FROM accounts WHERE tenant = ? AND id = ?',
      ).get(tenant, id)
      if (row) this.accounts.set(k, (account = JSON.parse(row.json) as Account))
    }
    return account
  }

  saveAccount(account: Account): Promise<void> {
    prepared(this.db, 'INSERT OR REPLACE INTO accounts (tenant, id, json) VALUES (?, ?, ?)').run(
      account.tenant,
      account.id,
      JSON.stringify(account),
    )
    this.accounts.set(key(account.tenant, account.id), account)
    return Promise.resolve()
  }

  getWorkflowExecution(tenant: string, id: string): Promise<WorkflowExecution | undefined> {
    const cached = this.live.get(key(tenant, id))
    if (cached) return Promise.resolve(cached)
    const row = prepared<[string, string], Row>(
      this.db,
      'SELECT tenant, id, json FROM workflow_executions WHERE tenant = ? AND id = ?',
    ).get(tenant, id)
    return Promise.resolve(row && this.revive(row))
  }

  locateWorkflowExecution(id: string): Promise<WorkflowExecution | undefined> {
    const row = prepared<[string], { tenant: string }>(
      this.db,
      'SELECT tenant FROM workflow_executions WHERE id = ? LIMIT 1',
    ).get(id)
    return row ? this.getWorkflowExecution(row.tenant, id) : Promise.resolve(undefined)
  }

  saveWorkflowExecution(wfe: WorkflowExecution): Promise<void> {
    this.db.transaction(() => {
      const known = prepared(
        this.db,
        'SELECT 1 FROM workflow_executions WHERE tenant = ? AND id = ?',
      ).get(wfe.tenant, wfe.id)
      prepared(
        this.db,
        `INSERT OR REPLACE INTO workflow_executions (tenant, id, account_id, status, json)
           VALUES (?, ?, ?, ?, ?)`,
      ).run(wfe.tenant, wfe.id, wfe.accountId, wfe.status, serialize(wfe))
      if (!known) this.workflowExecutions += 1
      this.images.save(wfe)
      if (isTerminal(wfe.status)) {
        prepared(this.db, 'INSERT OR IGNORE INTO completed (tenant, id) VALUES (?, ?)').run(
          wfe.tenant,
          wfe.id,
        )
      }
      this.evictOverBounds()
    })()
    const k = key(wfe.tenant, wfe.id)
    if (isTerminal(wfe.status)) this.live.delete(k)
    else this.live.set(k, wfe)
    return Promise.resolve()
  }

  /** A workflow execution from its row: cached when in progress, image bytes read on demand. */
  private revive(row: Row): WorkflowExecution {
    const k = key(row.tenant, row.id)
    const cached = this.live.get(k)
    if (cached) return cached
    const wfe = JSON.parse(row.json) as WorkflowExecution
    this.images.attach(wfe)
    if (!isTerminal(wfe.status)) this.live.set(k, wfe)
    return wfe
  }

  deleteAccount(tenant: string, id: string): Promise<boolean> {
    const deleted = this.db.transaction(() => {
      const gone = prepared(this.db, 'DELETE FROM accounts WHERE tenant = ? AND id = ?').run(
        tenant,
        id,
      )
      if (gone.changes === 0) return false
      const wfes = prepared<[string, string], { id: string }>(
        this.db,
        'DELETE FROM workflow_executions WHERE tenant = ? AND account_id = ? RETURNING id',
      ).all(tenant, id)
      this.workflowExecutions -= wfes.length
      for (const w of wfes) this.forget(tenant, w.id)
      return true
    })()
    this.accounts.delete(key(tenant, id))
    return Promise.resolve(deleted)
  }

  deleteWorkflowExecution(tenant: string, id: string): Promise<boolean> {
    const deleted = this.db.transaction(() => this.removeWorkflowExecution(tenant, id))()
    return Promise.resolve(deleted !== undefined)
  }

  /** Deletes one workflow execution and its images, off its account; its account id, if found. */
  private removeWorkflowExecution(tenant: string, id: string): string | undefined {
    const row = prepared<[string, string], { account_id: string }>(
      this.db,
      'DELETE FROM workflow_executions WHERE tenant = ? AND id = ? RETURNING account_id',
    ).get(tenant, id)
    if (!row) return undefined
    this.workflowExecutions -= 1
    this.forget(tenant, id)
    const account = this.account(tenant, row.account_id)
    if (account) {
      account.workflowExecutionIds = account.workflowExecutionIds.filter((x) => x !== id)
      void this.saveAccount(account)
    }
    return row.account_id
  }

  /** Drops a workflow execution's images and cache entry (inside the caller's transaction). */
  private forget(tenant: string, id: string): void {
    this.images.drop(tenant, id)
    prepared(this.db, 'DELETE FROM completed WHERE tenant = ? AND id = ?').run(tenant, id)
    this.live.delete(key(tenant, id))
  }

  /**
   * Deletes the oldest completed workflow executions until within the bounds or none is left
   * (inside the caller's transaction); an account goes with its last one, as in memory.
   */
  private evictOverBounds(): void {
    const { maxWorkflowExecutions, maxImageBytes } = this.limits
    const over = () =>
      this.workflowExecutions > maxWorkflowExecutions || this.images.bytes > maxImageBytes
    if (!over()) return
    const oldest = prepared<[], { seq: number; tenant: string; id: string }>(
      this.db,
      'SELECT seq, tenant, id FROM completed ORDER BY seq LIMIT 1',
    )
    while (over()) {
      const next = oldest.get()
      if (!next) return
      // gone already or not: the candidate is used up (a stale one must not come back forever)
      prepared(this.db, 'DELETE FROM completed WHERE seq = ?').run(next.seq)
      const accountId = this.removeWorkflowExecution(next.tenant, next.id)
      if (accountId === undefined) continue
      const account = this.account(next.tenant, accountId)
      if (account && account.workflowExecutionIds.length === 0) {
        prepared(this.db, 'DELETE FROM accounts WHERE tenant = ? AND id = ?').run(
          account.tenant,
          account.id,
        )
        this.accounts.delete(key(account.tenant, account.id))
      }
      prepared(
        this.db,
        `INSERT INTO settings (name, json) VALUES ('evictions', '1')
           ON CONFLICT (name) DO UPDATE SET json = CAST(json AS INTEGER) + 1`,
      ).run()
    }
  }

  private countWorkflowExecutions(): number {
    return (
      prepared<[], { n: number }>(this.db, 'SELECT count(*) AS n FROM workflow_executions').get()
        ?.n ?? 0
    )
  }

  listWorkflowExecutions(tenant?: string): Promise<WorkflowExecution[]> {
    const rows =
      tenant === undefined
        ? prepared<[], Row>(this.db, 'SELECT tenant, id, json FROM workflow_executions').all()
        : prepared<[string], Row>(
            this.db,
            'SELECT tenant, id, json FROM workflow_executions WHERE tenant = ?',
          ).all(tenant)
    return Promise.resolve(rows.map((r) => this.revive(r)))
  }

  reset(tenant?: string): Promise<void> {
    const where = tenant === undefined ? '' : ' WHERE tenant = ?'
    const args = tenant === undefined ? [] : [tenant]
    this.db.transaction(() => {
      for (const table of ['accounts', 'workflow_executions', 'images', 'completed'])
        prepared(this.db, `DELETE FROM ${table}${where}`).run(...args)
    })()
    for (const map of [this.live, this.accounts] as Map<string, { tenant: string }>[])
      for (const [k, v] of map) if (tenant === undefined || v.tenant === tenant) map.delete(k)
    this.workflowExecutions = this.countWorkflowExecutions()
    this.images.count()
    return Promise.resolve()
  }

  stats(): StoreStats {
    const evictions = prepared<[], { json: string }>(
      this.db,
      "SELECT json FROM settings WHERE name = 'evictions'",
    ).get()
    return {
      workflowExecutions: this.workflowExecutions,
      imageBytes: this.images.bytes,
      evictions: Number(evictions?.json ?? 0),
    }
  }
}
