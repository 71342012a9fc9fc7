/**
 * FolderSync (durable mode's image folder): concurrent callers share syncs, each resolved only by
 * a sync that started after it asked, and a failed sync rejects every caller it covered.
 */
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs'
import * as fs from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { FolderSync } from '../../src/server/state/folder-sync.js'

vi.mock('node:fs', async (original) => {
  const real = await original<typeof fs>()
  return { ...real, fsync: vi.fn(real.fsync) }
})

const dir = mkdtempSync(join(tmpdir(), 'jumio-mock-folder-sync-'))
afterEach(() => {
  vi.mocked(fs.fsync).mockClear()
})

describe('FolderSync', () => {
  it('runs one sync for all the callers that ask while one runs', async () => {
    const fd = openSync(dir, 'r')
    const folder = new FolderSync(fd)
    const first = folder.sync() // starts a sync at once
    // asked while it runs, so not covered by it: the next sync covers all three
    const during = [folder.sync(), folder.sync(), folder.sync()]
    await Promise.all([first, ...during])
    expect(vi.mocked(fs.fsync)).toHaveBeenCalledTimes(2)
    await folder.sync()
    expect(vi.mocked(fs.fsync)).toHaveBeenCalledTimes(3)
    closeSync(fd)
    rmSync(dir, { recursive: true, force: true })
  })

  it('rejects every caller of a sync that fails', async () => {
    // a descriptor no process has open
    const folder = new FolderSync(2 ** 30)
    const results = await Promise.allSettled([folder.sync(), folder.sync()])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect(results[0]).toMatchObject({ reason: { code: 'EBADF' } })
  })

  it('refuses syncs once closed, also those asked while its last sync ran (found in review)', async () => {
    const own = mkdtempSync(join(tmpdir(), 'jumio-mock-folder-closed-'))
    const folder = new FolderSync(openSync(own, 'r'))
    const running = folder.sync()
    const queued = folder.sync()
    folder.close()
    await running
    // the descriptor's number may be another file's now: nothing may sync or close it again
    await expect(queued).rejects.toMatchObject({ code: 'EBADF' })
    await expect(folder.sync()).rejects.toMatchObject({ code: 'EBADF' })
    expect(() => {
      folder.syncNow()
    }).toThrow('the folder was closed')
    rmSync(own, { recursive: true, force: true })
  })
})
