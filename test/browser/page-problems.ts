/**
 * A page error fails a browser test: an uncaught exception, a console error (a CSP refusal among
 * them) or a document, script or stylesheet that did not load, in the page or any frame of it,
 * unless the test allowed it (it caused it on purpose).
 */
import type { Page } from 'playwright-core'

const problems = new WeakMap<Page, { seen: string[]; allowed: RegExp[] }>()

/**
 * Lets a page report problems that match `pattern`: the test causes them on purpose (a 401 that
 * shows the token form, an upload the API refuses, a CSP refusal the test provokes).
 */
export function allowPageProblems(page: Page, pattern: RegExp): void {
  problems.get(page)?.allowed.push(pattern)
}

/** Records every error the page (or a frame of it) reports, for pageProblems. */
export function watchPage(page: Page): void {
  const record = { seen: [] as string[], allowed: [] as RegExp[] }
  problems.set(page, record)
  const seen = (text: string) => record.seen.push(text)
  page.on('pageerror', (err) => seen(`uncaught: ${err.message}`))
  page.on('console', (msg) => {
    const { url } = msg.location()
    // a browser asks every origin for /favicon.ico on its own: no page asked, none is served
    if (msg.type() === 'error' && !url.endsWith('/favicon.ico'))
      seen(`console error: ${msg.text()} (${url})`)
  })
  page.on('requestfailed', (req) => {
    if (['document', 'script', 'stylesheet'].includes(req.resourceType()))
      seen(`${req.resourceType()} failed: ${req.url()} ${req.failure()?.errorText ?? ''}`)
  })
  page.on('response', (res) => {
    const type = res.request().resourceType()
    if ((type === 'script' || type === 'stylesheet') && res.status() >= 400)
      seen(`${type} ${res.url()}: ${String(res.status())}`)
  })
}

/** The problems a watched page reported that its test did not allow. */
export function pageProblems(page: Page): string[] {
  const record = problems.get(page)
  if (!record) return []
  return record.seen.filter((p) => !record.allowed.some((a) => a.test(p)))
}
