/**
 * @module Faker seeded per entity: the same seed gives the same values on every read and every
 * run.
 */
import type { Faker, Randomizer } from '@faker-js/faker'
import type * as English from '@faker-js/faker/locale/en'
import { createRequire } from 'node:module'
import { createHash } from 'node:crypto'

let own: Faker | undefined

/**
 * Our own instance of the English build, made with its class so that nobody else's seeding can
 * reach ours. Loaded on first use, from node_modules (faker's ES module through `require`, which
 * the Node versions faker supports all have), not bundled: evaluating its English data took about
 * 15 ms of every start-up (measured), before any request needed a name. The English build alone
 * loads in ~30 ms where the full package takes ~170 ms.
 */
function english(): Faker {
  const { faker } = createRequire(import.meta.url)('@faker-js/faker/locale/en') as typeof English
  const FakerClass = faker.constructor as new (options: {
    locale: Faker['rawDefinitions']
    randomizer: Randomizer
  }) => Faker
  return new FakerClass({ locale: faker.rawDefinitions, randomizer: mersenneTwister() })
}

const N = 624
const M = 397

/**
 * Faker's own randomizer, the 32-bit Mersenne Twister (MT19937) read 53 bits at a time, drawing
 * the same numbers as faker's for every seed (test/unit/faker.test.ts), in an Int32Array. Faker's
 * seeding builds a 624-slot Array of boxed numbers: a seed and its first draws cost 27 µs there
 * and 3 µs here, and a finalize seeds two or three times (measured: seeding was 10 % of a
 * finalize's CPU). Every consumer of a slot reads it with bitwise operators, so the wrap of a
 * 32-bit array changes no value.
 */
export function mersenneTwister(): Randomizer {
  const state = new Int32Array(N)
  let index = N
  // an Int32Array holds a number at every index: `?? 0` only tells the type checker so
  const at = (k: number) => state[k] ?? 0
  const twist = () => {
    for (let k = 0; k < N; k++) {
      const y = (at(k) & 0x80000000) | (at((k + 1) % N) & 0x7fffffff)
      state[k] = at((k + M) % N) ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df)
    }
    index = 0
  }
  const next32 = () => {
    if (index >= N) twist()
    let y = at(index++)
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    return y >>> 0
  }
  return {
    seed(seed) {
      // faker seeds an array by another algorithm (init_by_array); we only ever seed a number
      if (typeof seed !== 'number') throw new TypeError('mersenneTwister: seed with a number')
      state[0] = seed
      for (let k = 1; k < N; k++) {
        const prev = at(k - 1)
        state[k] = Math.imul(1812433253, prev ^ (prev >>> 30)) + k
      }
      index = N
    },
    next: () => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992,
  }
}

/**
 * A faker seeded for one entity. Generation is synchronous, so one private instance reseeded per
 * call gives the same data for the same seed, every time.
 */
export function fakerFor(seed: string): Faker {
  own ??= english()
  own.seed(createHash('sha256').update(seed).digest().readUInt32BE(0))
  return own
}
