/**
 * Browser-test kit: Debian's chromium driven by playwright-core (never a downloaded browser)
 * against what ships: the built CLI, `node dist/main.js`, as a child process (test/helpers/
 * dist.ts). A page error fails the test (page-problems.ts). Also the client's site (site.ts),
 * axe-core checks and the screenshots of the docs.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { BUILD_TIMEOUT_MS, startDistMock } from '../helpers/dist.js'
import type { DistMock } from '../helpers/dist.js'
import { admin } from '../helpers/flow.js'
import { accessToken, createAccount } from '../helpers/jumio.js'
import type { Created } from '../helpers/jumio.js'
import { startedLater } from '../helpers/server.js'
import type { MockHttp } from '../helpers/server.js'
import { pageProblems, watchPage } from './page-problems.js'
import { startSite } from './site.js'
import type { SiteServer } from './site.js'

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

/** What a browser test file works with (all of it is live inside tests). */
export interface BrowserKit {
  /** `node dist/main.js`. */
  server: DistMock
  site: SiteServer
  /** A page in a fresh browser context whose errors fail the test; closed after the test. */
  newPage: () => Promise<Page>
}

/**
 * The set-up the browser test files share: the built mock, the client's site and one browser
 * per file. After each test: its pages closed, the mock reset (the active scenario too) and the
 * site's hits forgotten; then the test fails on any page problem it did not allow, and on any
 * error the mock logged (a response outside the contract among them).
 */
export function useBrowserKit(options: { adminToken?: string } = {}): BrowserKit {
  let server: DistMock | undefined
  let site: SiteServer | undefined
  let browser: Browser | undefined
  const contexts: BrowserContext[] = []
  beforeAll(async () => {
    ;[server, site, browser] = await Promise.all([
      startDistMock(options),
      startSite(),
      launchBrowser(),
    ])
  }, BUILD_TIMEOUT_MS)
  afterEach(async () => {
    const pages = contexts.flatMap((c) => c.pages())
    await Promise.all(contexts.splice(0).map((c) => c.close()))
    const problemsSeen = pages.flatMap(pageProblems)
    const logged = server?.newErrors() ?? []
    if (server) {
      await admin(server, 'post', '/reset').expect(204)
      await admin(server, 'put', '/scenarios/active', { name: null }).expect(200)
    }
    if (site) site.hits.length = 0
    expect(problemsSeen).toEqual([])
    expect(logged).toEqual([])
  })
  afterAll(async () => {
    await browser?.close()
    await Promise.all([server?.close(), site?.close()])
  })
  return {
    server: startedLater('useBrowserKit: the server', () => server),
    site: startedLater('useBrowserKit: the site', () => site),
    newPage: async () => {
      if (!browser) throw new Error('useBrowserKit: the browser starts in beforeAll')
      const context = await browser.newContext()
      contexts.push(context)
      const page = await context.newPage()
      watchPage(page)
      return page
    },
  }
}

/**
 * The pages of a shipped form work (the packed tarball, the library entry, the container): the
 * console fills its scenario picker from the admin API, and the journey uploads a sample image,
 * with no page problem. The admin API must need no token.
 */
export async function expectShippedPagesWork(browser: Browser, s: MockHttp): Promise<void> {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    watchPage(page)
    await page.goto(`${s.url}/__admin/ui`)
    await expect.poll(() => page.locator('#scenario-select option').count()).toBeGreaterThan(0)
    expect(await page.locator('#active-scenario').textContent()).not.toBe('–')
    await page.goto(webHref(await createWebJourney(s)))
    await page
      .getByRole('button', { name: /Use sample image/ })
      .first()
      .click()
    await expect.poll(() => page.locator('.status.ok').count()).toBe(1)
    expect(pageProblems(page)).toEqual([])
  } finally {
    await context.close()
  }
}

/** Moves the mock's clock (every tenant's) forward through the admin API. */
export async function advanceClock(s: MockHttp, ms: number): Promise<void> {
  await admin(s, 'post', '/clock/advance', { ms }).expect(200)
}

/** Creates a web-channel workflow execution; the body may add `web` settings. */
export async function createWebJourney(
  s: MockHttp,
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

const AXE = readFileSync(`${ROOT}node_modules/axe-core/axe.min.js`, 'utf8')

/**
 * Runs axe-core in the page and expects no accessibility violations. axe is evaluated through
 * the browser's devtools protocol: the page's CSP refuses any script tag a test would add.
 */
export async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(AXE)
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

/**
 * Takes a screenshot of the page; with UPDATE_SCREENSHOTS=1, saves it under docs/screenshots/.
 * Only then: the mock runs on the real clock, so times on the page differ from run to run.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env['UPDATE_SCREENSHOTS'] !== '1') {
    await page.screenshot({ fullPage: true })
    return
  }
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true })
}
