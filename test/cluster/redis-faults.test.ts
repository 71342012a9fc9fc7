/**
 * A replica on a Redis that holds its connection but answers nothing (stopped), or answers but
 * refuses writes (out of memory, a read-only replica): never a hang, never a 500. Changes answer
 * in Jumio's problem shape, the admin health says why, and both recover once Redis does.
 */
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { admin } from '../helpers/flow.js'
import { sampleJpeg } from '../../src/samples/images.js'
import { accessToken, createAccount, streamedFront, USER_AGENT } from '../helpers/jumio.js'
import { startRedis, startReplica, stopReplicas } from '../helpers/cluster.js'
import type { Replica, TestRedis } from '../helpers/cluster.js'

let redis: TestRedis
let replica: Replica
let control: Redis

beforeAll(async () => {
  redis = await startRedis()
  replica = await startReplica(redis.url)
  control = new Redis(redis.url)
}, 60_000)

afterAll(async () => {
  redis.signal('SIGCONT')
  control.disconnect()
  await stopReplicas([replica])
  await (redis as TestRedis | undefined)?.stop()
})

const ACCOUNT = { customerInternalReference: 'faults', workflowDefinition: { key: 10011 } }
const create = async () =>
  replica.http
    .post('/api/v1/accounts')
    .set('Authorization', `Bearer ${await accessToken(replica)}`)
    .set('User-Agent', USER_AGENT)
    .send(ACCOUNT)
const health = async () => {
  const res = await admin(replica, 'get', '/health')
  return { status: res.status, body: res.body as { status: string; redis: { status: string } } }
}

describe('a replica on a Redis that fails', () => {
  it('answers 507 and says DEGRADED while Redis is out of memory, then recovers', async () => {
    expect((await create()).status).toBe(200)
    const token = await accessToken(replica)
    // a bound below what Redis holds already: every write is refused, every read served
    await control.config('SET', 'maxmemory-policy', 'noeviction')
    await control.config('SET', 'maxmemory', '1')
    const refused = await replica.http
      .post('/api/v1/accounts')
      .set('Authorization', `Bearer ${token}`)
      .set('User-Agent', USER_AGENT)
      .send(ACCOUNT)
    expect(refused.status, JSON.stringify(refused.body)).toBe(507)
    expect(refused.body).toMatchObject({ title: 'Insufficient Storage', status: 507 })
    expect(await health()).toMatchObject({
      status: 503,
      body: { status: 'DEGRADED', redis: { status: 'DEGRADED' } },
    })
    await control.config('SET', 'maxmemory', '0')
    expect(await health()).toMatchObject({ status: 200, body: { redis: { status: 'UP' } } })
    expect((await create()).status).toBe(200)
  })

  it('answers 503 while Redis is a read-only replica, then recovers', async () => {
    await control.replicaof('127.0.0.1', '1')
    const res = await create()
    expect(res.status).toBe(503)
    // refused, or met while the link reconnects to find a primary (as after a failover)
    expect((res.body as { detail: string }).detail).toMatch(/READONLY|cannot be reached/)
    await control.replicaof('NO', 'ONE')
    // the link reconnects to find a primary after a failover: UP once it has, and taken a write
    await expect.poll(async () => (await health()).status, { timeout: 10_000 }).toBe(200)
    expect((await create()).status).toBe(200)
  })

  it('answers 503 and says DOWN while Redis holds the connection but answers nothing', async () => {
    expect((await health()).status).toBe(200)
    redis.signal('SIGSTOP')
    try {
      const started = Date.now()
      expect(await health()).toMatchObject({ status: 503, body: { redis: { status: 'DOWN' } } })
      const token = await replica.http
        .post('/oauth2/token')
        .auth('client-a', 'secret')
        .set('User-Agent', USER_AGENT)
        .type('form')
        .send({ grant_type: 'client_credentials' })
      expect(token.status).toBe(503)
      expect(Date.now() - started).toBeLessThan(10_000)
    } finally {
      redis.signal('SIGCONT')
    }
    await expect.poll(async () => (await health()).status, { timeout: 10_000 }).toBe(200)
    expect((await create()).status).toBe(200)
  }, 30_000)

  it('closes the connection of a streamed upload that lost Redis mid-body', async () => {
    // found by a probe: the upload answered 503 but kept its connection, its body stuck waiting
    // for room, so a SIGTERM waited the whole --shutdown-timeout for it (8 s by default)
    const own = await startRedis()
    const lone = await startReplica(own.url, ['--shutdown-timeout', '20s'])
    try {
      const created = await createAccount(lone, await accessToken(lone), ACCOUNT)
      const upload = streamedFront(lone.url, created)
      await new Promise((r) => setTimeout(r, 300))
      await own.stop()
      // more than the upload holds: it asks Redis for room
      upload.write(sampleJpeg(800, 500, 300 * 1024))
      const answered = await upload.answer
      expect(answered.status).toBe(503)
      // nothing is left in flight: a SIGTERM stops it long before the shutdown timeout
      lone.process.child.kill('SIGTERM')
      const stopped = await Promise.race([
        lone.process.exited.then(() => 'stopped'),
        new Promise((r) => setTimeout(r, 8000, 'still waiting 8 s after SIGTERM')),
      ])
      expect(stopped).toBe('stopped')
    } finally {
      await stopReplicas([lone])
      await own.stop()
    }
  }, 60_000)
})
