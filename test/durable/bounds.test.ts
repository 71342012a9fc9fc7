/**
 * The store's bounds hold on disk too: with `--data-dir`, past `--max-workflow-executions` or
 * `--max-image-bytes` the oldest completed workflow executions are deleted from the database,
 * counted in the admin health, and stay gone (and counted) after a SIGKILL and a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { kill, ready, spawnCli } from '../cli/process.js'
import type { Child } from '../cli/process.js'
import { samplePng } from '../../src/samples/images.js'
import { accessToken, create, flow, read, upload } from './client.js'
import type { Acked } from './client.js'

const TENANT = 'bounded-client'
const NO_CALLBACKS = 'http://127.0.0.1:9/cb'

let server: Child | undefined
const dirs: string[] = []

const start = (dir: string, flags: string[]) => {
  server = spawnCli([
    ...['--port', '0', '--data-dir', dir, '--processing-delay', '0'],
    ...['--log-level', 'error', '--watch=false', '--callback-retries', '0', ...flags],
  ])
  return ready(server, 20_000)
}

const store = async (url: string) => {
  const res = await fetch(`${url}/__admin/health`)
  const body = (await res.json()) as {
    store: { workflowExecutions: number; imageBytes: number; evictions: number }
  }
  return body.store
}

/** Runs `n` full flows one after the other; each completes (PROCESSED, or evicted at once). */
const completeFlows = async (url: string, token: string, n: number) => {
  const acked: Acked[] = []
  for (let i = 0; i < n; i++) {
    await flow(url, token, NO_CALLBACKS, i, acked)
    await waitCompleted(url, token, acked[i])
  }
  return acked
}

const statusPath = (a: Acked) =>
  `/api/v1/accounts/${a.accountId}/workflow-executions/${a.wfeId}/status`

async function waitCompleted(url: string, token: string, a: Acked | undefined) {
  if (!a) throw new Error('no flow')
  for (let i = 0; i < 200; i++) {
    const res = await read(url, token, statusPath(a))
    const body = (await res.json()) as { workflowExecution?: { status: string } }
    if (res.status === 404 || body.workflowExecution?.status === 'PROCESSED') return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`${a.wfeId} never completed`)
}

afterEach(() => {
  kill(server)
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const FRONT = samplePng(1000, 630)
const FACE = samplePng(480, 640)
/** The images one flow of 10011 uploads: FRONT, BACK, FACE. */
const FLOW_IMAGES = [FRONT, FRONT, FACE].map((bytes) => ({ bytes }))

const imageBytesOf = (flows: Acked[]) =>
  flows.reduce((sum, a) => sum + a.parts.reduce((n, p) => n + p.bytes.length, 0), 0)

/** A mock on a fresh data directory, with an access token for the tenant. */
const freshMock = async (flags: string[]) => {
  const dir = mkdtempSync(join(tmpdir(), 'jumio-mock-bounds-'))
  dirs.push(dir)
  const url = await start(dir, flags)
  return { dir, url, token: await accessToken(url, TENANT) }
}

const restart = async (dir: string, flags: string[]) => {
  server?.child.kill('SIGKILL')
  await server?.exited
  return start(dir, flags)
}

describe('durable mode: the store bounds hold on disk', () => {
  it('deletes the oldest completed workflow executions past --max-workflow-executions', async () => {
    const { dir, token, ...first } = await freshMock(['--max-workflow-executions', '3'])
    let url = first.url
    const acked = await completeFlows(url, token, 5)
    // the images of the evicted ones are deleted with them: only the kept ones' bytes remain
    const kept = { workflowExecutions: 3, imageBytes: imageBytesOf(acked.slice(2)) }
    expect(await store(url)).toEqual({ ...kept, evictions: 2 })
    const statuses = async () =>
      Promise.all(acked.map(async (a) => (await read(url, token, statusPath(a))).status))
    expect(await statuses()).toEqual([404, 404, 200, 200, 200])
    // reading completed ones saves them again: nothing more is evicted
    expect(await store(url)).toEqual({ ...kept, evictions: 2 })

    // after a crash the database says the same (counted again at open)
    url = await restart(dir, ['--max-workflow-executions', '3'])
    expect(await store(url)).toEqual({ ...kept, evictions: 2 })
    expect(await statuses()).toEqual([404, 404, 200, 200, 200])

    // a lower bound at the next start applies before the first request
    url = await restart(dir, ['--max-workflow-executions', '1'])
    expect(await store(url)).toEqual({
      workflowExecutions: 1,
      imageBytes: imageBytesOf(acked.slice(4)),
      evictions: 4,
    })
  }, 40_000)

  it('evicts on any save, as in memory: a new workflow execution makes room', async () => {
    const { url, token } = await freshMock(['--max-workflow-executions', '2'])
    const done = await completeFlows(url, token, 2)
    expect(await store(url)).toMatchObject({ workflowExecutions: 2, evictions: 0 })
    await create(url, token, NO_CALLBACKS, 'third')
    expect(await store(url)).toMatchObject({ workflowExecutions: 2, evictions: 1 })
    expect((await read(url, token, statusPath(done[0] as Acked))).status).toBe(404)
  }, 40_000)

  it('makes room for uploads by deleting completed ones; an upload that does not fit is a 507', async () => {
    // room for the images of two flows, and the framing of the upload arriving
    const flowBytes = imageBytesOf([{ parts: FLOW_IMAGES } as unknown as Acked])
    const budget = 2 * flowBytes + 1024
    const { url, token } = await freshMock(['--max-image-bytes', String(budget)])
    const acked = await completeFlows(url, token, 4)
    const stats = await store(url)
    expect(stats.evictions).toBeGreaterThanOrEqual(2)
    expect(stats.imageBytes).toBeLessThanOrEqual(budget)
    expect(
      await Promise.all(acked.map(async (a) => (await read(url, token, statusPath(a))).status)),
    ).toContain(404)

    // two journeys in progress hold the budget: a third one's upload is refused, none is dropped
    const held = [
      await create(url, token, NO_CALLBACKS, 'held-1'),
      await create(url, token, NO_CALLBACKS, 'held-2'),
    ]
    const uploadAll = async (w: Awaited<ReturnType<typeof create>>) => {
      for (const c of w.credentials) {
        for (const [key, href] of Object.entries(c.api?.parts ?? {})) {
          await upload(w.acked, c.id, key, href, key === 'face' ? FACE : FRONT)
        }
      }
    }
    for (const w of held) await uploadAll(w)
    const third = await create(url, token, NO_CALLBACKS, 'third')
    await expect(uploadAll(third)).rejects.toThrow('upload: 507')
    expect((await store(url)).imageBytes).toBeLessThanOrEqual(budget)
    for (const w of held) expect((await read(url, token, statusPath(w.acked))).status).toBe(200)
  }, 40_000)
})
