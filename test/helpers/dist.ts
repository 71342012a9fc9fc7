/**
 * What ships, for the tests that check it (browser, README walk-through, packed tarball):
 * `npm run build` once per test run, shared by every test file that needs `dist/`, and the
 * built CLI `node dist/main.js` as a child process, as `npm start` runs it.
 *
 * One build per run: the first file to ask takes a lock in the run's folder (test/setup/
 * dist-build.ts) and builds; the others wait for its result. Nothing rebuilds `dist/` while a
 * test reads it.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import request from 'supertest'
import { inject } from 'vitest'
import { kill, ready, ROOT, spawnCli } from '../cli/process.js'
import type { Child } from '../cli/process.js'
import type { MockHttp } from './server.js'
import { FIXTURES } from './server.js'

/** How long a build may take on a busy machine. */
export const BUILD_TIMEOUT_MS = 300_000

let building: Promise<void> | undefined

/** Resolves once `dist/` is built for this test run (building it if no other file has). */
export function builtDist(): Promise<void> {
  building ??= buildOnce()
  return building
}

async function buildOnce(): Promise<void> {
  const dir = inject('distBuildDir') as string | undefined
  if (dir === undefined) {
    check(await npmRunBuild()) // a vitest config without the set-up
    return
  }
  const result = join(dir, 'result.json')
  if (takeLock(join(dir, 'lock'))) {
    writeFileSync(`${result}.tmp`, JSON.stringify(await npmRunBuild()))
    renameSync(`${result}.tmp`, result)
  }
  const deadline = Date.now() + BUILD_TIMEOUT_MS
  while (!existsSync(result)) {
    if (Date.now() > deadline) throw new Error('gave up waiting for another file to build dist/')
    await new Promise((r) => setTimeout(r, 250))
  }
  check(JSON.parse(readFileSync(result, 'utf8')) as BuildResult)
}

interface BuildResult {
  code: number | null
  output: string
}

function takeLock(path: string): boolean {
  try {
    mkdirSync(path)
    return true
  } catch {
    return false
  }
}

function npmRunBuild(): Promise<BuildResult> {
  const npm = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  npm.stdout.on('data', (c: Buffer) => (output += c.toString()))
  npm.stderr.on('data', (c: Buffer) => (output += c.toString()))
  return new Promise((resolve) => {
    npm.once('error', (err) => {
      resolve({ code: null, output: String(err) })
    })
    npm.once('close', (code) => {
      resolve({ code, output })
    })
  })
}

function check(result: BuildResult): void {
  if (result.code !== 0) throw new Error(`npm run build failed:\n${result.output}`)
}

/** The built CLI running as a child process. */
export interface DistMock extends MockHttp {
  process: Child
  /** The error lines it logged since the last call (a response that broke the contract, a 500). */
  newErrors: () => string[]
  /** Stops it with SIGTERM, as a terminal's Ctrl-C does, and waits for its exit. */
  close: () => Promise<void>
}

/**
 * The flags of a test mock (as startTestServer's): a seed, no processing delay, the test
 * scenarios, every response checked against the contract, JSON logs at warn and above.
 */
export const TEST_FLAGS = [
  ...['--seed', 'test', '--processing-delay', '0', '--validate-responses'],
  ...['--scenarios', `${FIXTURES}scenarios.test.yaml`, '--callback-timeout', '2s'],
  ...['--log-format', 'json', '--log-level', 'warn'],
]

/** Builds `dist/` (once per run) and starts `node dist/main.js --port 0` with TEST_FLAGS. */
export async function startDistMock(options: { adminToken?: string } = {}): Promise<DistMock> {
  await builtDist()
  const { adminToken } = options
  const flags = adminToken === undefined ? [] : ['--admin-token', adminToken]
  const child = spawnCli(['--port', '0', ...TEST_FLAGS, ...flags], {
    command: [process.execPath, join(ROOT, 'dist/main.js')],
  })
  let url: string
  try {
    url = await ready(child)
  } catch (err) {
    kill(child)
    throw err
  }
  let read = 0
  return {
    url,
    http: request(url),
    ...(adminToken !== undefined && { adminToken }),
    process: child,
    newErrors: () => {
      const text = child.stderr()
      const end = text.lastIndexOf('\n') + 1 // whole lines only
      const fresh = text.slice(read, end)
      read = Math.max(read, end)
      return fresh.split('\n').filter((line) => line.includes('"level":"error"'))
    },
    close: async () => {
      if (child.child.exitCode === null && child.child.signalCode === null) {
        child.child.kill('SIGTERM')
        await child.exited
      }
    },
  }
}
