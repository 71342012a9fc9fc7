/**
 * Turns a run's figures into the generated section of docs/benchmarks.md: goals, full flows with
 * the peers, the floor ladder, single operations, start-up, memory, abuse and the profile.
 */
import { FLOOR_LEVELS, FLOOR_VARIANTS } from './floor-levels.js'
import { DURABLE, FLOOR, MOCK, OPS_FLOOR, goals } from './goals.js'
import type { Measure } from './measure.js'
import { OPERATIONS } from './ops.js'
import type { Operation } from './ops.js'
import type { Results } from './results.js'
import { flowsOf, med, median, n0, n1, pct, peakRss, ratios, span } from './results.js'

const mark = (met: boolean | null) => (met === null ? '—' : met ? '✅ met' : '❌ missed')
const perSec = (m: { perSec: number }) => m.perSec
const cpu = (m: { cpuMs: number }) => m.cpuMs

function goalsTable(r: Results): string[] {
  return [
    '| Goal | Target | Measured | | Floor of the same run |',
    '| --- | --- | --- | --- | --- |',
    ...goals(r).map(
      (g) => `| ${g.goal} | ${g.target} | ${g.measured} | ${mark(g.met)} | ${g.floor} |`,
    ),
  ]
}

function flowRow(r: Results, name: string, label = name): string {
  const f = flowsOf(r, name)
  if (!f) return `| ${label} | not run | | | | | | |`
  const failed = f.rounds.reduce((n, m) => n + m.failed, 0)
  return (
    `| ${label} | ${span(f.rounds.map(perSec))} | ${span(f.rounds.map(cpu))} | ${n0(f.readyMs)} ms | ` +
    `${n0(f.idleRssMb)} MB | ${n0(peakRss(f.rounds))} MB | ${String(failed)} | ` +
    `${span(
      f.rounds.map((m) => m.otherCores),
      (x) => x.toFixed(1),
    )} |`
  )
}

function flowsTable(r: Results): string[] {
  return [
    '| Target | Flows/s | Server CPU a flow (ms) | Ready | Idle RSS | Peak RSS | Failed flows | Other load (cores) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    flowRow(r, MOCK, 'jumio-mock (`dist/main.js --processing-delay 0`)'),
    flowRow(r, DURABLE, 'jumio-mock, the same with `--data-dir`'),
    flowRow(r, 'WireMock', 'WireMock, static stubs (JVM defaults)'),
    flowRow(r, 'Prism', 'Prism on `contracts/jumio.openapi.yaml` (one round)'),
    flowRow(r, FLOOR, 'bare `node:http` floor (reads bodies, fixed JSON)'),
  ]
}

function ladderTable(r: Results): string[] {
  const base = flowsOf(r, FLOOR)
  const rows = [
    ...FLOOR_LEVELS.map(([level, label]) => [`floor: ${level}`, label] as const),
    ...FLOOR_VARIANTS.map(
      ([level, variant, label]) => [`floor: ${level} + ${variant}`, label] as const,
    ),
    [MOCK, 'jumio-mock, for comparison'] as const,
  ]
  let previous: number | undefined
  return [
    '| Level | Flows/s | vs bare `node:http` | Server CPU a flow (ms) | Added by the level (ms) | Peak RSS |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(([name, label], i) => {
      const f = flowsOf(r, name)
      if (!f) return `| ${label} | not run | | | | |`
      const ms = med(f.rounds, cpu)
      const delta = previous === undefined ? 0 : ms - previous
      const added =
        i > 0 && i < FLOOR_LEVELS.length ? `${delta < 0 ? '−' : '+'}${n1(Math.abs(delta))}` : ''
      if (i < FLOOR_LEVELS.length) previous = ms
      const share = base ? span(ratios(f.rounds, base.rounds, perSec), pct) : '—'
      return `| ${label} | ${span(f.rounds.map(perSec))} | ${share} | ${n1(ms)} | ${added} | ${n0(peakRss(f.rounds))} MB |`
    }),
  ]
}

function opsTable(r: Results): string[] {
  const mock = r.ops[MOCK]
  const wm = r.ops['WireMock']
  const floor = r.ops[`floor: ${OPS_FLOOR}`]
  if (!mock) return ['Not run.']
  const us = (ms: number) => n0(ms * 1000)
  const rate = (ms: Measure[] | undefined) => (ms?.length ? span(ms.map(perSec), n0) : '—')
  const vsWireMock = (ms: Measure[] | undefined, op: Operation) => {
    const x = ratios(ms ?? [], wm?.[op] ?? [], perSec)
    return x.length ? span(x, pct) : '—'
  }
  const cpuOf = (ms: Measure[] | undefined) => (ms?.length ? us(med(ms, cpu)) : '—')
  return [
    '| Operation | jumio-mock requests/s | WireMock requests/s | least-work floor requests/s | jumio-mock / WireMock | floor / WireMock | CPU a request (µs): mock / WireMock / floor |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...OPERATIONS.map((op) => {
      const [a, b, f] = [mock[op], wm?.[op], floor?.[op]]
      return (
        `| ${op} | ${rate(a)} | ${rate(b)} | ${rate(f)} | ${vsWireMock(a, op)} | ${vsWireMock(f, op)} | ` +
        `${cpuOf(a)} / ${cpuOf(b)} / ${cpuOf(f)} |`
      )
    }),
  ]
}

function startupTable(r: Results): string[] {
  return [
    '| Server | Spawn to healthy, median (range) | Idle RSS, median |',
    '| --- | ---: | ---: |',
    ...r.startup.map(
      (s) =>
        `| ${s.name} | ${n0(median(s.readyMs))} ms (${span(s.readyMs, n0)}) | ${n0(median(s.idleRssMb))} MB |`,
    ),
  ]
}

