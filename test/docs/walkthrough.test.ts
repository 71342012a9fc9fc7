/**
 * The docs' shell examples run as written against `npm start`: build `dist/`, start
 * `node dist/main.js` with the default options, run docs/walkthrough.md's blocks marked
 * `<!-- walkthrough -->` in one `bash -euo pipefail` from the project root, then each other page's
 * blocks marked `<!-- example -->` (README.md and docs/*.md), one shell per page, after the
 * walk-through's first block (its `JUMIO`, `UA` and `json` helper). `dist/` is built once per
 * test run (test/helpers/dist.ts).
 */
import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUILD_TIMEOUT_MS, builtDist } from '../helpers/dist.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** The base URL the docs use, as `npm start` listens by default. */
const DOCS_URL = 'http://127.0.0.1:3000'

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8')

/** The bash blocks of a page marked `<!-- marker -->`, in order. */
function markedBlocks(path: string, marker: 'walkthrough' | 'example'): string[] {
  const marked = new RegExp(`<!-- ${marker} -->\\s*\\n\`\`\`bash\\n([\\s\\S]*?)\\n\`\`\``, 'g')
  return [...read(path).matchAll(marked)].map((m) => m[1] ?? '')
}

const walkthrough = () => markedBlocks('docs/walkthrough.md', 'walkthrough')

/** Every page with example blocks, and its blocks. */
function examplePages(): [string, string[]][] {
  const pages = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((f) => `docs/${f}`)]
  return pages
    .filter((p) => p.endsWith('.md'))
    .map((p): [string, string[]] => [p, markedBlocks(p, 'example')])
    .filter(([, blocks]) => blocks.length > 0)
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

describe('the docs shell examples', () => {
  it('are marked bash blocks that use only curl and node, with a User-Agent on every curl', () => {
    const blocks = walkthrough()
    expect(blocks.length).toBeGreaterThan(5)
    const script = [...blocks, ...examplePages().flatMap(([, b]) => b)].join('\n')
    expect(script).toContain(DOCS_URL)
    expect(script).not.toMatch(/\bjq\b/)
    const curls = script.split('\n').filter((line) => /(^|[$(]|\s)curl\s/.test(line))
    expect(curls.length).toBeGreaterThan(10)
    for (const line of curls) expect(line).toContain('-H "$UA"')
  })

  describe('against `node dist/main.js` with the default options', () => {
    let mock: { child: ChildProcessWithoutNullStreams; url: string } | undefined
    let tmp: string | undefined
    const run = (script: string) =>
      runBash(script.replaceAll(DOCS_URL, mock?.url ?? ''), defaultEnv(tmp ?? tmpdir()))

    beforeAll(async () => {
      await builtDist()
      tmp = mkdtempSync(join(tmpdir(), 'jumio-mock-docs-'))
      mock = await startMock(defaultEnv(tmp))
    }, BUILD_TIMEOUT_MS)

    afterAll(async () => {
      const child = mock?.child
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      }
      if (tmp) rmSync(tmp, { recursive: true, force: true })
    })

    it('runs the walk-through: the whole API-channel flow, then outcomes, time, tenants, violations', async () => {
      const { code, output } = await run(walkthrough().join('\n'))
      expect(code, output).toBe(0)
      expect(output).toContain('status: PROCESSED')
      expect(output).toContain('"type": "PASSED"')
      expect(output).toContain('the FRONT image is identical to the upload')
      expect(output).toContain('DELETE: HTTP 200')
      expect(output).toContain('decision REJECTED, imageChecks MANIPULATED_DOCUMENT')
      expect(output).toContain('status: TOKEN_EXPIRED')
      expect(output).toContain('RETRIEVAL_AFTER_DELETION')
    }, 60_000)

    it("runs every page's examples, after the walk-through's first block", async () => {
      const [prelude = ''] = walkthrough()
      const pages = examplePages()
      expect(pages.length).toBeGreaterThan(2)
      for (const [page, blocks] of pages) {
        const { code, output } = await run([prelude, ...blocks].join('\n'))
        expect(code, `${page}:\n${output}`).toBe(0)
      }
    }, 120_000)
  })
})
