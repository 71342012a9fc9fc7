import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startMockJumio } from 'jumio-mock'
import type { MockJumio } from 'jumio-mock'
import { JumioUnavailableError, KycClient } from './kyc-client.js'
import { samplePng } from './images.js'

let jumio: MockJumio
let client: KycClient
const images = {
  front: samplePng(1000, 630),
  back: samplePng(1000, 630),
  face: samplePng(480, 640),
}

beforeAll(async () => {
  jumio = await startMockJumio({ flags: ['--processing-delay', '0'] })
  client = new KycClient({
    authUrl: jumio.urls.auth,
    accountUrl: jumio.urls.account,
    retrievalUrl: jumio.urls.retrieval,
    clientId: 'acme',
    clientSecret: 'secret',
    userAgent: 'Acme Onboarding/2.3',
  })
})
beforeEach(async () => {
  await jumio.reset()
})
afterAll(async () => {
  await jumio.expectNoViolations()
  await jumio.close()
})

describe('the sample KYC client against jumio-mock', () => {
  it('approves a good verification', async () => {
    const v = await client.start('order-1001')
    await client.submit(v, images)
    expect(await client.result(v)).toBe('approved')
  })

  it('rejects a fake document', async () => {
    await jumio.useScenario('rejected-fake-document')
    const v = await client.start('order-1002')
    await client.submit(v, images)
    expect(await client.result(v)).toBe('rejected')
    await jumio.useScenario(null)
  })

  it('sends a warning to manual review', async () => {
    await jumio.useScenario('approved-with-warning')
    const v = await client.start('order-1003')
    await client.submit(v, images)
    expect(await client.result(v)).toBe('review')
    await jumio.useScenario(null)
  })

  it('reports an expired verification when the user never uploads', async () => {
    const v = await client.start('order-1004')
    await jumio.advanceClock(31 * 60_000, 'acme')
    expect(await client.result(v)).toBe('expired')
  })

  it('gives up cleanly when Jumio is down', async () => {
    await jumio.useScenario('jumio-unavailable')
    await expect(client.start('order-1005')).rejects.toBeInstanceOf(JumioUnavailableError)
    await jumio.useScenario(null)
    await jumio.reset()
  })
})
