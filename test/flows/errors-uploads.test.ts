import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { samplePng } from '../../src/samples/images.js'
import {
  accessToken,
  createAccount,
  credentialOf,
  finalize,
  retrieve,
  transactionClaims,
  txTokenOf,
  uploadImage,
  USER_AGENT,
  workflowPath,
} from '../helpers/jumio.js'
import type { Created } from '../helpers/jumio.js'
import { expectProblem } from '../helpers/expect.js'
import { startHttpMock } from '../helpers/http-mock.js'
import { expectNoResponseViolations } from '../helpers/server.js'
import type { RunningMock } from '../helpers/server.js'

let s: RunningMock
let other: RunningMock
let token: string
let a: Created
let b: Created
let foreignToken: string
beforeAll(async () => {
  s = await startHttpMock()
  other = await startHttpMock()
  token = await accessToken(s)
  const body = { customerInternalReference: 'upload-errors', workflowDefinition: { key: 10011 } }
  a = await createAccount(s, token, body)
  b = await createAccount(s, token, body)
  // Same seed, same ids: the other instance's token names a's ids but is signed with another key.
  foreignToken = txTokenOf(await createAccount(other, await accessToken(other), body))
})
afterEach(() => {
  expectNoResponseViolations(s)
  expectNoResponseViolations(other)
})
afterAll(async () => {
  await s.close()
  await other.close()
})

const FRONT = samplePng(800, 500)
const part = (w: Created, category: string, classifier: string) =>
  `${workflowPath(w)}/credentials/${credentialOf(w, category).id}/parts/${classifier}`

function upload(path: string, auth: string | null) {
  const req = s.http.post(path).set('User-Agent', USER_AGENT)
  if (auth !== null) void req.set('Authorization', auth)
  return req.attach('file', FRONT, 'front.png')
}

describe('part upload: token and target, in the documented order', () => {
  it('shares the ids with the other instance, so only the signature differs', () => {
    const claims = transactionClaims(foreignToken)
    expect([claims['accId'], claims['wfeId']]).toEqual([a.account.id, a.workflowExecution.id])
  })

  it.each([
    ['no Authorization header', () => null, 'Missing bearer token'],
    ['a Bearer without a token', () => 'Bearer', 'Missing bearer token'],
    ['a garbled token', () => 'Bearer abc.def.ghi', 'Authorization token is invalid'],
    [
      'a token with a flipped signature',
      () => `Bearer ${txTokenOf(a).slice(0, -3)}AAA`,
      'Authorization token is invalid',
    ],
    [
      'a token signed by another instance',
      () => `Bearer ${foreignToken}`,
      'Authorization token is invalid',
    ],
    [
      'an OAuth2 access token',
      () => `Bearer ${token}`,
      'An OAuth2 access token is not accepted here',
    ],
    [
      'Basic client credentials',
      () => `Basic ${Buffer.from('client-a:secret').toString('base64')}`,
      'Missing bearer token',
    ],
  ])('answers %s with 401', async (_, auth, detail) => {
    expectProblem(await upload(part(a, 'ID', 'FRONT'), auth()), 401, detail)
  })

  it("answers another workflow execution's token with 403", async () => {
    const res = await upload(part(a, 'ID', 'FRONT'), `Bearer ${txTokenOf(b)}`)
    expectProblem(res, 403, 'not valid for this account and workflow execution')
  })

  it("answers a token used with another account's id in the path with 403", async () => {
    const path = part(a, 'ID', 'FRONT').replace(a.account.id, b.account.id)
    expectProblem(await upload(path, `Bearer ${txTokenOf(a)}`), 403, 'not valid for this account')
  })

  it('answers an unknown credential with 404', async () => {
    const path = `${workflowPath(a)}/credentials/00000000-0000-4000-a000-000000000000/parts/FRONT`
    const res = await upload(path, `Bearer ${txTokenOf(a)}`)
    expectProblem(res, 404, 'Credential 00000000-0000-4000-a000-000000000000 not found')
  })

  it("answers another workflow execution's credential with 404", async () => {
    const path = part(b, 'ID', 'FRONT').replace(workflowPath(b), workflowPath(a))
    expectProblem(
      await upload(path, `Bearer ${txTokenOf(a)}`),
      404,
      'not found in workflow execution',
    )
  })

  it('answers the FACEMAP credential (no API channel) with 403', async () => {
    const res = await upload(part(a, 'FACEMAP', 'FACEMAP'), `Bearer ${txTokenOf(a)}`)
    expectProblem(res, 403, '(FACEMAP) cannot be uploaded through the API channel')
  })

  it.each(['SELFIE', 'front', 'LIVENESS_1', 'FRONT%20'])(
    'answers the unknown classifier %s with 404',
    async (classifier) => {
      const res = await upload(part(a, 'ID', classifier), `Bearer ${txTokenOf(a)}`)
      expectProblem(res, 404, 'Unknown part classifier')
    },
  )

  it.each([
    ['FACE', 'ID', 'Part FACE is not allowed for a ID credential; allowed: FRONT, BACK'],
    ['FRONT', 'SELFIE', 'Part FRONT is not allowed for a SELFIE credential; allowed: FACE'],
    ['PREPARED_DATA', 'ID', 'Part PREPARED_DATA is not allowed for a ID credential'],
  ])('answers %s on the %s credential with 400', async (classifier, category, detail) => {
    const res = await upload(part(a, category, classifier), `Bearer ${txTokenOf(a)}`)
    expectProblem(res, 400, detail)
  })

  it.each([
    ['a garbled token beats an unknown credential', 'garbled', 'nope', 'FRONT', 401],
    ['another workflow beats an unknown credential', 'other', 'nope', 'XYZ', 403],
    ['an unknown credential beats an unknown classifier', 'own', 'nope', 'XYZ', 404],
    ['FACEMAP beats an unknown classifier', 'own', 'FACEMAP', 'XYZ', 403],
    ['an unknown classifier beats the file rules', 'own', 'ID', 'XYZ', 404],
    ['a part not allowed beats the file rules', 'own', 'ID', 'FACE', 400],
  ])('checks in order: %s', async (_, who, credential, classifier, status) => {
    const auth = { garbled: 'x', other: txTokenOf(b), own: txTokenOf(a) }[who]
    const id = credential === 'nope' ? 'nope' : credentialOf(a, credential).id
    const res = await s.http
      .post(`${workflowPath(a)}/credentials/${id}/parts/${classifier}`)
      .set('Authorization', `Bearer ${auth ?? ''}`)
      .attach('file', Buffer.from('not an image'), 'x.txt')
    expect(res.status).toBe(status)
  })
})

