/**
 * @module The request journal: every request and its response, with the violations it carried,
 * bounded in memory (oldest dropped first, counted), queried by the admin API (issue 4).
 */
import type { components } from '../contract/admin.gen.js'

/** One journaled request and its response, as `GET /__admin/journal` shows it (admin contract). */
export type JournalEntry = components['schemas']['JournalEntry']

/** Filters of `GET /__admin/journal`. */
export interface JournalQuery {
  tenant?: string | undefined
  since?: number | undefined
  account?: string | undefined
  operation?: string | undefined
  status?: number | undefined
  hasViolations?: boolean | undefined
  offset: number
  limit: number
}

/** Violations grouped by code. */
export interface ViolationGroup {
  code: string
  section: string
  count: number
  examples: { entryId: string; time: string; method: string; path: string; message: string }[]
}

/** A bounded ring of journal entries. */
export class Journal {
  // A ring: adding is O(1) however full the journal is (this runs on every request).
  private ring: (JournalEntry | undefined)[] = []
  private next = 0
  private size = 0
  dropped = 0

  constructor(private readonly capacity: number) {}

  /** How many entries it holds. */
  get length(): number {
    return this.size
  }

  /** Adds an entry, dropping the oldest beyond the capacity. */
  add(entry: JournalEntry): void {
    if (this.capacity <= 0) {
      this.dropped += 1
      return
    }
    if (this.size === this.capacity) this.dropped += 1
    else this.size += 1
    this.ring[this.next] = entry
    this.next = (this.next + 1) % this.capacity
  }

  /** Entries, oldest first. */
  private get entries(): JournalEntry[] {
    const start = this.size < this.capacity ? 0 : this.next
    const out: JournalEntry[] = []
    for (let i = 0; i < this.size; i++) {
      const e = this.ring[(start + i) % this.capacity]
      if (e) out.push(e)
    }
    return out
  }

  private set entries(kept: JournalEntry[]) {
    this.ring = kept.slice(-this.capacity)
    this.size = this.ring.length
    this.next = this.size % Math.max(this.capacity, 1)
  }

  /** Matching entries, oldest first, paged. */
  query(q: JournalQuery): { total: number; entries: JournalEntry[] } {
    const matching = this.entries.filter(
      (e) =>
        (q.tenant === undefined || e.tenant === q.tenant) &&
        (q.since === undefined || e.epochMs >= q.since) &&
        (q.account === undefined || e.path.includes(`/accounts/${q.account}`)) &&
        (q.operation === undefined || e.operationId === q.operation) &&
        (q.status === undefined || e.status === q.status) &&
        (q.hasViolations === undefined || e.violations.length > 0 === q.hasViolations),
    )
    return { total: matching.length, entries: matching.slice(q.offset, q.offset + q.limit) }
  }

  /** Violations grouped by code, with counts and up to three examples each. */
  violations(tenant?: string): ViolationGroup[] {
    const groups = new Map<string, ViolationGroup>()
    for (const e of this.entries) {
      if (tenant !== undefined && e.tenant !== tenant) continue
      for (const v of e.violations) {
        const g = groups.get(v.code) ?? { code: v.code, section: v.section, count: 0, examples: [] }
        g.count += 1
        if (g.examples.length < 3) {
          g.examples.push({
            entryId: e.id,
            time: e.time,
            method: e.method,
            path: e.path,
            message: v.message,
          })
        }
        groups.set(v.code, g)
      }
    }
    return [...groups.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
  }

  /** Forgets entries (of one tenant). */
  clear(tenant?: string): void {
    this.entries = tenant === undefined ? [] : this.entries.filter((e) => e.tenant !== tenant)
  }

  /** Forgets the violations on entries (of one tenant), keeping the entries. */
  clearViolations(tenant?: string): void {
    for (const e of this.entries) if (tenant === undefined || e.tenant === tenant) e.violations = []
  }
}
