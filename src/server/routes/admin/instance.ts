/**
 * @module The admin API on the instance as a whole: its health, its clock (per tenant, or the
 * global one), and reset.
 */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import type { AppEnv } from '../../env.js'
import { problem } from '../../errors.js'
import type { components } from '../../contract/admin.gen.js'
import { adminClock, adminMemory } from '../../render/admin.js'
import { readJson } from '../operation.js'
import { adminBinder, tenantParam } from './common.js'

/** The health, clock and reset routes. */
export function adminInstanceRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const route = adminBinder(app, deps)
  const started = Date.now()

  route('adminHealth', async (c) => {
    const durable = deps.storage?.report()
    await deps.shared?.check()
    const shared = deps.shared?.report()
    // 503 tells an orchestrator (readiness probe, HEALTHCHECK) that writes are refused
    const status = shared?.status ?? durable?.status ?? 'UP'
    const body: components['schemas']['Health'] = {
      status,
      version: deps.version,
      uptimeMs: Date.now() - started,
      scenariosFile: deps.scenarios.path,
      defaultScenario: deps.scenarios.default.name,
      store: await deps.store.stats(),
      ...(durable && { durable }),
      ...(shared && { redis: shared }),
      memory: adminMemory(await deps.journal.counts()),
      tenants: await deps.tenants.stats(),
    }
    return c.json(body, status === 'UP' ? 200 : 503)
  })

  route('getClock', (c) => {
    const tenant = tenantParam(c)
    // a read: a tenant that holds nothing reads the clock it would get, and keeps nothing
    const clock = tenant === undefined ? deps.clock : deps.tenants.clockOf(tenant)
    const shown = adminClock(clock, tenant)
    // such a tenant's clock follows the root's and has moved by nothing of its own
    return c.json(tenant !== undefined && clock === deps.clock ? { ...shown, skewMs: 0 } : shown)
  })
  route('advanceClock', async (c) => {
    const body = await readJson(c, deps.config.maxBodyBytes)
    // `null`, an array or a number is valid JSON too
    const ms = body !== null && typeof body === 'object' ? (body as { ms?: unknown }).ms : undefined
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > 31_536_000_000) {
      throw problem.badRequest('ms must be a whole number of milliseconds from 0 to one year')
    }
    const tenant = tenantParam(c)
    return c.json(adminClock(await deps.tenants.advanceClock(tenant, ms), tenant))
  })

  route('reset', async (c) => {
    const tenant = tenantParam(c)
    await deps.store.reset(tenant)
    await deps.credentials.reset(tenant)
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
