/**
 * The journey embedded in an iframe posts Jumio's events to the parent page: eventType 510,
 * payload loaded / success / error with metainfo.code, as a JSON string ([D] jumio-reference §16).
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { Created } from '../helpers/jumio.js'
import { advanceClock, createWebJourney, screenshot, useBrowserKit, webHref } from './kit.js'

const { server: s, site, newPage } = useBrowserKit()

interface Seen {
  raw: unknown
  data: { payload: { value: string; metainfo?: { code: number } } } & Record<string, unknown>
}

async function embed(created: Created): Promise<Page> {
  const page = await newPage()
  await page.goto(`${site.url}/parent?src=${encodeURIComponent(webHref(created))}`)
  return page
}

function events(p: Page): Promise<Seen[]> {
  return p.evaluate(() => (window as unknown as { jumioEvents: Seen[] }).jumioEvents)
}

async function values(p: Page): Promise<string[]> {
  return (await events(p)).map((e) => e.data.payload.value)
}

function expectIdentity(seen: Seen, created: Created): void {
  expect(typeof seen.raw).toBe('string')
  expect(seen.data).toMatchObject({
    accountId: created.account.id,
    authorizationToken: new URL(webHref(created)).searchParams.get('authorizationToken'),
    workflowExecutionId: created.workflowExecution.id,
    customerInternalReference: 'web-journey',
    eventType: 510,
  })
  expect(seen.data['dateTime']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
}

describe('iframe events', () => {
  it('posts loaded, then success after Finish', async () => {
    const created = await createWebJourney(s, { web: { successUrl: `${site.url}/success` } })
    const p = await embed(created)
    await expect.poll(() => values(p)).toEqual(['loaded'])
    const frame = p.frameLocator('iframe')
    for (const button of await frame.getByRole('button', { name: /Use sample image/ }).all()) {
      await button.click()
    }
    await expect.poll(() => frame.locator('.status.ok').count()).toBe(3)
    await screenshot(p, 'web-journey-iframe')
    await frame.getByRole('button', { name: 'Finish' }).click()
    await expect.poll(() => values(p)).toEqual(['loaded', 'success'])
    const [loaded, success] = await events(p)
    if (!loaded || !success) throw new Error('events missing')
    expectIdentity(loaded, created)
    expectIdentity(success, created)
    expect(success.data.payload).toEqual({ value: 'success' })
    // the redirect happens inside the iframe
    await expect.poll(() => site.hits.some((h) => h.pathname === '/success')).toBe(true)
  })

  it('posts error with metainfo.code 9200 for an expired token', async () => {
    const created = await createWebJourney(s, { tokenLifetime: '5m' })
    await advanceClock(s, 5 * 60_000 + 1)
    const p = await embed(created)
    await expect.poll(() => values(p)).toEqual(['loaded', 'error'])
    const error = (await events(p))[1]
    if (!error) throw new Error('error event missing')
    expectIdentity(error, created)
    expect(error.data.payload).toEqual({ value: 'error', metainfo: { code: 9200 } })
  })

  it('posts error with the simulated code', async () => {
    const created = await createWebJourney(s)
    const p = await embed(created)
    const frame = p.frameLocator('iframe')
    await frame.getByText('Simulate an error').click()
    await frame.getByLabel('Error code').selectOption('9835')
    await frame.getByRole('button', { name: 'End with this error' }).click()
    await expect.poll(() => values(p)).toEqual(['loaded', 'error'])
    expect((await events(p))[1]?.data.payload).toEqual({
      value: 'error',
      metainfo: { code: 9835 },
    })
    await expect.poll(() => frame.locator('#end-text').textContent()).toContain('9835')
  })
})
