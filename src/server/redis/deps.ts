/**
 * @module Shared state (`--redis-url`): the app's parts built over one Redis, so that
 * any number of replicas behind any load balancer behave as one mock. Store, admin settings and
 * clocks, API credentials, callbacks, journal, rate limits, the image budget and the token secret
 * are in Redis; deadlines and callback attempts are BullMQ jobs. Per process stay only what needs
 * no sharing: the memos of verified tokens (a signature verifies the same everywhere) and the
 * scenarios file, which every replica loads (give them all the same one).
 */
import type { Config } from '../../config.js'
import { consoleLogger } from '../../logger.js'
import { createDeps } from '../deps.js'
import type { AppDeps, DepsOverrides } from '../deps.js'
import { RedisCallbacks } from './callbacks.js'
import { RedisCredentials } from './credentials.js'
import { ReplicaIdentity } from './identity.js'
import { RedisImageBudget } from './image-budget.js'
import { Jobs } from './jobs.js'
import { RedisJournal } from './journal.js'
import { RedisLink, redisOptions } from './link.js'
import { RedisRateLimiter } from './rate-limit.js'
import { RedisStore } from './store.js'
import { RedisTenants } from './tenants.js'

/** How long an upload may hold its reservation of image bytes when no timeout bounds it. */
const LONGEST_UPLOAD_MS = 10 * 60_000

/**
 * Connects (waiting for Redis, with one line on `say`) and builds the parts. The token secret is
 * `--token-secret`, or one random secret the first replica stores and every other one reads
 * (`identity.ts`).
 */
export async function createRedisDeps(
  config: Readonly<Config>,
  overrides: DepsOverrides,
  say: (line: string) => void,
): Promise<AppDeps> {
  const url = config.redisUrl ?? ''
  const log = overrides.log ?? consoleLogger
  const link = await RedisLink.open(url, log, say)
  const redis = link.client
  const identity = new ReplicaIdentity(redis, config.seed, config.tokenSecret)
  await identity.join()
  const store = new RedisStore(redis, {
    maxWorkflowExecutions: config.maxWorkflowExecutions,
    maxImageBytes: config.maxImageBytes,
  })
  const parts: { tenants?: RedisTenants; callbacks?: RedisCallbacks; deps?: AppDeps } = {}
  const credentialStore = new RedisCredentials(redis, config.maxApiCredentials, async () => {
    await parts.tenants?.sync()
  })
  const engine: { jobs?: Jobs } = {}
  const deps = createDeps(config, {
    ...overrides,
    store,
    secret: identity.secret,
    ids: identity.ids,
    tenants: (clock) => (parts.tenants = new RedisTenants(redis, clock, config.maxTenants)),
    callbacks: (ids, settings) =>
      (parts.callbacks = new RedisCallbacks(
        redis,
        settings,
        ids,
        (tenant) => deps.tenants.clockOf(tenant),
        (origin) => deps.workflows.hrefs(origin),
      )),
    journal: new RedisJournal(redis, config.journalSize, log),
    rateLimiter: config.rateLimit ? new RedisRateLimiter(redis) : null,
    credentialStore,
    images: new RedisImageBudget(
      store,
      config.maxImageBytes,
      (config.requestTimeoutMs || LONGEST_UPLOAD_MS) + 60_000,
    ),
    deadlines: async (wfe, at) => {
      await engine.jobs?.deadline(wfe.tenant, wfe.id, at)
    },
  })
  const { tenants, callbacks } = parts
  if (!tenants || !callbacks) throw new Error('shared state: parts not built')
  tenants.onCredentials = async () => {
    deps.credentials.mirror(await credentialStore.load())
  }
  await tenants.reload()
  link.onReconnect(() => {
    // Redis may have lost everything (no persistence): join again, read the settings again
    const again = async () => {
      if (await identity.rejoinIfLost()) deps.tokens.rekey(identity.secret)
      await tenants.reload()
    }
    again().catch((err: unknown) => {
      log.warn('shared settings not read again', { error: String(err) })
    })
  })
  const jobs = await Jobs.start(
    redis,
    redisOptions(url),
    {
      clockOf: (tenant) => tenants.clockOf(tenant),
      sync: () => tenants.sync(),
      deadline: (tenant, id) => deps.workflows.settleDue(tenant, id),
      callback: (_tenant, id) => callbacks.deliver(id),
      backoff: (attempt) => config.callbackBackoffMs * 2 ** (attempt - 1),
      retries: config.callbackRetries,
    },
    log,
  )
  engine.jobs = jobs
  callbacks.jobs = jobs
  tenants.onClockMoved = (tenant) => jobs.clockMoved(tenant)
  deps.shared = {
    report: () => link.report(),
    gate: async (path) => {
      if (path === '/__admin/health') return
      link.requireUp()
      await tenants.sync()
    },
    check: () => link.check(),
    unavailable: (err) => link.problemOf(err),
  }
  const closeDeps = deps.close.bind(deps)
  deps.close = async () => {
    await closeDeps()
    await jobs.close()
    await link.close()
  }
  return deps
}
