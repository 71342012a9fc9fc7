/**
 * Seeded generators of customer references, for the PII detector's corpus test: the
 * identifiers real integrations put in references, which are not personal data, and the
 * personal data that must not be there. Check digits (IBAN mod 97, BBAN keys, Luhn, national id
 * check characters) are computed here, independently of the detector, so every PII value is valid.
 */

/** mulberry32: a small seeded PRNG, so the corpus is the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Draws from one PRNG. */
export class Draw {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T
  }
  chars(alphabet: string, length: number): string {
    let out = ''
    for (let i = 0; i < length; i++) out += alphabet.charAt(this.int(0, alphabet.length - 1))
    return out
  }
  digits(length: number): string {
    return this.chars('0123456789', length)
  }
  hex(length: number): string {
    return this.chars('0123456789abcdef', length)
  }
  /** A date between two years, as [year, month, day] strings. */
  date(from: number, to: number): [string, string, string] {
    const ms = Date.UTC(from, 0, 1) + this.next() * (Date.UTC(to, 11, 31) - Date.UTC(from, 0, 1))
    const [y = '', m = '', d = ''] = new Date(ms).toISOString().slice(0, 10).split('-')
    return [y, m, d]
  }
}

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
export const FIRST = [
  'james', 'mary', 'wei', 'fatima', 'olga', 'lukas', 'sofia', 'mateo', 'aisha', 'hiroshi',
  'chloe', 'oliver', 'amelie', 'jonas', 'lucia', 'noah', 'emma', 'ivan', 'priya', 'kwame',
] // prettier-ignore
export const LAST = [
  'smith', 'garcia', 'müller', 'nguyen', 'kowalski', 'rossi', 'dubois', 'silva', 'tanaka',
  'okafor', 'johansson', 'novak', 'patel', 'schmidt', 'martin', 'jensen', 'lopez', 'brown',
] // prettier-ignore

/** Capitalised. */
export const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** The mod-97 remainder of a string of digits (and letters as 10..35), as IBANs compute it. */
export function mod97(value: string): number {
  const digits = value.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55))
  return Number(BigInt(digits) % 97n)
}

/** An IBAN's two check digits for a country and BBAN (ISO 13616). */
export function ibanCheck(country: string, bban: string): string {
  return String(98 - mod97(`${bban}${country}00`)).padStart(2, '0')
}

/** Luhn's mod-10 check, as card numbers carry it. */
export function passesLuhn(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let x = Number(digits.charAt(digits.length - 1 - i))
    if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2
    sum += x
  }
  return sum % 10 === 0
}

/** A number whose last digit makes it pass Luhn's check. */
export function withLuhnDigit(body: string): string {
  const digit = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].find((d) => passesLuhn(`${body}${String(d)}`))
  return `${body}${String(digit)}`
}
