/**
 * @module The hosted web journey's browser script. Each function here is sent to the browser as
 * its source text (see `clientScript`), so they use only the DOM and each other, never imports.
 *
 * Uploads and finalize call the real API endpoints with the transaction token, so the web
 * channel meets exactly the API channel's rules and errors ([D] REFERENCE §3.2: one token for
 * every channel). Redirect parameters and iframe events follow [D] REFERENCE §16; the event is
 * posted as a JSON string, as Jumio's iframe logging example parses `event.data` with
 * `JSON.parse` ([O] Jumio implementation guides, "Optional iFrame Logging").
 */
import type { JourneyData } from './journey-page.js'
import { clientScript } from './html.js'

/** Wires the page: events, uploads, Finish and the error control. */
export function journeyMain(): void {
  const data = journeyData()
  postJumioEvent(data, 'loaded')
  if (data.mode === 'error') {
    endWithError(data, data.errorCode ?? 9100)
    return
  }
  for (const part of Array.from(document.querySelectorAll<HTMLElement>('[data-part]')))
    wirePart(data, part)
  journeyElement('finish').addEventListener('click', () => {
    void finishJourney(data)
  })
  journeyElement('fail').addEventListener('click', () => {
    const select = journeyElement('error-code-select') as HTMLSelectElement
    endWithError(data, Number(select.value))
  })
  updateFinish()
}

/** The data the server rendered into `#page-data`. */
export function journeyData(): JourneyData {
  return JSON.parse(journeyElement('page-data').textContent) as JourneyData
}

/** An element that the page is known to have. */
export function journeyElement(id: string): HTMLElement {
  const el = document.getElementById(id)
  if (!el) throw new Error(`#${id} is missing`)
  return el
}

/** [D] posts Jumio's iframe event (eventType 510) to the embedding page (REFERENCE §16). */
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

/** Sends the browser to successUrl or errorUrl with Jumio's parameters (REFERENCE §16). */
export function redirectWith(
  base: string,
  data: JourneyData,
  status: 'SUCCESS' | 'ERROR',
  code?: number,
): void {
  const url = new URL(base, window.location.href)
  const params: [string, string | undefined][] = [
    ['acquisitionStatus', status],
    ['accountId', data.accountId],
    ['workflowExecutionId', data.workflowExecutionId],
    ['customerInternalReference', data.customerInternalReference],
    ['errorCode', code === undefined ? undefined : String(code)],
  ]
  for (const [key, value] of params) if (value !== undefined) url.searchParams.set(key, value)
  window.location.replace(url.toString())
}

/** The error path: the error event, then errorUrl, or Jumio's end page without one. */
export function endWithError(data: JourneyData, code: number): void {
  postJumioEvent(data, 'error', code)
  if (data.errorUrl !== undefined) {
    redirectWith(data.errorUrl, data, 'ERROR', code)
    return
  }
  if (data.mode === 'error') return // the server already rendered the end page
  showEndPage(data.labels.errorPageHeading, `${data.labels.errorPageText} ${String(code)}`)
}

/** Replaces the page's content with an end page. */
export function showEndPage(heading: string, text: string): void {
  const main = journeyElement('main')
  const box = document.createElement('div')
  box.className = 'end'
  const h1 = document.createElement('h1')
  h1.textContent = heading
  const p = document.createElement('p')
  p.id = 'end-text'
  p.textContent = text
  box.append(h1, p)
  main.replaceChildren(box)
  h1.tabIndex = -1
  h1.focus()
}

/** Uploads on file choice or on "use sample image". */
export function wirePart(data: JourneyData, part: HTMLElement): void {
  const input = part.querySelector<HTMLInputElement>('input[type=file]')
  const sample = part.querySelector<HTMLButtonElement>('button[data-sample]')
  input?.addEventListener('change', () => {
    const file = input.files?.[0]
    if (file) void uploadPart(data, part, file)
  })
  sample?.addEventListener('click', () => {
    void uploadSample(data, part)
  })
}

