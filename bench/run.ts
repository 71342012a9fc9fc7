/**
 * `npm run bench`: measures the built mock (`dist/`) against its peers (WireMock, Prism) and a
 * floor built level by level, all in one run with one driver, and writes the tables into
 * docs/benchmarks.md between the bench markers (figures kept in bench/results.json).
 * Flags: `--rounds N` (3), `--seconds N` a flow round (4), `--full` adds the 100,000-flow memory
 * run, `--quick` is one round of 2 s and smaller counts, `--only a,b` runs some sections (flows,
 * ops, startup, memory, abuse, replicas, profile); the others keep their last figures, and
 * `--only report` writes the report again from them.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { format, resolveConfig } from 'prettier'
import { capture } from './capture.js'
import { FLOOR_LEVELS, FLOOR_VARIANTS } from './floor-levels.js'
import { measureFullFlows } from './full-flows.js'
import type { FlowTarget } from './full-flows.js'
import { DURABLE, MOCK, MOCK_TLS, OPS_FLOOR } from './goals.js'
import {
  measureFlowMemory,
  measureOversizedBodies,
  measureStartup,
  measureTenantFlood,
  startBareNode,
} from './memory.js'
import { LOAD_FLAGS } from './mock-options.js'
import { measureOperations } from './ops.js'
import { ensurePeers, startPrism, startWireMock } from './peers.js'
import { ROOT, loadAverage } from './procs.js'
import { profile } from './profile.js'
import { measureReplicas } from './replicas.js'
import { report } from './report.js'
import type { Results } from './results.js'
import {
  buildFloor,
  saveFixtures,
  startFloor,
  startHello,
  startMock,
  startTlsMock,
} from './targets.js'
import type { Target } from './targets.js'

const argv = process.argv.slice(2)
const flag = (name: string) => argv.includes(`--${name}`)
const value = (name: string, fallback: number) =>
  flag(name) ? Number(argv[argv.indexOf(`--${name}`) + 1]) : fallback
const quick = flag('quick')
const rounds = value('rounds', quick ? 1 : 3)
const seconds = value('seconds', quick ? 2 : 4)
const only = flag('only') ? (argv[argv.indexOf('--only') + 1] ?? '').split(',') : null
const runs = (section: string) => only === null || only.includes(section)
const rewriteOnly = only?.join() === 'report'
const log = (msg: string) => {
  process.stderr.write(`[bench] ${msg}\n`)
}

/** Stops every target, whatever failed. */
async function stopAll(targets: Target[]): Promise<void> {
  await Promise.all(targets.map((t) => t.stop().catch(() => undefined)))
}

/** The mock, its peers and the floor's levels, flows measured in turn (goals 1, 2, 6). */
async function flowsSection(results: Results): Promise<void> {
  const started: Target[] = []
  const keep = (t: Target) => (started.push(t), t)
  try {
    const mock = keep(await startMock(MOCK, LOAD_FLAGS))
    const fixtures = saveFixtures(await capture(mock.http))
    const list: FlowTarget[] = [
      { target: mock, group: 'mock', rounds },
      { target: keep(await startMock(DURABLE, LOAD_FLAGS, true)), group: 'mock', rounds },
    ]
    const bundle = (await buildFloor()).floor
    for (const [level] of FLOOR_LEVELS)
      list.push({ target: keep(await startFloor(bundle, level, fixtures)), group: 'floor', rounds })
    for (const [level, variant] of FLOOR_VARIANTS) {
      list.push({
        target: keep(await startFloor(bundle, level, fixtures, variant)),
        group: 'floor',
        rounds,
      })
    }
    const peers = ensurePeers(log)
    results.skipped = peers.skipped
    for (const s of peers.skipped) log(s)
    const captured = JSON.parse(readFileSync(fixtures, 'utf8')) as Parameters<
      typeof startWireMock
    >[1]
    if (peers.jar)
      list.push({ target: keep(await startWireMock(peers.jar, captured)), group: 'peer', rounds })
    if (peers.prism)
      list.push({
        target: keep(await startPrism(peers.prism)),
        group: 'peer',
        rounds: 1,
        seconds: 10,
      })
    results.flows = await measureFullFlows(list, rounds, seconds, log)
  } finally {
    await stopAll(started)
  }
}

/**
 * Each operation on the mock and on WireMock (goal 3). The mock has its default options here:
 * its uploads replace one part, so the image budget never fills, and finalize answers as a
 * client sees it, the processing left to its timer (a processing delay of 0 would do it inside
 * the finalize request, a cost the flows count anyway).
 */
