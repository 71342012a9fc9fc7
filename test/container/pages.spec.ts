/**
 * The pages of the container image work in Chromium: the console and the journey
 * served by the mock running at JUMIO_MOCK_URL (the container, in scripts/container-test.sh).
 */
import request from 'supertest'
import { describe, it } from 'vitest'
import { expectShippedPagesWork, launchBrowser } from '../browser/kit.js'

const url = process.env['JUMIO_MOCK_URL']
if (!url) throw new Error('Set JUMIO_MOCK_URL to the running mock (scripts/container-test.sh does)')

describe('the container', () => {
  it('serves a console and a journey that work in Chromium', async () => {
    const browser = await launchBrowser()
    try {
      await expectShippedPagesWork(browser, { url, http: request(url) })
    } finally {
      await browser.close()
    }
  }, 60_000)
})
