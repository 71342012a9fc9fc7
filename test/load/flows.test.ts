/**
 * `npm run test:load`: 50 concurrent clients run full journeys against a real mock process for a
 * bounded time (LOAD_SECONDS: 3 s in `npm test`, 20 s in `npm run test:load`), with a local callback receiver. Zero 5xx; every
 * finalized workflow execution reaches PROCESSED and is retrievable with its images; every
 * callback is delivered and counted exactly once per terminal status; memory stays flat.
 */
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, flow, loops, token } from '../../bench/client.js'
import { rssOf, spawnMock } from '../fuzz/process.js'
import type { MockProcess } from '../fuzz/process.js'

const SECONDS = Number(process.env['LOAD_SECONDS'] ?? 3)
const CLIENTS = 50
const MB = 1024 * 1024

let mock: MockProcess
let receiver: Server
/** workflow execution id → status → callbacks received. */
const callbacks = new Map<string, Map<string, number>>()

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => (body += d.toString()))
    req.on('end', () => {
      const { workflowExecution } = JSON.parse(body) as {
        workflowExecution: { id: string; status: string }
      }
      const byStatus = callbacks.get(workflowExecution.id) ?? new Map<string, number>()
      byStatus.set(workflowExecution.status, (byStatus.get(workflowExecution.status) ?? 0) + 1)
      callbacks.set(workflowExecution.id, byStatus)
      res.end('ok')
    })
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  const port = (receiver.address() as AddressInfo).port
  mock = await spawnMock([
    ...['--processing-delay', '200ms', '--callback-backoff', '100ms'],
    ...['--callback-url', `http://127.0.0.1:${String(port)}/callback`],
  ])
})
afterAll(async () => {
  await mock.stop()
  await new Promise((r) => receiver.close(r))
})

const until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 30_000) => {
  const end = Date.now() + ms
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

describe(`${String(CLIENTS)} clients for ${String(SECONDS)} s`, { timeout: 120_000 }, () => {
  it('answer every request, process every journey, call back once each, in flat memory', async () => {
    const access = await token(mock.url, 'load')
    const statuses = new Map<number, number>()
    const finished: { account: string; id: string; credentials: string[] }[] = []
    const rss: number[] = []
    const sampler = setInterval(() => rss.push(rssOf(mock.pid)), 1000)
    const end = Date.now() + SECONDS * 1000
    await loops(
      CLIENTS,
      // at least a second flow on some client, however slow the machine: a bound in time alone
      // made the count below depend on how fast it is
      () => Date.now() < end || finished.length <= CLIENTS,
      async () => {
        const { created, statuses: got } = await flow(mock.url, access)
        for (const s of got) statuses.set(s, (statuses.get(s) ?? 0) + 1)
        const credentials = created.workflowExecution.credentials.map((c) => c as { id?: string })
        finished.push({
          account: created.account.id,
          id: created.workflowExecution.id,
          credentials: credentials.map((c) => c.id ?? ''),
        })
      },
    )
    clearInterval(sampler)
    const fiveXx = [...statuses].filter(([s]) => s >= 500)
    expect(fiveXx).toEqual([])
    expect([...statuses.keys()]).toEqual([200])
    expect(finished.length).toBeGreaterThan(CLIENTS)

    // every one PROCESSED, and its callback delivered exactly once
    await until('every callback', () =>
      finished.every((f) => callbacks.get(f.id)?.get('PROCESSED')),
    )
    const list = await call(`${mock.url}/__admin/workflow-executions`, 'GET')
    const all = (JSON.parse(list.body) as { workflowExecutions: { id: string; status: string }[] })
      .workflowExecutions
    const byId = new Map(all.map((w) => [w.id, w.status]))
    // the default bounds keep 2,000: the oldest completed ones are evicted, and counted
    const health = JSON.parse((await call(`${mock.url}/__admin/health`, 'GET')).body) as {
      store: { evictions: number }
    }
    const kept = finished.filter((f) => byId.has(f.id))
    expect(finished.length - kept.length).toBe(health.store.evictions)
    for (const f of kept) expect(byId.get(f.id), f.id).toBe('PROCESSED')
    await new Promise((r) => setTimeout(r, 500)) // a duplicate would arrive by now
    for (const f of finished)
      expect(Object.fromEntries(callbacks.get(f.id) ?? [])).toEqual({ PROCESSED: 1 })
    expect(callbacks.size).toBe(finished.length)

    // retrievable with its images (a sample: one request per image)
    const auth = { Authorization: `Bearer ${access}` }
    for (const f of kept.filter((_, i) => i % Math.ceil(kept.length / 40) === 0)) {
      const details = await call(
        `${mock.url}/api/v1/accounts/${f.account}/workflow-executions/${f.id}`,
        'GET',
        auth,
      )
      expect(details.status).toBe(200)
      const hrefs = [
        ...details.body.matchAll(/"href":"(http[^"]+\/parts\/(?:FRONT|BACK|FACE))"/g),
      ].map((m) => m[1] ?? '')
      expect(hrefs.length, details.body.slice(0, 300)).toBeGreaterThanOrEqual(3)
      for (const href of hrefs) expect((await call(href, 'GET', auth)).status, href).toBe(200)
    }

    // flat memory: the last third of the run holds no more than the first third plus slack
    const third = Math.max(1, Math.floor(rss.length / 3))
    const first = Math.max(...rss.slice(0, third))
    const last = Math.max(...rss.slice(-third))
    console.log(
      `load: ${String(finished.length)} flows in ${String(SECONDS)} s (${(finished.length / SECONDS).toFixed(0)}/s), ` +
        `${String([...statuses.values()].reduce((a, b) => a + b, 0))} requests, RSS ${(first / MB).toFixed(0)} → ${(last / MB).toFixed(0)} MB, ` +
        `${String(callbacks.size)} callbacks, ${String(health.store.evictions)} evicted`,
    )
    expect(last).toBeLessThan(first * 1.5 + 64 * MB)
  })
})
