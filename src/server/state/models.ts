/**
 * @module Internal entities: Account → WorkflowExecution → Credential → Part.
 * These are not wire types; `render/` turns them into the contract's shapes.
 */
import type { Category, Channel, WorkflowDefinition } from '../../model/workflow-definitions.js'
import type { WorkflowResult } from '../../scenarios/outcome.js'
import type { MockDirective } from '../../model/mock-directive.js'
import type { Scenario } from '../../scenarios/types.js'

/** An image's bytes: one array, or its pieces in order. */
export type ImageBytes = Uint8Array<ArrayBuffer> | readonly Uint8Array<ArrayBuffer>[]

/** [D] workflow statuses (jumio-reference §10.1). */
export type WorkflowStatus =
  'INITIATED' | 'ACQUIRED' | 'PROCESSED' | 'SESSION_EXPIRED' | 'TOKEN_EXPIRED'

/** A stored part: image bytes with what their header says, or prepared data. */
export interface StoredPart {
  id: string
  classifier: string
  contentType: string
  size: number
  uploadedAt: number
  /**
   * Present for images and PDFs: the upload's pieces as they arrived (never joined in memory:
   * see domain/multipart.ts), or one array (read from disk or Redis). `image-bytes.ts` reads
   * either.
   */
  bytes?: ImageBytes
  width?: number
  height?: number
  /** Present for PREPARED_DATA. */
  json?: Record<string, unknown>
}

/** A credential of a workflow execution. */
export interface StoredCredential {
  id: string
  category: Category
  allowedChannels: Channel[]
  /** UPPERCASE classifiers uploadable through the API channel. */
  classifiers: string[]
  required: string[]
  parts: Record<string, StoredPart>
  /** The first country (ISO alpha-3) and type asked for in the account request, if any. */
  country?: string
  documentType?: string
}

/** Web-channel settings echoed in the account response ([D] jumio-reference §4.4). */
export interface WebSettings {
  successUrl?: string
  errorUrl?: string
  locale: string
}

/** A workflow execution: one transaction on an account. */
export interface WorkflowExecution {
  id: string
  accountId: string
  tenant: string
  definitionKey: string
  /** A definition from the scenarios file, kept as it was at creation: a reload may remove it. */
  definition?: WorkflowDefinition
  customerInternalReference: string
  userReference?: string
  reportingCriteria?: string
  callbackUrl?: string
  web: WebSettings
  /** The origin hrefs point at, fixed at creation (callbacks are sent with no request). */
  origin: string
  /** The scenario, fixed when the workflow execution is created. */
  scenario: Scenario
  /** Jumio's Mock Service directive from customerInternalReference (jumio-reference §21). */
  directive?: MockDirective
  /** The transaction token; one per workflow execution ([O] jumio-reference §3.2). */
  token: string
  tokenExpiresAt: number
  sessionTimeoutMs: number
  processingDelayMs: number
  /** Status reads so far (a scenario may process only after N). */
  statusReads: number
  /** Retrieval reads before a terminal status (Jumio's best practice allows 10, jumio-reference §10). */
  earlyReads?: number
  createdAt: number
  startedAt?: number
  lastActivityAt?: number
  acquiredAt?: number
  completedAt?: number
  status: WorkflowStatus
  credentials: StoredCredential[]
  /** Fixed when the workflow execution reaches a terminal status. */
  result?: WorkflowResult
}

/** An end user's account; each create or update adds a workflow execution. */
export interface Account {
  id: string
  tenant: string
  createdAt: number
  workflowExecutionIds: string[]
}

/** Terminal statuses: nothing more happens to the workflow execution. */
export function isTerminal(status: WorkflowStatus): boolean {
  return status === 'PROCESSED' || status === 'SESSION_EXPIRED' || status === 'TOKEN_EXPIRED'
}
