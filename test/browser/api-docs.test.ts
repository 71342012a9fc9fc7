/**
 * `/__admin/docs` in a real browser: the page renders from the mock's own assets, offers the mock
 * that serves it as the first and selected server (Jumio's hosts after it), and "Try it out"
 * sends the request to that mock.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectNoResponseViolations, startTestServer } from '../helpers/server.js'
import type { TestServer } from '../helpers/server.js'
import { launchBrowser } from './kit.js'

let s: TestServer
let browser: Browser

beforeAll(async () => {
  ;[s, browser] = await Promise.all([startTestServer(), launchBrowser()])
})
afterAll(async () => {
  await browser.close()
  await s.close()
})

/** Opens the docs at an operation (deep link), failing on any script error of the page. */
async function openDocs(hash: string): Promise<{ page: Page; errors: string[] }> {
  const page = await (await browser.newContext()).newPage()
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  await page.goto(`${s.url}/__admin/docs${hash}`)
  await page.locator('.servers select').waitFor()
  return { page, errors }
}

describe('the API docs page', () => {
  it("selects the mock as the Jumio API's server, with Jumio's hosts listed after it", async () => {
    const { page, errors } = await openDocs('')
    const options = await page.locator('.servers select option').allTextContents()
    expect(options[0]).toMatch(/^\/ - This mock/)
    expect(options.slice(1).join('\n')).toContain('https://{family}.amer-1.jumio.ai')
    expect(await page.locator('.servers select').inputValue()).toBe('/')
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('sends "Try it out" to the mock serving the page', async () => {
    const { page, errors } = await openDocs('#/status/getHealth')
    const operation = page.locator('#operations-status-getHealth')
    await operation.getByRole('button', { name: 'Try it out' }).click()
    await operation.getByRole('button', { name: 'Execute' }).click()
    await operation.locator('.request-url').waitFor()
    expect(await operation.locator('.request-url pre').textContent()).toBe(`${s.url}/`)
    const live = operation.locator('.live-responses-table tbody .response-col_status')
    await expect.poll(() => live.first().textContent()).toContain('200')
    expect(await operation.locator('.live-responses-table').textContent()).toContain('"UP"')
    expect(errors).toEqual([])
    await page.context().close()
    expectNoResponseViolations(s)
  })
})
