/**
 * Steps of a Jumio flow for a mock in another process, on the package's JumioClient, recording
 * only what the server acknowledged with a 200: after a crash, exactly that must still be there.
 */
import { expect } from 'vitest'
import { JumioClient } from '../../src/client/jumio-client.js'
import type { JumioSchemas } from '../../src/client/jumio-client.js'
import { samplePng } from '../../src/samples/images.js'

/** The User-Agent of the durable tests' requests (Jumio asks for the company and app). */
export const UA = 'AcmeBank KYC/1.0'

/** A callback URL nothing listens on: these tests do not wait for callbacks. */
export const NO_CALLBACKS = 'http://127.0.0.1:9/'

/** The headers of a request with `token`. */
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}`, 'User-Agent': UA })

/** An acknowledged upload: its bytes must come back byte for byte. */
export interface AckedPart {
  credentialId: string
  classifier: string
  bytes: Buffer
}

/** An acknowledged workflow execution and how far it got. */
export interface Acked {
  accountId: string
  wfeId: string
  txToken: string
  parts: AckedPart[]
  finalized: boolean
}

type AccountCredential = JumioSchemas['AccountCredential']

/** The typed client the package exports, on the mock at `url`. */
function jumio(url: string): JumioClient {
  return new JumioClient({ hosts: url, userAgent: UA })
}

/** The answer's body when it is a 200; otherwise an error naming the step and the status. */
function ok<T>(step: string, answer: { data?: T; response: Response }): T {
  if (answer.response.status !== 200 || answer.data === undefined) {
    throw new Error(`${step}: ${String(answer.response.status)}`)
  }
  return answer.data
}

/** Gets an OAuth2 access token for `client` (the tenant). */
export async function accessToken(url: string, client: string): Promise<string> {
  return ok('token', await jumio(url).token(client, 'secret')).access_token
}

/** Creates an account; returns the acknowledged workflow execution and its upload targets. */
export async function create(url: string, token: string, callbackUrl: string, ref: string) {
  const body = ok(
    'create',
    await jumio(url).createAccount(token, {
      customerInternalReference: ref,
      callbackUrl,
      tokenLifetime: '1d',
      workflowDefinition: { key: 10011 },
    }),
  )
  const api: AccountCredential[] = body.workflowExecution.credentials.filter((c) => c.api)
  const acked: Acked = {
    accountId: body.account.id,
    wfeId: body.workflowExecution.id,
    txToken: api[0]?.api?.token ?? '',
    parts: [],
    finalized: false,
  }
  return { acked, credentials: api }
}

/** Uploads an image with the transaction token; records it when answered 200. */
export async function upload(
  acked: Acked,
  credentialId: string,
  key: string,
  href: string,
  bytes: Buffer,
) {
  const file = new Blob([new Uint8Array(bytes)], { type: 'image/png' })
  ok('upload', await jumio(new URL(href).origin).uploadFile(href, acked.txToken, file, 'image.png'))
  acked.parts.push({ credentialId, classifier: key.toUpperCase(), bytes })
}

/** Finalizes; records it when answered 200. */
export async function finalize(acked: Acked, href: string): Promise<void> {
  ok('finalize', await jumio(new URL(href).origin).finalize(href, acked.txToken))
  acked.finalized = true
}

/** One full flow; every step that is answered 200 lands in `log` at once. */
export async function flow(
  url: string,
  token: string,
  callbackUrl: string,
  n: number,
  log: Acked[],
) {
  const { acked, credentials } = await create(url, token, callbackUrl, `durable-${String(n)}`)
  log.push(acked)
  let finalizeHref = ''
  for (const c of credentials) {
    if (!c.api) continue
    finalizeHref = c.api.workflowExecution
    for (const [key, href] of Object.entries(c.api.parts)) {
      // distinct bytes per flow and part, so a mix-up cannot pass the byte comparison
      const bytes = samplePng(key === 'face' ? 480 + n : 1000 + n, key === 'face' ? 640 : 630)
      await upload(acked, c.id, key, href, bytes)
    }
  }
  await finalize(acked, finalizeHref)
}

/** GETs a retrieval path with the access token. */
export async function read(url: string, token: string, path: string): Promise<Response> {
  return fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${token}`, 'User-Agent': UA } })
}

/** GETs a part of an account's credential with the access token. */
export function readPart(
  url: string,
  token: string,
  accountId: string,
  credentialId: string,
  classifier: string,
): Promise<Response> {
  return read(
    url,
    token,
    `/api/v1/accounts/${accountId}/credentials/${credentialId}/parts/${classifier}`,
  )
}

/** The status of a workflow execution (counts as a status read). */
export async function statusOf(url: string, token: string, a: Acked): Promise<string> {
  const res = await read(
    url,
    token,
    `/api/v1/accounts/${a.accountId}/workflow-executions/${a.wfeId}/status`,
  )
  if (res.status !== 200) throw new Error(`status of ${a.wfeId}: ${String(res.status)}`)
  return ((await res.json()) as JumioSchemas['WorkflowStatusResponse']).workflowExecution.status
}

/** The admin health: its status code, its status, the data directory's report, the counts. */
export async function health(url: string) {
  const res = await fetch(`${url}/__admin/health`)
  const body = (await res.json()) as {
    status: string
    durable?: Record<string, unknown>
    store: Record<string, number>
  }
  return { code: res.status, ...body }
}

/** The flags of a durable mock in these tests: its data directory, no delays, no retries. */
export const durableFlags = (dataDir: string): string[] => [
  ...['--port', '0', '--data-dir', dataDir, '--processing-delay', '0'],
  ...['--callback-retries', '0', '--log-level', 'error', '--watch=false'],
]

/**
 * A change the disk refused: 507 (no space) or 503 (another failure) in Jumio's problem shape,
 * saying `why` and that nothing of it was kept.
 */
export async function expectStorageRefusal(res: Response, status: 503 | 507, why: string) {
  expect(res.status).toBe(status)
  const body = (await res.json()) as Record<string, unknown>
  expect(body).toEqual({
    title: status === 507 ? 'Insufficient Storage' : 'Service Unavailable',
    status,
    detail: expect.stringContaining(why) as unknown,
  })
  expect(body['detail']).toContain('Nothing of it was kept')
}
