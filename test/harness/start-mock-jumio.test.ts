import { describe, expect, it } from 'vitest'
import { startMockJumio } from '../../src/index.js'
import type { MockJumio } from '../../src/index.js'

const UA = { 'User-Agent': 'Acme KYC/1.0' }

async function token(mock: MockJumio, client = 'app'): Promise<string> {
  const res = await fetch(`${mock.urls.auth}/oauth2/token`, {
    method: 'POST',
    headers: {
      ...UA,
      Authorization: `Basic ${Buffer.from(`${client}:s`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  })
  return ((await res.json()) as { access_token: string }).access_token
}

async function create(
  mock: MockJumio,
  bearer: string,
): Promise<{ account: { id: string }; workflowExecution: { id: string } }> {
  const res = await fetch(`${mock.urls.account}/api/v1/accounts`, {
    method: 'POST',
    headers: { ...UA, Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ customerInternalReference: 'r', workflowDefinition: { key: 10011 } }),
  })
  return (await res.json()) as { account: { id: string }; workflowExecution: { id: string } }
}

describe('startMockJumio()', () => {
  it('starts isolated instances in parallel that share no state', async () => {
    const [a, b] = await Promise.all([startMockJumio({ seed: 'a' }), startMockJumio({ seed: 'a' })])
    try {
      expect(a.url).not.toBe(b.url)
      const created = await create(a, await token(a))
      const path = `/api/v1/accounts/${created.account.id}/workflow-executions/${created.workflowExecution.id}/status`
      expect(
        (
          await fetch(`${a.url}${path}`, {
            headers: { ...UA, Authorization: `Bearer ${await token(a)}` },
          })
        ).status,
      ).toBe(200)
      expect(
        (
          await fetch(`${b.url}${path}`, {
            headers: { ...UA, Authorization: `Bearer ${await token(b)}` },
          })
        ).status,
      ).toBe(404)
      expect(await a.journal({ operation: 'createAccount' })).toHaveLength(1)
      expect(await b.journal({ operation: 'createAccount' })).toHaveLength(0)
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })

  it('switches scenarios, queues overrides, moves the clock and reports violations through typed helpers', async () => {
    const mock = await startMockJumio({
      scenarios: {
        default: 'ok',
        scenarios: {
          ok: { description: 'fine' },
          down: { description: 'down', faults: [{ status: 503 }] },
        },
      },
      clock: { start: Date.UTC(2026, 0, 1), frozen: true },
    })
    try {
      await mock.useScenario('down')
      expect((await fetch(`${mock.urls.status}/`, { headers: UA })).status).toBe(503)
      await mock.useScenario(null)
      const o = await mock.override({ fault: { status: 429, retryAfter: 2 }, times: 1 })
      expect(o.remaining).toBe(1)
      expect((await fetch(`${mock.urls.status}/`, { headers: UA })).status).toBe(429)
      expect((await fetch(`${mock.urls.status}/`, { headers: UA })).status).toBe(200)
      await mock.expectNoViolations()
      await fetch(`${mock.urls.status}/`)
      await expect(mock.expectNoViolations()).rejects.toThrow(
        'USER_AGENT_GENERIC x1 (jumio-reference §2.2)',
      )
      expect((await mock.violations()).map((v) => v.code)).toEqual(['USER_AGENT_GENERIC'])
      await mock.advanceClock(60_000)
      await mock.reset()
      expect(await mock.journal()).toEqual([])
      const created = await create(mock, await token(mock))
      await mock.bindScenario(created.account.id, 'down', 'app')
      await expect(mock.useScenario('nope')).rejects.toThrow('400')
    } finally {
      await mock.close()
    }
  })
})
