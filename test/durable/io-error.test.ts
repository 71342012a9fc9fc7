/**
 * Durable mode on a disk whose syncs fail with EIO (failsync.ts: the write-ahead log's, or the
 * image files' and their folder's). A change whose sync fails is refused with 503 in Jumio's
 * problem shape and leaves nothing behind: not in memory, not after a SIGKILL at once and a
 * restart, not as a file. The admin health answers 503 DEGRADED until that kind of write works
 * again. A part whose file is gone answers 404.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { samplePng } from '../../src/samples/images.js'
import { kill, ready, spawnCli } from '../cli/process.js'
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
import { failingSyncs } from './failsync.js'
import type { FailingSyncs } from './failsync.js'

let syncs: FailingSyncs
let server: Child | undefined
let dataDir = ''

beforeAll(() => {
  syncs = failingSyncs()
})

afterEach(() => {
  kill(server)
  syncs.heal()
  rmSync(dataDir, { recursive: true, force: true })
})

afterAll(() => {
  syncs.close()
})

/** Starts the mock on `dataDir` (a new one unless `again`), its syncs of `match` failing on demand. */
const start = (match: string, again = false) => {
  if (!again) dataDir = mkdtempSync(join(tmpdir(), 'jumio-mock-ioerror-'))
  server = spawnCli(durableFlags(dataDir), { env: syncs.env(match) })
  return ready(server, 20_000)
}

/** A request refused for the I/O error: 503 in Jumio's problem shape, nothing of it kept. */
const expectRefused = (res: Response) => expectStorageRefusal(res, 503, 'cannot be written')

/** A processed workflow execution, and an open one with its FRONT uploaded. */
async function acknowledged(url: string) {
  const token = await accessToken(url, 'io-error-client')
  const done: Acked[] = []
  await flow(url, token, NO_CALLBACKS, 0, done)
  const open = await create(url, token, NO_CALLBACKS, 'open')
  const [id = { id: '', api: undefined }] = open.credentials
  const hrefs = id.api?.parts ?? {}
  const front = samplePng(1000, 630)
  await upload(open.acked, id.id, 'front', hrefs['front'] ?? '', front)
  return { token, processed: done[0] as Acked, open, id, hrefs, front }
}

const uploadBack = (href: string, txToken: string) => {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(samplePng(1001, 631))]), 'back.png')
  return fetch(href, { method: 'POST', headers: bearer(txToken), body: form })
}

/**
 * The refused writes of every kind, sent while the log's syncs fail, in four steps: one commit
 * that several requests share, a deletion, and writes that are not grouped (settings, credentials).
 */
function refusals(url: () => string, a: Awaited<ReturnType<typeof acknowledged>>) {
  const { token, processed, open, id, hrefs } = a
  // the hrefs of the first start: a restarted mock listens on another port
  const here = (href = '') => `${url()}${new URL(href).pathname}`
  const json = { 'Content-Type': 'application/json' }
  return [
    // sent at once, so that they share a commit (write-groups.ts): its sync fails for all
    () =>
      Promise.all([
        fetch(`${url()}/api/v1/accounts`, {
          method: 'POST',
          headers: { ...bearer(token), ...json },
          body: JSON.stringify({
            customerInternalReference: 'x',
            workflowDefinition: { key: 10011 },
          }),
        }),
        uploadBack(here(hrefs['back']), open.acked.txToken),
        fetch(here(id.api?.workflowExecution), {
          method: 'PUT',
          headers: bearer(open.acked.txToken),
        }),
      ]),
    async () => [
      await fetch(`${url()}/api/v1/accounts/${processed.accountId}`, {
        method: 'DELETE',
        headers: bearer(token),
      }),
    ],
    async () => [
      await fetch(`${url()}/__admin/scenarios/active`, {
        method: 'PUT',
        headers: json,
        body: JSON.stringify({ name: 'rejected-fake-document' }),
      }),
    ],
    async () => [
      await fetch(`${url()}/__admin/api-credentials`, {
        method: 'POST',
        headers: json,
        body: '{}',
      }),
    ],
  ]
}

