/**
 * @module Whether durable mode's disk takes writes. Every write of the store, the admin settings and the
 * callback journal goes through {@link StorageHealth.write} or, for the store's,
 * {@link StorageHealth.grouped}: a failure the disk caused (no space, an I/O error, a read-only
 * disk) becomes a {@link StorageError}, 507 or 503 in Jumio's problem shape, and the admin health
 * reports the store DEGRADED until writes work again. Reads need no write, so they keep working
 * meanwhile.
 */
import { statfsSync } from 'node:fs'
import type Database from 'better-sqlite3'
import { firstLine } from '../../config.js'
import type { Logger } from '../../logger.js'
import { PROBLEMS, StorageError } from '../errors.js'
import { prepared } from './sqlite-statements.js'
import { WriteGroups } from './write-groups.js'

/**
 * Below this much free space the store reports DEGRADED before a write fails: an orchestrator
 * hears of it while there is still room to act. One MiB is a few uploads' worth.
 */
export const MIN_FREE_BYTES = 1024 * 1024

/** The data directory's state, as the admin health shows it. */
export interface StorageReport {
  status: 'UP' | 'DEGRADED'
  dataDir: string
  /** Free space on its disk for the mock's user; absent where the system cannot tell. */
  freeBytes?: number
  reason?: string
  /** When writes began to fail (ISO 8601). */
  since?: string
}

/** SQLite's and the file system's errors that mean the disk, not the mock, refused a write. */
const DISK_FAILURE = /^(SQLITE_(FULL|IOERR|READONLY|CANTOPEN)|ENOSPC$|EDQUOT$|EIO$|EROFS$)/

/** Of those, the ones that mean the disk is full. */
const FULL = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT'])

/** Counts write failures the disk caused, and notices when writes work again. */
export class StorageHealth {
  private failure: { reason: string; since: number } | null = null
  /** Writes that tell whether the disk takes each kind of write again (see {@link onProbe}). */
  private readonly probes: (() => void)[] = []
  /** The store's writes, committed a turn's worth at a time. */
  readonly groups: WriteGroups

  constructor(
    private readonly db: Database.Database,
    readonly dataDir: string,
    private readonly log: Logger,
  ) {
    this.groups = new WriteGroups(db)
  }

  /**
   * Runs a write (a transaction: SQLite keeps nothing of one that fails), after committing the
   * store's open group. A failure the disk caused is logged once and thrown as a StorageError;
   * any other error is thrown as it is.
   */
  write<T>(write: () => T): T {
    this.flush()
    let result: T
    try {
      result = write()
    } catch (err) {
      throw this.refusal(err)
    }
    this.recovered()
    return result
  }

  /** Commits the store's open group now; what that throws is told as {@link write} tells it. */
  flush(): void {
    try {
      this.groups.flush()
    } catch (err) {
      throw this.refusal(err)
    }
  }

  /**
   * Runs a write of the store in this turn's group ({@link WriteGroups.run}): what `change` throws
   * and what the commit throws are told as {@link write} tells them.
   */
  grouped<T>(change: () => T): { result: T; committed: Promise<void> } {
    let written: { result: T; committed: Promise<void> }
    try {
      written = this.groups.run(change)
    } catch (err) {
      throw this.refusal(err)
    }
    return {
      result: written.result,
      committed: written.committed.then(
        () => {
          this.recovered()
        },
        (err: unknown) => {
          throw this.refusal(err)
        },
      ),
    }
  }

  private recovered(): void {
    if (this.failure) {
      this.failure = null
      this.log.info('store recovered: writes are stored again', { dataDir: this.dataDir })
    }
  }

  /** {@link write} for a write done off the event loop (an image file: sqlite-images.ts). */
  async writeAsync<T>(write: () => Promise<T>): Promise<T> {
    let result: T
    try {
      result = await write()
    } catch (err) {
      throw this.refusal(err)
    }
    this.recovered()
    return result
  }

  /**
   * Runs a write whose failure must not fail its caller (a callback's journal entry, written
   * from a timer): logged, and counted in the health when the disk caused it.
   */
  tryWrite(what: string, write: () => void): void {
    try {
      this.write(write)
    } catch (err) {
      this.log.warn(`${what} not stored`, { dataDir: this.dataDir, error: firstLine(err) })
    }
  }

  /** UP or DEGRADED; while degraded, first tries a write, to notice that space came back. */
  report(): StorageReport {
    const free = freeBytes(this.dataDir)
    if (this.failure && (free === undefined || free >= MIN_FREE_BYTES)) this.probe()
    const low = free !== undefined && free < MIN_FREE_BYTES
    const reason =
      this.failure?.reason ?? (low ? `less than 1 MiB free on the disk of ${this.dataDir}` : null)
    return {
      status: reason === null ? 'UP' : 'DEGRADED',
      dataDir: this.dataDir,
      ...(free !== undefined && { freeBytes: free }),
      ...(reason !== null && { reason }),
      ...(this.failure && { since: new Date(this.failure.since).toISOString() }),
    }
  }

  /**
   * Adds a write to the probe of a degraded store: one that throws while the disk refuses its kind
   * of write. The probe's own is a row; image files, written and synced apart from SQLite, add a
   * file of theirs (sqlite-images.ts), so that a refused image file does not look recovered as
   * soon as a row can be written.
   */
  onProbe(probe: () => void): void {
    this.probes.push(probe)
  }

  private probe(): void {
    try {
      this.write(() => {
        prepared(this.db, "INSERT OR REPLACE INTO settings (name, json) VALUES ('probe', ?)").run(
          JSON.stringify(Date.now()),
        )
        for (const probe of this.probes) probe()
      })
    } catch {
      // still refused: stays degraded
    }
  }

  private refusal(err: unknown): unknown {
    const code = (err as { code?: unknown } | null)?.code
    if (typeof code !== 'string' || !DISK_FAILURE.test(code)) return err
    const full = FULL.has(code)
    const reason = full
      ? `no space left on the disk of ${this.dataDir}`
      : `${this.dataDir} cannot be written (${code})`
    if (!this.failure) {
      this.failure = { reason, since: Date.now() }
      this.log.error('store degraded: changes are refused until the disk takes writes again', {
        dataDir: this.dataDir,
        error: firstLine(err),
      })
    }
    return new StorageError(
      full ? PROBLEMS.insufficientStorage : PROBLEMS.serviceUnavailable,
      `The mock could not store this change: ${reason}. Nothing of it was kept; reads still work.`,
    )
  }
}

/** Free bytes on the disk of `dir` for an unprivileged user, if the system can tell. */
function freeBytes(dir: string): number | undefined {
  try {
    const s = statfsSync(dir)
    return s.bavail * s.bsize
  } catch {
    return undefined
  }
}
