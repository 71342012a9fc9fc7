/**
 * @module Generated identity data: faker seeded from the workflow execution id, so the same
 * workflow shows the same person on every read and every run (STYLE §8). Prepared data and
 * overrides win over generated values.
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

type Data = Record<string, unknown>

/** What the client told us about the person and the document. */
export interface ExtractionHints {
  category: string
  country?: string | undefined
  documentType?: string | undefined
  preparedData?: Data | undefined
  overrides?: Data | undefined
}

const day = (d: Date) => d.toISOString().slice(0, 10)
/** A given string value, or the generated one. */
const given = (value: unknown, generate: () => string): string =>
  typeof value === 'string' ? value : generate()
const parts = (date: string) => {
  const [year, month, dayOfMonth] = date.split('-')
  return { year, month, day: dayOfMonth }
}

// [O] Jumio's Mock Service names the document type `idType` (REFERENCE §21).
const ALIASES: Record<string, string> = { idType: 'type', country: 'issuingCountry' }

/** Builds `extraction.data` ([D] field names of REFERENCE §11) for one credential. */
export function extractionData(seed: string, now: number, hints: ExtractionHints): Data {
  const f = fakerFor(seed)
  const prepared = hints.preparedData ?? {}
  const preparedId = (prepared['id'] ?? {}) as Data
  const preparedAddress = (prepared['address'] ?? {}) as Data
  const sex = f.helpers.arrayElement(['M', 'F'] as const)
  const birth = given(prepared['dateOfBirth'], () =>
    day(f.date.birthdate({ min: 18, max: 80, mode: 'age', refDate: now })),
  )
  const expiry = given(preparedId['expiryDate'], () =>
    day(f.date.future({ years: 8, refDate: now })),
  )
  const issuing = given(preparedId['issuingDate'], () =>
    day(f.date.past({ years: 5, refDate: now })),
  )
  const country = given(preparedAddress['country'], () => hints.country ?? 'USA')
  const age = Math.floor((now - Date.parse(birth)) / (365.2425 * 24 * 3600 * 1000))
  const generated: Data = {
    type:
      preparedId['type'] ??
      hints.documentType ??
      (hints.category === 'DOCUMENT' ? 'UB' : 'ID_CARD'),
    ...(hints.category === 'ID' ? { subType: 'NATIONAL_ID' } : {}),
    issuingCountry: country,
    firstName: given(prepared['firstName'], () =>
      f.person.firstName(sex === 'M' ? 'male' : 'female'),
    ).toUpperCase(),
    lastName: given(prepared['lastName'], () => f.person.lastName()).toUpperCase(),
    dateOfBirth: birth,
    dateOfBirthParts: parts(birth),
    expiryDate: expiry,
    expiryDateParts: parts(expiry),
    issuingDate: issuing,
    issuingDateParts: parts(issuing),
    documentNumber: given(preparedId['idNumber'], () =>
      f.string.alphanumeric({ length: 9, casing: 'upper' }),
    ),
    gender: sex,
    nationality: country,
    placeOfBirth: f.location.city().toUpperCase(),
    address: {
      line1: f.location.streetAddress().toUpperCase(),
      city: f.location.city().toUpperCase(),
      postalCode: f.location.zipCode('#####'),
      country,
    },
    // [O] currentAge is a string in real data (REFERENCE §10.2)
    currentAge: String(age),
  }
  return { ...generated, ...aliased(hints.overrides ?? {}) }
}

/** Override keys named as the extraction data names them (`idType` is `type`). */
export function aliased(overrides: Record<string, unknown>): Data {
  const out: Data = {}
  // own keys only: `constructor` is a key like any other
  for (const [k, v] of Object.entries(overrides))
    out[(Object.hasOwn(ALIASES, k) && ALIASES[k]) || k] = v
  return out
}

/** [D] liveness data (REFERENCE §11): predictedAge is a number, the range a string. */
export function livenessData(seed: string): Data {
  const f = fakerFor(`${seed}:liveness`)
  const age = f.number.int({ min: 20, max: 60 })
  return { type: 'IPROOV_STANDARD', predictedAge: age, ageConfidenceRange: `${age - 8}-${age + 8}` }
}

/** [O] watchlist screening data as seen in real 10010 responses (REFERENCE §11, examples). */
export function watchlistData(seed: string, now: number, hits: number): Data {
  const f = fakerFor(`${seed}:watchlist`)
  const searchDate = new Date(Math.floor(now / 1000) * 1000)
  return {
    searchDate: searchDate.toISOString(),
    searchId: f.string.numeric(10),
    searchReference: `${Math.floor(now / 1000)}-${f.string.alphanumeric(8)}`,
    searchResultUrl: `https://app.complyadvantage.com/public/search/${f.string.alphanumeric(12)}`,
    searchResults: hits,
    // [D] DONE | NOT_DONE | ERROR; real traffic showed SUCCESS (REFERENCE §19.10)
    searchStatus: 'DONE',
  }
}
