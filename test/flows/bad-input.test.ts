import type { Test } from 'supertest'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Contract } from '../../src/server/contract/validators.js'
import { accessToken, createAccount, credentialOf, txTokenOf } from '../helpers/jumio.js'
import type { Created } from '../helpers/jumio.js'
import { startHttpMock } from '../helpers/http-mock.js'
import { expectNoResponseViolations } from '../helpers/server.js'
import type { RunningMock } from '../helpers/server.js'

let s: RunningMock
let token: string
let w: Created
beforeAll(async () => {
  s = await startHttpMock()
  token = await accessToken(s)
})
beforeEach(async () => {
  w = await createAccount(s, token, {
    customerInternalReference: 'bad-input',
    userReference: 'u',
    workflowDefinition: { key: 10011 },
  })
})
afterEach(() => {
  expectNoResponseViolations(s)
})
afterAll(() => s.close())

/** Every operation of the contract, with how it authenticates. */
const OPERATIONS = [...Contract.load('jumio').operations.values()].map((op) => ({
  id: op.operationId,
  method: op.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete',
  path: op.path,
}))

const deep = (levels: number, leaf = '1') => '{"a":'.repeat(levels) + leaf + '}'.repeat(levels)
const deepArray = (levels: number) => '['.repeat(levels) + ']'.repeat(levels)
const DEEP = 10_000
const BIG = 'x'.repeat(12_000)

/** Malformed requests; each gets the operation's real ids and credentials unless it replaces them. */
const CASES: [string, (t: Test) => Test][] = [
  [
    'garbage bytes as JSON',
    (t) => t.type('json').send(Buffer.from([0x00, 0xff, 0x7b, 0x7b, 0xfe])),
  ],
  ['garbage text', (t) => t.type('text').send('}{ not json at all ]')],
  ['a JSON array', (t) => t.type('json').send('[1,2,3]')],
  ['JSON null', (t) => t.type('json').send('null')],
  ['form data to a JSON route', (t) => t.type('form').send('a=%ZZ&b=&&=c')],
  [
    'multipart without a boundary',
    (t) => t.set('Content-Type', 'multipart/form-data').send('--x\r\n'),
  ],
  [
    'multipart with a broken body',
    (t) =>
      t
        .set('Content-Type', 'multipart/form-data; boundary=xyz')
        .send('--xyz\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc'),
  ],
  [
    'a wrong content type',
    (t) => t.set('Content-Type', 'application/x-unknown; charset=ebcdic').send('??'),
  ],
  ['an XML body', (t) => t.type('xml').send('<a><b/></a>')],
  [`an object nested ${DEEP} levels`, (t) => t.type('json').send(deep(DEEP))],
  [`an array nested ${DEEP} levels`, (t) => t.type('json').send(deepArray(DEEP))],
  [
    `a valid account body with capabilities nested ${DEEP} levels`,
    (t) =>
      t
        .type('json')
        .send(
          `{"customerInternalReference":"x","userReference":"u","workflowDefinition":{"key":10011,"capabilities":${deep(DEEP)}}}`,
        ),
  ],
  [
    `prepared data with kyc nested ${DEEP} levels`,
    (t) => t.type('json').send(`{"kyc":${deep(DEEP)}}`),
  ],
  ['a 12 kB header value', (t) => t.set('X-Padding', BIG)],
  ['a 12 kB User-Agent', (t) => t.set('User-Agent', BIG)],
  ['a 12 kB X-Mock-Scenario', (t) => t.set('X-Mock-Scenario', BIG)],
  ['a 12 kB X-Request-Id', (t) => t.set('X-Request-Id', BIG)],
  ['headers over the server limit', (t) => t.set('X-A', BIG).set('X-B', BIG)],
  ['a 12 kB bearer', (t) => t.set('Authorization', `Bearer ${BIG}`)],
  ['a bearer of three empty parts', (t) => t.set('Authorization', 'Bearer ..')],
  [
    'a bearer with a JWS header of JSON null',
    (t) => t.set('Authorization', `Bearer ${Buffer.from('null').toString('base64url')}.e30.x`),
  ],
  [
    'a transaction-looking token with a non-gzip payload',
    (t) =>
      t.set(
        'Authorization',
        `Bearer ${Buffer.from('{"alg":"HS512","zip":"GZIP"}').toString('base64url')}.AAAA.AAAA`,
      ),
  ],
  ['Basic auth that is not base64', (t) => t.set('Authorization', 'Basic ***')],
  [
    'Basic auth without a colon',
    (t) => t.set('Authorization', `Basic ${Buffer.from('abc').toString('base64')}`),
  ],
  ['an unknown X-Mock-Scenario', (t) => t.set('X-Mock-Scenario', '../../etc/passwd')],
  [
    'a Content-Length larger than the body',
    (t) => t.set('Content-Length', '10').send('{}').timeout(500),
  ],
]