function memoryText(r: Results): string[] {
  const m = r.flowMemory
  if (!m) return ['Not run.']
  const x = m.measure
  return [
    `A mock with the default image budget (\`--max-image-bytes\` ${n0(m.maxImageBytes)}, ${n0(m.maxImageBytes / 1024 / 1024)} MiB)`,
    `and the bench's processing delay of 0, 8 concurrent flows:`,
    `${n0(m.flows)} flows in ${n0(x.seconds)} s (${String(x.failed)} failed); RSS ${n0(m.idleRssMb)} MB idle,`,
    `peak ${n0(x.peakRssMb)} MB, ${n0(x.rssMb)} MB at the end; limit ${n0(m.maxImageBytes / 1024 / 1024 + 100)} MB.`,
    ...floorMemoryText(r),
  ]
}

function floorMemoryText(r: Results): string[] {
  const f = r.floorMemory
  if (!f) return []
  const x = f.measure
  return [
    `The floor's least work (its images kept as they arrived, within the same budget, the mock's`,
    `heap settings), the same flows: RSS ${n0(f.idleRssMb)} MB idle, peak ${n0(x.peakRssMb)} MB, ${n0(x.rssMb)} MB at the end.`,
  ]
}

function replicasText(r: Results): string[] {
  const x = r.replicas
  if (!x) return ['Not run.']
  if (x.skipped) return [x.skipped]
  const cores = (n: number) => n.toFixed(2)
  return [
    "`bench/replicas.ts`: the load test's flow (create, three small PNG uploads, finalize, status,",
    'details, one access token) on 24 loops, through a round-robin balancer in the bench process,',
    'to replicas on one Redis; CPU in cores busy (1.00 is one core).',
    '',
    '| Replicas | Flows/s | CPU of each replica | Redis | Load and balancer |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...x.runs.map(
      (run) =>
        `| ${String(run.replicas)} | ${n1(run.flowsPerSecond)} | ${run.cpu.replicas.map(cores).join(', ')} | ` +
        `${cores(run.cpu.redis)} | ${cores(run.cpu.loadAndBalancer)} |`,
    ),
  ]
}

function abuseTable(r: Results): string[] {
  return [
    '| Abuse | Requests | Answers | Time | RSS idle → 1 s after → once idle | Change once idle |',
    '| --- | ---: | --- | ---: | ---: | ---: |',
    ...r.abuse.map((a) => {
      const answers = Object.entries(a.statuses)
        .map(([s, n]) => `${n0(n)} × ${s === '0' ? 'no answer' : s}`)
        .join(', ')
      const settled = a.settledRssMb ?? a.afterRssMb
      const d = settled - a.idleRssMb
      return `| ${a.what} | ${n0(a.requests)} | ${answers} | ${n1(a.seconds)} s | ${n0(a.idleRssMb)} → ${n0(a.afterRssMb)} → ${n0(settled)} MB | ${d >= 0 ? '+' : ''}${n0(d)} MB |`
    }),
  ]
}

function profileTable(r: Results): string[] {
  const p = r.profile
  if (!p) return ['Not run.']
  const esc = (name: string) => name.replace(/\|/g, '\\|')
  const rows = (shares: { name: string; self: number; inclusive: number }[], n: number) =>
    shares.slice(0, n).map((g) => `| ${esc(g.name)} | ${pct(g.self)} | ${pct(g.inclusive)} |`)
  const { busy, samples } = p.summary
  return [
    `The mock (tsc's unbundled output, same code as \`dist/main.js\`) under 8 concurrent flows with`,
    `\`--cpu-prof\`: ${n1(p.flowsPerSec)} flows/s, ${n1(p.cpuMs)} ms of CPU a flow; its main thread was busy in`,
    `${pct(busy / Math.max(1, samples))} of the samples. Shares of the busy samples, by where the code lives and by function:`,
    '',
    '| Where | Self | Inclusive |',
    '| --- | ---: | ---: |',
    ...rows(p.summary.groups, 16),
    '',
    '| Function | Self | Inclusive |',
    '| --- | ---: | ---: |',
    ...rows(p.summary.functions, 12),
  ]
}

/** The generated part of docs/benchmarks.md. */
export function report(r: Results): string {
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(', ')
  const others = r.flows.flatMap((f) => f.rounds.map((m) => m.otherCores))
  return [
    `Latest run: ${r.date} on ${r.machine}; ${String(r.rounds)} rounds of ${String(r.seconds)} s, 8 concurrent flows.`,
    `Load average ${load(r.load.start)} at the start, ${load(r.load.end)} at the end; other processes kept ` +
      `${span(others, (x) => x.toFixed(1))} cores busy during the flow rounds.`,
    ...(r.skipped.length ? ['', ...r.skipped.map((s) => `- ${s}`)] : []),
    '',
    '### Goals',
    '',
    ...goalsTable(r),
    '',
    '### Full flows',
    '',
    'Token, create (10011), FRONT and BACK photos of 1 MiB, FACE of 0.57 MiB, finalize, status;',
    'ranges over the rounds.',
    '',
    ...flowsTable(r),
    '',
    '### Floor ladder',
    '',
    ...ladderTable(r),
    '',
    '### Single operations',
    '',
    ...opsTable(r),
    '',
    '### Start-up',
    '',
    'Spawn to the first healthy answer, each kind started in turn. `--tls` serves HTTPS with a',
    'certificate it issues at each start, from a CA made by a first start that is not counted.',
    '',
    ...startupTable(r),
    '',
    '### Memory',
    '',
    ...memoryText(r),
    '',
    '### Abuse',
    '',
    ...abuseTable(r),
    '',
    '### Replicas',
    '',
    ...replicasText(r),
    '',
    '### Profile',
    '',
    ...profileTable(r),
  ].join('\n')
}
