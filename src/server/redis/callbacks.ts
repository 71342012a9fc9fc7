/**
 * @module Callback deliveries shared by every replica: each delivery is a record in
 * Redis (`cb:<id>`, listed in order in `cbs` and per tenant in `cbs:<tenant>`), and its attempts
 * are one BullMQ job (`jobs.ts`) that any replica runs, retried with backoff. A status change is
 * announced once however many replicas settle it: its delivery is keyed by workflow execution,
 * status and copy (`cbk:<key>`), created by the first replica only.
 */
import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import { Callbacks, callbackBody, sendAttempt } from '../domain/callbacks.js'
import type { CallbackDelivery, CallbackSettings, Pending } from '../domain/callbacks.js'
import type { Clock } from '../domain/clock.js'
import type { Hrefs } from '../domain/hrefs.js'
import type { IdSource } from '../domain/ids.js'
import type { WorkflowExecution, WorkflowStatus } from '../state/models.js'
import type { Jobs } from './jobs.js'
import { PREFIX } from './link.js'

/** A delivery as Redis keeps it: with what its attempts need. */
interface Kept {
  delivery: CallbackDelivery
  wfe: Pending['wfe']
  origin: string
}

/** Creates a delivery unless its key has one; returns the delivery id that stands. */
const CREATE = `
local P, key, id, json, tenant, limit = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
local existing = redis.call('GET', P .. 'cbk:' .. key)
if existing then return existing end
redis.call('SET', P .. 'cbk:' .. key, id, 'EX', 86400)
redis.call('SET', P .. 'cb:' .. id, json)
redis.call('HSET', P .. 'cbt', id, tenant)
local n = redis.call('INCR', P .. 'cbseq')
redis.call('ZADD', P .. 'cbs', n, id)
redis.call('ZADD', P .. 'cbs:' .. tenant, n, id)
while redis.call('ZCARD', P .. 'cbs') > limit do
  local old = redis.call('ZPOPMIN', P .. 'cbs')[1]
  local t = redis.call('HGET', P .. 'cbt', old)
  if t then redis.call('ZREM', P .. 'cbs:' .. t, old) end
  redis.call('HDEL', P .. 'cbt', old)
  redis.call('DEL', P .. 'cb:' .. old)
  redis.call('INCR', P .. 'cbdrop')
end
return id
`

/** Callbacks whose records and attempts live in Redis. */
export class RedisCallbacks extends Callbacks {
  jobs: Jobs | null = null

  constructor(
    private readonly redis: Redis,
    settings: CallbackSettings,
    ids: IdSource,
    private readonly clockOf: (tenant: string) => Clock,
    private readonly hrefsOf: (origin: string) => Hrefs,
  ) {
    super(settings, ids)
    redis.defineCommand('jm_cbcreate', { numberOfKeys: 0, lua: CREATE })
  }

  private get engine(): Jobs {
    if (!this.jobs) throw new Error('the job engine is not started')
    return this.jobs
  }

  override async schedule(
    wfe: WorkflowExecution,
    status: WorkflowStatus,
    delayMs: number,
    clock: Clock,
    _hrefs: Hrefs,
    copy = 0,
  ): Promise<CallbackDelivery | null> {
    const url = wfe.callbackUrl ?? this.settings.defaultUrl
    if (!url) return null
    const { id, accountId, definitionKey, userReference } = wfe
    const delivery: CallbackDelivery = {
      id: this.ids(),
      tenant: wfe.tenant,
      workflowExecutionId: id,
      accountId,
      url,
      status,
      state: 'scheduled',
      attempts: [],
    }
    const kept: Kept = {
      delivery,
      wfe: { id, accountId, definitionKey, ...(userReference !== undefined && { userReference }) },
      origin: wfe.origin,
    }
    delivery.id = await this.create(`${wfe.tenant}|${id}|${status}|${copy}`, kept)
    await this.engine.callback(wfe.tenant, delivery.id, clock.now() + delayMs)
    return delivery
  }

