/**
 * Property: with any small bounds and any mix of finished and unfinished journeys, the store
 * evicts only completed workflow executions, oldest first, counts every eviction in the admin
 * health, and never loses one still in progress (bounded memory).
 */
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { admin } from '../helpers/flow.js'
import { uploadAndFinalize } from '../helpers/flow.js'
import { accessToken, createAccount } from '../helpers/jumio.js'
import { expectNoResponseViolations, startTestServer } from '../helpers/server.js'
import type { TestServer } from '../helpers/server.js'
import { samplePng } from '../../src/samples/images.js'
import { FC_SEED } from './kit.js'

const RUNS = 8
let s: TestServer | undefined
afterEach(async () => {
  if (s) {
    expectNoResponseViolations(s)
    await s.close()
  }
  s = undefined
})

interface Stats {
  workflowExecutions: number
  imageBytes: number
  evictions: number
}

describe('the bounded store', () => {
  it(`evicts the oldest completed workflow executions, never an active one (${String(RUNS)} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 9 }),
        async (max, finishes) => {
          if (s) await s.close()
          s = await startTestServer(['--max-workflow-executions', String(max)])
          const server = s
          const token = await accessToken(server)
          const made: { id: string; account: string; done: boolean }[] = []
          for (const done of finishes) {
            const w = await createAccount(server, token, {
              customerInternalReference: 'bounds',
              workflowDefinition: { key: 10011 },
            })
            if (done) await uploadAndFinalize(server, w)
            made.push({ id: w.workflowExecution.id, account: w.account.id, done })
          }
          const kept = new Set(
            (await server.deps.store.listWorkflowExecutions()).map((wfe) => wfe.id),
          )
          const active = made.filter((m) => !m.done)
          // never an active one
          for (const m of active) expect(kept.has(m.id)).toBe(true)
          // within bounds unless only active ones are left to keep
          expect(kept.size).toBe(Math.min(made.length, Math.max(max, active.length)))
          // oldest completed first: the completed ones kept are the newest
          const completed = made.filter((m) => m.done)
          const keptCompleted = completed.filter((m) => kept.has(m.id))
          expect(keptCompleted).toEqual(completed.slice(completed.length - keptCompleted.length))
          const health = await admin(server, 'get', '/health').expect(200)
          const stats = (health.body as { store: Stats }).store
          expect(stats.evictions).toBe(made.length - kept.size)
          expect(stats.workflowExecutions).toBe(kept.size)
          // an evicted one is gone from the API too
          const gone = completed.find((m) => !kept.has(m.id))
          if (gone) {
            await server.http
              .get(`/api/v1/accounts/${gone.account}/workflow-executions/${gone.id}/status`)
              .set('Authorization', `Bearer ${token}`)
              .expect(404)
          }
        },
      ),
      { numRuns: RUNS, seed: FC_SEED },
    )
  })

  it('evicts by image bytes too: completed ones make room for the next uploads', async () => {
    // room for about one and a half flows of images: each new flow needs the last one gone
    const flowBytes = 2 * samplePng(1000, 630).length + samplePng(480, 640).length
    const budget = Math.floor(1.5 * flowBytes) + 1024
    s = await startTestServer(['--max-image-bytes', String(budget)])
    const token = await accessToken(s)
    for (let i = 0; i < 3; i++) {
      const w = await createAccount(s, token, {
        customerInternalReference: 'bytes',
        workflowDefinition: { key: 10011 },
      })
      await uploadAndFinalize(s, w)
    }
    const stats = (await admin(s, 'get', '/health').expect(200)).body as { store: Stats }
    expect(stats.store.evictions).toBeGreaterThanOrEqual(1)
    expect(stats.store.imageBytes).toBeLessThanOrEqual(budget)
    expect(stats.store.workflowExecutions).toBe(3 - stats.store.evictions)
  })
})
