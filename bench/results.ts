/**
 * What one run of `npm run bench` measured (kept in bench/results.json; a section not run keeps
 * its last figures), and the small statistics the report takes of it.
 */
import type { FlowResult } from './full-flows.js'
import type { Measure } from './measure.js'
import type { Abuse, FlowMemory, Startup } from './memory.js'
import type { OpResults } from './ops.js'
import type { ProfileSummary } from './profile-summary.js'
import type { ReplicaRun } from './replicas.js'

/** Everything one run measured. */
export interface Results {
  date: string
  machine: string
  /** Load averages (1, 5, 15 min) at the start and the end of the run. */
  load: { start: number[]; end: number[] }
  rounds: number
  seconds: number
  /** Peers skipped, one line each. */
  skipped: string[]
  flows: FlowResult[]
  ops: OpResults
  startup: Startup[]
  flowMemory?: FlowMemory
  /** The same flows on the floor's least work, which keeps images within the same budget. */
  floorMemory?: FlowMemory
  abuse: Abuse[]
  profile?: { flowsPerSec: number; cpuMs: number; summary: ProfileSummary }
  /** Flows with 1, 2 and 3 replicas on one Redis (bench/replicas.ts), or why not run. */
  replicas?: { runs: ReplicaRun[]; skipped?: string }
}

/** The median of some numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2
}

/** A target's flows, found by name. */
export const flowsOf = (r: Results, name: string) => r.flows.find((f) => f.name === name)

/**
 * Round-by-round ratios of a figure of `a` to that of `b`: both were measured in the same round,
 * minutes apart at most, so the ratio shrugs off a machine that got busier between rounds.
 */
export function ratios(a: Measure[], b: Measure[], pick: (m: Measure) => number): number[] {
  const n = Math.min(a.length, b.length)
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const [x, y] = [a[i], b[i]]
    if (x && y && pick(y) > 0) out.push(pick(x) / pick(y))
  }
  return out
}

/** The median of a figure over rounds. */
export const med = (ms: Measure[] | undefined, pick: (m: Measure) => number) =>
  median((ms ?? []).map(pick))

/** The highest RSS a target reached over its rounds. */
export const peakRss = (ms: Measure[] | undefined) =>
  Math.max(0, ...(ms ?? []).map((m) => m.peakRssMb))

/** Formats: a whole number with separators; a range "a–b"; a percentage. */
export const n0 = (x: number) => Math.round(x).toLocaleString('en-US')
export const n1 = (x: number) => (x >= 100 ? n0(x) : x.toFixed(1))
export const pct = (x: number) => `${String(Math.round(x * 100))} %`
export function span(xs: number[], f: (x: number) => string = n1): string {
  if (xs.length === 0) return '—'
  const [lo, hi] = [Math.min(...xs), Math.max(...xs)]
  return f(lo) === f(hi) ? f(lo) : `${f(lo)}–${f(hi)}`
}
