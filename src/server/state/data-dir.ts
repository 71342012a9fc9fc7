/**
 * @module The token secret of durable mode: tokens issued before a restart must still verify
 * after it, so without `--token-secret` the secret is made once and kept in the data directory.
 */
import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'

/** The secret in `DIR/token-secret`, created (64 random bytes, owner-only) on first start. */
export function persistentTokenSecret(dir: string): Buffer {
  mkdirSync(dir, { recursive: true })
  const path = join(dir, 'token-secret')
  try {
    return readFileSync(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const secret = randomBytes(64)
  // fsync before any token is signed with it: a token must never outlive its secret
  const fd = openSync(path, 'wx', 0o600)
  try {
    writeSync(fd, secret)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  return secret
}
