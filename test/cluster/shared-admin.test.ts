/**
 * What three replicas of the built mock on one Redis share beyond a flow's state: the ids a
 * seeded cluster makes, the API credentials created through the admin API (rotation and
 * deactivation included, and rotations made at once), the uses of a fault rule and of an override
 * of N uses (`times`) under concurrent requests, and the journal's counts in the admin health.
 */
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { expectOAuthError } from '../helpers/expect.js'
import { admin } from '../helpers/flow.js'
import { accessToken, createAccount, USER_AGENT } from '../helpers/jumio.js'
import type { Created } from '../helpers/jumio.js'
import { createCredential, tokenFor, tokenRequest } from '../helpers/credentials.js'
import {
  hundredReadsAcross,
  loggedErrors,
  roundRobin,
  startRedis,
  startReplica,
  stopReplicas,
} from '../helpers/cluster.js'
import type { Balancer, Replica, TestRedis } from '../helpers/cluster.js'
import { startTestServer } from '../helpers/server.js'
import type { MockHttp } from '../helpers/server.js'

const SEED = 'shared-admin'
const JOURNAL = 5

let redis: TestRedis
const replicas: Replica[] = []
let lb: Balancer

beforeAll(async () => {
  redis = await startRedis()
  // one after the other: the order they join in is the order of their id sequences
  for (let i = 0; i < 3; i++) {
    replicas.push(
      await startReplica(redis.url, ['--seed', SEED, '--journal-size', String(JOURNAL)]),
    )
  }
  lb = await roundRobin(replicas)
}, 120_000)

afterEach(() => {
  for (const r of replicas) expect(loggedErrors(r)).toEqual([])
})

// also when the start-up failed half-way: nothing started may outlive the file
afterAll(async () => {
  await (lb as Balancer | undefined)?.close()
  await stopReplicas(replicas)
  await (redis as TestRedis | undefined)?.stop()
})

const replica = (i: number) => replicas[i] as Replica
const ACCOUNT = { customerInternalReference: 'shared', workflowDefinition: { key: 10011 } }

/** The ids of a token and an account made on `s`, in that order. */
async function idsMadeOn(s: MockHttp): Promise<string[]> {
  const created: Created = await createAccount(s, await accessToken(s), ACCOUNT)
  return [created.account.id, created.workflowExecution.id]
}

