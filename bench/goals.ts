/**
 * The six performance goals and the two abuse memory figures, judged on one run's figures: what was
 * measured, the target, met or missed, and, where the floor ladder speaks to it, what the best
 * floor of the same run reaches (a goal the floor misses too is out of reach on this stack).
 */
import { OPERATIONS } from './ops.js'
import type { Measure } from './measure.js'
import type { Results } from './results.js'
import { flowsOf, med, median, n0, n1, pct, peakRss, ratios, span } from './results.js'

/** One row of the goals table. */
export interface Goal {
  goal: string
  target: string
  measured: string
  /** null: not measured in this run. */
  met: boolean | null
  floor: string
}

export const MOCK = 'jumio-mock'
export const DURABLE = 'jumio-mock --data-dir'
export const MOCK_TLS = 'jumio-mock --tls'
export const FLOOR = 'floor: node'
/** The floor level measured on single operations: the least work, with the mock's heap settings. */
export const OPS_FLOOR = 'heap'
/** The floor that does a mock's whole least work in memory at its cheapest. */
export const BEST = 'floor: work + indexof'

const perSec = (m: { perSec: number }) => m.perSec
const cpu = (m: { cpuMs: number }) => m.cpuMs

function fullFlows(r: Results): Goal {
  const [mock, floor, best] = [flowsOf(r, MOCK), flowsOf(r, FLOOR), flowsOf(r, BEST)]
  const share = ratios(mock?.rounds ?? [], floor?.rounds ?? [], perSec)
  const bestShare = ratios(best?.rounds ?? [], floor?.rounds ?? [], perSec)
  const ms = med(mock?.rounds, cpu)
  // the steadier reading on a shared host: the floor's CPU a flow over the mock's
  const byCpu = median(ratios(floor?.rounds ?? [], mock?.rounds ?? [], cpu))
  return {
    goal: '1. Full flows against the bare `node:http` floor',
    target: '≥ 50 % of its flows/s, ≤ 3 ms server CPU a flow',
    measured: `${span(share, pct)} (median ${pct(median(share))}; by CPU a flow ${pct(byCpu)}); ${n1(ms)} ms a flow`,
    met: mock && floor ? median(share) >= 0.5 && ms <= 3 : null,
    floor: best
      ? `least work: ${span(bestShare, pct)}, ${n1(med(best.rounds, cpu))} ms a flow`
      : '—',
  }
}

function peers(r: Results): Goal {
  const [mock, wm, best] = [flowsOf(r, MOCK), flowsOf(r, 'WireMock'), flowsOf(r, BEST)]
  const target = '≥ 10× its flows/s at ≤ 1/10 of its RSS'
  if (!wm || !mock)
    return {
      goal: '2. Against WireMock',
      target,
      measured: 'WireMock not run',
      met: null,
      floor: '—',
    }
  const times = ratios(mock.rounds, wm.rounds, perSec)
  const rss = peakRss(mock.rounds) / peakRss(wm.rounds)
  const bestTimes = best ? ratios(best.rounds, wm.rounds, perSec) : []
  return {
    goal: '2. Against WireMock',
    target,
    measured: `${span(times, (x) => `${x.toFixed(1)}×`)} the flows/s; ${pct(rss)} of its RSS`,
    met: median(times) >= 10 && rss <= 0.1,
    floor: best
      ? `least work: ${span(bestTimes, (x) => `${x.toFixed(1)}×`)}, ${pct(peakRss(best.rounds) / peakRss(wm.rounds))} of its RSS`
      : '—',
  }
}

function operations(r: Results): Goal {
  const mock = r.ops[MOCK]
  const wm = r.ops['WireMock']
  const target = 'each at least as fast as WireMock'
  if (!mock || !wm)
    return { goal: '3. Single operations', target, measured: 'not run', met: null, floor: '—' }
  const slowerThanWireMock = (ops: Partial<Record<string, Measure[]>>) => {
    const slower = OPERATIONS.map((op) => ({
      op,
      x: median(ratios(ops[op] ?? [], wm[op] ?? [], perSec)),
    })).filter((o) => o.x < 1)
    return slower.length === 0
      ? `all ${String(OPERATIONS.length)} at least as fast`
      : `slower: ${slower.map((o) => `${o.op} (${pct(o.x)})`).join(', ')}`
  }
  const measured = slowerThanWireMock(mock)
  const floor = r.ops[`floor: ${OPS_FLOOR}`]
  return {
    goal: '3. Single operations',
    target,
    measured,
    met: measured.startsWith('all'),
    floor: floor ? `least work: ${slowerThanWireMock(floor)}` : '—',
  }
}

