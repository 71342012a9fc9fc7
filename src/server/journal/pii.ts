/**
 * @module Personal data in a reference: [D] customerInternalReference and userReference "must
 * not contain any PII" (jumio-reference §4.2). A finding needs the value's structure, not a run of
 * digits: an e-mail's `local@domain.tld`, a phone's `+` or its national grouping, an IBAN's
 * mod-97 check, a card's issuer prefix, length and Luhn digit, a national id's check character,
 * a birth date beside a name. UUIDs, hashes, HMAC signatures, timestamps and order numbers carry
 * long digit runs and are not personal data (the old pattern flagged 17 % of UUIDs).
 */
import { electronicFormatIBAN, isValidIBAN } from 'ibantools'
import { hasNationalId } from './pii-national-ids.js'
import { hasNameAndBirthDate, hasPhone } from './pii-phones-dates.js'

/** What a reference was found to contain, as the violation's message names it. */
export type PiiKind =
  | 'an e-mail address'
  | 'an IBAN'
  | 'a card number'
  | 'a national id number'
  | 'a phone number'
  | 'a name with a date of birth'

type Detector = (text: string, year: number) => boolean

// Letters and digits: what a value must not run into on either side to be a whole token.
const EDGE_L = '(?<![A-Za-z0-9])'
const EDGE_R = '(?![A-Za-z0-9])'

const EMAIL = new RegExp(
  `${EDGE_L}[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])`,
)

/** The first kind of personal data in `value`, or null. `year` bounds a plausible birth year. */
export function findPii(value: string, year = new Date().getUTCFullYear()): PiiKind | null {
  for (const text of spellings(value)) {
    // checksummed shapes are read as written; digit shapes once machine ids are blanked out
    const masked = withoutMachineIds(text)
    for (const [kind, detect, raw] of DETECTORS) if (detect(raw ? text : masked, year)) return kind
  }
  return null
}

// UUIDs (8-4-4-4-12 hex) and hex blobs of 16 or more characters with a letter: machine ids,
// whose all-digit groups (`19590509-dd3f-…`) would otherwise read as dates or phone groups.
const UUID =
  /(?<![A-Za-z0-9])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![A-Za-z0-9])/gi
const HEX_BLOB =
  /(?<![A-Za-z0-9])(?=[0-9]*[a-f])[0-9a-f]{16,}(?![A-Za-z0-9])|(?<![A-Za-z0-9])(?=[0-9]*[A-F])[0-9A-F]{16,}(?![A-Za-z0-9])/g

/** The text with its UUIDs and hex blobs blanked out. */
function withoutMachineIds(text: string): string {
  return text.replace(UUID, ' ').replace(HEX_BLOB, ' ')
}

/** The value, and its percent-decoded spelling (`jane%40example.com`) when that differs. */
function spellings(value: string): string[] {
  try {
    const decoded = decodeURIComponent(value)
    return decoded === value ? [value] : [value, decoded]
  } catch {
    return [value]
  }
}

/** [I] An IBAN printed compact or in groups of four; ibantools knows each country's length and BBAN. */
function hasIban(text: string): boolean {
  const candidates = text.matchAll(/(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){8,30}/g)
  for (const [raw] of candidates) {
    const compact = electronicFormatIBAN(raw.replace(/-/g, '')) ?? ''
    // an IBAN ends where its country's length says, so try each prefix that ends on a token edge
    for (let end = compact.length; end >= 12; end--) {
      if (isValidIBAN(compact.slice(0, end)) && endsToken(raw, compact.slice(0, end))) return true
    }
  }
  return false
}

/** True when the IBAN `iban`, read from the start of `raw`, is followed by no letter or digit. */
function endsToken(raw: string, iban: string): boolean {
  let seen = 0
  for (let i = 0; i < raw.length; i++) {
    if (/[A-Z0-9]/.test(raw.charAt(i))) seen++
    if (seen === iban.length) return !/[A-Za-z0-9]/.test(raw.charAt(i + 1))
  }
  return false
}

/** [I] Card schemes by issuer prefix and the lengths their cards are issued in (ISO/IEC 7812). */
const CARD_SCHEMES: [RegExp, number[]][] = [
  [/^4/, [16, 19]], // Visa (13-digit cards are no longer issued)
  [/^(5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)/, [16]], // Mastercard
  [/^3[47]/, [15]], // American Express
  [/^(6011|65|64[4-9])/, [16, 19]], // Discover
  [/^35(2[89]|[3-8]\d)/, [16]], // JCB
  [/^3(0[0-5]|[689])/, [14, 16]], // Diners Club
  [/^62/, [16, 19]], // UnionPay (17 and 18 digits are rare; snowflake ids have 18)
]

const CARD = new RegExp(
  `${EDGE_L}(?:\\d{13,19}|\\d{4}([ -])\\d{4}\\1\\d{4}\\1\\d{4}(?:\\1\\d{3})?|\\d{4}([ -])\\d{6}\\2\\d{4,5})${EDGE_R}`,
  'g',
)

function hasCard(text: string): boolean {
  for (const [raw] of text.matchAll(CARD)) {
    const digits = raw.replace(/\D/g, '')
    const scheme = CARD_SCHEMES.find(([prefix]) => prefix.test(digits))
    if (scheme?.[1].includes(digits.length) && luhn(digits)) return true
  }
  return false
}

/** The Luhn mod-10 check of card numbers. */
function luhn(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits.charAt(digits.length - 1 - i))
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2
    sum += d
  }
  return sum % 10 === 0
}

/** Each detector, and whether it reads the text as written (true) or without machine ids. */
const DETECTORS: [PiiKind, Detector, boolean][] = [
  ['an e-mail address', (text) => EMAIL.test(text), true],
  ['an IBAN', hasIban, true],
  ['a card number', hasCard, false],
  ['a national id number', hasNationalId, false],
  ['a phone number', hasPhone, false],
  ['a name with a date of birth', hasNameAndBirthDate, false],
]