const IDS = [
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f',
  '%00',
  '%ZZ',
  '%E0%A4%A',
  '%F0%9F%92%A9',
  '%3Cscript%3E',
  'a'.repeat(2000),
  '%20',
  'FRONT%2F..%2FFACE',
]

function pathFor(template: string, weird?: { name: string; value: string }): string {
  const ids: Record<string, string> = {
    accountId: w.account.id,
    workflowExecutionId: w.workflowExecution.id,
    credentialId: credentialOf(w, 'ID').id,
    classifier: 'FRONT',
  }
  return template.replace(/\{(\w+)\}/g, (_, name: string) =>
    weird?.name === name ? weird.value : (ids[name] ?? name),
  )
}

function request(op: (typeof OPERATIONS)[number], path: string): Test {
  const t = s.http[op.method](path).set('User-Agent', 'AcmeBank KYC/1.0')
  if (op.id === 'requestAccessToken') return t.auth('client-a', 'secret')
  if (op.id === 'getHealth') return t
  const transaction = ['uploadPart', 'updatePart', 'finalizeWorkflowExecution'].includes(op.id)
  return t.set('Authorization', `Bearer ${transaction ? txTokenOf(w) : token}`)
}

async function statusOf(label: string, t: Test): Promise<number> {
  try {
    return (await t).status
  } catch (err) {
    // a client-side timeout or reset is fine as long as the server did not answer 5xx
    const e = err as { status?: number; code?: string; timeout?: number }
    if (e.status !== undefined) return e.status
    if (e.code === 'ECONNRESET' || e.timeout !== undefined) return 0
    throw new Error(`${label}: ${String(err)}`)
  }
}

describe('no malformed input makes any route answer 5xx', () => {
  it('covers every operation of the contract', () => {
    expect(OPERATIONS.map((o) => o.id).sort()).toEqual([
      'createAccount',
      'deleteAccount',
      'deleteWorkflowExecution',
      'finalizeWorkflowExecution',
      'getHealth',
      'getPart',
      'getWorkflowExecution',
      'getWorkflowExecutionById',
      'getWorkflowExecutionStatus',
      'getWorkflowExecutionSteps',
      'requestAccessToken',
      'updateAccount',
      'updatePart',
      'uploadPart',
    ])
  })

  it.each(OPERATIONS.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op] as const))(
    '%s',
    async (_, op) => {
      const statuses: Record<string, number> = {}
      for (const [name, mutate] of CASES) {
        statuses[name] = await statusOf(name, mutate(request(op, pathFor(op.path))))
      }
      for (const name of [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '')) {
        for (const value of IDS) {
          const label = `${name} ${value.slice(0, 20)}`
          statuses[label] = await statusOf(label, request(op, pathFor(op.path, { name, value })))
        }
      }
      const failures = Object.entries(statuses).filter(([, status]) => status >= 500)
      expect(failures).toEqual([])
      await s.http.get('/__admin/health').expect(200)
    },
  )
})
