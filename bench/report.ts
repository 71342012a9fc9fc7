/**
 * Turns a benchmark run's figures into the Markdown tables of docs/benchmarks.md, with each target
 * marked met or missed.
 */
import type { CannonResult } from './cannon.js'
import type { Row } from './throughput.js'
import { FLOOR_LEVELS } from './throughput.js'

/** Everything one run measured. */
export interface Results {
  date: string
  machine: string
  seconds: number
  throughput: Row[]
  /** bench/floor.ts against the same run's ceiling, at 50 connections. */
  floor: Row[]
  flows: { concurrency: number; flowsPerSec: number; failures: number }[]
  sizes: { bytes: number; result: CannonResult }[]
  inspect: { bytes: number; microseconds: number }[]
  startup: number[]
  memory: {
    flows: number
    rssMb: number
    evictions: number
    stored: number
    failures?: number
    seconds?: number
  }[]
}

const n0 = (x: number) => Math.round(x).toLocaleString('en-US')
const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)} %`)
const size = (b: number) =>
  b >= 1024 * 1024 ? `${String(b / 1024 / 1024)} MB` : `${String(b / 1024)} kB`
const mark = (ok: boolean) => (ok ? '✅ met' : '❌ missed')

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2
}

function throughputTable(r: Results): string[] {
  const lines = [
    '| Endpoint | Method | Connections | Requests/s | p50 (ms) | p99 (ms) | Non-2xx | vs ceiling | Server CPU (µs/request) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const row of r.throughput) {
    const x = row.result
    lines.push(
      `| ${row.name} | ${row.method} | ${String(row.connections)} | ${n0(x.rps)} | ${String(x.p50)} | ${String(x.p99)} | ${String(x.non2xx + x.errors)} | ${pct(row.ratio)} | ${row.cpuUs ? n0(row.cpuUs) : '—'} |`,
    )
  }
  return lines
}

function floorTable(r: Results): string[] {
  const row = (level: string, method: string) =>
    r.floor.find((f) => f.name === level && f.method === method)
  const cell = (f: Row | undefined) =>
    f ? `${n0(f.result.rps)} (${pct(f.ratio)}, ${n0(f.cpuUs)} µs)` : '—'
  return [
    '| Bare Hono app doing | GET /status: requests/s (vs ceiling, CPU/request) | POST /accounts: requests/s (vs ceiling, CPU/request) |',
    '| --- | ---: | ---: |',
    ...Object.entries(FLOOR_LEVELS).map(
      ([level, label]) => `| ${label} | ${cell(row(level, 'GET'))} | ${cell(row(level, 'POST'))} |`,
    ),
  ]
}

function targets(r: Results): string[] {
  const ratio = (name: string) =>
    r.throughput.find((t) => t.name === name && t.connections === 50)?.ratio ?? 0
  const floor = (method: string) => {
    const f = r.floor.find((x) => x.name === 'work' && x.method === method)
    return f ? ` (floor: ${pct(f.ratio)})` : ''
  }
  const start = median(r.startup)
  const last = r.memory[r.memory.length - 1]
  const at100k = r.memory.find((m) => m.flows >= 100_000)
  const inspect = r.inspect.map((i) => i.microseconds)
  const flat = inspect.length > 1 && Math.max(...inspect) < 3 * Math.min(...inspect)
  return [
    '| Target | Measured | |',
    '| --- | --- | --- |',
    `| Account creation ≥ 50 % of the ceiling (50 connections) | ${pct(ratio('account creation'))}${floor('POST')} | ${mark(ratio('account creation') >= 0.5)} |`,
    `| Status read ≥ 70 % of the ceiling (50 connections) | ${pct(ratio('status read'))}${floor('GET')} | ${mark(ratio('status read') >= 0.7)} |`,
    `| Start-up < 400 ms (median of ${String(r.startup.length)}) | ${n0(start)} ms | ${mark(start > 0 && start < 400)} |`,
    at100k
      ? `| RSS < 200 MB after 100,000 flows | ${n0(at100k.rssMb)} MB | ${mark(at100k.rssMb < 200)} |`
      : `| RSS < 200 MB after 100,000 flows | not run this time (\`--full\`); ${last ? `${n0(last.rssMb)} MB after ${n0(last.flows)}` : ''} | — |`,
    `| Resolution check independent of image size | ${inspect.map((us) => `${us.toFixed(1)} µs`).join(' / ')} | ${mark(flat)} |`,
  ]
}

/** The generated part of docs/benchmarks.md. */
export function report(r: Results): string {
  const lines = [
    `Latest run: ${r.date} on ${r.machine}; ${String(r.seconds)} s per autocannon run.`,
    '',
    '### Targets',
    '',
    ...targets(r),
    '',
    '### Throughput',
    '',
    ...throughputTable(r),
    '',
    '### Floor',
    '',
    'How fast any mock of this shape can answer here: a bare Hono app (`bench/floor.ts`) doing only',
    "the least the mock must do, level by level, at 50 connections, against this run's ceiling. No",
    'scenarios, tenants, contract validation, policies or request log.',
    '',
    ...floorTable(r),
    '',
    '### Full flows',
    '',
    'Token reused; create, three uploads (small PNGs), finalize, status, details: 7 requests per flow.',
    '',
    '| Concurrent clients | Flows/s | Requests/s | Failed flows |',
    '| ---: | ---: | ---: | ---: |',
    ...r.flows.map(
      (f) =>
        `| ${String(f.concurrency)} | ${n0(f.flowsPerSec)} | ${n0(f.flowsPerSec * 7)} | ${String(f.failures)} |`,
    ),
    '',
    '### Upload size',
    '',
    'The same 1200 × 800 JPEG header padded to each size; one connection. The HTTP time grows',
    'with the bytes received and parsed; the resolution check (`inspectUpload`, in-process) does not.',
    '',
    '| JPEG size | Requests/s | p50 (ms) | p99 (ms) | inspectUpload (median) |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...r.sizes.map((s, i) => {
      const us = r.inspect[i]?.microseconds ?? 0
      return `| ${size(s.bytes)} | ${n0(s.result.rps)} | ${String(s.result.p50)} | ${String(s.result.p99)} | ${us.toFixed(1)} µs |`
    }),
    '',
    '### Start-up',
    '',
    `Spawn of \`node dist/main.js\` to the first 200 on \`/__admin/health\`: median ${n0(median(r.startup))} ms, ` +
      `min ${n0(Math.min(...r.startup))} ms, max ${n0(Math.max(...r.startup))} ms (${String(r.startup.length)} spawns).`,
    '',
    '### Memory',
    '',
    'Default settings but `--processing-delay 0`; 8 concurrent clients; RSS of the server process (VmRSS).',
    '',
    '| Completed flows | RSS (MB) | Stored workflow executions | Evictions | Failed flows | Time (s) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.memory.map(
      (m) =>
        `| ${n0(m.flows)} | ${n0(m.rssMb)} | ${n0(m.stored)} | ${n0(m.evictions)} | ${String(m.failures ?? 0)} | ${m.seconds === undefined ? '—' : n0(m.seconds)} |`,
    ),
  ]
  return lines.join('\n')
}
