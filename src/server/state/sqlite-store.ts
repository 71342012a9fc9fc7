/**
 * @module Durable mode (`--data-dir`): the {@link Store} in SQLite (the database of
 * `sqlite.ts`). Every write runs at once, in the transaction of its event-loop turn
 * (write-groups.ts), and resolves once that is committed: a 200 means it is on disk. A write the
 * disk refuses leaves nothing behind, on disk or in memory. A read of what an uncommitted write
 * changed waits for its commit.
 * Image bytes are files of their own (`sqlite-images.ts`). The
 * store's bounds hold on disk as in memory: past either, the oldest
 * completed workflow executions are deleted, in the order they completed (table `completed`),
 * and counted.
 */
import type Database from 'better-sqlite3'
import { StorageError } from '../errors.js'
import { prepared } from './sqlite-statements.js'
import type { Account, ImageBytes, WorkflowExecution } from './models.js'
import { isTerminal } from './models.js'
import { SqliteCache, key } from './sqlite-cache.js'
import type { Row } from './sqlite-cache.js'
import { SqliteImages, serialize } from './sqlite-images.js'
import type { Mark } from './sqlite-images.js'
import type { StorageHealth } from './storage-health.js'
import type { ImageHold, Store, StoreLimits, StoreStats } from './store.js'

/** Rows, counters and bounds; the objects it hands out live in its {@link SqliteCache}. */
export class SqliteStore implements Store {
  private readonly images: SqliteImages
  private readonly cache: SqliteCache
  /** Rows on disk: counted at open and after a reset, then kept up to date by every write. */
  private workflowExecutions = 0
  /**
   * The {@link key}s of the accounts and workflow executions the open group of writes changed,
   * and the ids of those workflow executions: a read of one waits for the group's end.
   */
  private readonly unsettled = new Set<string>()

  /** The store on the database `openDatabase()` (sqlite.ts) opened. */
  constructor(
    private readonly db: Database.Database,
    private readonly limits: StoreLimits,
    private readonly health: StorageHealth,
  ) {
    this.images = new SqliteImages(db, health)
    this.cache = new SqliteCache(db, this.images)
    this.workflowExecutions = this.countWorkflowExecutions()
    health.groups.onEnd((committed) => {
      this.unsettled.clear()
      this.settle(
        () => {
          this.images.settleGroup(committed)
        },
        () => {
          this.cache.settleGroup(committed)
        },
        !committed,
      )
    })
    // bounds lowered since the last run: back within them before the first request, or (on a
    // full disk, which must not stop a restart) at the first write that works
    try {
      this.writeNow(() => {
        this.evictOverBounds()
      })
    } catch (err) {
      if (!(err instanceof StorageError)) throw err
    }
  }

  /**
   * Runs `change` in this turn's group of writes (write-groups.ts) and resolves once it is
   * committed. If the disk refuses it, SQLite keeps none of its rows, and the counters and every
   * cached object it changed are put back as the database has them: a failed write must not
   * live on in memory. Objects are restored in place, since a request in flight may hold them.
   */
  private write<T>(change: () => T): Promise<T> {
    // a rejection, never a throw, whatever fails: callers catch a refused write on the promise
    return settled(() => {
      const mark = this.images.begin()
      try {
        const written = this.health.grouped(change)
        this.cache.settle(true)
        return written
      } catch (err) {
        this.undo(mark)
        throw err
      }
    }).then((written) => written.committed.then(() => written.result))
  }

  /** {@link write}, committed at once and on its own (the open group first). */
  private writeNow<T>(change: () => T): T {
    this.health.flush()
    const mark = this.images.begin()
    try {
      const result = this.health.write(this.db.transaction(change))
      this.cache.settle(true)
      this.cache.settleGroup(true)
      this.images.settleGroup(true)
      return result
    } catch (err) {
      this.undo(mark)
      throw err
    } finally {
      // committed or not, on its own: no group waits for it
      this.unsettled.clear()
    }
  }

  /**
   * Puts back what a failed write changed, as the database has it. Each step is tried even if one
   * before it fails (a disk failing reads too): the write's own refusal is what its caller hears.
   */
  private undo(mark: Mark): void {
    try {
      this.settle(
        () => {
          this.images.rollback(mark)
        },
        () => {
          this.cache.settle(false)
        },
        true,
      )
    } catch {
      // told by the write's own error
    }
  }

