import { describe, expect, it } from 'vitest'
import { sampleJpeg, samplePng } from '../../src/samples/images.js'
import {
  credentialOf,
  decisionsOf,
  retrieve,
  txTokenOf,
  useClient,
  workflowPath,
} from '../helpers/jumio.js'
import type { Created, Details } from '../helpers/jumio.js'
import { expectScenarioHeader } from '../helpers/expect.js'
import { advanceClock } from '../helpers/flow.js'
import { useHttpMock } from '../helpers/http-mock.js'

const s = useHttpMock(['--processing-delay', '2s'])
const jumio = useClient(s)

const FRONT = sampleJpeg(1200, 760, 4096)
const BACK = samplePng(600, 380)
const FACE = sampleJpeg(720, 1280)

describe('workflow 10013 (ID + selfie + screening, address, residency, DL) through the API channel', () => {
  let created: Created

  it('creates an account with ID, SELFIE and a FACEMAP without api block, web and sdk', async () => {
    created = await jumio.create({
      customerInternalReference: 'order-10013',
      userReference: 'user-13',
      workflowDefinition: {
        key: '10013',
        credentials: [
          { category: 'ID', country: { values: ['USA'] }, type: { values: ['DRIVING_LICENSE'] } },
        ],
      },
    })
    expect(
      created.workflowExecution.credentials.map((c) => [c.category, c.allowedChannels]),
    ).toEqual([
      ['ID', ['WEB', 'API', 'SDK']],
      ['SELFIE', ['WEB', 'API', 'SDK']],
      ['FACEMAP', ['WEB', 'SDK']],
    ])
    expect(credentialOf(created, 'FACEMAP').api).toBeUndefined()
    const tx = txTokenOf(created)
    expect(created.sdk?.token).toBe(tx)
    expect(new URL(created.web?.href ?? '').searchParams.get('locale')).toBe('en')
    expect(created.web?.successUrl).toBeUndefined()
    expect(credentialOf(created, 'SELFIE').api?.parts).toEqual({
      face: `${s.url}${workflowPath(created)}/credentials/${credentialOf(created, 'SELFIE').id}/parts/FACE`,
    })
  })

  it('accepts a JPEG front, a PNG back and a JPEG face and reports INITIATED until finalize', async () => {
    const id = credentialOf(created, 'ID')
    const tx = txTokenOf(created)
    const front = await jumio.upload(id.api?.parts['front'] ?? '', tx, FRONT, 'f.jpg')
    expect(front.status).toBe(200)
    expectScenarioHeader(front)
    await jumio.upload(id.api?.parts['back'] ?? '', tx, BACK).expect(200)
    const face = credentialOf(created, 'SELFIE').api?.parts['face'] ?? ''
    await jumio.upload(face, tx, FACE, 'face.jpg').expect(200)
    const status = await jumio.retrieve(`${workflowPath(created)}/status`).expect(200)
    expect(
      (status.body as { workflowExecution: { status: string } }).workflowExecution.status,
    ).toBe('INITIATED')
    await jumio.finalize(created).expect(200)
  })

  it('shows every capability of the 10013 chains PASSED on the ID once processed', async () => {
    await advanceClock(s, 2000)
    const res = await jumio.retrieve(workflowPath(created)).expect(200)
    const details = res.body as Details
    expect(details.workflow).toEqual({
      id: created.workflowExecution.id,
      status: 'PROCESSED',
      definitionKey: '10013',
      userReference: 'user-13',
      customerInternalReference: 'order-10013',
    })
    expect(details.decision).toEqual({
      type: 'PASSED',
      details: { label: 'PASSED' },
      risk: { score: 0 },
    })
    expect(Object.keys(details.capabilities).sort()).toEqual([
      'addressValidation',
      'dataChecks',
      'drivingLicenseVerification',
      'extraction',
      'imageChecks',
      'liveness',
      'proofOfResidency',
      'similarity',
      'usability',
      'watchlistScreening',
    ])
    for (const name of [
      'watchlistScreening',
      'addressValidation',
      'proofOfResidency',
      'drivingLicenseVerification',
    ]) {
      expect(decisionsOf(details, name)).toEqual([['ID', 'PASSED', 'OK']])
    }
    expect(details.capabilities['watchlistScreening']?.[0]?.data).toMatchObject({
      searchResults: 0,
      searchStatus: 'DONE',
      searchDate: '2026-01-01T00:00:02.000Z',
    })
    const extraction = details.capabilities['extraction']?.[0]?.data ?? {}
    expect([extraction['issuingCountry'], extraction['type']]).toEqual(['USA', 'DRIVING_LICENSE'])
    expect(details.credentials.map((c) => [c.category, c.parts?.map((p) => p.classifier)])).toEqual(
      [
        ['ID', ['FRONT', 'BACK']],
        ['SELFIE', ['FACE']],
        ['FACEMAP', undefined],
      ],
    )
  })

  it('groups the capabilities into ID_IV, SCREENING, ADDRESS_VERIFICATION and DL_VERIFICATION steps', async () => {
    const [details, steps] = await Promise.all([
      jumio.retrieve(workflowPath(created)).expect(200),
      jumio.retrieve(`${workflowPath(created)}/steps`).expect(200),
    ])
    const list = (
      steps.body as {
        steps: { name: string; capabilityIds: string[]; decision: { type: string } }[]
      }
    ).steps
    expect(list.map((x) => [x.name, x.decision.type])).toEqual([
      ['ID_IV', 'PASSED'],
      ['SCREENING', 'PASSED'],
      ['ADDRESS_VERIFICATION', 'PASSED'],
      ['DL_VERIFICATION', 'PASSED'],
    ])
    const caps = (details.body as Details).capabilities
    const idOf = (name: string) => caps[name]?.map((e) => e.id) ?? []
    expect(list[1]?.capabilityIds).toEqual(idOf('watchlistScreening'))
    expect(list[2]?.capabilityIds).toEqual([
      ...idOf('addressValidation'),
      ...idOf('proofOfResidency'),
    ])
    expect(list[3]?.capabilityIds).toEqual(idOf('drivingLicenseVerification'))
  })

  it('serves the uploaded JPEG front with its content type', async () => {
    const id = credentialOf(created, 'ID')
    const image = await retrieve(
      s,
      jumio.token,
      `/api/v1/accounts/${created.account.id}/credentials/${id.id}/parts/FRONT`,
    )
      .buffer(true)
      .expect(200)
    expect(image.headers['content-type']).toBe('image/jpeg')
    expect(Buffer.compare(image.body as Buffer, FRONT)).toBe(0)
  })
})
