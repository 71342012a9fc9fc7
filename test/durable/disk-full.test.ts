/**
 * Durable mode on a full disk, on a real one: a tmpfs filled to the last byte
 * (tmpfs.ts). Changes are refused with 507 in Jumio's problem shape and leave nothing behind, in
 * memory or on disk; reads keep working, also after a SIGKILL and a restart on the full disk;
 * the admin health answers 503 DEGRADED; once space returns, health and writes recover, and
 * everything acknowledged before is still there.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { samplePng } from '../../src/samples/images.js'
import { kill, ready } from '../cli/process.js'
import type { Child } from '../cli/process.js'
import {
  accessToken,
  bearer,
  create,
  durableFlags,
  expectStorageRefusal,
  flow,
  health,
  NO_CALLBACKS,
  readPart,
  statusOf,
  upload,
} from './client.js'
import type { Acked } from './client.js'
import { mountTmpfs } from './tmpfs.js'
import type { Tmpfs } from './tmpfs.js'

let disk: Tmpfs
let server: Child | undefined

const start = () => {
  server = disk.spawn(durableFlags(disk.dir))
  return ready(server, 20_000)
}

/** A request that must be refused for lack of space: 507 in Jumio's problem shape. */
const expectInsufficientStorage = (res: Response) => expectStorageRefusal(res, 507, 'no space left')

beforeAll(async () => {
  disk = await mountTmpfs(16 * 1024 * 1024)
})

afterAll(() => {
  kill(server)
  disk.close()
})

describe('durable mode on a full disk', () => {
  it('refuses changes with 507, keeps reads working, reports DEGRADED, and recovers', async () => {
    let url = await start()
    const token = await accessToken(url, 'full-disk-client')
    // acknowledged before the disk fills: one processed, one started (one part) and still open
    const done: Acked[] = []
    await flow(url, token, NO_CALLBACKS, 0, done)
    const processed = done[0] as Acked
    const open = await create(url, token, NO_CALLBACKS, 'open')
    const [id = { id: '', api: undefined }] = open.credentials
    const hrefs = id.api?.parts ?? {}
    const front = samplePng(1000, 630)
    await upload(open.acked, id.id, 'front', hrefs['front'] ?? '', front)
    const before = await health(url)
    expect(before.code).toBe(200)

    disk.fill()

    // every kind of change is refused, and none of it lives on in memory; sent at once, so that
    // they may share a commit (write-groups.ts), which the full disk refuses for all of them
    const form = new FormData()
    form.append('file', new Blob([new Uint8Array(samplePng(1001, 631))]), 'back.png')
    const refused = await Promise.all([
      fetch(`${url}/api/v1/accounts`, {
        method: 'POST',
        headers: { ...bearer(token), 'Content-Type': 'application/json' },
        body: JSON.stringify({
          customerInternalReference: 'x',
          workflowDefinition: { key: 10011 },
        }),
      }),
      fetch(hrefs['back'] ?? '', {
        method: 'POST',
        headers: bearer(open.acked.txToken),
        body: form,
      }),
      fetch(id.api?.workflowExecution ?? '', {
        method: 'PUT',
        headers: bearer(open.acked.txToken),
      }),
    ])
    for (const res of refused) await expectInsufficientStorage(res)
    const active = await fetch(`${url}/__admin/scenarios/active`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'rejected-fake-document' }),
    })
    await expectInsufficientStorage(active)
    const stillActive = await fetch(`${url}/__admin/scenarios/active`)
    expect(((await stillActive.json()) as { source: string }).source).toBe('default')

    // reads answer as the disk has it: the refused finalize and upload are not there
    const checkReads = async () => {
      expect(await statusOf(url, token, processed)).toBe('PROCESSED')
      expect(await statusOf(url, token, open.acked)).toBe('INITIATED')
      const part = (classifier: string) =>
        readPart(url, token, open.acked.accountId, id.id, classifier)
      expect(Buffer.from(await (await part('FRONT')).arrayBuffer())).toEqual(front)
      expect((await part('BACK')).status).toBe(404)
      for (const p of processed.parts) {
        const res = await readPart(url, token, processed.accountId, p.credentialId, p.classifier)
        expect(Buffer.from(await res.arrayBuffer())).toEqual(p.bytes)
      }
    }
    await checkReads()
    // one image file a part acknowledged: the refused upload's, half written, is gone
    expect(readdirSync(disk.reach(join(disk.dir, 'images')))).toHaveLength(
      processed.parts.length + 1,
    )
    const degraded = await health(url)
    // the counts too are as before the refused changes
    expect(degraded.store).toEqual(before.store)
    expect(degraded.code).toBe(503)
    expect(degraded.status).toBe('DEGRADED')
    expect(degraded.durable).toMatchObject({ status: 'DEGRADED', dataDir: disk.dir })
    expect(String(degraded.durable?.['reason'])).toContain('no space left')

    // a restart on the full disk: it starts, reads work, the health says why it is degraded
    server?.child.kill('SIGKILL')
    await server?.exited
    url = await start()
    await checkReads()
    const restarted = await health(url)
    expect(restarted.code).toBe(503)
    // no write has failed yet in this process: less than 1 MiB free is enough to say so
    expect(restarted.durable).toMatchObject({ status: 'DEGRADED' })
    expect(restarted.durable?.['freeBytes']).toBeLessThan(1024 * 1024)

    // space returns: the health and the writes recover, nothing acknowledged is lost
    disk.free()
    const recovered = await health(url)
    expect(recovered.code).toBe(200)
    expect(recovered.durable).toMatchObject({ status: 'UP' })
    // the restarted mock listens on another port
    const again = await fetch(`${url}${new URL(id.api?.workflowExecution ?? '').pathname}`, {
      method: 'PUT',
      headers: bearer(open.acked.txToken),
    })
    expect(again.status).toBe(200)
    expect(await statusOf(url, token, open.acked)).toBe('PROCESSED')
    const more: Acked[] = []
    await flow(url, token, NO_CALLBACKS, 1, more)
    expect(await statusOf(url, token, processed)).toBe('PROCESSED')
  })
})
