/**
 * @module Durable mode's group commit. With `synchronous = FULL` every SQLite commit waits for an
 * fsync, and better-sqlite3 waits on the event loop. The store's writes of one event-loop turn
 * therefore share one transaction: each runs at once in a savepoint of it (a write that throws
 * leaves nothing, the others stay), the transaction commits once the turn's I/O callbacks have run
 * (`setImmediate`), and each write is answered only then. One fsync answers them all.
 */
import type Database from 'better-sqlite3'

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
    this.endIfLost()
    if (!this.open) this.begin()
    const group = this.open as Group
    this.running = true
    let result: T
    try {
      // nested in the open transaction, better-sqlite3 makes it a savepoint
      result = this.db.transaction(change)()
    } catch (err) {
      // a full disk or an I/O error may make SQLite roll back the whole transaction
      if (!this.db.inTransaction) this.end(group, err)
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
        // a listener or the ROLLBACK of a refused group threw: its writes are refused already
      }
    })
  }

  /**
   * Ends the open group as refused if SQLite rolled its transaction back since (a statement that
   * failed with an I/O error, a read included): a write must not then commit on its own.
   */
  private endIfLost(): void {
    if (this.open && !this.db.inTransaction) {
      this.end(
        this.open,
        Object.assign(new Error('SQLite rolled the transaction back'), { code: 'SQLITE_IOERR' }),
      )
    }
  }

  private commit(group: Group): void {
    if (!this.db.open) {
      // closed under it (deps.ts flushes before it closes): SQLite kept none of it
      this.open = undefined
      for (const w of group.waiting) w.reject(new Error('the database was closed'))
      return
    }
    this.endIfLost()
    if (this.open !== group) return
    try {
      this.db.exec('COMMIT')
    } catch (err) {
      // SQLite may have rolled it back already (a full disk, an I/O error), or may not have
      try {
        if (this.db.inTransaction) this.db.exec('ROLLBACK')
      } finally {
        this.end(group, err)
      }
      return
    }
    this.end(group, undefined)
  }

  private end(group: Group, err: unknown): void {
    this.open = undefined
    const committed = err === undefined
    try {
      for (const listener of this.ends) listener(committed)
    } finally {
      // answered even when a listener throws (a disk failing reads too): no request hangs
      for (const w of group.waiting) {
        if (committed) w.resolve()
        else w.reject(err)
      }
    }
  }
}
