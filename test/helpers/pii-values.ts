/**
 * Personal data as it ends up in references: e-mail addresses, phone numbers in E.164 and
 * national formats, IBANs, card numbers, national id numbers, names with dates of birth. Every
 * value is valid by its own rules (check digits computed here), as real data would be.
 */
import type { Draw } from './pii-corpus.js'
import { cap, FIRST, LAST, UPPER, ibanCheck, mod97, withLuhnDigit } from './pii-corpus.js'

const ascii = (s: string) => s.normalize('NFD').replace(/[^\x20-\x7e]/g, '')

/** [country code, national significant number length, first digits] for E.164 numbers. */
const E164: [string, number, string][] = [
  ['1', 10, '2'], ['44', 10, '7'], ['49', 11, '15'], ['33', 9, '6'], ['34', 9, '6'],
  ['39', 10, '3'], ['55', 11, '11'], ['91', 10, '9'], ['65', 8, '8'], ['61', 9, '4'],
  ['81', 10, '90'], ['31', 9, '6'],
] // prettier-ignore

function e164(d: Draw): string {
  const [cc, n, lead] = d.pick(E164)
  const nsn = `${lead}${d.digits(n - lead.length)}`
  return d.pick([
    () => `+${cc}${nsn}`,
    () => `+${cc} ${nsn.slice(0, 3)} ${nsn.slice(3)}`,
    () => `+${cc}-${nsn.slice(0, 3)}-${nsn.slice(3, 6)}-${nsn.slice(6)}`,
    () => `+${cc} (${nsn.slice(0, 3)}) ${nsn.slice(3)}`,
    () => `00${cc} ${nsn.slice(0, 3)} ${nsn.slice(3)}`,
    () => (cc === '44' ? `+44 (0)${nsn.slice(0, 4)} ${nsn.slice(4)}` : `+${cc}.${nsn}`),
  ])()
}

function national(d: Draw): string {
  const n = (k: number) => d.digits(k)
  const nanp = () => `${String(d.int(2, 9))}${n(2)}`
  return d.pick([
    () => `(${nanp()}) ${nanp()}-${n(4)}`,
    () => `${nanp()}-${nanp()}-${n(4)}`,
    () => `${nanp()}.${nanp()}.${n(4)}`,
    () => `1-${nanp()}-${nanp()}-${n(4)}`,
    () => `020 ${String(d.int(3, 8))}${n(3)} ${n(4)}`, // UK London
    () => `07${n(3)} ${n(6)}`, // UK mobile
    () => `030 ${n(8)}`, // DE Berlin
    () => `015${String(d.int(1, 9))} ${n(8)}`, // DE mobile
    () => `089/${n(7)}`, // DE Munich
    () => `0${String(d.int(6, 7))} ${n(2)} ${n(2)} ${n(2)} ${n(2)}`, // FR mobile
    () => `01.${n(2)}.${n(2)}.${n(2)}.${n(2)}`, // FR Paris
    () => `06-${n(8)}`, // NL mobile
    () => `6${n(2)} ${n(3)} ${n(3)}`, // ES mobile
    () => `04${n(2)} ${n(3)} ${n(3)}`, // AU mobile
    () => `090-${n(4)}-${n(4)}`, // JP mobile
  ])()
}

/** A valid IBAN, compact or printed in groups of four. */
function iban(d: Draw): string {
  const [country, bban] = d.pick<() => [string, string]>([
    () => ['DE', d.digits(18)],
    () => ['GB', `${d.chars(UPPER, 4)}${d.digits(14)}`],
    () => ['IT', `${d.chars(UPPER, 1)}${d.digits(22)}`],
    () => ['NL', `${d.chars(UPPER, 4)}${d.digits(10)}`],
    () => ['CH', d.digits(17)],
    () => ['AT', d.digits(16)],
    () => ['IE', `${d.chars(UPPER, 4)}${d.digits(14)}`],
    () => ['SE', d.digits(20)],
    () => ['BE', belgianBban(d)],
    () => ['FR', frenchBban(d)],
  ])()
  const compact = `${country}${ibanCheck(country, bban)}${bban}`
  return d.int(0, 1) === 0 ? compact : (compact.match(/.{1,4}/g) ?? []).join(' ')
}

/** [D] Belgian BBAN: 10 digits and their mod 97 (97 for 0). */
function belgianBban(d: Draw): string {
  const body = `${String(d.int(1, 9))}${d.digits(9)}`
  const key = Number(BigInt(body) % 97n) || 97
  return `${body}${String(key).padStart(2, '0')}`
}

/** [D] French BBAN: bank, branch, account and the RIB key 97 − (89 b + 15 g + 3 a) mod 97. */
function frenchBban(d: Draw): string {
  const [bank, branch, account] = [d.digits(5), d.digits(5), d.digits(11)]
  const key = 97 - mod97(String(89n * BigInt(bank) + 15n * BigInt(branch) + 3n * BigInt(account)))
  return `${bank}${branch}${account}${String(key).padStart(2, '0')}`
}

