/**
 * @module What a replica takes from the cluster when it joins: the secret every replica signs
 * tokens with, and, with `--seed`, the sequence of ids it draws. Replicas seeded alike must not
 * make the same ids, so each draws its own, salted by the order it joined (the first draws the
 * sequence one process draws): a seeded cluster started and driven alike gives the same ids run
 * after run. A Redis that comes back without its data (no persistence) has forgotten both: each
 * replica then joins again, offering the secret it has, so that every replica, those started
 * since included, signs with one secret again and no two draw the same ids.
 */
import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import { randomIds, seededIds } from '../domain/ids.js'
import type { IdSource } from '../domain/ids.js'
import { PREFIX } from './link.js'

const SECRET = `${PREFIX}token-secret`
/** How many replicas joined so far; gone with the rest of the data when Redis lost it. */
const JOINED = `${PREFIX}replicas`

/** This replica's secret and id sequence, as the cluster gave them. */
export class ReplicaIdentity {
  private source: IdSource = randomIds
  /** The token secret: `--token-secret`, else the one the first replica stored. */
  secret: Uint8Array = new Uint8Array()

  constructor(
    private readonly redis: Redis,
    private readonly seed: string | null,
    private readonly given: string | null,
  ) {}

  /** The ids this replica makes (the sequence may change when it joins again). */
  readonly ids: IdSource = () => this.source()

  /** Joins: takes a place in the order of joining, and the shared secret (offering its own). */
  async join(): Promise<void> {
    const joined = await this.redis.incr(JOINED)
    if (this.seed !== null) {
      this.source = seededIds(joined === 1 ? this.seed : `${this.seed}:${String(joined)}`)
    }
    if (this.given !== null) {
      this.secret = Buffer.from(this.given)
      return
    }
    const offered = this.secret.length > 0 ? Buffer.from(this.secret) : randomBytes(64)
    await this.redis.set(SECRET, offered.toString('base64'), 'NX')
    this.secret = Buffer.from((await this.redis.get(SECRET)) ?? '', 'base64')
  }

  /** After a reconnection: joins again when Redis lost its data; true when the secret changed. */
  async rejoinIfLost(): Promise<boolean> {
    if ((await this.redis.exists(JOINED)) === 1) return false
    const before = Buffer.from(this.secret)
    await this.join()
    return !before.equals(this.secret)
  }
}
