/**
 * A small Jumio client for tests, written the way Jumio's documentation says to call the API.
 */
import { request } from 'node:http'
import type { ClientRequest } from 'node:http'
import { gunzipSync } from 'node:zlib'
import { beforeAll } from 'vitest'
import { JumioClient } from '../../src/client/jumio-client.js'
import type { components } from '../../src/server/contract/jumio.gen.js'
import type {
  AccountCredential,
  AccountResponse,
  WorkflowDetails,
} from '../../src/server/contract/types.js'
import type { MockHttp } from './server.js'

type CapabilityEntry = components['schemas']['CapabilityEntry']

export const USER_AGENT = 'AcmeBank KYC/1.0'

/** Gets an OAuth2 access token with Basic client credentials. */
export async function accessToken(s: MockHttp, client = 'client-a'): Promise<string> {
  const res = await s.http
    .post('/oauth2/token')
    .auth(client, 'secret')
    .set('User-Agent', USER_AGENT)
    .type('form')
    .send({ grant_type: 'client_credentials' })
    .expect(200)
  return (res.body as { access_token: string }).access_token
}

/** A credential of an account response, as the contract declares it. */
export type Credential = AccountCredential

/** An account response (create or update), as the contract declares it. */
export type Created = AccountResponse

/** Creates an account (POST) or a new workflow execution on one (PUT). */
export async function createAccount(
  s: MockHttp,
  token: string,
  body: Record<string, unknown>,
  accountId?: string,
): Promise<Created> {
  const req = accountId
    ? s.http.put(`/api/v1/accounts/${accountId}`)
    : s.http.post('/api/v1/accounts')
  const res = await req
    .set('Authorization', `Bearer ${token}`)
    .set('User-Agent', USER_AGENT)
    .send(body)
    .expect(200)
  return res.body as Created
}

/** The path of an absolute href on the test server. */
export function pathOf(href: string): string {
  const u = new URL(href)
  return u.pathname + u.search
}

/** The credential of a category. */
export function credentialOf(created: Created, category: string): Credential {
  const c = created.workflowExecution.credentials.find((x) => x.category === category)
  if (!c) throw new Error(`no ${category} credential`)
  return c
}

/** Uploads an image to a part URL with the transaction token. */
export function uploadImage(
  s: MockHttp,
  href: string,
  token: string,
  bytes: Buffer,
  filename = 'image.png',
) {
  return s.http
    .post(pathOf(href))
    .set('Authorization', `Bearer ${token}`)
    .set('User-Agent', USER_AGENT)
    .attach('file', bytes, filename)
}

/** Decodes a transaction token's gzipped claims without verifying it. */
export function transactionClaims(token: string): Record<string, string> {
  const [, payload] = token.split('.')
  return JSON.parse(gunzipSync(Buffer.from(payload ?? '', 'base64url')).toString('utf8')) as Record<
    string,
    string
  >
}

/** Uploads prepared data (a JSON body) to a PREPARED_DATA part URL with the transaction token. */
export function uploadJson(s: MockHttp, href: string, token: string, body: unknown) {
  return s.http
    .post(pathOf(href))
    .set('Authorization', `Bearer ${token}`)
    .set('User-Agent', USER_AGENT)
    .type('json')
    .send(JSON.stringify(body))
}

/** The transaction token of a created workflow execution (the same on every credential). */
export function txTokenOf(created: Created): string {
  const token = created.workflowExecution.credentials.find((c) => c.api)?.api?.token
  if (!token) throw new Error('no credential with an api block')
  return token
}

/** Finalizes a workflow execution (PUT on its api.workflowExecution URL, no body). */
export function finalize(s: MockHttp, created: Created, token = txTokenOf(created)) {
  return s.http
    .put(
      `/api/v1/accounts/${created.account.id}/workflow-executions/${created.workflowExecution.id}`,
    )
    .set('Authorization', `Bearer ${token}`)
    .set('User-Agent', USER_AGENT)
}

/** The retrieval path of a workflow execution's details; append `/status` or `/steps`. */
export function workflowPath(created: Created): string {
  return `/api/v1/accounts/${created.account.id}/workflow-executions/${created.workflowExecution.id}`
}

/** A GET with the OAuth2 bearer, as retrieval is called. */
export function retrieve(s: MockHttp, token: string, path: string) {
  return s.http.get(path).set('Authorization', `Bearer ${token}`).set('User-Agent', USER_AGENT)
}

