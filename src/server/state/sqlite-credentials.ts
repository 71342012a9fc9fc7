/**
 * @module Durable mode's API credentials: one row per credential created through the
 * admin API, its secrets as scrypt hashes only. Every change is one transaction through
 * {@link StorageHealth.write}: on a full disk it is refused (507) and nothing of it is kept.
 */
import type Database from 'better-sqlite3'
import type { ApiCredential, CredentialStore } from '../domain/credential-model.js'
import { prepared } from './sqlite-statements.js'
import type { StorageHealth } from './storage-health.js'

/** The created API credentials, in creation order. */
export class SqliteCredentials implements CredentialStore {
  constructor(
    private readonly db: Database.Database,
    private readonly health: StorageHealth,
  ) {}

  /** Every stored credential, oldest first. */
  loadCredentials(): ApiCredential[] {
    return prepared<[], { json: string }>(
      this.db,
      'SELECT json FROM api_credentials ORDER BY rowid',
    )
      .all()
      .map((r) => JSON.parse(r.json) as ApiCredential)
  }

  /** Writes a credential (in its place, when it exists) and forgets `forget`, all or nothing. */
  saveCredential(credential: ApiCredential, forget?: string): void {
    this.health.write(
      this.db.transaction(() => {
        if (forget !== undefined) {
          prepared(this.db, 'DELETE FROM api_credentials WHERE client_id = ?').run(forget)
        }
        // an upsert keeps the row, so the list keeps its order across a rotation
        prepared(
          this.db,
          `INSERT INTO api_credentials (client_id, tenant, json) VALUES (?, ?, ?)
           ON CONFLICT (client_id) DO UPDATE SET tenant = excluded.tenant, json = excluded.json`,
        ).run(credential.clientId, credential.tenant, JSON.stringify(credential))
      }),
    )
  }

  /** Forgets the credentials of a tenant, or all of them. */
  deleteCredentials(tenant?: string): void {
    this.health.write(() => {
      if (tenant === undefined) prepared(this.db, 'DELETE FROM api_credentials').run()
      else prepared(this.db, 'DELETE FROM api_credentials WHERE tenant = ?').run(tenant)
    })
  }
}
