/**
 * A lean Jumio client for the benchmarks: keep-alive `node:http`, no test framework, so that the
 * client costs the shared two cores as little as possible. Shared by the bench runner and the
 * load test.
 */
import { Agent, request } from 'node:http'
import type { AccountResponse } from '../src/server/contract/types.js'
import { samplePng } from '../src/samples/images.js'

const UA = 'AcmeBank KYC/1.0'
const agent = new Agent({ keepAlive: true, maxSockets: 256 })

/** An HTTP answer. */
export interface Answer {
  status: number
  body: string
}

/** One request with a keep-alive connection. */
export function call(
  url: string,
  method: string,
  headers: Record<string, string> = {},
  body?: Buffer | string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const all: Record<string, string> = { 'User-Agent': UA, ...headers }
    if (body !== undefined) all['Content-Length'] = String(Buffer.byteLength(body))
    const req = request(url, { method, headers: all, agent }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (d: Buffer) => chunks.push(d))
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() })
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** A multipart body carrying `bytes` in the field "file", and its content type. */
export function multipart(bytes: Buffer, filename = 'image.jpg'): { body: Buffer; type: string } {
  const b = 'benchboundary7'
  const head = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`
  return {
    body: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${b}--\r\n`)]),
    type: `multipart/form-data; boundary=${b}`,
  }
}

/** Gets an access token. */
export async function token(base: string, client = 'bench'): Promise<string> {
  const res = await call(
    `${base}/oauth2/token`,
    'POST',
    {
      Authorization: `Basic ${Buffer.from(`${client}:secret`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    'grant_type=client_credentials',
  )
  if (res.status !== 200) throw new Error(`token: ${String(res.status)} ${res.body}`)
  return (JSON.parse(res.body) as { access_token: string }).access_token
}

/** What account creation returns, as the contract declares it. */
export type Created = AccountResponse

/** The JSON body of an account creation. */
export function accountBody(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    customerInternalReference: 'bench',
    workflowDefinition: { key: 10011 },
    ...extra,
  })
}

/** Creates an account with one workflow execution (10011: ID + identity). */
export async function create(base: string, access: string, extra = {}): Promise<Created> {
  const res = await call(
    `${base}/api/v1/accounts`,
    'POST',
    { Authorization: `Bearer ${access}`, 'Content-Type': 'application/json' },
    accountBody(extra),
  )
  if (res.status !== 200) throw new Error(`create: ${String(res.status)} ${res.body}`)
  return JSON.parse(res.body) as Created
}

const IMAGES: Record<string, Buffer> = {
  front: samplePng(1000, 630),
  back: samplePng(1000, 630),
  face: samplePng(480, 640),
}
const BODIES = Object.fromEntries(
  Object.entries(IMAGES).map(([k, v]) => [k, multipart(v, 'a.png')]),
)

/** Uploads every API part (the tests' small PNGs) and finalizes; returns the status codes. */
export async function uploadAndFinalize(created: Created): Promise<number[]> {
  const statuses: number[] = []
  let finalize = ''
  let tx = ''
  for (const c of created.workflowExecution.credentials) {
    if (!c.api) continue
    tx = c.api.token
    finalize = c.api.workflowExecution
    for (const [key, href] of Object.entries(c.api.parts)) {
      const m = BODIES[key] ?? BODIES['front']
      if (!m) continue
      const res = await call(
        href,
        'POST',
        { Authorization: `Bearer ${tx}`, 'Content-Type': m.type },
        m.body,
      )
      statuses.push(res.status)
    }
  }
  statuses.push((await call(finalize, 'PUT', { Authorization: `Bearer ${tx}` })).status)
  return statuses
}

/** A whole flow with a reused access token: create, three uploads, finalize, status, details. */
export async function flow(
  base: string,
  access: string,
  extra = {},
): Promise<{ created: Created; statuses: number[] }> {
  const created = await create(base, access, extra)
  const statuses = [200, ...(await uploadAndFinalize(created))]
  const wfe = `${base}/api/v1/accounts/${created.account.id}/workflow-executions/${created.workflowExecution.id}`
  const auth = { Authorization: `Bearer ${access}` }
  statuses.push((await call(`${wfe}/status`, 'GET', auth)).status)
  statuses.push((await call(wfe, 'GET', auth)).status)
  return { created, statuses }
}

/** Runs `work` on `concurrency` loops until `until()` is false; counts the iterations. */
export async function loops(
  concurrency: number,
  until: () => boolean,
  work: () => Promise<void>,
): Promise<number> {
  let done = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (until()) {
        await work()
        done += 1
      }
    }),
  )
  return done
}
