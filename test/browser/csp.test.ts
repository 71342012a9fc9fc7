/**
 * The pages' Content-Security-Policy and the journey's redirects, against the
 * built CLI: no inline script runs on the journey or the console, only an http(s) site may frame
 * the journey and none the console, and the journey follows successUrl and errorUrl only when
 * they are absolute http(s) URLs, even if another URL were ever stored.
 */
import type { Page, Route } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { admin } from '../helpers/flow.js'
import { createWebJourney, useBrowserKit, webHref } from './kit.js'
import { allowPageProblems } from './page-problems.js'

const { server: s, site, newPage } = useBrowserKit()

/** The directives of a Content-Security-Policy header. */
function directives(header: string | undefined): Record<string, string> {
  const entries = (header ?? '').split(';').map((d) => d.trim().split(/\s+/))
  return Object.fromEntries(entries.map(([name = '', ...values]) => [name, values.join(' ')]))
}

/** Every `<script>` tag of a page's HTML. */
function scriptTags(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
}

/** Serves the page at `url` through `edit` (its HTML and headers), as if the server sent that. */
async function editPage(
  page: Page,
  url: string,
  edit: (html: string, headers: Record<string, string>) => string,
): Promise<void> {
  await page.route(url, async (route: Route) => {
    const res = await route.fetch()
    const headers = res.headers()
    const body = edit(await res.text(), headers)
    await route.fulfill({ response: res, body, headers })
  })
}

/** Stores `value` as the page's errorUrl and successUrl, and drops the page's CSP. */
function withRedirectsTo(value: string) {
  return (html: string, headers: Record<string, string>): string => {
    delete headers['content-security-policy']
    const json = JSON.stringify(value)
    expect(html).toMatch(/"errorUrl":"[^"]*"/)
    return html
      .replace(/"errorUrl":"[^"]*"/, `"errorUrl":${json}`)
      .replace(/"successUrl":"[^"]*"/, `"successUrl":${json}`)
  }
}

/** What a `javascript:` URL here would do: mark the page and the console's origin. */
const SCRIPT_URL = 'javascript:window.pwned=1;document.title="pwned"//'
const REFUSED = [SCRIPT_URL, 'data:text/html,<h1>pwned</h1>', '/__admin/ui', 'ftp://site/x']

describe('the Content-Security-Policy', () => {
  it('lets the journey and its end page run only the mock’s own scripts, in an http(s) frame', async () => {
    const created = await createWebJourney(s)
    const pages = [webHref(created), `${s.url}/web/v4/app?authorizationToken=garbage`]
    for (const href of pages) {
      const res = await fetch(href)
      const csp = directives(res.headers.get('content-security-policy') ?? undefined)
      expect(csp).toMatchObject({
        'default-src': "'none'",
        'script-src': "'self'",
        'object-src': "'none'",
        'base-uri': "'none'",
        'frame-ancestors': 'http: https:',
      })
      const html = await res.text()
      expect(html).not.toContain('unsafe-')
      expect(scriptTags(html)).toEqual([
        '<script type="application/json" id="page-data">',
        '<script type="module" src="/web/v4/assets/journey.js">',
      ])
    }
  })

  it('lets the console run only its own script, and in no frame', async () => {
    const res = await fetch(`${s.url}/__admin/ui`)
    const header = res.headers.get('content-security-policy') ?? ''
    expect(header).not.toContain('unsafe-')
    expect(directives(header)).toMatchObject({
      'default-src': "'none'",
      'script-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'frame-ancestors': "'none'",
    })
    expect(scriptTags(await res.text())).toEqual([
      '<script type="module" src="/__admin/ui/console.js">',
    ])
  })

  it('keeps a script that reached the journey page from running', async () => {
    const created = await createWebJourney(s)
    const page = await newPage()
    allowPageProblems(page, /violates the following Content Security Policy directive 'script-src/)
    await editPage(page, webHref(created), (html) =>
      html.replace('</main>', '</main><script>window.pwned = 1</script>'),
    )
    const refused = page.waitForEvent('console', (m) => /Content Security Policy/.test(m.text()))
    await page.goto(webHref(created))
    await refused
    await expect.poll(() => page.locator('#finish').isVisible()).toBe(true)
    expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined()
  })

  it('keeps the console out of another site’s frame', async () => {
    const page = await newPage()
    allowPageProblems(
      page,
      /violates the following Content Security Policy directive: "frame-ancestors 'none'"/,
    )
    allowPageProblems(page, /__admin\/ui net::ERR_BLOCKED_BY_RESPONSE/)
    const refused = page.waitForEvent('console', (m) => /frame-ancestors 'none'/.test(m.text()))
    await page.goto(`${site.url}/parent?src=${encodeURIComponent(`${s.url}/__admin/ui`)}`)
    await refused
    expect(
      await page.frameLocator('iframe').getByRole('heading', { name: 'QA console' }).count(),
    ).toBe(0)
  })
})

describe('the journey’s redirects', () => {
  for (const stored of REFUSED) {
    it(`never follows ${stored.slice(0, 24)}… as errorUrl on an expired journey`, async () => {
      const created = await createWebJourney(s, { web: { errorUrl: `${site.url}/error` } })
      await admin(s, 'post', `/workflow-executions/${created.workflowExecution.id}/expire`).expect(
        200,
      )
      const page = await newPage()
      const dialogs: string[] = []
      page.on('dialog', (d) => {
        dialogs.push(d.message())
        void d.dismiss()
      })
      await editPage(page, webHref(created), withRedirectsTo(stored))
      await page.goto(webHref(created))
      await expect.poll(() => page.locator('#error-code').textContent()).toBe('9200')
      await page.waitForTimeout(300) // a redirect would have happened by now
      expect(page.url()).toBe(webHref(created))
      expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined()
      expect(await page.title()).not.toBe('pwned')
      expect(dialogs).toEqual([])
    })
  }

  it('never follows a javascript: successUrl, and ends on its own page', async () => {
    const created = await createWebJourney(s, {
      web: { successUrl: `${site.url}/success`, errorUrl: `${site.url}/error` },
    })
    const page = await newPage()
    await editPage(page, webHref(created), withRedirectsTo(SCRIPT_URL))
    await page.goto(webHref(created))
    for (const button of await page.getByRole('button', { name: /Use sample image/ }).all())
      await button.click()
    await expect.poll(() => page.locator('.status.ok').count()).toBe(3)
    await page.getByRole('button', { name: 'Finish' }).click()
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Thank you')
    expect(page.url()).toBe(webHref(created))
    expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined()
    expect(site.hits).toEqual([])
  })
})
