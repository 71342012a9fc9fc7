/**
 * @module The journal and its violations in Redis: a capped stream (`journal`) that
 * every replica appends to and reads, so each shows the same entries. An entry is the compact
 * record of one exchange as JSON; the admin API reads the stream and filters it as one process
 * filters its ring. `journal:n` counts entries ever added: those no longer in the stream were
 * dropped. Clearing violations keeps the entries: their ids are remembered (`journal:nv`). The
 * violations of the entries trimmed away stay counted in `journal:dv` (field `code\ntenant`),
 * as one process counts them.
 */
import type { Redis } from 'ioredis'
import { Journal, queryRecords, violationGroups } from '../journal/journal.js'
import type {
  DroppedViolations,
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

/**
 * Appends an entry and trims the stream to its bound, counting the violations of what it trims.
 * ARGV: the stream, the bound, the record's JSON, and '' or its violations as `id\ntenant\ncodes`
 * (a stream field of their own, so that a trim reads them without decoding the record).
 */
const ADD = `
local s, max = ARGV[1], tonumber(ARGV[2])
local function count(v)
  local id, tenant, codes = string.match(v, '^([^\\n]*)\\n([^\\n]*)\\n(.*)$')
  -- violations cleared since are not counted
  if not id or redis.call('SREM', s .. ':nv', id) == 1 then return end
  for code in string.gmatch(codes, '%S+') do
    redis.call('HINCRBY', s .. ':dv', code .. '\\n' .. tenant, 1)
  end
end
redis.call('INCR', s .. ':n')
if max <= 0 then
  if ARGV[4] ~= '' then count(ARGV[4]) end
  return
end
local over = redis.call('XLEN', s) + 1 - max
if over > 0 then
  for _, row in ipairs(redis.call('XRANGE', s, '-', '+', 'COUNT', over)) do
    local f = row[2]
    for i = 1, #f, 2 do
      if f[i] == 'v' then count(f[i + 1]) end
    end
  end
  redis.call('XTRIM', s, 'MAXLEN', max - 1)
end
if ARGV[4] ~= '' then
  redis.call('XADD', s, '*', 'r', ARGV[3], 'v', ARGV[4])
else
  redis.call('XADD', s, '*', 'r', ARGV[3])
end
`

/** Empties the stream (ARGV[1]) and takes what it held off the count of entries ever added. */
const CLEAR = `
local s = ARGV[1]
redis.call('DECRBY', s .. ':n', redis.call('XLEN', s))
redis.call('DEL', s, s .. ':nv', s .. ':dv')
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
    redis.defineCommand('jm_journal_add', { numberOfKeys: 0, lua: ADD })
  }

  /** Appends an entry; a request is not failed for its journal entry (logged instead). */
  override add(entry: JournalRecord): void {
    const { violations: v } = entry
    const carried =
      v.length > 0 ? `${entry.id}\n${entry.tenant}\n${v.map((x) => x.code).join(' ')}` : ''
    const add = (this.redis as unknown as { jm_journal_add: (...a: unknown[]) => Promise<unknown> })
      .jm_journal_add
    add
      .call(this.redis, STREAM, this.max, this.max > 0 ? JSON.stringify(entry) : '', carried)
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

  /** The records, and the violations of those trimmed away (tenant, code, count). */
  private async records(): Promise<{ records: JournalRecord[]; dropped: DroppedViolations }> {
    const [rows, cleared, n, counted] = (await this.redis
      .multi()
      .xrange(STREAM, '-', '+')
      .smembers(`${STREAM}:nv`)
      .get(`${STREAM}:n`)
      .hgetall(`${STREAM}:dv`)
      .exec()) as [
      [null, [string, string[]][]],
      [null, string[]],
      [null, string | null],
      [null, Record<string, string>],
    ]
    const noViolations = new Set(cleared[1])
    this.dropped = Math.max(0, Number(n[1] ?? 0) - rows[1].length)
    const records = rows[1].map(([, fields]) => {
      const r = JSON.parse(fields[1] ?? '{}') as JournalRecord
      if (noViolations.has(r.id)) r.violations = []
      return r
    })
    const dropped = Object.entries(counted[1]).map(([field, count]) => {
      const [code = '', tenant = ''] = field.split('\n')
      return [tenant, code, Number(count)] as const
    })
    return { records, dropped }
  }

  override async query(q: JournalQuery): Promise<{ total: number; entries: JournalEntry[] }> {
    return queryRecords((await this.records()).records, q)
  }

  override async violations(tenant?: string): Promise<ViolationGroup[]> {
    const { records, dropped } = await this.records()
    return violationGroups(records, tenant, dropped)
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
    if (ids.length > 0) {
      // the entries added ever, less those cleared: the rest not in the stream were dropped
      const cleared = await this.redis.xdel(STREAM, ...ids)
      await this.redis.decrby(`${STREAM}:n`, cleared)
    }
    // last: the tenant's entries that other replicas' appends trimmed meanwhile were counted
    await this.forgetTrimmed(tenant)
  }

  override async clearViolations(tenant?: string): Promise<void> {
    const ids = (await this.records()).records
      .filter((r) => r.violations.length > 0 && (tenant === undefined || r.tenant === tenant))
      .map((r) => r.id)
    if (ids.length > 0) await this.redis.sadd(`${STREAM}:nv`, ...ids)
    // last, as in clear()
    await this.forgetTrimmed(tenant)
  }

  /** Forgets the counted violations of trimmed entries (of one tenant). */
  private async forgetTrimmed(tenant: string | undefined): Promise<void> {
    const key = `${STREAM}:dv`
    if (tenant === undefined) {
      await this.redis.del(key)
      return
    }
    const fields = (await this.redis.hkeys(key)).filter((f) => f.endsWith(`\n${tenant}`))
    if (fields.length > 0) await this.redis.hdel(key, ...fields)
  }
}
