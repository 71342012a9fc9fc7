/**
 * The flow tests' cluster: N replicas of the mock on one Redis of their own, behind a
 * round-robin balancer that sends each request to the next replica in turn. Each replica is a
 * whole mock of its own (its deps, its HTTP server, its Redis connections, its BullMQ worker,
 * its mirror of the shared settings): they share nothing that changes but Redis, as processes
 * do (the module caches they share hold what never changes: compiled contracts, page scripts).
 * They run inside the test's process rather than as children for what a flow test needs and a
 * child cannot give: a clock frozen at {@link T0} on every replica (the admin API moves all of
 * them through Redis), and each replica's responses checked against the contract after every
 * test. test/cluster/ runs the built mock as real processes for what only they show (SIGKILL, a
 * replica joining late, processes started with their own flags).
 */
import type { AddressInfo } from 'node:net'
import request from 'supertest'
import { loadConfig } from '../../src/config.js'
import type { Config } from '../../src/config.js'
import type { Logger } from '../../src/logger.js'
import { loadScenarios } from '../../src/scenarios/load.js'
import type { AppDeps } from '../../src/server/deps.js'
import { Clock } from '../../src/server/domain/clock.js'
import { serveApp } from '../../src/server/http-server.js'
import { createRedisDeps } from '../../src/server/redis/deps.js'
import { roundRobin, startRedis } from './cluster.js'
import type { TestRedis } from './cluster.js'
import { T0, TEST_FLAGS } from './server.js'
import type { RunningMock } from './server.js'

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined }

/** A started cluster: its balancer's URL is the mock's. */
export interface ClusterMock extends RunningMock {
  replicas: AppDeps[]
  redis: TestRedis
  /** Which replica answered each request so far, in order. */
  sentTo: number[]
}

/** Starts `n` replicas on a fresh Redis, flags as on the command line. */
export async function startClusterMock(
  n: number,
  flags: string[] = [],
  overrides: Partial<Config> = {},
): Promise<ClusterMock> {
  const redis = await startRedis()
  const started: StartedReplica[] = []
  try {
    // one after the other: the first stores the token secret the others read
    for (let i = 0; i < n; i++) started.push(await startReplica(redis.url, flags, overrides))
  } catch (err) {
    for (const r of started) await r.close()
    await redis.stop()
    throw err
  }
  const replicas = started.map((r) => r.deps)
  const lb = await roundRobin(await Promise.all(started.map(async (r) => ({ url: await r.url }))))
  const config = replicas[0]?.config
  return {
    url: lb.url,
    http: request(lb.url),
    ...(config?.adminToken && { adminToken: config.adminToken }),
    replicas,
    redis,
    sentTo: lb.sentTo,
    drainViolations: () => replicas.flatMap((d) => d.responseViolations.splice(0)),
    close: async () => {
      await lb.close()
      for (const r of started) await r.close()
      await redis.stop()
    },
  }
}

interface StartedReplica {
  deps: AppDeps
  url: Promise<string>
  close: () => Promise<void>
}

async function startReplica(
  redisUrl: string,
  flags: string[],
  overrides: Partial<Config>,
): Promise<StartedReplica> {
  const base = loadConfig([...TEST_FLAGS, ...flags, '--redis-url', redisUrl], {})
  const config = { ...base, ...overrides }
  const deps = await createRedisDeps(
    config,
    {
      clock: new Clock({ start: T0, frozen: true }),
      scenarios: loadScenarios(config.scenariosPath),
      log: quiet,
    },
    () => undefined,
  )
  const server = serveApp(deps, 0, '127.0.0.1')
  const url = new Promise<string>((resolve) => {
    server.once('listening', () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    })
  })
  return {
    deps,
    url,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await deps.close()
    },
  }
}
