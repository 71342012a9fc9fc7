/**
 * The pages work from the library entry as it ships: `startMockJumio()` imported from the built,
 * unbundled `dist/index.js` serves the page scripts that the build compiled (dist/assets/).
 * The bundled CLI is what the other browser tests run; the packed tarball is test/cli/
 * pack.test.ts, the container test/container/pages.spec.ts.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../cli/process.js'
import { BUILD_TIMEOUT_MS, builtDist } from '../helpers/dist.js'
import type * as Library from '../../src/index.js'
import type { MockJumio } from '../../src/index.js'
import { expectShippedPagesWork, launchBrowser } from './kit.js'

let browser: Browser
let mock: MockJumio

beforeAll(async () => {
  await builtDist()
  const lib = (await import(join(ROOT, 'dist/index.js'))) as typeof Library
  ;[browser, mock] = await Promise.all([launchBrowser(), lib.startMockJumio()])
}, BUILD_TIMEOUT_MS)

afterAll(async () => {
  await browser.close()
  await mock.close()
})

describe('startMockJumio() from dist/index.js', () => {
  it('serves the compiled page scripts', async () => {
    for (const [path, file] of [
      ['/__admin/ui/console.js', 'console.js'],
      ['/web/v4/assets/journey.js', 'journey.js'],
    ] as const) {
      const res = await fetch(`${mock.url}${path}`)
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
      expect(await res.text()).toBe(readFileSync(join(ROOT, 'dist/assets', file), 'utf8'))
    }
  })

  it('serves a console and a journey that work in Chromium', async () => {
    await expectShippedPagesWork(browser, { url: mock.url, http: request(mock.url) })
  })
})
