/**
 * Durable mode keeps what the admin API acknowledged, as it keeps the workflow executions: the
 * active scenarios (global and per tenant), queued overrides with their remaining uses, and
 * account bindings survive a SIGKILL and a restart on the same `--data-dir`; a reset is kept too.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { kill, ready, ROOT, spawnCli } from '../cli/process.js'
import type { Child } from '../cli/process.js'
import { accessToken, create } from './client.js'

const TENANT = 'settings-client'

const dirs: string[] = []
let dir = ''
let server: Child | undefined

const start = (flags: string[] = []) => {
  server = spawnCli([
    ...['--port', '0', '--data-dir', dir, '--log-level', 'warn', '--watch=false'],
    ...flags,
  ])
  return ready(server, 20_000)
}

const crashAndRestart = async (flags: string[] = []) => {
  server?.child.kill('SIGKILL')
  await server?.exited
  return start(flags)
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

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jumio-mock-settings-'))
  dirs.push(dir)
})

afterEach(() => {
  kill(server)
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const activeOf = async (url: string, tenant?: string) =>
  (await admin(url, 'GET', '/scenarios/active', undefined, tenant)) as {
    name: string
    source: string
  }

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

  it('keeps a reset, of one tenant or of all: nothing reset comes back', async () => {
    let url = await start()
    await admin(url, 'PUT', '/scenarios/active', { name: 'rejected-liveness' })
    await admin(url, 'PUT', '/scenarios/active', { name: 'watchlist-alert' }, TENANT)
    await admin(url, 'PUT', '/scenarios/active', { name: 'approved-with-warning' }, 'other')
    url = await crashAndRestart()
    expect(await activeOf(url, TENANT)).toMatchObject({ name: 'watchlist-alert', source: 'tenant' })

    await admin(url, 'POST', '/reset', undefined, TENANT)
    url = await crashAndRestart()
    expect(await activeOf(url, TENANT)).toMatchObject({
      name: 'rejected-liveness',
      source: 'global',
    })
    expect(await activeOf(url, 'other')).toMatchObject({ name: 'approved-with-warning' })

    await admin(url, 'POST', '/reset')
    url = await crashAndRestart()
    expect(await activeOf(url)).toMatchObject({ name: 'approved', source: 'default' })
    expect(await activeOf(url, 'other')).toMatchObject({ source: 'default' })
  }, 40_000)

  it('drops saved settings naming a scenario the scenarios file no longer has, with a warning', async () => {
    let url = await start()
    await admin(url, 'PUT', '/scenarios/active', { name: 'rejected-liveness' }, TENANT)
    await admin(url, 'POST', '/scenarios/overrides', { scenario: 'watchlist-alert' }, TENANT)
    url = await crashAndRestart(['--scenarios', `${ROOT}test/fixtures/scenarios.test.yaml`])
    expect(await activeOf(url, TENANT)).toMatchObject({ name: 'approved', source: 'default' })
    expect(await admin(url, 'GET', '/scenarios/overrides', undefined, TENANT)).toEqual({
      overrides: [],
    })
    // an account creation is not answered 400 "Unknown scenario"
    const token = await accessToken(url, TENANT)
    await create(url, token, 'http://127.0.0.1:9/cb', 'after-the-change')
    expect(server?.stderr()).toContain('rejected-liveness')
    expect(server?.stderr()).toMatch(/no longer has: dropped/)
  }, 40_000)
})
