/**
 * The README's walk-through works when pasted into a shell against `npm start` (issue 2): build
 * `dist/`, start `node dist/main.js` as a child process with the default options, and run every
 * bash block marked `<!-- walkthrough -->` in one `bash -euo pipefail`, from the project root.
 */
import { execFileSync, spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OPTIONS } from '../src/config.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
/** The base URL the README uses, as `npm start` listens by default. */
const README_URL = 'http://127.0.0.1:3000'
const MARKED_BLOCK = /<!-- walkthrough -->\s*\n```bash\n([\s\S]*?)\n```/g

const readme = () => readFileSync(join(ROOT, 'README.md'), 'utf8')

/** The marked bash blocks of the README, in order. */
function walkthroughBlocks(): string[] {
  return [...readme().matchAll(MARKED_BLOCK)].map((m) => m[1] ?? '')
}

/** The rows of the README's configuration table: flag, env var and default cells. */
function configurationRows(): { flag: string; env: string; default: string }[] {
  const section =
    readme()
      .split(/^## /m)
      .find((s) => s.startsWith('Configuration')) ?? ''
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `--'))
    .map((line) => {
      const [flag = '', env = '', value = ''] = line
        .split('|')
        .slice(1)
        .map((c) => c.trim())
      return { flag: flag.replaceAll('`', ''), env: env.replaceAll('`', ''), default: value }
    })
}

/** The environment without the mock's own settings, so the child runs on the defaults. */
function defaultEnv(tmp: string): NodeJS.ProcessEnv {
  const mockSetting = (name: string) =>
    name === 'PORT' || name === 'HOST' || name.startsWith('JUMIO_MOCK_')
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !mockSetting(name))),
    TMPDIR: tmp,
  }
}

/** `npm run build`, failing with the compiler's output. */
function build(): void {
  try {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' })
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: Buffer; stderr?: Buffer }
    throw new Error(`npm run build failed:\n${String(stdout ?? '')}${String(stderr ?? '')}`)
  }
}

/** Starts the built mock on a free port and resolves with its URL from the "ready" line. */
function startMock(
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcessWithoutNullStreams; url: string }> {
  const child = spawn(process.execPath, ['dist/main.js', '--port', '0'], { cwd: ROOT, env })
  return new Promise((resolve, reject) => {
    let out = ''
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      const m = /jumio-mock ready at (http:\/\/\S+)/.exec(out)
      if (m?.[1]) {
        child.stdout.off('data', onData)
        child.stdout.resume()
        resolve({ child, url: m[1] })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.resume()
    child.once('error', reject)
    child.once('exit', (code) => {
      reject(new Error(`the mock exited with code ${String(code)} before it was ready:\n${out}`))
    })
  })
}

/** Runs a script with `bash -euo pipefail` and collects its output. */
function runBash(
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  const bash = spawn('bash', ['-euo', 'pipefail'], { cwd: ROOT, env })
  let output = ''
  bash.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  bash.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  bash.stdin.end(script)
  return new Promise((resolve, reject) => {
    bash.once('error', reject)
    bash.once('close', (code) => {
      resolve({ code, output })
    })
  })
}

describe('the README configuration table', () => {
  it('lists exactly the options of src/config.ts, in order, with their env vars and defaults', () => {
    const rows = configurationRows()
    expect(rows.map((r) => [r.flag, r.env])).toEqual(OPTIONS.map((o) => [`--${o.flag}`, o.env]))
    for (const [i, o] of OPTIONS.entries()) {
      const cell = rows[i]?.default ?? ''
      if (o.default === '') expect(cell, o.flag).toMatch(/^empty/)
      else expect(cell, o.flag).toContain(`\`${o.default}\``)
    }
  })
})

describe('the README walk-through', () => {
  it('has marked bash blocks that use only curl and node, with a User-Agent on every curl', () => {
    const blocks = walkthroughBlocks()
    expect(blocks.length).toBeGreaterThan(5)
    const script = blocks.join('\n')
    expect(script).toContain(README_URL)
    expect(script).not.toMatch(/\bjq\b/)
    const curls = script.split('\n').filter((line) => /(^|[$(]|\s)curl\s/.test(line))
    expect(curls.length).toBeGreaterThan(10)
    for (const line of curls) expect(line).toContain('-H "$UA"')
  })

  describe('against `node dist/main.js` with the default options', () => {
    let mock: { child: ChildProcessWithoutNullStreams; url: string } | undefined
    let tmp: string | undefined

    beforeAll(async () => {
      build()
      tmp = mkdtempSync(join(tmpdir(), 'jumio-mock-readme-'))
      mock = await startMock(defaultEnv(tmp))
    }, 120_000)

    afterAll(async () => {
      const child = mock?.child
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      }
      if (tmp) rmSync(tmp, { recursive: true, force: true })
    })

    it('runs the whole API-channel flow against a freshly started mock', async () => {
      const { url } = mock ?? { url: '' }
      const script = walkthroughBlocks().join('\n').replaceAll(README_URL, url)
      const { code, output } = await runBash(script, defaultEnv(tmp ?? tmpdir()))
      expect(code, output).toBe(0)
      expect(output).toContain('status: PROCESSED')
      expect(output).toContain('"type": "PASSED"')
      expect(output).toContain('the FRONT image is identical to the upload')
      expect(output).toContain('DELETE: HTTP 200')
      expect(output).toContain('decision REJECTED, imageChecks MANIPULATED_DOCUMENT')
    }, 60_000)
  })
})
