/**
 * @module Generated data of a workflow execution: one person and one document, seeded from the
 * workflow execution id, so the same workflow shows the same data on every read and every run.
 * What the client gave wins over what is generated, in this order (last wins):
 * generated < prepared data < the credential's requested type and country < the scenario's
 * `extraction` < the Mock Service directive's `extractionOverrides`. Values derived from a given
 * one (date parts, `currentAge`, `subType`, `formattedAddress`) follow it.
 */
import { dateParts } from './document-dates.js'
import { documentExtraction } from './document-extraction.js'
import { fakerFor } from './faker.js'
import { idExtraction } from './id-extraction.js'
import type { GivenPerson, Person } from './person.js'
import { givenByPreparedData, personFor } from './person.js'

type Data = Record<string, unknown>

/** What the client told us about the person and the document. */
export interface ExtractionHints {
  category: string
  country?: string | undefined
  documentType?: string | undefined
  preparedData?: Data | undefined
  overrides?: Data | undefined
}

// [O] Jumio's Mock Service names the document type `idType` (jumio-reference §21).
const ALIASES: Record<string, string> = { idType: 'type', country: 'issuingCountry' }
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
// keys the person and the document's type are built from: never laid over them verbatim
const BUILT_FROM = new Set([
  ...['firstName', 'lastName', 'gender', 'dateOfBirth', 'nationality', 'placeOfBirth', 'address'],
  ...['type', 'issuingCountry'],
])

/** The person of a workflow execution, as `extractionData` would show them. */
export function personOf(seed: string, now: number, hints: ExtractionHints): Person {
  const overrides = aliased(hints.overrides ?? {})
  const prepared = hints.preparedData ?? {}
  const preparedAddress = (prepared['address'] ?? {}) as Data
  const country =
    str(overrides['issuingCountry']) ??
    hints.country ??
    str(prepared['nationality']) ??
    str(preparedAddress['country']) ??
    'USA'
  return personFor(seed, now, country, {
    ...givenByPreparedData(prepared),
    ...givenByOverrides(overrides),
  })
}

/** Builds `extraction.data` ([D] field names of jumio-reference §11) for one credential. */
export function extractionData(seed: string, now: number, hints: ExtractionHints): Data {
  const overrides = aliased(hints.overrides ?? {})
  const person = personOf(seed, now, hints)
  const preparedId = (hints.preparedData?.['id'] ?? {}) as Data
  const country = str(overrides['issuingCountry']) ?? hints.country ?? person.nationality
  const built =
    hints.category === 'DOCUMENT'
      ? documentExtraction(seed, now, person, {
          code: str(overrides['type']) ?? hints.documentType ?? 'UB',
          country,
        })
      : idExtraction(seed, now, person, {
          type:
            str(overrides['type']) ?? hints.documentType ?? str(preparedId['type']) ?? 'ID_CARD',
          country,
          documentNumber: str(overrides['documentNumber']) ?? str(preparedId['idNumber']),
          issuingDate: str(overrides['issuingDate']) ?? str(preparedId['issuingDate']),
          expiryDate: str(overrides['expiryDate']) ?? str(preparedId['expiryDate']),
        })
  return withOverrides(built, overrides, person)
}

/**
 * Lays the overrides the build did not already use over it: a derived value (`subType`,
 * `currentAge`, date parts) that the client set wins too; a date the client set brings its parts.
 */
function withOverrides(built: Data, overrides: Data, person: Person): Data {
  const out: Data = { ...built }
  for (const [key, value] of Object.entries(overrides)) {
    if (!BUILT_FROM.has(key)) out[key] = value
    else if (!(key in out)) out[key] = key in person ? person[key as keyof Person] : value
  }
  for (const key of ['dateOfBirth', 'issuingDate', 'expiryDate']) {
    const value = str(out[key])
    if (value !== undefined && key in overrides && !(`${key}Parts` in overrides))
      out[`${key}Parts`] = dateParts(value)
  }
  return out
}

/** The person's values among the overrides (extraction's names). */
function givenByOverrides(overrides: Data): GivenPerson {
  const out: GivenPerson = {}
  for (const key of [
    'firstName',
    'lastName',
    'dateOfBirth',
    'nationality',
    'placeOfBirth',
  ] as const) {
    const value = str(overrides[key])
    if (value !== undefined) out[key] = value
  }
  const gender = overrides['gender']
  if (gender === 'M' || gender === 'F' || gender === 'X') out.gender = gender
  const address = overrides['address']
  if (address && typeof address === 'object') out.address = address
  return out
}

/** Override keys named as the extraction data names them (`idType` is `type`). */
export function aliased(overrides: Record<string, unknown>): Data {
  const out: Data = {}
  // own keys only: `constructor` is a key like any other
  for (const [k, v] of Object.entries(overrides))
    out[(Object.hasOwn(ALIASES, k) && ALIASES[k]) || k] = v
  return out
}

/**
 * [D] liveness data (jumio-reference §11): predictedAge is a number, the range a string. [I] The
 * prediction is within 6 years of the person's `age` and the range at least 8 years either side,
 * so it always holds the age the ID shows (real ranges are ±8 to ±12 years, examples).
 */
export function livenessData(seed: string, age: number, type = 'IPROOV_STANDARD'): Data {
  const f = fakerFor(`${seed}:liveness`)
  const predicted = Math.max(1, age + f.number.int({ min: -6, max: 6 }))
  const spread = f.number.int({ min: 8, max: 12 })
  return {
    type,
    predictedAge: predicted,
    ageConfidenceRange: `${String(Math.max(0, predicted - spread))}-${String(predicted + spread)}`,
  }
}

/** [O] watchlist screening data as seen in real 10010 responses (jumio-reference §11, examples). */
export function watchlistData(seed: string, now: number, hits: number): Data {
  const f = fakerFor(`${seed}:watchlist`)
  const searchDate = new Date(Math.floor(now / 1000) * 1000)
  return {
    searchDate: searchDate.toISOString(),
    searchId: f.string.numeric(10),
    searchReference: `${String(Math.floor(now / 1000))}-${f.string.alphanumeric(8)}`,
    searchResultUrl: `https://app.complyadvantage.com/public/search/${f.string.alphanumeric(12)}`,
    searchResults: hits,
    // [D] DONE | NOT_DONE | ERROR; real traffic showed SUCCESS (jumio-reference §19.10)
    searchStatus: 'DONE',
  }
}
