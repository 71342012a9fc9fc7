import request from 'supertest'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startMockJumio } from '../../src/index.js'
import { admin, runFlow } from '../helpers/flow.js'
import { startReceiver } from '../helpers/receiver.js'
import type { Receiver } from '../helpers/receiver.js'
import { startHttpMock } from '../helpers/http-mock.js'
import { expectNoResponseViolations, FIXTURES } from '../helpers/server.js'
import type { MockHttp, RunningMock } from '../helpers/server.js'

let s: RunningMock
let receiver: Receiver
beforeAll(async () => {
  s = await startHttpMock(['--callback-retries', '2', '--callback-backoff', '1s'])
  receiver = await startReceiver()
})
afterEach(async () => {
  expectNoResponseViolations(s)
  receiver.received.length = 0
  receiver.answers.length = 0
  receiver.delayMs = 0
  await admin(s, 'post', '/reset').expect(204)
})
afterAll(async () => {
  await s.close()
  await receiver.close()
})

interface Delivery {
  id: string
  state: string
  workflowExecutionId: string
  status: string
  attempts: { attempt: number; responseStatus?: number; error?: string }[]
}
const deliveries = async (mock: MockHttp = s) =>
  ((await admin(mock, 'get', '/callbacks').expect(200)).body as { callbacks: Delivery[] }).callbacks

/**
 * The deliveries once `n` attempts in all are recorded: an attempt is recorded when its answer
 * (or error) came, a moment after the receiver saw it, on whichever replica sent it.
 */
async function settle(n: number): Promise<Delivery[]> {
  const deadline = Date.now() + 5000
  for (;;) {
    const list = await deliveries()
    if (list.reduce((sum, d) => sum + d.attempts.length, 0) >= n) return list
    if (Date.now() > deadline) throw new Error(`${String(n)} attempts not recorded in 5 s`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('callbacks (jumio-reference §12)', () => {
  it("POSTs §12's body to the account's callbackUrl on PROCESSED", async () => {
    const r = await runFlow(s, { body: { callbackUrl: receiver.url, userReference: 'u-7' } })
    const [got] = await receiver.waitFor(1)
    expect(got?.headers['content-type']).toBe('application/json')
    expect(got?.body).toEqual({
      callbackSentAt: '2026-01-01T00:00:00.000Z',
      userReference: 'u-7',
      workflowExecution: {
        id: r.created.workflowExecution.id,
        href: `${s.url}/api/v1/workflow-executions/${r.created.workflowExecution.id}`,
        definitionKey: '10011',
        status: 'PROCESSED',
      },
      account: {
        id: r.created.account.id,
        href: `${s.url}/api/v1/accounts/${r.created.account.id}`,
      },
    })
    await settle(1)
    expect((await deliveries()).map((d) => d.state)).toEqual(['delivered'])
  })

  it('retries a failing receiver with backoff on the clock, then delivers', async () => {
    receiver.answers.push(500, 503)
    await runFlow(s, { body: { callbackUrl: receiver.url } })
    await receiver.waitFor(1)
    await settle(1)
    expect((await deliveries())[0]?.state).toBe('retrying')
    await admin(s, 'post', '/clock/advance', { ms: 1000 }, 'client-a').expect(200)
    await receiver.waitFor(2)
    await settle(2)
    await admin(s, 'post', '/clock/advance', { ms: 2000 }, 'client-a').expect(200)
    await receiver.waitFor(3)
    await settle(3)
    const [d] = await deliveries()
    expect(d?.state).toBe('delivered')
    expect(d?.attempts.map((a) => a.responseStatus)).toEqual([500, 503, 200])
  })

  it('gives up after the last retry and records every attempt', async () => {
    receiver.answers.push(500, 500, 500, 500)
    await runFlow(s, { body: { callbackUrl: receiver.url } })
    for (const [n, wait] of [
      [1, 0],
      [2, 1000],
      [3, 2000],
    ] as const) {
      if (wait) await admin(s, 'post', '/clock/advance', { ms: wait }, 'client-a').expect(200)
      await receiver.waitFor(n)
      await settle(n)
    }
    const [d] = await deliveries()
    expect(d?.state).toBe('gave-up')
    expect(d?.attempts).toHaveLength(3)
    expect(d?.attempts[2]?.error).toBe('answered 500')
  })

  it('sends nothing more for a delivery a reset forgot while its attempt was in flight', async () => {
    // regression: the attempt's failure still scheduled retries, sent after the reset (found by
    // probing); on a running clock, as a shared instance has
    const mock = await startMockJumio({
      flags: ['--processing-delay', '0', '--callback-backoff', '100ms', '--callback-retries', '3'],
    })
    try {
      receiver.answers.push(500)
      receiver.delayMs = 300
      const t: MockHttp = { url: mock.url, http: request(mock.url) }
      await runFlow(t, { body: { callbackUrl: receiver.url } })
      await receiver.waitFor(1)
      await mock.reset()
      // the answer (500) comes 300 ms after the request; a retry would follow 100 ms later
      await new Promise((r) => setTimeout(r, 1000))
      expect(receiver.received).toHaveLength(1)
      const listed = (await (await fetch(`${mock.url}/__admin/callbacks`)).json()) as {
        callbacks: unknown[]
      }
      expect(listed.callbacks).toEqual([])
    } finally {
      await mock.close()
    }
  })

  it('records a refused connection as an error and redelivers on request', async () => {
    await runFlow(s, { body: { callbackUrl: 'http://127.0.0.1:9/refused' } })
    await settle(1)
    const [d] = await deliveries()
    expect(d?.attempts[0]?.error).toMatch(/ECONNREFUSED|fetch failed/)
    const again = await admin(s, 'post', `/callbacks/${d?.id ?? ''}/redeliver`).expect(202)
    expect((again.body as Delivery).id).not.toBe(d?.id)
    // the body it sends, as the first delivery's (on replicas too, where a job sends it)
    expect(again.body).toMatchObject({
      body: { workflowExecution: { id: d?.workflowExecutionId, status: 'PROCESSED' } },
    })
    await admin(s, 'post', '/callbacks/nope/redeliver').expect(404)
  })

  it('sends TOKEN_EXPIRED when the token lifetime passes before any upload, with no reader', async () => {
    await runFlow(s, { body: { callbackUrl: receiver.url, tokenLifetime: '5m' }, createOnly: true })
    receiver.received.length = 0
    await admin(s, 'post', '/clock/advance', { ms: 5 * 60_000 }, 'client-a').expect(200)
    const [got] = await receiver.waitFor(1)
    expect((got?.body['workflowExecution'] as { status: string }).status).toBe('TOKEN_EXPIRED')
  })

  it('duplicates and reorders when the scenario says so', async () => {
    const dup = await startHttpMock(['--scenarios', `${FIXTURES}scenarios.callbacks.yaml`])
    try {
      await runFlow(dup, { body: { callbackUrl: receiver.url } })
      const got = await receiver.waitFor(4)
      const statuses = got.map((g) => (g.body['workflowExecution'] as { status: string }).status)
      expect(statuses.sort()).toEqual(['ACQUIRED', 'ACQUIRED', 'PROCESSED', 'PROCESSED'])
      // sent in this order; they fall due together, so the network decides the arrival order
      const sent = (await deliveries(dup)).map((d) => d.status)
      expect(sent).toEqual(['PROCESSED', 'PROCESSED', 'ACQUIRED', 'ACQUIRED'])
    } finally {
      await dup.close()
    }
  })
})
