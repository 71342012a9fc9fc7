import { describe, expect, it } from 'vitest'
import { samplePng } from '../../src/samples/images.js'
import {
  credentialOf,
  decisionsOf,
  txTokenOf,
  useClient,
  USER_AGENT,
  workflowPath,
} from '../helpers/jumio.js'
import type { Created, Details } from '../helpers/jumio.js'
import { expectProblem } from '../helpers/expect.js'
import { useHttpMock } from '../helpers/http-mock.js'

const s = useHttpMock()
const jumio = useClient(s)

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n')
const PNG = samplePng(1240, 1754)
const DOCUMENT = { category: 'DOCUMENT', country: { values: ['USA'] }, type: { values: ['UB'] } }

function create(credentials: unknown[]) {
  return s.http
    .post('/api/v1/accounts')
    .set('Authorization', `Bearer ${jumio.token}`)
    .set('User-Agent', USER_AGENT)
    .send({ customerInternalReference: 'doc-1', workflowDefinition: { key: 10026, credentials } })
}

describe('workflow 10026 (standalone document verification)', () => {
  let created: Created
  let partPath: string

  it.each([
    ['no credentials', []],
    ['no DOCUMENT credential', [{ category: 'ID', country: { values: ['USA'] } }]],
    ['two countries', [{ ...DOCUMENT, country: { values: ['USA', 'CAN'] } }]],
    ['two types', [{ ...DOCUMENT, type: { values: ['UB', 'BS'] } }]],
    ['no country', [{ category: 'DOCUMENT', type: { values: ['UB'] } }]],
    ['no type', [{ category: 'DOCUMENT', country: { values: ['USA'] } }]],
    ['empty type values', [{ ...DOCUMENT, type: { values: [] } }]],
  ])('refuses a DOCUMENT request with %s', async (_, credentials) => {
    const res = await create(credentials)
    expectProblem(res, 400, 'DOCUMENT')
  })

  it('creates a DOCUMENT credential with one part, DOCUMENT', async () => {
    const res = await create([DOCUMENT]).expect(200)
    created = res.body as Created
    const doc = credentialOf(created, 'DOCUMENT')
    expect(created.workflowExecution.credentials).toHaveLength(1)
    expect(doc.allowedChannels).toEqual(['WEB', 'API', 'SDK'])
    expect(doc.api?.parts).toEqual({
      document: `${s.url}${workflowPath(created)}/credentials/${doc.id}/parts/DOCUMENT`,
    })
    partPath = `/api/v1/accounts/${created.account.id}/credentials/${doc.id}/parts/DOCUMENT`
  })

  it('accepts a PDF, detected by its %PDF- magic bytes, and serves it back as application/pdf', async () => {
    const href = credentialOf(created, 'DOCUMENT').api?.parts['document'] ?? ''
    await jumio.upload(href, txTokenOf(created), PDF, 'bill.bin').expect(200)
    const res = await jumio.retrieve(partPath).buffer(true).expect(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    expect(Buffer.compare(res.body as Buffer, PDF)).toBe(0)
  })

  it('accepts a PNG scan on the same part, which replaces the PDF', async () => {
    const href = credentialOf(created, 'DOCUMENT').api?.parts['document'] ?? ''
    await jumio.upload(href, txTokenOf(created), PNG, 'bill.png').expect(200)
    const res = await jumio.retrieve(partPath).buffer(true).expect(200)
    expect(res.headers['content-type']).toBe('image/png')
    expect(Buffer.compare(res.body as Buffer, PNG)).toBe(0)
  })

  it('finalizes and processes usability, imageChecks and extraction of the document', async () => {
    await jumio.finalize(created).expect(200)
    const res = await jumio.retrieve(workflowPath(created)).expect(200)
    const details = res.body as Details
    expect(details.workflow['status']).toBe('PROCESSED')
    expect(details.workflow['definitionKey']).toBe('10026')
    expect(details.decision.type).toBe('PASSED')
    expect(Object.keys(details.capabilities)).toEqual(['usability', 'imageChecks', 'extraction'])
    for (const name of ['usability', 'imageChecks', 'extraction']) {
      expect(decisionsOf(details, name)).toEqual([['DOCUMENT', 'PASSED', 'OK']])
    }
    expect(details.capabilities['extraction']?.[0]?.data?.['issuingCountry']).toBe('USA')
    expect(details.credentials[0]?.parts?.map((p) => p.classifier)).toEqual(['DOCUMENT'])
  })
})
