/**
 * Shared pieces of the property-based tests: the contract's operations, forged tokens,
 * state snapshots and raw requests through `node:http`, so that any path, header or body can be
 * sent as written.
 */
import fc from 'fast-check'
import { SignJWT } from 'jose'
import { request } from 'node:http'
import { gzipSync } from 'node:zlib'
import { Contract } from '../../src/server/contract/validators.js'
import { TokenService } from '../../src/server/domain/tokens.js'
import type { Created } from '../helpers/jumio.js'
import { credentialOf, txTokenOf } from '../helpers/jumio.js'
import type { TestServer } from '../helpers/server.js'
import { T0 } from '../helpers/server.js'

/** The secret the fuzzed servers sign with, so that tests can forge correctly keyed tokens. */
export const SECRET = 'fuzz-secret-fuzz-secret-fuzz-secret'
/** Every test of this folder runs fast-check with this seed unless FC_SEED says otherwise. */
export const FC_SEED = Number(process.env['FC_SEED'] ?? 7)

/** Every operation of the Jumio contract. */
export const OPERATIONS = [...Contract.load('jumio').operations.values()].map((op) => ({
  id: op.operationId,
  method: op.method,
  path: op.path,
}))
export type Operation = (typeof OPERATIONS)[number]

/** Operations authorized by the workflow transaction token rather than an access token. */
export const TRANSACTION_OPS = new Set(['uploadPart', 'updatePart', 'finalizeWorkflowExecution'])

const b64 = (v: string | Buffer) => Buffer.from(v).toString('base64url')

/** Tokens that must all be refused: tampered, unsigned, wrongly signed, or expired. */
export async function badTokens(valid: { access: string; transaction: string }) {
  const [h, p, sig] = valid.transaction.split('.') as [string, string, string]
  const [ah, ap, asig] = valid.access.split('.') as [string, string, string]
  const claims = {
    exAt: String(T0 + 3_600_000),
    accId: 'x',
    aId: 'y',
    wfeId: 'y',
    cRef: 'r',
    cId: 'c',
  }
  const other = new TokenService(Buffer.from('another secret'))
  const own = new TokenService(Buffer.from(SECRET))
  const hs256 = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .sign(Buffer.from(SECRET))
  return {
    'tampered transaction payload': `${h}.${b64(gzipSync(JSON.stringify(claims)))}.${sig}`,
    'tampered access payload': `${ah}.${b64(JSON.stringify({ sub: 'evil', exp: 9e9 }))}.${asig}`,
    'transaction alg none': `${b64('{"alg":"none","zip":"GZIP"}')}.${p}.`,
    'access alg none': `${b64('{"alg":"none","typ":"JWT"}')}.${ap}.`,
    'HS256 instead of HS512': hs256,
    'HS512 header on an HS256 token': `${b64('{"alg":"HS512","zip":"GZIP"}')}.${ap}.${asig}`,
    'access token, wrong key': await other.issueAccessToken('client-a', 'client-a', T0, 'j'),
    'transaction token, wrong key': await other.issueTransactionToken(claims),
    'access token, expired': await own.issueAccessToken(
      'client-a',
      'client-a',
      T0 - 7_200_000,
      'j',
    ),
    'truncated signature': valid.transaction.slice(0, -5),
    'access token as transaction token': valid.access,
  }
}

/** The store's workflow executions, serialized with image bytes as their length. */
export async function snapshot(s: TestServer): Promise<string> {
  const all = await s.deps.store.listWorkflowExecutions()
  return JSON.stringify(all, (_k, v: unknown) =>
    v instanceof Uint8Array ? `bytes:${String(v.length)}` : v,
  )
}

/** The real path of an operation for a created workflow execution, some parameters replaced. */
export function pathFor(op: Operation, w: Created, replace: Record<string, string> = {}): string {
  const ids: Record<string, string> = {
    accountId: w.account.id,
    workflowExecutionId: w.workflowExecution.id,
    credentialId: credentialOf(w, 'ID').id,
    classifier: 'FRONT',
  }
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => replace[name] ?? ids[name] ?? name)
}

/** The authorization an operation normally sends. */
export function authFor(op: Operation, w: Created, access: string): string | undefined {
  if (op.id === 'getHealth') return undefined
  if (op.id === 'requestAccessToken') return `Basic ${b64('client-a:secret')}`
  return `Bearer ${TRANSACTION_OPS.has(op.id) ? txTokenOf(w) : access}`
}

/** Path parameter values that try to leave their segment or confuse decoding. */
export const NASTY_IDS = [
  '..',
  '%2e%2e',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2f',
  '..%5C..%5Cwindows',
  '%00',
  '%ZZ',
  '%E0%A4%A',
  '%F0%9F%92%A9',
  '%3Cscript%3E',
  '%252e%252e%252f',
  'a'.repeat(3000),
  '%20',
  'FRONT%2F..%2FFACE',
  '00000000-0000-0000-0000-000000000000',
]

/** Any path parameter: a nasty one, a random one percent-encoded, or a random UUID. */
export const idArb = fc.oneof(
  fc.constantFrom(...NASTY_IDS),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.uuid(),
)

/** Classifiers: real ones, lower-case, unknown and random. */
export const classifierArb = fc.oneof(
  fc.constantFrom('FRONT', 'BACK', 'FACE', 'FACEMAP', 'PREPARED_DATA', 'DOCUMENT'),
  fc.constantFrom('front', 'SELFIE', 'FRONT ', 'FACE%00', 'PREPARED%5FDATA'),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
)

/** Printable ASCII: what a header value may hold. */
export const headerValueArb = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 80,
})

/**
 * Sends a request as written. The path goes out byte for byte: `fetch` (and `new URL`) resolve
 * `..` and `%2e%2e` segments first, so a path traversal would never reach the server (a fuzz
 * run once took `/accounts/../workflow-executions/ID` for a traversal answered 200, when the
 * server had been sent `/workflow-executions/ID`).
 */
export function send(
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: Uint8Array | string },
): Promise<{ status: number; text: string }> {
  const [, origin = '', written = '/'] = /^(https?:\/\/[^/?]+)(.*)$/.exec(url) ?? []
  // what cannot go on a request line at all (spaces, controls, non-ASCII) encoded, as fetch does
  const path = written.replace(/[^\x21-\x7e]/g, encodeURIComponent)
  const { hostname, port } = new URL(origin)
  // node:http frames a body by itself only for some methods: a DELETE's would go unframed
  const headers = { ...init.headers }
  if (init.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(init.body))
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname, port, path, method: init.method, headers, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') })
        })
        res.on('error', reject)
      },
    )
    req.on('timeout', () => req.destroy(new Error(`no answer in 10 s: ${init.method} ${path}`)))
    req.on('error', reject)
    req.end(init.body)
  })
}