/** A workflow execution's details, as the contract declares them. */
export type Details = WorkflowDetails

/** `[category, type, label]` of each entry of a capability, for compact assertions. */
export function decisionsOf(details: Details, capability: string): string[][] {
  const entries: CapabilityEntry[] = details.capabilities[capability] ?? []
  return entries.map((e) => [
    e.credentials?.map((c) => c.category).join('+') ?? '',
    e.decision.type,
    e.decision.details.label,
  ])
}

/** A flow test's Jumio client: see {@link useClient}. */
export interface FlowClient {
  /** The access token, fetched before the file's tests run. */
  readonly token: string
  /** The package's typed client on the same mock, for calls that read typed answers. */
  readonly api: JumioClient
  create(body: Record<string, unknown>, accountId?: string): Promise<Created>
  /** A create request as sent, any body and `Authorization` (the token's bearer by default). */
  createRequest(body: unknown, authorization?: string): ReturnType<MockHttp['http']['post']>
  retrieve(path: string): ReturnType<typeof retrieve>
  details(created: Created): Promise<Details>
  upload(
    href: string,
    token: string,
    bytes: Buffer,
    filename?: string,
  ): ReturnType<typeof uploadImage>
  uploadJson(href: string, token: string, body: unknown): ReturnType<typeof uploadJson>
  finalize(created: Created, token?: string): ReturnType<typeof finalize>
}

/**
 * The set-up every flow test shares: an access token for `client` before the tests, and the steps
 * of Jumio's API bound to the mock and that token. Steps answer supertest requests, so that a test
 * asserts on the wire (status, headers, body) as a client would see it.
 */
export function useClient(s: MockHttp, client = 'client-a'): FlowClient {
  let token = ''
  let api: JumioClient | undefined
  beforeAll(async () => {
    token = await accessToken(s, client)
  })
  return {
    get token() {
      return token
    },
    get api() {
      api ??= new JumioClient({ hosts: s.url, userAgent: USER_AGENT })
      return api
    },
    create: (body, accountId) => createAccount(s, token, body, accountId),
    createRequest: (body, authorization = `Bearer ${token}`) =>
      s.http
        .post('/api/v1/accounts')
        .set('Authorization', authorization)
        .set('User-Agent', USER_AGENT)
        .send(body as object),
    retrieve: (path) => retrieve(s, token, path),
    details: async (created) =>
      (await retrieve(s, token, workflowPath(created)).expect(200)).body as Details,
    upload: (href, tx, bytes, filename) => uploadImage(s, href, tx, bytes, filename),
    uploadJson: (href, tx, body) => uploadJson(s, href, tx, body),
    finalize: (created, tx) => finalize(s, created, tx),
  }
}

/**
 * A request the test sends in pieces (`write`, then `end`), to act while its body arrives;
 * `answer` resolves with the status and body. Without a Content-Length in `headers`, node:http
 * sends the body chunked, as a streaming client does.
 */
export function piecewise(
  url: string,
  method: string,
  headers: Record<string, string>,
): { req: ClientRequest; answer: Promise<{ status: number; body: string }> } {
  const req = request(url, { method, headers })
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = ''
      res.on('data', (d: Buffer) => {
        body += d.toString()
      })
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body })
      })
    })
    req.on('error', reject)
  })
  return { req, answer }
}

/**
 * A streamed upload (no Content-Length: chunked, as a streaming client sends it) of the ID's
 * front image of `w` on the mock at `url`, its multipart head written: `write` the file's bytes,
 * then `finish`.
 */
export function streamedFront(url: string, w: Created) {
  const api = credentialOf(w, 'ID').api
  const boundary = 'streamed'
  const { req, answer } = piecewise(
    `${url}${new URL(api?.parts['front'] ?? '').pathname}`,
    'POST',
    {
      Authorization: `Bearer ${api?.token ?? ''}`,
      'User-Agent': USER_AGENT,
      'Content-Type': `multipart/form-data; boundary=${boundary}`,
    },
  )
  req.write(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
  )
  return {
    write: (bytes: Buffer) => req.write(bytes),
    finish: () => {
      req.end(`\r\n--${boundary}--\r\n`)
    },
    answer,
  }
}
