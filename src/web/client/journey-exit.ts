/**
 * @module How a journey ends: Jumio's iframe event to the embedding page, then the redirect to
 * successUrl or errorUrl with Jumio's parameters, or the end page without one ([D] jumio-reference §16).
 * The event is posted as a JSON string, as Jumio's iframe logging example parses `event.data`
 * with `JSON.parse` ([O] Jumio implementation guides, "Optional iFrame Logging").
 */
import type { JourneyData } from '../journey-data.js'
import { byId } from './dom.js'

/** [D] posts Jumio's iframe event (eventType 510) to the embedding page (jumio-reference §16). */
export function postJumioEvent(
  data: JourneyData,
  value: 'loaded' | 'success' | 'error',
  code?: number,
): void {
  if (window.parent === window) return
  const event = {
    accountId: data.accountId,
    authorizationToken: data.token,
    workflowExecutionId: data.workflowExecutionId,
    customerInternalReference: data.customerInternalReference,
    eventType: 510,
    dateTime: new Date().toISOString(),
    payload: code === undefined ? { value } : { value, metainfo: { code } },
  }
  window.parent.postMessage(JSON.stringify(event), '*')
}

/**
 * successUrl or errorUrl with Jumio's parameters, or null when `base` is not an absolute http(s)
 * URL. The page runs on the mock's origin, which is also the QA console's: a `javascript:` or
 * `data:` URL must never be followed, even if one were ever stored. The server refuses
 * them when the account is created; this is the second line, and the page's CSP the third.
 */
export function redirectTarget(
  base: string,
  data: JourneyData,
  status: 'SUCCESS' | 'ERROR',
  code?: number,
): string | null {
  let url: URL
  try {
    url = new URL(base) // no base URL: a relative one throws
  } catch {
    return null
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  const params: [string, string | undefined][] = [
    ['acquisitionStatus', status],
    ['accountId', data.accountId],
    ['workflowExecutionId', data.workflowExecutionId],
    ['customerInternalReference', data.customerInternalReference],
    ['errorCode', code === undefined ? undefined : String(code)],
  ]
  for (const [key, value] of params) if (value !== undefined) url.searchParams.set(key, value)
  return url.href
}

/** The success path: the success event, then successUrl, or the success end page. */
export function endWithSuccess(data: JourneyData): void {
  postJumioEvent(data, 'success')
  const target =
    data.successUrl === undefined ? null : redirectTarget(data.successUrl, data, 'SUCCESS')
  if (target !== null) window.location.replace(target)
  else showEndPage(data.labels.successHeading, data.labels.successText)
}

/** The error path: the error event, then errorUrl, or Jumio's end page without one. */
export function endWithError(data: JourneyData, code: number): void {
  postJumioEvent(data, 'error', code)
  const target =
    data.errorUrl === undefined ? null : redirectTarget(data.errorUrl, data, 'ERROR', code)
  if (target !== null) {
    window.location.replace(target)
    return
  }
  if (data.mode === 'error') return // the server already rendered the end page
  showEndPage(data.labels.errorPageHeading, `${data.labels.errorPageText} ${String(code)}`)
}

/** Replaces the page's content with an end page. */
export function showEndPage(heading: string, text: string): void {
  const box = document.createElement('div')
  box.className = 'end'
  const h1 = document.createElement('h1')
  h1.textContent = heading
  const p = document.createElement('p')
  p.id = 'end-text'
  p.textContent = text
  box.append(h1, p)
  byId('main').replaceChildren(box)
  h1.tabIndex = -1
  h1.focus()
}
