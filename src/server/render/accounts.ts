/**
 * @module Entities → the contract's create/update, upload and finalize bodies
 * ([D] jumio-reference §4.4, §7.2, §9.2).
 */
import type {
  AccountCredential,
  AccountResponse,
  FinalizeResponse,
  PartUploadResponse,
} from '../contract/types.js'
import { isoTimestamp } from '../domain/clock.js'
import type { Hrefs } from '../domain/hrefs.js'
import type { StoredCredential, WorkflowExecution } from '../state/models.js'

/** [D] the account create/update response (jumio-reference §4.4). */
export function accountResponse(
  wfe: WorkflowExecution,
  hrefs: Hrefs,
  now: number,
): AccountResponse {
  const channels = new Set(wfe.credentials.flatMap((c) => c.allowedChannels))
  const { successUrl, errorUrl } = wfe.web
  return {
    timestamp: isoTimestamp(now),
    account: { id: wfe.accountId },
    // [D] web and sdk are omitted for workflows without those channels; successUrl and errorUrl
    // are echoed only when set (jumio-reference §4.4)
    ...(channels.has('WEB') && {
      web: {
        href: hrefs.web(wfe.token, wfe.web.locale),
        ...(successUrl !== undefined && { successUrl }),
        ...(errorUrl !== undefined && { errorUrl }),
      },
    }),
    ...(channels.has('SDK') && { sdk: { token: wfe.token } }),
    workflowExecution: {
      id: wfe.id,
      credentials: wfe.credentials.map((c) => accountCredential(wfe, c, hrefs)),
    },
  }
}

function accountCredential(
  wfe: WorkflowExecution,
  c: StoredCredential,
  hrefs: Hrefs,
): AccountCredential {
  const out: AccountCredential = {
    id: c.id,
    category: c.category,
    allowedChannels: [...c.allowedChannels],
  }
  // [D] "actions can be omitted due to unavailability": no api object without the API channel
  if (c.allowedChannels.includes('API')) {
    out.api = {
      token: wfe.token,
      parts: partLinks(wfe, c, hrefs),
      workflowExecution: hrefs.workflowExecution(wfe.accountId, wfe.id),
    }
  }
  return out
}

/** [D] lowercase keys, UPPERCASE classifiers in the URLs (jumio-reference §4.4). */
function partLinks(
  wfe: WorkflowExecution,
  c: StoredCredential,
  hrefs: Hrefs,
): Record<string, string> {
  return Object.fromEntries(
    c.classifiers.map((k) => [k.toLowerCase(), hrefs.part(wfe.accountId, wfe.id, c.id, k)]),
  )
}

/**
 * [D/O] the upload response: same token, credential and part ids (jumio-reference §7.2). [O] A
 * PREPARED_DATA upload answers `api.parts: {}`, as the real capture does (examples README, quirk
 * 12); image uploads list the credential's part URLs, as Jumio's documented examples do.
 */
export function uploadResponse(
  wfe: WorkflowExecution,
  c: StoredCredential,
  part: { id: string; classifier: string },
  hrefs: Hrefs,
  now: number,
): PartUploadResponse {
  return {
    timestamp: isoTimestamp(now),
    account: { id: wfe.accountId },
    workflowExecution: { id: wfe.id },
    credential: { id: c.id },
    part: { id: part.id },
    api: {
      token: wfe.token,
      parts: part.classifier === 'PREPARED_DATA' ? {} : partLinks(wfe, c, hrefs),
      workflowExecution: hrefs.workflowExecution(wfe.accountId, wfe.id),
    },
  }
}

/** [D] the finalize response (jumio-reference §9.2). */
export function finalizeResponse(wfe: WorkflowExecution, now: number): FinalizeResponse {
  return {
    timestamp: isoTimestamp(now),
    account: { id: wfe.accountId },
    workflowExecution: { id: wfe.id },
  }
}
