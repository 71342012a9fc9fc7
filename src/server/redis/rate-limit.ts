/**
 * @module Jumio's rate limits counted for the cluster: one counter per tenant, family
 * and fixed window in Redis, incremented atomically, so N replicas allow what one would. The
 * window is on the tenant's clock, as in one process; a counter lapses with its window.
 */
import type { Redis } from 'ioredis'
import { LIMITS, RateLimiter } from '../domain/rate-limit.js'
import type { RateFamily } from '../domain/rate-limit.js'
import { PREFIX } from './link.js'

/** Counts in Redis; a request over the limit is not counted. */
const TAKE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if n > tonumber(ARGV[1]) then redis.call('DECR', KEYS[1]) return 0 end
return 1
`

/** Rate limits shared by every replica. */
export class RedisRateLimiter extends RateLimiter {
  constructor(private readonly redis: Redis) {
    super()
    redis.defineCommand('jm_rate', { numberOfKeys: 1, lua: TAKE })
  }

  override async take(
    tenant: string,
    family: RateFamily | undefined,
    now: number,
  ): Promise<number> {
    if (family === undefined) return 0
    const { limit, windowMs } = LIMITS[family]
    const start = now - (now % windowMs)
    const key = `${PREFIX}rate:${tenant}\u0000${family}\u0000${start}`
    const take = (this.redis as unknown as Record<string, (...a: unknown[]) => Promise<number>>)[
      'jm_rate'
    ]
    if (!take) throw new Error('script not defined')
    // the key lives a window past its end on the real clock: a moved clock never reuses it early
    const ok = await take.call(this.redis, key, limit, 2 * windowMs)
    return ok === 1 ? 0 : Math.max(1, Math.ceil((start + windowMs - now) / 1000))
  }

  override async reset(tenant?: string): Promise<void> {
    // a tenant's name may hold the pattern's own characters (`*`, `?`, `[`, `\\`): escaped
    const own = tenant === undefined ? '' : `${tenant.replace(/[*?[\]\\]/g, '\\$&')}\u0000`
    const match = `${PREFIX}rate:${own}*`
    let cursor = '0'
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', match, 'COUNT', 500)
      if (keys.length > 0) await this.redis.del(...keys)
      cursor = next
    } while (cursor !== '0')
  }
}