function startup(r: Results): Goal {
  const mock = r.startup.find((s) => s.name === MOCK)
  const bare = r.startup.find((s) => s.name === 'bare node:http')
  const hono = r.startup.find((s) => s.name === 'Hono on @hono/node-server')
  const target = 'healthy in ≤ 200 ms (median), idle RSS ≤ 60 MB'
  if (!mock)
    return {
      goal: '4. Start-up and idle memory',
      target,
      measured: 'not run',
      met: null,
      floor: '—',
    }
  const [ms, rss] = [median(mock.readyMs), median(mock.idleRssMb)]
  const floor = [bare, hono]
    .filter((s) => s !== undefined)
    .map((s) => `${s.name}: ${n0(median(s.readyMs))} ms, ${n0(median(s.idleRssMb))} MB`)
  return {
    goal: '4. Start-up and idle memory',
    target,
    measured: `${n0(ms)} ms, ${n0(rss)} MB`,
    met: ms <= 200 && rss <= 60,
    floor: floor.join('; ') || '—',
  }
}

function memory(r: Results): Goal {
  const m = r.flowMemory
  const target = '100,000 flows within `--max-image-bytes` + 100 MB'
  if (!m)
    return { goal: '5. Memory under flows', target, measured: 'not run', met: null, floor: '—' }
  const limit = m.maxImageBytes / 1024 / 1024 + 100
  const peak = m.measure.peakRssMb
  const full = m.flows >= 100_000
  return {
    goal: '5. Memory under flows',
    target,
    measured: `peak ${n0(peak)} MB after ${n0(m.flows)} flows (limit ${n0(limit)} MB)${full ? '' : '; 100,000 with `--full`'}`,
    met: full ? peak <= limit : peak > limit ? false : null,
    floor: r.floorMemory
      ? `least work: peak ${n0(r.floorMemory.measure.peakRssMb)} MB after ${n0(r.floorMemory.flows)} flows`
      : '—',
  }
}

function durable(r: Results): Goal {
  const [mem, disk] = [flowsOf(r, MOCK), flowsOf(r, DURABLE)]
  const share = ratios(disk?.rounds ?? [], mem?.rounds ?? [], perSec)
  // each way to write, against the in-memory floor with the same V8 settings
  const heap = flowsOf(r, 'floor: heap')
  const ways = [
    ['', 'fsync a write'],
    [' + group', 'group commit'],
    [' + normal', 'no fsync'],
    [' + files', 'image files'],
    [' + walsync', 'log synced off the event loop'],
  ].flatMap(([variant, name]) => {
    const d = flowsOf(r, `floor: durable${variant ?? ''}`)
    return d && heap ? [`${name ?? ''}: ${span(ratios(d.rounds, heap.rounds, perSec), pct)}`] : []
  })
  return {
    goal: '6. Durable mode (`--data-dir`)',
    target: '≥ 50 % of the in-memory flows/s',
    measured: mem && disk ? `${span(share, pct)} (median ${pct(median(share))})` : 'not run',
    met: mem && disk ? median(share) >= 0.5 : null,
    floor: ways.join('; ') || '—',
  }
}

function abuse(r: Results, what: string, goal: string): Goal {
  const a = r.abuse.find((x) => x.what === what)
  const target = 'RSS within 30 MB of the idle baseline'
  if (!a) return { goal, target, measured: 'not run', met: null, floor: '—' }
  // judged on what stays once V8 has collected (a leak stays); the figure a second after is shown
  const settled = (a.settledRssMb ?? a.afterRssMb) - a.idleRssMb
  const after = a.afterRssMb - a.idleRssMb
  return {
    goal,
    target,
    measured: `${signed(settled)} MB once idle (${n0(a.idleRssMb)} → ${n0(a.settledRssMb ?? a.afterRssMb)}); ${signed(after)} MB a second after`,
    met: settled <= 30,
    floor: '—',
  }
}

/** Every goal, judged. */
export function goals(r: Results): Goal[] {
  return [
    fullFlows(r),
    peers(r),
    operations(r),
    startup(r),
    memory(r),
    durable(r),
    abuse(r, 'new tenant each', 'Abuse: 100,000 requests, each a new tenant'),
    abuse(r, '50 MB JSON bodies', 'Abuse: 50 refused 50 MB JSON bodies'),
  ]
}

function signed(mb: number): string {
  return `${mb >= 0 ? '+' : ''}${n0(mb)}`
}
