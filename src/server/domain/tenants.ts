/**
 * @module Tenants: isolation inside one shared instance. The tenant is the OAuth2 client id (or
 * Basic-auth user, or an explicit `X-Mock-Tenant` header), as LocalStack uses the access key.
 * Each tenant has its own active scenario, overrides, account bindings, fault counters and
 * clock; the global defaults apply to every tenant below its own settings.
 */
import type { FaultCounts } from '../../scenarios/faults.js'
import type { Fault } from '../../scenarios/types.js'
import { StorageError } from '../errors.js'
import type { Clock } from './clock.js'

/** A queued one-shot (or N-shot) override made through the admin API. */
export interface Override {
  id: string
  scenario?: string
  fault?: Fault
  /** Only requests of this operationId; without one, a scenario applies at the next creation. */
  operation?: string
  /** Only requests this client id presents (auth.ts `presentedClient`). */
  clientId?: string
  remaining: number
}

/** Settings that exist per tenant and once globally. */
export interface ScenarioSettings {
  activeScenario: string | null
  overrides: Override[]
}

/**
 * The admin settings as durable mode keeps them: active scenarios, queued overrides and account
 * bindings, globally and per tenant. Clocks, fault counters and deleted ids are not kept.
 */
export interface SettingsSnapshot {
  global: ScenarioSettings
  /** A tenant's settings, its bindings as [accountId, scenario] pairs. */
  tenants: (ScenarioSettings & { id: string; bindings: [string, string][] })[]
}

/** Where durable mode writes the settings on every change, and reads them at start. */
export interface SettingsStore {
  loadSettings(): SettingsSnapshot | undefined
  saveSettings(settings: SettingsSnapshot): void
}

/** One tenant's state besides its accounts (those live in the store). */
export interface TenantState extends ScenarioSettings {
  id: string
  clock: Clock
  /** accountId → scenario name, made through the admin API. */
  bindings: Map<string, string>
  /** How many requests each counted fault rule (`times`) has matched. */
  faultCounts: Map<string, number>
  /** Ids of deleted accounts and workflow executions, to tell "deleted" from "never existed". */
  deleted: Set<string>
}

/** What a request reads of a tenant: its state, or the blank state of one that holds none. */
export interface TenantView {
  readonly id: string
  readonly clock: Clock
  readonly activeScenario: string | null
  readonly overrides: readonly Override[]
  readonly bindings: ReadonlyMap<string, string>
  readonly faultCounts: ReadonlyMap<string, number>
}

/** How many tenants hold state, their bound, and how many were forgotten to stay within it. */
export interface TenantStats {
  count: number
  max: number
  evictions: number
}

/** Tenants kept with state when no bound is configured. */
export const DEFAULT_MAX_TENANTS = 10_000

/** Deleted ids remembered per tenant. */
const DELETED_MEMORY = 10_000
const NONE: readonly Override[] = Object.freeze([])
const EMPTY = new Map<string, never>()

/**
 * Whether a name can be a tenant's (or a client id's, which names one): no control characters,
 * as RFC 6749's client ids (printable characters, appendix A.1); Redis's internal names begin
 * with a NUL (redis/tenant-scripts.ts).
 */
export function isTenantName(name: string): boolean {
  // eslint-disable-next-line no-control-regex -- the control characters are what it looks for
  return !/[\u0000-\u001f\u007f]/.test(name)
}

/** The tenant used when a request names none (no credentials, health checks). */
export const DEFAULT_TENANT = 'default'

/**
 * The tenants that hold state. A tenant that a request merely names (a header, a client id)
 * holds nothing and costs nothing: it reads as blank, on the root clock, until something is kept
 * for it (a setting, a clock move, a workflow execution, a counted fault). Their number is
 * bounded: past `max`, the tenant unused longest that has nothing pending on its clock is
 * forgotten. Settings change through the methods below, which hand them to the settings store
 * (durable mode) when there is one; a change the store refuses (a full disk) is undone before the
 * error goes up: memory never runs ahead of the disk.
 */
export class Tenants {
  readonly global: ScenarioSettings = { activeScenario: null, overrides: [] }
  /** In order of last use, oldest first. */
  protected readonly byId = new Map<string, TenantState>()
  private evicted = 0

  constructor(
    protected readonly root: Clock,
    private readonly saved?: SettingsStore,
    protected readonly max = DEFAULT_MAX_TENANTS,
  ) {}

  /**
   * Takes back the settings the settings store kept (durable mode, at start), without those that
   * name a scenario `known` no longer knows (the file may have changed since); returns the
   * names dropped.
   */
  restore(known: (scenario: string) => boolean): string[] {
    const kept = this.saved?.loadSettings()
    if (!kept) return []
    const dropped = new Set<string>()
    const keep = (name: string | null | undefined) => {
      if (name === null || name === undefined || known(name)) return true
      dropped.add(name)
      return false
    }
    const restoreInto = (into: ScenarioSettings, from: ScenarioSettings) => {
      into.activeScenario = keep(from.activeScenario) ? from.activeScenario : null
      into.overrides = from.overrides.filter((o) => keep(o.scenario))
    }
    restoreInto(this.global, kept.global)
    for (const t of kept.tenants) {
      const state = this.get(t.id)
      restoreInto(state, t)
      state.bindings = new Map(t.bindings.filter(([, name]) => keep(name)))
    }
    // a full disk must not stop a restart: they stay on disk, to be dropped at the next one
    if (dropped.size > 0) this.storeIfPossible()
    return [...dropped]
  }

