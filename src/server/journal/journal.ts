/**
 * @module The request journal: every request and its response, with the violations it carried,
 * bounded in memory (oldest dropped first, counted), queried by the admin API. The violations of
 * a dropped entry stay counted, so that a long test run's verdict (`expectNoViolations`, `exec
 * --fail-on-violations`) never depends on --journal-size; a reset or a clear forgets them.
 */
import type { components } from '../contract/admin.gen.js'
import { journalBody, redactHeaders, redactJson } from './redact.js'
import { VIOLATIONS } from './violations.js'
import type { Violation } from './violations.js'

/** One journaled request and its response, as `GET /__admin/journal` shows it (admin contract). */
export type JournalEntry = components['schemas']['JournalEntry']

/**
 * What the journal keeps of one exchange: flat values and few objects. A record outlives many
 * young-generation collections, so every object in it is promoted and later swept by a full
 * one (with the full journal, the entries' object graphs cost a fifth of a status read's CPU,
 * measured). Headers are kept as one string, a JSON answer as its text; the entry the admin API
 * shows, redacted, is built when it is read ({@link toEntry}).
 */
export interface JournalRecord {
  id: string
  epochMs: number
  tenant: string
  method: string
  path: string
  hostFamily: string
  principal: string | undefined
  operationId: string | undefined
  scenario: string | undefined
  status: number
  durationMs: number
  violations: Violation[]
  /** `name: value` lines, as received and as answered. */
  requestHeaders: string
  responseHeaders: string
  requestContentType: string
  /** The body as text (JSON and forms up to a cap), or a summary of it. */
  requestBody: unknown
  /** The text of a JSON answer… */
  responseJson: string | undefined
  /** …or, for any other answer, its body or a summary. */
  responseBody: unknown
}

/**
 * `name: value` lines from Node's raw header list (name, value, …) or a `Headers`, as one flat
 * string (joined, not concatenated: a concatenation keeps a tree of string pieces alive).
 */
export function headerLines(headers: string[] | Headers): string {
  const lines: string[] = []
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2)
      lines.push(`${headers[i] ?? ''}: ${headers[i + 1] ?? ''}`)
  } else {
    headers.forEach((value, name) => lines.push(`${name}: ${value}`))
  }
  return lines.join('\n')
}

function* headerPairs(lines: string): Generator<[string, string]> {
  for (const line of lines.split('\n')) {
    const colon = line.indexOf(': ')
    if (colon > 0) yield [line.slice(0, colon).toLowerCase(), line.slice(colon + 2)]
  }
}

