/**
 * @module Names the operation of every Jumio request, picks the scenario that answers it and
 * applies the scenario's faults (status with Jumio's body, latency, dropped connection) before
 * the route runs (ARCHITECTURE "Request pipeline").
 */
import type { Context, MiddlewareHandler } from 'hono'
import { faultLatency, FAULT_TITLES, pickFault } from '../../scenarios/faults.js'
import { ambient } from '../domain/choose-scenario.js'
import type { Fault, Scenario } from '../../scenarios/types.js'
import type { AppDeps } from '../deps.js'
import type { AppEnv } from '../env.js'
import { UnknownScenario } from '../../scenarios/registry.js'
import { JumioProblem, OAuthError, titleFor } from '../errors.js'
import { DEFAULT_TENANT } from '../domain/tenants.js'
import type { TenantView } from '../domain/tenants.js'
import { readBody } from '../request-body.js'
import { claimedTenant, presentedClient } from './auth.js'

const TOKEN = 'requestAccessToken'

/**
 * The token endpoint's form `client_id`, for choosing its tenant and its faults before the route
 * verifies it; the route reads the same bytes. Only a form body is read here: any other is the
 * route's to refuse (400 invalid_request).
 */
async function formClientId(c: Context<AppEnv>, deps: AppDeps): Promise<string | undefined> {
  const type = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase()
  if (type !== 'application/x-www-form-urlencoded') return undefined
  const form = new URLSearchParams((await readBody(c, deps.config.maxBodyBytes)).toString('utf8'))
  return form.get('client_id') || undefined
}

/**
 * Names the scenario that answers: the context variable, and the `X-Mock-Scenario` header set
 * before the route builds its response (adding a header afterwards rebuilds the response).
 */
export function answeredBy(c: Context, name: string): void {
  ;(c as Context<AppEnv>).set('scenario', name)
  c.header('X-Mock-Scenario', name)
}

/** Sets the operation and the scenario, and injects the scenario's faults. */
export function scenarioAndFaults(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async function scenario(c, next) {
    const match = deps.router.match(c.req.method, c.req.path)
    if (!match) {
      await next()
      return
    }
    const { operationId, operation, params } = match
    c.set('operationId', operationId)
    c.set('operation', operation)
    const wfeId = params['workflowExecutionId']
    const wfe = wfeId === undefined ? undefined : await deps.store.locateWorkflowExecution(wfeId)
    const formClient = operationId === TOKEN ? await formClientId(c, deps) : undefined
    const client = presentedClient(c, formClient)
    c.set('client', client)
    // a transaction token names no tenant: its workflow execution's is the one
    const claimed = claimedTenant(c, deps, formClient)
    const tenantId = claimed ?? wfe?.tenant ?? DEFAULT_TENANT
    // a shared backend reads the tenant's fault counts ahead (the pick below is synchronous)
    await deps.tenants.prepare(tenantId)
    const tenant = deps.tenants.view(tenantId)
    const chosen = await chooseScenario(c, deps, tenant, operationId, wfe?.scenario)
    answeredBy(c, chosen.name)
    c.set('tenant', tenant.id)
    c.set('strict', (chosen.validation ?? deps.config.validation) === 'strict')
    if (deps.rateLimiter) {
      const wait = await deps.rateLimiter.take(tenant.id, operation.rateFamily, tenant.clock.now())
      // [D] the 429 body and a Retry-After header (REFERENCE §15)
      if (wait > 0) await applyFault(c, { status: 429, retryAfter: wait })
    }
    const forced = await deps.tenants.takeOverride(tenant.id, operationId, 'fault', false, client)
    const counts = deps.tenants.faultCounts(tenant.id)
    // an operation that creates a workflow execution meets its faults once its scenario is chosen
    const fault =
      forced?.fault ??
      (operation.createsWorkflowExecution ? null : pickFault(chosen, operationId, counts, client))
    if (fault) await applyFault(c, fault)
    await next()
  }
}

async function chooseScenario(
  c: Context,
  deps: AppDeps,
  tenant: TenantView,
  operationId: string,
  bound?: Scenario,
): Promise<Scenario> {
  const header = c.req.header('X-Mock-Scenario')
  if (header) {
    try {
      return deps.scenarios.require(header.trim())
    } catch (err) {
      // the token endpoint speaks OAuth2's error shape, not problem details
      if (operationId !== TOKEN || !(err instanceof UnknownScenario)) throw err
      throw new OAuthError(400, 'invalid_request', err.message)
    }
  }
  if (!deps.operations.get(operationId)?.createsWorkflowExecution) {
    const client = (c as Context<AppEnv>).get('client')
    const override = await deps.tenants.takeOverride(
      tenant.id,
      operationId,
      'scenario',
      false,
      client,
    )
    // one a hot reload removed falls through, as in resolveScenario
    const overridden =
      override?.scenario === undefined ? undefined : deps.scenarios.find(override.scenario)
    if (overridden) return overridden
  }
  return bound ?? ambient(tenant, deps.scenarios, deps.tenants).scenario
}

/** Delays, drops or answers with the fault's status; the route runs only after latency alone. */
export async function applyFault(c: Context, fault: Fault): Promise<void> {
  const wait = faultLatency(fault)
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
  if (fault.drop) {
    const incoming = (c.env as { incoming?: { socket?: { destroy: () => void } } } | undefined)
      ?.incoming
    incoming?.socket?.destroy()
    throw new JumioProblem(
      { status: 503, title: 'Service Unavailable' },
      'Connection dropped by the scenario',
    )
  }
  if (fault.status === undefined) return
  // the token endpoint answers 400 and 401 in OAuth2's shape (REFERENCE §2.1), 429 as Jumio does
  if ((c as Context<AppEnv>).get('operationId') === TOKEN) {
    if (fault.status === 401) throw new OAuthError(401, 'invalid_client', 'injected by a fault')
    if (fault.status === 400) throw new OAuthError(400, 'invalid_request', 'injected by a fault')
  }
  const known = FAULT_TITLES[fault.status] ?? {
    title: titleFor(fault.status),
    detail: 'The scenario injected this error',
  }
  const headers: Record<string, string> = {}
  if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter)
  throw new JumioProblem(
    { status: fault.status, title: fault.title ?? known.title },
    fault.detail ?? known.detail,
    headers,
  )
}
