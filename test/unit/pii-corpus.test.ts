import { isValidIBAN } from 'ibantools'
import { describe, expect, it } from 'vitest'
import { piiViolations } from '../../src/server/journal/violations.js'
import { Draw, passesLuhn, prng } from '../helpers/pii-corpus.js'
import { NOT_PII, prefixed } from '../helpers/pii-references.js'
import { PII } from '../helpers/pii-values.js'

// the mock's test clock is in 2026; birth dates are judged against it
const YEAR = 2026
const finding = (value: string) => piiViolations('userReference', value, YEAR)[0]?.message ?? null

/** `perFamily` seeded values of each family, named by family. */
function corpus(families: Record<string, (d: Draw) => string>, perFamily: number, seed: number) {
  const d = new Draw(prng(seed))
  return Object.entries(families).flatMap(([family, make]) =>
    Array.from({ length: perFamily }, () => ({ family, value: make(d) })),
  )
}

const notPii = corpus(NOT_PII, 160, 14).map(({ family, value }, i) => ({
  family,
  value: i % 3 === 0 ? prefixed(new Draw(prng(i)), value) : value,
}))
const pii = corpus(PII, 40, 41)

describe('PII_IN_REFERENCE on a corpus of references', () => {
  it('covers every family, with at least 2,000 references that are not PII and 200 that are', () => {
    expect(notPii.length).toBeGreaterThanOrEqual(2000)
    expect(pii.length).toBeGreaterThanOrEqual(200)
    expect(new Set(notPii.map((r) => r.family)).size).toBe(13)
    expect(new Set(pii.map((r) => r.family)).size).toBe(7)
  })

  it('generates valid personal data: IBANs pass mod 97 and their BBAN checks, cards pass Luhn', () => {
    const ibans = pii.filter((r) => r.family === 'IBAN').map((r) => r.value.replace(/ /g, ''))
    const cards = pii.filter((r) => r.family === 'card number').map((r) => r.value)
    expect(ibans.filter((v) => !isValidIBAN(v))).toEqual([])
    expect(cards.filter((v) => !passesLuhn(v.replace(/\D/g, '')))).toEqual([])
  })

  it('flags none of the references that are not PII, and at least 95 % of those that are', () => {
    const falsePositives = notPii.filter((r) => finding(r.value) !== null)
    const missed = pii.filter((r) => finding(r.value) === null)
    const recall = 1 - missed.length / pii.length
    console.log(
      `PII corpus: ${String(falsePositives.length)} false positives in ${String(notPii.length)} references ` +
        `(${(100 * (falsePositives.length / notPii.length)).toFixed(2)} %); recall ` +
        `${(100 * recall).toFixed(1)} % of ${String(pii.length)} (missed: ${missed.map((r) => r.value).join(', ') || 'none'})`,
    )
    expect(falsePositives).toEqual([])
    expect(recall).toBeGreaterThanOrEqual(0.95)
  })

  it('flags no UUID v4 of 20,000 (the old phone pattern matched 17 %)', () => {
    const d = new Draw(prng(4))
    const make = NOT_PII['UUID v4'] ?? (() => '')
    const flagged = Array.from({ length: 20_000 }, () => make(d)).filter((u) => finding(u) !== null)
    expect(flagged).toEqual([])
  })

  it.each([
    ['jane.doe@example.com', 'an e-mail address'],
    ['jane.doe%40example.com', 'an e-mail address'],
    ['DE89 3704 0044 0532 0130 00', 'an IBAN'],
    ['4111 1111 1111 1111', 'a card number'],
    ['078-05-1120', 'a national id number'],
    ['+49 151 2345 6789', 'a phone number'],
    ['(415) 555-2671', 'a phone number'],
    ['john.smith.1985-03-12', 'a name with a date of birth'],
  ])('names what %s contains: %s', (value, kind) => {
    expect(finding(value)).toBe(
      `userReference looks like it contains ${kind}; it must not contain personal data`,
    )
  })

  it.each([
    't=1796604328405,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd',
    'DE89 3704 0044 0532 0130 01', // one digit off: the IBAN check fails
    '4111 1111 1111 1112', // the Luhn check fails
    'ORD-2024-01-15-0042',
    '1796604328405',
    '2024-01-15T10:30:00Z',
    // found by a probe: a date stamp whose letter fit a DNI's check, dates under 18 years old
    'BATCH-20240115-T',
    'policy-2009-07-01',
    'run 2010/01/01',
  ])('does not flag %s', (value) => {
    expect(finding(value)).toBeNull()
  })
})
