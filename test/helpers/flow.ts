/**
 * A whole API-channel journey in one call, for tests that care about what comes out of it.
 */
import { afterEach, expect } from 'vitest'
import { samplePng } from '../../src/samples/images.js'
import { accessToken, credentialOf, pathOf, uploadImage, USER_AGENT } from './jumio.js'
import type { Created } from './jumio.js'
import type { WorkflowDetails } from '../../src/server/contract/types.js'
import type { MockHttp } from './server.js'

/** What a finished journey returns. */
export interface FlowResult {
  token: string
  created: Created
  status: string
  details: Details
}

/** A workflow execution's details, as the contract declares them. */
export type Details = WorkflowDetails

const IMAGES: Record<string, Buffer> = {
  front: samplePng(1000, 630),
  back: samplePng(1000, 630),
  face: samplePng(480, 640),
}

/** Options of a journey. */
export interface FlowOptions {
  key?: number
  client?: string
  headers?: Record<string, string>
  body?: Record<string, unknown>
  /** Stop after creation (no uploads, no finalize). */
  createOnly?: boolean
}

/** Token → create → upload every API part → finalize → read status and details. */
export async function runFlow(s: MockHttp, options: FlowOptions = {}): Promise<FlowResult> {
  const token = await accessToken(s, options.client)
  const req = s.http
    .post('/api/v1/accounts')
    .set('Authorization', `Bearer ${token}`)
    .set('User-Agent', USER_AGENT)
  for (const [k, v] of Object.entries(options.headers ?? {})) req.set(k, v)
  const res = await req
    .send({
      customerInternalReference: 'flow',
      workflowDefinition: { key: options.key ?? 10011 },
      ...options.body,
    })
    .expect(200)
  const created = res.body as Created
  if (!options.createOnly) await uploadAndFinalize(s, created)
  const base = `/api/v1/accounts/${created.account.id}/workflow-executions/${created.workflowExecution.id}`
  const read = (path: string) => {
    const r = s.http.get(path).set('Authorization', `Bearer ${token}`).set('User-Agent', USER_AGENT)
    for (const [k, v] of Object.entries(options.headers ?? {})) r.set(k, v)
    return r.expect(200)
  }
  const status = await read(`${base}/status`)
  const details = await read(base)
  return {
    token,
    created,
    status: (status.body as { workflowExecution: { status: string } }).workflowExecution.status,
    details: details.body as Details,
  }
}

/** Uploads every API part of every credential, then finalizes. */
export async function uploadAndFinalize(s: MockHttp, created: Created): Promise<void> {
  let finalize = ''
  let txToken = ''
  for (const c of created.workflowExecution.credentials) {
    if (!c.api) continue
    txToken = c.api.token
    finalize = c.api.workflowExecution
    for (const [key, href] of Object.entries(c.api.parts)) {
      if (key === 'prepared_data') {
        await s.http
          .post(pathOf(href))
          .set('Authorization', `Bearer ${txToken}`)
          .set('User-Agent', USER_AGENT)
          .send({ firstName: 'ADA', lastName: 'LOVELACE' })
          .expect(200)
      } else {
        await uploadImage(s, href, txToken, IMAGES[key] ?? samplePng(1000, 630)).expect(200)
      }
    }
  }
  await s.http
    .put(pathOf(finalize))
    .set('Authorization', `Bearer ${txToken}`)
    .set('User-Agent', USER_AGENT)
    .expect(200)
}

/** Calls the admin API. */
export function admin(
  s: MockHttp,
  method: 'get' | 'put' | 'post' | 'delete',
  path: string,
  body?: unknown,
  tenant?: string,
) {
  const req = s.http[method](`/__admin${path}`)
  if (tenant !== undefined) req.set('X-Mock-Tenant', tenant)
  if (s.adminToken) req.set('Authorization', `Bearer ${s.adminToken}`)
  return body === undefined ? req : req.send(body as object)
}

export { credentialOf }

/** Resets the whole mock after each test of the file, so that each test starts from nothing. */
export function resetAfterEach(s: MockHttp): void {
  afterEach(async () => {
    await admin(s, 'post', '/reset').expect(204)
  })
}

/**
 * Moves the mock's clock (a tenant's, or the global one and every tenant's with it) through the
 * admin API, so that every replica of a cluster moves with it; what falls due happens.
 */
export async function advanceClock(s: MockHttp, ms: number, tenant?: string): Promise<void> {
  await admin(s, 'post', '/clock/advance', { ms }, tenant).expect(200)
}

/** What the admin API shows of a workflow execution, as tests read it. */
export interface AdminView {
  tenant: string
  status: string
  scenario: string
}

/** The admin API's view of a workflow execution, found in any tenant; undefined when unknown. */
export async function adminView(s: MockHttp, id: string): Promise<AdminView | undefined> {
  const res = await admin(s, 'get', `/workflow-executions/${id}`)
  if (res.status === 404) return undefined
  expect(res.status).toBe(200)
  return res.body as AdminView
}
