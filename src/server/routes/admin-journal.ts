/**
 * @module The consumer side of the contract-testing harness: `GET /__admin/journal` (filters
 * and paging) and `GET /__admin/violations` (grouped by code), and `DELETE` on both.
 */
import { Hono } from 'hono'
import type { MiddlewareHandler } from 'hono'
import type { AppDeps } from '../deps.js'
import type { AppEnv } from '../env.js'
import { problem } from '../errors.js'
import { checkCallbacks } from '../../verify/callbacks.js'
import { adminOperation, tenantParam } from './admin-common.js'
import { readJson } from './operation.js'

/** The journal and violations routes. */
export function adminJournalRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const admin = adminOperation(deps)

  app.get('/__admin/journal', admin('getJournal'), async (c) => {
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
  app.delete('/__admin/journal', admin('clearJournal'), async (c) => {
    await deps.journal.clear(tenantParam(c))
    return c.body(null, 204)
  })
  app.get('/__admin/violations', admin('getViolations'), async (c) => {
    const groups = await deps.journal.violations(tenantParam(c))
    return c.json({ total: groups.reduce((n, g) => n + g.count, 0), violations: groups })
  })
  app.delete('/__admin/violations', admin('clearViolations'), async (c) => {
    await deps.journal.clearViolations(tenantParam(c))
    return c.body(null, 204)
  })
  // the callback contract test of a client's endpoint, for a running instance.
  // Routed as a parameter: the static `verify` beside `/__admin/callbacks/:callbackId/redeliver`
  // makes Hono fall back from its RegExpRouter to the TrieRouter for every route (16 % of a
  // status read's CPU, measured); test/unit/router.test.ts keeps every route on the RegExpRouter.
  const verifyOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (c.req.param('callbackId') !== 'verify') return c.notFound()
    await next()
    return undefined
  }
  app.post(
    '/__admin/callbacks/:callbackId',
    verifyOnly,
    admin('verifyClientCallbacks'),
    async (c) => {
      const body = (await readJson(c, deps.config.maxBodyBytes)) as {
        url?: unknown
        clientId?: unknown
        fetchWaitMs?: unknown
        timeoutMs?: unknown
      } | null
      const url = body?.url
      // an http(s) URL: a data: or file: URL is no client endpoint (fetch would "pass" data:)
      if (typeof url !== 'string' || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
        throw problem.badRequest('Body must be {"url": "<client callback URL, http or https>"}')
      const number = (v: unknown, fallback: number) =>
        typeof v === 'number' && v >= 0 && v <= 60_000 ? v : fallback
      const cases = await checkCallbacks({
        mockUrl: new URL(c.req.url).origin,
        clientUrl: url,
        fetchWaitMs: number(body?.fetchWaitMs, 3000),
        timeoutMs: number(body?.timeoutMs, deps.config.callbackTimeoutMs),
        adminToken: deps.config.adminToken,
        clientId:
          typeof body?.clientId === 'string' && body.clientId ? body.clientId : 'callback-check',
      })
      const passed = cases.filter((r) => r.inTime).length
      return c.json({ passed, failed: cases.length - passed, cases })
    },
  )
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
