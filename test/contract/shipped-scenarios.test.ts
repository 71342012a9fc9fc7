import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { loadScenarios } from '../../src/scenarios/load.js'
import { samplePng } from '../../src/samples/images.js'
import { runFlow } from '../helpers/flow.js'
import type { FlowResult } from '../helpers/flow.js'
import { credentialOf, uploadImage, USER_AGENT } from '../helpers/jumio.js'
import { useTestServer } from '../helpers/server.js'

const SHIPPED = fileURLToPath(new URL('../../scenarios.yaml', import.meta.url))
const s = useTestServer(['--scenarios', SHIPPED])

const flow = (scenario: string, key = 10011) =>
  runFlow(s, { key, headers: { 'X-Mock-Scenario': scenario } })
const label = (r: FlowResult, capability: string, i = 0) => {
  const d = r.details.capabilities[capability]?.[i]?.decision
  return d ? `${d.type}/${d.details.label}` : 'absent'
}

describe('the shipped scenarios.yaml', () => {
  it('loads, starts with the schema comment and describes every scenario in one line', async () => {
    const { readFileSync } = await import('node:fs')
    expect(readFileSync(SHIPPED, 'utf8').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=./contracts/scenarios.schema.json',
    )
    const file = loadScenarios(SHIPPED)
    expect(file.default).toBe('approved')
    for (const scenario of file.scenarios.values()) expect(scenario.description).not.toContain('\n')
    expect([...file.scenarios.keys()]).toEqual([
      'approved',
      'approved-with-warning',
      'rejected-digital-copy',
      'rejected-fake-document',
      'rejected-face-mismatch',
      'rejected-liveness',
      'bad-image-quality',
      'watchlist-alert',
      'technical-error',
      'token-expired',
      'session-expired',
      'slow-processing',
      'jumio-unavailable',
      'rate-limited',
    ])
  })

  it('approved: PROCESSED and PASSED', async () => {
    const r = await flow('approved')
    expect([r.status, r.details.decision.type, label(r, 'similarity')]).toEqual([
      'PROCESSED',
      'PASSED',
      'PASSED/MATCH',
    ])
  })

  it('approved-with-warning: WARNING from liveness BAD_QUALITY', async () => {
    const r = await flow('approved-with-warning')
    expect([r.details.decision.type, label(r, 'liveness')]).toEqual([
      'WARNING',
      'WARNING/BAD_QUALITY',
    ])
  })

  it.each([
    ['rejected-digital-copy', 'imageChecks', 'REJECTED/DIGITAL_COPY'],
    ['rejected-fake-document', 'imageChecks', 'REJECTED/MANIPULATED_DOCUMENT'],
  ])('%s: %s %s, and extraction and data checks do not run', async (name, capability, expected) => {
    const r = await flow(name)
    expect(r.details.decision).toEqual({
      type: 'REJECTED',
      details: { label: 'REJECTED' },
      risk: { score: 100 },
    })
    expect(label(r, capability)).toBe(expected)
    expect(label(r, 'extraction')).toBe('NOT_EXECUTED/PRECONDITION_NOT_FULFILLED')
    expect(label(r, 'dataChecks')).toBe('NOT_EXECUTED/PRECONDITION_NOT_FULFILLED')
    expect(label(r, 'similarity')).toBe('PASSED/MATCH')
  })

  it('rejected-face-mismatch: similarity NO_MATCH with data NOT_MATCH', async () => {
    const r = await flow('rejected-face-mismatch')
    expect([r.details.decision.type, label(r, 'similarity')]).toEqual([
      'REJECTED',
      'REJECTED/NO_MATCH',
    ])
    expect(r.details.capabilities['similarity']?.[0]?.data).toEqual({ similarity: 'NOT_MATCH' })
  })

  it('rejected-liveness: liveness REJECTED', async () => {
    const r = await flow('rejected-liveness')
    expect([r.details.decision.type, label(r, 'liveness')]).toEqual([
      'REJECTED',
      'REJECTED/LIVENESS_UNDETERMINED',
    ])
  })

  it('bad-image-quality: ID usability REJECTED, everything on the ID after it not executed', async () => {
    const r = await flow('bad-image-quality')
    expect(r.details.decision.type).toBe('REJECTED')
    expect(label(r, 'usability', 0)).toBe('REJECTED/BAD_QUALITY')
    expect(label(r, 'usability', 1)).toBe('PASSED/OK')
    for (const c of ['imageChecks', 'extraction', 'dataChecks', 'similarity']) {
      expect(label(r, c)).toBe('NOT_EXECUTED/PRECONDITION_NOT_FULFILLED')
    }
    expect(label(r, 'liveness')).toBe('PASSED/OK')
  })

  it('watchlist-alert: screening WARNING/ALERT with one hit; the decision stays PASSED at risk 50', async () => {
    const r = await flow('watchlist-alert', 10013)
    // [O] as the 10010 ALERT capture rolls up (docs/fidelity.md)
    expect(r.details.decision).toEqual({
      type: 'PASSED',
      details: { label: 'PASSED' },
      risk: { score: 50 },
    })
    expect(label(r, 'watchlistScreening')).toBe('WARNING/ALERT')
    expect(r.details.capabilities['watchlistScreening']?.[0]?.data?.['searchResults']).toBe(1)
  })

  it('technical-error: decision NOT_EXECUTED / TECHNICAL_ERROR', async () => {
    const r = await flow('technical-error')
    expect(r.details.decision).toEqual({
      type: 'NOT_EXECUTED',
      details: { label: 'TECHNICAL_ERROR' },
      risk: { score: -1 },
    })
  })

  it('token-expired: TOKEN_EXPIRED at once, score -1, uploads refused with 401', async () => {
    const r = await runFlow(s, {
      headers: { 'X-Mock-Scenario': 'token-expired' },
      createOnly: true,
    })
    expect(r.status).toBe('TOKEN_EXPIRED')
    expect(r.details.decision).toEqual({
      type: 'NOT_EXECUTED',
      details: { label: 'TOKEN_EXPIRED' },
      risk: { score: -1 },
    })
    expect(
      r.details.capabilities['usability']?.every(
        (u) => u.decision.details.label === 'NOT_UPLOADED',
      ),
    ).toBe(true)
    const id = credentialOf(r.created, 'ID')
    await uploadImage(
      s,
      id.api?.parts['front'] ?? '',
      id.api?.token ?? '',
      samplePng(1000, 630),
    ).expect(401)
  })

  it('session-expired: SESSION_EXPIRED one second after the first upload, with no reader', async () => {
    const r = await runFlow(s, {
      headers: { 'X-Mock-Scenario': 'session-expired' },
      createOnly: true,
    })
    const id = credentialOf(r.created, 'ID')
    await uploadImage(
      s,
      id.api?.parts['front'] ?? '',
      id.api?.token ?? '',
      samplePng(1000, 630),
    ).expect(200)
    s.deps.tenants.get('client-a').clock.advance(1000)
    const wfe = await s.deps.store.locateWorkflowExecution(r.created.workflowExecution.id)
    expect(wfe?.status).toBe('SESSION_EXPIRED')
    // [O] the SESSION_EXPIRED capture: REJECTED / REJECTED, risk 100
    expect(wfe?.result?.decision).toEqual({
      type: 'REJECTED',
      details: { label: 'REJECTED' },
      risk: { score: 100 },
    })
  })

  it('slow-processing: ACQUIRED until 2 minutes have passed and 3 status reads were made', async () => {
    const r = await flow('slow-processing')
    expect(r.status).toBe('ACQUIRED')
    s.deps.tenants.get('client-a').clock.advance(120_000)
    const path = `/api/v1/accounts/${r.created.account.id}/workflow-executions/${r.created.workflowExecution.id}/status`
    const read = async () =>
      (
        (await s.http.get(path).set('Authorization', `Bearer ${r.token}`).expect(200)).body as {
          workflowExecution: { status: string }
        }
      ).workflowExecution.status
    // a HEAD reads no status: not counted
    await s.http.head(path).set('Authorization', `Bearer ${r.token}`).expect(200)
    expect(await read()).toBe('ACQUIRED')
    expect(await read()).toBe('PROCESSED')
    // reads after that are not counted (nor saved)
    const statusReads = async () =>
      (
        (await s.http.get(`/__admin/workflow-executions/${r.created.workflowExecution.id}`))
          .body as { statusReads: number }
      ).statusReads
    const counted = await statusReads()
    expect(counted).toBeGreaterThanOrEqual(3)
    await read()
    await read()
    expect(await statusReads()).toBe(counted)
  })

  it("jumio-unavailable: 503 with Retry-After and Jumio's body, health included", async () => {
    const res = await s.http
      .post('/oauth2/token')
      .auth('a', 'b')
      .type('form')
      .send({ grant_type: 'client_credentials' })
      .set('X-Mock-Scenario', 'jumio-unavailable')
      .expect(503)
    expect(res.headers['retry-after']).toBe('30')
    expect(res.body).toEqual({
      title: 'Service Unavailable',
      status: 503,
      detail: 'The service is temporarily unavailable',
    })
    await s.http.get('/').set('X-Mock-Scenario', 'jumio-unavailable').expect(503)
  })

  it('rate-limited: the first two token requests get 429 with Retry-After, the third a token', async () => {
    const ask = () =>
      s.http
        .post('/oauth2/token')
        .auth('rl', 'b')
        .set('User-Agent', USER_AGENT)
        .type('form')
        .send({ grant_type: 'client_credentials' })
        .set('X-Mock-Scenario', 'rate-limited')
    const first = await ask().expect(429)
    expect(first.headers['retry-after']).toBe('1')
    expect(first.body).toEqual({
      title: 'Too Many Requests',
      status: 429,
      detail: 'Request limit exceeded',
    })
    await ask().expect(429)
    await ask().expect(200)
  })
})
