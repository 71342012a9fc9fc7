/**
 * @module The admin settings shared by every replica: active scenarios, one-shot
 * overrides, account bindings and clocks live in Redis (`tenant-scripts.ts`). Each replica reads
 * them through a mirror kept in a {@link Tenants}: before every request it reads the change log
 * from where it stopped (one round trip, usually empty) and applies the changes. A change made
 * through any replica is in the log before its answer is sent, so any request that starts later,
 * on any replica, sees it: no cache goes stale. What must be atomic across replicas is done in
 * Redis itself: an override is taken by a script (exactly N uses), as is a use of a fault rule
 * of N uses; deleted ids are counted there, and so is `--max-tenants`: the scripts forget the
 * tenant changed longest ago, and the mirror never forgets settings that Redis holds. The same
 * log says when the API credentials changed (`credentials.ts`).
 */
import type { Redis } from 'ioredis'
import type { FaultCounts } from '../../scenarios/faults.js'
import type { Clock } from '../domain/clock.js'
import { Tenants } from '../domain/tenants.js'
import type { Override, TenantState, TenantStats } from '../domain/tenants.js'
import { PREFIX } from './link.js'
import {
  CHANGE,
  CREDENTIALS,
  DELETED,
  EVERYTHING,
  FAULT,
  GLOBAL,
  POSITION,
  READ,
  TAKE,
} from './tenant-scripts.js'

type Settings = [string | null, string, string, string[]]
type Command = (...args: unknown[]) => Promise<unknown>

/** The settings of every tenant, in Redis, mirrored in this replica. */
export class RedisTenants extends Tenants {
  private seq = 0
  private lastId = '0-0'
  private known = new Set<string>()
  private last: TenantStats
  private bounded = false
  /** The catch-up in flight, and whether another must follow it (a request came meanwhile). */
  private running: Promise<void> | null = null
  private again: Promise<void> | null = null
  /** Called after a clock moved: jobs that fall due on it run now (`jobs.ts`). */
  onClockMoved: (tenant: string | undefined) => Promise<void> = () => Promise.resolve()
  /** Reads the API credentials again, which the same log says changed (`credentials.ts`). */
  onCredentials: () => Promise<void> = () => Promise.resolve()

  constructor(
    private readonly redis: Redis,
    root: Clock,
    max: number,
  ) {
    super(root, undefined, max)
    this.last = { count: 0, max, evictions: 0 }
    for (const [name, lua] of Object.entries({ CHANGE, TAKE, READ, POSITION, FAULT, DELETED }))
      redis.defineCommand(`jmt_${name}`, { numberOfKeys: 0, lua })
  }

  private call(name: string, ...args: (string | number)[]): Promise<unknown> {
    const command = (this.redis as unknown as Record<string, Command>)[`jmt_${name}`]
    if (!command) throw new Error(`script ${name} not defined`)
    return command.call(this.redis, PREFIX, ...args)
  }

  /** Reads every setting again (at start, after Redis came back, after a gap in the log). */
  async reload(): Promise<void> {
    // the bound the scripts keep `tenants` within: the last replica to start sets it (and sets it
    // again when Redis comes back without its data), not each reload
    if (!this.bounded || (await this.redis.exists(`${PREFIX}max`)) === 0) {
      await this.redis.set(`${PREFIX}max`, this.max)
      this.bounded = true
    }
    const [seq, lastId, tenants] = (await this.call('POSITION')) as [string, string, string[]]
    for (const id of [...this.byId.keys()]) if (!tenants.includes(id)) this.forget(id)
    this.known = new Set(tenants)
    for (const t of [GLOBAL, ...tenants]) await this.load(t)
    await this.onCredentials()
    this.seq = Number(seq)
    this.lastId = lastId
  }

  /** Applies the changes logged since the last catch-up; one started now, not before. */
  override sync(): Promise<void> {
    if (!this.running) {
      this.running = this.catchUp().finally(() => {
        this.running = null
      })
      return this.running
    }
    this.again ??= this.running.then(() => {
      this.again = null
      return this.sync()
    })
    return this.again
  }

  private async catchUp(): Promise<void> {
    const read = await this.redis.xread('COUNT', 10_000, 'STREAMS', `${PREFIX}log`, this.lastId)
    const entries = read?.[0]?.[1] ?? []
    const changed = new Set<string>()
    for (const [id, fields] of entries) {
      const s = Number(fields[fields.indexOf('s') + 1])
      const t = fields[fields.indexOf('t') + 1] ?? EVERYTHING
      // a gap: Redis lost its data, or this replica fell too far behind the capped log
      if (s !== this.seq + 1 || t === EVERYTHING) {
        await this.reload()
        return
      }
      this.seq = s
      this.lastId = id
      changed.add(t)
    }
    for (const t of changed) await (t === CREDENTIALS ? this.onCredentials() : this.load(t))
  }

