/**
 * @module The consumer side of the contract-testing harness: `GET /__admin/journal` (filters
 * and paging) and `GET /__admin/violations` (grouped by code), and `DELETE` on both.
 */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import type { AppEnv } from '../../env.js'
import { problem } from '../../errors.js'
import { adminBinder, tenantParam } from './common.js'

/** The journal and violations routes. */
export function adminJournalRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const route = adminBinder(app, deps)

  route('getJournal', async (c) => {
    const q = c.req.query()
    const offset = wholeNumber(q['offset'], 0, 'offset')
    const limit = Math.min(wholeNumber(q['limit'], 100, 'limit'), 1000)
    const page = await deps.journal.query({
      tenant: tenantParam(c),
      since: q['since'] === undefined ? undefined : since(q['since']),
      account: q['account'],
      operation: q['operation'],
      status: q['status'] === undefined ? undefined : wholeNumber(q['status'], 0, 'status'),
      hasViolations: q['hasViolations'] === undefined ? undefined : q['hasViolations'] === 'true',
      offset,
      limit,
    })
    return c.json({
      total: page.total,
      offset,
      limit,
      dropped: deps.journal.dropped,
      entries: page.entries,
    })
  })
  route('clearJournal', async (c) => {
    await deps.journal.clear(tenantParam(c))
    return c.body(null, 204)
  })
  route('getViolations', async (c) => {
    const groups = await deps.journal.violations(tenantParam(c))
    return c.json({ total: groups.reduce((n, g) => n + g.count, 0), violations: groups })
  })
  route('clearViolations', async (c) => {
    await deps.journal.clearViolations(tenantParam(c))
    return c.body(null, 204)
  })
  return app
}

function wholeNumber(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (!/^\d{1,9}$/.test(value)) throw problem.badRequest(`${name} must be a whole number`)
  return Number(value)
}

function since(value: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value)
  if (Number.isNaN(ms))
    throw problem.badRequest('since must be an ISO-8601 time or epoch milliseconds')
  return ms
}
