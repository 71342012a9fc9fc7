/**
 * The peers, set up by the bench itself: WireMock from the npm package `wiremock`
 * (which ships its standalone jar) on the machine's Java, with static stubs that send the mock's
 * own answers, and Prism from npm on our contract. They are installed on first use into a cache
 * folder, not as devDependencies: every `npm ci` would otherwise download 20 MB of jar and 200
 * packages that only the bench uses.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Fixtures } from './fixtures.js'
import { rebase } from './fixtures.js'
import { ROOT, spawnServer } from './procs.js'
import { whenHealthy } from './targets.js'
import type { Target } from './targets.js'

export const WIREMOCK = 'wiremock@3.13.2'
export const PRISM = '@stoplight/prism-cli@5.16.0'
const DIR = join(ROOT, 'node_modules/.cache/bench-peers')
const JAR = join(
  DIR,
  `node_modules/wiremock/build/wiremock-standalone-${WIREMOCK.split('@')[1] ?? ''}.jar`,
)
const PRISM_CLI = join(DIR, 'node_modules/@stoplight/prism-cli/dist/index.js')

/** Where the peers are, or why one is not there (one line, printed by the caller). */
export interface Peers {
  jar?: string
  prism?: string
  skipped: string[]
}

/** Installs the peers into the cache folder unless they are there already. */
export function ensurePeers(log: (line: string) => void): Peers {
  const skipped: string[] = []
  if (!existsSync(JAR) || !existsSync(PRISM_CLI)) {
    log(`installing ${WIREMOCK} and ${PRISM} into ${DIR} (once)`)
    mkdirSync(DIR, { recursive: true })
    writeFileSync(join(DIR, 'package.json'), '{ "private": true }\n')
    const npm = spawnSync(
      'npm',
      ['install', '--prefix', DIR, '--no-audit', '--no-fund', '--loglevel=error', WIREMOCK, PRISM],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    )
    if (npm.status !== 0)
      skipped.push(`npm could not install the peers (exit ${String(npm.status)})`)
  }
  const java = spawnSync('java', ['-version'], { stdio: 'ignore' })
  if (java.error || java.status !== 0)
    skipped.push('WireMock skipped: no Java runtime (`java`) on PATH')
  else if (!existsSync(JAR)) skipped.push('WireMock skipped: its jar was not installed')
  if (!existsSync(PRISM_CLI)) skipped.push('Prism skipped: it was not installed')
  return {
    ...(!skipped.some((s) => s.startsWith('WireMock') || s.startsWith('npm')) && { jar: JAR }),
    ...(existsSync(PRISM_CLI) && { prism: PRISM_CLI }),
    skipped,
  }
}

const ID = '[^/]+'
const EXECUTION = `/api/v1/accounts/${ID}/workflow-executions/${ID}`

/** Static stubs for every request of the flow and the single operations, with the mock's answers. */
export function stubs(f: Fixtures): unknown[] {
  const json = (method: string, match: Record<string, string>, body: string) => ({
    request: { method, ...match },
    response: { status: 200, headers: { 'Content-Type': 'application/json' }, body },
  })
  return [
    json('POST', { urlPath: '/oauth2/token' }, f.token),
    json('POST', { urlPath: '/api/v1/accounts' }, f.create),
    ...Object.entries(f.upload).map(([classifier, body]) =>
      json('POST', { urlPathPattern: `${EXECUTION}/credentials/${ID}/parts/${classifier}` }, body),
    ),
    json('PUT', { urlPathPattern: EXECUTION }, f.finalize),
    json('GET', { urlPathPattern: `${EXECUTION}/status` }, f.status),
    json('GET', { urlPathPattern: EXECUTION }, f.details),
    {
      request: {
        method: 'GET',
        urlPathPattern: `/api/v1/accounts/${ID}/credentials/${ID}/parts/${ID}`,
      },
      response: { status: 200, headers: { 'Content-Type': 'image/jpeg' }, base64Body: f.image },
    },
  ]
}

/**
 * WireMock as its npm package runs it (`java -jar`, the JVM's default heap), its stubs loaded
 * through its admin API once it is healthy (the ready time is to health, before the stubs).
 */
export async function startWireMock(jar: string, fixtures: Fixtures): Promise<Target> {
  const root = mkdtempSync(join(tmpdir(), 'jumio-mock-wiremock-'))
  mkdirSync(join(root, 'mappings'))
  const proc = await spawnServer(
    'java',
    ['-jar', jar, '--port', '0', '--root-dir', root, '--disable-banner'],
    /port:\s+(\d+)/,
    { port: true },
  )
  const target = await whenHealthy('WireMock', proc, '/__admin/health', () => {
    rmSync(root, { recursive: true, force: true })
  })
  const mappings = stubs(rebase(fixtures, proc.url))
  const res = await target.http.send(
    'POST',
    '/__admin/mappings/import',
    { 'Content-Type': 'application/json' },
    JSON.stringify({ mappings }),
  )
  if (res.status >= 300)
    throw new Error(`WireMock refused the stubs: ${String(res.status)} ${res.body}`)
  return target
}

/** Prism mocking contracts/jumio.openapi.yaml (its health path `/` answers without a token). */
export async function startPrism(cli: string): Promise<Target> {
  const proc = await spawnServer(
    process.execPath,
    [cli, 'mock', '-p', '0', '-h', '127.0.0.1', join(ROOT, 'contracts/jumio.openapi.yaml')],
    /listening on (http:\/\/[\d.:]+)/,
  )
  return whenHealthy('Prism', proc, '/')
}
