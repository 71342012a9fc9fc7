/**
 * Three replicas of the built mock on one Redis act as one mock. Each request of a flow
 * goes to the next replica in turn; admin changes apply everywhere at once; a one-shot override
 * is taken exactly once under concurrent requests on every replica; each status change calls
 * back exactly once, also when the replica that scheduled it is killed; and Redis stopped in the
 * middle of a run gives 503s, then recovery, with no replica down, and a replica started after
 * Redis lost its data signs tokens the others accept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { admin, runFlow, uploadAndFinalize } from '../helpers/flow.js'
import { accessToken, createAccount, USER_AGENT } from '../helpers/jumio.js'
import type { Created } from '../helpers/jumio.js'
import { startReceiver } from '../helpers/receiver.js'
import type { Receiver } from '../helpers/receiver.js'
import {
  hundredReadsAcross,
  loggedErrors,
  roundRobin,
  startRedis,
  startReplica,
  stopReplicas,
} from '../helpers/cluster.js'
import type { Balancer, Replica, TestRedis } from '../helpers/cluster.js'

let redis: TestRedis
let replicas: Replica[] = []
let lb: Balancer
let receiver: Receiver

beforeAll(async () => {
  redis = await startRedis()
  const started = await Promise.allSettled([0, 1, 2].map(() => startReplica(redis.url)))
  replicas = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
  const failed = started.find((r) => r.status === 'rejected')
  if (failed) throw failed.reason
  lb = await roundRobin(replicas)
  receiver = await startReceiver()
}, 120_000)

// also when the start-up failed half-way: nothing started may outlive the file
afterAll(async () => {
  await (lb as Balancer | undefined)?.close()
  await (receiver as Receiver | undefined)?.close()
  await stopReplicas(replicas)
  await (redis as TestRedis | undefined)?.stop()
})

describe('three replicas behind a round-robin balancer', () => {
  it('serve a whole flow with each request on the next replica', async () => {
    const before = lb.sentTo.length
    const flow = await runFlow(lb, { key: 10013 })
    expect(flow.status).toBe('PROCESSED')
    expect(flow.details.decision.type).toBe('PASSED')
    // token, create, 3 uploads, finalize, status, details: every replica had its turn
    expect(new Set(lb.sentTo.slice(before))).toEqual(new Set([0, 1, 2]))
    const { account, workflowExecution } = flow.created
    const auth = `Bearer ${flow.token}`
    for (const credential of workflowExecution.credentials.filter((c) => c.api)) {
      for (const key of Object.keys(credential.api?.parts ?? {})) {
        const path = `/api/v1/accounts/${account.id}/credentials/${credential.id}/parts/${key.toUpperCase()}`
        const image = await lb.http
          .get(path)
          .set('Authorization', auth)
          .set('User-Agent', USER_AGENT)
        expect(image.status).toBe(200)
        expect(Buffer.from(image.body as Buffer).length).toBeGreaterThan(0)
      }
    }
    const wfe = `/api/v1/accounts/${account.id}/workflow-executions/${workflowExecution.id}`
    await lb.http.delete(wfe).set('Authorization', auth).set('User-Agent', USER_AGENT).expect(200)
    for (const r of replicas) {
      await r.http.get(wfe).set('Authorization', auth).set('User-Agent', USER_AGENT).expect(404)
    }
    for (const r of replicas) expect(loggedErrors(r)).toEqual([])
  })

  it('apply an admin change made through one replica on all of them at once', async () => {
    const tenant = 'cluster-admin'
    await admin(
      replicas[0] as Replica,
      'put',
      '/scenarios/active',
      { name: 'late-callback' },
      tenant,
    ).expect(200)
    await admin(replicas[1] as Replica, 'post', '/clock/advance', { ms: 3_600_000 }, tenant).expect(
      200,
    )
    for (const r of replicas) {
      const active = await admin(r, 'get', '/scenarios/active', undefined, tenant).expect(200)
      expect((active.body as { name: string }).name).toBe('late-callback')
      const clock = await admin(r, 'get', '/clock', undefined, tenant).expect(200)
      expect((clock.body as { skewMs: number }).skewMs).toBe(3_600_000)
    }
    await admin(replicas[2] as Replica, 'post', '/reset', undefined, tenant).expect(204)
    for (const r of replicas) {
      const active = await admin(r, 'get', '/scenarios/active', undefined, tenant).expect(200)
      expect((active.body as { source: string }).source).not.toBe('tenant')
    }
  })

  it('take a one-shot override exactly once under 100 concurrent requests on all replicas', async () => {
    const tenant = 'client-once'
    const fault = { status: 503 }
    // the token first: a fault override without an operation applies to any request
    const token = await accessToken(lb, tenant)
    await admin(lb, 'post', '/scenarios/overrides', { fault, times: 1 }, tenant).expect(201)
    const statuses = await hundredReadsAcross(replicas, token)
    expect(statuses.filter((s) => s === 503)).toHaveLength(1)
    expect(statuses.filter((s) => s === 404)).toHaveLength(99)
  })

  it('call back exactly once per status change, also when the scheduling replica is killed', async () => {
    receiver.received.length = 0
    // three flows, each with its callback due 3 s after finalize (scheduled on replica 0)
    const doomed = replicas[0] as Replica
    const token = await accessToken(doomed, 'client-cb')
    const started = Date.now()
    // together, so that all are finalized well before the first callback falls due
    const created: Created[] = await Promise.all(
      [0, 1, 2].map(async (i) => {
        const scenario = i === 2 ? 'slow-processing' : 'late-callback'
        const c = await createAccount(doomed, token, {
          customerInternalReference: `cb-${String(i)} scenario:${scenario}`,
          callbackUrl: receiver.url,
          workflowDefinition: { key: 10011 },
        })
        await uploadAndFinalize(doomed, c)
        return c
      }),
    )
    // killed with no callback in flight (one in flight may come twice, as Jumio's may): the
    // soonest falls due 2 s after its finalize
    expect(Date.now() - started, 'the flows took too long to set up').toBeLessThan(2000)
    expect(receiver.received).toHaveLength(0)
    doomed.process.child.kill('SIGKILL')
    await doomed.process.exited
    const got = await receiver.waitFor(3, 15_000)
    // a while more: a duplicate would come now
    await new Promise((r) => setTimeout(r, 1500))
    expect(receiver.received).toHaveLength(3)
    const ids = got.map((g) => (g.body['workflowExecution'] as { id: string }).id).sort()
    expect(ids).toEqual(created.map((c) => c.workflowExecution.id).sort())
    for (const g of got) {
      expect((g.body['workflowExecution'] as { status: string }).status).toBe('PROCESSED')
    }
  }, 30_000)

  it('answer 503 while Redis is down, then recover, no replica down', async () => {
    const alive = replicas.filter(
      (r) => r.process.child.exitCode === null && r.process.child.signalCode === null,
    )
    await redis.stop()
    for (const r of alive) {
      const down = await r.http
        .post('/oauth2/token')
        .auth('client-a', 'secret')
        .type('form')
        .send({ grant_type: 'client_credentials' })
      expect(down.status).toBe(503)
      expect(down.body).toMatchObject({ status: 503, title: 'Service Unavailable' })
      const health = await r.http.get('/__admin/health')
      expect(health.status).toBe(503)
      expect(health.body).toMatchObject({ status: 'DOWN', redis: { status: 'DOWN' } })
    }
    await redis.start()
    for (const r of alive) {
      const deadline = Date.now() + 10_000
      while ((await r.http.get('/__admin/health')).status !== 200) {
        if (Date.now() > deadline) throw new Error('no recovery')
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    const survivors = await roundRobin(alive)
    try {
      expect((await runFlow(survivors)).status).toBe('PROCESSED')
    } finally {
      await survivors.close()
    }
    for (const r of alive) expect(r.process.child.exitCode).toBeNull()
  }, 30_000)

  it('agree on one token secret with a replica started after Redis lost its data', async () => {
    // the previous test restarted Redis without persistence: the stored secret is gone
    const alive = replicas.filter(
      (r) => r.process.child.exitCode === null && r.process.child.signalCode === null,
    )
    const late = await startReplica(redis.url)
    replicas.push(late)
    for (const [from, to] of [
      [late, alive[0]],
      [alive[0], late],
    ] as const) {
      const token = await accessToken(from as Replica, 'client-late')
      await createAccount(to as Replica, token, {
        customerInternalReference: 'late',
        workflowDefinition: { key: 10011 },
      })
    }
  }, 30_000)
})
