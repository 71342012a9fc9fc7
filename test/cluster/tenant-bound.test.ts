/**
 * `--max-tenants` on replicas of one Redis: the settings Redis holds are the ones every replica
 * applies, whatever each replica's own memory of other tenants, and Redis itself holds no more
 * tenants than the bound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { admin } from '../helpers/flow.js'
import { accessToken, createAccount } from '../helpers/jumio.js'
import { startRedis, startReplica, stopReplicas } from '../helpers/cluster.js'
import type { Replica, TestRedis } from '../helpers/cluster.js'

let redis: TestRedis
const replicas: Replica[] = []

beforeAll(async () => {
  redis = await startRedis()
  for (let i = 0; i < 2; i++) replicas.push(await startReplica(redis.url, ['--max-tenants', '2']))
}, 60_000)

afterAll(async () => {
  await stopReplicas(replicas)
  await (redis as TestRedis | undefined)?.stop()
})

const replica = (i: number) => replicas[i] as Replica
const ACCOUNT = { customerInternalReference: 'bound', workflowDefinition: { key: 10011 } }

async function activeOn(r: Replica, tenant: string): Promise<unknown> {
  const res = await admin(r, 'get', '/scenarios/active', undefined, tenant).expect(200)
  return (res.body as { name: unknown }).name
}

describe('--max-tenants on two replicas of one Redis', () => {
  it('keeps a tenant’s settings on every replica while others create accounts on one', async () => {
    await admin(
      replica(0),
      'put',
      '/scenarios/active',
      { name: 'slow-processing' },
      'team-a',
    ).expect(200)
    // each client is a tenant: its accounts make replica 0 keep a clock for it
    for (const client of ['x-1', 'x-2', 'x-3']) {
      await createAccount(replica(0), await accessToken(replica(0), client), ACCOUNT)
    }
    expect(await activeOn(replica(0), 'team-a')).toBe('slow-processing')
    expect(await activeOn(replica(1), 'team-a')).toBe('slow-processing')
    // a lookup of an account in every tenant must not make a replica forget one either
    await admin(replica(0), 'put', '/accounts/none/scenario', { name: 'approved' }).expect(404)
    expect(await activeOn(replica(0), 'team-a')).toBe('slow-processing')
  })

  it('forgets past the bound the tenant changed longest ago, on every replica alike', async () => {
    await admin(replica(0), 'post', '/reset').expect(204)
    const set = (i: number, tenant: string, name: string) =>
      admin(replica(i), 'put', '/scenarios/active', { name }, tenant).expect(200)
    await set(0, 'team-a', 'slow-processing')
    await set(1, 'team-b', 'late-callback')
    // team-a changed again: team-b is now the one changed longest ago
    await set(1, 'team-a', 'five-faults')
    await set(0, 'team-c', 'slow-processing')
    for (const r of replicas) {
      expect(await activeOn(r, 'team-a')).toBe('five-faults')
      expect(await activeOn(r, 'team-b')).toBe('approved')
      expect(await activeOn(r, 'team-c')).toBe('slow-processing')
      const health = await admin(r, 'get', '/health').expect(200)
      expect((health.body as { tenants: unknown }).tenants).toEqual({
        count: 2,
        max: 2,
        evictions: 1,
      })
    }
  })

  it('never counts an internal name as a tenant, whatever a request claims', async () => {
    await admin(replica(0), 'post', '/reset').expect(204)
    await admin(replica(0), 'put', '/scenarios/active', { name: 'slow-processing' }).expect(200)
    // a Basic id of Redis's name for the global settings, on a scenario whose fault rule counts
    // its uses (reviewed: that count admitted it as a tenant, which the bound then forgot)
    await replica(1)
      .http.get('/api/v1/accounts/a/workflow-executions/w')
      .auth('\u0000g', 'secret')
      .set('X-Mock-Scenario', 'five-faults')
    for (const tenant of ['team-a', 'team-b']) {
      await admin(replica(0), 'put', '/scenarios/active', { name: 'approved' }, tenant).expect(200)
    }
    for (const r of replicas) {
      const global = await admin(r, 'get', '/scenarios/active').expect(200)
      expect(global.body).toMatchObject({ name: 'slow-processing', source: 'global' })
    }
  })

  it('keeps the bound of the replica started last, also after a reset of everything', async () => {
    replicas.push(await startReplica(redis.url, ['--max-tenants', '3']))
    await admin(replica(0), 'post', '/reset').expect(204)
    for (const r of replicas) {
      const health = await admin(r, 'get', '/health').expect(200)
      expect((health.body as { tenants: unknown }).tenants).toMatchObject({ max: 3 })
    }
  })
})
