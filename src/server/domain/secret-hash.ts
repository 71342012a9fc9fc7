/**
 * @module API credential secrets at rest. The mock generates every secret it hands
 * out and keeps only a salted scrypt hash of it, so a data directory copied into a CI artifact,
 * a bug report or a container layer gives away no working secret.
 *
 * Why scrypt: it is in node:crypto (no native add-on: the container image installs with
 * `--ignore-scripts`, so bcrypt or argon2 bindings would not build there), and it is a password
 * hash, memory-hard, with its cost stored beside each hash so it can be raised later without
 * breaking stored ones. The secrets are 256 random bits, so even a fast hash would resist
 * guessing; scrypt costs ~16 MiB and tens of milliseconds per check, which the caller avoids
 * paying on every request by remembering what it verified (api-credentials.ts).
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import type { ScryptOptions } from 'node:crypto'

/** Node's defaults (N = 2^14, r = 8, p = 1): 16 MiB per hash, within its default maxmem. */
const COST = { N: 16_384, r: 8, p: 1 } as const
const KEY_BYTES = 32
const SALT_BYTES = 16

/** A new secret: 256 random bits, base64url (43 characters, safe in Basic auth and forms). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url')
}

/** `scrypt$N$r$p$salt$hash`, salt and hash base64url. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(secret, salt, KEY_BYTES, COST)
  const { N, r, p } = COST
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

/** True when `secret` is the one `stored` was made from; false for anything unreadable. */
export async function secretMatches(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false
  const expected = Buffer.from(hash, 'base64url')
  const cost = { N: Number(n), r: Number(r), p: Number(p) }
  if (![cost.N, cost.r, cost.p].every(Number.isSafeInteger) || expected.length === 0) return false
  const key = await derive(secret, Buffer.from(salt, 'base64url'), expected.length, cost)
  return timingSafeEqual(key, expected)
}

function derive(secret: string, salt: Buffer, bytes: number, cost: ScryptOptions): Promise<Buffer> {
  // the asynchronous form runs on libuv's thread pool: requests keep being served meanwhile
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, bytes, { ...cost, maxmem: 64 * 1024 * 1024 }, (err, key) => {
      if (err) reject(err)
      else resolve(key)
    })
  })
}
