/**
 * @module The admin API's scenarios (contracts/admin.openapi.yaml): the list, the active one,
 * one-shot overrides and account bindings. Calls act on the tenant named by `X-Mock-Tenant` or
 * `?tenant=`, and on the global defaults without one.
 */
import { Hono } from 'hono'
import type { Context } from 'hono'
import type { AppDeps } from '../../deps.js'
import type { AppEnv } from '../../env.js'
import { problem } from '../../errors.js'
import type { components } from '../../contract/admin.gen.js'
import type { Override } from '../../domain/tenants.js'
import { adminOverride } from '../../render/admin.js'
import { ambient } from '../../domain/choose-scenario.js'
import { adminBinder, tenantParam } from './common.js'
import { param, readJson } from '../operation.js'

/** The scenario routes. */
export function adminScenarioRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const route = adminBinder(app, deps)

  route('listScenarios', (c) => {
    const tenant = tenantParam(c)
    return c.json({
      file: deps.scenarios.path,
      default: deps.scenarios.default.name,
      active: active(deps, tenant),
      scenarios: deps.scenarios.list().map(({ name, description }) => ({ name, description })),
      overrides: deps.tenants.settings(tenant).overrides.map((o) => adminOverride(o, tenant)),
    })
  })
  route('getActiveScenario', (c) => c.json(active(deps, tenantParam(c))))
  route('setActiveScenario', async (c) => {
    const name = await nameFrom(c, deps)
    const tenant = tenantParam(c)
    await deps.tenants.setActive(tenant, name)
    deps.log.info('active scenario switched', { tenant: tenant ?? '(global)', scenario: name })
    return c.json(active(deps, tenant))
  })

  route('listOverrides', (c) => {
    const tenant = tenantParam(c)
    return c.json({
      overrides: deps.tenants.settings(tenant).overrides.map((o) => adminOverride(o, tenant)),
    })
  })
  route('addOverride', async (c) => {
    const tenant = tenantParam(c)
    const override = await overrideFrom(c, deps)
    await deps.tenants.addOverride(tenant, override)
    return c.json(adminOverride(override, tenant), 201)
  })
  route('clearOverrides', async (c) => {
    await deps.tenants.clearOverrides(tenantParam(c))
    return c.body(null, 204)
  })

  route('bindAccountScenario', async (c) => {
    const tenant = tenantParam(c)
    const accountId = param(c, 'accountId')
    const account = await findAccount(deps, tenant, accountId)
    if (!account) throw problem.notFound(`Account ${accountId} not found`)
    const name = await nameFrom(c, deps)
    await deps.tenants.bind(account.tenant, accountId, name)
    return c.json({ accountId, scenario: name })
  })

  return app
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
  for (const t of await deps.tenants.ids()) {
    const account = await deps.store.getAccount(t, id)
    if (account) return account
  }
  return undefined
}
