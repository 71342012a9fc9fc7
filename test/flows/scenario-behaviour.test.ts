import { describe, expect, it } from 'vitest'
import { samplePng } from '../../src/samples/images.js'
import { runFlow, resetAfterEach } from '../helpers/flow.js'
import { credentialOf, uploadImage } from '../helpers/jumio.js'
import { useHttpMock } from '../helpers/http-mock.js'
import { FIXTURES } from '../helpers/server.js'

const s = useHttpMock(['--scenarios', `${FIXTURES}scenarios.extra.yaml`])
resetAfterEach(s)

describe('scenario behaviour beyond outcomes', () => {
  it('rejects uploads with the policy status and body', async () => {
    const r = await runFlow(s, {
      headers: { 'X-Mock-Scenario': 'uploads-refused' },
      createOnly: true,
    })
    const id = credentialOf(r.created, 'ID')
    const res = await uploadImage(
      s,
      id.api?.parts['front'] ?? '',
      id.api?.token ?? '',
      samplePng(1000, 630),
    ).expect(403)
    expect(res.body).toEqual({
      title: 'Forbidden',
      status: 403,
      detail: 'Uploads are disabled for this tenant',
    })
  })

  it('adds latency within the configured range', async () => {
    const r = await runFlow(s, { createOnly: true })
    const path = `/api/v1/accounts/${r.created.account.id}/workflow-executions/${r.created.workflowExecution.id}/status`
    const started = Date.now()
    await s.http
      .get(path)
      .set('Authorization', `Bearer ${r.token}`)
      .set('X-Mock-Scenario', 'slow-status')
      .expect(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(150)
  })

  it('drops the connection without an answer', async () => {
    const err = await fetch(`${s.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'X-Mock-Scenario': 'dropped' },
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TypeError)
    await s.http.get('/').expect(200)
  })

  it('fails a share of the requests with rate', async () => {
    const r = await runFlow(s, { createOnly: true })
    const path = `/api/v1/accounts/${r.created.account.id}/workflow-executions/${r.created.workflowExecution.id}/status`
    const statuses: number[] = []
    for (let i = 0; i < 40; i++) {
      statuses.push(
        (
          await s.http
            .get(path)
            .set('Authorization', `Bearer ${r.token}`)
            .set('X-Mock-Scenario', 'flaky')
        ).status,
      )
    }
    const failed = statuses.filter((x) => x === 500).length
    expect(failed).toBeGreaterThan(5)
    expect(failed).toBeLessThan(35)
  })

  it('serves a workflow key configured in the scenarios file', async () => {
    const r = await runFlow(s, { key: 20001 })
    expect(r.status).toBe('PROCESSED')
    expect(r.details.decision.type).toBe('PASSED')
    expect(r.created.workflowExecution.credentials.map((c) => c.category)).toEqual([
      'ID',
      'SELFIE',
      'FACEMAP',
    ])
  })
})
