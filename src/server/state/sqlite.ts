/**
 * @module Durable mode's database (`--data-dir`): SQLite through better-sqlite3, one
 * file `jumio-mock.db` in WAL mode with `synchronous = FULL`, shared by the store
 * (`sqlite-store.ts`), the callback journal and the admin settings below, and the API
 * credentials (`sqlite-credentials.ts`).
 */
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { ConfigError, firstLine } from '../../config.js'
import type { CallbackJournal, JournalledCallback } from '../domain/callbacks.js'
import type { SettingsSnapshot, SettingsStore } from '../domain/tenants.js'
import { lockDataDir } from './data-dir.js'
import { prepared } from './sqlite-statements.js'
import type { StorageHealth } from './storage-health.js'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (
  tenant TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (tenant, id));
CREATE TABLE IF NOT EXISTS workflow_executions (
  tenant TEXT NOT NULL, id TEXT NOT NULL, account_id TEXT NOT NULL, status TEXT NOT NULL,
  json TEXT NOT NULL, PRIMARY KEY (tenant, id));
CREATE INDEX IF NOT EXISTS workflow_executions_by_id ON workflow_executions (id);
CREATE TABLE IF NOT EXISTS image_files (
  tenant TEXT NOT NULL, wfe_id TEXT NOT NULL, part_id TEXT NOT NULL, file TEXT NOT NULL,
  size INTEGER NOT NULL, PRIMARY KEY (tenant, wfe_id, part_id));
CREATE TABLE IF NOT EXISTS callbacks (
  id TEXT PRIMARY KEY, tenant TEXT NOT NULL, state TEXT NOT NULL, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS api_credentials (
  client_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS completed (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL, id TEXT NOT NULL,
  UNIQUE (tenant, id));
`

/** Completed workflow executions of a database from before table `completed` existed. */
const TERMINAL = "status IN ('PROCESSED', 'SESSION_EXPIRED', 'TOKEN_EXPIRED')"
const UNLISTED = `FROM workflow_executions w WHERE ${TERMINAL}
  AND NOT EXISTS (SELECT 1 FROM completed c WHERE c.tenant = w.tenant AND c.id = w.id)`

/**
 * Opens (and creates) the database in `dir`, with every table, locked to this process
 * (`lockDataDir`). Its busy timeout is 0: with the lock held nothing else ever waits for it, and
 * a directory another process holds is refused at once rather than after 5 s of retries.
 */
export function openDatabase(dir: string): Database.Database {
  const SqliteDatabase = loadSqlite()
  mkdirSync(dir, { recursive: true })
  const db = new SqliteDatabase(join(dir, 'jumio-mock.db'), { timeout: 0 })
  try {
    lockDataDir(db, dir)
    db.pragma('synchronous = FULL')
    db.exec(SCHEMA)
    // only when there is something to add: even an INSERT that adds nothing fails on a full
    // disk, and a restart on a full disk must still serve reads
    if (db.prepare(`SELECT 1 ${UNLISTED} LIMIT 1`).get()) {
      db.exec(
        `INSERT OR IGNORE INTO completed (tenant, id) SELECT tenant, id ${UNLISTED} ORDER BY rowid`,
      )
    }
  } catch (err) {
    db.close()
    throw err
  }
  return db
}

/**
 * better-sqlite3, loaded when durable mode starts, not at start-up: only durable mode needs its
 * native binding. Without the binding (an install with --ignore-scripts, as in the container
 * image) that is a one-line configuration error, not a stack trace.
 */
function loadSqlite(): typeof Database {
  try {
    return createRequire(import.meta.url)('better-sqlite3') as typeof Database
  } catch (err) {
    throw new ConfigError(
      `--data-dir needs better-sqlite3's native binding, which this installation lacks ` +
        `(npm install --ignore-scripts skips building it, as in the container image): ${firstLine(err)}`,
    )
  }
}

/**
 * Callback deliveries, so that pending ones resume after a restart. A delivery goes on when its
 * record cannot be written (a full disk): a callback is never held back by the mock's own disk,
 * though one scheduled then does not survive a restart before space returns.
 */
export class SqliteCallbackJournal implements CallbackJournal {
  constructor(
    private readonly db: Database.Database,
    private readonly health: StorageHealth,
  ) {}

  /** Records a callback delivery's state and when it is next due. */
  save(entry: JournalledCallback): void {
    this.health.tryWrite('callback record', () => {
      prepared(
        this.db,
        'INSERT OR REPLACE INTO callbacks (id, tenant, state, json) VALUES (?, ?, ?, ?)',
      ).run(entry.delivery.id, entry.delivery.tenant, entry.delivery.state, JSON.stringify(entry))
    })
  }

  /** Deliveries still scheduled or retrying, to schedule again at start. */
  pending(): JournalledCallback[] {
    return prepared<[], { json: string }>(
      this.db,
      "SELECT json FROM callbacks WHERE state IN ('scheduled', 'retrying') ORDER BY rowid",
    )
      .all()
      .map((r) => JSON.parse(r.json) as JournalledCallback)
  }

  /** Forgets recorded deliveries (of one tenant), on reset. */
  clear(tenant?: string): void {
    this.health.tryWrite('callback records reset', () => {
      if (tenant === undefined) prepared(this.db, 'DELETE FROM callbacks').run()
      else prepared(this.db, 'DELETE FROM callbacks WHERE tenant = ?').run(tenant)
    })
  }
}

/** The admin settings, rewritten on every change (a failed write throws a StorageError). */
export class SqliteSettings implements SettingsStore {
  constructor(
    private readonly db: Database.Database,
    private readonly health: StorageHealth,
  ) {}

  /** The admin settings saved last, if any. */
  loadSettings(): SettingsSnapshot | undefined {
    const row = prepared<[], { json: string }>(
      this.db,
      "SELECT json FROM settings WHERE name = 'tenants'",
    ).get()
    return row && (JSON.parse(row.json) as SettingsSnapshot)
  }

  /** Replaces the saved admin settings. */
  saveSettings(settings: SettingsSnapshot): void {
    this.health.write(() =>
      prepared(this.db, "INSERT OR REPLACE INTO settings (name, json) VALUES ('tenants', ?)").run(
        JSON.stringify(settings),
      ),
    )
  }
}
