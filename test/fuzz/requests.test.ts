/**
 * Property: whatever a client sends to any operation of the contract (random and mutated bodies,
 * headers, query strings, multipart parts, forged tokens, ids, classifiers), the mock never
 * answers 5xx, every answer is contract-valid (response validation is on; afterEach checks it),
 * it stays healthy, and a rejected request leaves the stored state exactly as it was.
 */
import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { accessToken, createAccount, txTokenOf } from '../helpers/jumio.js'
import type { Created } from '../helpers/jumio.js'
import { expectNoResponseViolations, startTestServer } from '../helpers/server.js'
import type { TestServer } from '../helpers/server.js'
import { bodyArb } from './bodies.js'
import type { FuzzBody } from './bodies.js'
import {
  FC_SEED,
  OPERATIONS,
  SECRET,
  authFor,
  badTokens,
  classifierArb,
  headerValueArb,
  idArb,
  pathFor,
  send,
  snapshot,
} from './kit.js'
import type { Operation } from './kit.js'

/** Run counts, reported in docs/benchmarks.md. */
const RUNS = { anyRequest: 600, forgedTokens: 300, pathParameters: 400 }

let s: TestServer
let access: string
let w: Created
let forged: Record<string, string>

const fixture = async () => {
  w = await createAccount(s, access, {
    customerInternalReference: 'fuzz',
    userReference: 'u',
    workflowDefinition: { key: 10011 },
  })
}

beforeAll(async () => {
  s = await startTestServer(['--token-secret', SECRET])
  s.deps.log = { info: () => undefined, warn: console.warn, error: console.error }
  access = await accessToken(s)
  await fixture()
  forged = await badTokens({ access, transaction: txTokenOf(w) })
})
afterEach(() => {
  expectNoResponseViolations(s)
})
afterAll(() => s.close())

interface Shot {
  op: Operation
  path: string
  query?: Record<string, string>
  headers?: Record<string, string>
  authorization?: string | undefined
  body: FuzzBody
}

/** Sends one request and checks the properties that hold for every answer. */
async function fire(shot: Shot): Promise<number> {
  const before = await snapshot(s)
  const qs = new URLSearchParams(shot.query ?? {}).toString()
  const headers: Record<string, string> = { 'User-Agent': 'Fuzz/1.0', ...shot.headers }
  if (shot.authorization !== undefined) headers['Authorization'] = shot.authorization
  if (shot.body.contentType) headers['Content-Type'] = shot.body.contentType
  const hasBody = shot.body.body !== undefined && !['GET', 'HEAD'].includes(shot.op.method)
  const res = await send(`${s.url}${shot.path}${qs ? `?${qs}` : ''}`, {
    method: shot.op.method,
    headers,
    ...(hasBody && { body: shot.body.body }),
  })
  const what = `${shot.op.method} ${shot.path.slice(0, 120)} (${shot.body.label}) → ${String(res.status)} ${res.text.slice(0, 200)}`
  expect(res.status, what).toBeLessThan(500)
  if (res.status >= 400) {
    expect(() => JSON.parse(res.text) as unknown, what).not.toThrow()
    expect(await snapshot(s), `state changed by a rejected request: ${what}`).toBe(before)
  } else {
    // an accepted request may delete or finalize the fixture: start from a fresh one
    await fixture()
  }
  return res.status
}

const headersArb = fc.dictionary(
  fc.constantFrom(
    'X-Mock-Scenario',
    'X-Request-Id',
    'Accept',
    'Accept-Encoding',
    'User-Agent',
    'X-Forwarded-Host',
    'X-Forwarded-Proto',
    'Origin',
    'Range',
  ),
  headerValueArb,
  { maxKeys: 3 },
)
const queryArb = fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 }), {
  maxKeys: 3,
})
const opArb = fc.constantFrom(...OPERATIONS)

describe('fuzzed requests never break the mock', () => {
  it(`any operation, any body, headers, query and authorization (${String(RUNS.anyRequest)} runs)`, async () => {
    const authArb = fc.oneof(
      fc.constant('valid'),
      fc.constant('none'),
      headerValueArb,
      fc.constantFrom(...Object.values(forged)).map((t) => `Bearer ${t}`),
    )
    await fc.assert(
      fc.asyncProperty(
        opArb,
        bodyArb,
        headersArb,
        queryArb,
        authArb,
        classifierArb,
        async (op, body, headers, query, auth, classifier) => {
          const authorization =
            auth === 'valid' ? authFor(op, w, access) : auth === 'none' ? undefined : auth
          const path = pathFor(op, w, { classifier })
          await fire({ op, path, body, headers, query, authorization })
        },
      ),
      { numRuns: RUNS.anyRequest, seed: FC_SEED },
    )
    await send(`${s.url}/__admin/health`, { method: 'GET' }).then((r) => {
      expect(r.status).toBe(200)
    })
  })

  it(`forged tokens are refused with 401 or 403 on every operation (${String(RUNS.forgedTokens)} runs)`, async () => {
    // the real access token is only "forged" where a transaction token belongs
    const names = Object.keys(forged).filter((n) => n !== 'access token as transaction token')
    const protectedOps = OPERATIONS.filter(
      (o) => o.id !== 'getHealth' && o.id !== 'requestAccessToken',
    )
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...protectedOps),
        fc.constantFrom(...names),
        bodyArb,
        async (op, name, body) => {
          const status = await fire({
            op,
            path: pathFor(op, w),
            authorization: `Bearer ${forged[name] ?? ''}`,
            body,
          })
          expect([401, 403, 405], `${name} on ${op.id}`).toContain(status)
        },
      ),
      { numRuns: RUNS.forgedTokens, seed: FC_SEED },
    )
  })

  it(`path traversal and encoded ids in every path parameter (${String(RUNS.pathParameters)} runs)`, async () => {
    const withParams = OPERATIONS.filter((o) => o.path.includes('{'))
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...withParams), fc.nat(), idArb, async (op, i, id) => {
        const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '')
        const name = names[i % names.length] ?? ''
        const path = pathFor(op, w, { [name]: id })
        const status = await fire({
          op,
          path,
          authorization: authFor(op, w, access),
          body: { label: 'none', contentType: '' },
        })
        // a wrong id is never found, never a different resource. `.` and `..` (also encoded) are
        // no ids: URL resolution removes them before routing (RFC 3986 §5.2.4), so the request
        // is for another path (test/flows/http-protocol.test.ts)
        const dotSegment = /^(\.|%2e){1,2}$/i.test(id)
        if (!dotSegment && id !== '00000000-0000-0000-0000-000000000000') {
          expect(status).not.toBe(200)
        }
      }),
      { numRuns: RUNS.pathParameters, seed: FC_SEED },
    )
  })
})
