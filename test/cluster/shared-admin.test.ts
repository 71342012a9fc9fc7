/**
 * What three replicas of the built mock on one Redis share beyond a flow's state: the journal's
 * counts in the admin health.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { admin } from '../helpers/flow.js'
import { accessToken } from '../helpers/jumio.js'
import {
  loggedErrors,
  roundRobin,
  startRedis,
  startReplica,
  stopReplicas,
} from '../helpers/cluster.js'
import type { Balancer, Replica, TestRedis } from '../helpers/cluster.js'

const JOURNAL = 5

let redis: TestRedis
const replicas: Replica[] = []
let lb: Balancer

beforeAll(async () => {
  redis = await startRedis()
  for (let i = 0; i < 3; i++) {
    replicas.push(await startReplica(redis.url, ['--journal-size', String(JOURNAL)]))
  }
  lb = await roundRobin(replicas)
}, 120_000)

afterEach(() => {
  for (const r of replicas) expect(loggedErrors(r)).toEqual([])
})

afterAll(async () => {
  await lb.close()
  await stopReplicas(replicas)
  await redis.stop()
})

const replica = (i: number) => replicas[i] as Replica

describe('three replicas on one Redis', () => {
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
