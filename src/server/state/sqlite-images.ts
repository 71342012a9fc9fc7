/**
 * @module Durable mode's image bytes (`--data-dir`): BLOBs in table `images`, written
 * inside the store's transactions, so that they commit atomically with the JSON that names them.
 * No path is ever built from an id, so no id can leave the data directory. Parts read back from
 * disk load their bytes only when a retrieval asks for them.
 */
import type Database from 'better-sqlite3'
import { prepared } from './sqlite-statements.js'
import type { StoredPart, WorkflowExecution } from './models.js'
import { imageBuffer } from './image-bytes.js'

/** The image bytes of every stored part, and how many bytes they take. */
export class SqliteImages {
  /** Parts whose bytes are already on disk: saving again does not rewrite them. */
  private readonly onDisk = new WeakSet<StoredPart>()
  /** Bytes on disk: counted at open and after a reset, then kept up to date by every write. */
  bytes = 0
  /** The transaction in progress: parts it marked on disk, and the bytes before it. */
  private pending: { marked: StoredPart[]; bytes: number } = { marked: [], bytes: 0 }

  constructor(private readonly db: Database.Database) {
    this.count()
  }

  /** Writes the bytes of new parts and drops those of replaced ones (inside a transaction). */
  save(wfe: WorkflowExecution): void {
    const insert = prepared(
      this.db,
      'INSERT OR REPLACE INTO images (tenant, wfe_id, part_id, bytes) VALUES (?, ?, ?, ?)',
    )
    const stored = prepared<[string, string, string], { n: number }>(
      this.db,
      'SELECT length(bytes) AS n FROM images WHERE tenant = ? AND wfe_id = ? AND part_id = ?',
    )
    const ids: string[] = []
    for (const p of parts(wfe)) {
      // hasOwn, not a read: a part revived from disk loads its bytes lazily
      if (!Object.hasOwn(p, 'bytes')) continue
      ids.push(p.id)
      if (this.onDisk.has(p) || !p.bytes) continue
      const bytes = imageBuffer(p.bytes)
      this.bytes += bytes.byteLength - (stored.get(wfe.tenant, wfe.id, p.id)?.n ?? 0)
      insert.run(wfe.tenant, wfe.id, p.id, bytes)
      this.onDisk.add(p)
      this.pending.marked.push(p)
    }
    this.subtract(
      prepared<[string, string, string], { n: number }>(
        this.db,
        `DELETE FROM images WHERE tenant = ? AND wfe_id = ?
           AND part_id NOT IN (SELECT value FROM json_each(?)) RETURNING length(bytes) AS n`,
      ).all(wfe.tenant, wfe.id, JSON.stringify(ids)),
    )
  }

  /** A transaction begins: what it changes is undone by {@link rollback}. */
  begin(): void {
    this.pending = { marked: [], bytes: this.bytes }
  }

  /** The transaction committed. */
  commit(): void {
    this.pending.marked = []
  }

  /** The transaction failed: its parts are not on disk after all, and the count is as before. */
  rollback(): void {
    for (const p of this.pending.marked) this.onDisk.delete(p)
    this.bytes = this.pending.bytes
    this.pending.marked = []
  }

  /** Gives the parts of a workflow execution read from disk bytes that load on first read. */
  attach(wfe: WorkflowExecution): void {
    const { tenant, id } = wfe
    const withBytes = new Set(
      prepared<[string, string], { part_id: string }>(
        this.db,
        'SELECT part_id FROM images WHERE tenant = ? AND wfe_id = ?',
      )
        .all(tenant, id)
        .map((r) => r.part_id),
    )
    const load = prepared<[string, string, string], { bytes: Buffer }>(
      this.db,
      'SELECT bytes FROM images WHERE tenant = ? AND wfe_id = ? AND part_id = ?',
    )
    for (const p of parts(wfe)) {
      if (!withBytes.has(p.id)) continue
      this.onDisk.add(p)
      Object.defineProperty(p, 'bytes', {
        enumerable: true,
        configurable: true,
        get: () => {
          const bytes = load.get(tenant, id, p.id)?.bytes
          Object.defineProperty(p, 'bytes', { value: bytes, enumerable: true, writable: true })
          return bytes
        },
      })
    }
  }

  /** Deletes a workflow execution's images (inside a transaction). */
  drop(tenant: string, wfeId: string): void {
    this.subtract(
      prepared<[string, string], { n: number }>(
        this.db,
        'DELETE FROM images WHERE tenant = ? AND wfe_id = ? RETURNING length(bytes) AS n',
      ).all(tenant, wfeId),
    )
  }

  /** Counts the bytes on disk again (at open and after a reset). */
  count(): void {
    const sum = prepared<[], { n: number | null }>(
      this.db,
      'SELECT sum(length(bytes)) AS n FROM images',
    ).get()
    this.bytes = sum?.n ?? 0
  }

  private subtract(dropped: { n: number }[]): void {
    for (const d of dropped) this.bytes -= d.n
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
