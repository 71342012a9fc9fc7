import { describe, expect, it } from 'vitest'
import { Clock } from '../../src/server/domain/clock.js'
import { Tenants } from '../../src/server/domain/tenants.js'

const T0 = Date.UTC(2026, 0, 1)
const fresh = (max = 3) => new Tenants(new Clock({ start: T0, frozen: true }), undefined, max)

describe('Tenants', () => {
  it('keeps nothing for a tenant a request only names', () => {
    const tenants = fresh()
    const view = tenants.view('named-only')
    expect(view).toMatchObject({ id: 'named-only', activeScenario: null, overrides: [] })
    expect(view.clock.now()).toBe(T0)
    expect(tenants.takeOverride('named-only', 'createAccount', 'scenario', true)).toBeNull()
    expect(tenants.wasDeleted('named-only', 'x')).toBe(false)
    expect(tenants.faultCounts('named-only').take('rule#0', 0)).toBe(false)
    expect(tenants.stats()).toEqual({ count: 0, max: 3, evictions: 0 })
  })

  it('keeps nothing for a tenant whose settings are unset or cleared while it holds none', () => {
    const tenants = fresh(3)
    void tenants.setActive('kept', 'rejected')
    void tenants.setActive('nothing-1', null)
    void tenants.clearOverrides('nothing-2')
    void tenants.bind('nothing-3', 'acc-1', null)
    expect(tenants.list().map((t) => t.id)).toEqual(['kept'])
    expect(tenants.stats()).toEqual({ count: 1, max: 3, evictions: 0 })
  })

  it('keeps a tenant once something is kept for it: a setting, a clock, a counted fault', () => {
    const tenants = fresh(10)
    void tenants.setActive('with-setting', 'rejected')
    tenants.get('with-clock').clock.advance(1000)
    expect(tenants.faultCounts('with-fault').take('rule#0', 2)).toBe(true)
    expect(tenants.list().map((t) => t.id)).toEqual(['with-setting', 'with-clock', 'with-fault'])
    expect(tenants.view('with-setting').activeScenario).toBe('rejected')
    expect(tenants.clockOf('with-clock').now()).toBe(T0 + 1000)
    // two uses: the second is the last
    expect(tenants.faultCounts('with-fault').take('rule#0', 2)).toBe(true)
    expect(tenants.faultCounts('with-fault').take('rule#0', 2)).toBe(false)
  })

  it('forgets the tenant unused longest with nothing pending, past its bound', () => {
    const tenants = fresh(3)
    tenants.get('busy').clock.schedule(T0 + 60_000, () => undefined)
    tenants.get('old')
    tenants.get('recent')
    tenants.view('old') // used again: now newer than 'recent'
    tenants.get('newest')
    expect(tenants.list().map((t) => t.id)).toEqual(['busy', 'old', 'newest'])
    expect(tenants.stats()).toEqual({ count: 3, max: 3, evictions: 1 })
  })

  it('keeps every tenant with something pending, even past its bound', () => {
    const tenants = fresh(1)
    for (const id of ['a', 'b']) tenants.get(id).clock.schedule(T0 + 1, () => undefined)
    expect(tenants.stats()).toEqual({ count: 2, max: 1, evictions: 0 })
  })
})
