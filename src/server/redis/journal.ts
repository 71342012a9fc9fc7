/**
 * @module The journal and its violations in Redis: a capped stream (`journal`) that
 * every replica appends to and reads, so each shows the same entries. An entry is the compact
 * record of one exchange as JSON; the admin API reads the stream and filters it as one process
 * filters its ring. `journal:n` counts entries ever added: those no longer in the stream were
 * dropped. Clearing violations keeps the entries: their ids are remembered (`journal:nv`).
 */
import type { Redis } from 'ioredis'
import { Journal, queryRecords, violationGroups } from '../journal/journal.js'
import type {
  JournalCounts,
  JournalEntry,
  JournalQuery,
  JournalRecord,
  ViolationGroup,
} from '../journal/journal.js'
import type { Logger } from '../../logger.js'
import { firstLine } from '../../config.js'
import { PREFIX } from './link.js'

const STREAM = `${PREFIX}journal`

/** Empties the stream (ARGV[1]) and takes what it held off the count of entries ever added. */
const CLEAR = `
local s = ARGV[1]
redis.call('DECRBY', s .. ':n', redis.call('XLEN', s))
redis.call('DEL', s, s .. ':nv')
`

/** A journal every replica shares. */
export class RedisJournal extends Journal {
  private last: JournalCounts = { entries: 0, dropped: 0 }

  constructor(
    private readonly redis: Redis,
    private readonly max: number,
    private readonly log: Logger,
  ) {
    super(0)
    this.dropped = 0
  }

  /** Appends an entry; a request is not failed for its journal entry (logged instead). */
  override add(entry: JournalRecord): void {
    if (this.max <= 0) return
    this.redis
      .multi()
      .xadd(STREAM, 'MAXLEN', this.max, '*', 'r', JSON.stringify(entry))
      .incr(`${STREAM}:n`)
      .exec()
      .catch((err: unknown) => {
        this.log.warn('journal entry not stored', { error: firstLine(err) })
      })
  }

  /**
   * Read from Redis: what this replica saw last is not what the others added since. While Redis
   * cannot be reached, the counts read last (the health answers, and says DOWN).
   */
  override async counts(): Promise<JournalCounts> {
    try {
      const [len, n] = (await this.redis.multi().xlen(STREAM).get(`${STREAM}:n`).exec()) as [
        [null, number],
        [null, string | null],
      ]
      this.dropped = Math.max(0, Number(n[1] ?? 0) - len[1])
      this.last = { entries: len[1], dropped: this.dropped }
    } catch {
      // unreachable: the last counts
    }
    return this.last
  }

  private async records(): Promise<JournalRecord[]> {
    const [rows, cleared, n] = (await this.redis
      .multi()
      .xrange(STREAM, '-', '+')
      .smembers(`${STREAM}:nv`)
      .get(`${STREAM}:n`)
      .exec()) as [[null, [string, string[]][]], [null, string[]], [null, string | null]]
    const noViolations = new Set(cleared[1])
    this.dropped = Math.max(0, Number(n[1] ?? 0) - rows[1].length)
    return rows[1].map(([, fields]) => {
      const r = JSON.parse(fields[1] ?? '{}') as JournalRecord
      if (noViolations.has(r.id)) r.violations = []
      return r
    })
  }

  override async query(q: JournalQuery): Promise<{ total: number; entries: JournalEntry[] }> {
    return queryRecords(await this.records(), q)
  }

  override async violations(tenant?: string): Promise<ViolationGroup[]> {
    return violationGroups(await this.records(), tenant)
  }

  /** Forgets entries; what was dropped before stays counted, as in one process. */
  override async clear(tenant?: string): Promise<void> {
    if (tenant === undefined) {
      await this.redis.eval(CLEAR, 0, STREAM)
      return
    }
    const rows = await this.redis.xrange(STREAM, '-', '+')
    const ids = rows
      .filter(([, f]) => (JSON.parse(f[1] ?? '{}') as JournalRecord).tenant === tenant)
      .map(([id]) => id)
    if (ids.length === 0) return
    // the entries added ever, less those cleared: the rest that are not in the stream were dropped
    const cleared = await this.redis.xdel(STREAM, ...ids)
    await this.redis.decrby(`${STREAM}:n`, cleared)
  }

  override async clearViolations(tenant?: string): Promise<void> {
    const ids = (await this.records())
      .filter((r) => r.violations.length > 0 && (tenant === undefined || r.tenant === tenant))
      .map((r) => r.id)
    if (ids.length > 0) await this.redis.sadd(`${STREAM}:nv`, ...ids)
  }
}
