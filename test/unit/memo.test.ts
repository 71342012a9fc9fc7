import { describe, expect, it } from 'vitest'
import { memoize, remember } from '../../src/server/domain/memo.js'

describe('memo', () => {
  it('computes once per key, remembers undefined results too, and starts over when full', () => {
    const calls: string[] = []
    const f = memoize((k) => {
      calls.push(k)
      return k === 'none' ? undefined : k.length
    }, 2)
    expect([f('ab'), f('ab'), f('none'), f('none')]).toEqual([2, 2, undefined, undefined])
    expect(calls).toEqual(['ab', 'none'])
    f('abc') // full: starts over with this key alone
    f('ab')
    expect(calls).toEqual(['ab', 'none', 'abc', 'ab'])
  })

  it('remember() never holds more than its limit', () => {
    const map = new Map<number, number>()
    for (let i = 0; i < 10; i++) remember(map, i, i, 3)
    expect(map.size).toBeLessThanOrEqual(3)
    expect(map.get(9)).toBe(9)
  })
})