  /** What a request reads of a tenant; creates nothing. */
  view(id: string): TenantView {
    return this.touch(id) ?? blank(id, this.root)
  }

  /** The tenant's clock: its own, or the root's, which a new tenant's clock would read. */
  clockOf(id: string): Clock {
    return this.byId.get(id)?.clock ?? this.root
  }

  /** The tenant's state, created when something is to be kept for it. */
  get(id: string): TenantState {
    const known = this.touch(id)
    if (known) return known
    const t: TenantState = {
      id,
      clock: this.root.child(),
      activeScenario: null,
      overrides: [],
      bindings: new Map(),
      faultCounts: new Map(),
      deleted: new Set(),
    }
    this.byId.set(id, t)
    if (this.byId.size > this.max) this.evictIdle()
    return t
  }

  /** The tenant's state if it holds any, now the most recently used. */
  private touch(id: string): TenantState | undefined {
    const t = this.byId.get(id)
    if (t) {
      this.byId.delete(id)
      this.byId.set(id, t)
    }
    return t
  }

  /** Forgets the tenant unused longest that {@link mayForget} allows (never the newest). */
  private evictIdle(): void {
    let n = this.byId.size
    for (const [id, t] of this.byId) {
      if (--n === 0) return
      if (!this.mayForget(t)) continue
      this.forget(id)
      this.evicted += 1
      // the next stored change drops it from disk if this one cannot
      this.storeIfPossible()
      return
    }
  }

  /** Whether the bound may forget this tenant: not while something is pending on its clock. */
  protected mayForget(t: TenantState): boolean {
    return t.clock.pending === 0
  }

  /** How many tenants hold state, their bound, and how many were forgotten to stay within it. */
  stats(): TenantStats | Promise<TenantStats> {
    return { count: this.byId.size, max: this.max, evictions: this.evicted }
  }

  /** A tenant's settings, or the global ones without a tenant. */
  settings(tenant: string | undefined): Readonly<Pick<TenantView, 'activeScenario' | 'overrides'>> {
    return tenant === undefined ? this.global : this.view(tenant)
  }

  /**
   * A tenant that holds no state: unsetting or clearing its settings changes nothing, and must
   * not create its state (past the bound, that would evict another tenant's).
   */
  private holdsNothing(tenant: string | undefined): boolean {
    return tenant !== undefined && !this.byId.has(tenant)
  }

  /** The settings a change is made to: the tenant's own (now kept), or the global ones. */
  private writable(tenant: string | undefined): ScenarioSettings {
    return tenant === undefined ? this.global : this.get(tenant)
  }

  /**
   * Brings the settings up to date before a request reads them: a shared backend (Redis) reads
   * the changes other replicas made; in one process there is nothing to do.
   */
  sync(): void | Promise<void> {
    return undefined
  }

  /** Moves a tenant's clock, or the root clock (every tenant's) without one; returns it. */
  advanceClock(tenant: string | undefined, ms: number): Clock | Promise<Clock> {
    const clock = tenant === undefined ? this.root : this.get(tenant).clock
    clock.advance(ms)
    return clock
  }

  /** The ids of every tenant that holds state, wherever it was created (a shared backend's). */
  ids(): string[] | Promise<string[]> {
    return [...this.byId.keys()]
  }

  /** Switches the active scenario (null: back to the level below). */
  setActive(tenant: string | undefined, name: string | null): void | Promise<void> {
    if (name === null && this.holdsNothing(tenant)) return
    const settings = this.writable(tenant)
    this.change(() => {
      settings.activeScenario = name
    })
  }

  /** Queues an override. */
  addOverride(tenant: string | undefined, override: Override): void | Promise<void> {
    const settings = this.writable(tenant)
    this.change(() => {
      settings.overrides.push(override)
    })
  }

  /** Drops every queued override. */
  clearOverrides(tenant: string | undefined): void | Promise<void> {
    if (this.holdsNothing(tenant)) return
    const settings = this.writable(tenant)
    this.change(() => {
      settings.overrides = []
    })
  }

  /** Binds a scenario to an account's new workflow executions (null: unbinds). */
  bind(tenant: string, accountId: string, name: string | null): void | Promise<void> {
    if (name === null && this.holdsNothing(tenant)) return
    const { bindings } = this.get(tenant)
    this.change(() => {
      if (name === null) bindings.delete(accountId)
      else bindings.set(accountId, name)
    })
  }

