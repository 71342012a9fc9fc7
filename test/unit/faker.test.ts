import { generateMersenne53Randomizer } from '@faker-js/faker'
import { describe, expect, it } from 'vitest'
import { fakerFor, mersenneTwister } from '../../src/scenarios/faker.js'

describe('the seeded randomizer', () => {
  it("draws faker's own numbers for every seed, past the state's first renewal", () => {
    const ours = mersenneTwister()
    const fakers = generateMersenne53Randomizer()
    // 0, the top of the range and seeds spread over 32 bits; 700 draws read 1,400 words of 624
    for (const seed of [
      0,
      1,
      0xffffffff,
      ...Array.from({ length: 200 }, (_, i) => (i * 2654435761) >>> 0),
    ]) {
      ours.seed(seed)
      fakers.seed(seed)
      const a = Array.from({ length: 700 }, () => ours.next())
      const b = Array.from({ length: 700 }, () => fakers.next())
      expect(a, `seed ${String(seed)}`).toEqual(b)
    }
  })

  it('starts over on every seed', () => {
    const r = mersenneTwister()
    r.seed(42)
    const first = [r.next(), r.next()]
    r.next()
    r.seed(42)
    expect([r.next(), r.next()]).toEqual(first)
  })

  it('gives the same person for the same seed, whatever was drawn between', () => {
    const name = (seed: string) => fakerFor(seed).person.fullName()
    const before = name('wfe-1')
    name('wfe-2')
    expect(name('wfe-1')).toBe(before)
  })
})
