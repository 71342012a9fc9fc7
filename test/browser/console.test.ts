/**
 * The QA console at /__admin/ui in a real browser: the admin token prompt, switching the active
 * scenario (and the next workflow's results following it), force expire, the clock, accessibility.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { admin, runFlow } from '../helpers/flow.js'
import { expectNoResponseViolations, startTestServer } from '../helpers/server.js'
import type { TestServer } from '../helpers/server.js'
import { startReceiver } from '../helpers/receiver.js'
import { expectAccessible, launchBrowser, screenshot } from './kit.js'

const TOKEN = 'qa-secret-token'
let s: TestServer
let browser: Browser
let page: Page

beforeAll(async () => {
  ;[s, browser] = await Promise.all([startTestServer(['--admin-token', TOKEN]), launchBrowser()])
})
afterEach(async () => {
  await page.context().close()
  expectNoResponseViolations(s)
  await admin(s, 'post', '/reset').expect(204)
  await admin(s, 'put', '/scenarios/active', { name: null }).expect(200)
})
afterAll(async () => {
  await browser.close()
  await s.close()
})

/** Opens the console and gives it the admin token through its prompt. */
async function openConsole(): Promise<Page> {
  page = await (await browser.newContext()).newPage()
  await page.goto(`${s.url}/__admin/ui`)
  await page.getByLabel('Admin token').fill(TOKEN)
  await page.getByRole('button', { name: 'Use token' }).click()
  await expect.poll(() => page.locator('#active-scenario').textContent()).toBe('approved')
  return page
}

function cellsOf(p: Page, id: string): Promise<string[]> {
  return p.locator(`#wfe-rows tr:has(td:text-is("${id}")) td`).allTextContents()
}

describe('the QA console', () => {
  it('serves a page without data, and asks for the admin token', async () => {
    const res = await s.http.get('/__admin/ui').expect(200)
    expect(res.text).not.toContain('approved')
    await s.http.get('/__admin/scenarios').expect(401)
    page = await (await browser.newContext()).newPage()
    await page.goto(`${s.url}/__admin/ui`)
    await expect.poll(() => page.locator('#token-form').isVisible()).toBe(true)
    await expect.poll(() => page.locator('#console-status').textContent()).toContain('admin token')
    await expectAccessible(page)
  })

  it('switches the active scenario, and the next workflow follows it', async () => {
    const p = await openConsole()
    await p.locator('#scenario-select').selectOption('rejected-fake')
    await p.getByRole('button', { name: 'Make active' }).click()
    await expect.poll(() => p.locator('#active-scenario').textContent()).toBe('rejected-fake')
    expect((await admin(s, 'get', '/scenarios/active').expect(200)).body).toMatchObject({
      name: 'rejected-fake',
      source: 'global',
    })
    const flow = await runFlow(s)
    expect(flow.details.decision.type).toBe('REJECTED')
    const id = flow.created.workflowExecution.id
    await expect
      .poll(() => cellsOf(p, id), { timeout: 6000 })
      .toEqual([
        id,
        flow.created.account.id,
        'PROCESSED',
        'rejected-fake',
        expect.stringContaining('REJECTED'),
        expect.stringContaining('completed'),
        '',
      ])
    await expectAccessible(p)
    await screenshot(p, 'qa-console')
  })

  it('force-expires a workflow execution and advances the clock', async () => {
    const flow = await runFlow(s, { createOnly: true })
    const id = flow.created.workflowExecution.id
    const p = await openConsole()
    await p.getByRole('button', { name: `Expire ${id}` }).click()
    await expect.poll(async () => (await cellsOf(p, id))[2]).toBe('TOKEN_EXPIRED')
    await p.getByLabel(/Advance by/).fill('1h')
    await p.getByRole('button', { name: 'Advance', exact: true }).click()
    await expect.poll(() => p.locator('#clock-skew').textContent()).toBe('3600000')
  })

  it('redelivers a callback', async () => {
    const receiver = await startReceiver()
    try {
      await runFlow(s, { body: { callbackUrl: receiver.url } })
      await receiver.waitFor(1)
      const p = await openConsole()
      const redeliver = p.getByRole('button', { name: /^Redeliver / })
      await expect.poll(() => redeliver.count()).toBe(1)
      await redeliver.click()
      await receiver.waitFor(2)
      expect(receiver.received[1]?.body).toEqual(receiver.received[0]?.body)
      await expect.poll(() => p.locator('#callbacks-rows tr').count()).toBe(2)
    } finally {
      await receiver.close()
    }
  })
})
