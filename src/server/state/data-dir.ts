/**
 * @module The data directory of durable mode: the lock that keeps it to one process, and the
 * token secret (tokens issued before a restart must still verify after it, so without
 * `--token-secret` the secret is made once and kept there).
 */
import { randomBytes } from 'node:crypto'
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { ConfigError, errorCode } from '../../config.js'

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
    if (errorCode(err) !== 'ENOENT') throw err
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

/** Beside the database: which process holds the directory, to name it to the next one. */
const HOLDER_FILE = 'jumio-mock.pid'

/** What the holder file records. */
interface Holder {
  pid: number
  host: string
  since: string
}

/**
 * Makes this process the data directory's only user for as long as it lives (two
 * processes on one directory both started, then answered 500 "database is locked" on most flows).
 * In SQLite's exclusive locking mode the connection keeps the database file's lock from its first
 * transaction until it closes: an fcntl lock, which the kernel drops when the process ends,
 * SIGKILL included, so there is no stale lock to detect. (It also keeps WAL's index in the
 * process's memory instead of a shared `-shm` file, which a full disk cannot then break.) A second
 * process is refused at once with one line naming the holder; the holder file beside the database
 * only names it and is never trusted for the lock itself.
 */
export function lockDataDir(db: Database.Database, dir: string): void {
  db.pragma('locking_mode = EXCLUSIVE')
  try {
    // the first access takes the lock; an exclusive transaction makes sure it is the write lock
    db.pragma('journal_mode = WAL')
    db.exec('BEGIN EXCLUSIVE; COMMIT')
  } catch (err) {
    if (errorCode(err) !== 'SQLITE_BUSY') throw err
    throw new ConfigError(
      `--data-dir ${dir} is in use by ${holderOf(dir)}: stop it first, or give this one another directory`,
    )
  }
  const holder: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() }
  try {
    writeFileSync(join(dir, HOLDER_FILE), `${JSON.stringify(holder)}\n`)
  } catch {
    // only a name for the next process's message (a full disk must not stop a restart)
  }
}

/** The process the holder file names, or why it cannot name one. */
function holderOf(dir: string): string {
  let holder: Partial<Holder>
  try {
    holder = JSON.parse(readFileSync(join(dir, HOLDER_FILE), 'utf8')) as Partial<Holder>
  } catch {
    return `another process (${join(dir, HOLDER_FILE)} does not name it)`
  }
  const { pid, host, since } = holder
  if (typeof pid !== 'number') return `another process (${join(dir, HOLDER_FILE)} does not name it)`
  const named = `jumio-mock pid ${String(pid)} on host ${String(host)}, since ${String(since)}`
  // on this host the pid can be checked: the lock may be held by something else (a sqlite3 shell)
  return host === hostname() && !alive(pid)
    ? `another process (not ${named}: it has exited)`
    : named
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return errorCode(err) === 'EPERM'
  }
}