/** Fetches the built-in sample image for the part's classifier and uploads it. */
export async function uploadSample(data: JourneyData, part: HTMLElement): Promise<void> {
  const classifier = part.dataset['classifier'] ?? 'FRONT'
  const res = await fetch(`/web/v4/samples/${classifier}.png`)
  const blob = await res.blob()
  await uploadPart(data, part, new File([blob], `sample-${classifier}.png`, { type: 'image/png' }))
}

/** Uploads one file to the part's API URL with the transaction token. */
export async function uploadPart(data: JourneyData, part: HTMLElement, file: File): Promise<void> {
  const status = part.querySelector<HTMLElement>('.status')
  setJourneyStatus(status, data.labels.uploading, '')
  part.dataset['uploaded'] = 'false'
  const form = new FormData()
  form.append('file', file)
  let res: Response
  try {
    res = await fetch(part.dataset['path'] ?? '', {
      method: 'POST',
      headers: { Authorization: `Bearer ${data.token}` },
      body: form,
    })
  } catch {
    endWithError(data, 9300)
    return
  }
  const detail = await problemDetail(res)
  if (res.status === 401) {
    endWithError(data, /SESSION_EXPIRED/.test(detail) ? 9210 : 9200)
    return
  }
  if (res.ok) {
    part.dataset['uploaded'] = 'true'
    setJourneyStatus(status, `${data.labels.uploaded}: ${file.name}`, 'ok')
  } else {
    setJourneyStatus(
      status,
      `${data.labels.uploadFailed} (${String(res.status)}): ${detail}`,
      'bad',
    )
  }
  updateFinish()
}

/** The `detail` of a problem response, or its status text. */
export async function problemDetail(res: Response): Promise<string> {
  if (res.ok) return ''
  try {
    const body = (await res.json()) as { detail?: string; title?: string }
    return body.detail ?? body.title ?? res.statusText
  } catch {
    return res.statusText
  }
}

/** Shows a message in a status line. */
export function setJourneyStatus(el: HTMLElement | null, text: string, kind: string): void {
  if (!el) return
  el.textContent = text
  el.className = `status ${kind}`
}

/** Finish is enabled once every required part is uploaded. */
export function updateFinish(): void {
  const parts = Array.from(document.querySelectorAll<HTMLElement>('[data-part]'))
  const ready = parts.every(
    (p) => p.dataset['required'] !== 'true' || p.dataset['uploaded'] === 'true',
  )
  ;(journeyElement('finish') as HTMLButtonElement).disabled = !ready
}

/** Sets the picked outcome, finalizes through the API, then the success path. */
export async function finishJourney(data: JourneyData): Promise<void> {
  const button = journeyElement('finish') as HTMLButtonElement
  const status = journeyElement('finish-status')
  button.disabled = true
  setJourneyStatus(status, data.labels.finishing, '')
  const outcome = (journeyElement('outcome') as HTMLSelectElement).value
  const auth = { Authorization: `Bearer ${data.token}` }
  const steps: [string, RequestInit][] = [
    [
      data.outcomePath,
      {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ scenario: outcome }),
      },
    ],
    [data.finalizePath ?? '', { method: 'PUT', headers: auth }],
  ]
  for (const [path, init] of outcome === '' ? steps.slice(1) : steps) {
    let res: Response
    try {
      res = await fetch(path, init)
    } catch {
      endWithError(data, 9810)
      return
    }
    if (res.ok) continue
    const detail = await problemDetail(res)
    if (res.status === 401) {
      endWithError(data, /SESSION_EXPIRED/.test(detail) ? 9210 : 9200)
      return
    }
    setJourneyStatus(status, `${String(res.status)}: ${detail}`, 'bad')
    button.disabled = false
    return
  }
  postJumioEvent(data, 'success')
  if (data.successUrl !== undefined) redirectWith(data.successUrl, data, 'SUCCESS')
  else showEndPage(data.labels.successHeading, data.labels.successText)
}

/** The script served at `/web/v4/assets/journey.js`. */
export const JOURNEY_SCRIPT = clientScript(
  [
    journeyMain,
    journeyData,
    journeyElement,
    postJumioEvent,
    redirectWith,
    endWithError,
    showEndPage,
    wirePart,
    uploadSample,
    uploadPart,
    problemDetail,
    setJourneyStatus,
    updateFinish,
    finishJourney,
  ],
  'journeyMain',
)