  /** Remembers deleted ids (bounded: the oldest are forgotten first). */
  markDeleted(tenant: string, ...ids: string[]): void | Promise<void> {
    const { deleted } = this.get(tenant)
    for (const id of ids) deleted.add(id)
    for (const old of deleted) {
      if (deleted.size <= DELETED_MEMORY) break
      deleted.delete(old)
    }
  }

  /** True when any of the ids was deleted by the tenant. */
  wasDeleted(tenant: string, ...ids: (string | undefined)[]): boolean | Promise<boolean> {
    const deleted = this.byId.get(tenant)?.deleted
    return deleted !== undefined && ids.some((id) => id !== undefined && deleted.has(id))
  }

  /** Every tenant that holds state. */
  list(): TenantState[] {
    return [...this.byId.values()]
  }

  /** Forgets a tenant's settings and clock (its timers are cancelled); stored first. */
  reset(id: string): void | Promise<void> {
    this.saved?.saveSettings(this.snapshot(id))
    this.forget(id)
  }

  /** Forgets every tenant and the global settings; stored first. */
  resetAll(): void | Promise<void> {
    this.saved?.saveSettings({ global: { activeScenario: null, overrides: [] }, tenants: [] })
    for (const id of [...this.byId.keys()]) this.forget(id)
    this.global.activeScenario = null
    this.global.overrides = []
  }

  protected forget(id: string): void {
    const t = this.byId.get(id)
    if (t) this.root.release(t.clock)
    this.byId.delete(id)
  }

  /**
   * Takes one use of the first override that matches, the tenant's before the global ones.
   * `creating` marks account creation, where overrides without an operation apply; `client` is
   * the client id the request presents, for overrides aimed at one client.
   */
  takeOverride(
    tenant: string,
    operationId: string,
    want: 'scenario' | 'fault',
    creating: boolean,
    client?: string,
  ): Override | null | Promise<Override | null> {
    for (const list of [this.byId.get(tenant)?.overrides ?? [], this.global.overrides]) {
      const i = list.findIndex(
        (o) =>
          (want === 'scenario' ? o.scenario !== undefined : o.fault !== undefined) &&
          (o.operation === undefined
            ? want === 'fault' || creating
            : o.operation === operationId) &&
          (o.clientId === undefined || o.clientId === client),
      )
      const hit = list[i]
      if (!hit) continue
      this.change(() => {
        hit.remaining -= 1
        if (hit.remaining <= 0) list.splice(i, 1)
      })
      return hit
    }
    return null
  }

  /** The tenant's counts of fault rules that apply N times; a count makes the tenant keep state. */
  faultCounts(tenant: string): FaultCounts {
    return {
      take: (rule, times) => {
        if ((this.byId.get(tenant)?.faultCounts.get(rule) ?? 0) >= times) return false
        const { faultCounts } = this.get(tenant)
        faultCounts.set(rule, (faultCounts.get(rule) ?? 0) + 1)
        return true
      },
    }
  }

  /**
   * Applies a change and hands the settings to the settings store, if there is one. If it
   * refuses them, the settings are put back as they were and the error goes up.
   */
  private change(apply: () => void): void {
    if (!this.saved) {
      apply()
      return
    }
    const before = this.snapshot()
    apply()
    try {
      this.saved.saveSettings(this.snapshot())
    } catch (err) {
      if (err instanceof StorageError) this.putBack(before)
      throw err
    }
  }

  /** Hands the settings to the settings store, unless the disk refuses them. */
  private storeIfPossible(): void {
    try {
      this.saved?.saveSettings(this.snapshot())
    } catch (err) {
      if (!(err instanceof StorageError)) throw err
    }
  }

  /** A copy of the settings (without tenant `except`), as the settings store keeps them. */
  private snapshot(except?: string): SettingsSnapshot {
    const copy = ({ activeScenario, overrides }: ScenarioSettings): ScenarioSettings => ({
      activeScenario,
      overrides: overrides.map((o) => ({ ...o })),
    })
    const tenants = [...this.byId.values()]
      .filter((t) => t.activeScenario !== null || t.overrides.length > 0 || t.bindings.size > 0)
      .filter((t) => t.id !== except)
      .map((t) => ({ id: t.id, ...copy(t), bindings: [...t.bindings] }))
    return { global: copy(this.global), tenants }
  }

  /** Puts the settings back as a snapshot had them (a refused change). */
  private putBack(snapshot: SettingsSnapshot): void {
    Object.assign(this.global, snapshot.global)
    for (const t of this.byId.values()) {
      const kept = snapshot.tenants.find((k) => k.id === t.id)
      t.activeScenario = kept?.activeScenario ?? null
      t.overrides = kept?.overrides ?? []
      t.bindings = new Map(kept?.bindings)
    }
  }
}

/** The state a tenant that holds nothing reads as. */
function blank(id: string, clock: Clock): TenantView {
  return { id, clock, activeScenario: null, overrides: NONE, bindings: EMPTY, faultCounts: EMPTY }
}
