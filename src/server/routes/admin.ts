/**
 * @module The admin API under `/__admin` (contracts/admin.openapi.yaml): scenarios, overrides,
 * bindings, workflow executions, callbacks, clock and reset. Calls act on the tenant named by
 * `X-Mock-Tenant` or `?tenant=`, and on the global defaults without one.
 */
import { Hono } from 'hono'
import type { Context } from 'hono'
import type { AppDeps } from '../deps.js'
import type { AppEnv } from '../env.js'
import { problem } from '../errors.js'
import type { components } from '../contract/admin.gen.js'
import type { Override } from '../domain/tenants.js'
import type { WorkflowStatus } from '../state/models.js'
import {
  adminCallback,
  adminMemory,
  adminClock,
  adminOverride,
  adminWorkflowExecution,
} from '../render/admin.js'
import { ambient } from '../domain/choose-scenario.js'
import { adminOperation, tenantParam } from './admin-common.js'
import { param, readJson } from './operation.js'

const WORKFLOW_STATUSES: WorkflowStatus[] = [
  'INITIATED',
  'ACQUIRED',
  'PROCESSED',
  'SESSION_EXPIRED',
  'TOKEN_EXPIRED',
]

/** The admin routes. */
export function adminRoutes(deps: AppDeps, version: string): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const started = Date.now()
  const admin = adminOperation(deps)

  app.get('/__admin/health', admin('adminHealth'), async (c) => {
    const durable = deps.storage?.report()
    const shared = deps.shared?.report()
    // 503 tells an orchestrator (readiness probe, HEALTHCHECK) that writes are refused
    const status = shared?.status ?? durable?.status ?? 'UP'
    const body: components['schemas']['Health'] = {
      status,
      version,
      uptimeMs: Date.now() - started,
      scenariosFile: deps.scenarios.path,
      defaultScenario: deps.scenarios.default.name,
      store: await deps.store.stats(),
      ...(durable && { durable }),
      ...(shared && { redis: shared }),
      memory: adminMemory(deps.journal),
      tenants: deps.tenants.stats(),
    }
    return c.json(body, status === 'UP' ? 200 : 503)
  })

  app.get('/__admin/scenarios', admin('listScenarios'), (c) => {
    const tenant = tenantParam(c)
    return c.json({
      file: deps.scenarios.path,
      default: deps.scenarios.default.name,
      active: active(deps, tenant),
      scenarios: deps.scenarios.list().map(({ name, description }) => ({ name, description })),
      overrides: deps.tenants.settings(tenant).overrides.map((o) => adminOverride(o, tenant)),
    })
  })
  app.get('/__admin/scenarios/active', admin('getActiveScenario'), (c) =>
    c.json(active(deps, tenantParam(c))),
  )
  app.put('/__admin/scenarios/active', admin('setActiveScenario'), async (c) => {
    const name = await nameFrom(c, deps)
    const tenant = tenantParam(c)
    await deps.tenants.setActive(tenant, name)
    deps.log.info('active scenario switched', { tenant: tenant ?? '(global)', scenario: name })
    return c.json(active(deps, tenant))
  })

  app.get('/__admin/scenarios/overrides', admin('listOverrides'), (c) => {
    const tenant = tenantParam(c)
    return c.json({
      overrides: deps.tenants.settings(tenant).overrides.map((o) => adminOverride(o, tenant)),
    })
  })
  app.post('/__admin/scenarios/overrides', admin('addOverride'), async (c) => {
    const tenant = tenantParam(c)
    const override = await overrideFrom(c, deps)
    await deps.tenants.addOverride(tenant, override)
    return c.json(adminOverride(override, tenant), 201)
  })
  app.delete('/__admin/scenarios/overrides', admin('clearOverrides'), async (c) => {
    await deps.tenants.clearOverrides(tenantParam(c))
    return c.body(null, 204)
  })

  app.put('/__admin/accounts/:accountId/scenario', admin('bindAccountScenario'), async (c) => {
    const tenant = tenantParam(c)
    const accountId = param(c, 'accountId')
    const account = await findAccount(deps, tenant, accountId)
    if (!account) throw problem.notFound(`Account ${accountId} not found`)
    const name = await nameFrom(c, deps)
    await deps.tenants.bind(account.tenant, accountId, name)
    return c.json({ accountId, scenario: name })
  })

  app.get('/__admin/workflow-executions', admin('listWorkflowExecutions'), async (c) => {
    const { status, account, customerInternalReference } = c.req.query()
    const all = await deps.store.listWorkflowExecutions(tenantParam(c))
    const matching = all
      .filter(
        (w) =>
          (status === undefined || w.status === (status as WorkflowStatus)) &&
          (account === undefined || w.accountId === account),
      )
      .filter(
        (w) =>
          customerInternalReference === undefined ||
          w.customerInternalReference === customerInternalReference,
      )
      .sort((a, b) => b.createdAt - a.createdAt)
    const settled = await Promise.all(matching.map((w) => deps.workflows.settle(w)))
    return c.json({ workflowExecutions: await Promise.all(settled.map((w) => view(deps, w))) })
  })
  app.get(
    '/__admin/workflow-executions/:workflowExecutionId',
    admin('getWorkflowExecutionState'),
    async (c) =>
      c.json(await view(deps, await deps.workflows.settle(await findWorkflowExecution(c, deps)))),
  )
  app.post(
    '/__admin/workflow-executions/:workflowExecutionId/expire',
    admin('expireWorkflowExecution'),
    async (c) =>
      c.json(
        await view(deps, await deps.workflows.forceExpire(await findWorkflowExecution(c, deps))),
      ),
  )
  app.post(
    '/__admin/workflow-executions/:workflowExecutionId/process',
    admin('processWorkflowExecution'),
    async (c) =>
      c.json(
        await view(deps, await deps.workflows.forceProcess(await findWorkflowExecution(c, deps))),
      ),
  )

  app.get('/__admin/callbacks', admin('listCallbacks'), async (c) => {
    const callbacks = await deps.callbacks.list(tenantParam(c))
    return c.json({ callbacks: callbacks.map(adminCallback), dropped: deps.callbacks.dropped })
  })
  app.post('/__admin/callbacks/:callbackId/redeliver', admin('redeliverCallback'), async (c) => {
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

  app.get('/__admin/clock', admin('getClock'), (c) => {
    const tenant = tenantParam(c)
    return c.json(adminClock(clockOf(deps, tenant), tenant))
  })
  app.post('/__admin/clock/advance', admin('advanceClock'), async (c) => {
    const body = await readJson(c, deps.config.maxBodyBytes)
    // `null`, an array or a number is valid JSON too
    const ms = body !== null && typeof body === 'object' ? (body as { ms?: unknown }).ms : undefined
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > 31_536_000_000) {
      throw problem.badRequest('ms must be a whole number of milliseconds from 0 to one year')
    }
    const tenant = tenantParam(c)
    return c.json(adminClock(await deps.tenants.advanceClock(tenant, ms), tenant))
  })

  app.post('/__admin/reset', admin('reset'), async (c) => {
    const tenant = tenantParam(c)
    await deps.store.reset(tenant)
    deps.credentials.reset(tenant)
    await deps.callbacks.reset(tenant)
    await deps.rateLimiter?.reset(tenant)
    deps.workflows.forgetTimers(tenant)
    await deps.journal.clear(tenant)
    if (tenant === undefined) {
      await deps.tenants.resetAll()
      deps.clock.resetSkew()
    } else await deps.tenants.reset(tenant)
    return c.body(null, 204)
  })
  return app
}