describe('part upload: lifecycle', () => {
  it('replaces a part on a second POST: retrieval serves the second image', async () => {
    const w = await createAccount(s, token, {
      customerInternalReference: 'r',
      workflowDefinition: { key: 10011 },
    })
    const href = credentialOf(w, 'ID').api?.parts['front'] ?? ''
    const second = samplePng(900, 600)
    const one = await uploadImage(s, href, txTokenOf(w), FRONT).expect(200)
    const two = await uploadImage(s, href, txTokenOf(w), second).expect(200)
    const ids = [one, two].map((r) => (r.body as { part: { id: string } }).part.id)
    expect(ids[1]).not.toBe(ids[0])
    const path = `/api/v1/accounts/${w.account.id}/credentials/${credentialOf(w, 'ID').id}/parts/FRONT`
    const got = await retrieve(s, token, path).buffer(true).expect(200)
    expect(Buffer.compare(got.body as Buffer, second)).toBe(0)
  })

  it('answers PUT on a part URL with 405 naming POST', async () => {
    const res = await s.http
      .put(part(a, 'ID', 'FRONT'))
      .set('Authorization', `Bearer ${txTokenOf(a)}`)
      .attach('file', FRONT, 'front.png')
    expectProblem(res, 405, 'is not allowed on')
    expect(res.headers['allow']).toBe('POST')
  })

  it.each([
    ['an unknown credential', 'own', 'nope', 405],
    ['a part not allowed for the credential', 'own', 'FACE', 405],
    ["another workflow execution's token", 'other', 'FRONT', 403],
    ['no token', 'none', 'FRONT', 401],
  ])('answers PUT on a part URL with %s: %s', async (_, who, target, status) => {
    const id = target === 'nope' ? 'nope' : credentialOf(a, 'ID').id
    const classifier = target === 'FACE' ? 'FACE' : 'FRONT'
    const req = s.http.put(`${workflowPath(a)}/credentials/${id}/parts/${classifier}`)
    if (who !== 'none') void req.set('Authorization', `Bearer ${txTokenOf(who === 'own' ? a : b)}`)
    expect((await req).status).toBe(status)
  })

  it('answers an upload after finalize with 403', async () => {
    const w = await createAccount(s, token, {
      customerInternalReference: 'r',
      workflowDefinition: { key: 10011 },
    })
    await finalize(s, w).expect(200)
    const res = await uploadImage(
      s,
      credentialOf(w, 'ID').api?.parts['front'] ?? '',
      txTokenOf(w),
      FRONT,
    )
    expectProblem(res, 403, `Workflow execution ${w.workflowExecution.id} is already finalized`)
  })
})
