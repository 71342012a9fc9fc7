/**
 * The Credentials API in durable mode: created credentials, their permissions,
 * rotations with their grace, deactivations and revoked tokens survive a SIGKILL and a restart
 * on the same `--data-dir`, the database never holds a secret in plain text, and on a full disk
 * (a real tmpfs) every change is refused with 507 and leaves nothing behind.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { kill, ready, spawnCli } from '../cli/process.js'
import type { Child } from '../cli/process.js'
import { read } from './client.js'
import { mountTmpfs } from './tmpfs.js'
import type { Tmpfs } from './tmpfs.js'

const UA = 'AcmeBank KYC/1.0'
const FLAGS = ['--port', '0', '--log-level', 'warn', '--watch=false', '--processing-delay', '0']

interface Credential {
  clientId: string
  clientSecret: string
  tenant: string
}

let server: Child | undefined
const dirs: string[] = []
let disk: Tmpfs | undefined

// each test's server is stopped after it: the next test's start must not leave it running
afterEach(() => {
  kill(server)
})
afterAll(() => {
  disk?.close()
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** An admin call; its status and JSON body. */
async function admin(url: string, path: string, body?: unknown, tenant?: string) {
  const res = await fetch(`${url}/__admin${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(tenant !== undefined && { 'X-Mock-Tenant': tenant }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

async function create(url: string, body: object, path = '/api-credentials'): Promise<Credential> {
  const res = await admin(url, path, body)
  expect(res.status).toBe(201)
  return res.body as unknown as Credential
}

/** The token endpoint's status for a pair, and the token when it gave one. */
async function token(url: string, id: string, secret: string) {
  const res = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      'User-Agent': UA,
    },
    body: 'grant_type=client_credentials',
  })
  const body = (await res.json()) as { access_token?: string; error?: string }
  return { status: res.status, token: body.access_token ?? '', error: body.error }
}

/** Creates an account with an access token; its status and the account's paths. */
async function createAccount(url: string, auth: string) {
  const res = await fetch(`${url}/api/v1/accounts`, {
    method: 'POST',
    headers: { Authorization: auth, 'User-Agent': UA, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      customerInternalReference: 'durable',
      workflowDefinition: { key: 10011 },
    }),
  })
  const body = (await res.json()) as {
    account?: { id: string }
    workflowExecution?: { id: string }
  }
  const path = `/api/v1/accounts/${body.account?.id}/workflow-executions/${body.workflowExecution?.id}`
  return { status: res.status, path }
}

describe('API credentials across a SIGKILL and a restart', () => {
  it('keep their tenant, permissions, rotations and deactivations, and no secret in plain text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jumio-mock-credentials-'))
    dirs.push(dir)
    const start = () => ready((server = spawnCli([...FLAGS, '--data-dir', dir])), 20_000)
    let url = await start()
    const creator = await create(url, { tenant: 'bank', permissions: ['INITIATE'] })
    const reader = await create(url, { tenant: 'bank', permissions: ['RETRIEVE_DELETE'] })
    const rotating = await create(url, { tenant: 'rot' })
    const rotated = (
      await admin(url, `/api-credentials/${rotating.clientId}/rotate`, {
        graceSeconds: 3600,
      })
    ).body as unknown as Credential
    const leaving = await create(url, {})
    const revoked = await create(url, {})
    const revokedToken = (await token(url, revoked.clientId, revoked.clientSecret)).token
    expect((await admin(url, `/api-credentials/${leaving.clientId}/deactivate`, {})).status).toBe(
      200,
    )
    await admin(url, `/api-credentials/${revoked.clientId}/deactivate`, { revokeTokens: true })
    const user = await create(url, { tenant: 'bank' }, '/api-users')
    const account = await createAccount(
      url,
      `Bearer ${(await token(url, creator.clientId, creator.clientSecret)).token}`,
    )
    expect(account.status).toBe(200)
    const before = [
      (await admin(url, '/api-credentials')).body,
      (await admin(url, '/api-users')).body,
    ]

    kill(server)
    await server?.exited
    url = await start()

    expect([
      (await admin(url, '/api-credentials')).body,
      (await admin(url, '/api-users')).body,
    ]).toEqual(before)
    // the database holds hashes only
    const secrets = [creator, reader, rotating, rotated, leaving, revoked, user].map(
      (c) => c.clientSecret,
    )
    for (const file of readdirSync(dir).filter((f) => f.startsWith('jumio-mock.db'))) {
      const bytes = readFileSync(join(dir, file)).toString('latin1')
      for (const secret of secrets)
        expect(bytes.includes(secret), `${secret} in ${file}`).toBe(false)
    }
    // permissions, and one tenant's accounts shared between its credentials
    const creatorToken = (await token(url, creator.clientId, creator.clientSecret)).token
    expect((await createAccount(url, `Bearer ${creatorToken}`)).status).toBe(200)
    expect((await read(url, creatorToken, account.path)).status).toBe(403)
    const readerToken = (await token(url, reader.clientId, reader.clientSecret)).token
    expect((await read(url, readerToken, account.path)).status).toBe(200)
    expect((await createAccount(url, `Bearer ${readerToken}`)).status).toBe(403)
    const basic = `Basic ${Buffer.from(`${user.clientId}:${user.clientSecret}`).toString('base64')}`
    expect((await createAccount(url, basic)).status).toBe(200)
    // the rotation's grace goes on, on the tenant's clock
    expect((await token(url, rotating.clientId, rotating.clientSecret)).status).toBe(200)
    expect((await token(url, rotating.clientId, rotated.clientSecret)).status).toBe(200)
    expect((await admin(url, '/clock/advance', { ms: 3_600_000 }, 'rot')).status).toBe(200)
    expect(await token(url, rotating.clientId, rotating.clientSecret)).toMatchObject({
      status: 400,
      error: 'invalid_client',
    })
    expect((await token(url, rotating.clientId, rotated.clientSecret)).status).toBe(200)
    // deactivated stays deactivated, and a revoked token stays refused
    expect(await token(url, leaving.clientId, leaving.clientSecret)).toMatchObject({
      status: 400,
      error: 'invalid_client',
    })
    expect((await read(url, revokedToken, account.path)).status).toBe(401)
  })
})

describe('API credentials on a full disk', () => {
  it('refuse every change with 507, keep nothing of it, and work again once space returns', async () => {
    disk = await mountTmpfs(16 * 1024 * 1024)
    const url = await ready((server = disk.spawn([...FLAGS, '--data-dir', disk.dir])), 20_000)
    const kept = await create(url, { tenant: 'full' })
    const list = async () => (await admin(url, '/api-credentials')).body
    const before = await list()

    disk.fill()
    const refused = [
      await admin(url, '/api-credentials', { tenant: 'full' }),
      await admin(url, '/api-users', {}),
      await admin(url, `/api-credentials/${kept.clientId}/rotate`, { graceSeconds: 60 }),
      await admin(url, `/api-credentials/${kept.clientId}/deactivate`, { revokeTokens: true }),
      await admin(url, '/reset', {}),
    ]
    for (const res of refused) {
      expect(res).toMatchObject({
        status: 507,
        body: { title: 'Insufficient Storage', status: 507 },
      })
    }
    expect(await list()).toEqual(before)
    expect((await admin(url, '/api-users')).body).toEqual({ apiCredentials: [] })
    // its secret is the one that works, and it is still active
    expect((await token(url, kept.clientId, kept.clientSecret)).status).toBe(200)

    disk.free()
    const rotated = await admin(url, `/api-credentials/${kept.clientId}/rotate`, {})
    expect(rotated.status).toBe(200)
    const secret = String(rotated.body['clientSecret'])
    expect((await token(url, kept.clientId, secret)).status).toBe(200)
    expect((await token(url, kept.clientId, kept.clientSecret)).status).toBe(400)
  })
})
