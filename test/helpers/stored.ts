/**
 * Workflow executions as the store tests save them (test/store, test/durable): the fields a test
 * cares about over fixed values for the rest, with one ID credential holding the given parts.
 */
import type { StoredPart, WorkflowExecution } from '../../src/server/state/models.js'

/** What a test chooses of a stored workflow execution. */
export interface StoredFields {
  id: string
  tenant: string
  accountId: string
  status?: WorkflowExecution['status']
  credentialId: string
  parts: Record<string, StoredPart>
}

/** A workflow execution with `fields`, its credential taking the classifiers of its parts or FRONT. */
export function storedExecution(fields: StoredFields): WorkflowExecution {
  const classifiers = Object.keys(fields.parts).length > 0 ? Object.keys(fields.parts) : ['FRONT']
  return {
    id: fields.id,
    accountId: fields.accountId,
    tenant: fields.tenant,
    definitionKey: '10011',
    customerInternalReference: 'store',
    web: { locale: 'en' },
    origin: 'http://127.0.0.1',
    scenario: { name: 'approved', description: 'Everything passes.' },
    token: 'token',
    tokenExpiresAt: 2,
    sessionTimeoutMs: 3,
    processingDelayMs: 0,
    statusReads: 0,
    createdAt: 1,
    status: fields.status ?? 'INITIATED',
    credentials: [
      {
        id: fields.credentialId,
        category: 'ID',
        allowedChannels: ['API'],
        classifiers,
        required: classifiers,
        parts: fields.parts,
      },
    ],
  }
}

/** An image part of `classifier` holding `bytes`, as an upload stores it. */
export function storedPart(classifier: string, bytes: Uint8Array<ArrayBuffer>): StoredPart {
  return {
    id: `part-${classifier}`,
    classifier,
    contentType: 'image/jpeg',
    size: bytes.byteLength,
    uploadedAt: 1,
    bytes,
  }
}