/** A Luhn-valid card number of a real scheme, bare or printed in groups. */
function card(d: Draw): string {
  const [prefix, length] = d.pick([
    ['4', 16], ['5' + String(d.int(1, 5)), 16], [String(d.int(2221, 2720)), 16],
    ['3' + d.pick(['4', '7']), 15], ['6011', 16], ['65', 16], ['35' + String(d.int(28, 89)), 16],
    ['36', 14], ['62', 16], ['4', 19],
  ] as const) // prettier-ignore
  const number = withLuhnDigit(`${prefix}${d.digits(length - prefix.length - 1)}`)
  if (length === 15 && d.int(0, 1))
    return `${number.slice(0, 4)} ${number.slice(4, 10)} ${number.slice(10)}`
  if (length !== 16 || d.int(0, 2) === 0) return number
  return (number.match(/.{4}/g) ?? []).join(d.pick([' ', '-']))
}

function nationalId(d: Draw): string {
  return d.pick([
    () =>
      `${String(d.int(1, 665)).padStart(3, '0')}-${String(d.int(1, 99)).padStart(2, '0')}-${String(d.int(1, 9999)).padStart(4, '0')}`,
    () => {
      const nino = `${d.pick(['AB', 'CE', 'JH', 'PR', 'WX'])}${d.digits(6)}${d.pick(['A', 'B', 'C', 'D'])}`
      return d.int(0, 1)
        ? nino
        : `${nino.slice(0, 2)} ${nino.slice(2, 4)} ${nino.slice(4, 6)} ${nino.slice(6, 8)} ${nino.slice(8)}`
    },
    () => {
      const n = d.int(10_000_000, 99_999_999)
      return `${String(n)}${'TRWAGMYFPDXBNJZSQVHLCKE'.charAt(n % 23)}`
    },
    () => {
      const [prefix, n] = [d.int(0, 2), d.digits(7)]
      return `${'XYZ'.charAt(prefix)}${n}${'TRWAGMYFPDXBNJZSQVHLCKE'.charAt(Number(`${String(prefix)}${n}`) % 23)}`
    },
    () => cpf(d),
    () => nir(d),
  ])()
}

function cpf(d: Draw): string {
  const digit = (s: string) => {
    let sum = 0
    for (let i = 0; i < s.length; i++) sum += Number(s.charAt(i)) * (s.length + 1 - i)
    return 11 - (sum % 11) >= 10 ? 0 : 11 - (sum % 11)
  }
  const body = d.digits(9)
  const first = String(digit(body))
  const all = `${body}${first}${String(digit(`${body}${first}`))}`
  return `${all.slice(0, 3)}.${all.slice(3, 6)}.${all.slice(6, 9)}-${all.slice(9)}`
}

function nir(d: Draw): string {
  const [y, m] = d.date(1940, 2005)
  const parts = [
    String(d.int(1, 2)),
    y.slice(2),
    m,
    String(d.int(1, 95)).padStart(2, '0'),
    d.digits(3),
    d.digits(3),
  ]
  const key = String(97n - (BigInt(parts.join('')) % 97n)).padStart(2, '0')
  return d.int(0, 1) ? `${parts.join('')}${key}` : `${parts.join(' ')} ${key}`
}

function nameWithBirthDate(d: Draw): string {
  const [first, last] = [ascii(d.pick(FIRST)), ascii(d.pick(LAST))]
  const [y, m, day] = d.date(1940, 2007)
  return d.pick([
    () => `${first}.${last}.${y}-${m}-${day}`,
    () => `${cap(first)}${cap(last)}${y}${m}${day}`,
    () => `${last}_${first}_${day}.${m}.${y}`,
    () => `${cap(first)} ${cap(last)} ${m}/${day}/${y}`,
    () => `${last}-${first}-dob-${y}-${m}-${day}`,
    () => `${first}_${last}_${y}_${m}_${day}`,
  ])()
}

/** PII families: each a generator of one reference holding that kind of data. */
export const PII: Record<string, (d: Draw) => string> = {
  'e-mail address': (d) => {
    const local = d.pick([
      `${ascii(d.pick(FIRST))}.${ascii(d.pick(LAST))}`,
      `${ascii(d.pick(FIRST))}${String(d.int(1, 99))}`,
      `${ascii(d.pick(FIRST))}+kyc`,
    ])
    const email = `${local}@${d.pick(['example.com', 'mail.example.co.uk', 'acme.de', 'post.example.org', 'inbox.example.io'])}`
    return d.pick([email, email, `user-${email}`, email.replace('@', '%40')])
  },
  'phone number (E.164)': e164,
  'phone number (national)': national,
  IBAN: iban,
  'card number': card,
  'national id number': nationalId,
  'name with date of birth': nameWithBirthDate,
}
