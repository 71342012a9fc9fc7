/**
 * @module Tenants: isolation inside one shared instance. The tenant is the OAuth2 client id (or
 * Basic-auth user, or an explicit `X-Mock-Tenant` header), as LocalStack uses the access key.
 * Each tenant has its own active scenario, overrides, account bindings, fault counters and
 * clock; the global defaults apply to every tenant below its own settings.
 */
import type { Fault } from '../../scenarios/types.js'
import type { Clock } from './clock.js'

/** A queued one-shot (or N-shot) override made through the admin API. */
export interface Override {
  id: string
  scenario?: string
  fault?: Fault
  /** Only requests of this operationId; without one, a scenario applies at the next creation. */
  operation?: string
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
  /** How many requests each fault rule has matched, for `times` and `rate`. */
  faultCounts: Map<string, number>
  /** Ids of deleted accounts and workflow executions, to tell "deleted" from "never existed". */
  deleted: Set<string>
}

/** Deleted ids remembered per tenant. */
const DELETED_MEMORY = 10_000

/** The tenant used when a request names none (no credentials, health checks). */
export const DEFAULT_TENANT = 'default'

/**
 * Every tenant seen so far, created on first use. Settings change through the methods below,
 * which hand them to the settings store (durable mode) when there is one.
 */
export class Tenants {
  readonly global: ScenarioSettings = { activeScenario: null, overrides: [] }
  private readonly byId = new Map<string, TenantState>()

  constructor(
    private readonly root: Clock,
    private readonly saved?: SettingsStore,
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
    if (dropped.size > 0) this.save()
    return [...dropped]
  }

  /** The tenant's state, created on first use. */
  get(id: string): TenantState {
    let t = this.byId.get(id)
    if (!t) {
      t = {
        id,
        clock: this.root.child(),
        activeScenario: null,
        overrides: [],
        bindings: new Map(),
        faultCounts: new Map(),
        deleted: new Set(),
      }
      this.byId.set(id, t)
    }
    return t
  }

  /** A tenant's settings, or the global ones without a tenant. */
  settings(tenant: string | undefined): ScenarioSettings {
    return tenant === undefined ? this.global : this.get(tenant)
  }

  /** Switches the active scenario (null: back to the level below). */
  setActive(tenant: string | undefined, name: string | null): void {
    this.settings(tenant).activeScenario = name
    this.save()
  }

  /** Queues an override. */
  addOverride(tenant: string | undefined, override: Override): void {
    this.settings(tenant).overrides.push(override)
    this.save()
  }

  /** Drops every queued override. */
  clearOverrides(tenant: string | undefined): void {
    this.settings(tenant).overrides = []
    this.save()
  }

  /** Binds a scenario to an account's new workflow executions (null: unbinds). */
  bind(tenant: string, accountId: string, name: string | null): void {
    const { bindings } = this.get(tenant)
    if (name === null) bindings.delete(accountId)
    else bindings.set(accountId, name)
    this.save()
  }

  /** Remembers deleted ids (bounded: the oldest are forgotten first). */
  markDeleted(tenant: string, ...ids: string[]): void {
    const { deleted } = this.get(tenant)
    for (const id of ids) deleted.add(id)
    for (const old of deleted) {
      if (deleted.size <= DELETED_MEMORY) break
      deleted.delete(old)
    }
  }

  /** True when any of the ids was deleted by the tenant. */
  wasDeleted(tenant: string, ...ids: (string | undefined)[]): boolean {
    const { deleted } = this.get(tenant)
    return ids.some((id) => id !== undefined && deleted.has(id))
  }

  /** Every tenant seen so far. */
  list(): TenantState[] {
    return [...this.byId.values()]
  }

  /** Forgets a tenant's settings and clock (its timers are cancelled). */
  reset(id: string): void {
    this.forget(id)
    this.save()
  }

  /** Forgets every tenant and the global settings. */
  resetAll(): void {
    for (const id of [...this.byId.keys()]) this.forget(id)
    this.global.activeScenario = null
    this.global.overrides = []
    this.save()
  }

  private forget(id: string): void {
    const t = this.byId.get(id)
    if (t) this.root.release(t.clock)
    this.byId.delete(id)
  }

  /**
   * Takes one use of the first override that matches, the tenant's before the global ones.
   * `creating` marks account creation, where overrides without an operation apply.
   */
  takeOverride(
    tenant: TenantState,
    operationId: string,
    want: 'scenario' | 'fault',
    creating: boolean,
  ): Override | null {
    for (const list of [tenant.overrides, this.global.overrides]) {
      const i = list.findIndex(
        (o) =>
          (want === 'scenario' ? o.scenario !== undefined : o.fault !== undefined) &&
          (o.operation === undefined ? want === 'fault' || creating : o.operation === operationId),
      )
      const hit = list[i]
      if (!hit) continue
      hit.remaining -= 1
      if (hit.remaining <= 0) list.splice(i, 1)
      this.save()
      return hit
    }
    return null
  }

  /** Hands the settings to the settings store, if there is one. */
  private save(): void {
    if (!this.saved) return
    const tenants = [...this.byId.values()]
      .filter((t) => t.activeScenario !== null || t.overrides.length > 0 || t.bindings.size > 0)
      .map(({ id, activeScenario, overrides, bindings }) => ({
        id,
        activeScenario,
        overrides,
        bindings: [...bindings],
      }))
    this.saved.saveSettings({ global: this.global, tenants })
  }
}
