/**
 * @module National identity numbers in a reference, each recognised by its printed shape and,
 * where the number has one, its check character: a shape alone is only evidence where it is
 * distinctive (a US SSN's 3-2-4 groups, a UK National Insurance number's letters). [I] The
 * countries are the ones whose numbers are commonly written into references; bare digit runs
 * without a check (a US SSN without dashes) are not flagged: they are any 9-digit id.
 */

import { validDate } from './pii-phones-dates.js'

const EDGE_L = '(?<![A-Za-z0-9])'
const EDGE_R = '(?![A-Za-z0-9])'

// US Social Security Number, 3-2-4 with dashes or spaces; never area 000, 666 or 9xx, group 00,
// serial 0000. Not part of a longer chain of digit groups (`2024-123-45-6789`).
const SSN = /(?<![0-9A-Za-z]|\d[ -])(\d{3})([- ])(\d{2})\2(\d{4})(?![0-9A-Za-z]|[ -]\d)/g
// UK National Insurance number: two prefix letters (some never used), six digits, A–D.
const NINO = new RegExp(
  `${EDGE_L}(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D]${EDGE_R}`,
)
// Spanish DNI (8 digits) and NIE (X, Y or Z and 7 digits), with their mod-23 control letter.
const DNI = new RegExp(`${EDGE_L}([XYZ]?)(\\d{7,8})-?([A-Z])${EDGE_R}`, 'g')
const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE'
// Brazilian CPF, printed 000.000.000-00, with its two mod-11 check digits.
const CPF = /(?<![0-9])(\d{3})\.(\d{3})\.(\d{3})-(\d{2})(?![0-9])/g
// French NIR (social security number): sex, year, month, department, commune, order, key.
const NIR = new RegExp(
  `${EDGE_L}([12])( ?)(\\d{2})\\2(0[1-9]|1[0-2])\\2(\\d{2}|2[AB])\\2(\\d{3})\\2(\\d{3})\\2(\\d{2})${EDGE_R}`,
  'g',
)

/** True when `text` holds a national id number in one of the shapes above. */
export function hasNationalId(text: string): boolean {
  return hasSsn(text) || NINO.test(text) || hasDni(text) || hasCpf(text) || hasNir(text)
}

function hasSsn(text: string): boolean {
  for (const [, area = '', , group = '', serial = ''] of text.matchAll(SSN)) {
    if (area !== '000' && area !== '666' && !area.startsWith('9') && group !== '00') {
      if (serial !== '0000') return true
    }
  }
  return false
}

function hasDni(text: string): boolean {
  for (const [, prefix = '', digits = '', letter] of text.matchAll(DNI)) {
    // a DNI has 8 digits; an NIE's letter stands for a leading digit 0, 1 or 2
    if (prefix === '' ? digits.length !== 8 : digits.length !== 7) continue
    // a date stamp (`BATCH-20240115-T`) is read as one, not as a DNI whose letter happens to fit
    if (prefix === '' && isDateStamp(digits)) continue
    const number = Number(`${prefix === '' ? '' : String('XYZ'.indexOf(prefix))}${digits}`)
    if (DNI_LETTERS.charAt(number % 23) === letter) return true
  }
  return false
}

/** Eight digits that read as a date, YYYYMMDD from 1900 to 2099. */
function isDateStamp(digits: string): boolean {
  const [y, m, d] = [digits.slice(0, 4), digits.slice(4, 6), digits.slice(6, 8)].map(Number)
  return /^(19|20)/.test(digits) && validDate(y ?? 0, m ?? 0, d ?? 0)
}

function hasCpf(text: string): boolean {
  for (const [, a = '', b = '', c = '', check = ''] of text.matchAll(CPF)) {
    const digits = `${a}${b}${c}`
    if (/^(\d)\1+$/.test(digits)) continue
    const first = cpfDigit(digits)
    if (`${String(first)}${String(cpfDigit(`${digits}${String(first)}`))}` === check) return true
  }
  return false
}

/** A CPF check digit: weights from length + 1 down to 2, mod 11, 0 for 10 and 11. */
function cpfDigit(digits: string): number {
  let sum = 0
  for (let i = 0; i < digits.length; i++) sum += Number(digits.charAt(i)) * (digits.length + 1 - i)
  const rest = 11 - (sum % 11)
  return rest >= 10 ? 0 : rest
}

function hasNir(text: string): boolean {
  for (const m of text.matchAll(NIR)) {
    const [, sex = '', , year = '', month = '', dept = '', commune = '', order = '', key = ''] = m
    // Corsica's 2A and 2B count as 19 and 18 in the key
    const department = dept === '2A' ? '19' : dept === '2B' ? '18' : dept
    const number = BigInt(`${sex}${year}${month}${department}${commune}${order}`)
    if (97n - (number % 97n) === BigInt(key)) return true
  }
  return false
}
