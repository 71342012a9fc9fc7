/**
 * @module `extraction.data` of an ID credential: the document type and country the client
 * asked for, the person's fields that this type of document carries, its dates and their parts,
 * and `currentAge` from the date of birth on the mock's clock.
 */
import { documentDates, dateParts } from './document-dates.js'
import { fakerFor } from './faker.js'
import type { Person } from './person.js'
import { ageOn } from './person.js'

type Data = Record<string, unknown>

/** [D] ID document types and the subtypes extraction reports for each (jumio-reference §11). */
export const ID_SUBTYPES: Record<string, readonly string[]> = {
  ID_CARD: [
    'NATIONAL_ID', 'CONSULAR_ID', 'ELECTORAL_ID', 'RESIDENT_PERMIT_ID', 'TAX_ID', 'STUDENT_ID',
    'PASSPORT_CARD_ID', 'MILITARY_ID', 'PUBLIC_SAFETY_ID', 'HEALTH_ID', 'OTHER_ID', 'VISA', 'UNKOWN',
  ], // prettier-ignore
  DRIVING_LICENSE: ['REGULAR_DRIVING_LICENSE', 'LEARNING_DRIVING_LICENSE'],
  PASSPORT: ['E_PASSPORT'],
}

/** [I] Years a document of each type is valid: common terms for adults. */
const TERM_YEARS: Record<string, number> = {
  PASSPORT: 10,
  ID_CARD: 10,
  DRIVING_LICENSE: 8,
  VISA: 2,
}

/**
 * [I] Which of the person's fields each type of document prints: a passport and a visa carry no
 * address, a driving licence no nationality and no place of birth.
 */
const PRINTS: Record<string, readonly ('nationality' | 'placeOfBirth' | 'address')[]> = {
  ID_CARD: ['nationality', 'placeOfBirth', 'address'],
  PASSPORT: ['nationality', 'placeOfBirth'],
  DRIVING_LICENSE: ['address'],
  VISA: ['nationality'],
}

/** What the ID's extraction is built from. */
export interface IdDocument {
  type: string
  country: string
  documentNumber?: string | undefined
  issuingDate?: string | undefined
  expiryDate?: string | undefined
}

/** `extraction.data` of an ID credential for `person`. */
export function idExtraction(seed: string, now: number, person: Person, doc: IdDocument): Data {
  const f = fakerFor(`${seed}:id`)
  const number = f.string.alphanumeric({ length: 9, casing: 'upper' })
  // [O] ID_CARD/NATIONAL_ID in real data (jumio-reference §10.2); [I] one licence in ten a learner's
  const subType =
    doc.type === 'DRIVING_LICENSE'
      ? f.number.int({ min: 0, max: 9 }) === 0
        ? 'LEARNING_DRIVING_LICENSE'
        : 'REGULAR_DRIVING_LICENSE'
      : ID_SUBTYPES[doc.type]?.[0]
  const dates = documentDates(f, now, person.dateOfBirth, TERM_YEARS[doc.type] ?? 10, doc)
  const prints = PRINTS[doc.type] ?? PRINTS['ID_CARD'] ?? []
  const age = ageOn(person.dateOfBirth, now)
  return {
    type: doc.type,
    ...(subType !== undefined && { subType }),
    issuingCountry: doc.country,
    firstName: person.firstName,
    lastName: person.lastName,
    dateOfBirth: person.dateOfBirth,
    dateOfBirthParts: dateParts(person.dateOfBirth),
    ...(dates.expiryDate !== undefined && {
      expiryDate: dates.expiryDate,
      expiryDateParts: dateParts(dates.expiryDate),
    }),
    issuingDate: dates.issuingDate,
    issuingDateParts: dateParts(dates.issuingDate),
    documentNumber: doc.documentNumber ?? number,
    gender: person.gender,
    ...(prints.includes('nationality') && { nationality: person.nationality }),
    ...(prints.includes('placeOfBirth') && { placeOfBirth: person.placeOfBirth }),
    ...(prints.includes('address') && { address: person.address }),
    // [O] currentAge is a string in real data (jumio-reference §10.2), on the day of processing
    ...(Number.isFinite(age) && { currentAge: String(age) }),
  }
}
