/**
 * Durable mode's group commit (src/server/state/write-groups.ts), on a real SQLite database: the
 * store's writes of one event-loop turn share one transaction, each is answered only once it is
 * committed, a write that fails takes nothing of the others with it, a full disk refuses the whole
 * turn in memory too, and a read of something the turn changed waits for it.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { StorageError } from '../../src/server/errors.js'
import type { Account, StoredPart, WorkflowExecution } from '../../src/server/state/models.js'
import { openDatabase } from '../../src/server/state/sqlite.js'
import { SqliteStore } from '../../src/server/state/sqlite-store.js'
import { StorageHealth } from '../../src/server/state/storage-health.js'
import { storedExecution, storedPart } from '../helpers/stored.js'

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined }
const LIMITS = { maxWorkflowExecutions: 1000, maxImageBytes: 10_000_000 }

const opened: { db: Database.Database; dir: string }[] = []
afterEach(() => {
  for (const { db, dir } of opened.splice(0)) {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

function open(limits = LIMITS) {
  const dir = mkdtempSync(join(tmpdir(), 'jumio-mock-groups-'))
  const db = openDatabase(dir)
  opened.push({ db, dir })
  const health = new StorageHealth(db, dir, quiet)
  const store = new SqliteStore(db, limits, health)
  let ends = 0
  health.groups.onEnd(() => (ends += 1))
  /** The rows on disk: read once no transaction is open, they are what is committed. */
  const committedIds = () => {
    expect(db.inTransaction).toBe(false)
    return db
      .prepare<[], { id: string }>('SELECT id FROM workflow_executions ORDER BY id')
      .all()
      .map((r) => r.id)
  }
  return { db, dir, health, store, committedIds, ends: () => ends }
}

const execution = (id: string): WorkflowExecution =>
  storedExecution({
    id,
    tenant: 't',
    accountId: `acc-${id}`,
    credentialId: `cred-${id}`,
    parts: {},
  })
/** A workflow execution with a FRONT image of `size` bytes, on an account of its own. */
function withImage(id: string, status: WorkflowExecution['status'], size: number) {
  const w = storedExecution({
    id,
    tenant: 't',
    accountId: `acc-${id}`,
    status,
    credentialId: `cred-${id}`,
    parts: { FRONT: image(size) },
  })
  return [w, account(w)] as const
}

const image = (size: number): StoredPart => storedPart('FRONT', new Uint8Array(size).fill(7))

const account = (w: WorkflowExecution): Account => ({
  id: w.accountId,
  tenant: w.tenant,
  createdAt: 1,
  workflowExecutionIds: [w.id],
})

