/**
 * The servers a run measures, each started the same way and timed from spawn to its first healthy
 * answer: the built mock (in memory and with `--data-dir`), the floor's levels (bench/floor.ts,
 * bundled with esbuild as `dist/main.js` is) and the peers (bench/peers.ts).
 */
import { build } from 'esbuild'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CA_CERT_FILE } from '../src/server/tls/ca-paths.js'
import type { FloorLevel } from './floor-levels.js'
import type { Fixtures } from './fixtures.js'
import { HttpClient } from './http.js'
import { ROOT, rssMb, sleep, spawnMock, spawnNode } from './procs.js'
import type { Proc } from './procs.js'

/** A running server under test. */
export interface Target {
  name: string
  pid: number
  /** Spawn to the first healthy answer, in ms. */
  readyMs: number
  /** RSS once healthy and idle for half a second, in MB. */
  idleRssMb: number
  http: HttpClient
  stop: () => Promise<void>
}

/**
 * Waits until `path` answers 200, and makes the process a Target; `ca` is the certificate an
 * HTTPS server's is trusted with.
 */
export async function whenHealthy(
  name: string,
  proc: Proc,
  path: string,
  cleanup: () => void = () => undefined,
  ca?: string,
): Promise<Target> {
  const http = new HttpClient(proc.url, 64, ca)
  const until = performance.now() + 60_000
  for (;;) {
    const res = await http.send('GET', path).catch(() => undefined)
    if (res?.status === 200) break
    if (performance.now() > until) throw new Error(`${name} never became healthy: ${proc.output()}`)
    await sleep(5)
  }
  const readyMs = performance.now() - proc.spawnedAt
  await sleep(500)
  return {
    name,
    pid: proc.pid,
    readyMs,
    idleRssMb: rssMb(proc.pid),
    http,
    stop: async () => {
      http.close()
      await proc.stop()
      cleanup()
    },
  }
}

/** The built mock with `flags`; `--data-dir` given as `durable` gets a fresh folder. */
export async function startMock(name: string, flags: string[], durable = false): Promise<Target> {
  const dir = durable ? mkdtempSync(join(tmpdir(), 'jumio-mock-bench-')) : undefined
  const proc = await spawnMock([...flags, ...(dir ? ['--data-dir', dir] : [])])
  return whenHealthy(name, proc, '/__admin/health', () => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })
}

/**
 * The built mock with `--tls`, its CA in `caDir` (generated there by the first start, which
 * costs a key pair; later starts load it, as a user's do), health read over HTTPS.
 */
export async function startTlsMock(name: string, caDir: string): Promise<Target> {
  const proc = await spawnMock(['--tls', '--ca-dir', caDir])
  const ca = readFileSync(join(caDir, CA_CERT_FILE), 'utf8')
  return whenHealthy(name, proc, '/__admin/health', undefined, ca)
}

const CACHE = join(ROOT, 'node_modules/.cache/bench')

/** Bundles bench/floor.ts and bench/floor-hello.ts, as scripts/bundle.mjs bundles the mock. */
export async function buildFloor(): Promise<{ floor: string; hello: string }> {
  mkdirSync(CACHE, { recursive: true })
  await build({
    entryPoints: [join(ROOT, 'bench/floor.ts'), join(ROOT, 'bench/floor-hello.ts')],
    outdir: CACHE,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3'],
    banner: {
      js: "import { createRequire as bundleRequire } from 'node:module'; const require = bundleRequire(import.meta.url);",
    },
    logLevel: 'warning',
  })
  return { floor: join(CACHE, 'floor.mjs'), hello: join(CACHE, 'floor-hello.mjs') }
}

/** Writes the captured answers where the floors read them. */
export function saveFixtures(fixtures: Fixtures): string {
  mkdirSync(CACHE, { recursive: true })
  const file = join(CACHE, 'fixtures.json')
  writeFileSync(file, JSON.stringify(fixtures))
  return file
}

/** One level of the floor, or a variant of it (`indexof`, `group`, `normal`: bench/floor.ts). */
export async function startFloor(
  bundle: string,
  level: FloorLevel,
  fixtures: string,
  variant = '',
) {
  const name = `floor: ${level}${variant ? ` + ${variant}` : ''}`
  return whenHealthy(name, await spawnNode([bundle, level, fixtures, variant]), '/health')
}

/** The start-up floor: a Hono app that answers its health check (bench/floor-hello.ts). */
export async function startHello(bundle: string): Promise<Target> {
  return whenHealthy('Hono on @hono/node-server', await spawnNode([bundle]), '/health')
}