describe('three replicas on one Redis', () => {
  it('make seeded ids: the first to join those of one process, the others their own', async () => {
    const one = await startTestServer(['--seed', SEED])
    try {
      const alone = await idsMadeOn(one)
      expect(await idsMadeOn(replica(0))).toEqual(alone)
      const second = await idsMadeOn(replica(1))
      expect(second.some((id) => alone.includes(id))).toBe(false)
    } finally {
      await one.close()
    }
  })

  it('share API credentials: created, rotated and deactivated through one, on all at once', async () => {
    const made = await createCredential(replica(0), { tenant: 'bank-shared' })
    for (const r of replicas) await tokenFor(r, made.clientId, made.clientSecret)
    const early = await tokenFor(replica(0), made.clientId, made.clientSecret)
    const rotated = await admin(
      replica(1),
      'post',
      `/api-credentials/${made.clientId}/rotate`,
      {},
    ).expect(200)
    const secret = (rotated.body as { clientSecret: string }).clientSecret
    for (const r of replicas) {
      expectOAuthError(
        await tokenRequest(r, made.clientId, made.clientSecret),
        400,
        'invalid_client',
      )
      await tokenFor(r, made.clientId, secret)
    }
    await admin(replica(2), 'post', `/api-credentials/${made.clientId}/deactivate`, {
      revokeTokens: true,
    }).expect(200)
    for (const r of replicas) {
      expectOAuthError(await tokenRequest(r, made.clientId, secret), 400, 'invalid_client')
      // the access token issued before is refused everywhere at once
      await r.http
        .post('/api/v1/accounts')
        .set('Authorization', `Bearer ${early}`)
        .set('User-Agent', USER_AGENT)
        .send(ACCOUNT)
        .expect(401)
      const listed = await admin(r, 'get', '/api-credentials', undefined, 'bank-shared').expect(200)
      expect(listed.body).toMatchObject({ apiCredentials: [{ status: 'INACTIVE' }] })
    }
    await admin(replica(0), 'post', '/reset', undefined, 'bank-shared').expect(204)
    for (const r of replicas) {
      const listed = await admin(r, 'get', '/api-credentials', undefined, 'bank-shared').expect(200)
      expect(listed.body).toEqual({ apiCredentials: [] })
    }
  })

  it('keep one order of rotations made at once through two replicas', async () => {
    const made = await createCredential(replica(0), { tenant: 'bank-rotate' })
    const path = `/api-credentials/${made.clientId}/rotate`
    const answers = await Promise.all(
      [0, 1].map((i) => admin(replica(i), 'post', path, { graceSeconds: 600 })),
    )
    const rotated = answers
      .filter((a) => a.status === 200)
      .map((a) => (a.body as { clientSecret: string }).clientSecret)
    for (const a of answers) expect([200, 409]).toContain(a.status)
    const works = async (secret: string) =>
      (await tokenRequest(replica(2), made.clientId, secret)).status === 200
    const working = new Set<string>()
    for (const secret of [made.clientSecret, ...rotated])
      if (await works(secret)) working.add(secret)
    // as one after the other: two rotations leave both new secrets (the first one graced) and
    // end the original's grace; one rotation leaves its secret and the original, graced
    expect(working).toEqual(
      new Set(rotated.length === 2 ? rotated : [made.clientSecret, ...rotated]),
    )
  })

  it('answer exactly N of 100 concurrent requests with a fault rule of N uses', async () => {
    const tenant = 'fault-times'
    const token = await accessToken(lb, tenant)
    await admin(lb, 'put', '/scenarios/active', { name: 'five-faults' }, tenant).expect(200)
    const statuses = await hundredReadsAcross(replicas, token)
    expect(statuses.filter((s) => s === 503)).toHaveLength(5)
    expect(statuses.filter((s) => s === 404)).toHaveLength(95)
  })

  it('take an override of N uses exactly N times under 100 concurrent requests', async () => {
    const tenant = 'override-times'
    const token = await accessToken(lb, tenant)
    await admin(
      lb,
      'post',
      '/scenarios/overrides',
      { fault: { status: 502 }, times: 7 },
      tenant,
    ).expect(201)
    const statuses = await hundredReadsAcross(replicas, token)
    expect(statuses.filter((s) => s === 502)).toHaveLength(7)
    expect(statuses.filter((s) => s === 404)).toHaveLength(93)
  })

  it('record nothing for a tenant whose settings are unset while it holds none', async () => {
    await admin(lb, 'put', '/scenarios/active', { name: null }, 'nobody-1').expect(200)
    await admin(lb, 'delete', '/scenarios/overrides', undefined, 'nobody-2').expect(204)
    await admin(lb, 'put', '/scenarios/active', { name: 'approved' }, 'somebody').expect(200)
    await admin(lb, 'put', '/scenarios/active', { name: null }, 'somebody').expect(200)
    const client = new Redis(redis.url)
    try {
      const tenants = await client.zrange('jumio-mock:tenants', 0, -1)
      expect(tenants).toContain('somebody')
      expect(tenants).not.toContain('nobody-1')
      expect(tenants).not.toContain('nobody-2')
    } finally {
      client.disconnect()
    }
    const active = await admin(replica(2), 'get', '/scenarios/active', undefined, 'somebody')
    expect((active.body as { source: string }).source).toBe('default')
  })

  it("show the journal's counts alike on every replica, and keep what was dropped on a clear", async () => {
    // token requests are journaled, on whichever replica they reach
    for (let i = 0; i < 2 * JOURNAL; i++) await accessToken(lb)
    const memory = async (r: Replica) =>
      ((await admin(r, 'get', '/health').expect(200)).body as { memory: Record<string, number> })
        .memory
    const before = await memory(replica(0))
    expect(before['journalEntries']).toBe(JOURNAL)
    expect(before['journalDropped']).toBeGreaterThanOrEqual(JOURNAL)
    for (const r of replicas) expect(await memory(r)).toMatchObject({ ...pick(before) })
    await admin(replica(1), 'delete', '/journal').expect(204)
    for (const r of replicas) {
      expect(await memory(r)).toMatchObject({
        journalEntries: 0,
        journalDropped: before['journalDropped'],
      })
    }
  })
})

function pick(m: Record<string, number>) {
  return { journalEntries: m['journalEntries'], journalDropped: m['journalDropped'] }
}
