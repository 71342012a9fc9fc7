/**
 * Durable mode (faults survived): SIGKILL a real server process on `--data-dir` in the
 * middle of concurrent flows, start it again on the same directory, and find everything it had
 * answered 200: workflow executions, their parts byte for byte, their statuses; tokens issued
 * before the crash still accepted; deadlines and pending callbacks armed again.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { samplePng } from '../../src/samples/images.js'
import { kill, ready, spawnCli } from '../cli/process.js'
import type { Child } from '../cli/process.js'
import { startReceiver } from '../helpers/receiver.js'
import type { Receiver } from '../helpers/receiver.js'
import { accessToken, create, flow, read, statusOf, upload } from './client.js'
import type { Acked } from './client.js'

const TENANT = 'durable-client'
const WORKERS = 8
const HOUR = 3_600_000

let dir = ''
let receiver: Receiver
let server: Child | undefined

const start = async () => {
  server = spawnCli([
    '--port',
    '0',
    '--data-dir',
    dir,
    '--processing-delay',
    '0',
    '--log-level',
    'warn',
    '--watch=false',
    '--callback-backoff',
    '1h',
    '--callback-retries',
    '3',
  ])
  return ready(server, 20_000)
}

/** Moves the tenant's clock: every deadline and callback retry on it that falls due happens. */
const advance = async (url: string, ms: number) => {
  const res = await fetch(`${url}/__admin/clock/advance`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Mock-Tenant': TENANT },
    body: JSON.stringify({ ms }),
  })
  expect(res.status).toBe(200)
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jumio-mock-durable-'))
  receiver = await startReceiver()
})

afterAll(async () => {
  kill(server)
  await receiver.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('durable mode: SIGKILL and restart on the same --data-dir', () => {
  it('keeps every acknowledged workflow execution, token, deadline and pending callback', async () => {
    let url = await start()
    const token = await accessToken(url, TENANT)
    // before the load: one never touched (its token expires later), one to upload to after restart
    const untouched = await create(url, token, receiver.url, 'untouched')
    const resumed = await create(url, token, receiver.url, 'resumed')
    // every callback before the crash fails: they are all pending (retrying in 1h) at the crash
    receiver.answers.push(...Array<number>(100_000).fill(500))

    const acked: Acked[] = []
    let n = 0
    let crashed = false
    const worker = async () => {
      while (!crashed) await flow(url, token, receiver.url, n++, acked).catch(() => undefined)
    }
    const workers = Array.from({ length: WORKERS }, worker)
    const until = Date.now() + 8000
    while (acked.filter((a) => a.finalized).length < 20 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 20))
    server?.child.kill('SIGKILL')
    crashed = true
    await server?.exited
    await Promise.all(workers)
    receiver.answers.length = 0
    const beforeRestart = receiver.received.length

    url = await start()
    const finalized = acked.filter((a) => a.finalized)
    const report = {
      acknowledged: acked.length,
      finalized: finalized.length,
      parts: acked.reduce((s, a) => s + a.parts.length, 0),
    }
    console.log(`durable restart: ${JSON.stringify(report)}`)
    expect(finalized.length).toBeGreaterThanOrEqual(10)

    // the access token issued before the crash still works; every acknowledged one is there
    for (const a of acked) {
      const status = await statusOf(url, token, a)
      // a finalize the crash cut off before its answer may have committed: not acknowledged, either way
      expect(a.finalized ? ['PROCESSED'] : ['INITIATED', 'PROCESSED']).toContain(status)
      for (const p of a.parts) {
        const res = await read(
          url,
          token,
          `/api/v1/accounts/${a.accountId}/credentials/${p.credentialId}/parts/${p.classifier}`,
        )
        expect(res.status).toBe(200)
        expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), p.bytes)).toBe(0)
      }
    }
    // a transaction token issued before the crash still uploads
    const c = resumed.credentials[0]
    const href = Object.entries(c?.api?.parts ?? {}).find(([k]) => k === 'front')
    expect(href).toBeDefined()
    const local = new URL(href?.[1] ?? '', url)
    await upload(
      resumed.acked,
      c?.id ?? '',
      'front',
      `${url}${local.pathname}`,
      samplePng(1000, 630),
    )

    // deadlines and callback retries resume: one move of the clock settles them without a read
    await advance(url, 2 * 24 * HOUR)
    const callbacks = await waitForCallbacks(receiver, beforeRestart, [
      ...finalized.map((a) => `${a.wfeId}:PROCESSED`),
      `${untouched.acked.wfeId}:TOKEN_EXPIRED`,
      `${resumed.acked.wfeId}:SESSION_EXPIRED`,
    ])
    console.log(`durable restart: ${String(callbacks)} callbacks delivered after the restart`)
    // (the access token has expired by now too: 2 days have passed on the tenant's clock)
    const fresh = await accessToken(url, TENANT)
    expect(await statusOf(url, fresh, untouched.acked)).toBe('TOKEN_EXPIRED')
  }, 60_000)
})

/** Waits until every `id:STATUS` was delivered after index `from`; returns how many arrived. */
async function waitForCallbacks(r: Receiver, from: number, want: string[]): Promise<number> {
  const until = Date.now() + 15_000
  const got = () =>
    new Set(
      r.received.slice(from).map((x) => {
        const w = x.body['workflowExecution'] as { id: string; status: string }
        return `${w.id}:${w.status}`
      }),
    )
  while (want.some((w) => !got().has(w))) {
    if (Date.now() > until) {
      const missing = want.filter((w) => !got().has(w))
      throw new Error(`callbacks missing after the restart: ${missing.join(', ')}`)
    }
    await new Promise((res) => setTimeout(res, 25))
  }
  return r.received.length - from
}
