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
import { errorCode, firstLine } from '../../config.js'
import type { Logger } from '../../logger.js'
import { PROBLEMS, StorageError } from '../errors.js'
import { prepared } from './sqlite-statements.js'
import { PROBE_ROW, WriteGroups, overwriteRefused } from './write-groups.js'

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

/**
 * The two kinds of write: rows in SQLite, and image files, written and synced apart from it. One
 * kind can fail while the other works (another disk, a failing file): a row written does not
 * mean that files can be.
 */
type WriteKind = 'rows' | 'files'

/** Counts write failures the disk caused, and notices when writes work again. */
export class StorageHealth {
  /** The kinds of write that fail, since when and why. */
  private readonly failures = new Map<WriteKind, { reason: string; since: number }>()
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
      overwriteRefused(this.db, err)
      throw this.refusal(err, 'rows')
    }
    this.recovered('rows')
    return result
  }

  /** Commits the store's open group now; what that throws is told as {@link write} tells it. */
  flush(): void {
    try {
      this.groups.flush()
    } catch (err) {
      throw this.refusal(err, 'rows')
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
      throw this.refusal(err, 'rows')
    }
    return {
      result: written.result,
      committed: written.committed.then(
        () => {
          this.recovered('rows')
        },
        (err: unknown) => {
          throw this.refusal(err, 'rows')
        },
      ),
    }
  }

  private recovered(kind: WriteKind): void {
    if (this.failures.delete(kind) && this.failures.size === 0) {
      this.log.info('store recovered: writes are stored again', { dataDir: this.dataDir })
    }
  }

  /** {@link write} for an image file, written off the event loop (sqlite-images.ts). */
  async writeFile<T>(write: () => Promise<T>): Promise<T> {
    let result: T
    try {
      result = await write()
    } catch (err) {
      throw this.refusal(err, 'files')
    }
    this.recovered('files')
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
    if (this.failures.size > 0 && (free === undefined || free >= MIN_FREE_BYTES)) this.probe()
    const low = free !== undefined && free < MIN_FREE_BYTES
    const failed = [...this.failures.values()]
    const reasons = [...new Set(failed.map((f) => f.reason))].join('; ')
    const reason = reasons || (low ? `less than 1 MiB free on the disk of ${this.dataDir}` : null)
    return {
      status: reason === null ? 'UP' : 'DEGRADED',
      dataDir: this.dataDir,
      ...(free !== undefined && { freeBytes: free }),
      ...(reason !== null && { reason }),
      ...(failed.length > 0 && {
        since: new Date(Math.min(...failed.map((f) => f.since))).toISOString(),
      }),
    }
  }

  /**
   * Adds an image file's write to the probe of a degraded store: one that throws while the disk
   * refuses files (sqlite-images.ts writes, syncs and removes one).
   */
  onProbe(probe: () => void): void {
    this.probes.push(probe)
  }

  /** A row and a file, each of which ends its kind's failure when it is stored. */
  private probe(): void {
    try {
      this.write(() => prepared(this.db, PROBE_ROW).run(JSON.stringify(Date.now())))
    } catch {
      // still refused: stays degraded
    }
    try {
      for (const probe of this.probes) probe()
      this.recovered('files')
    } catch (err) {
      this.refusal(err, 'files')
    }
  }

  private refusal(err: unknown, kind: WriteKind): unknown {
    const code = errorCode(err)
    if (code === undefined || !DISK_FAILURE.test(code)) return err
    const full = FULL.has(code)
    const reason = full
      ? `no space left on the disk of ${this.dataDir}`
      : `${this.dataDir} cannot be written (${code})`
    if (!this.failures.has(kind)) {
      if (this.failures.size === 0) {
        this.log.error('store degraded: changes are refused until the disk takes writes again', {
          dataDir: this.dataDir,
          error: firstLine(err),
        })
      }
      this.failures.set(kind, { reason, since: Date.now() })
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
