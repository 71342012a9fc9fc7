/**
 * References that are not personal data: the identifiers integrations really send as
 * customerInternalReference or userReference, family by family.
 */
import { ALNUM } from './pii-corpus.js'
import type { Draw } from './pii-corpus.js'

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const NANOID = `${ALNUM}_-`
const B64 = `${ALNUM}+/`
const B64URL = `${ALNUM}-_`
const BCRYPT = `./${ALNUM}`

/** Milliseconds between 2015 and 2027: when references in use today were made. */
const recentMs = (d: Draw) => d.int(Date.UTC(2015, 0, 1), Date.UTC(2027, 0, 1))

function variantNibble(d: Draw): string {
  return d.pick(['8', '9', 'a', 'b'])
}

/** Non-PII families: each a generator of one reference. */
export const NOT_PII: Record<string, (d: Draw) => string> = {
  'UUID v1': (d) => {
    // 60-bit count of 100 ns since 1582-10-15, split low-mid-high
    const ticks = BigInt(recentMs(d)) * 10000n + 122192928000000000n + BigInt(d.int(0, 9999))
    const hex = ticks.toString(16).padStart(15, '0')
    const [high, mid, low] = [hex.slice(0, 3), hex.slice(3, 7), hex.slice(7)]
    return `${low}-${mid}-1${high}-${variantNibble(d)}${d.hex(3)}-${d.hex(12)}`
  },
  'UUID v4': (d) =>
    `${d.hex(8)}-${d.hex(4)}-4${d.hex(3)}-${variantNibble(d)}${d.hex(3)}-${d.hex(12)}`,
  'UUID v7': (d) => {
    const ms = recentMs(d).toString(16).padStart(12, '0')
    return `${ms.slice(0, 8)}-${ms.slice(8)}-7${d.hex(3)}-${variantNibble(d)}${d.hex(3)}-${d.hex(12)}`
  },
  ULID: (d) => {
    let ms = recentMs(d)
    let time = ''
    for (let i = 0; i < 10; i++, ms = Math.floor(ms / 32)) time = CROCKFORD.charAt(ms % 32) + time
    return `${time}${d.chars(CROCKFORD, 16)}`
  },
  nanoid: (d) => d.chars(NANOID, d.pick([21, 21, 10, 12, 16])),
  'hex hash': (d) => {
    const hex = d.hex(d.pick([32, 40, 64]))
    return d.int(0, 4) === 0 ? hex.toUpperCase() : hex
  },
  'base64 hash': (d) => {
    const [alphabet, n, pad] = d.pick([
      [B64, 43, '='],
      [B64URL, 43, ''],
      [B64, 27, '='],
      [B64, 22, '=='],
    ] as const)
    return `${d.chars(alphabet, n)}${pad}`
  },
  'bcrypt hash': (d) =>
    `$${d.pick(['2a', '2b', '2y'])}$${String(d.int(10, 13))}$${d.chars(BCRYPT, 53)}`,
  'HMAC signature': (d) =>
    d.pick([
      () => `t=${String(recentMs(d))},v1=${d.hex(64)}`,
      () => `t=${String(Math.floor(recentMs(d) / 1000))},v1=${d.hex(64)},v0=${d.hex(64)}`,
      () => `sha256=${d.hex(64)}`,
      () => `v0=${d.hex(64)}`,
      () => `${d.chars(B64, 43)}=`,
    ])(),
  'numeric id': (d) =>
    d.pick([
      () => String(d.int(1, 999_999_999)),
      () => String(Math.floor(recentMs(d) / 1000)),
      () => String(recentMs(d)),
      // Twitter and Discord snowflakes: milliseconds since their epoch, shifted 22 bits
      () => String((BigInt(recentMs(d) - 1288834974657) << 22n) + BigInt(d.int(0, 4194303))),
      () => String((BigInt(recentMs(d) - 1420070400000) << 22n) + BigInt(d.int(0, 4194303))),
      () =>
        `${d.pick(['user', 'cust', 'acct', 'member', 'client'])}-${String(d.int(1, 99_999_999))}`,
      () => String(d.int(1, 99_999)).padStart(10, '0'),
    ])(),
  'order number with a date': (d) => {
    const [y, m, day] = d.date(2012, 2026)
    const seq = (n: number) => d.digits(n)
    return d.pick([
      () => `ORD-${y}${m}${day}-${seq(4)}`,
      () => `INV-${y}-${m}-${seq(5)}`,
      () => `${y}-${m}-${day}-${seq(6)}`,
      () => `PO-${y.slice(2)}${m}${day}-${seq(3)}`,
      () => `SO${y}${m}${day}${seq(4)}`,
      () => `order_${y}${m}${day}T${d.digits(6)}_${seq(3)}`,
      () => `ORD-${y}-${m}-${day}-${seq(4)}`,
      () => `${day}.${m}.${y}-${seq(4)}`,
      () =>
        `batch ${y}-${m}-${day} ${String(d.int(0, 23)).padStart(2, '0')}:${d.digits(2)} #${seq(3)}`,
      () => `R${y}${m}${day}${d.digits(2)}${d.digits(2)}${d.digits(2)}`,
    ])()
  },
  'Stripe-style id': (d) => {
    const prefix = d.pick([
      'cus',
      'pi',
      'ch',
      'sub',
      'evt',
      'acct',
      'pm',
      'in',
      'txn',
      'seti',
      're',
    ])
    const id = `${prefix}_${d.chars(ALNUM, d.pick([14, 16, 24]))}`
    return d.int(0, 5) === 0 ? `${id}_secret_${d.chars(ALNUM, 25)}` : id
  },
  'Shopify-style id': (d) =>
    d.pick([
      () =>
        `gid://shopify/${d.pick(['Order', 'Customer', 'Checkout'])}/${String(d.int(4, 7))}${d.digits(12)}`,
      () => `${String(d.int(4, 7))}${d.digits(12)}`,
      () => `#${String(d.int(1001, 99_999))}`,
      () => d.hex(32),
      () => `c1-${d.hex(32)}`,
      () => `${d.pick(['shop', 'store'])}-${String(d.int(1001, 99_999))}`,
    ])(),
}

/** A reference as integrations prefix it: `kyc-<id>`, `user_<id>`, or the id alone. */
export function prefixed(d: Draw, id: string): string {
  const prefix = d.pick(['', '', '', 'kyc-', 'user_', 'acme:', 'onboarding/', 'ref-'])
  return `${prefix}${id}`
}