  /** Reads one tenant's settings (or the global ones) into the mirror. */
  private async load(t: string): Promise<void> {
    const [active, skew, overrides, flat] = (await this.call('READ', t)) as Settings
    const bindings = new Map<string, string>()
    for (let i = 0; i + 1 < flat.length; i += 2) bindings.set(flat[i] ?? '', flat[i + 1] ?? '')
    const list = JSON.parse(overrides) as Override[]
    if (t === GLOBAL) {
      this.global.activeScenario = active
      this.global.overrides = list
      setSkew(this.root, Number(skew))
      return
    }
    const empty = active === null && list.length === 0 && bindings.size === 0 && skew === '0'
    if (empty) this.known.delete(t)
    else this.known.add(t)
    if (empty && !this.byId.has(t)) return
    const state = this.get(t)
    state.activeScenario = active
    state.overrides = list
    state.bindings = bindings
    setSkew(state.clock, Number(skew))
  }

  private async write(tenant: string | undefined, ...args: (string | number)[]): Promise<void> {
    await this.call('CHANGE', tenant ?? GLOBAL, ...args)
    await this.sync()
  }

  override setActive(tenant: string | undefined, name: string | null): Promise<void> {
    return this.write(tenant, 'active', name ?? '')
  }

  override addOverride(tenant: string | undefined, override: Override): Promise<void> {
    const { remaining, ...rest } = override
    return this.write(tenant, 'override', override.id, JSON.stringify(rest), remaining)
  }

  override clearOverrides(tenant: string | undefined): Promise<void> {
    return this.write(tenant, 'clear')
  }

  override bind(tenant: string, accountId: string, name: string | null): Promise<void> {
    return this.write(tenant, 'bind', accountId, name ?? '')
  }

  override async advanceClock(tenant: string | undefined, ms: number): Promise<Clock> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward')
    await this.write(tenant, 'skew', ms)
    await this.onClockMoved(tenant)
    return tenant === undefined ? this.root : this.get(tenant).clock
  }

  override async reset(id: string): Promise<void> {
    await this.redis.del(`${PREFIX}f:${id}`, `${PREFIX}d:${id}`)
    await this.write(id, 'reset')
    this.forget(id)
    this.known.delete(id)
  }

  override async resetAll(): Promise<void> {
    await this.write(undefined, 'resetAll')
  }

  override async takeOverride(
    tenant: string,
    operationId: string,
    want: 'scenario' | 'fault',
    creating: boolean,
    client?: string,
  ): Promise<Override | null> {
    const args = [tenant, want, operationId, creating ? '1' : '0', client ?? '']
    const hit = (await this.call('TAKE', ...args)) as [string, number] | null
    if (!hit) return null
    return { ...(JSON.parse(hit[0]) as Omit<Override, 'remaining'>), remaining: hit[1] }
  }

  /** A use of a `times` rule is checked and counted in one script: N uses across replicas. */
  override faultCounts(tenant: string): FaultCounts {
    return {
      take: async (rule, times) => (await this.call('FAULT', tenant, rule, times)) === 1,
    }
  }

  override async markDeleted(tenant: string, ...ids: string[]): Promise<void> {
    if (ids.length === 0) return
    await this.call('DELETED', tenant, Date.now(), ...ids)
  }

  override async wasDeleted(tenant: string, ...ids: (string | undefined)[]): Promise<boolean> {
    const wanted = ids.filter((id): id is string => id !== undefined)
    if (wanted.length === 0) return false
    const scores = await this.redis.zmscore(`${PREFIX}d:${tenant}`, ...wanted)
    return scores.some((s) => s !== null)
  }

  /** Every tenant Redis holds settings or workflow executions of; the mirror keeps none of them. */
  override async ids(): Promise<string[]> {
    const ids = new Set([
      ...(await this.redis.zrange(`${PREFIX}tenants`, 0, -1)),
      ...(await this.redis.smembers(`${PREFIX}stt`)),
    ])
    return [...ids]
  }

  /**
   * The mirror forgets only what it keeps for itself (a clock for a tenant's workflow
   * executions): settings that Redis holds stay until Redis forgets them (the scripts bound them).
   */
  protected override mayForget(t: TenantState): boolean {
    return super.mayForget(t) && !this.known.has(t.id)
  }

  /**
   * The cluster's count and evictions, as Redis keeps them; while Redis cannot be reached, the
   * ones read last (the health answers, and says DOWN).
   */
  override async stats(): Promise<TenantStats> {
    try {
      const [count, [max, evictions]] = await Promise.all([
        this.redis.zcard(`${PREFIX}tenants`),
        this.redis.mget(`${PREFIX}max`, `${PREFIX}evictions`),
      ])
      this.last = { count, max: Number(max ?? this.max), evictions: Number(evictions ?? 0) }
    } catch {
      // unreachable: the last counts
    }
    return this.last
  }
}

/** Sets a mirrored clock's skew to the shared one (no timers run on it: jobs do, `jobs.ts`). */
function setSkew(clock: Clock, skew: number): void {
  if (clock.skew === skew) return
  clock.resetSkew()
  if (skew > 0) clock.advance(skew)
}