  /**
   * Settles the images, then the cache, then (`recount`) counts the rows again: memory first, and
   * each step tried even after one before it throws; then throws the first error, if any.
   */
  private settle(images: () => void, cache: () => void, recount: boolean): void {
    let first: { err: unknown } | undefined
    for (const step of [images, cache]) {
      try {
        step()
      } catch (err) {
        first ??= { err }
      }
    }
    if (recount) this.workflowExecutions = this.countWorkflowExecutions()
    if (first) throw first.err
  }

  /**
   * What `run` reads, once the open group's writes are committed or refused if one of them
   * changed `what` (a {@link key} or a workflow execution's id; anything, if undefined): a read
   * does not start from a change the disk may still refuse.
   */
  private read<T>(what: string | undefined, run: () => T): Promise<T> {
    const waits = what === undefined ? this.unsettled.size > 0 : this.unsettled.has(what)
    return waits ? this.health.groups.idle().then(run) : settled(run)
  }

  /** Notes a change of the open group's writes ({@link unsettled}). */
  private changing(tenant: string, id: string, isWorkflowExecution: boolean): void {
    this.unsettled.add(key(tenant, id))
    if (isWorkflowExecution) this.unsettled.add(id)
  }

  getAccount(tenant: string, id: string): Promise<Account | undefined> {
    return this.read(key(tenant, id), () => this.cache.account(tenant, id))
  }

  saveAccount(account: Account): Promise<void> {
    // touched before the write: its caller changed it, and a write refused before it runs (its
    // turn's transaction lost) must put it back too
    this.cache.touchAccount(account)
    return this.write(() => {
      this.saveAccountRow(account)
    })
  }

  /** Writes an account's row and caches it (inside the caller's transaction). */
  private saveAccountRow(account: Account): void {
    this.changing(account.tenant, account.id, false)
    this.cache.touchAccount(account)
    prepared(this.db, 'INSERT OR REPLACE INTO accounts (tenant, id, json) VALUES (?, ?, ?)').run(
      account.tenant,
      account.id,
      JSON.stringify(account),
    )
    this.cache.accounts.set(key(account.tenant, account.id), account)
  }

  getWorkflowExecution(tenant: string, id: string): Promise<WorkflowExecution | undefined> {
    return this.read(key(tenant, id), () => this.workflowExecution(tenant, id))
  }

  private workflowExecution(tenant: string, id: string): WorkflowExecution | undefined {
    const cached = this.cache.live.get(key(tenant, id))
    if (cached) return cached
    const row = prepared<[string, string], Row>(
      this.db,
      'SELECT tenant, id, json FROM workflow_executions WHERE tenant = ? AND id = ?',
    ).get(tenant, id)
    return row && this.cache.revive(row)
  }

  locateWorkflowExecution(id: string): Promise<WorkflowExecution | undefined> {
    return this.read(id, () => {
      const row = prepared<[string], { tenant: string }>(
        this.db,
        'SELECT tenant FROM workflow_executions WHERE id = ? LIMIT 1',
      ).get(id)
      return row && this.workflowExecution(row.tenant, id)
    })
  }

  stageImage(bytes: ImageBytes): Promise<void> {
    return this.images.stage(bytes)
  }

  unstageImage(bytes: ImageBytes): void {
    this.images.unstage(bytes)
  }

  makeRoom(bytes: number): Promise<boolean> {
    // within the bounds even if the open group's drops come back, nothing to write and no commit
    // to wait for
    if (!this.overBounds(bytes + this.images.freeing())) return Promise.resolve(true)
    return this.write(() => {
      this.evictOverBounds(bytes)
      // now, not once committed, as a save counts an upload's bytes when it ends its hold
      return this.images.bytes + bytes <= this.limits.maxImageBytes
    })
  }

  saveWorkflowExecution(
    wfe: WorkflowExecution,
    account?: Account,
    hold?: ImageHold,
  ): Promise<void> {
    // touched before the write, as in saveAccount
    this.cache.touchWorkflowExecution(wfe)
    if (account) this.cache.touchAccount(account)
    return this.write(() => {
      this.changing(wfe.tenant, wfe.id, true)
      if (account) this.saveAccountRow(account)
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
      hold?.release()
      if (isTerminal(wfe.status)) {
        prepared(this.db, 'INSERT OR IGNORE INTO completed (tenant, id) VALUES (?, ?)').run(
          wfe.tenant,
          wfe.id,
        )
      }
      this.evictOverBounds()
      const k = key(wfe.tenant, wfe.id)
      if (isTerminal(wfe.status)) this.cache.live.delete(k)
      else this.cache.live.set(k, wfe)
    })
  }

