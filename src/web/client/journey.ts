/**
 * @module The hosted web journey's page script (entry point, compiled by esbuild into
 * `journey.js`): uploads, the outcome picker, Finish and the error control.
 *
 * Uploads and finalize call the real API endpoints with the transaction token, so the web
 * channel meets exactly the API channel's rules and errors ([D] jumio-reference §3.2: one token for
 * every channel).
 */
import type { JourneyData } from '../journey-data.js'
import { byId, setStatus } from './dom.js'
import { endWithError, endWithSuccess, postJumioEvent } from './journey-exit.js'

/** Wires the page: events, uploads, Finish and the error control. */
function main(): void {
  const data = JSON.parse(byId('page-data').textContent) as JourneyData
  postJumioEvent(data, 'loaded')
  if (data.mode === 'error') {
    endWithError(data, data.errorCode ?? 9100)
    return
  }
  for (const part of Array.from(document.querySelectorAll<HTMLElement>('[data-part]')))
    wirePart(data, part)
  byId('finish').addEventListener('click', () => {
    void finish(data)
  })
  byId('fail').addEventListener('click', () => {
    endWithError(data, Number((byId('error-code-select') as HTMLSelectElement).value))
  })
  updateFinish()
}

/** Uploads on file choice or on "use sample image". */
function wirePart(data: JourneyData, part: HTMLElement): void {
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
async function uploadSample(data: JourneyData, part: HTMLElement): Promise<void> {
  const classifier = part.dataset['classifier'] ?? 'FRONT'
  const res = await fetch(`/web/v4/samples/${classifier}.png`)
  const blob = await res.blob()
  await uploadPart(data, part, new File([blob], `sample-${classifier}.png`, { type: 'image/png' }))
}

/** Uploads one file to the part's API URL with the transaction token. */
async function uploadPart(data: JourneyData, part: HTMLElement, file: File): Promise<void> {
  const status = part.querySelector<HTMLElement>('.status')
  setStatus(status, data.labels.uploading, '')
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
    setStatus(status, `${data.labels.uploaded}: ${file.name}`, 'ok')
  } else {
    setStatus(status, `${data.labels.uploadFailed} (${String(res.status)}): ${detail}`, 'bad')
  }
  updateFinish()
}

/** The `detail` of a problem response, or its status text. */
async function problemDetail(res: Response): Promise<string> {
  if (res.ok) return ''
  try {
    const body = (await res.json()) as { detail?: string; title?: string }
    return body.detail ?? body.title ?? res.statusText
  } catch {
    return res.statusText
  }
}

/** Finish is enabled once every required part is uploaded. */
function updateFinish(): void {
  const parts = Array.from(document.querySelectorAll<HTMLElement>('[data-part]'))
  const ready = parts.every(
    (p) => p.dataset['required'] !== 'true' || p.dataset['uploaded'] === 'true',
  )
  ;(byId('finish') as HTMLButtonElement).disabled = !ready
}

/** Sets the picked outcome, finalizes through the API, then the success path. */
async function finish(data: JourneyData): Promise<void> {
  const button = byId('finish') as HTMLButtonElement
  const status = byId('finish-status')
  button.disabled = true
  setStatus(status, data.labels.finishing, '')
  const outcome = (byId('outcome') as HTMLSelectElement).value
  const auth = { Authorization: `Bearer ${data.token}` }
  const setOutcome: RequestInit = {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ scenario: outcome }),
  }
  const steps: [string, RequestInit][] = [
    ...(outcome === '' ? [] : [[data.outcomePath, setOutcome] as [string, RequestInit]]),
    [data.finalizePath ?? '', { method: 'PUT', headers: auth }],
  ]
  for (const [path, init] of steps) {
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
    setStatus(status, `${String(res.status)}: ${detail}`, 'bad')
    button.disabled = false
    return
  }
  endWithSuccess(data)
}

main()
