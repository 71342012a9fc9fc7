/**
 * @module Entities → the admin API's bodies (contracts/admin.openapi.yaml).
 */
import { getHeapStatistics } from 'node:v8'
import type { components } from '../contract/admin.gen.js'
import { isoTimestamp } from '../domain/clock.js'
import type { ApiCredentials } from '../domain/api-credentials.js'
import type { Listed } from '../domain/credential-model.js'
import type { CallbackDelivery } from '../domain/callbacks.js'
import type { Clock } from '../domain/clock.js'
import type { Override } from '../domain/tenants.js'
import type { JournalCounts } from '../journal/journal.js'
import type { Workflows } from '../domain/workflows.js'
import type { WorkflowExecution } from '../state/models.js'

type Schemas = components['schemas']

/** The internal view of a workflow execution: scenario, deadlines, parts, callback attempts. */
export function adminWorkflowExecution(
  wfe: WorkflowExecution,
  workflows: Workflows,
  callbacks: CallbackDelivery[],
): Schemas['WorkflowExecution'] {
  const next = workflows.nextTransition(wfe)
  const optional = (key: string, ms: number | undefined) =>
    ms === undefined ? {} : { [key]: isoTimestamp(ms) }
  return {
    id: wfe.id,
    accountId: wfe.accountId,
    tenant: wfe.tenant,
    definitionKey: wfe.definitionKey,
    status: wfe.status,
    scenario: wfe.scenario.name,
    customerInternalReference: wfe.customerInternalReference,
    ...(wfe.userReference !== undefined && { userReference: wfe.userReference }),
    ...(wfe.callbackUrl !== undefined && { callbackUrl: wfe.callbackUrl }),
    createdAt: isoTimestamp(wfe.createdAt),
    ...optional('startedAt', wfe.startedAt),
    ...optional('acquiredAt', wfe.acquiredAt),
    ...optional('completedAt', wfe.completedAt),
    deadlines: {
      tokenExpiresAt: isoTimestamp(wfe.tokenExpiresAt),
      ...(next && { next: { status: next.status, at: isoTimestamp(next.at) } }),
    },
    statusReads: wfe.statusReads,
    ...(wfe.result && { decision: wfe.result.decision }),
    credentials: wfe.credentials.map((c) => ({
      id: c.id,
      category: c.category,
      parts: Object.values(c.parts).map((p) => ({
        classifier: p.classifier,
        contentType: p.contentType,
        size: p.size,
        ...(p.width !== undefined && { width: p.width }),
        ...(p.height !== undefined && { height: p.height }),
        uploadedAt: isoTimestamp(p.uploadedAt),
      })),
    })),
    callbacks: callbacks.map(adminCallback),
  }
}

/** A callback delivery as the admin API shows it. */
export function adminCallback(d: CallbackDelivery): Schemas['CallbackDelivery'] {
  return { ...d, ...(d.body && { body: { ...d.body } }) }
}

/** An override as the admin API shows it. */
export function adminOverride(o: Override, tenant?: string): Schemas['Override'] {
  const { fault, ...rest } = o
  return {
    ...rest,
    ...(fault && {
      fault: {
        ...(fault.status !== undefined && { status: fault.status }),
        ...(fault.title !== undefined && { title: fault.title }),
        ...(fault.detail !== undefined && { detail: fault.detail }),
        ...(fault.retryAfter !== undefined && { retryAfter: fault.retryAfter }),
        ...(fault.latency && { latencyMs: fault.latency.min }),
        ...(fault.drop !== undefined && { drop: fault.drop }),
      },
    }),
    ...(tenant !== undefined && { tenant }),
  }
}

/** The clock as the admin API shows it. */
export function adminClock(clock: Clock, tenant?: string): Schemas['Clock'] {
  const now = clock.now()
  return {
    now: isoTimestamp(now),
    epochMs: now,
    skewMs: clock.skew,
    frozen: clock.frozen,
    ...(tenant !== undefined && { tenant }),
  }
}

/**
 * The process's memory for the health check. The resident set comes from /proc, which a chroot
 * may lack (the container test runs the image so): then it is left out, and health still answers.
 */
export function adminMemory(
  journal: JournalCounts,
  rss: () => number = () => process.memoryUsage.rss(),
): Schemas['MemoryStats'] {
  let rssBytes: number | undefined
  try {
    rssBytes = rss()
  } catch {
    // no /proc
  }
  return {
    ...(rssBytes !== undefined && { rssBytes }),
    heapUsedBytes: getHeapStatistics().used_heap_size,
    journalEntries: journal.entries,
    journalDropped: journal.dropped,
  }
}

/** A credential as the admin API lists it: never a secret (the contract forbids one here). */
export function adminCredential(
  listed: Listed,
  credentials: ApiCredentials,
): Schemas['ApiCredential'] {
  const { type, clientId, name, tenant, permissions } = listed.credential
  const common = { type, clientId, name, tenant, permissions: [...permissions] }
  if (listed.source === 'configured') {
    const createdAt = isoTimestamp(credentials.startedAt)
    return { ...common, status: 'ACTIVE', source: 'configured', createdAt }
  }
  const c = listed.credential
  const graced = c.secrets[1]?.expiresAt
  // a deactivated credential has no secret that works, the replaced one included
  const inGrace = c.status === 'ACTIVE' && graced !== undefined && credentials.now(tenant) < graced
  return {
    ...common,
    status: c.status,
    source: 'admin',
    createdAt: isoTimestamp(c.createdAt),
    ...(c.rotatedAt !== undefined && { rotatedAt: isoTimestamp(c.rotatedAt) }),
    ...(inGrace && { previousSecretExpiresAt: isoTimestamp(graced) }),
    ...(c.deactivatedAt !== undefined && { deactivatedAt: isoTimestamp(c.deactivatedAt) }),
    ...(c.tokensRevoked !== undefined && { tokensRevoked: c.tokensRevoked }),
  }
}