  deleteAccount(tenant: string, id: string): Promise<boolean> {
    return this.write(() => {
      const gone = prepared(this.db, 'DELETE FROM accounts WHERE tenant = ? AND id = ?').run(
        tenant,
        id,
      )
      this.changing(tenant, id, false)
      const k = key(tenant, id)
      const cached = this.cache.accounts.get(k)
      if (cached) this.cache.touchAccount(cached)
      this.cache.accounts.delete(k)
      if (gone.changes === 0) return false
      const wfes = prepared<[string, string], { id: string }>(
        this.db,
        'DELETE FROM workflow_executions WHERE tenant = ? AND account_id = ? RETURNING id',
      ).all(tenant, id)
      this.workflowExecutions -= wfes.length
      for (const w of wfes) this.forget(tenant, w.id)
      return true
    })
  }

  async deleteWorkflowExecution(tenant: string, id: string): Promise<boolean> {
    return (await this.write(() => this.removeWorkflowExecution(tenant, id))) !== undefined
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
    const account = this.cache.account(tenant, row.account_id)
    if (account) {
      this.cache.touchAccount(account)
      account.workflowExecutionIds = account.workflowExecutionIds.filter((x) => x !== id)
      this.saveAccountRow(account)
    }
    return row.account_id
  }

  /** Drops a workflow execution's images and cache entry (inside the caller's transaction). */
  private forget(tenant: string, id: string): void {
    this.changing(tenant, id, true)
    this.images.dropAll(tenant, id)
    prepared(this.db, 'DELETE FROM completed WHERE tenant = ? AND id = ?').run(tenant, id)
    const cached = this.cache.live.get(key(tenant, id))
    if (cached) this.cache.touchWorkflowExecution(cached)
    this.cache.live.delete(key(tenant, id))
  }

  /** Past a bound, or would be with `room` more image bytes. */
  private overBounds(room = 0): boolean {
    const { maxWorkflowExecutions, maxImageBytes } = this.limits
    return (
      this.workflowExecutions > maxWorkflowExecutions || this.images.bytes + room > maxImageBytes
    )
  }

  /**
   * Deletes the oldest completed workflow executions until within the bounds or none is left
   * (inside the caller's transaction); an account goes with its last one, as in memory.
   */
  private evictOverBounds(room = 0): void {
    const over = () => this.overBounds(room)
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
      const account = this.cache.account(next.tenant, accountId)
      if (account && account.workflowExecutionIds.length === 0) {
        this.changing(account.tenant, account.id, false)
        this.cache.touchAccount(account)
        prepared(this.db, 'DELETE FROM accounts WHERE tenant = ? AND id = ?').run(
          account.tenant,
          account.id,
        )
        this.cache.accounts.delete(key(account.tenant, account.id))
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
    return this.read(undefined, () => {
      const rows =
        tenant === undefined
          ? prepared<[], Row>(this.db, 'SELECT tenant, id, json FROM workflow_executions').all()
          : prepared<[string], Row>(
              this.db,
              'SELECT tenant, id, json FROM workflow_executions WHERE tenant = ?',
            ).all(tenant)
      return rows.map((r) => this.cache.revive(r))
    })
  }

  /** Closes what the store holds open besides the database (its images folder). */
  close(): void {
    this.images.close()
  }

  reset(tenant?: string): Promise<void> {
    return settled(() => {
      const where = tenant === undefined ? '' : ' WHERE tenant = ?'
      const args = tenant === undefined ? [] : [tenant]
      this.writeNow(() => {
        for (const table of ['accounts', 'workflow_executions', 'completed'])
          prepared(this.db, `DELETE FROM ${table}${where}`).run(...args)
        this.images.reset(tenant)
      })
      this.cache.forget(tenant)
      this.workflowExecutions = this.countWorkflowExecutions()
      this.images.count()
    })
  }

  /** The counts as committed: once the open group, if any, has ended. */
  stats(): Promise<StoreStats> {
    return this.read(undefined, () => {
      const evictions = prepared<[], { json: string }>(
        this.db,
        "SELECT json FROM settings WHERE name = 'evictions'",
      ).get()
      return {
        workflowExecutions: this.workflowExecutions,
        imageBytes: this.images.bytes,
        evictions: Number(evictions?.json ?? 0),
      }
    })
  }
}

/** What `run` returns, as a promise, and what it throws, as a rejection. */
function settled<T>(run: () => T): Promise<T> {
  // the executor runs at once, and what it throws rejects the promise
  return new Promise<T>((resolve) => {
    resolve(run())
  })
}
