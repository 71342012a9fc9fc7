/**
 * @module The one place state lives. Asynchronous so that a shared or durable backend can
 * replace the in-memory one without touching handlers (ARCHITECTURE "State"). Every lookup is
 * scoped to a tenant: another tenant's ids are simply not found.
 */
import type { Account, WorkflowExecution } from './models.js'

/** Storage of accounts and workflow executions (their credentials and parts inside). */
export interface Store {
  getAccount(tenant: string, id: string): Promise<Account | undefined>
  saveAccount(account: Account): Promise<void>
  getWorkflowExecution(tenant: string, id: string): Promise<WorkflowExecution | undefined>
  /** Finds a workflow execution in any tenant: a transaction token names no tenant. */
  locateWorkflowExecution(id: string): Promise<WorkflowExecution | undefined>
  saveWorkflowExecution(wfe: WorkflowExecution): Promise<void>
  /** Deletes the account and every workflow execution on it. */
  deleteAccount(tenant: string, id: string): Promise<boolean>
  deleteWorkflowExecution(tenant: string, id: string): Promise<boolean>
  listWorkflowExecutions(tenant?: string): Promise<WorkflowExecution[]>
  /** Forgets everything, or everything of one tenant. */
  reset(tenant?: string): Promise<void>
}

const key = (tenant: string, id: string) => `${tenant}\u0000${id}`

/** The default store: plain maps in memory. */
export class MemoryStore implements Store {
  private readonly accounts = new Map<string, Account>()
  private readonly executions = new Map<string, WorkflowExecution>()
  private readonly tenantOf = new Map<string, string>()

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

  saveWorkflowExecution(wfe: WorkflowExecution): Promise<void> {
    this.executions.set(key(wfe.tenant, wfe.id), wfe)
    this.tenantOf.set(wfe.id, wfe.tenant)
    return Promise.resolve()
  }

  deleteAccount(tenant: string, id: string): Promise<boolean> {
    const account = this.accounts.get(key(tenant, id))
    if (!account) return Promise.resolve(false)
    for (const wfeId of account.workflowExecutionIds) {
      this.executions.delete(key(tenant, wfeId))
      this.tenantOf.delete(wfeId)
    }
    this.accounts.delete(key(tenant, id))
    return Promise.resolve(true)
  }

  deleteWorkflowExecution(tenant: string, id: string): Promise<boolean> {
    const wfe = this.executions.get(key(tenant, id))
    if (!wfe) return Promise.resolve(false)
    this.executions.delete(key(tenant, id))
    this.tenantOf.delete(id)
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
    return Promise.resolve()
  }
}
