import { describe, expect, it } from 'vitest'
import {
  transactionClaims,
  txTokenOf,
  useClient,
  USER_AGENT,
  workflowPath,
} from '../helpers/jumio.js'
import type { Created, Details } from '../helpers/jumio.js'
import { expectProblem } from '../helpers/expect.js'
import { useHttpMock } from '../helpers/http-mock.js'
import { T0 } from '../helpers/server.js'

const s = useHttpMock()
const jumio = useClient(s)

const VALID = { customerInternalReference: 'ref-1', workflowDefinition: { key: 10011 } }

const post = (body: unknown, auth?: string) => jumio.createRequest(body, auth)

describe('POST /api/v1/accounts: accepted variants', () => {
  it('accepts 100 characters of customerInternalReference and the boundary lengths', async () => {
    const created = await jumio.create({
      ...VALID,
      customerInternalReference: 'r'.repeat(100),
      userReference: 'u'.repeat(100),
      reportingCriteria: 'c'.repeat(255),
      callbackUrl: `https://x.example/${'p'.repeat(237)}`,
    })
    expect(transactionClaims(txTokenOf(created))['cRef']).toBe('r'.repeat(100))
  })

  it.each([
    ['5m', 5 * 60_000],
    ['300s', 300_000],
    ['2h', 7_200_000],
    ['60d', 60 * 86_400_000],
    ['+1d', 86_400_000],
  ])('sets the token expiry for tokenLifetime %s', async (lifetime, ms) => {
    const created = await jumio.create({ ...VALID, tokenLifetime: lifetime })
    expect(transactionClaims(txTokenOf(created))['exAt']).toBe(String(T0 + ms))
  })

  it('defaults tokenLifetime to 30m, reflected in the token exAt', async () => {
    const created = await jumio.create(VALID)
    expect(transactionClaims(txTokenOf(created))['exAt']).toBe(String(T0 + 30 * 60_000))
  })

  it('accepts the workflow key as a string and echoes it as a string', async () => {
    const created = await jumio.create({
      ...VALID,
      workflowDefinition: { key: '10011' },
    })
    const res = await jumio.retrieve(`${workflowPath(created)}/status`).expect(200)
    expect(res.body).toMatchObject({ workflowExecution: { definitionKey: '10011' } })
  })

  it('accepts Basic auth (deprecated but supported)', async () => {
    const res = await s.http
      .post('/api/v1/accounts')
      .auth('client-a', 'secret')
      .set('User-Agent', USER_AGENT)
      .send(VALID)
    expect(res.status).toBe(200)
    const created = res.body as Created
    await jumio.retrieve(workflowPath(created)).expect(200)
  })

  it('accepts the Mock Service JSON form of customerInternalReference and echoes the inner reference', async () => {
    const directive = JSON.stringify({
      customerInternalReference: 'mockuser',
      decisionLabel: 'NFC_CERTIFICATE',
      credentialWithDecision: 'ID',
      extractionOverrides: { firstName: 'JOHN', idType: 'PASSPORT' },
    })
    const created = await jumio.create({
      ...VALID,
      customerInternalReference: directive,
    })
    expect(transactionClaims(txTokenOf(created))['cRef']).toBe('mockuser')
    const res = await jumio.retrieve(workflowPath(created)).expect(200)
    expect((res.body as Details).workflow['customerInternalReference']).toBe('mockuser')
  })

  it('refuses a Mock Service directive that is not valid JSON', async () => {
    const res = await post({
      ...VALID,
      customerInternalReference: '{customerInternalReference: x}',
    })
    expectProblem(res, 400, 'not valid JSON')
  })
})
