/**
 * @module The admin API's callbacks: the deliveries and their attempts, a redelivery (optionally
 * with another status), and the callback contract test of a client's endpoint.
 */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import type { AppEnv } from '../../env.js'
import { problem } from '../../errors.js'
import type { WorkflowStatus } from '../../state/models.js'
import { adminCallback } from '../../render/admin.js'
import { checkCallbacks } from '../../../verify/callbacks.js'
import { param, readJson } from '../operation.js'
import { adminBinder, tenantParam } from './common.js'

const WORKFLOW_STATUSES: WorkflowStatus[] = [
  'INITIATED',
  'ACQUIRED',
  'PROCESSED',
  'SESSION_EXPIRED',
  'TOKEN_EXPIRED',
]

/** The callback routes. */
export function adminCallbackRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const route = adminBinder(app, deps)

  route('listCallbacks', async (c) => {
    const callbacks = await deps.callbacks.list(tenantParam(c))
    return c.json({ callbacks: callbacks.map(adminCallback), dropped: deps.callbacks.dropped })
  })
  route('redeliverCallback', async (c) => {
    const id = param(c, 'callbackId')
    const original = (await deps.callbacks.list(tenantParam(c))).find((d) => d.id === id)
    if (!original) throw problem.notFound(`Callback ${id} not found`)
    const wfe = await deps.store.getWorkflowExecution(original.tenant, original.workflowExecutionId)
    const hrefs = deps.workflows.hrefs(wfe?.origin ?? new URL(c.req.url).origin)
    const body = (await readJson(c, deps.config.maxBodyBytes, { optional: true })) as {
      status?: unknown
    } | null
    const status = body?.status
    if (status !== undefined && !WORKFLOW_STATUSES.includes(status as WorkflowStatus)) {
      throw problem.badRequest(`status must be one of ${WORKFLOW_STATUSES.join(', ')}`)
    }
    const clock = deps.workflows.clock(original.tenant)
    const again = await deps.callbacks.redeliver(
      id,
      clock,
      hrefs,
      status as WorkflowStatus | undefined,
    )
    if (!again) throw problem.notFound(`Callback ${id} not found`)
    return c.json(adminCallback(again), 202)
  })

  // the callback contract test of a client's endpoint, for a running instance
  route('verifyClientCallbacks', async (c) => {
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
  })
  return app
}