function clockOf(deps: AppDeps, tenant: string | undefined) {
  return tenant === undefined ? deps.clock : deps.tenants.get(tenant).clock
}

function active(deps: AppDeps, tenant: string | undefined) {
  const own = tenant === undefined ? { activeScenario: null } : deps.tenants.view(tenant)
  const { scenario, source } = ambient(own, deps.scenarios, deps.tenants)
  return { name: scenario.name, source, ...(tenant === undefined ? {} : { tenant }) }
}

async function nameFrom(c: Context<AppEnv>, deps: AppDeps): Promise<string | null> {
  const body = (await readJson(c, deps.config.maxBodyBytes)) as { name?: unknown } | null
  const name = body?.name
  if (name === null) return null
  if (typeof name !== 'string')
    throw problem.badRequest('Body must be {"name": "<scenario>"} or {"name": null}')
  return deps.scenarios.require(name).name
}

async function overrideFrom(c: Context<AppEnv>, deps: AppDeps): Promise<Override> {
  // the admin middleware has checked it against the contract (adminOperation)
  const raw = await readJson(c, deps.config.maxBodyBytes)
  // as sent: `times` may be absent (the contract's default is applied below)
  const body = raw as {
    scenario?: string
    fault?: components['schemas']['Fault']
    times?: number
    operation?: string
    clientId?: string
  }
  const { fault } = body
  if (fault && fault.status === undefined && fault.latencyMs === undefined && !fault.drop)
    throw problem.badRequest('Invalid override: a fault needs status, latencyMs or drop')
  if (body.operation !== undefined && !deps.contract.operations.has(body.operation)) {
    throw problem.badRequest(
      `Unknown operation ${body.operation}; known: ${[...deps.contract.operations.keys()].join(', ')}`,
    )
  }
  const override: Override = { id: deps.ids(), remaining: body.times ?? 1 }
  if (body.scenario !== undefined) override.scenario = deps.scenarios.require(body.scenario).name
  if (body.operation !== undefined) override.operation = body.operation
  if (body.clientId !== undefined) override.clientId = body.clientId
  if (body.fault) {
    const { latencyMs, ...rest } = body.fault
    override.fault = {
      ...rest,
      ...(latencyMs !== undefined && { latency: { min: latencyMs, max: latencyMs } }),
    }
  }
  return override
}

async function findAccount(deps: AppDeps, tenant: string | undefined, id: string) {
  if (tenant !== undefined) return deps.store.getAccount(tenant, id)
  for (const t of await deps.tenants.listAll()) {
    const account = await deps.store.getAccount(t.id, id)
    if (account) return account
  }
  return undefined
}

async function findWorkflowExecution(c: Context, deps: AppDeps) {
  const id = param(c, 'workflowExecutionId')
  const tenant = tenantParam(c)
  const wfe =
    tenant === undefined
      ? await deps.store.locateWorkflowExecution(id)
      : await deps.store.getWorkflowExecution(tenant, id)
  if (!wfe) throw problem.notFound(`Workflow execution ${id} not found`)
  return wfe
}

async function view(deps: AppDeps, wfe: Parameters<typeof adminWorkflowExecution>[0]) {
  const all = await deps.callbacks.list(wfe.tenant)
  const callbacks = all.filter((d) => d.workflowExecutionId === wfe.id)
  return adminWorkflowExecution(wfe, deps.workflows, callbacks)
}
