/**
 * @module Durable mode's group commit. With `synchronous = FULL` every SQLite commit waits for an
 * fsync, and better-sqlite3 waits on the event loop. The store's writes of one event-loop turn
 * therefore share one transaction: each runs at once in a savepoint of it (a write that throws
 * leaves nothing, the others stay), the transaction commits once the turn's I/O callbacks have run
 * (`setImmediate`), and each write is answered only then. One fsync answers them all.
 */
import type Database from 'better-sqlite3'
import { errorCode } from '../../config.js'
import { prepared } from './sqlite-statements.js'

/** A row of no consequence: the health's probe writes it, and so does {@link overwriteRefused}. */
export const PROBE_ROW = "INSERT OR REPLACE INTO settings (name, json) VALUES ('probe', ?)"

/**
 * Writes over what SQLite left of a commit that an I/O error refused. SQLite had written the
 * transaction's pages to its log, the commit record included, when the log's sync failed. Nothing
 * in memory counts them and the next transaction writes over them, but a start before that (after
 * a crash, or a stop: closing cannot checkpoint) read them back as committed: a change answered
 * 503 came back, and a refused upload's row named a file already removed (found with
 * test/fixtures/failsync.c). So a transaction of no consequence is written at once, before the
 * refusal is answered. Its own commit may fail too: then its pages are the log's last, and they
 * change nothing. A full disk leaves nothing to write over: its commit record was never written.
 */
export function overwriteRefused(db: Database.Database, err: unknown): void {
  if (!errorCode(err)?.startsWith('SQLITE_IOERR') || db.inTransaction) return
  try {
    prepared(db, PROBE_ROW).run(JSON.stringify(Date.now()))
  } catch {
    // the disk still fails
  }
}

/** The open transaction's writes, waiting for its commit. */
interface Group {
  waiting: { resolve: () => void; reject: (err: unknown) => void }[]
}

/** The store's writes of each event-loop turn, committed in one transaction. */
export class WriteGroups {
  private open: Group | undefined
  /** A grouped write is running: its transaction must not be committed under it. */
  private running = false
  private readonly ends: ((committed: boolean) => void)[] = []

  constructor(private readonly db: Database.Database) {}

  /**
   * Calls `listener` when a group ends, before any of its writes is answered: committed, or
   * refused and rolled back (the store then puts back in memory what the group changed).
   */
  onEnd(listener: (committed: boolean) => void): void {
    this.ends.push(listener)
  }

  /**
   * Runs `change` at once, in a savepoint of this turn's transaction (opened if none is), and
   * returns its result; what it throws, it throws, and nothing of it stays. `committed`
   * resolves once the transaction committed, and rejects with what its commit threw.
   */
  run<T>(change: () => T): { result: T; committed: Promise<void> } {
    if (this.open && !this.inTransaction()) {
      // the turn's transaction is gone: its writes are refused, and so is this one, whose caller
      // changed objects that the refusal has just put back as stored
      const err = lost()
      this.end(this.open, err)
      throw err
    }
    if (!this.open) this.begin()
    const group = this.open as Group
    this.running = true
    let result: T
    try {
      // nested in the open transaction, better-sqlite3 makes it a savepoint
      result = this.db.transaction(change)()
    } catch (err) {
      // a full disk or an I/O error may make SQLite roll back the whole transaction
      if (!this.inTransaction()) this.end(group, err)
      throw err
    } finally {
      this.running = false
    }
    return {
      result,
      committed: new Promise<void>((resolve, reject) => {
        group.waiting.push({ resolve, reject })
      }),
    }
  }

  /** Commits the open transaction now: a write that is not grouped must not join it. */
  flush(): void {
    if (this.open && !this.running) this.commit(this.open)
  }

  /** Resolves once the writes made before it, if any are waiting, are committed or refused. */
  idle(): Promise<void> {
    const group = this.open
    if (!group) return Promise.resolve()
    return new Promise((resolve) => {
      group.waiting.push({
        resolve,
        reject: () => {
          resolve()
        },
      })
    })
  }

  private begin(): void {
    const group: Group = { waiting: [] }
    this.db.exec('BEGIN')
    this.open = group
    setImmediate(() => {
      try {
        if (this.open === group) this.commit(group)
      } catch {
        // the ROLLBACK of a refused group threw: its writes are refused already
      }
    })
  }

  private commit(group: Group): void {
    if (!this.db.open) {
      // closed under it (deps.ts flushes before it closes): SQLite kept none of it
      this.open = undefined
      for (const w of group.waiting) w.reject(new Error('the database was closed'))
      return
    }
    if (!this.inTransaction()) {
      // SQLite rolled it back after a statement failed, a read's included
      this.end(group, lost())
      return
    }
    try {
      this.db.exec('COMMIT')
    } catch (err) {
      // SQLite may have rolled it back already (a full disk, an I/O error), or may not have
      try {
        if (this.inTransaction()) this.db.exec('ROLLBACK')
        overwriteRefused(this.db, err)
      } finally {
        this.end(group, err)
      }
      return
    }
    this.end(group, undefined)
  }

  /** Whether SQLite has a transaction open (a call: it changes under a statement that fails). */
  private inTransaction(): boolean {
    return this.db.inTransaction
  }

  private end(group: Group, err: unknown): void {
    this.open = undefined
    const committed = err === undefined
    for (const listener of this.ends) {
      try {
        listener(committed)
      } catch {
        // a disk that fails reads too: the listeners put back what they can, and the writes are
        // answered all the same (refused ones with their refusal), so that no request hangs
      }
    }
    for (const w of group.waiting) {
      if (committed) w.resolve()
      else w.reject(err)
    }
  }
}

/** What a write is refused with when SQLite rolled its turn's transaction back: an I/O error. */
function lost(): Error {
  return Object.assign(new Error('SQLite rolled the transaction back'), { code: 'SQLITE_IOERR' })
}
