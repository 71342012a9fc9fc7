/**
 * The typed Jumio client exported beside startMockJumio: a whole flow through its steps, each
 * answer typed by the contract, against the mock on one base URL and on a host per family.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JumioClient, startMockJumio } from '../../src/index.js'
import type { MockJumio } from '../../src/index.js'
import { samplePng } from '../../src/samples/images.js'

let mock: MockJumio
beforeAll(async () => {
  mock = await startMockJumio({ flags: ['--processing-delay', '0'] })
})
afterAll(() => mock.close())

const png = (w: number, h: number) =>
  new Blob([new Uint8Array(samplePng(w, h))], { type: 'image/png' })

describe('JumioClient', () => {
  it.each([
    ['one base URL', () => mock.url],
    ['a host per family', () => mock.urls],
  ])('runs a flow with %s, breaking no rule of Jumio', async (_, hosts) => {
    const jumio = new JumioClient({ hosts: hosts(), userAgent: 'Acme Onboarding/2.3' })
    const token = await jumio.token('acme', 'secret')
    expect(token.response.status).toBe(200)
    const access = token.data?.access_token ?? ''
    const created = await jumio.createAccount(access, {
      customerInternalReference: 'typed-client',
      workflowDefinition: { key: 10011 },
    })
    expect(created.response.status).toBe(200)
    const account = created.data?.account.id ?? ''
    const wfe = created.data?.workflowExecution.id ?? ''
    let finalizeHref = ''
    let transaction = ''
    for (const credential of created.data?.workflowExecution.credentials ?? []) {
      if (!credential.api) continue
      ;({ workflowExecution: finalizeHref, token: transaction } = credential.api)
      for (const [part, href] of Object.entries(credential.api.parts)) {
        const file = part === 'face' ? png(480, 640) : png(1000, 630)
        const up = await jumio.uploadFile(href, transaction, file, `${part}.png`)
        expect(up.response.status, part).toBe(200)
      }
    }
    expect((await jumio.finalize(finalizeHref, transaction)).response.status).toBe(200)
    const status = await jumio.status(access, account, wfe)
    expect(status.data?.workflowExecution.status).toBe('PROCESSED')
    const details = await jumio.details(access, account, wfe)
    expect(details.data?.decision.type).toBe('PASSED')
    expect((await jumio.deleteAccount(access, account)).response.status).toBe(200)
    await mock.expectNoViolations('acme')
  })

  it('gives the error body of a refused call, typed by the contract', async () => {
    const jumio = new JumioClient({ hosts: mock.url, userAgent: 'Acme Onboarding/2.3' })
    const refused = await jumio.status('not-a-token', 'a', 'w')
    expect(refused.response.status).toBe(401)
    expect(refused.error).toMatchObject({ status: 401, title: 'Unauthorized' })
  })
})
