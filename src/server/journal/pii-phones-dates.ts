/**
 * @module Phone numbers and birth dates beside names, in a reference. A phone is a `+` (or a
 * grouped `00`) followed by 8 to 15 digits (E.164's range), or a national number in the groups
 * it is written in: North American 3-3-4, a trunk-prefixed `0…` number of 10 to 12 digits in two
 * or more groups, a Spanish 3-3-3. A run of digits with no such shape — a timestamp, a numeric id,
 * an order number — is not a phone number. A birth date is a whole calendar date at least 16
 * years old, in a reference that also holds a word: a name. [I] These shapes are our choice;
 * the corpus test in test/unit measures them.
 */

const SEP = '[ ./-]'
// `+49 151 2345 6789`, `+44 (0)20 7946 0958`, `0049 151 23456789`: ends where its digits end.
const INTERNATIONAL = new RegExp(
  `(?<![A-Za-z0-9+]|\\d${SEP})(\\+|00(?=[1-9]))[1-9](?:${SEP}?(?:\\(0\\)|\\(\\d{1,4}\\)|\\d)){7,16}(?![A-Za-z0-9]|${SEP}?\\d)`,
  'g',
)
// A whole chain of digit groups: never the middle of a longer chain or of a token.
const NATIONAL = new RegExp(
  `(?<![A-Za-z0-9+]|\\d${SEP}|\\d\\))(?:\\((\\d{2,5})\\) ?|(\\d{1,5})${SEP})((?:\\d{1,8}${SEP}){0,4}\\d{2,8})(?![A-Za-z0-9]|${SEP}\\d)`,
  'g',
)

/** True when `text` holds a phone number in an international or a national shape. */
export function hasPhone(text: string): boolean {
  for (const m of text.matchAll(INTERNATIONAL)) {
    const digits = m[0].replace(/\(0\)/, '').replace(/\D/g, '')
    const national = m[1] === '00' ? digits.slice(2) : digits
    // `00…` without any grouping is as likely a zero-padded id
    const grouped = m[1] === '+' || /[ ./()-]/.test(m[0])
    if (grouped && national.length >= 8 && national.length <= 15) return true
  }
  for (const m of text.matchAll(NATIONAL)) {
    const groups = [m[1] ?? m[2] ?? '', ...(m[3] ?? '').split(/[ ./-]/)]
    if (nationalShape(groups, m[1] !== undefined)) return true
  }
  return false
}

/** [I] The national shapes: North American, trunk-prefixed (Europe, Australia, Japan), Spanish. */
function nationalShape(groups: string[], parenthesised: boolean): boolean {
  const sizes = groups.map((g) => g.length).join('-')
  const [first = '', second = ''] = groups
  const digits = groups.join('')
  if (sizes === '3-3-4' && /^[2-9]/.test(first) && (parenthesised || /^[2-9]/.test(second)))
    return true
  if (sizes === '1-3-3-4' && first === '1' && /^[2-9]/.test(second)) return true
  if ((sizes === '3-3-3' || sizes === '3-2-2-2') && /^[679]/.test(first)) return true
  const trunk = /^0[1-9]/.test(first) && first.length <= 5
  return (
    trunk &&
    digits.length >= 10 &&
    digits.length <= 12 &&
    groups.every((g) => g.length >= 2) &&
    !startsWithDate(groups)
  )
}

/** `01.02.2024 1230`: a date (and a time) is not a phone number. */
function startsWithDate(groups: string[]): boolean {
  const [a = '', b = '', c = ''] = groups
  return c.length === 4 && (validDate(+c, +b, +a) || validDate(+c, +a, +b))
}

// `1985-03-12`, `19850312`, `1985_03_12`, `12.03.1985`, `03/12/1985`
const DATE = /(?<!\d)(?:(\d{4})([-./_]?)(\d{2})\2(\d{2})|(\d{1,2})([-./])(\d{1,2})\6(\d{4}))(?!\d)/g

/**
 * [I] A name with a date of birth: a calendar date between 1900 and 18 years before `year` (a
 * verified customer's, an adult's; `policy-2009-07-01` is no birth date), and
 * a word of two or more letters elsewhere in the reference. Order and invoice dates are recent,
 * so `ORD-2024-01-15-0042` is not one.
 */
export function hasNameAndBirthDate(text: string, year: number): boolean {
  for (const m of text.matchAll(DATE)) {
    const born = m[1] !== undefined ? birthYear(m[1], m[3], m[4], year) : dayFirst(m, year)
    if (born === null) continue
    const rest = text.slice(0, m.index) + ' ' + text.slice(m.index + m[0].length)
    if (/[A-Za-z]{2,}/.test(rest)) return true
  }
  return false
}

function dayFirst(m: RegExpMatchArray, year: number): number | null {
  return birthYear(m[8], m[7], m[5], year) ?? birthYear(m[8], m[5], m[7], year)
}

function birthYear(
  y: string | undefined,
  m: string | undefined,
  d: string | undefined,
  year: number,
): number | null {
  const [yy, mm, dd] = [Number(y), Number(m), Number(d)]
  return yy >= 1900 && yy <= year - 18 && validDate(yy, mm, dd) ? yy : null
}

export function validDate(year: number, month: number, day: number): boolean {
  if (!(month >= 1 && month <= 12 && day >= 1)) return false
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate()
}
