/**
 * @module Id source. Production uses random UUIDs; tests and seeded runs use a deterministic
 * sequence so that the same inputs give the same bytes.
 */
import { createHash, randomUUID } from 'node:crypto'

/** Produces the ids of accounts, workflow executions, credentials, parts and capabilities. */
export type IdSource = () => string

/** Random v4 UUIDs, as Jumio issues them. */
export const randomIds: IdSource = () => randomUUID()

/** A deterministic UUID-shaped sequence derived from a seed. */
export function seededIds(seed: string): IdSource {
  let n = 0
  return () => {
    const hex = createHash('sha256').update(`${seed}:${n++}`).digest('hex')
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
  }
}
