/**
 * @module Faker seeded per entity: the same seed gives the same values on every read and every
 * run.
 */
import type { Faker } from '@faker-js/faker'
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
  }) => Faker
  return new FakerClass({ locale: faker.rawDefinitions })
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
