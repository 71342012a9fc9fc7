/**
 * Where the mock's CPU goes under the benchmark's full-flow load: `node --import tsx
 * bench/profile.ts [mock|durable|floor:<level>] [seconds] [mock flags…]` runs 8 concurrent flows
 * (bench/flow.ts) against a server started with `node --cpu-prof` (the mock's flags default to
 * the bench's, bench/mock-options.ts), then prints where its time went
 * (bench/profile-summary.ts) and where the profile is (open it in Chrome DevTools). The mock runs
 * from tsc's unbundled output in dist/ (same code as `dist/main.js`, but the file paths in the
 * profile name the packages); a floor level runs from bench/floor.ts. The profiler samples the
 * main thread's stack, so a native call that blocks (a write) counts while it waits: a share is an
 * upper bound of that code's CPU.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { capture } from './capture.js'
import { runFlow } from './flow.js'
import { measure } from './measure.js'
import { LOAD_FLAGS } from './mock-options.js'
import type { Measure } from './measure.js'
import { summarize } from './profile-summary.js'
import type { ProfileSummary } from './profile-summary.js'
import { ROOT, spawnNode } from './procs.js'
import { saveFixtures, startMock, whenHealthy } from './targets.js'

/** A launcher of the CLI from tsc's output, as src/main.ts is before bundling. */
function unbundledMain(): string {
  const dir = join(ROOT, 'node_modules/.cache/bench')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'mock-unbundled.mjs')
  const dist = (p: string) => pathToFileURL(join(ROOT, 'dist', p)).href
  writeFileSync(
    file,
    `import { packageVersion } from '${dist('package-files.js')}'\n` +
      `import { runCli } from '${dist('cli/run.js')}'\n` +
      'const { env, stdout, stderr } = process\n' +
      'const code = await runCli(process.argv.slice(2), { env, stdout, stderr, isTTY: false, version: packageVersion() })\n' +
      "stdout.write('', () => process.exit(code))\n",
  )
  return file
}

/** Profiles `which` under 8 concurrent flows for `seconds`. */
export async function profile(
  which: string,
  seconds: number,
  flags: string[] = [],
): Promise<{ summary: ProfileSummary; measure: Measure; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'jumio-mock-prof-'))
  const prof = ['--cpu-prof', `--cpu-prof-dir=${dir}`]
  let proc
  if (which.startsWith('floor:')) {
    // the floor answers with the mock's own captured answers
    const mock = await startMock('mock', LOAD_FLAGS)
    const fixtures = saveFixtures(await capture(mock.http))
    await mock.stop()
    proc = await spawnNode([...prof, '--import', 'tsx', 'bench/floor.ts', which.slice(6), fixtures])
  } else {
    const data = which === 'durable' ? ['--data-dir', join(dir, 'data')] : []
    proc = await spawnNode([...prof, unbundledMain(), '--port', '0', ...data, ...flags])
  }
  const target = await whenHealthy(
    which,
    proc,
    which.startsWith('floor:') ? '/health' : '/__admin/health',
  )
  try {
    const warm = performance.now() + 1000
    while (performance.now() < warm) await runFlow(target.http)
    const now = () => Number(process.hrtime.bigint() / 1000n)
    const start = now()
    const result = await measure(target.pid, { concurrency: 8, seconds }, async () => {
      await runFlow(target.http)
    })
    const window: [number, number] = [start, now()]
    await target.stop()
    const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile')) ?? '')
    return { summary: summarize(file, 25, window), measure: result, file }
  } catch (err) {
    await target.stop()
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)} %`

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const which = process.argv[2] ?? 'mock'
  // the bench's own flags unless others are given (bench/mock-options.ts)
  const flags = process.argv.length > 4 ? process.argv.slice(4) : LOAD_FLAGS
  const { summary, measure: m, file } = await profile(which, Number(process.argv[3] ?? 8), flags)
  console.log(
    `${which}: ${m.perSec.toFixed(1)} flows/s, ${m.cpuMs.toFixed(1)} ms of server CPU a flow`,
  )
  console.log(
    `${String(summary.busy)} busy samples of ${String(summary.samples)}\n\nself    inclusive  group`,
  )
  for (const g of summary.groups) console.log(`${pct(g.self)} ${pct(g.inclusive)}  ${g.name}`)
  console.log('\nself    inclusive  function')
  for (const f of summary.functions) console.log(`${pct(f.self)} ${pct(f.inclusive)}  ${f.name}`)
  console.log(`\nprofile: ${file}`)
}
