/**
 * @module Timers on BullMQ: the deadline of every workflow execution (token expiry,
 * session expiry, processing delay) and every callback delivery is a delayed job in one queue on
 * the mock's Redis. Whichever replica is alive runs it, once: a job id names the event (a
 * workflow execution's deadline at a time, a delivery), and BullMQ adds a job of an id it has
 * only once. A replica killed while running one leaves it to the others (BullMQ's stalled-job
 * check). BullMQ, not our own sorted set: delayed jobs, retries with backoff, locks and stall
 * recovery are what it is for, and it is well kept.
 *
 * Job delays are in real time, but deadlines are on a tenant's clock, which the admin API moves.
 * Each job is also indexed by its due time on that clock (`due:<tenant>`); when a clock moves,
 * the jobs that fall due on it are promoted to run now and the others' delays are shortened. On
 * a frozen clock (tests) only a move makes a job due, so its real delay is as long as it can be.
 */
import { Buffer } from 'node:buffer'
import type { ConnectionOptions, Job, MinimalJob, Queue, Worker } from 'bullmq'
import type { Redis } from 'ioredis'
import { firstLine } from '../../config.js'
import type { Logger } from '../../logger.js'
import type { Clock } from '../domain/clock.js'
import { PREFIX } from './link.js'
import type { RedisAddress } from './link.js'

/** The real delay of a job on a frozen clock: a year (only a clock move runs it sooner). */
const FROZEN_DELAY = 365 * 24 * 3600 * 1000
const QUEUE = 'timers'

/** What the jobs do, and on which clocks. */
export interface JobHandlers {
  clockOf: (tenant: string) => Clock
  /** Brings the shared settings (clocks) up to date before a job runs. */
  sync: () => Promise<void>
  deadline: (tenant: string, id: string) => Promise<void>
  /** One attempt; throws to be retried (after {@link JobHandlers.backoff}). */
  callback: (tenant: string, deliveryId: string, attempt: number) => Promise<void>
  /** The wait before the retry after `attempt` failed attempts. */
  backoff: (attempt: number) => number
  retries: number
}

const tenantId = (tenant: string) => Buffer.from(tenant).toString('base64url')

/** The queue, its worker, and the index of due times on tenants' clocks. */
export class Jobs {
  private constructor(
    private readonly redis: Redis,
    private readonly queue: Queue,
    private readonly worker: Worker,
    private readonly handlers: JobHandlers,
  ) {}