/** The entry the admin API shows for a record: times rendered, secrets redacted. */
export function toEntry(r: JournalRecord): JournalEntry {
  const requestBody =
    typeof r.requestBody === 'string'
      ? journalBody(r.requestBody, r.requestContentType)
      : r.requestBody
  const responseBody = r.responseJson === undefined ? r.responseBody : parseJson(r.responseJson)
  return {
    id: r.id,
    time: new Date(r.epochMs).toISOString(),
    epochMs: r.epochMs,
    tenant: r.tenant,
    method: r.method,
    path: r.path,
    hostFamily: r.hostFamily,
    ...(r.principal !== undefined && { principal: r.principal }),
    ...(r.operationId !== undefined && { operationId: r.operationId }),
    ...(r.scenario !== undefined && { scenario: r.scenario }),
    status: r.status,
    durationMs: r.durationMs,
    violations: r.violations,
    request: { headers: redactHeaders(headerPairs(r.requestHeaders)), body: requestBody },
    response: {
      headers: redactHeaders(headerPairs(r.responseHeaders)),
      body: redactJson(responseBody),
    },
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

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

/** How many violations of each code dropped entries carried: tenant, code, count. */
export type DroppedViolations = Iterable<readonly [string, string, number]>

/** The journal's fill. */
export interface JournalCounts {
  entries: number
  dropped: number
}

/** A bounded ring of journal entries. */
export class Journal {
  // A ring: adding is O(1) however full the journal is (this runs on every request).
  private ring: (JournalRecord | undefined)[] = []
  private next = 0
  private size = 0
  dropped = 0
  /** Violations of dropped entries, by tenant and code. */
  private droppedViolations = new Map<string, Map<string, number>>()

  constructor(private readonly capacity: number) {}

  /** How many entries it holds and how many it dropped, as the admin health shows them. */
  counts(): JournalCounts | Promise<JournalCounts> {
    return { entries: this.size, dropped: this.dropped }
  }

  /** Adds an entry, dropping the oldest beyond the capacity. */
  add(entry: JournalRecord): void {
    if (this.capacity <= 0) {
      this.drop(entry)
      return
    }
    if (this.size === this.capacity) this.drop(this.ring[this.next])
    else this.size += 1
    this.ring[this.next] = entry
    this.next = (this.next + 1) % this.capacity
  }

  private drop(entry: JournalRecord | undefined): void {
    this.dropped += 1
    if (!entry || entry.violations.length === 0) return
    const codes = this.droppedViolations.get(entry.tenant) ?? new Map<string, number>()
    for (const v of entry.violations) codes.set(v.code, (codes.get(v.code) ?? 0) + 1)
    this.droppedViolations.set(entry.tenant, codes)
  }

  private *droppedCounts(): Generator<readonly [string, string, number]> {
    for (const [tenant, codes] of this.droppedViolations) {
      for (const [code, count] of codes) yield [tenant, code, count]
    }
  }

  /** Entries, oldest first. */
  private get entries(): JournalRecord[] {
    const start = this.size < this.capacity ? 0 : this.next
    const out: JournalRecord[] = []
    for (let i = 0; i < this.size; i++) {
      const e = this.ring[(start + i) % this.capacity]
      if (e) out.push(e)
    }
    return out
  }

  private set entries(kept: JournalRecord[]) {
    this.ring = kept.slice(-this.capacity)
    this.size = this.ring.length
    this.next = this.size % Math.max(this.capacity, 1)
  }

  /** Matching entries, oldest first, paged (only the page is rendered). */
  query(
    q: JournalQuery,
  ):
    | { total: number; entries: JournalEntry[] }
    | Promise<{ total: number; entries: JournalEntry[] }> {
    return queryRecords(this.entries, q)
  }

  /** Violations grouped by code, with counts and up to three examples each. */
  violations(tenant?: string): ViolationGroup[] | Promise<ViolationGroup[]> {
    return violationGroups(this.entries, tenant, this.droppedCounts())
  }

  /** Forgets entries (of one tenant), and the violations of those dropped. */
  clear(tenant?: string): void | Promise<void> {
    this.entries = tenant === undefined ? [] : this.entries.filter((e) => e.tenant !== tenant)
    this.forgetDropped(tenant)
  }

  /** Forgets the violations on entries (of one tenant), keeping the entries. */
  clearViolations(tenant?: string): void | Promise<void> {
    for (const e of this.entries) if (tenant === undefined || e.tenant === tenant) e.violations = []
    this.forgetDropped(tenant)
  }

  private forgetDropped(tenant: string | undefined): void {
    if (tenant === undefined) this.droppedViolations.clear()
    else this.droppedViolations.delete(tenant)
  }
}

/** Matching records, oldest first, paged (only the page is rendered). */
export function queryRecords(
  records: JournalRecord[],
  q: JournalQuery,
): { total: number; entries: JournalEntry[] } {
  const matching = records.filter(
    (e) =>
      (q.tenant === undefined || e.tenant === q.tenant) &&
      (q.since === undefined || e.epochMs >= q.since) &&
      (q.account === undefined || e.path.includes(`/accounts/${q.account}`)) &&
      (q.operation === undefined || e.operationId === q.operation) &&
      (q.status === undefined || e.status === q.status) &&
      (q.hasViolations === undefined || e.violations.length > 0 === q.hasViolations),
  )
  const page = matching.slice(q.offset, q.offset + q.limit)
  return { total: matching.length, entries: page.map(toEntry) }
}

/**
 * Violations of the records grouped by code, with counts and up to three examples each; those of
 * dropped entries add to the counts (a code only they carried has no example).
 */
export function violationGroups(
  records: JournalRecord[],
  tenant: string | undefined,
  dropped: DroppedViolations,
): ViolationGroup[] {
  const groups = new Map<string, ViolationGroup>()
  for (const [t, code, count] of dropped) {
    if (tenant !== undefined && t !== tenant) continue
    const g = groups.get(code) ?? { code, section: sectionOf(code), count: 0, examples: [] }
    g.count += count
    groups.set(code, g)
  }
  for (const e of records) {
    if (tenant !== undefined && e.tenant !== tenant) continue
    for (const v of e.violations) {
      const g = groups.get(v.code) ?? { code: v.code, section: v.section, count: 0, examples: [] }
      g.count += 1
      if (g.examples.length < 3) {
        g.examples.push({
          entryId: e.id,
          time: new Date(e.epochMs).toISOString(),
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

function sectionOf(code: string): string {
  return (VIOLATIONS as Record<string, { section: string } | undefined>)[code]?.section ?? ''
}
