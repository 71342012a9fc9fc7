/**
 * `jumio-mock` on the command line: help generated from OPTIONS, version, exit code 2
 * on bad input, flags over env vars over defaults.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { OPTIONS } from '../../src/config.js'
import { kill, ready, ROOT, runCli, spawnCli } from './process.js'
import type { Child } from './process.js'

let running: Child | undefined
const BAD_YAML = join(mkdtempSync(join(tmpdir(), 'jumio-mock-yaml-')), 'scenarios.yaml')
writeFileSync(BAD_YAML, 'default: x\nscenarios: { x: [\n')
afterEach(() => {
  kill(running)
  running = undefined
})

describe('jumio-mock --help', () => {
  it('lists every option with its env var and default, and exits 0', async () => {
    const { code, stdout } = await runCli(['--help'])
    expect(code).toBe(0)
    for (const o of OPTIONS) {
      const line = stdout.split('\n').find((l) => l.startsWith(`  --${o.flag} `))
      expect(line, o.flag).toBeDefined()
      expect(line).toContain(`env ${o.env}, default ${o.default === '' ? 'none' : o.default}`)
    }
    expect(stdout).toMatch(/^ {2}serve +Start the mock/m)
  })

  it('is the same for "serve --help"', async () => {
    const { code, stdout } = await runCli(['serve', '--help'])
    expect(code).toBe(0)
    expect(stdout).toContain('Usage: jumio-mock serve [options]')
    expect(stdout).toContain('  --shutdown-timeout <duration>')
  })
})

describe('jumio-mock --version', () => {
  it("prints package.json's version", async () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string }
    const { code, stdout } = await runCli(['--version'])
    expect({ code, stdout }).toEqual({ code: 0, stdout: `${pkg.version}\n` })
  })
})

describe('bad input exits with code 2 and one clear line', () => {
  it.each([
    [['--no-such-flag'], 'Unknown option "--no-such-flag" (see --help)'],
    [['--port', 'eighty'], 'Invalid value "eighty" for --port / PORT: expected a whole number'],
    [['--port', '70000'], 'expected a port from 0 to 65535'],
    [['--log-format', 'xml'], 'expected one of auto, json, pretty'],
    [['--processing-delay', 'soon'], '--processing-delay / JUMIO_MOCK_PROCESSING_DELAY'],
    [['--scenarios'], 'Option --scenarios needs a value'],
    [['frobnicate'], 'Unknown command "frobnicate"'],
    [['--scenarios', '/nonexistent/scenarios.yaml'], '/nonexistent/scenarios.yaml'],
    // regressions: accepted, then a 500 on every admin list or every callback failing at once
    [['--processing-delay', '100000000d'], '"100000000d" is longer than 365d'],
    [['--callback-timeout', '50d'], '"50d" is longer than 24d (the longest a timer waits)'],
    [['--shutdown-timeout', '30d'], 'is longer than 24d'],
    [['--clients', 'a:b,a:c'], 'client "a" is given twice'],
    [['--callback-url', 'ftp://x/y'], 'expected an absolute http or https URL'],
    [['--scenarios', BAD_YAML], 'not valid YAML'],
  ])('%j', async (args, message) => {
    const { code, stdout, stderr } = await runCli(args)
    expect(code).toBe(2)
    expect(stderr).toContain(`jumio-mock: `)
    expect(stderr).toContain(message)
    expect(stderr.trim().split('\n')).toHaveLength(1)
    expect(stdout).toBe('')
  })

  it('for --data-dir where better-sqlite3 has no native binding (e.g. the container image)', async () => {
    // regression: the `bindings` package's stack trace, and exit code 1
    const dir = join(tmpdir(), `jumio-mock-no-binding-${String(process.pid)}`)
    const { code, stdout, stderr } = await runCli(['--data-dir', dir], {
      nodeOptions: ['--import', `${ROOT}test/fixtures/no-sqlite-binding.mjs`],
    })
    expect(code).toBe(2)
    expect(stderr).toContain("jumio-mock: --data-dir needs better-sqlite3's native binding")
    expect(stderr).toContain('Could not locate the bindings file')
    expect(stderr.trim().split('\n')).toHaveLength(1)
    expect(stdout).toBe('')
    expect(existsSync(dir)).toBe(false) // nothing created for a mode that cannot start
  })

  it.each([
    [
      'a regular file',
      (dir: string) => {
        writeFileSync(dir, 'x')
      },
    ],
    [
      'a directory holding a damaged database',
      (dir: string) => {
        mkdirSync(dir)
        writeFileSync(join(dir, 'jumio-mock.db'), randomBytes(8192))
      },
    ],
    [
      'a directory whose database is a directory',
      (dir: string) => {
        mkdirSync(join(dir, 'jumio-mock.db'), { recursive: true })
      },
    ],
    [
      'a directory holding a short token secret',
      (dir: string) => {
        mkdirSync(dir)
        writeFileSync(join(dir, 'token-secret'), 'short')
      },
    ],
  ])('for --data-dir on %s', async (_, make) => {
    // regression: a stack trace of 18-21 lines and exit code 1 (found by probing)
    const dir = mkdtempSync(join(tmpdir(), 'jumio-mock-bad-dir-')) + '/d'
    make(dir)
    const { code, stdout, stderr } = await runCli(['--data-dir', dir])
    expect(code).toBe(2)
    expect(stderr).toMatch(/^jumio-mock: .*(--data-dir|token-secret)/)
    expect(stderr.trim().split('\n')).toHaveLength(1)
    expect(stdout).toBe('')
  })

  it('also for an invalid environment variable', async () => {
    const { code, stderr } = await runCli([], { env: { JUMIO_MOCK_LOG_LEVEL: 'loud' } })
    expect(code).toBe(2)
    expect(stderr).toContain('Invalid value "loud" for --log-level / JUMIO_MOCK_LOG_LEVEL')
  })
})

describe('precedence: flag over env var over default', () => {
  it('a flag wins over its env var, which is then not even checked', async () => {
    running = spawnCli(['--port', '0', '--log-format', 'json'], {
      env: { PORT: 'not-a-port', JUMIO_MOCK_LOG_FORMAT: 'pretty' },
    })
    const url = await ready(running)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    await fetch(`${url}/__admin/scenarios`)
    await expect.poll(() => running?.stderr() ?? '').toContain('"msg":"request"')
    for (const line of running.stderr().trim().split('\n')) {
      expect(() => JSON.parse(line) as unknown).not.toThrow()
    }
  })

  it('an env var wins over the default', async () => {
    running = spawnCli(['--port', '0'], { env: { JUMIO_MOCK_LOG_FORMAT: 'pretty' } })
    const url = await ready(running)
    await fetch(`${url}/__admin/scenarios`)
    await expect.poll(() => running?.stderr() ?? '').toMatch(/ INFO +GET \/__admin\/scenarios 200 /)
  })
})

describe('a port in use', () => {
  it('exits with code 1 and says which address', async () => {
    running = spawnCli(['--port', '0'])
    const { port } = new URL(await ready(running))
    const { code, stderr } = await runCli(['--port', port])
    expect(code).toBe(1)
    expect(stderr).toBe(`jumio-mock: Cannot listen on 127.0.0.1:${port}: EADDRINUSE\n`)
  })
})

describe('the ready line', () => {
  it('names the URL, the scenarios file, the active scenario and the admin URL', async () => {
    const started = Date.now()
    running = spawnCli(['--port', '0'])
    const url = await ready(running)
    const line = running.stdout().trim()
    expect(line.split('\n')).toHaveLength(1)
    expect(line).toBe(
      `jumio-mock ready at ${url} (scenarios ${ROOT}scenarios.yaml, active scenario "approved", admin ${url}/__admin, docs ${url}/__admin/docs)`,
    )
    // from the sources through tsx; the built package is faster (see pack.test.ts)
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('shows a connectable URL when bound to every interface', async () => {
    running = spawnCli(['--port', '0', '--host', '0.0.0.0'])
    const url = await ready(running)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(running.stdout()).toContain('(listening on 0.0.0.0, scenarios ')
    expect((await fetch(`${url}/__admin/health`)).status).toBe(200)
  })
})

describe('the token secret of a data directory', () => {
  it('replaces an empty one (left by a crash while it was first written), never signs with it', async () => {
    // regression: the empty file was used as the secret, so anyone could sign tokens
    const dir = mkdtempSync(join(tmpdir(), 'jumio-mock-empty-secret-'))
    writeFileSync(join(dir, 'token-secret'), '')
    running = spawnCli(['--port', '0', '--data-dir', dir])
    await ready(running)
    expect(readFileSync(join(dir, 'token-secret'))).toHaveLength(64)
  })
})

describe('--token-secret with --data-dir', () => {
  it('leaves DIR/token-secret alone: neither read nor made', async () => {
    // regression: a short file there stopped the start, though --token-secret signs (review)
    const dir = mkdtempSync(join(tmpdir(), 'jumio-mock-given-secret-'))
    writeFileSync(join(dir, 'token-secret'), 'short')
    running = spawnCli(['--port', '0', '--data-dir', dir, '--token-secret', 'x'.repeat(40)])
    expect(await ready(running)).toMatch(/^http:/)
    expect(readFileSync(join(dir, 'token-secret'), 'utf8')).toBe('short')
  })
})

describe('an empty --scenarios', () => {
  it('means the default, as for every other option', async () => {
    // regression: it resolved to the working directory and failed with EISDIR
    running = spawnCli(['--port', '0', '--scenarios', ''])
    expect(await ready(running)).toMatch(/^http:/)
  })
})
