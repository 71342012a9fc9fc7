/**
 * @module The account API: create (POST), update (PUT: a new workflow execution on an existing
 * account) and delete ([D] jumio-reference §4, §13).
 */
import { Hono } from 'hono'
import type { Context } from 'hono'
import { aliased } from '../../scenarios/extraction.js'
import { resolveScenario } from '../domain/choose-scenario.js'
import type { AppDeps } from '../deps.js'
import type { AppEnv } from '../env.js'
import { problem } from '../errors.js'
import { toAccountParams } from '../domain/account-request.js'
import type { AccountRequestBody } from '../domain/account-request.js'
import { requireClient } from '../auth.js'
import { answerWith, meetScenarioFaults } from '../scenario-step.js'
import { recordViolation, refuseInStrictMode } from '../request-context.js'
import { callbackUrlViolations, contentTypeViolations } from '../journal/violations.js'
import { piiViolations, schemaViolations, violation } from '../journal/violations.js'
import type { Violation } from '../journal/violations.js'
import { accountResponse } from '../render/accounts.js'
import type { Account } from '../state/models.js'
import { binder } from './bind.js'
import { param, readJson } from './operation.js'

/** The account routes. */
export function accountRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const route = binder(app, deps.operations)

  // [D] create and update both answer 200, not 201 (jumio-reference §4.1)
  route('createAccount', async (c) => {
    const { tenant } = await requireClient(c, deps, 'INITIATE')
    return createWorkflowExecution(c, deps, tenant)
  })

  route('updateAccount', async (c) => {
    const { tenant } = await requireClient(c, deps, 'INITIATE')
    const account = await deps.store.getAccount(tenant, param(c, 'accountId'))
    // [D] 404 "in case of a failed update scenario" (jumio-reference §4.1)
    if (!account) throw problem.notFound(`Account ${param(c, 'accountId')} not found`)
    return createWorkflowExecution(c, deps, tenant, account)
  })

  route('deleteAccount', async (c) => {
    const { tenant } = await requireClient(c, deps, 'RETRIEVE_DELETE')
    const account = await deps.store.getAccount(tenant, param(c, 'accountId'))
    const deleted = await deps.store.deleteAccount(tenant, param(c, 'accountId'))
    if (account) await deps.tenants.markDeleted(tenant, account.id, ...account.workflowExecutionIds)
    if (!deleted) throw problem.notFound(`Account ${param(c, 'accountId')} not found`)
    // [D] 200 with no documented body (jumio-reference §13)
    return c.body(null, 200)
  })
  return app
}

async function createWorkflowExecution(
  c: Context<AppEnv>,
  deps: AppDeps,
  tenant: string,
  account?: Account,
) {
  const body = await readAccountRequest(c, deps)
  const params = toAccountParams(body, deps.catalogue, account !== undefined)
  const overrides = params.directive?.extractionOverrides
  // the overrides become extraction data as given: they must be what the contract allows there
  const wrong = overrides ? deps.contract.validateSchema('ExtractionData', aliased(overrides)) : []
  if (wrong[0]) {
    throw problem.badRequest(
      `A Mock Service directive's extractionOverrides${wrong[0].message.replace(/\//g, '.')}`,
    )
  }
  // the one step that chooses the scenario of a new workflow execution, now that the body says
  // what it asks for; it then answers the request: its validation mode (also for what was
  // recorded before it was chosen: the header policies) and its faults
  const { scenario } = await resolveScenario(
    {
      header: c.req.header('X-Mock-Scenario'),
      tenant: deps.tenants.view(tenant),
      operationId: c.get('operationId'),
      creating: true,
      client: c.get('client'),
      accountId: account?.id,
      directive: params.directive,
      customerInternalReference: params.customerInternalReference,
      userReference: params.userReference,
    },
    deps.scenarios,
    deps.tenants,
  )
  answerWith(c, deps, scenario)
  if (body.callbackUrl !== undefined) policy(c, ...callbackUrlViolations(body.callbackUrl))
  await meetScenarioFaults(c, deps, scenario)
  // an update checks its account again after the body and any latency: a deletion or reset
  // meanwhile wins (saving the account again would bring it back)
  const current = account && (await deps.store.getAccount(tenant, account.id))
  if (account && !current) throw problem.notFound(`Account ${account.id} not found`)
  const origin = new URL(c.req.url).origin
  const { wfe } = await deps.workflows.create(tenant, origin, params, scenario, current)
  return c.json(accountResponse(wfe, deps.workflows.hrefs(origin), wfe.createdAt), 200)
}

/** Validates the body against the contract; the first violations name the fields. */
async function readAccountRequest(c: Context<AppEnv>, deps: AppDeps): Promise<AccountRequestBody> {
  const body = await readJson(c, deps.config.maxBodyBytes)
  recordViolation(c, ...contentTypeViolations(c.req.header('Content-Type')))
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  if (typeof record['customerInternalReference'] === 'number') {
    // [O] a numeric reference is accepted and echoed as a string (examples README, quirk 5)
    const message = 'customerInternalReference is a number; Jumio documents a string'
    policy(c, violation('SCHEMA', message, '/customerInternalReference'))
    record['customerInternalReference'] = String(record['customerInternalReference'])
  }
  const violations = deps.contract.validateRequest(c.get('operationId'), 'application/json', body)
  if (violations.length > 0) {
    recordViolation(c, ...schemaViolations(violations))
    const detail = violations
      .slice(0, 3)
      .map((v) => v.message)
      .join('; ')
    throw problem.badRequest(`Invalid request body: ${detail}`)
  }
  const checked = body as AccountRequestBody
  const directive = /^\s*\{/.test(checked.customerInternalReference)
  if (!directive)
    recordViolation(
      c,
      ...piiViolations('customerInternalReference', checked.customerInternalReference),
    )
  recordViolation(c, ...piiViolations('userReference', checked.userReference))
  return checked
}

/** Records the violations; strict mode refuses those Jumio refuses. */
function policy(c: Context<AppEnv>, ...found: Violation[]): void {
  recordViolation(c, ...found)
  refuseInStrictMode(c)
}
