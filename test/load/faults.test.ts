/**
 * Faults survived under load, against real mock processes: callback receivers that
 * fail, hang or are down while clients run full journeys; and SIGTERM in the middle of a load
 * run. Short in `npm test`; `npm run test:load` runs them for LOAD_SECONDS.
 */
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accountBody, call, flow, loops, token } from '../../bench/client.js'
import { spawnMock } from '../fuzz/process.js'

const SECONDS = Number(process.env['LOAD_SECONDS'] ?? 3)
const CLIENTS = 20
const RETRIES = 2

/** What the receiver does with a callback, by the path of the callback URL. */
type Mode = 'ok' | 'fail' | 'slow' | 'down'
const MODES: Mode[] = ['ok', 'fail', 'slow', 'down']

interface Delivery {
  workflowExecutionId: string
  url: string
  status: string
  state: string
  attempts: { responseStatus?: number; error?: string }[]
}

let receiver: Server
let port = 0
let stalled = 0
beforeAll(async () => {
  receiver = createServer((req, res) => {
    req.resume()
    if (req.url === '/fail') res.writeHead(500).end('no')
    else if (req.url === '/slow') {
      // never answers in time: the mock's --callback-timeout aborts the attempt
      stalled += 1
      setTimeout(() => res.end('late'), 20_000).unref()
    } else res.end('ok')
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  port = (receiver.address() as AddressInfo).port
})
afterAll(async () => {
  receiver.closeAllConnections()
  await new Promise((r) => receiver.close(r))
})

const until = async (what: string, ok: () => Promise<boolean>, ms = 30_000) => {
  const end = Date.now() + ms
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

describe('faults under load', { timeout: 120_000 }, () => {
  it('a receiver that fails, hangs or is down: retries, then gives up, each recorded, nothing left pending', async () => {
    const mock = await spawnMock([
      ...['--processing-delay', '100ms', '--callback-backoff', '50ms'],
      // a timeout far above what an answering receiver takes even on a loaded machine: only the
      // stalled one may time out (with 300 ms, an 'ok' answer was once retried under CI load)
      ...['--callback-retries', String(RETRIES), '--callback-timeout', '3s'],
    ])
    try {
      const access = await token(mock.url, 'faults')
      const modeOf = new Map<string, Mode>()
      let n = 0
      const end = Date.now() + SECONDS * 1000
      await loops(
        CLIENTS,
        // a second flow on some client, however slow the machine (not by the clock alone)
        () => Date.now() < end || modeOf.size <= CLIENTS,
        async () => {
          const mode = MODES[n++ % MODES.length] ?? 'ok'
          // port 9 (discard) has no listener here: the connection is refused
          const url =
            mode === 'down' ? 'http://127.0.0.1:9/down' : `http://127.0.0.1:${String(port)}/${mode}`
          const { created, statuses } = await flow(mock.url, access, { callbackUrl: url })
          expect(statuses.filter((s) => s !== 200)).toEqual([])
          modeOf.set(created.workflowExecution.id, mode)
        },
      )
      expect(modeOf.size).toBeGreaterThan(CLIENTS)
      const deliveries = async () =>
        (
          JSON.parse((await call(`${mock.url}/__admin/callbacks?tenant=faults`, 'GET')).body) as {
            callbacks: Delivery[]
          }
        ).callbacks
      await until('every callback delivered or given up', async () => {
        const all = await deliveries()
        const processed = all.filter((d) => d.status === 'PROCESSED')
        return (
          processed.length === modeOf.size &&
          all.every((d) => d.state === 'delivered' || d.state === 'gave-up')
        )
      })
      const processed = (await deliveries()).filter((d) => d.status === 'PROCESSED')
      const seen = new Map<Mode, number>()
      for (const d of processed) {
        const mode = modeOf.get(d.workflowExecutionId)
        if (!mode)
          throw new Error(`a callback for an unknown workflow execution ${d.workflowExecutionId}`)
        seen.set(mode, (seen.get(mode) ?? 0) + 1)
        const expected =
          mode === 'ok'
            ? { state: 'delivered', attempts: 1 }
            : { state: 'gave-up', attempts: RETRIES + 1 }
        expect({ state: d.state, attempts: d.attempts.length }, `${mode} ${d.url}`).toEqual(
          expected,
        )
        if (mode === 'fail')
          expect(d.attempts.map((a) => a.responseStatus)).toEqual([500, 500, 500])
        if (mode === 'slow' || mode === 'down')
          expect(
            d.attempts.every((a) => a.error !== undefined && a.responseStatus === undefined),
          ).toBe(true)
      }
      expect([...seen.keys()].sort()).toEqual([...MODES].sort())
      expect(stalled).toBeGreaterThanOrEqual((seen.get('slow') ?? 0) * (RETRIES + 1))
      // still serving, and nothing left scheduled: the last answer counts stay put
      const health = await call(`${mock.url}/__admin/health`, 'GET')
      expect(health.status).toBe(200)
    } finally {
      await mock.stop()
    }
  })

  it('SIGTERM during a load run: requests in flight are answered, later ones refused, exit 0', async () => {
    const mock = await spawnMock(['--processing-delay', '0'])
    const access = await token(mock.url, 'sigterm')
    const exit = new Promise<number | null>((r) => mock.child.once('exit', r))
    let signalledAt = Infinity
    const answers: { status: number; sent: number; at: number }[] = []
    const failures: { error: string; at: number }[] = []
    setTimeout(() => {
      signalledAt = Date.now()
      mock.child.kill('SIGTERM')
    }, 1000)
    await loops(
      CLIENTS,
      () => Date.now() - signalledAt < 500,
      async () => {
        const sent = Date.now()
        try {
          const res = await call(
            `${mock.url}/api/v1/accounts`,
            'POST',
            { Authorization: `Bearer ${access}`, 'Content-Type': 'application/json' },
            accountBody(),
          )
          answers.push({ status: res.status, sent, at: Date.now() })
        } catch (err) {
          failures.push({ error: String((err as { code?: string }).code ?? err), at: Date.now() })
          await new Promise((r) => setTimeout(r, 20))
        }
      },
    )
    expect(await exit).toBe(0)
    expect(answers.filter((a) => a.status !== 200)).toEqual([])
    expect(answers.filter((a) => a.at < signalledAt).length).toBeGreaterThan(CLIENTS)
    // in flight when the signal came, answered after it
    expect(
      answers.filter((a) => a.sent < signalledAt && a.at >= signalledAt).length,
    ).toBeGreaterThan(0)
    // every failure is a refused or closed connection, and only once the signal was sent
    const connection = /ECONNREFUSED|ECONNRESET|EPIPE|socket hang up/
    expect(failures.filter((f) => !connection.test(f.error))).toEqual([])
    expect(failures.filter((f) => f.at < signalledAt)).toEqual([])
  })
})
