/**
 * @module The one person of a workflow execution: name, sex, date of birth, nationality and
 * address, drawn once from the workflow execution's seed, with every value the client gave
 * (prepared data, Mock Service `extractionOverrides`, scenario `extraction`) winning over the
 * drawn one. The ID's extraction, the document's extraction and liveness' predicted age all read
 * this person, so they agree with each other.
 */
import { fakerFor } from './faker.js'

/** A postal address as extraction shows it ([D] jumio-reference §11 `address`). */
export interface Address {
  line1: string
  line2?: string
  city: string
  postalCode: string
  subdivision?: string
  country: string
  formattedAddress: string
}

/** The person of a workflow execution. */
export interface Person {
  firstName: string
  lastName: string
  gender: 'M' | 'F' | 'X'
  dateOfBirth: string
  nationality: string
  placeOfBirth: string
  address: Address
}

/** Values the client gave for the person, in extraction's names; any may be absent. */
export type GivenPerson = Partial<Omit<Person, 'address'>> & { address?: Partial<Address> }

const day = (d: Date) => d.toISOString().slice(0, 10)
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/**
 * The person for `seed` on the date `now`, of `country` (alpha-3) unless the client said
 * otherwise. Every value is drawn, in a fixed order, before the given ones are laid over, so a
 * given first name never changes the drawn date of birth.
 */
export function personFor(seed: string, now: number, country: string, given: GivenPerson): Person {
  const f = fakerFor(`${seed}:person`)
  const sex = f.helpers.arrayElement(['M', 'F'] as const)
  const drawn = {
    firstName: f.person.firstName(sex === 'M' ? 'male' : 'female').toUpperCase(),
    lastName: f.person.lastName().toUpperCase(),
    dateOfBirth: day(f.date.birthdate({ min: 18, max: 80, mode: 'age', refDate: now })),
    placeOfBirth: f.location.city().toUpperCase(),
    line1: f.location.streetAddress().toUpperCase(),
    city: f.location.city().toUpperCase(),
    postalCode: f.location.zipCode('#####'),
  }
  const nationality = given.nationality ?? country
  const address = addressOf(
    { line1: drawn.line1, city: drawn.city, postalCode: drawn.postalCode, country: nationality },
    given.address ?? {},
  )
  return {
    firstName: given.firstName ?? drawn.firstName,
    lastName: given.lastName ?? drawn.lastName,
    gender: given.gender ?? sex,
    dateOfBirth: given.dateOfBirth ?? drawn.dateOfBirth,
    nationality,
    placeOfBirth: given.placeOfBirth ?? drawn.placeOfBirth,
    address,
  }
}

/** The drawn address with the given parts laid over, and its one-line `formattedAddress`. */
function addressOf(drawn: Omit<Address, 'formattedAddress'>, given: Partial<Address>): Address {
  const a = { ...drawn, ...given }
  // [O] the real apac-1 sample carries formattedAddress beside the parts (jumio-reference §10.2)
  const oneLine = [
    a.line1,
    a.line2,
    a.city,
    [a.subdivision, a.postalCode].filter(Boolean).join(' '),
  ]
  return {
    ...a,
    formattedAddress:
      given.formattedAddress ??
      [...oneLine, a.country].filter((x) => x !== undefined && x !== '').join(', '),
  }
}

/** The person's values in the client's prepared data ([D] jumio-reference §8.2 field names). */
export function givenByPreparedData(prepared: Record<string, unknown>): GivenPerson {
  const address = (prepared['address'] ?? {}) as Record<string, unknown>
  const sex = str(prepared['sex'])
  const out: GivenPerson = {}
  const set = <K extends keyof GivenPerson>(key: K, value: GivenPerson[K] | undefined) => {
    if (value !== undefined) out[key] = value
  }
  set('firstName', str(prepared['firstName'])?.toUpperCase())
  set('lastName', str(prepared['lastName'])?.toUpperCase())
  set('dateOfBirth', str(prepared['dateOfBirth']))
  set('nationality', str(prepared['nationality']))
  set('gender', sex === 'M' || sex === 'F' || sex === 'X' ? sex : undefined)
  const parts: Partial<Address> = {}
  for (const key of ['line1', 'line2', 'city', 'postalCode', 'subdivision', 'country'] as const) {
    const value = str(address[key])
    if (value !== undefined) parts[key] = value
  }
  if (Object.keys(parts).length > 0) out.address = parts
  return out
}

/** Whole years from `dateOfBirth` (YYYY-MM-DD) to the UTC calendar day of `now`. */
export function ageOn(dateOfBirth: string, now: number): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number]
  const today = new Date(now)
  const [ty, tm, td] = [today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate()]
  return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0)
}
