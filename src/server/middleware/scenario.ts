/**
 * @module Resolves every Jumio request once, before its route: its operation and that
 * operation's facts, the client it presents, the tenant it acts for, and (unless it creates a
 * workflow execution, whose scenario its route chooses once the body is read) the scenario that
 * answers it, whose faults then happen; Jumio's rate limits and the faults an override queued
 * happen here too.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { UnknownScenario } from '../../scenarios/registry.js'
import { claimedTenant, presentedClient } from '../auth.js'
import { mediaType } from '../contract/validators.js'
import type { AppDeps } from '../deps.js'
import { ambient, resolveScenario } from '../domain/choose-scenario.js'
import { DEFAULT_TENANT } from '../domain/tenants.js'
import type { AppEnv } from '../env.js'
import { OAuthError } from '../errors.js'
import { readTokenForm } from '../request-body.js'
import { answeredBy } from '../request-context.js'
import { answerWith, applyFault, meetScenarioFaults, TOKEN } from '../scenario-step.js'

/**
 * The token endpoint's form `client_id`, for choosing its tenant and its faults before the route
 * verifies it; the route reads the same bytes. Only a form body is read here: any other is the
 * route's to refuse (400 invalid_request).
 */
async function formClientId(c: Context<AppEnv>, deps: AppDeps): Promise<string | undefined> {
  if (mediaType(c.req.header('Content-Type')) !== 'application/x-www-form-urlencoded')
    return undefined
  const form = await readTokenForm(c, deps.config.maxBodyBytes)
  return form.get('client_id') || undefined
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
    const tenant = deps.tenants.view(tenantId)
    c.set('tenant', tenant.id)
    // an operation that creates a workflow execution gets its scenario once its body is read
    // (routes/accounts.ts); answers given before that (a refused token, a rate limit) name the one
    // the tenant would get without one
    const scenario = operation.createsWorkflowExecution
      ? undefined
      : await resolveScenario(
          {
            header: c.req.header('X-Mock-Scenario'),
            tenant,
            operationId,
            creating: false,
            client,
            workflowScenario: wfe?.scenario,
          },
          deps.scenarios,
          deps.tenants,
        ).then(
          (chosen) => chosen.scenario,
          (err: unknown) => {
            // the token endpoint speaks OAuth2's error shape, not problem details
            if (operationId !== TOKEN || !(err instanceof UnknownScenario)) throw err
            throw new OAuthError(400, 'invalid_request', err.message)
          },
        )
    if (scenario) answerWith(c, deps, scenario)
    else answeredBy(c, ambient(tenant, deps.scenarios, deps.tenants).scenario.name)
    if (deps.rateLimiter) {
      const wait = await deps.rateLimiter.take(tenant.id, operation.rateFamily, tenant.clock.now())
      // [D] the 429 body and a Retry-After header (jumio-reference §15)
      if (wait > 0) await applyFault(c, { status: 429, retryAfter: wait }, deps.inFlight.signal)
    }
    const forced = await deps.tenants.takeOverride(tenant.id, operationId, 'fault', false, client)
    if (forced?.fault) await applyFault(c, forced.fault, deps.inFlight.signal)
    // an operation that creates a workflow execution meets its faults once its scenario is chosen
    if (scenario) await meetScenarioFaults(c, deps, scenario)
    await next()
  }
}
