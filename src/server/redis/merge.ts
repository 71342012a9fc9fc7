/**
 * @module Three-way merge of a workflow execution that two replicas changed at once (the Redis
 * store, `store.ts`): what this replica changed since it read the stored version (`base`) is put
 * over what is stored now. Parts merge one by one (two uploads in parallel keep both), counters
 * add up, and the status only moves forward.
 */
import type { StoredCredential, WorkflowExecution } from '../state/models.js'
import { isTerminal } from '../state/models.js'

const ORDER = { INITIATED: 0, ACQUIRED: 1, PROCESSED: 2, SESSION_EXPIRED: 2, TOKEN_EXPIRED: 2 }
const COUNTERS = new Set(['statusReads', 'earlyReads'])

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** `mine`'s changes since `base`, over `storedDoc`; a completed stored one wins whole. */
export function merge(
  base: WorkflowExecution,
  mine: WorkflowExecution,
  storedDoc: string,
): WorkflowExecution {
  const stored = JSON.parse(storedDoc) as WorkflowExecution
  if (isTerminal(stored.status)) return stored
  const out = stored as unknown as Record<string, unknown>
  const b = base as unknown as Record<string, unknown>
  const m = mine as unknown as Record<string, unknown>
  for (const key of new Set([...Object.keys(m), ...Object.keys(b)])) {
    if (key === 'credentials' || same(m[key], b[key])) continue
    if (COUNTERS.has(key)) {
      out[key] = Number(out[key] ?? 0) + Number(m[key] ?? 0) - Number(b[key] ?? 0)
    } else if (key in m) out[key] = m[key]
    else Reflect.deleteProperty(out, key)
  }
  if (ORDER[stored.status] > ORDER[mine.status]) out['status'] = stored.status
  stored.credentials = stored.credentials.map((c, i) =>
    mergeParts(base.credentials[i], mine.credentials[i], c),
  )
  return stored
}

function mergeParts(
  base: StoredCredential | undefined,
  mine: StoredCredential | undefined,
  stored: StoredCredential,
): StoredCredential {
  if (!mine) return stored
  for (const classifier of new Set([
    ...Object.keys(mine.parts),
    ...Object.keys(base?.parts ?? {}),
  ])) {
    const had = base?.parts[classifier]
    const has = mine.parts[classifier]
    // the same part id: unchanged by this replica (bytes are never in the documents compared)
    if (had?.id === has?.id) continue
    if (has) stored.parts[classifier] = has
    else Reflect.deleteProperty(stored.parts, classifier)
  }
  return stored
}