async function opsSection(results: Results): Promise<void> {
  const started: Target[] = []
  try {
    const mock = await startMock(MOCK, [])
    started.push(mock)
    const captured = await capture(mock.http)
    const peers = ensurePeers(log)
    const others: Target[] = []
    if (peers.jar) {
      const wm = await startWireMock(peers.jar, captured)
      started.push(wm)
      others.push(wm)
    }
    // the least work with the mock's heap settings, as the mock runs here (its defaults)
    const floor = await startFloor((await buildFloor()).floor, OPS_FLOOR, saveFixtures(captured))
    started.push(floor)
    const opSeconds = Math.max(1, seconds / 2)
    results.ops = await measureOperations(mock, others, rounds, opSeconds, log, [floor])
  } finally {
    await stopAll(started)
  }
}

/**
 * Spawn to healthy and idle RSS of the mock (over HTTP, goal 4, and with `--tls`) and of the two
 * start-up floors. The `--tls` CA is generated by a first start that is not counted: a user's
 * CA is made once and loaded by every later start.
 */
async function startupSection(results: Results): Promise<void> {
  const times = quick ? 3 : 10
  const { hello } = await buildFloor()
  const caDir = mkdtempSync(join(tmpdir(), 'jumio-mock-bench-ca-'))
  try {
    await (await startTlsMock(MOCK_TLS, caDir)).stop()
    results.startup = await measureStartup(
      [
        { name: MOCK, start: () => startMock(MOCK, []) },
        { name: MOCK_TLS, start: () => startTlsMock(MOCK_TLS, caDir) },
        { name: 'bare node:http', start: startBareNode },
        { name: 'Hono on @hono/node-server', start: () => startHello(hello) },
      ],
      times,
    )
  } finally {
    rmSync(caDir, { recursive: true, force: true })
  }
}

/** Flows with 1, 2 and 3 replicas on one Redis; one line instead when Redis is not installed. */
async function replicasSection(results: Results): Promise<void> {
  const probe = spawnSync('redis-server', ['--version'], { stdio: 'ignore' })
  if (probe.error || probe.status !== 0) {
    const skipped = 'Replicas skipped: no `redis-server` on PATH'
    log(skipped)
    results.replicas = { runs: [], skipped }
    return
  }
  results.replicas = { runs: await measureReplicas({ seconds: quick ? 4 : 10 }) }
}

/** The floor's least work with the mock's heap settings, on the answers of a mock of its own. */
async function memoryFloor(): Promise<Target> {
  const mock = await startMock(MOCK, LOAD_FLAGS)
  const fixtures = saveFixtures(await capture(mock.http))
  await mock.stop()
  return startFloor((await buildFloor()).floor, OPS_FLOOR, fixtures)
}

// Sections not run this time keep their last figures (bench/results.json).
const saved = join(ROOT, 'bench/results.json')
const previous = existsSync(saved)
  ? (JSON.parse(readFileSync(saved, 'utf8')) as Partial<Results>)
  : {}
const results: Results = {
  flows: [],
  ops: {},
  startup: [],
  abuse: [],
  skipped: [],
  ...(previous.load ? previous : {}),
  // `--only report` runs nothing: the report is written again from the kept figures
  ...(!(rewriteOnly && previous.load) && {
    date: new Date().toISOString(),
    machine: `${String(cpus().length)} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
    load: { start: loadAverage(), end: [] },
    rounds,
    seconds,
  }),
} as Results
log(`load average ${loadAverage().join(', ')}`)
if (runs('flows')) await flowsSection(results)
if (runs('ops')) await opsSection(results)
if (runs('startup')) {
  log('start-up')
  await startupSection(results)
}
if (runs('memory')) {
  const flows = flag('full') ? 100_000 : quick ? 300 : 2_000
  log(`memory: ${String(flows)} flows`)
  results.flowMemory = await measureFlowMemory(flows, log)
  results.floorMemory = await measureFlowMemory(flows, log, memoryFloor)
}
if (runs('abuse')) {
  log('abuse: a new tenant each request, then oversized bodies')
  results.abuse = [
    await measureTenantFlood(quick ? 20_000 : 100_000),
    await measureOversizedBodies(quick ? 10 : 50, 50),
  ]
}
if (runs('replicas')) {
  log('replicas: 1, 2 and 3 on one Redis')
  await replicasSection(results)
}
if (runs('profile')) {
  log('profile of the mock under full flows')
  const p = await profile('mock', quick ? 4 : 8, LOAD_FLAGS)
  results.profile = { flowsPerSec: p.measure.perSec, cpuMs: p.measure.cpuMs, summary: p.summary }
  log(`profile written to ${p.file} (open it in Chrome DevTools)`)
}
if (!rewriteOnly) results.load.end = loadAverage()

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
