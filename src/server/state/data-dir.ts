/**
 * @module The token secret of durable mode: tokens issued before a restart must still verify
 * after it, so without `--token-secret` the secret is made once and kept in the data directory.
 */
import { randomBytes } from 'node:crypto'
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs'
import { ConfigError } from '../../config.js'
import { join } from 'node:path'

/** The shortest secret accepted from the file. */
const MIN_SECRET_BYTES = 32

/**
 * The secret in `DIR/token-secret`, created (64 random bytes, owner-only) on first start. It is
 * written to a temporary file and renamed into place: a crash never leaves an empty secret, which
 * anyone could sign tokens with. An empty file (from before that) is replaced: no token was ever
 * signed with it. A short one is a configuration error.
 */
export function persistentTokenSecret(dir: string): Buffer {
  mkdirSync(dir, { recursive: true })
  const path = join(dir, 'token-secret')
  let found: Buffer | undefined
  try {
    found = readFileSync(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  if (found && found.length >= MIN_SECRET_BYTES) return found
  if (found && found.length > 0) {
    throw new ConfigError(
      `${path} holds ${String(found.length)} bytes; a token secret needs at least ${String(MIN_SECRET_BYTES)} (delete the file to make a new one)`,
    )
  }
  const secret = randomBytes(64)
  // fsync before any token is signed with it: a token must never outlive its secret
  const temporary = `${path}.${String(process.pid)}.tmp`
  const fd = openSync(temporary, 'w', 0o600)
  try {
    writeSync(fd, secret)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temporary, path)
  return secret
}
