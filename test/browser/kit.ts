/**
 * Browser-test kit: Debian's chromium driven by playwright-core (never a downloaded browser), a
 * tiny loopback page server standing in for the client's site (successUrl, errorUrl and a parent
 * page embedding the journey in an iframe), axe-core checks and screenshots for the docs.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { admin } from '../helpers/flow.js'
import { accessToken, createAccount } from '../helpers/jumio.js'
import type { Created } from '../helpers/jumio.js'
import { expectNoResponseViolations, startTestServer, startedLater } from '../helpers/server.js'
import type { TestServer } from '../helpers/server.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** Screenshots shown in docs/web-and-console.md. */
export const SCREENSHOTS = `${ROOT}docs/screenshots/`

/** Launches headless chromium with the flags DEVELOPERS.md lists (a fresh temp profile). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** What a browser test of the journey works with (the server and site are live inside tests). */
export interface BrowserJourney {
  server: TestServer
  site: SiteServer
  /** A page in a fresh browser context, closed after the test. */
  newPage: () => Promise<Page>
}

/**
 * The set-up the journey's browser test files share: a test server, the client's site and one
 * browser per file. After each test, in this order: its pages closed, no response violation,
 * the mock reset and the site's hits forgotten.
 */
export function useBrowserJourney(): BrowserJourney {
  let server: TestServer | undefined
  let site: SiteServer | undefined
  let browser: Browser | undefined
  const contexts: BrowserContext[] = []
  beforeAll(async () => {
    ;[server, site, browser] = await Promise.all([startTestServer(), startSite(), launchBrowser()])
  })
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()))
    if (!server || !site) return
    expectNoResponseViolations(server)
    await admin(server, 'post', '/reset').expect(204)
    site.hits.length = 0
  })
  afterAll(async () => {
    await browser?.close()
    await Promise.all([server?.close(), site?.close()])
  })
  return {
    server: startedLater('useBrowserJourney: the server', () => server),
    site: startedLater('useBrowserJourney: the site', () => site),
    newPage: async () => {
      if (!browser) throw new Error('useBrowserJourney: the browser starts in beforeAll')
      const context = await browser.newContext()
      contexts.push(context)
      return context.newPage()
    },
  }
}

/** The client's site: records every request, and serves a parent page that embeds `?src=`. */
export interface SiteServer {
  url: string
  hits: URL[]
  close: () => Promise<void>
}

/** Starts the client's site on loopback. */
export async function startSite(): Promise<SiteServer> {
  const hits: URL[] = []
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname === '/favicon.ico') {
      res.writeHead(404).end()
      return
    }
    hits.push(url)
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    if (url.pathname === '/parent') {
      res.end(parentPage(url.searchParams.get('src') ?? ''))
      return
    }
    res.end(`<!doctype html><html lang="en"><title>${url.pathname}</title><h1>${url.pathname}</h1>`)
  })
  server.listen(0, '127.0.0.1')
  await new Promise<void>((resolve) => server.once('listening', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve()
        })
      }),
  }
}

function parentPage(src: string): string {
  const attr = src.replace(/&/g, '&amp;').replace(/"/g, '&quot;')
  // The listener parses event.data as Jumio's own iframe logging example does.
  return `<!doctype html><html lang="en"><head><title>Parent</title><script>
window.jumioEvents = [];
window.addEventListener('message', function (event) {
  window.jumioEvents.push({ raw: event.data, data: JSON.parse(event.data) });
});
</script></head><body><h1>Parent</h1>
<iframe title="Jumio" src="${attr}" width="900" height="900"></iframe></body></html>`
}

/** Creates a web-channel workflow execution; the body may add `web` settings. */
export async function createWebJourney(
  s: TestServer,
  body: Record<string, unknown> = {},
): Promise<Created> {
  const token = await accessToken(s)
  return createAccount(s, token, {
    customerInternalReference: 'web-journey',
    workflowDefinition: { key: 10013 },
    ...body,
  })
}

/** The web.href of a created workflow execution. */
export function webHref(created: Created): string {
  const href = created.web?.href
  if (!href) throw new Error('no web.href')
  return href
}

/** Injects axe-core and expects no accessibility violations on the page. */
export async function expectAccessible(page: Page): Promise<void> {
  await page.addScriptTag({ path: `${ROOT}node_modules/axe-core/axe.min.js` })
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: () => Promise<AxeResult> } }).axe
    const result = await axe.run()
    return result.violations.map(
      (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    )
  })
  expect(violations).toEqual([])
}

interface AxeResult {
  violations: { id: string; nodes: { target: string[] }[] }[]
}

/** Saves a screenshot of the page under docs/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true })
}