/** What was acknowledged, and nothing that was refused (none of the reads below writes). */
async function expectAcknowledgedOnly(url: string, a: Awaited<ReturnType<typeof acknowledged>>) {
  const { token, processed, open, id, front } = a
  expect(await statusOf(url, token, processed)).toBe('PROCESSED')
  const part = (classifier: string) => readPart(url, token, open.acked.accountId, id.id, classifier)
  expect(Buffer.from(await (await part('FRONT')).arrayBuffer())).toEqual(front)
  expect((await part('BACK')).status).toBe(404)
  const listed = (await (await fetch(`${url}/__admin/workflow-executions`)).json()) as {
    workflowExecutions: { id: string; status: string }[]
  }
  expect(listed.workflowExecutions.map((w) => `${w.id} ${w.status}`).sort()).toEqual(
    [`${processed.wfeId} PROCESSED`, `${open.acked.wfeId} INITIATED`].sort(),
  )
  const active = await fetch(`${url}/__admin/scenarios/active`)
  expect(((await active.json()) as { source: string }).source).toBe('default')
  const credentials = await fetch(`${url}/__admin/api-credentials`)
  expect(((await credentials.json()) as { apiCredentials: unknown[] }).apiCredentials).toEqual([])
}

describe('durable mode when the disk fails a sync', () => {
  it('refuses the changes whose log sync fails; none of them is there after a crash at once', async () => {
    let url = await start('jumio-mock.db-wal')
    const a = await acknowledged(url)
    const before = await health(url)
    expect(before.code).toBe(200)

    // SQLite wrote each refused commit's pages to the log before its sync failed, and the next
    // write would write over them: a crash right after each refusal, and a start on a disk that
    // works, must not bring them back
    for (const refuse of refusals(() => url, a)) {
      syncs.fail()
      for (const res of await refuse()) await expectRefused(res)
      server?.child.kill('SIGKILL')
      await server?.exited
      syncs.heal()
      url = await start('jumio-mock.db-wal', true)
      await expectAcknowledgedOnly(url, a)
      expect((await health(url)).store).toEqual(before.store)
    }

    // in memory too, nothing refused is kept, and the health says why until the disk heals
    syncs.fail()
    for (const refuse of refusals(() => url, a)) {
      for (const res of await refuse()) await expectRefused(res)
    }
    await expectAcknowledgedOnly(url, a)
    const degraded = await health(url)
    expect(degraded.store).toEqual(before.store)
    expect(degraded.code).toBe(503)
    expect(degraded.durable).toMatchObject({ status: 'DEGRADED', dataDir })
    expect(String(degraded.durable?.['reason'])).toContain('SQLITE_IOERR')
    syncs.heal()
    expect((await health(url)).code).toBe(200)
    const finalize = await fetch(`${url}${new URL(a.id.api?.workflowExecution ?? '').pathname}`, {
      method: 'PUT',
      headers: bearer(a.open.acked.txToken),
    })
    expect(finalize.status).toBe(200)
    expect(await statusOf(url, a.token, a.open.acked)).toBe('PROCESSED')
  })

  it('refuses an upload whose image file sync fails, leaves no file, and says DEGRADED until files sync again', async () => {
    const url = await start('/images')
    const { token, open, id, hrefs } = await acknowledged(url)
    const images = join(dataDir, 'images')
    const files = readdirSync(images).length

    syncs.fail()
    await expectRefused(await uploadBack(hrefs['back'] ?? '', open.acked.txToken))
    expect(readdirSync(images)).toHaveLength(files)
    // rows can still be written, by a creation and by the health's probe: neither is a file
    await create(url, token, NO_CALLBACKS, 'a row')
    const degraded = await health(url)
    expect(degraded.code).toBe(503)
    expect(degraded.durable).toMatchObject({ status: 'DEGRADED' })
    expect(String(degraded.durable?.['reason'])).toContain('EIO')
    expect((await health(url)).code).toBe(503)

    syncs.heal()
    expect((await health(url)).code).toBe(200)
    expect(readdirSync(images)).toHaveLength(files)
    await upload(open.acked, id.id, 'back', hrefs['back'] ?? '', samplePng(1001, 631))
    const finalize = await fetch(id.api?.workflowExecution ?? '', {
      method: 'PUT',
      headers: bearer(open.acked.txToken),
    })
    expect(finalize.status).toBe(200)
    expect(await statusOf(url, token, open.acked)).toBe('PROCESSED')
  })

  it('answers 404 for a part whose image file is gone from the data directory', async () => {
    let url = await start('nothing fails')
    const { token, open, id } = await acknowledged(url)
    server?.child.kill('SIGKILL')
    await server?.exited
    const images = join(dataDir, 'images')
    for (const name of readdirSync(images)) rmSync(join(images, name))
    url = await start('nothing fails', true)
    const res = await readPart(url, token, open.acked.accountId, id.id, 'FRONT')
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ title: 'Not Found', status: 404 })
  })
})
