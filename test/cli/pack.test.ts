/**
 * The packed package: `npm pack`, then `npx ./jumio-mock-*.tgz` in an empty folder
 * starts the mock with the shipped scenarios, and its pages work in Chromium. The tarball is
 * packed in a temporary folder from this run's one build of `dist/` (test/helpers/dist.ts), as
 * `npm pack` packs it after its prepack build; npx installs the dependencies from the registry.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectShippedPagesWork, launchBrowser } from '../browser/kit.js'
import { BUILD_TIMEOUT_MS, builtDist } from '../helpers/dist.js'
import { kill, ready, ROOT, signalGroup, spawnCli } from './process.js'
import type { Child } from './process.js'

let work: string
let tarball: string
let files: string[]
let mock: Child | undefined

beforeAll(async () => {
  await builtDist()
  work = mkdtempSync(join(tmpdir(), 'jumio-mock-pack-'))
  const stage = join(work, 'stage')
  for (const f of ['package.json', 'README.md', 'scenarios.yaml']) {
    cpSync(join(ROOT, f), join(stage, f))
  }
  for (const dir of ['contracts', 'dist']) {
    cpSync(join(ROOT, dir), join(stage, dir), { recursive: true })
  }
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts'], { cwd: stage })
  const [packed] = JSON.parse(out.toString()) as { filename: string; files: { path: string }[] }[]
  if (!packed) throw new Error('npm pack printed nothing')
  files = packed.files.map((f) => f.path)
  const empty = join(work, 'empty')
  cpSync(join(stage, packed.filename), join(empty, packed.filename))
  tarball = join(empty, packed.filename)
}, BUILD_TIMEOUT_MS)

afterAll(() => {
  kill(mock)
  rmSync(work, { recursive: true, force: true })
})

describe('the packed tarball', () => {
  it('holds the compiled code, the contracts and the shipped scenarios, and no sources or tests', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'dist/main.js',
        'dist/main.js.LEGAL.txt',
        'dist/cli/serve.js',
        'dist/index.js',
        'dist/assets/console.js',
        'dist/assets/journey.js',
        'contracts/jumio.openapi.yaml',
        'contracts/admin.openapi.yaml',
        'scenarios.yaml',
      ]),
    )
    expect(files.filter((f) => /^(src|test)\//.test(f))).toEqual([])
  })

  it('has a bundle of ASCII only, which V8 keeps as one-byte text (half the memory)', () => {
    const bundle = readFileSync(join(work, 'stage', 'dist', 'main.js'), 'utf8')
    expect(bundle.match(/[^\t\n\r -~]/gu) ?? []).toEqual([])
    expect(readFileSync(join(work, 'stage', 'dist', 'main.js.LEGAL.txt'), 'utf8')).toContain(
      'license',
    )
  })

  it('starts with `npx ./jumio-mock-*.tgz` in an empty folder, serves working pages, and stops with SIGTERM', async () => {
    const name = tarball.split('/').at(-1) ?? ''
    const folder = tarball.slice(0, -name.length - 1)
    mock = spawnCli(['--port', '0'], {
      cwd: folder,
      command: ['npx', '--yes', `./${name}`],
      env: { npm_config_update_notifier: 'false', JUMIO_MOCK_LOG_FORMAT: 'json' },
      group: true,
    })
    const url = await ready(mock, 150_000)
    expect(mock.stdout()).toMatch(
      /\(scenarios \S+\/node_modules\/jumio-mock\/scenarios\.yaml, active scenario "approved", /,
    )
    expect((await fetch(`${url}/__admin/health`)).status).toBe(200)
    expect((await fetch(`${url}/__admin/docs/assets/swagger-ui.css`)).status).toBe(200)
    const browser = await launchBrowser()
    try {
      await expectShippedPagesWork(browser, { url, http: request(url) })
    } finally {
      await browser.close()
    }
    // npx runs the bin through `sh -c`, which does not pass on a SIGTERM sent to npx's pid alone:
    // signal the group, as Ctrl-C in a terminal or a CI runner's stop does.
    signalGroup(mock, 'SIGTERM')
    await mock.exited
    expect(mock.stderr()).toContain('"msg":"stopped","clean":true')
  }, 180_000)
})
