/**
 * @module Dates on a document: issued, then valid for the document type's term. A date the
 * client gave wins and the other follows from it, so expiry always comes after issue unless the
 * client gave both.
 */
import type { Faker } from '@faker-js/faker'

const DAY = 24 * 3600 * 1000

/** `YYYY-MM-DD` of a timestamp. */
export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** [D] a date split into strings, as extraction shows it (jumio-reference §11 `*DateParts`). */
export function dateParts(date: string): { year: string; month: string; day: string } {
  const [year = '', month = '', day = ''] = date.split('-')
  return { year, month, day }
}

/**
 * `date` moved by whole years (29 February becomes 1 March), less `days`; a date that does not
 * read as one (a scenario file's `extraction` is free-form) is returned as it is.
 */
function addYears(date: string, years: number, days = 0): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const ms = Date.UTC(y + years, m - 1, d) - days * DAY
  return Number.isNaN(ms) ? date : isoDay(ms)
}

/** The given dates, if any. */
export interface GivenDates {
  issuingDate?: string | undefined
  expiryDate?: string | undefined
}

/**
 * Issue and expiry of a document valid `years` years (0: no expiry), held by someone born on
 * `dateOfBirth`. A drawn issue date lies within the term before `now` and after the birth.
 */
export function documentDates(
  f: Faker,
  now: number,
  dateOfBirth: string,
  years: number,
  given: GivenDates,
): { issuingDate: string; expiryDate?: string } {
  // drawn first, whatever is given, so the draws that follow do not depend on it
  const daysAgo = f.number.int({ min: 30, max: Math.max(31, Math.round((years || 3) * 365 - 60)) })
  const born = Date.parse(dateOfBirth)
  const drawn = isoDay(Math.max(now - daysAgo * DAY, Number.isNaN(born) ? 0 : born + 30 * DAY))
  const issuingDate =
    given.issuingDate ??
    (given.expiryDate !== undefined && years > 0 ? addYears(given.expiryDate, -years, -1) : drawn)
  if (years === 0)
    return given.expiryDate ? { issuingDate, expiryDate: given.expiryDate } : { issuingDate }
  return { issuingDate, expiryDate: given.expiryDate ?? addYears(issuingDate, years, 1) }
}
