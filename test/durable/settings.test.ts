/**
 * Durable mode keeps what the admin API acknowledged, as it keeps the workflow executions: the
 * active scenarios (global and per tenant), queued overrides with their remaining uses, and
 * account bindings survive a SIGKILL and a restart on the same `--data-dir`; a reset is kept too.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kill, ready, spawnCli } from '../cli/process.js'
import type { Child } from '../cli/process.js'
import { accessToken, create } from './client.js'

const TENANT = 'settings-client'

let dir = ''
let server: Child | undefined

const start = () => {
  server = spawnCli(['--port', '0', '--data-dir', dir, '--log-level', 'warn', '--watch=false'])
  return ready(server, 20_000)
}

const crashAndRestart = async () => {
  server?.child.kill('SIGKILL')
  await server?.exited
  return start()
}

const admin = async (
  url: string,
  method: string,
  path: string,
  body?: unknown,
  tenant?: string,
) => {
  const res = await fetch(`${url}/__admin${path}`, {
    method,
    headers: {
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
      ...(tenant !== undefined && { 'X-Mock-Tenant': tenant }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  })
  expect(res.status).toBeLessThan(300)
  return res.status === 204 ? undefined : ((await res.json()) as Record<string, unknown>)
}

/** Starts a new workflow execution on the account; the scenario it got, from the header. */
const scenarioOfNewExecution = async (url: string, token: string, accountId: string) => {
  const res = await fetch(`${url}/api/v1/accounts/${accountId}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      customerInternalReference: 'again',
      workflowDefinition: { key: 10011 },
    }),
  })
  expect(res.status).toBe(200)
  return res.headers.get('X-Mock-Scenario')
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jumio-mock-settings-'))
})

afterAll(() => {
  kill(server)
  rmSync(dir, { recursive: true, force: true })
})

describe('durable mode: admin settings survive SIGKILL and restart', () => {
  it('keeps active scenarios, overrides with their remaining uses, and bindings', async () => {
    let url = await start()
    const token = await accessToken(url, TENANT)
    const bound = await create(url, token, 'http://127.0.0.1:9/cb', 'bound')
    await admin(url, 'PUT', '/scenarios/active', { name: 'rejected-liveness' })
    await admin(url, 'PUT', '/scenarios/active', { name: 'watchlist-alert' }, TENANT)
    const override = { scenario: 'token-expired', operation: 'createAccount', times: 3 }
    await admin(url, 'POST', '/scenarios/overrides', override, TENANT)
    await admin(url, 'PUT', `/accounts/${bound.acked.accountId}/scenario`, {
      name: 'bad-image-quality',
    })
    // one use of the override is taken before the crash: two are left
    await create(url, token, 'http://127.0.0.1:9/cb', 'takes-one')

    url = await crashAndRestart()
    expect(await admin(url, 'GET', '/scenarios/active')).toMatchObject({
      name: 'rejected-liveness',
      source: 'global',
    })
    expect(await admin(url, 'GET', '/scenarios/active', undefined, TENANT)).toMatchObject({
      name: 'watchlist-alert',
      source: 'tenant',
    })
    const { overrides } = (await admin(url, 'GET', '/scenarios/overrides', undefined, TENANT)) as {
      overrides: { scenario: string; remaining: number }[]
    }
    expect(overrides).toMatchObject([{ scenario: 'token-expired', remaining: 2 }])
    // the binding holds after the restart (the override is for createAccount only)
    const fresh = await accessToken(url, TENANT)
    expect(await scenarioOfNewExecution(url, fresh, bound.acked.accountId)).toBe(
      'bad-image-quality',
    )
  }, 40_000)

  it('keeps a reset: nothing comes back after the next restart', async () => {
    let url = await crashAndRestart()
    await admin(url, 'POST', '/reset')
    url = await crashAndRestart()
    expect(await admin(url, 'GET', '/scenarios/active')).toMatchObject({ source: 'default' })
    expect(await admin(url, 'GET', '/scenarios/overrides', undefined, TENANT)).toEqual({
      overrides: [],
    })
  }, 40_000)
})
