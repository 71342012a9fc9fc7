/**
 * Durable mode's image files (`DIR/images`, sqlite-images.ts): one file a stored part, written
 * ahead of the transaction that records it and removed when no committed row names it, after a
 * failed transaction, an upload that went no further, a replaced part, a deletion, a reset or a
 * crash. Databases of earlier versions, with the bytes as BLOBs, are moved to files at start.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { StoredPart, WorkflowExecution } from '../../src/server/state/models.js'
import { openDatabase } from '../../src/server/state/sqlite.js'
import { SqliteStore } from '../../src/server/state/sqlite-store.js'
import { StorageHealth } from '../../src/server/state/storage-health.js'
import { imageBuffer } from '../../src/server/state/image-bytes.js'
import { storedExecution, storedPart } from '../helpers/stored.js'
import { mountTmpfs } from './tmpfs.js'

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined }
const LIMITS = { maxWorkflowExecutions: 1000, maxImageBytes: 10_000_000 }

const dirs: string[] = []
const opened: { close(): void }[] = []
/** Closes every database opened, as a stop does. */
function closeAll(): void {
  for (const db of opened.splice(0)) db.close()
}
afterEach(() => {
  closeAll()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jumio-mock-images-'))
  dirs.push(dir)
  return dir
}

function open(dir: string) {
  const db = openDatabase(dir)
  opened.push(db)
  return { db, store: new SqliteStore(db, LIMITS, new StorageHealth(db, dir, quiet)) }
}

const files = (dir: string) => readdirSync(join(dir, 'images')).sort()

/** Waits for the removals done off the event loop. */
const eventually = (check: () => void) => vi.waitFor(check, { timeout: 2000, interval: 10 })

/** Waits until no image file is left. */
const emptied = (dir: string) =>
  eventually(() => {
    expect(files(dir)).toEqual([])
  })

const execution = (parts: Record<string, StoredPart> = {}): WorkflowExecution =>
  storedExecution({ id: 'wfe-1', tenant: 't1', accountId: 'acc-1', credentialId: 'cred-1', parts })

const account = { id: 'acc-1', tenant: 't1', createdAt: 1, workflowExecutionIds: ['wfe-1'] }
const bytes = (fill: number, n = 1000) => new Uint8Array(n).fill(fill)

/** The bytes a store gives back for a part of wfe-1, as read after a restart. */
async function storedBytes(store: SqliteStore, classifier: string): Promise<number[]> {
  const w = await store.getWorkflowExecution('t1', 'wfe-1')
  const b = w?.credentials[0]?.parts[classifier]?.bytes
  return b === undefined ? [] : [...imageBuffer(b)]
}

describe('durable image files', () => {
  it('keeps one file a part, the staged one, and removes replaced, deleted and reset ones', async () => {
    const dir = freshDir()
    const { store } = open(dir)
    const front = bytes(1, 3000)
    // uploads arrive in pieces: the file holds them in order
    const back = [bytes(2, 700), bytes(3, 300)] as const
    await store.stageImage(front)
    await store.stageImage(back)
    expect(files(dir)).toHaveLength(2)
    const w = execution({
      FRONT: storedPart('FRONT', front),
      BACK: { ...storedPart('BACK', bytes(0, 0)), bytes: back, size: 1000 },
    })
    await store.saveWorkflowExecution(w, account)
    // the save recorded the staged files: none written again, none left to unstage
    store.unstageImage(front)
    store.unstageImage(back)
    expect(files(dir)).toHaveLength(2)
    expect((await store.stats()).imageBytes).toBe(4000)

    // a part replaced: its old file goes once the change has committed
    const replacement = bytes(4, 500)
    await store.stageImage(replacement)
    const cred = w.credentials[0]
    if (cred) cred.parts['FRONT'] = storedPart('FRONT', replacement)
    await store.saveWorkflowExecution(w)
    await eventually(() => {
      expect(files(dir)).toHaveLength(2)
    })
    expect((await store.stats()).imageBytes).toBe(1500)

    // read back from the files after a restart
    closeAll()
    const again = open(dir).store
    expect(await storedBytes(again, 'FRONT')).toEqual([...replacement])
    expect(await storedBytes(again, 'BACK')).toEqual([...bytes(2, 700), ...bytes(3, 300)])

    expect(await again.deleteWorkflowExecution('t1', 'wfe-1')).toBe(true)
    await emptied(dir)
    expect((await again.stats()).imageBytes).toBe(0)

    const other = bytes(5)
    await again.stageImage(other)
    await again.saveWorkflowExecution(execution({ FRONT: storedPart('FRONT', other) }), account)
    expect(files(dir)).toHaveLength(1)
    await again.reset('t1')
    await emptied(dir)
  })

  it('removes the file of an upload that went no further, or whose save failed', async () => {
    const dir = freshDir()
    const { store } = open(dir)
    const abandoned = bytes(1)
    await store.stageImage(abandoned)
    expect(files(dir)).toHaveLength(1)
    store.unstageImage(abandoned)
    await emptied(dir)

    // a save that fails inside its transaction (a value JSON cannot hold): nothing recorded, the
    // staged file staged again, and removed by its upload; the count as before
    const staged = bytes(2)
    await store.stageImage(staged)
    const broken = execution({ FRONT: storedPart('FRONT', staged) })
    Object.assign(broken, { statusReads: 1n })
    await expect(store.saveWorkflowExecution(broken, account)).rejects.toThrow(/BigInt/)
    expect(await store.stats()).toMatchObject({ workflowExecutions: 0, imageBytes: 0 })
    expect(files(dir)).toHaveLength(1)
    store.unstageImage(staged)
    await emptied(dir)

    // bytes saved without being staged are written during the save, and removed if it fails
    const unstaged = execution({ FRONT: storedPart('FRONT', bytes(3)) })
    Object.assign(unstaged, { statusReads: 1n })
    await expect(store.saveWorkflowExecution(unstaged, account)).rejects.toThrow(/BigInt/)
    await emptied(dir)
  })

  it('removes at start the files no committed row names (a crash between file and row)', async () => {
    const dir = freshDir()
    const { store } = open(dir)
    const kept = bytes(1)
    await store.stageImage(kept)
    await store.saveWorkflowExecution(execution({ FRONT: storedPart('FRONT', kept) }), account)
    await store.stageImage(bytes(2))
    writeFileSync(join(dir, 'images', 'left-by-a-crash'), 'x')
    // not a file the mock writes: left alone, and no reason to refuse the start
    mkdirSync(join(dir, 'images', 'a-folder'))
    expect(files(dir)).toHaveLength(4)
    closeAll()
    const again = open(dir).store
    expect(files(dir)).toContain('a-folder')
    expect(files(dir)).toHaveLength(2)
    expect(await storedBytes(again, 'FRONT')).toEqual([...kept])
  })

  it('moves the BLOBs of a database from an earlier version to files', async () => {
    const dir = freshDir()
    const { db, store } = open(dir)
    const front = bytes(7, 2048)
    await store.stageImage(front)
    await store.saveWorkflowExecution(execution({ FRONT: storedPart('FRONT', front) }), account)
    // as an earlier version left it: the bytes in table images, no files
    const [name] = files(dir)
    db.exec(`CREATE TABLE images (
      tenant TEXT NOT NULL, wfe_id TEXT NOT NULL, part_id TEXT NOT NULL, bytes BLOB NOT NULL,
      PRIMARY KEY (tenant, wfe_id, part_id))`)
    db.prepare("INSERT INTO images VALUES ('t1', 'wfe-1', 'part-FRONT', ?)").run(
      readFileSync(join(dir, 'images', name ?? '')),
    )
    db.exec('DELETE FROM image_files')
    closeAll()
    rmSync(join(dir, 'images'), { recursive: true })

    const again = open(dir)
    expect(files(dir)).toHaveLength(1)
    expect(await storedBytes(again.store, 'FRONT')).toEqual([...front])
    expect((await again.store.stats()).imageBytes).toBe(2048)
    expect(
      again.db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'images'")
        .get(),
    ).toBeUndefined()
  })
})

describe('durable image files on a full disk', () => {
  it('leaves no part-written file when the disk refuses an image, staged or saved at once', async () => {
    const disk = await mountTmpfs(4 * 1024 * 1024)
    try {
      // the images on the full tmpfs, reached through /proc (tmpfs.ts); the database elsewhere
      // (SQLite resolves that link, and would write to the host's folder under the mount)
      const dir = disk.reach(disk.dir)
      const db = openDatabase(freshDir())
      opened.push(db)
      const store = new SqliteStore(db, LIMITS, new StorageHealth(db, dir, quiet))
      disk.fill()
      const big = bytes(9, 256 * 1024)
      await expect(store.stageImage(big)).rejects.toThrow(/no space left/)
      await expect(
        store.saveWorkflowExecution(execution({ FRONT: storedPart('FRONT', big) }), account),
      ).rejects.toThrow(/no space left/)
      await emptied(dir)
      expect(await store.stats()).toMatchObject({ workflowExecutions: 0, imageBytes: 0 })
      closeAll()
    } finally {
      disk.close()
    }
  })
})
