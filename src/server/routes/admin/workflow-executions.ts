/**
 * @module The admin API's workflow executions: list them (filtered), read one's state, and force
 * its expiry or its processing now. A call without a tenant finds a workflow execution in any.
 */
import { Hono } from 'hono'
import type { Context } from 'hono'
import type { AppDeps } from '../../deps.js'
import type { AppEnv } from '../../env.js'
import { problem } from '../../errors.js'
import type { WorkflowExecution, WorkflowStatus } from '../../state/models.js'
import { adminWorkflowExecution } from '../../render/admin.js'
import { param } from '../operation.js'
import { adminBinder, tenantParam } from './common.js'

/** The workflow execution routes. */
export function adminWorkflowExecutionRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const route = adminBinder(app, deps)

  route('listWorkflowExecutions', async (c) => {
    const { status, account, customerInternalReference } = c.req.query()
    const all = await deps.store.listWorkflowExecutions(tenantParam(c))
    const matching = all
      .filter(
        (w) =>
          (status === undefined || w.status === (status as WorkflowStatus)) &&
          (account === undefined || w.accountId === account) &&
          (customerInternalReference === undefined ||
            w.customerInternalReference === customerInternalReference),
      )
      .sort((a, b) => b.createdAt - a.createdAt)
    const settled = await Promise.all(matching.map((w) => deps.workflows.settle(w)))
    return c.json({ workflowExecutions: await Promise.all(settled.map((w) => view(deps, w))) })
  })
  route('getWorkflowExecutionState', async (c) =>
    c.json(await view(deps, await deps.workflows.settle(await find(c, deps)))),
  )
  route('expireWorkflowExecution', async (c) =>
    c.json(await view(deps, await deps.workflows.forceExpire(await find(c, deps)))),
  )
  route('processWorkflowExecution', async (c) =>
    c.json(await view(deps, await deps.workflows.forceProcess(await find(c, deps)))),
  )
  return app
}

/** The workflow execution the path names, in the tenant the call names or in any. */
async function find(c: Context, deps: AppDeps): Promise<WorkflowExecution> {
  const id = param(c, 'workflowExecutionId')
  const tenant = tenantParam(c)
  const wfe =
    tenant === undefined
      ? await deps.store.locateWorkflowExecution(id)
      : await deps.store.getWorkflowExecution(tenant, id)
  if (!wfe) throw problem.notFound(`Workflow execution ${id} not found`)
  return wfe
}

async function view(deps: AppDeps, wfe: WorkflowExecution) {
  const all = await deps.callbacks.list(wfe.tenant)
  const callbacks = all.filter((d) => d.workflowExecutionId === wfe.id)
  return adminWorkflowExecution(wfe, deps.workflows, callbacks)
}
