/**
 * @module The one place state lives. Asynchronous so that a shared or durable backend can
 * replace the in-memory one without touching handlers. Every lookup is
 * scoped to a tenant: another tenant's ids are simply not found.
 */
import type { Account, ImageBytes, StoredPart, WorkflowExecution } from './models.js'
import { isTerminal } from './models.js'
import { imageLength } from './image-bytes.js'

/** What a store holds, and how much it has let go of to stay within its bounds. */
export interface StoreStats {
  workflowExecutions: number
  imageBytes: number
  /** Completed workflow executions dropped, oldest first, to stay within the bounds. */
  evictions: number
}

/**
 * An upload's hold on image-budget bytes (domain/image-budget.ts). The save that stores the
 * upload ends it in the same step as it counts the bytes, so that no other upload, on any
 * replica, ever sees them counted twice (held and stored) and is refused for room that exists.
 */
export interface ImageHold {
  /** Its names among Redis's reservations (space separated), for the save script to end it. */
  readonly key: string
  /** Gives the bytes back, once. */
  release(): void
  /** Marks them given back by the store itself, so that release() does nothing. */
  forget(): void
}

/** Storage of accounts and workflow executions (their credentials and parts inside). */
export interface Store {
  getAccount(tenant: string, id: string): Promise<Account | undefined>
  saveAccount(account: Account): Promise<void>
  getWorkflowExecution(tenant: string, id: string): Promise<WorkflowExecution | undefined>
  /** Finds a workflow execution in any tenant: a transaction token names no tenant. */
  locateWorkflowExecution(id: string): Promise<WorkflowExecution | undefined>
  /**
   * Saves a workflow execution, and with it (in the same write: all or nothing) the account
   * when given, such as the one that has just gained it. An upload's `hold` ends as its bytes
   * are counted.
   */
  saveWorkflowExecution(wfe: WorkflowExecution, account?: Account, hold?: ImageHold): Promise<void>
  /** Deletes the account and every workflow execution on it. */
  deleteAccount(tenant: string, id: string): Promise<boolean>
  deleteWorkflowExecution(tenant: string, id: string): Promise<boolean>
  listWorkflowExecutions(tenant?: string): Promise<WorkflowExecution[]>
  /** Forgets everything, or everything of one tenant. */
  reset(tenant?: string): Promise<void>
  /**
   * Lets go of completed workflow executions, oldest first, until `bytes` more image bytes fit
   * the image bound; false when they do not fit even then (active ones are never let go).
   */
  makeRoom(bytes: number): Promise<boolean>
  /**
   * Durable mode: writes an upload's bytes to disk ahead of the save that records them, off the
   * event loop; {@link unstageImage} removes them if that save never comes.
   */
  stageImage?(bytes: ImageBytes): Promise<void>
  /** Removes bytes staged and not recorded since (a no-op once a save recorded them). */
  unstageImage?(bytes: ImageBytes): void
  /** The bytes of an image part kept outside its object (Redis), read when asked for. */
  partBytes?(part: StoredPart): Promise<Uint8Array<ArrayBuffer> | undefined>
  /** Sizes and evictions, for the admin health. */
  stats(): StoreStats | Promise<StoreStats>
}

/** Bounds of the in-memory store; weeks of uptime must not grow it without end. */
export interface StoreLimits {
  maxWorkflowExecutions: number
  maxImageBytes: number
}

const UNBOUNDED: StoreLimits = { maxWorkflowExecutions: Infinity, maxImageBytes: Infinity }

const key = (tenant: string, id: string) => `${tenant}\u0000${id}`

/** Bytes of the image parts a workflow execution holds. */
function imageBytesOf(wfe: WorkflowExecution): number {
  let total = 0
  for (const c of wfe.credentials)
    for (const p of Object.values(c.parts)) total += p.bytes ? imageLength(p.bytes) : 0
  return total
}

/**
 * The default store: plain maps in memory, bounded. Past either limit the oldest completed
 * (terminal) workflow executions are evicted first; an active one never is, so a store full of
 * active ones may exceed its bounds rather than lose a journey in progress.
 */
export class MemoryStore implements Store {
  private readonly accounts = new Map<string, Account>()
  /** Insertion order is creation order: eviction walks it from the oldest. */
  private readonly executions = new Map<string, WorkflowExecution>()
  private readonly tenantOf = new Map<string, string>()
  private readonly bytesOf = new Map<string, number>()
  /** Terminal workflow executions in the order they completed: the eviction candidates. */
  private readonly completed = new Set<string>()
  private imageBytes = 0
  private evictions = 0

  constructor(private readonly limits: StoreLimits = UNBOUNDED) {}

  getAccount(tenant: string, id: string): Promise<Account | undefined> {
    return Promise.resolve(this.accounts.get(key(tenant, id)))
  }

  saveAccount(account: Account): Promise<void> {
    this.accounts.set(key(account.tenant, account.id), account)
    return Promise.resolve()
  }

