/**
 * The floor's disk (bench/floor-work.ts, `durable` level): what `--data-dir` must do at least,
 * every acknowledged write in SQLite (better-sqlite3, WAL) before it is answered, images as
 * blobs, evicted workflow executions deleted. better-sqlite3 is synchronous: the event loop
 * waits out every fsync. Variants:
 * - `group` commits the writes of one event-loop turn in one transaction (one fsync for several
 *   answers, each still answered only once on disk);
 * - `normal` is `synchronous = NORMAL` (no fsync a commit: safe from a process crash, not from a
 *   power cut), to show what the fsyncs cost;
 * - `files` writes each image to a file of its own off the event loop (libuv's thread pool:
 *   write, fdatasync, then the folder's fsync, one for the files that ask while one runs), with
 *   the rows committed in groups;
 * - `walsync` is `files` with the write-ahead log synced off the event loop: commits at
 *   `synchronous = NORMAL`, then one fsync of the log file in the thread pool for the groups that
 *   ask while one runs, and only then the answers (each still answered once on disk).
 */
import type BetterSqlite3 from 'better-sqlite3'
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs'
import { open as openFile, unlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FolderSync } from '../src/server/state/folder-sync.js'

export class FloorDisk {
  private readonly folder: FolderSync
  /** The write-ahead log's syncs (`walsync`), made at the first commit, which creates the file. */
  private wal: { fd: number; sync: FolderSync } | undefined
  private queued: (() => void)[] = []
  private committed: (() => void)[] = []
  private readonly statements: Record<
    'wfe' | 'part' | 'status' | 'evictParts' | 'evict',
    BetterSqlite3.Statement
  >

  private constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly dir: string,
    private readonly group: boolean,
    private readonly files: boolean,
    private readonly walSync: boolean,
  ) {
    this.folder = new FolderSync(openSync(dir, 'r'))
    db.exec('CREATE TABLE wfe (id TEXT PRIMARY KEY, json TEXT NOT NULL)')
    db.exec(
      'CREATE TABLE part (wfe TEXT, classifier TEXT, bytes BLOB, PRIMARY KEY (wfe, classifier))',
    )
    this.statements = {
      wfe: db.prepare('INSERT INTO wfe (id, json) VALUES (?, ?)'),
      part: db.prepare('INSERT OR REPLACE INTO part (wfe, classifier, bytes) VALUES (?, ?, ?)'),
      status: db.prepare("UPDATE wfe SET json = json_set(json, '$.status', ?) WHERE id = ?"),
      evictParts: db.prepare('DELETE FROM part WHERE wfe = ?'),
      evict: db.prepare('DELETE FROM wfe WHERE id = ?'),
    }
  }

  /** Opens a fresh database in a folder of its own (removed by `close`). */
  static async open(variant: string): Promise<FloorDisk> {
    // loaded only here: the native module costs the other levels' start-up nothing
    const { default: Database } = await import('better-sqlite3')
    const dir = mkdtempSync(join(tmpdir(), 'jumio-floor-'))
    const db = new Database(join(dir, 'floor.db'))
    db.pragma('journal_mode = WAL')
    const walSync = variant === 'walsync'
    db.pragma(`synchronous = ${variant === 'normal' || walSync ? 'NORMAL' : 'FULL'}`)
    const files = variant === 'files' || walSync
    return new FloorDisk(db, dir, variant === 'group' || files, files, walSync)
  }

  execution(id: string, json: string) {
    return this.write(() => this.statements.wfe.run(id, json))
  }

  async part(wfe: string, classifier: string, chunks: Buffer[]): Promise<void> {
    if (!this.files) {
      await this.write(() => this.statements.part.run(wfe, classifier, Buffer.concat(chunks)))
      return
    }
    const name = `${wfe}-${classifier}`
    const file = await openFile(join(this.dir, name), 'w')
    try {
      await file.writev(chunks)
      await file.datasync()
    } finally {
      await file.close()
    }
    // the new name is durable once its folder is
    await this.folder.sync()
    await this.write(() => this.statements.part.run(wfe, classifier, Buffer.from(name)))
  }

  status(wfe: string, status: string) {
    return this.write(() => this.statements.status.run(status, wfe))
  }

  evict(wfe: string) {
    if (this.files) {
      for (const k of ['FRONT', 'BACK', 'FACE'])
        void unlink(join(this.dir, `${wfe}-${k}`)).catch(() => undefined)
    }
    return this.write(() => {
      this.statements.evictParts.run(wfe)
      this.statements.evict.run(wfe)
    })
  }

  /** Removes the database and its folder. */
  close(): void {
    if (this.wal) closeSync(this.wal.fd)
    this.db.close()
    rmSync(this.dir, { recursive: true, force: true })
  }

  /** A write, committed when the promise resolves (at once, or with the group of this turn). */
  private write(run: () => unknown): Promise<void> {
    if (!this.group) {
      run()
      return Promise.resolve()
    }
    this.queued.push(run)
    if (this.queued.length === 1) {
      setImmediate(() => {
        this.commit()
      })
    }
    return new Promise((resolve) => {
      this.committed.push(resolve)
    })
  }

  private commit(): void {
    const [runs, answers] = [this.queued, this.committed]
    this.queued = []
    this.committed = []
    this.db.transaction(() => {
      for (const run of runs) run()
    })()
    if (!this.walSync) {
      for (const answer of answers) answer()
      return
    }
    if (!this.wal) {
      const fd = openSync(join(this.dir, 'floor.db-wal'), 'r')
      this.wal = { fd, sync: new FolderSync(fd) }
    }
    void this.wal.sync.sync().then(() => {
      for (const answer of answers) answer()
    })
  }
}
