/**
 * @module Jumio's per-tenant rate limits, off by default ([D] jumio-reference §15, DOCS-RATE): token
 * requests 10 per second, account requests that start a transaction 5 per 5 seconds (tenants
 * created after March 2024), retrieval 75 per 5 seconds. Windows are fixed and on the tenant's
 * clock, so tests can move through them.
 */

/** A limit: at most `limit` requests per `windowMs`. */
interface Limit {
  limit: number
  windowMs: number
}

/** The families of Jumio's rate limits; each operation names its own (the contract's x-rate-limit). */
export type RateFamily = 'token' | 'account' | 'retrieval'

export const LIMITS: Record<RateFamily, Limit> = {
  token: { limit: 10, windowMs: 1000 },
  account: { limit: 5, windowMs: 5000 },
  retrieval: { limit: 75, windowMs: 5000 },
}

/** Windows kept at most: one per tenant and family that sent requests lately. */
const MAX_WINDOWS = 10_000

/**
 * Counts requests per tenant and family in fixed windows. Past MAX_WINDOWS the window unused
 * longest is dropped (its count starts over), so a flood of tenant names costs nothing lasting.
 */
export class RateLimiter {
  /** In order of last use, oldest first. */
  private readonly windows = new Map<string, { start: number; count: number }>()

  /**
   * Seconds to wait when the request is over its family's limit, else 0 (and the request is
   * counted); an operation of no family (the contract's x-rate-limit) is never limited.
   */
  take(tenant: string, family: RateFamily | undefined, now: number): number | Promise<number> {
    if (family === undefined) return 0
    const limit = LIMITS[family]
    const key = `${tenant}\u0000${family}`
    const start = now - (now % limit.windowMs)
    const w = this.windows.get(key)
    this.windows.delete(key)
    if (!w || w.start !== start) {
      this.windows.set(key, { start, count: 1 })
      if (this.windows.size > MAX_WINDOWS)
        this.windows.delete(this.windows.keys().next().value ?? '')
      return 0
    }
    this.windows.set(key, w)
    if (w.count >= limit.limit) return Math.max(1, Math.ceil((start + limit.windowMs - now) / 1000))
    w.count += 1
    return 0
  }

  /** Forgets the counts (of one tenant). */
  reset(tenant?: string): void | Promise<void> {
    for (const key of this.windows.keys()) {
      if (tenant === undefined || key.startsWith(`${tenant}\u0000`)) this.windows.delete(key)
    }
  }
}