describe('durable writes of one event-loop turn', () => {
  it('commit together, and each is answered only once committed', async () => {
    const { db, store, committedIds, ends } = open()
    const [a, b] = [execution('a'), execution('b')]
    const saved = [
      store.saveWorkflowExecution(a, account(a)),
      store.saveWorkflowExecution(b, account(b)),
    ]
    let answered = 0
    for (const s of saved) void s.then(() => (answered += 1))
    await Promise.resolve()
    // both written, in a transaction still open: none answered yet
    expect(db.inTransaction).toBe(true)
    expect(answered).toBe(0)
    await Promise.all(saved)
    // one transaction ended, and it held both
    expect(ends()).toBe(1)
    expect(committedIds()).toEqual(['a', 'b'])
  })

  it('keep the others when one fails, and nothing of the one that failed', async () => {
    const { store, committedIds } = open()
    const [a, b] = [execution('a'), execution('b')]
    // a value JSON cannot write: the write throws while its turn's transaction is open
    const bad = Object.assign(b, { directive: 1n })
    const results = await Promise.allSettled([
      store.saveWorkflowExecution(a, account(a)),
      store.saveWorkflowExecution(bad, account(bad)),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected'])
    expect(committedIds()).toEqual(['a'])
    expect(await store.getWorkflowExecution('t', 'b')).toBeUndefined()
    expect(await store.getAccount('t', b.accountId)).toBeUndefined()
    expect(await store.stats()).toMatchObject({ workflowExecutions: 1 })
  })

  it('are all refused when the disk is full, and put back in memory as stored', async () => {
    const { db, dir, store, committedIds } = open()
    const a = execution('a')
    await store.saveWorkflowExecution(a, account(a))
    // no page more: SQLite refuses the turn's new row with SQLITE_FULL and rolls the turn back
    db.pragma(`max_page_count = ${String(db.pragma('page_count', { simple: true }))}`)
    a.status = 'ACQUIRED'
    const [credential] = a.credentials
    if (credential) credential.parts['FRONT'] = image(500)
    const big = execution('big')
    big.customerInternalReference = 'x'.repeat(100_000)
    const results = await Promise.allSettled([
      store.saveWorkflowExecution(a),
      store.saveWorkflowExecution(big, account(big)),
    ])
    for (const r of results) {
      expect(r.status).toBe('rejected')
      const reason = (r as PromiseRejectedResult).reason as StorageError
      expect(reason).toBeInstanceOf(StorageError)
      expect(reason.status).toBe(507)
    }
    // the change of `a`, which fitted, went with its turn: the object is as stored, in place
    expect(a.status).toBe('INITIATED')
    expect(await store.getWorkflowExecution('t', 'a')).toBe(a)
    expect(await store.getWorkflowExecution('t', 'big')).toBeUndefined()
    expect(committedIds()).toEqual(['a'])
    expect(await store.stats()).toMatchObject({ workflowExecutions: 1, imageBytes: 0 })
    // the image file the refused turn wrote for `a` is gone with it
    await expect.poll(() => readdirSync(join(dir, 'images'))).toEqual([])
  })

  it('are all refused when SQLite rolled their transaction back, the next write too', async () => {
    const { db, store, committedIds } = open()
    const a = execution('a')
    await store.saveWorkflowExecution(a, account(a))
    a.status = 'ACQUIRED'
    const first = store.saveWorkflowExecution(a)
    // as SQLite does after an I/O error in any statement of the transaction, a read's included
    db.exec('ROLLBACK')
    // a request changes the object again and saves it: the refusal has put it back as stored,
    // so this write must not commit what is left of its change
    a.statusReads = 5
    const second = store.saveWorkflowExecution(a)
    for (const r of await Promise.allSettled([first, second])) {
      expect(r.status).toBe('rejected')
      expect(((r as PromiseRejectedResult).reason as StorageError).status).toBe(503)
    }
    expect(a).toMatchObject({ status: 'INITIATED', statusReads: 0 })
    expect(committedIds()).toEqual(['a'])
    // one the lost turn had not touched is put back too: its write was refused before it ran
    const c = execution('c')
    await store.saveWorkflowExecution(c, account(c))
    void store.saveWorkflowExecution(a).catch(() => undefined)
    db.exec('ROLLBACK')
    c.status = 'ACQUIRED'
    await expect(store.saveWorkflowExecution(c)).rejects.toBeInstanceOf(StorageError)
    expect(c.status).toBe('INITIATED')
    expect(await store.getWorkflowExecution('t', 'c')).toBe(c)
    // the next turn's writes are taken again
    const b = execution('b')
    await store.saveWorkflowExecution(b, account(b))
    expect(committedIds()).toEqual(['a', 'b', 'c'])
  })

  it('keep the files of a refused turn even when putting the counts back fails', async () => {
    const { db, dir, store } = open()
    await store.saveWorkflowExecution(...withImage('done', 'PROCESSED', 60))
    const [file] = readdirSync(join(dir, 'images'))
    const deleted = store.deleteWorkflowExecution('t', 'done')
    db.exec('ROLLBACK')
    // the disk fails reads too: counting the rows again throws
    const count = vi
      .spyOn(store as unknown as { countWorkflowExecutions(): number }, 'countWorkflowExecutions')
      .mockImplementationOnce(() => {
        throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' })
      })
    await expect(deleted).rejects.toBeInstanceOf(StorageError)
    expect(count).toHaveBeenCalled()
    // a later turn commits: the refused deletion's file is still named by its row, and stays
    const b = execution('b')
    await store.saveWorkflowExecution(b, account(b))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(readdirSync(join(dir, 'images'))).toEqual([file])
    const done = await store.getWorkflowExecution('t', 'done')
    expect(done?.credentials[0]?.parts['FRONT']?.bytes).toHaveLength(60)
  })

  it('answer every write of a refused turn even when putting memory back fails', async () => {
    const { db, health, store } = open()
    health.groups.onEnd((committed) => {
      if (!committed) throw new Error('the disk fails reads too')
    })
    const a = execution('a')
    const saved = store.saveWorkflowExecution(a, account(a))
    db.exec('ROLLBACK')
    await expect(saved).rejects.toBeInstanceOf(StorageError)
  })

  it('hold back a read of what they changed until committed, and no other read', async () => {
    const { store, ends } = open()
    const [a, c] = [execution('a'), execution('c')]
    await store.saveWorkflowExecution(a, account(a))
    await store.saveWorkflowExecution(c, account(c))
    const before = ends()
    /** How many transactions had ended when a read answered. */
    const seen: Record<string, number> = {}
    const answered = (what: string) => () => (seen[what] = ends() - before)
    a.status = 'ACQUIRED'
    const saved = store.saveWorkflowExecution(a)
    await Promise.all([
      saved,
      store.getWorkflowExecution('t', 'a').then(answered('read a')),
      store.locateWorkflowExecution('a').then(answered('locate a')),
      store.getAccount('t', c.accountId).then(answered('read account c')),
      store.getWorkflowExecution('t', 'c').then(answered('read c')),
    ])
    expect(seen).toEqual({ 'read a': 1, 'locate a': 1, 'read account c': 0, 'read c': 0 })
  })

  it('answer a reservation for the bytes held when it made room, not once committed', async () => {
    const { store } = open({ maxWorkflowExecutions: 1000, maxImageBytes: 100 })
    await store.saveWorkflowExecution(...withImage('done', 'PROCESSED', 60))
    // past the budget: the completed one is evicted, and an upload saved before the commit counts
    // its bytes, reserved earlier, until its reservation is released
    const room = store.makeRoom(80)
    const saved = store.saveWorkflowExecution(...withImage('busy', 'ACQUIRED', 30))
    expect(await room).toBe(true)
    await saved
  })

  it('make a reservation wait for room the open turn frees, and refuse it with the turn', async () => {
    const { db, store } = open({ maxWorkflowExecutions: 1000, maxImageBytes: 100 })
    await store.saveWorkflowExecution(...withImage('done', 'PROCESSED', 60))
    const deleted = store.deleteWorkflowExecution('t', 'done')
    const room = store.makeRoom(80)
    db.exec('ROLLBACK')
    await expect(deleted).rejects.toBeInstanceOf(StorageError)
    // the 60 bytes are back: there never was room for 80
    await expect(room).rejects.toBeInstanceOf(StorageError)
    expect(await store.stats()).toMatchObject({ workflowExecutions: 1, imageBytes: 60 })
  })

  it('leave room within the image budget to be answered at once', async () => {
    const { store, ends } = open()
    const a = execution('a')
    const saved = store.saveWorkflowExecution(a, account(a))
    // nothing to evict, so nothing to write: an upload's reservation waits for no commit
    let endsWhenAnswered = -1
    await store.makeRoom(1000).then(() => (endsWhenAnswered = ends()))
    expect(endsWhenAnswered).toBe(0)
    await saved
    expect(ends()).toBe(1)
  })
})
