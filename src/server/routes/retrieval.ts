/**
 * @module The retrieval API on the retrieval. host, with the OAuth2 bearer: status, details,
 * steps, parts, and deletion ([D] jumio-reference §10, §13).
 */
import { Hono } from 'hono'
import type { Context } from 'hono'
import type { AppDeps } from '../deps.js'
import type { AppEnv } from '../env.js'
import { answeredBy } from '../request-context.js'
import { problem } from '../errors.js'
import { asStoredOnFullDisk } from '../domain/workflows.js'
import { requireClient } from '../auth.js'
import { recordViolation } from '../request-context.js'
import { violation } from '../journal/violations.js'
import { servedImage } from '../state/image-bytes.js'
import { isTerminal } from '../state/models.js'
import { detailsResponse, statusResponse, stepsResponse } from '../render/retrieval.js'
import type { WorkflowExecution } from '../state/models.js'
import { binder } from './bind.js'
import { param } from './operation.js'

const MAX_EARLY_READS = 10

/** The retrieval routes. */
export function retrievalRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const route = binder(app, deps.operations)

  route('getWorkflowExecutionStatus', async (c) => {
    const found = await findWorkflowExecution(c, deps)
    // a HEAD (answered by this GET route) reads no status: it is not counted
    const wfe = c.req.method === 'GET' ? await deps.workflows.recordStatusRead(found) : found
    return c.json(statusResponse(wfe, deps.workflows.hrefs(wfe.origin)), 200)
  })
  route('getWorkflowExecutionSteps', async (c) => {
    return c.json(stepsResponse(await findWorkflowExecution(c, deps)), 200)
  })
  route('getWorkflowExecution', async (c) => {
    const wfe = await findWorkflowExecution(c, deps)
    return c.json(detailsResponse(wfe, deps.workflows.hrefs(wfe.origin)), 200)
  })
  // [O] real callbacks and status link here, without the account segment (jumio-reference §12.1)
  route('getWorkflowExecutionById', async (c) => {
    const wfe = await findWorkflowExecution(c, deps)
    return c.json(detailsResponse(wfe, deps.workflows.hrefs(wfe.origin)), 200)
  })
  route('deleteWorkflowExecution', async (c) => {
    const wfe = await findWorkflowExecution(c, deps)
    await deps.store.deleteWorkflowExecution(wfe.tenant, wfe.id)
    await deps.tenants.markDeleted(wfe.tenant, wfe.id)
    return c.body(null, 200)
  })
  route('getPart', async (c) => {
    const { tenant } = await requireClient(c, deps, 'RETRIEVE_DELETE')
    const account = await deps.store.getAccount(tenant, param(c, 'accountId'))
    if (!account) throw problem.notFound(`Account ${param(c, 'accountId')} not found`)
    const part = await findPart(
      deps,
      tenant,
      account.workflowExecutionIds,
      param(c, 'credentialId'),
      param(c, 'classifier'),
    )
    // a shared store reads image bytes only when they are asked for
    const bytes = servedImage(part) ?? (await deps.store.partBytes?.(part))
    if (bytes) return c.body(bytes, 200, { 'Content-Type': part.contentType })
    if (part.json) return c.json(part.json, 200)
    // an image whose file is gone from the data directory: no bytes to serve
    throw partNotFound(part.classifier, param(c, 'credentialId'))
  })
  return app
}

/** The caller's workflow execution, settled; other tenants' and deleted ones are 404. */
async function findWorkflowExecution(
  c: Context<AppEnv>,
  deps: AppDeps,
): Promise<WorkflowExecution> {
  // status, steps, details and deletion alike ([D] "retrieve & delete", jumio-reference §2.1)
  const { tenant } = await requireClient(c, deps, 'RETRIEVE_DELETE')
  const id = param(c, 'workflowExecutionId')
  const wfe = await deps.store.getWorkflowExecution(tenant, id)
  const accountId = c.req.param('accountId')
  // [D] 404 "if the transaction is not available, has been deleted" (jumio-reference §10.3)
  if (!wfe || (accountId !== undefined && wfe.accountId !== accountId)) {
    if (await deps.tenants.wasDeleted(tenant, id, accountId)) {
      recordViolation(
        c,
        violation(
          'RETRIEVAL_AFTER_DELETION',
          `Workflow execution ${id} was deleted; Jumio answers 404`,
        ),
      )
    }
    throw problem.notFound(`Workflow execution ${id} not found`)
  }
  answeredBy(c, wfe.scenario.name)
  const settled = await deps.workflows.settle(wfe)
  if (c.req.method === 'GET' && !isTerminal(settled.status)) await countEarlyRead(c, deps, settled)
  return settled
}

/** [D] "maximum of 10 consecutive retrieval attempts" before results exist (jumio-reference §10). */
async function countEarlyRead(
  c: Context<AppEnv>,
  deps: AppDeps,
  wfe: WorkflowExecution,
): Promise<void> {
  wfe.earlyReads = (wfe.earlyReads ?? 0) + 1
  // on a full disk the read is answered uncounted (the store put the count back)
  await asStoredOnFullDisk(deps.store.saveWorkflowExecution(wfe))
  if (wfe.earlyReads > MAX_EARLY_READS) {
    recordViolation(
      c,
      violation(
        'RETRIEVAL_TOO_EARLY',
        `Read ${wfe.earlyReads} times before it was processed; wait for the callback or back off (40 s, 60 s, 100 s …, at most ${MAX_EARLY_READS} attempts)`,
      ),
    )
  }
}

async function findPart(
  deps: AppDeps,
  tenant: string,
  wfeIds: string[],
  credentialId: string,
  classifier: string,
) {
  for (const id of wfeIds) {
    const wfe = await deps.store.getWorkflowExecution(tenant, id)
    const parts = wfe?.credentials.find((x) => x.id === credentialId)?.parts
    // own keys only: `constructor` or `__proto__` is no classifier
    const part = parts && Object.hasOwn(parts, classifier) ? parts[classifier] : undefined
    if (part) return part
  }
  throw partNotFound(classifier, credentialId)
}

/** [D] 404 "does not contain the image you requested" (jumio-reference §10.4). */
function partNotFound(classifier: string, credentialId: string) {
  return problem.notFound(`Part ${classifier} of credential ${credentialId} not found`)
}