  getWorkflowExecution(tenant: string, id: string): Promise<WorkflowExecution | undefined> {
    return Promise.resolve(this.executions.get(key(tenant, id)))
  }

  locateWorkflowExecution(id: string): Promise<WorkflowExecution | undefined> {
    const tenant = this.tenantOf.get(id)
    return Promise.resolve(tenant === undefined ? undefined : this.executions.get(key(tenant, id)))
  }

  saveWorkflowExecution(
    wfe: WorkflowExecution,
    account?: Account,
    hold?: ImageHold,
  ): Promise<void> {
    if (account) this.accounts.set(key(account.tenant, account.id), account)
    const k = key(wfe.tenant, wfe.id)
    this.executions.set(k, wfe)
    this.tenantOf.set(wfe.id, wfe.tenant)
    this.tally(k, imageBytesOf(wfe))
    hold?.release()
    if (isTerminal(wfe.status)) this.completed.add(k)
    this.evictOverBounds()
    return Promise.resolve()
  }

  stats(): StoreStats {
    const { imageBytes, evictions } = this
    return { workflowExecutions: this.executions.size, imageBytes, evictions }
  }

  /** Records a workflow execution's image bytes (0 forgets it). */
  private tally(k: string, bytes: number): void {
    this.imageBytes += bytes - (this.bytesOf.get(k) ?? 0)
    if (bytes === 0) this.bytesOf.delete(k)
    else this.bytesOf.set(k, bytes)
  }

  private overBounds(room: number): boolean {
    const { maxWorkflowExecutions, maxImageBytes } = this.limits
    return this.executions.size > maxWorkflowExecutions || this.imageBytes + room > maxImageBytes
  }

  makeRoom(bytes: number): Promise<boolean> {
    this.evictOverBounds(bytes)
    return Promise.resolve(this.imageBytes + bytes <= this.limits.maxImageBytes)
  }

  /**
   * Drops the oldest terminal workflow executions until within bounds, with `room` image bytes
   * to spare, or none is left.
   */
  private evictOverBounds(room = 0): void {
    // only completed ones are candidates, so active workflow executions cost nothing here
    for (const k of this.completed) {
      if (!this.overBounds(room)) return
      const wfe = this.executions.get(k)
      if (wfe) {
        this.forget(k, wfe)
        this.evictions += 1
      }
      this.completed.delete(k)
    }
  }

  /** Removes a workflow execution, and its account once the account has none left. */
  private forget(k: string, wfe: WorkflowExecution): void {
    this.executions.delete(k)
    this.completed.delete(k)
    this.tenantOf.delete(wfe.id)
    this.tally(k, 0)
    const ak = key(wfe.tenant, wfe.accountId)
    const account = this.accounts.get(ak)
    if (!account) return
    account.workflowExecutionIds = account.workflowExecutionIds.filter((x) => x !== wfe.id)
    if (account.workflowExecutionIds.length === 0) this.accounts.delete(ak)
  }

  deleteAccount(tenant: string, id: string): Promise<boolean> {
    const account = this.accounts.get(key(tenant, id))
    if (!account) return Promise.resolve(false)
    for (const wfeId of account.workflowExecutionIds) {
      this.executions.delete(key(tenant, wfeId))
      this.completed.delete(key(tenant, wfeId))
      this.tenantOf.delete(wfeId)
      this.tally(key(tenant, wfeId), 0)
    }
    this.accounts.delete(key(tenant, id))
    return Promise.resolve(true)
  }

  deleteWorkflowExecution(tenant: string, id: string): Promise<boolean> {
    const wfe = this.executions.get(key(tenant, id))
    if (!wfe) return Promise.resolve(false)
    this.executions.delete(key(tenant, id))
    this.completed.delete(key(tenant, id))
    this.tenantOf.delete(id)
    this.tally(key(tenant, id), 0)
    const account = this.accounts.get(key(tenant, wfe.accountId))
    if (account) account.workflowExecutionIds = account.workflowExecutionIds.filter((x) => x !== id)
    return Promise.resolve(true)
  }

  listWorkflowExecutions(tenant?: string): Promise<WorkflowExecution[]> {
    const all = [...this.executions.values()]
    return Promise.resolve(tenant === undefined ? all : all.filter((w) => w.tenant === tenant))
  }

  reset(tenant?: string): Promise<void> {
    for (const map of [this.accounts, this.executions] as Map<string, { tenant: string }>[]) {
      for (const [k, v] of map) if (tenant === undefined || v.tenant === tenant) map.delete(k)
    }
    for (const [id, t] of this.tenantOf)
      if (tenant === undefined || t === tenant) this.tenantOf.delete(id)
    for (const k of this.bytesOf.keys())
      if (tenant === undefined || k.startsWith(`${tenant}\u0000`)) this.tally(k, 0)
    for (const k of this.completed) if (!this.executions.has(k)) this.completed.delete(k)
    return Promise.resolve()
  }
}
