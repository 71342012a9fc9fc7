/**
 * The QA console at /__admin/ui in a real browser, served by the built CLI (`node dist/main.js`):
 * the admin token prompt, switching the active scenario (and the next workflow execution
 * following it), force expire, the clock, redelivery, accessibility.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { admin, runFlow } from '../helpers/flow.js'
import { accessToken, createAccount } from '../helpers/jumio.js'
import { startReceiver } from '../helpers/receiver.js'
import { expectAccessible, screenshot, useBrowserKit } from './kit.js'
import { allowPageProblems } from './page-problems.js'

const TOKEN = 'qa-secret-token'
const { server: s, newPage } = useBrowserKit({ adminToken: TOKEN })

/** Opens the console and gives it the admin token through its prompt. */
async function openConsole(): Promise<Page> {
  const page = await newPage()
  // before it has the token, the console's first reads are refused
  allowPageProblems(page, /status of 401 \(Unauthorized\).*\/__admin\//)
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
    const page = await newPage()
    allowPageProblems(page, /status of 401 \(Unauthorized\).*\/__admin\//)
    await page.goto(`${s.url}/__admin/ui`)
    await expect.poll(() => page.locator('#token-form').isVisible()).toBe(true)
    await expect.poll(() => page.locator('#console-status').textContent()).toContain('admin token')
    await expectAccessible(page)
  })

  it('makes the picked scenario active, and shows the next account created through the API with it', async () => {
    const p = await openConsole()
    await p.locator('#scenario-select').selectOption('rejected-fake')
    await p.getByRole('button', { name: 'Make active' }).click()
    await expect.poll(() => p.locator('#active-scenario').textContent()).toBe('rejected-fake')
    await expect.poll(() => p.locator('#console-status').textContent()).toBe('Done.')
    const created = await createAccount(s, await accessToken(s), {
      customerInternalReference: 'console',
      workflowDefinition: { key: 10011 },
    })
    const id = created.workflowExecution.id
    await expect
      .poll(() => cellsOf(p, id), { timeout: 6000 })
      .toEqual([
        id,
        created.account.id,
        'INITIATED',
        'rejected-fake',
        '–',
        expect.stringMatching(/^created \d\d:\d\d:\d\d$/),
        'ExpireProcess',
      ])
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
      // the same callback again, sent now
      const [first, again] = receiver.received.map((r) => r.body)
      expect({ ...again, callbackSentAt: 'then' }).toEqual({ ...first, callbackSentAt: 'then' })
      expect(Date.parse(String(again?.['callbackSentAt']))).toBeGreaterThanOrEqual(
        Date.parse(String(first?.['callbackSentAt'])),
      )
      await expect.poll(() => p.locator('#callbacks-rows tr').count()).toBe(2)
    } finally {
      await receiver.close()
    }
  })
})