  private async create(key: string, kept: Kept): Promise<string> {
    const create = (this.redis as unknown as Record<string, (...a: unknown[]) => Promise<string>>)[
      'jm_cbcreate'
    ]
    if (!create) throw new Error('script not defined')
    const { delivery } = kept
    const args = [key, delivery.id, JSON.stringify(kept), delivery.tenant]
    return create.call(this.redis, PREFIX, ...args, this.settings.historyLimit)
  }

  /** One attempt of a delivery (a job); throws when it failed and a retry is left. */
  async deliver(deliveryId: string): Promise<void> {
    const json = await this.redis.get(`${PREFIX}cb:${deliveryId}`)
    // forgotten by a reset: never attempted again
    if (json === null) return
    const kept = JSON.parse(json) as Kept
    const { delivery, wfe, origin } = kept
    const now = this.clockOf(delivery.tenant).now()
    const record = await sendAttempt(
      delivery,
      now,
      this.hrefsOf(origin),
      wfe,
      this.settings.timeoutMs,
    )
    delivery.attempts.push(record)
    const retry = record.error !== undefined && delivery.attempts.length <= this.settings.retries
    delivery.state = record.error === undefined ? 'delivered' : retry ? 'retrying' : 'gave-up'
    // reset while this attempt was in flight: no record, no retry
    const saved = await this.redis.set(`${PREFIX}cb:${deliveryId}`, JSON.stringify(kept), 'XX')
    if (saved !== null && retry) throw new Error(record.error)
  }

  override async redeliver(
    id: string,
    clock: Clock,
    _hrefs: Hrefs,
    status?: WorkflowStatus,
  ): Promise<CallbackDelivery | null> {
    const json = await this.redis.get(`${PREFIX}cb:${id}`)
    if (json === null) return null
    const old = JSON.parse(json) as Kept
    const delivery: CallbackDelivery = {
      ...old.delivery,
      id: this.ids(),
      state: 'scheduled',
      attempts: [],
      status: status ?? old.delivery.status,
      // the body its first attempt sends, as one process answers (the job sends it again, at its
      // own time)
      body: callbackBody(
        status ?? old.delivery.status,
        clock.now(),
        this.hrefsOf(old.origin),
        old.wfe,
      ),
    }
    await this.create(randomUUID(), { ...old, delivery })
    await this.engine.callback(delivery.tenant, delivery.id, clock.now())
    return delivery
  }

  override async list(tenant?: string): Promise<CallbackDelivery[]> {
    const ids = await this.redis.zrange(
      `${PREFIX}cbs${tenant === undefined ? '' : `:${tenant}`}`,
      0,
      -1,
    )
    this.dropped = Number((await this.redis.get(`${PREFIX}cbdrop`)) ?? 0)
    if (ids.length === 0) return []
    const rows = await this.redis.mget(ids.map((id) => `${PREFIX}cb:${id}`))
    return rows.flatMap((r) => (r === null ? [] : [(JSON.parse(r) as Kept).delivery]))
  }

  override async reset(tenant?: string): Promise<void> {
    const index = `${PREFIX}cbs${tenant === undefined ? '' : `:${tenant}`}`
    const ids = await this.redis.zrange(index, 0, -1)
    const tenants = tenant === undefined ? new Set(await this.redis.hvals(`${PREFIX}cbt`)) : []
    const m = this.redis.multi()
    for (const id of ids) {
      m.del(`${PREFIX}cb:${id}`).zrem(`${PREFIX}cbs`, id).hdel(`${PREFIX}cbt`, id)
    }
    m.del(index)
    for (const t of tenants) m.del(`${PREFIX}cbs:${t}`)
    if (tenant === undefined) m.del(`${PREFIX}cbt`)
    await m.exec()
  }

  override settled(): Promise<void> {
    // attempts in flight are BullMQ's: closing the worker waits for them (deps close)
    return Promise.resolve()
  }
}
