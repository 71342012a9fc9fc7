/**
 * The hosted web journey at web.href, in a real browser, served by the built CLI (`node
 * dist/main.js`): uploads through the API channel,
 * the outcome picker, the success and error redirects, the end pages, the token errors and the
 * locale ([D] jumio-reference §4.4, §15, §16).
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { samplePng } from '../../src/samples/images.js'
import { admin } from '../helpers/flow.js'
import { credentialOf, txTokenOf, uploadImage } from '../helpers/jumio.js'
import {
  advanceClock,
  createWebJourney,
  expectAccessible,
  screenshot,
  useBrowserKit,
  webHref,
} from './kit.js'
import { allowPageProblems } from './page-problems.js'

const { server: s, site, newPage } = useBrowserKit()

async function open(href: string): Promise<Page> {
  const page = await newPage()
  await page.goto(href)
  return page
}

function withRedirects(body: Record<string, unknown> = {}): Record<string, unknown> {
  return { web: { successUrl: `${site.url}/success`, errorUrl: `${site.url}/error` }, ...body }
}

async function useSamples(p: Page): Promise<void> {
  const buttons = await p.getByRole('button', { name: /Use sample image/ }).all()
  expect(buttons.length).toBe(3) // ID front and back, selfie
  for (const button of buttons) await button.click()
  await expect.poll(() => p.locator('.status.ok').count()).toBe(3)
}

describe('the hosted web journey', () => {
  it('uploads samples, applies the picked outcome and redirects to successUrl', async () => {
    const created = await createWebJourney(s, withRedirects())
    const p = await open(webHref(created))
    await expect
      .poll(() => p.getByRole('heading', { level: 1 }).textContent())
      .toBe('Verify your identity')
    await expectAccessible(p)
    await screenshot(p, 'web-journey')
    await useSamples(p)
    await p.getByLabel('Result to simulate').selectOption('rejected-fake')
    await p.getByRole('button', { name: 'Finish' }).click()
    await p.waitForURL(`${site.url}/success?**`)
    const hit = new URL(p.url())
    expect(Object.fromEntries(hit.searchParams)).toEqual({
      acquisitionStatus: 'SUCCESS',
      accountId: created.account.id,
      workflowExecutionId: created.workflowExecution.id,
      customerInternalReference: 'web-journey',
    })
    const state = await admin(s, 'get', `/workflow-executions/${created.workflowExecution.id}`)
    expect(state.body).toMatchObject({
      status: 'PROCESSED',
      scenario: 'rejected-fake',
      decision: { type: 'REJECTED' },
    })
  })

  it('keeps the workflow scenario and shows the end page without successUrl', async () => {
    const created = await createWebJourney(s)
    const p = await open(webHref(created))
    await useSamples(p)
    await p.getByRole('button', { name: 'Finish' }).click()
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe('Thank you')
    const state = await admin(s, 'get', `/workflow-executions/${created.workflowExecution.id}`)
    expect(state.body).toMatchObject({ scenario: 'approved', decision: { type: 'PASSED' } })
  })

  it('shows the rule a rejected upload broke and keeps Finish disabled', async () => {
    const created = await createWebJourney(s)
    const p = await open(webHref(created))
    allowPageProblems(p, /status of 400 \(Bad Request\).*\/parts\/FRONT/)
    await p.getByLabel('Front side (required)').setInputFiles({
      name: 'tiny.png',
      mimeType: 'image/png',
      buffer: samplePng(200, 100),
    })
    const status = p.locator('.part[data-classifier="FRONT"] .status')
    await expect.poll(() => status.textContent()).toContain('Upload rejected (400)')
    await expect.poll(() => status.textContent()).toContain('355')
    expect(await p.getByRole('button', { name: 'Finish' }).isDisabled()).toBe(true)
  })

  it('redirects to errorUrl with a simulated error code', async () => {
    const created = await createWebJourney(s, withRedirects())
    const p = await open(webHref(created))
    await p.getByText('Simulate an error').click()
    await p.getByLabel('Error code').selectOption('9820')
    await p.getByRole('button', { name: 'End with this error' }).click()
    await p.waitForURL(`${site.url}/error?**`)
    expect(Object.fromEntries(new URL(p.url()).searchParams)).toEqual({
      acquisitionStatus: 'ERROR',
      accountId: created.account.id,
      workflowExecutionId: created.workflowExecution.id,
      customerInternalReference: 'web-journey',
      errorCode: '9820',
    })
  })

  it('sends an expired token to errorUrl with 9200', async () => {
    const created = await createWebJourney(s, withRedirects({ tokenLifetime: '5m' }))
    await advanceClock(s, 5 * 60_000 + 1)
    const p = await open(webHref(created))
    await p.waitForURL(`${site.url}/error?**`)
    expect(new URL(p.url()).searchParams.get('errorCode')).toBe('9200')
    expect(new URL(p.url()).searchParams.get('acquisitionStatus')).toBe('ERROR')
  })

  it('shows 9210 when the session expired after the journey started', async () => {
    const created = await createWebJourney(s)
    const front = credentialOf(created, 'ID').api?.parts['front'] ?? ''
    await uploadImage(s, front, txTokenOf(created), samplePng(1000, 630)).expect(200)
    await advanceClock(s, 15 * 60_000 + 1)
    const p = await open(webHref(created))
    await expect.poll(() => p.locator('#error-code').textContent()).toBe('9210')
  })

  it('shows the end page with 9200 for an invalid token', async () => {
    const p = await open(`${s.url}/web/v4/app?authorizationToken=garbage&locale=en`)
    await expect
      .poll(() => p.getByRole('heading', { level: 1 }).textContent())
      .toBe('Verification could not be completed')
    await expect.poll(() => p.locator('#error-code').textContent()).toBe('9200')
    await expectAccessible(p)
    await screenshot(p, 'web-journey-error')
  })

  it('speaks German for locale=de', async () => {
    const created = await createWebJourney(s, { web: { locale: 'de' } })
    expect(webHref(created)).toContain('locale=de')
    const p = await open(webHref(created))
    expect(await p.getAttribute('html', 'lang')).toBe('de')
    await expect
      .poll(() => p.getByRole('heading', { level: 1 }).textContent())
      .toBe('Identität bestätigen')
    expect(await p.getByRole('button', { name: 'Abschließen' }).isDisabled()).toBe(true)
    await expectAccessible(p)
  })
})
