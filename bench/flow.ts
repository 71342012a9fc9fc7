/**
 * The full flow every target is measured on, as a real client runs it: an access
 * token, an account with workflow definition 10011 (ID + identity), a FRONT and a BACK photo of
 * 1 MiB each and a FACE photo of 0.57 MiB, finalize, status. Seven requests, 2.57 MiB of images.
 * Hrefs are followed as the answers give them (their path, on the target); where an answer has
 * none (Prism answers its schema's placeholders), the documented paths are built from the ids.
 */
import type { HttpClient } from './http.js'
import { basic, pathOf } from './http.js'
import { photoJpeg } from './jpeg.js'

/** The photos of one flow, by classifier; sizes and resolutions of a phone capture. */
export const PHOTOS = {
  FRONT: photoJpeg(2000, 1300, 1_048_576, 1),
  BACK: photoJpeg(2000, 1300, 1_048_576, 2),
  FACE: photoJpeg(1080, 1440, 597_688, 3),
} as const
export type Classifier = keyof typeof PHOTOS
/** Image bytes a flow uploads. */
export const FLOW_IMAGE_BYTES = Object.values(PHOTOS).reduce((n, p) => n + p.length, 0)

/** A boundary as Node's own `fetch` (undici) writes it. */
const BOUNDARY = '----formdata-undici-027120364151'
/** A multipart/form-data body with one file field, and its content type. */
export function multipart(bytes: Buffer, filename: string): { body: Buffer; type: string } {
  const head =
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
    'Content-Type: image/jpeg\r\n\r\n'
  return {
    body: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]),
    type: `multipart/form-data; boundary=${BOUNDARY}`,
  }
}
const BODIES = Object.fromEntries(
  Object.entries(PHOTOS).map(([k, v]) => [k, multipart(v, `${k.toLowerCase()}.jpg`)]),
) as Record<Classifier, { body: Buffer; type: string }>

export const TOKEN_REQUEST = {
  headers: {
    Authorization: basic('bench', 'secret'),
    'Content-Type': 'application/x-www-form-urlencoded',
  },
  body: 'grant_type=client_credentials',
}
export const ACCOUNT_REQUEST = JSON.stringify({
  customerInternalReference: 'bench-flow',
  userReference: 'user-1',
  workflowDefinition: { key: 10011 },
})

interface Credential {
  id?: string
  api?: { token?: string; parts?: Record<string, unknown>; workflowExecution?: unknown }
}
/** The parts of a create answer a client reads. */
interface CreateAnswer {
  account?: { id?: string }
  workflowExecution?: { id?: string; credentials?: Credential[] }
}

/** Where a created workflow execution's requests go, and with which token. */
export interface FlowPlan {
  token: string
  uploads: { classifier: Classifier; path: string }[]
  finalize: string
  status: string
  details: string
  /** The FRONT image's retrieval path. */
  image: string
}

/** Reads the plan of a flow from a create answer. */
export function planOf(text: string): FlowPlan {
  const created = JSON.parse(text) as CreateAnswer
  const acc = created.account?.id ?? 'account'
  const wfe = created.workflowExecution?.id ?? 'workflow'
  const apis = (created.workflowExecution?.credentials ?? []).filter((c) => c.api)
  const first = apis[0]
  const execution = `/api/v1/accounts/${acc}/workflow-executions/${wfe}`
  const uploads = (Object.keys(PHOTOS) as Classifier[]).map((classifier) => {
    const owner = apis.find((c) => c.api?.parts?.[classifier.toLowerCase()] !== undefined)
    const href = pathOf(owner?.api?.parts?.[classifier.toLowerCase()])
    const built = `${execution}/credentials/${first?.id ?? 'credential'}/parts/${classifier}`
    return { classifier, path: href ?? built }
  })
  const front = apis.find((c) => c.api?.parts?.['front'] !== undefined) ?? first
  return {
    token: first?.api?.token ?? '',
    uploads,
    finalize: pathOf(first?.api?.workflowExecution) ?? execution,
    status: `${execution}/status`,
    details: execution,
    image: `/api/v1/accounts/${acc}/credentials/${front?.id ?? 'credential'}/parts/FRONT`,
  }
}

/** Why a flow failed: the step and its answer. */
export class FlowError extends Error {}

function expect200(step: string, status: number, body: string): void {
  if (status !== 200) throw new FlowError(`${step}: ${String(status)} ${body.slice(0, 200)}`)
}

/** Gets an access token. */
export async function accessToken(http: HttpClient): Promise<string> {
  const { headers, body } = TOKEN_REQUEST
  const res = await http.send('POST', '/oauth2/token', headers, body)
  expect200('token', res.status, res.body)
  return (JSON.parse(res.body) as { access_token: string }).access_token
}

/** Creates an account and reads its plan. */
export async function createAccount(http: HttpClient, access: string): Promise<FlowPlan> {
  const headers = { Authorization: `Bearer ${access}`, 'Content-Type': 'application/json' }
  const res = await http.send('POST', '/api/v1/accounts', headers, ACCOUNT_REQUEST)
  expect200('create', res.status, res.body)
  return planOf(res.body)
}

/** Uploads one photo. */
export async function upload(http: HttpClient, plan: FlowPlan, classifier: Classifier) {
  const path = plan.uploads.find((u) => u.classifier === classifier)?.path ?? ''
  const { body, type } = BODIES[classifier]
  const headers = { Authorization: `Bearer ${plan.token}`, 'Content-Type': type }
  const res = await http.send('POST', path, headers, body)
  expect200(`upload ${classifier}`, res.status, res.body)
}

/**
 * Reads a finalized workflow execution's status until it is PROCESSED (its details and images
 * are then there), whatever the mock's processing delay; a FlowError after `ms`.
 */
export async function untilProcessed(http: HttpClient, plan: FlowPlan, access: string, ms = 5000) {
  const until = performance.now() + ms
  for (;;) {
    const res = await http.send('GET', plan.status, { Authorization: `Bearer ${access}` })
    expect200('status', res.status, res.body)
    if (res.body.includes('"PROCESSED"')) return res.body
    if (performance.now() > until) throw new FlowError(`not PROCESSED after ${String(ms)} ms`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** One whole flow: token, create, FRONT, BACK, FACE, finalize, status. Throws a FlowError. */
export async function runFlow(http: HttpClient): Promise<FlowPlan> {
  const access = await accessToken(http)
  const plan = await createAccount(http, access)
  for (const { classifier } of plan.uploads) await upload(http, plan, classifier)
  const fin = await http.send('PUT', plan.finalize, { Authorization: `Bearer ${plan.token}` })
  expect200('finalize', fin.status, fin.body)
  const status = await http.send('GET', plan.status, { Authorization: `Bearer ${access}` })
  expect200('status', status.status, status.body)
  return plan
}