  static async start(
    redis: Redis,
    connection: RedisAddress,
    handlers: JobHandlers,
    log: Logger,
  ): Promise<Jobs> {
    const { Queue, Worker } = await import('bullmq')
    // BullMQ's own connections wait for Redis rather than fail (it requires so)
    const options = {
      connection: { ...connection, maxRetriesPerRequest: null } satisfies ConnectionOptions,
      prefix: `${PREFIX}bull`,
    }
    const queue = new Queue(QUEUE, options)
    const started: { jobs?: Jobs } = {}
    const worker = new Worker(QUEUE, (job: Job) => started.jobs?.run(job) ?? Promise.resolve(), {
      ...options,
      concurrency: 16,
      // a killed replica's job runs elsewhere 10-15 s later
      lockDuration: 10_000,
      stalledInterval: 5_000,
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, _err?: Error, job?: MinimalJob) => {
          const tenant = (job?.data as { tenant?: string } | undefined)?.tenant ?? ''
          return handlers.clockOf(tenant).frozen ? FROZEN_DELAY : handlers.backoff(attemptsMade)
        },
      },
    })
    let quiet = false
    const logOnce = (err: unknown) => {
      if (quiet) return
      quiet = true
      log.warn('job queue: Redis unreachable, timers wait for it', { error: firstLine(err) })
    }
    queue.on('error', logOnce)
    worker.on('error', logOnce)
    worker.on('ready', () => {
      quiet = false
    })
    started.jobs = new Jobs(redis, queue, worker, handlers)
    return started.jobs
  }

  private async run(job: Job): Promise<void> {
    const data = job.data as { kind: string; tenant: string; id: string }
    await this.handlers.sync()
    await this.redis.zrem(`${PREFIX}due:${data.tenant}`, job.id ?? '')
    if (data.kind === 'deadline') await this.handlers.deadline(data.tenant, data.id)
    else {
      try {
        await this.handlers.callback(data.tenant, data.id, job.attemptsMade + 1)
      } catch (err) {
        // the retry is due on the tenant's clock too: a clock move runs it sooner
        const clock = this.handlers.clockOf(data.tenant)
        await this.index(
          data.tenant,
          job.id ?? '',
          clock.now() + this.handlers.backoff(job.attemptsMade + 1),
        )
        throw err
      }
    }
  }

  /** Runs the deadline of a workflow execution at `at` on its tenant's clock. */
  async deadline(tenant: string, id: string, at: number): Promise<void> {
    const jobId = `dl-${tenantId(tenant)}-${id}-${at}`
    await this.add(tenant, jobId, at, { kind: 'deadline', tenant, id }, { attempts: 5 })
  }

  /** Runs the attempts of a callback delivery, the first at `at` on its tenant's clock. */
  async callback(tenant: string, deliveryId: string, at: number): Promise<void> {
    await this.add(
      tenant,
      `cb-${deliveryId}`,
      at,
      { kind: 'callback', tenant, id: deliveryId },
      { attempts: this.handlers.retries + 1, backoff: { type: 'custom' } },
    )
  }

  private async add(
    tenant: string,
    jobId: string,
    at: number,
    data: Record<string, string>,
    opts: Record<string, unknown>,
  ): Promise<void> {
    await this.index(tenant, jobId, at)
    await this.queue.add(data['kind'] ?? 'job', data, {
      ...opts,
      jobId,
      delay: this.delay(tenant, at),
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 3600, count: 10_000 },
    })
  }

  private delay(tenant: string, at: number): number {
    const clock = this.handlers.clockOf(tenant)
    const wait = at - clock.now()
    if (wait <= 0) return 0
    return clock.frozen ? FROZEN_DELAY : wait
  }

  private async index(tenant: string, jobId: string, at: number): Promise<void> {
    await this.redis
      .multi()
      .zadd(`${PREFIX}due:${tenant}`, at, jobId)
      .sadd(`${PREFIX}duet`, tenant)
      .exec()
  }

  /** A clock moved (a tenant's, or the root one: every tenant's): runs what fell due on it. */
  async clockMoved(tenant: string | undefined): Promise<void> {
    const tenants = tenant === undefined ? await this.redis.smembers(`${PREFIX}duet`) : [tenant]
    for (const t of tenants) {
      const clock = this.handlers.clockOf(t)
      const entries = await this.redis.zrange(`${PREFIX}due:${t}`, 0, -1, 'WITHSCORES')
      for (let i = 0; i + 1 < entries.length; i += 2) {
        const [jobId, at] = [entries[i] ?? '', Number(entries[i + 1])]
        await this.reschedule(t, jobId, at <= clock.now() ? 0 : this.delay(t, at))
      }
    }
  }

  private async reschedule(tenant: string, jobId: string, delay: number): Promise<void> {
    const job = await this.queue.getJob(jobId)
    if (!job) {
      await this.redis.zrem(`${PREFIX}due:${tenant}`, jobId)
      return
    }
    try {
      if (!(await job.isDelayed())) return
      if (delay === 0) await job.promote()
      else await job.changeDelay(delay)
    } catch {
      // it started meanwhile: nothing to move
    }
  }

  /** Forgets the due index of a tenant, or of all (reset); the jobs find nothing to do. */
  async forget(tenant?: string): Promise<void> {
    const tenants = tenant === undefined ? await this.redis.smembers(`${PREFIX}duet`) : [tenant]
    if (tenants.length === 0) return
    await this.redis.del(...tenants.map((t) => `${PREFIX}due:${t}`))
  }

  /** Stops taking jobs, waits for those running, and closes BullMQ's connections. */
  async close(): Promise<void> {
    await this.worker.close()
    await this.queue.close()
  }
}
