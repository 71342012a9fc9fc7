/**
 * @module Durable mode's image bytes (`--data-dir`): one file a part in `DIR/images`, named by a
 * random UUID (no path is ever built from an id, so no id can leave the data directory), and a row
 * in table `image_files` naming it, written inside the store's transactions so that it commits
 * atomically with the JSON that names the part.
 *
 * An upload's file is written ahead of that transaction, off the event loop ({@link
 * SqliteImages.stage}: libuv's thread pool writes it, syncs it and syncs the folder), so the
 * loop serves other requests meanwhile. Writing the bytes as BLOBs through SQLite's WAL, on the
 * loop, held durable mode at 38–42 % of the in-memory flows/s (docs/benchmarks.md). A file whose
 * row never committed is removed: at once when its transaction fails or its upload goes no
 * further, at the next start after a crash. Files of replaced and deleted parts are removed once
 * the transaction that drops their rows has committed. Parts read back from disk load their bytes
 * only when a retrieval asks for them.
 */
import { randomUUID } from 'node:crypto'
import {
  closeSync,
  fdatasyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  unlink,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { ConfigError, firstLine } from '../../config.js'
import { FolderSync } from './folder-sync.js'
import { prepared } from './sqlite-statements.js'
import type { ImageBytes, StoredPart, WorkflowExecution } from './models.js'
import { imageLength } from './image-bytes.js'
import type { StorageHealth } from './storage-health.js'

/** What the health's probe writes (and removes) in `DIR/images`. */
const PROBE = new Uint8Array(1)

/** An image's file in `DIR/images`, and its size. */
interface ImageFile {
  name: string
  size: number
}

/** What writes of the open group recorded and dropped ({@link SqliteImages.begin}). */
interface Pending {
  recorded: Recorded[]
  dropped: ImageFile[]
}

/** Where a write began in its group's {@link Pending}. */
export interface Mark {
  pending: Pending
  recorded: number
  dropped: number
}

/** A part a write of the open group recorded, and where its file came from. */
interface Recorded {
  part: StoredPart
  bytes: ImageBytes
  file: ImageFile
  staged: boolean
}

/** The image files of every stored part, and how many bytes they take. */
export class SqliteImages {
  private readonly dir: string
  private readonly folder: FolderSync
  /** Parts whose file is recorded: saving again does not rewrite it. */
  private readonly onDisk = new WeakSet<StoredPart>()
  /** Files written ahead of the transaction that records them, by the bytes they hold. */
  private readonly staged = new Map<ImageBytes, ImageFile>()
  /** Bytes on disk: counted at open and after a reset, then kept up to date by every write. */
  bytes = 0
  /** The open group's writes (write-groups.ts): parts they recorded, files they dropped. */
  private pending: Pending = { recorded: [], dropped: [] }

  constructor(
    private readonly db: Database.Database,
    private readonly health: StorageHealth,
  ) {
    this.dir = join(health.dataDir, 'images')
    mkdirSync(this.dir, { recursive: true })
    this.folder = new FolderSync(openSync(this.dir, 'r'))
    // a degraded store has recovered once a file can be written and synced here too
    health.onProbe(() => {
      rmSync(join(this.dir, this.writeNow([PROBE]).name))
    })
    this.moveBlobsOut()
    this.removeOrphans()
    this.count()
  }

  /**
   * Writes an upload's bytes to a file of their own, off the event loop, before the save that
   * records them; a disk that refuses it rejects with the store's StorageError (507 or 503).
   */
  async stage(bytes: ImageBytes): Promise<void> {
    const file = { name: randomUUID(), size: imageLength(bytes) }
    const path = join(this.dir, file.name)
    await this.health.writeFile(async () => {
      try {
        const handle = await open(path, 'wx', 0o600)
        try {
          let left = pieces(bytes)
          while (left.length > 0) left = after(left, (await handle.writev(left)).bytesWritten)
          await handle.datasync()
        } finally {
          await handle.close()
        }
        // the new name is durable once its folder is
        await this.folder.sync()
      } catch (err) {
        unlink(path, () => undefined)
        throw err
      }
    })
    this.staged.set(bytes, file)
  }

  /** Removes the file of bytes staged and never recorded (their upload went no further). */
  unstage(bytes: ImageBytes): void {
    const file = this.staged.get(bytes)
    if (!file) return
    this.staged.delete(bytes)
    this.remove([file.name])
  }

  /** Records the files of new parts and drops those of replaced ones (inside a transaction). */
  save(wfe: WorkflowExecution): void {
    const ids: string[] = []
    for (const p of parts(wfe)) {
      // hasOwn, not a read: a part revived from disk loads its bytes lazily
      if (!Object.hasOwn(p, 'bytes')) continue
      ids.push(p.id)
      if (this.onDisk.has(p) || !p.bytes) continue
      const staged = this.staged.get(p.bytes)
      const file = staged ?? this.writeNow(pieces(p.bytes))
      this.staged.delete(p.bytes)
      this.pending.recorded.push({ part: p, bytes: p.bytes, file, staged: staged !== undefined })
      this.onDisk.add(p)
      this.drop(
        prepared<[string, string, string], { file: string; size: number }>(
          this.db,
          'SELECT file, size FROM image_files WHERE tenant = ? AND wfe_id = ? AND part_id = ?',
        ).all(wfe.tenant, wfe.id, p.id),
      )
      this.insert(wfe.tenant, wfe.id, p.id, file)
    }
    this.drop(
      prepared<[string, string, string], { file: string; size: number }>(
        this.db,
        `DELETE FROM image_files WHERE tenant = ? AND wfe_id = ?
           AND part_id NOT IN (SELECT value FROM json_each(?)) RETURNING file, size`,
      ).all(wfe.tenant, wfe.id, JSON.stringify(ids)),
    )
  }

  /** A write begins: what it changes is undone by {@link rollback} with what this returns. */
  begin(): Mark {
    const { pending } = this
    return { pending, recorded: pending.recorded.length, dropped: pending.dropped.length }
  }

  /**
   * A write failed (its savepoint rolled back): its parts are not on disk after all, the files it
   * dropped stay, and the count is the database's. A staged file is staged again (its upload
   * removes it); one written during the write is removed. If its group ended meanwhile, that
   * undid it already.
   */
  rollback(mark: Mark): void {
    if (mark.pending === this.pending) {
      this.unrecord(this.pending.recorded.splice(mark.recorded))
      this.pending.dropped.length = mark.dropped
    }
    this.count()
  }

  /** The open group ended: committed, the files of the rows it dropped go; if not, it is undone. */
  settleGroup(committed: boolean): void {
    // taken out first: what follows may fail (a disk failing reads), and must not reach the next
    const ended = this.pending
    this.pending = { recorded: [], dropped: [] }
    if (committed) {
      this.remove(ended.dropped.map((f) => f.name))
      return
    }
    this.unrecord(ended.recorded)
    this.count()
  }

  /** Parts recorded by writes that did not commit: not on disk after all. */
  private unrecord(recorded: Recorded[]): void {
    for (const r of recorded) {
      this.onDisk.delete(r.part)
      if (r.staged) this.staged.set(r.bytes, r.file)
      else this.remove([r.file.name])
    }
  }

  /** Bytes the open group's writes dropped: on disk still, and back in the count if it is refused. */
  freeing(): number {
    let n = 0
    for (const f of this.pending.dropped) n += f.size
    return n
  }

  /** Gives the parts of a workflow execution read from disk bytes that load on first read. */
  attach(wfe: WorkflowExecution): void {
    const files = new Map(
      prepared<[string, string], { part_id: string; file: string }>(
        this.db,
        'SELECT part_id, file FROM image_files WHERE tenant = ? AND wfe_id = ?',
      )
        .all(wfe.tenant, wfe.id)
        .map((r) => [r.part_id, r.file]),
    )
    for (const p of parts(wfe)) {
      const name = files.get(p.id)
      if (name === undefined) continue
      this.onDisk.add(p)
      Object.defineProperty(p, 'bytes', {
        enumerable: true,
        configurable: true,
        get: () => {
          const bytes = this.read(name)
          Object.defineProperty(p, 'bytes', { value: bytes, enumerable: true, writable: true })
          return bytes
        },
      })
    }
  }

  /** Deletes a workflow execution's image rows (inside a transaction; the files go at commit). */
  dropAll(tenant: string, wfeId: string): void {
    this.drop(
      prepared<[string, string], { file: string; size: number }>(
        this.db,
        'DELETE FROM image_files WHERE tenant = ? AND wfe_id = ? RETURNING file, size',
      ).all(tenant, wfeId),
    )
  }

  /** Deletes the image rows of every tenant or of one (inside a transaction), on reset. */
  reset(tenant?: string): void {
    this.drop(
      tenant === undefined
        ? prepared<[], { file: string; size: number }>(
            this.db,
            'DELETE FROM image_files RETURNING file, size',
          ).all()
        : prepared<[string], { file: string; size: number }>(
            this.db,
            'DELETE FROM image_files WHERE tenant = ? RETURNING file, size',
          ).all(tenant),
    )
  }

  /** Closes the images folder (the database is closed apart). */
  close(): void {
    this.folder.close()
  }

  /** Counts the bytes on disk again (at open and after a reset). */
  count(): void {
    const sum = prepared<[], { n: number | null }>(
      this.db,
      'SELECT sum(size) AS n FROM image_files',
    ).get()
    this.bytes = sum?.n ?? 0
  }

  /** A part's row naming its file, counted (inside a transaction). */
  private insert(tenant: string, wfeId: string, partId: string, file: ImageFile): void {
    prepared(
      this.db,
      'INSERT OR REPLACE INTO image_files (tenant, wfe_id, part_id, file, size) VALUES (?, ?, ?, ?, ?)',
    ).run(tenant, wfeId, partId, file.name, file.size)
    this.bytes += file.size
  }

  /** Rows the open group's writes dropped: their bytes no longer count, their files go at commit. */
  private drop(rows: { file: string; size: number }[]): void {
    for (const r of rows) {
      this.bytes -= r.size
      this.pending.dropped.push({ name: r.file, size: r.size })
    }
  }

  /** A part's bytes saved without being staged first: written and synced on the event loop. */
  private writeNow(list: readonly Uint8Array[]): ImageFile {
    const file = { name: randomUUID(), size: 0 }
    const path = join(this.dir, file.name)
    const fd = openSync(path, 'wx', 0o600)
    try {
      try {
        for (const piece of list) {
          for (let at = 0; at < piece.byteLength;) at += writeSync(fd, piece, at)
          file.size += piece.byteLength
        }
        fdatasyncSync(fd)
      } finally {
        closeSync(fd)
      }
      this.folder.syncNow()
    } catch (err) {
      // a full disk: what was written of the file goes with it
      rmSync(path, { force: true })
      throw err
    }
    return file
  }

  private read(name: string): Buffer | undefined {
    try {
      return readFileSync(join(this.dir, name))
    } catch {
      // removed by hand from the data directory: the part has no bytes, as a 404 will say
      return undefined
    }
  }

  private remove(names: string[]): void {
    for (const name of names) unlink(join(this.dir, name), () => undefined)
  }

  /** Files no committed row names: left by a crash between a file's write and its row. */
  private removeOrphans(): void {
    const named = new Set(
      prepared<[], { file: string }>(this.db, 'SELECT file FROM image_files')
        .all()
        .map((r) => r.file),
    )
    for (const entry of readdirSync(this.dir, { withFileTypes: true })) {
      // only files the mock could have written: a folder someone put there is left alone
      if (entry.isFile() && !named.has(entry.name)) unlinkSync(join(this.dir, entry.name))
    }
  }

  /**
   * Databases of earlier versions kept image bytes as BLOBs in table `images`: moved to files once,
   * at the first start that finds them, in one transaction.
   */
  private moveBlobsOut(): void {
    const old = this.db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'images'")
      .get()
    if (!old) return
    try {
      this.db.transaction(() => {
        const row = this.db.prepare<
          [number],
          { tenant: string; wfe_id: string; part_id: string; bytes: Buffer }
        >('SELECT tenant, wfe_id, part_id, bytes FROM images WHERE rowid = ?')
        // one BLOB in memory at a time (a query cannot stay open while another statement writes)
        const rowids = this.db.prepare('SELECT rowid FROM images').pluck().all() as number[]
        for (const rowid of rowids) {
          const r = row.get(rowid)
          if (!r) continue
          this.insert(r.tenant, r.wfe_id, r.part_id, this.writeNow([r.bytes]))
        }
        this.db.exec('DROP TABLE images')
      })()
    } catch (err) {
      throw new ConfigError(
        `could not move the images of ${this.health.dataDir} (kept in the database by an earlier version) to files: ${firstLine(err)}`,
      )
    }
  }
}

/** A workflow execution as the JSON column keeps it: everything but image bytes, unread. */
export function serialize(wfe: WorkflowExecution): string {
  const credentials = wfe.credentials.map((c) => {
    const copied: Record<string, Partial<StoredPart>> = {}
    for (const [classifier, p] of Object.entries(c.parts)) {
      const copy: Record<string, unknown> = {}
      // keys, not values: reading `bytes` would load a revived part's bytes
      for (const k of Object.keys(p)) if (k !== 'bytes') copy[k] = p[k as keyof StoredPart]
      copied[classifier] = copy
    }
    return { ...c, parts: copied }
  })
  return JSON.stringify({ ...wfe, credentials })
}

function* parts(wfe: WorkflowExecution): Generator<StoredPart> {
  for (const c of wfe.credentials) yield* Object.values(c.parts)
}

/** An image's pieces, as one list. */
function pieces(bytes: ImageBytes): readonly Uint8Array[] {
  return bytes instanceof Uint8Array ? [bytes] : bytes
}

/** The pieces left after the first `n` bytes of them were written. */
function after(list: readonly Uint8Array[], n: number): readonly Uint8Array[] {
  let i = 0
  let skip = n
  while (i < list.length && skip >= (list[i]?.byteLength ?? 0)) skip -= list[i++]?.byteLength ?? 0
  const rest = list.slice(i)
  const first = rest[0]
  if (first && skip > 0) rest[0] = first.subarray(skip)
  return rest
}
