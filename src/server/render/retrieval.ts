/**
 * @module Entities → the retrieval bodies: status, details and steps ([D] jumio-reference §10).
 */
import type { StepsResponse, WorkflowDetails, WorkflowStatusResponse } from '../contract/types.js'
import { isoTimestamp } from '../domain/clock.js'
import type { Hrefs } from '../domain/hrefs.js'
import type { StoredCredential, WorkflowExecution } from '../state/models.js'

/** [D] status: definitionKey a string, workflow href without the account (jumio-reference §10.1). */
export function statusResponse(wfe: WorkflowExecution, hrefs: Hrefs): WorkflowStatusResponse {
  return {
    account: { id: wfe.accountId, href: hrefs.account(wfe.accountId) },
    workflowExecution: {
      id: wfe.id,
      href: hrefs.workflowExecutionById(wfe.id),
      definitionKey: wfe.definitionKey,
      status: wfe.status,
    },
  }
}

/** [D] details (jumio-reference §10.2): results appear once the workflow execution is terminal. */
export function detailsResponse(wfe: WorkflowExecution, hrefs: Hrefs): WorkflowDetails {
  const { result } = wfe
  return {
    workflow: {
      id: wfe.id,
      status: wfe.status,
      definitionKey: wfe.definitionKey,
      // [O] userReference is omitted when not set
      ...(wfe.userReference !== undefined && { userReference: wfe.userReference }),
      customerInternalReference: wfe.customerInternalReference,
    },
    account: { id: wfe.accountId },
    createdAt: isoTimestamp(wfe.createdAt),
    // [O] startedAt is absent when the journey never started
    ...(wfe.startedAt !== undefined && { startedAt: isoTimestamp(wfe.startedAt) }),
    ...(wfe.completedAt !== undefined && { completedAt: isoTimestamp(wfe.completedAt) }),
    credentials: wfe.credentials.map((c) => credentialParts(wfe, c, hrefs)),
    decision: result?.decision ?? {
      type: 'NOT_EXECUTED',
      details: { label: 'NOT_EXECUTED' },
      risk: { score: -1 },
    },
    steps: { href: hrefs.steps(wfe.accountId, wfe.id) },
    capabilities: result?.capabilities ?? {},
  }
}

function credentialParts(wfe: WorkflowExecution, c: StoredCredential, hrefs: Hrefs) {
  const classifiers = Object.keys(c.parts)
  // [O] credentials never uploaded have no parts key at all (jumio-reference §10.2)
  if (classifiers.length === 0) return { id: c.id, category: c.category }
  return {
    id: c.id,
    category: c.category,
    parts: classifiers.map((classifier) => ({
      classifier,
      href: hrefs.retrievalPart(wfe.accountId, c.id, classifier),
    })),
  }
}

/** [D] steps (jumio-reference §10.3); empty until the workflow execution is processed. */
export function stepsResponse(wfe: WorkflowExecution): StepsResponse {
  return { steps: wfe.result?.steps ?? [] }
}
