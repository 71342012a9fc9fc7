/**
 * @module Faker seeded per entity: the same seed gives the same values on every read and every
 * run.
 */
import type { Faker } from '@faker-js/faker'
import { faker as english } from '@faker-js/faker/locale/en'
import { createHash } from 'node:crypto'

// The English build alone loads in ~30 ms where the full package takes ~170 ms (start-up).
// Its class makes our own instance, so nobody else's seeding can reach ours.
const FakerClass = english.constructor as new (options: {
  locale: Faker['rawDefinitions']
}) => Faker
let own: Faker | undefined

/**
 * A faker seeded for one entity. Generation is synchronous, so one private instance reseeded per
 * call gives the same data for the same seed, every time.
 */
export function fakerFor(seed: string): Faker {
  own ??= new FakerClass({ locale: english.rawDefinitions })
  own.seed(createHash('sha256').update(seed).digest().readUInt32BE(0))
  return own
}
