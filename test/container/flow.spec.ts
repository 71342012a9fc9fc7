/**
 * Flows against an already running mock at JUMIO_MOCK_URL (the container, in
 * scripts/container-test.sh): a whole journey, and both ways a client's CI switches scenarios.
 */
import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { runFlow } from '../helpers/flow.js'
import type { TestServer } from '../helpers/server.js'

const url = process.env['JUMIO_MOCK_URL']
if (!url) throw new Error('Set JUMIO_MOCK_URL to the running mock (scripts/container-test.sh does)')

// Only what the flow helpers read: the URL, an HTTP client, and no admin token.
const s = {
  url,
  http: request(url),
  deps: { config: { adminToken: null } },
  close: () => Promise.resolve(),
} as unknown as TestServer

const setActive = (name: string | null) =>
  s.http.put('/__admin/scenarios/active').send({ name }).expect(200)

afterAll(async () => {
  await setActive(null)
})

describe('the container', () => {
  it('runs a whole journey with the shipped default scenario', async () => {
    const flow = await runFlow(s)
    expect(flow.status).toBe('PROCESSED')
    expect(flow.details.decision.type).toBe('PASSED')
  })

  it('switches the scenario per request with X-Mock-Scenario', async () => {
    const flow = await runFlow(s, { headers: { 'X-Mock-Scenario': 'rejected-fake-document' } })
    expect(flow.details.decision.type).toBe('REJECTED')
  })

  it('switches the active scenario with PUT /__admin/scenarios/active', async () => {
    await setActive('rejected-face-mismatch')
    const flow = await runFlow(s)
    expect(flow.details.decision.type).toBe('REJECTED')
    expect(flow.details.capabilities['similarity']?.[0]?.decision.type).toBe('REJECTED')
  })

  it('serves the API reference and the contracts offline', async () => {
    const page = await s.http.get('/__admin/docs').expect(200)
    expect(page.text).toContain('/__admin/docs/assets/swagger-ui-bundle.js')
    const contract = await s.http.get('/__admin/contracts/jumio.openapi.yaml').expect(200)
    expect(contract.text).toMatch(/^openapi: 3\.1/m)
  })
})
