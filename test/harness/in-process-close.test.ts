/**
 * An in-process mock in a test suite is closed between tests: nothing of it may go on into the
 * next one (a callback, a request's handler on its closed state), nor change the suite's own
 * process (its global Request and Response, its file descriptors). Found by a probe.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, describe, expect, it } from 'vitest'
import { startMockJumio } from '../../src/index.js'
import type { MockJumio } from '../../src/index.js'

const UA = { 'User-Agent': 'Acme KYC/1.0' }
const dirs: string[] = []
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'jumio-mock-close-'))
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

async function token(mock: MockJumio): Promise<string> {
  const res = await fetch(`${mock.url}/oauth2/token`, {
    method: 'POST',
    headers: {
      ...UA,
      Authorization: `Basic ${Buffer.from('app:s').toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  })
  return ((await res.json()) as { access_token: string }).access_token
}

function create(mock: MockJumio, bearer: string, body: Record<string, unknown> = {}) {
  return fetch(`${mock.url}/api/v1/accounts`, {
    method: 'POST',
    headers: { ...UA, Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      customerInternalReference: 'r',
      workflowDefinition: { key: 10011 },
      ...body,
    }),
  })
}

describe('close() of an in-process mock', () => {
  it('sends no callback afterwards, not even a retry of one in flight', async () => {
    const posts: number[] = []
    // a slow receiver that fails: the mock closes while an attempt is in flight
    const receiver = createServer((req, res) => {
      posts.push(Date.now())
      req.resume()
      setTimeout(() => {
        res.statusCode = 500
        res.end()
      }, 300)
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    const callbackUrl = `http://127.0.0.1:${String((receiver.address() as AddressInfo).port)}/cb`
    const mock = await startMockJumio({
      flags: ['--callback-backoff', '100ms', '--callback-retries', '5'],
    })
    try {
      const created = (await (await create(mock, await token(mock), { callbackUrl })).json()) as {
        workflowExecution: { id: string }
      }
      const path = `/__admin/workflow-executions/${created.workflowExecution.id}/process`
      expect((await fetch(`${mock.url}${path}`, { method: 'POST' })).ok).toBe(true)
      await expect.poll(() => posts.length).toBeGreaterThan(0)
    } finally {
      await mock.close()
    }
    const sent = posts.length
    await sleep(1000)
    expect(posts.length).toBe(sent)
    receiver.close()
  })

  it('ends a request waiting out a fault’s latency, which never reaches the closed state', async () => {
    const errors: string[] = []
    const log = {
      info: () => undefined,
      warn: () => undefined,
      error: (m: string) => errors.push(m),
    }
    const mock = await startMockJumio({ flags: ['--data-dir', tempDir()], log })
    await mock.override({ fault: { latencyMs: 1500 }, operation: 'createAccount' })
    const pending = create(mock, await token(mock)).catch(() => undefined)
    await sleep(200)
    await mock.close()
    await pending
    // past the latency: the handler, had it gone on, would have written to a closed database
    await sleep(2000)
    expect(errors).toEqual([])
  })

  it('warns of no listener leak with many requests waiting at once (found in review)', async () => {
    const warnings: string[] = []
    const onWarning = (w: Error) => warnings.push(w.message)
    process.on('warning', onWarning)
    const mock = await startMockJumio()
    try {
      await mock.override({ fault: { latencyMs: 50 }, times: 20 })
      await Promise.all(Array.from({ length: 20 }, () => fetch(`${mock.url}/`, { headers: UA })))
    } finally {
      await mock.close()
      process.off('warning', onWarning)
    }
    expect(warnings.filter((w) => w.includes('listeners'))).toEqual([])
  })

  it('leaves the process its own globals and file descriptors', async () => {
    const { Request: request, Response: response } = globalThis
    const dir = tempDir()
    const open = () => readdirSync('/proc/self/fd').length
    await (await startMockJumio({ flags: ['--data-dir', dir] })).close()
    const before = open()
    for (let i = 0; i < 10; i++)
      await (await startMockJumio({ flags: ['--data-dir', dir] })).close()
    expect(open() - before).toBeLessThan(5)
    expect(globalThis.Request).toBe(request)
    expect(globalThis.Response).toBe(response)
  })
})

describe('startMockJumio() flags', () => {
  it('refuses those an in-process mock cannot honour, and sends the admin token itself', async () => {
    for (const flags of [['--tls'], ['--redis-url', 'redis://127.0.0.1:1/0'], ['--port', '3000']]) {
      await expect(startMockJumio({ flags })).rejects.toThrow(/cannot take --/)
    }
    const guarded = await startMockJumio({ flags: ['--admin-token', 'let-me-in'] })
    try {
      await guarded.useScenario('approved')
      expect(await guarded.violations()).toEqual([])
      const open = await fetch(`${guarded.url}/__admin/violations`)
      expect(open.status).toBe(401)
      // an empty tenant would act globally: refused, as a clock start that is no time
      await expect(guarded.useScenario('approved', '')).rejects.toThrow(/non-empty name/)
      await expect(startMockJumio({ clock: { start: Number.NaN } })).rejects.toThrow(/epoch/)
    } finally {
      await guarded.close()
    }
  })
})

describe('journal()', () => {
  it('returns every matching entry, past a page, unless a limit asks for one page', async () => {
    const mock = await startMockJumio()
    try {
      const status = () => fetch(`${mock.url}/`, { headers: UA })
      for (let i = 0; i < 120; i++) await status()
      expect(await mock.journal()).toHaveLength(120)
      expect(await mock.journal({ limit: 10 })).toHaveLength(10)
      expect(await mock.journal({ offset: 100 })).toHaveLength(20)
    } finally {
      await mock.close()
    }
  })
})
