/**
 * `npm run bench`: measures the built mock (`dist/`) against a bare Hono hello-world on this
 * machine and writes the tables into docs/benchmarks.md between the bench markers.
 * Flags: `--seconds N` per autocannon run (default 5), `--full` adds the 100,000-flow memory run,
 * `--only a,b` runs some sections (throughput with the floor, flows, sizes, startup, memory).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { format, resolveConfig } from 'prettier'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { sampleJpeg } from '../src/samples/images.js'
import type { inspectUpload as InspectUpload } from '../src/server/domain/images.js'
import { flow, loops, token } from './client.js'
import { ROOT, median, rssMb, spawnMock } from './procs.js'
import { report } from './report.js'
import type { Results } from './report.js'
import { measureFloor, measureFlows, measureThroughput, measureUploadSizes } from './throughput.js'

const argv = process.argv.slice(2)
const flag = (name: string) => argv.includes(`--${name}`)
const value = (name: string) => argv[argv.indexOf(`--${name}`) + 1]
const seconds = flag('seconds') ? Number(value('seconds')) : 5
const only = flag('only') ? (value('only') ?? '').split(',') : null
const runs = (section: string) => only === null || only.includes(section)
const log = (msg: string) => {
  process.stderr.write(`[bench] ${msg}\n`)
}

/** Start-up: spawn to the first 200 on /__admin/health, ten times. */
async function measureStartup(times: number): Promise<number[]> {
  const ms: number[] = []
  for (let i = 0; i < times; i++) {
    const started = performance.now()
    const mock = await spawnMock()
    for (;;) {
      const res = await fetch(`${mock.url}/__admin/health`).catch(() => null)
      if (res?.status === 200) break
    }
    ms.push(performance.now() - started)
    await mock.stop()
  }
  return ms
}

/** RSS of a default mock (processing delay 0) after each checkpoint of completed flows. */
async function measureMemory(checkpoints: number[]): Promise<Results['memory']> {
  const mock = await spawnMock(['--processing-delay', '0'])
  const out: Results['memory'] = [{ flows: 0, rssMb: rssMb(mock.pid), evictions: 0, stored: 0 }]
  try {
    const access = await token(mock.url)
    let done = 0
    let failures = 0
    for (const target of checkpoints) {
      const started = performance.now()
      await loops(
        8,
        () => done < target,
        async () => {
          done += 1
          const { statuses } = await flow(mock.url, access)
          if (statuses.some((s) => s !== 200)) failures += 1
        },
      )
      await new Promise((r) => setTimeout(r, 500))
      const health = (await (await fetch(`${mock.url}/__admin/health`)).json()) as {
        store?: { evictions: number; workflowExecutions: number }
      }
      out.push({
        flows: done,
        rssMb: rssMb(mock.pid),
        evictions: health.store?.evictions ?? 0,
        stored: health.store?.workflowExecutions ?? 0,
        failures,
        seconds: (performance.now() - started) / 1000,
      })
      log(`memory: ${String(done)} flows, ${rssMb(mock.pid).toFixed(0)} MB`)
    }
  } finally {
    await mock.stop()
  }
  return out
}

/** inspectUpload's median time per call on JPEGs of growing size, in-process (dist). */
async function measureInspect(sizes: number[]): Promise<Results['inspect']> {
  // the built module, as the server runs it
  const { inspectUpload } = (await import(join(ROOT, 'dist/server/domain/images.js'))) as {
    inspectUpload: typeof InspectUpload
  }
  const jpegs = sizes.map((bytes) => new Uint8Array(sampleJpeg(1200, 800, bytes)))
  // warm the JIT up on every size first: otherwise the first size measured pays for it
  for (let i = 0; i < 1000; i++) for (const jpeg of jpegs) inspectUpload(jpeg, 'FRONT', false)
  return sizes.map((bytes, k) => {
    const jpeg = jpegs[k] ?? new Uint8Array()
    const times: number[] = []
    for (let i = 0; i < 1000; i++) {
      const t = performance.now()
      inspectUpload(jpeg, 'FRONT', false)
      times.push((performance.now() - t) * 1000)
    }
    return { bytes, microseconds: median(times) }
  })
}

// Sections not run this time keep their last figures (bench/results.json).
const saved = join(ROOT, 'bench/results.json')
const previous = existsSync(saved)
  ? (JSON.parse(readFileSync(saved, 'utf8')) as Partial<Results>)
  : {}
const results: Results = {
  throughput: [],
  floor: [],
  flows: [],
  sizes: [],
  inspect: [],
  startup: [],
  memory: [],
  ...previous,
  date: new Date().toISOString(),
  machine: `${String(cpus().length)} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
  seconds,
}
const SIZES = [100 * 1024, 1024 * 1024, 10 * 1024 * 1024]
if (runs('throughput')) {
  log('throughput')
  results.throughput = await measureThroughput(seconds, [1, 50])
  log('floor')
  results.floor = await measureFloor(seconds, results.throughput)
}
if (runs('flows')) {
  log('flows')
  results.flows = await measureFlows(seconds * 2, [1, 50])
}
if (runs('sizes')) {
  log('upload sizes')
  results.sizes = await measureUploadSizes(Math.max(2, Math.round(seconds / 2)), SIZES)
  results.inspect = await measureInspect(SIZES)
}
if (runs('startup')) {
  log('start-up')
  results.startup = await measureStartup(10)
}
if (runs('memory')) {
  log('memory')
  results.memory = await measureMemory(flag('full') ? [10_000, 100_000] : [10_000])
}
// written as prettier would, so that `npm run check` stays green after a run
const options = { ...(await resolveConfig(saved)) }
writeFileSync(saved, await format(JSON.stringify(results), { ...options, parser: 'json' }))
const path = join(ROOT, 'docs/benchmarks.md')
const doc = readFileSync(path, 'utf8')
const [head, rest] = doc.split('<!-- bench:start -->')
const tail = rest?.split('<!-- bench:end -->')[1]
if (head === undefined || tail === undefined)
  throw new Error('docs/benchmarks.md has no bench markers')
const updated = `${head}<!-- bench:start -->\n${report(results)}\n<!-- bench:end -->${tail}`
writeFileSync(path, await format(updated, { ...options, parser: 'markdown' }))
log('docs/benchmarks.md and bench/results.json written')
