import { describe, expect, it } from 'vitest'
import { samplePng } from '../../src/samples/images.js'
import { credentialOf, pathOf, transactionClaims, useClient, USER_AGENT } from '../helpers/jumio.js'
import { advanceClock } from '../helpers/flow.js'
import { useHttpMock } from '../helpers/http-mock.js'
import { T0 } from '../helpers/server.js'
import type { Created } from '../helpers/jumio.js'

const s = useHttpMock(['--processing-delay', '5s'])
const jumio = useClient(s)

const FRONT = samplePng(1000, 630)
const FACE = samplePng(480, 640)

describe('workflow 10011 through the API channel', () => {
  let created: Created

  it('creates an account with 200, the same token everywhere and API links only where allowed', async () => {
    created = await jumio.create({
      customerInternalReference: 'order-10011',
      userReference: 'user-1',
      workflowDefinition: {
        key: 10011,
        credentials: [
          { category: 'ID', country: { values: ['DEU'] }, type: { values: ['ID_CARD'] } },
        ],
      },
      web: { locale: 'de', successUrl: 'https://acme.example/ok' },
    })
    expect(created.timestamp).toBe('2026-01-01T00:00:00.000Z')
    const id = credentialOf(created, 'ID')
    const selfie = credentialOf(created, 'SELFIE')
    const facemap = credentialOf(created, 'FACEMAP')
    expect(facemap.api).toBeUndefined()
    expect(facemap.allowedChannels).toEqual(['WEB', 'SDK'])
    expect(Object.keys(id.api?.parts ?? {})).toEqual(['front', 'back'])
    expect(id.api?.parts['front']).toMatch(/\/credentials\/[^/]+\/parts\/FRONT$/)
    expect(Object.keys(selfie.api?.parts ?? {})).toEqual(['face'])
    const txToken = id.api?.token ?? ''
    expect(selfie.api?.token).toBe(txToken)
    expect(created.sdk?.token).toBe(txToken)
    const href = new URL(created.web?.href ?? '')
    expect(href.pathname).toBe('/web/v4/app')
    expect(href.searchParams.get('authorizationToken')).toBe(txToken)
    expect(href.searchParams.get('locale')).toBe('de')
    expect(created.web?.successUrl).toBe('https://acme.example/ok')
    expect(created.web?.errorUrl).toBeUndefined()
  })

  it("issues a transaction token in Jumio's format: HS512 over gzipped claims", () => {
    const txToken = credentialOf(created, 'ID').api?.token ?? ''
    const header = JSON.parse(
      Buffer.from(txToken.split('.')[0] ?? '', 'base64url').toString(),
    ) as unknown
    expect(header).toEqual({ alg: 'HS512', zip: 'GZIP' })
    const claims = transactionClaims(txToken)
    expect(claims).toMatchObject({
      exAt: String(T0 + 30 * 60_000),
      accId: created.account.id,
      aId: created.workflowExecution.id,
      wfeId: created.workflowExecution.id,
      cRef: 'order-10011',
    })
    expect(claims['cId']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('uploads front, back and face, then finalizes', async () => {
    const id = credentialOf(created, 'ID')
    const selfie = credentialOf(created, 'SELFIE')
    const txToken = id.api?.token ?? ''
    const front = await jumio.upload(id.api?.parts['front'] ?? '', txToken, FRONT).expect(200)
    expect(front.body).toMatchObject({
      account: { id: created.account.id },
      workflowExecution: { id: created.workflowExecution.id },
      credential: { id: id.id },
      api: { token: txToken },
    })
    await jumio.upload(id.api?.parts['back'] ?? '', txToken, FRONT).expect(200)
    await jumio.upload(selfie.api?.parts['face'] ?? '', txToken, FACE).expect(200)
    const fin = await s.http
      .put(pathOf(id.api?.workflowExecution ?? ''))
      .set('Authorization', `Bearer ${txToken}`)
      .set('User-Agent', USER_AGENT)
      .expect(200)
    expect(fin.body).toEqual({
      timestamp: '2026-01-01T00:00:00.000Z',
      account: { id: created.account.id },
      workflowExecution: { id: created.workflowExecution.id },
    })
  })

  it('reports ACQUIRED, then PROCESSED once the processing delay has passed', async () => {
    const path = `/api/v1/accounts/${created.account.id}/workflow-executions/${created.workflowExecution.id}/status`
    const before = await s.http.get(path).set('Authorization', `Bearer ${jumio.token}`).expect(200)
    expect(before.body).toMatchObject({
      workflowExecution: { status: 'ACQUIRED', definitionKey: '10011' },
    })
    await advanceClock(s, 5000)
    const after = await s.http.get(path).set('Authorization', `Bearer ${jumio.token}`).expect(200)
    expect(after.body).toEqual({
      account: { id: created.account.id, href: `${s.url}/api/v1/accounts/${created.account.id}` },
      workflowExecution: {
        id: created.workflowExecution.id,
        href: `${s.url}/api/v1/workflow-executions/${created.workflowExecution.id}`,
        definitionKey: '10011',
        status: 'PROCESSED',
      },
    })
  })

  it('shows PASSED details with capabilities along the chains and generated extraction data', async () => {
    const path = `/api/v1/accounts/${created.account.id}/workflow-executions/${created.workflowExecution.id}`
    const res = await s.http.get(path).set('Authorization', `Bearer ${jumio.token}`).expect(200)
    const body = res.body as Record<string, unknown>
    expect(body['workflow']).toEqual({
      id: created.workflowExecution.id,
      status: 'PROCESSED',
      definitionKey: '10011',
      userReference: 'user-1',
      customerInternalReference: 'order-10011',
    })
    expect(body['decision']).toEqual({
      type: 'PASSED',
      details: { label: 'PASSED' },
      risk: { score: 0 },
    })
    expect(body['startedAt']).toBe('2026-01-01T00:00:00.000Z')
    expect(body['completedAt']).toBe('2026-01-01T00:00:05.000Z')
    const caps = body['capabilities'] as Record<
      string,
      {
        decision: { type: string; details: { label: string } }
        data?: Record<string, unknown>
        credentials: { category: string }[]
      }[]
    >
    expect(Object.keys(caps).sort()).toEqual([
      'dataChecks',
      'extraction',
      'imageChecks',
      'liveness',
      'similarity',
      'usability',
    ])
    expect(
      caps['usability']?.map((u) => [u.credentials[0]?.category, u.decision.details.label]),
    ).toEqual([
      ['ID', 'OK'],
      ['SELFIE', 'OK'],
      ['FACEMAP', 'NOT_UPLOADED'],
    ])
    expect(caps['similarity']?.[0]?.decision.details.label).toBe('MATCH')
    const data = caps['extraction']?.[0]?.data ?? {}
    expect(data['issuingCountry']).toBe('DEU')
    expect(data['type']).toBe('ID_CARD')
    expect(typeof data['currentAge']).toBe('string')
    const again = await s.http.get(path).set('Authorization', `Bearer ${jumio.token}`).expect(200)
    expect(again.body).toEqual(res.body)
    const id = (
      body['credentials'] as { category: string; parts?: { classifier: string; href: string }[] }[]
    ).find((c) => c.category === 'ID')
    expect(id?.parts?.map((p) => p.classifier)).toEqual(['FRONT', 'BACK'])
  })

  it('serves steps and the stored image bytes', async () => {
    const base = `/api/v1/accounts/${created.account.id}`
    const steps = await s.http
      .get(`${base}/workflow-executions/${created.workflowExecution.id}/steps`)
      .set('Authorization', `Bearer ${jumio.token}`)
      .expect(200)
    expect((steps.body as { steps: { name: string }[] }).steps.map((x) => x.name)).toEqual([
      'ID_IV',
    ])
    const id = credentialOf(created, 'ID')
    const image = await s.http
      .get(`${base}/credentials/${id.id}/parts/FRONT`)
      .set('Authorization', `Bearer ${jumio.token}`)
      .buffer(true)
      .expect(200)
    expect(image.headers['content-type']).toBe('image/png')
    expect(Buffer.compare(image.body as Buffer, FRONT)).toBe(0)
  })

  it('deletes the workflow execution: 200, then 404 everywhere', async () => {
    const path = `/api/v1/accounts/${created.account.id}/workflow-executions/${created.workflowExecution.id}`
    const del = await s.http.delete(path).set('Authorization', `Bearer ${jumio.token}`).expect(200)
    expect(del.text).toBe('')
    const gone = await s.http
      .get(`${path}/status`)
      .set('Authorization', `Bearer ${jumio.token}`)
      .expect(404)
    expect(gone.body).toEqual({
      title: 'Not Found',
      status: 404,
      detail: expect.stringContaining(created.workflowExecution.id) as string,
    })
    await s.http.get(path).set('Authorization', `Bearer ${jumio.token}`).expect(404)
  })
})
