/**
 * @module The workflow execution lifecycle ([D] jumio-reference §3.3, §9, §10; [I] §18):
 * INITIATED → (first upload: startedAt) → ACQUIRED on finalize → PROCESSED after the processing
 * delay; TOKEN_EXPIRED when the token lifetime ends before the journey starts; SESSION_EXPIRED
 * when a started journey is idle for the session timeout. Every deadline is on the injected
 * clock, and a timer settles it even when nobody reads the workflow execution.
 */
import { buildResult } from '../../scenarios/outcome.js'
import type { Scenario } from '../../scenarios/types.js'
import { problem, StorageError } from '../errors.js'
import type { Account, StoredCredential, StoredPart, WorkflowExecution } from '../state/models.js'
import { isTerminal } from '../state/models.js'
import type { ImageHold, Store } from '../state/store.js'
import type { AccountParams } from './account-request.js'
import type { Callbacks } from './callbacks.js'
import type { Clock } from './clock.js'
import { Hrefs } from './hrefs.js'
import type { Tenants } from './tenants.js'
import type { PublicUrls } from './hrefs.js'
import { seededIds } from './ids.js'
import type { IdSource } from './ids.js'
import type { TokenService } from './tokens.js'
import type { DefinitionCatalogue } from '../../model/workflow-definitions.js'
import { isBuiltIn } from '../../model/workflow-definitions.js'
import type { Logger } from '../../logger.js'

/** A part as a route builds it; the lifecycle stamps the upload time. */
export type NewPart = Omit<StoredPart, 'uploadedAt'>

/** What the lifecycle needs. */
export interface WorkflowsDeps {
  store: Store
  tenants: Tenants
  callbacks: Callbacks
  ids: IdSource
  tokens: TokenService
  catalogue: DefinitionCatalogue
  publicUrls: PublicUrls
  /** [D] 15 minutes by default (jumio-reference §3.3). */
  sessionTimeoutMs: number
  processingDelayMs: number
  /** Also call back on ACQUIRED (off by default: unverified, jumio-reference §12.1). */
  intermediateCallbacks: boolean
  log: Logger
  /**
   * Where deadlines are armed instead of the tenant's clock: a job engine shared by replicas
   * (Redis), which calls {@link Workflows.settleDue} when one falls due.
   */
  deadlines?: (wfe: WorkflowExecution, at: number) => Promise<void>
}

type Expired = 'TOKEN_EXPIRED' | 'SESSION_EXPIRED'

/**
 * When a transition falls due while the disk refuses writes, it is tried again this much later
 * (and at every read before that): a full disk delays it, never loses it.
 */
const STORAGE_RETRY_MS = 5000

/** Creates workflow executions and moves them through their statuses. */
export class Workflows {
  /** The pending deadline timer of each workflow execution. */
  private readonly timers = new Map<string, { tenant: string; cancel: () => void }>()

  constructor(private readonly deps: WorkflowsDeps) {}

  /** Hrefs for a workflow execution, on the origin it was created from. */
  hrefs(origin: string): Hrefs {
    return new Hrefs(origin, this.deps.publicUrls)
  }

  /** POST creates an account and a workflow execution; PUT adds one to an existing account. */
  async create(
    tenant: string,
    origin: string,
    params: AccountParams,
    scenario: Scenario,
    existing?: Account,
  ) {
    const { ids, store, tokens } = this.deps
    // the tenant now holds a workflow execution: its clock and settings are kept from here on
    const now = this.deps.tenants.get(tenant).clock.now()
    const timing = scenario.timing ?? {}
    const account: Account = existing ?? {
      id: ids(),
      tenant,
      createdAt: now,
      workflowExecutionIds: [],
    }
    const id = ids()
    const tokenExpiresAt = now + (timing.tokenLifetime ?? params.tokenLifetimeMs)
    const token = await tokens.issueTransactionToken({
      exAt: String(tokenExpiresAt),
      accId: account.id,
      aId: id,
      wfeId: id,
      cRef: params.customerInternalReference,
      cId: ids(),
    })
    const wfe: WorkflowExecution = {
      id,
      accountId: account.id,
      tenant,
      definitionKey: params.definition.key,
      ...(!isBuiltIn(params.definition) && { definition: params.definition }),
      customerInternalReference: params.customerInternalReference,
      web: params.web,
      origin,
      scenario,
      token,
      tokenExpiresAt,
      sessionTimeoutMs: timing.sessionTimeout ?? this.deps.sessionTimeoutMs,
      processingDelayMs: timing.processingDelay ?? this.deps.processingDelayMs,
      statusReads: 0,
      createdAt: now,
      status: 'INITIATED',
      credentials: this.credentials(params),
    }
    for (const field of [
      'userReference',
      'reportingCriteria',
      'callbackUrl',
      'directive',
    ] as const) {
      if (params[field] !== undefined) Object.assign(wfe, { [field]: params[field] })
    }
    account.workflowExecutionIds.push(id)
    // one write: an account never lists a workflow execution the disk refused
    await store.saveWorkflowExecution(wfe, account)
    await this.scheduleNext(wfe)
    await this.settle(wfe)
    return { account, wfe }
  }

  /** Records an uploaded part; the first upload starts the journey and every upload resets the session. */
  async upload(
    wfe: WorkflowExecution,
    credential: StoredCredential,
    part: NewPart,
    hold?: ImageHold,
  ): Promise<void> {
    const now = this.clock(wfe.tenant).now()
    credential.parts[part.classifier] = { ...part, uploadedAt: now }
    wfe.startedAt ??= now
    wfe.lastActivityAt = now
    await this.deps.store.saveWorkflowExecution(wfe, undefined, hold)
    await this.scheduleNext(wfe)
  }

  /** [D] finalize: ACQUIRED now, PROCESSED after the processing delay (jumio-reference §9). */
  async finalize(wfe: WorkflowExecution): Promise<void> {
    const now = this.clock(wfe.tenant).now()
    wfe.status = 'ACQUIRED'
    wfe.acquiredAt = now
    wfe.startedAt ??= now
    wfe.lastActivityAt = now
    await this.deps.store.saveWorkflowExecution(wfe)
    if (this.deps.intermediateCallbacks) await this.notify(wfe, 'ACQUIRED')
    await this.scheduleNext(wfe)
    await this.settle(wfe)
  }

  /**
   * Counts a status read while the workflow execution is in progress: a scenario may process only
   * after N of them. Reads after it completed are not counted, so they write nothing (in durable
   * mode, a save per read was an fsync'd transaction: a status read took 1.4 ms of CPU).
   */
  async recordStatusRead(wfe: WorkflowExecution): Promise<WorkflowExecution> {
    if (isTerminal(wfe.status)) return wfe
    wfe.statusReads += 1
    // a read the disk cannot count is still answered (the store put the count back)
    await asStoredOnFullDisk(this.deps.store.saveWorkflowExecution(wfe))
    return this.settle(wfe)
  }

  /**
   * Applies the transition that has fallen due, if any, then saves. Reads call this: when the
   * disk refuses the write, the workflow execution stays as stored and the transition waits for
   * a later read or a retry, so the read still answers.
   */
  async settle(wfe: WorkflowExecution): Promise<WorkflowExecution> {
    const due = this.dueTransition(wfe, this.clock(wfe.tenant).now())
    if (!due) return wfe
    const stored = await asStoredOnFullDisk(this.completeAndSave(wfe, due.status, due.at))
    if (!stored) await this.scheduleNext(wfe, this.clock(wfe.tenant).now() + STORAGE_RETRY_MS)
    return wfe
  }

  /** Admin: expires now (TOKEN_EXPIRED before the journey started, SESSION_EXPIRED after). */
  async forceExpire(wfe: WorkflowExecution): Promise<WorkflowExecution> {
    requireNotTerminal(wfe)
    const status = wfe.startedAt === undefined ? 'TOKEN_EXPIRED' : 'SESSION_EXPIRED'
    await this.completeAndSave(wfe, status, this.clock(wfe.tenant).now())
    return wfe
  }

  /**
   * The web journey's outcome picker: another scenario decides the results. Timing fixed at
   * creation (token lifetime, session timeout, processing delay) stays as it was.
   */
  async setScenario(wfe: WorkflowExecution, scenario: Scenario): Promise<WorkflowExecution> {
    Workflows.requireOpen(wfe)
    wfe.scenario = scenario
    await this.deps.store.saveWorkflowExecution(wfe)
    return wfe
  }

  /** Admin: processes now, whatever was uploaded. */
  async forceProcess(wfe: WorkflowExecution): Promise<WorkflowExecution> {
    requireNotTerminal(wfe)
    const now = this.clock(wfe.tenant).now()
    wfe.acquiredAt ??= now
    await this.completeAndSave(wfe, 'PROCESSED', now)
    return wfe
  }

  /** The tenant's clock (to read; a tenant's own clock exists once it holds state). */
  clock(tenant: string): Clock {
    return this.deps.tenants.clockOf(tenant)
  }

  /** The next transition of a workflow execution and when it falls due. */
  nextTransition(wfe: WorkflowExecution) {
    return nextTransition(wfe)
  }

  private dueTransition(wfe: WorkflowExecution, now: number) {
    const next = this.nextTransition(wfe)
    return next && next.at <= now ? next : null
  }

  /**
   * Enters a terminal status: results fixed and saved, then its timer cancelled and its callback
   * scheduled. Nothing happens beyond the save before it succeeds: a callback never announces a
   * status the disk refused.
   */
  private async completeAndSave(
    wfe: WorkflowExecution,
    status: 'PROCESSED' | Expired,
    at: number,
  ): Promise<void> {
    wfe.status = status
    wfe.completedAt = at
    wfe.result = this.result(wfe, at, status === 'PROCESSED' ? undefined : status)
    await this.deps.store.saveWorkflowExecution(wfe)
    this.cancelTimer(wfe.id)
    // the status stored: a replica that settled it at the same moment may have stored another
    await this.notify(wfe, wfe.status)
    // scenarios can make delivery misbehave as real networks do: a stale status after the last
    if (wfe.status === 'PROCESSED' && wfe.scenario.callbacks?.outOfOrder)
      await this.notify(wfe, 'ACQUIRED')
  }

  private async notify(wfe: WorkflowExecution, status: WorkflowExecution['status']): Promise<void> {
    const behaviour = wfe.scenario.callbacks ?? {}
    const delay = (wfe.scenario.timing?.callbackDelay ?? 0) + (behaviour.extraDelay ?? 0)
    const copies = behaviour.duplicate ? 2 : 1
    for (let i = 0; i < copies; i++) {
      await this.deps.callbacks.schedule(
        wfe,
        status,
        delay,
        this.clock(wfe.tenant),
        this.hrefs(wfe.origin),
        i,
      )
    }
  }

  private result(wfe: WorkflowExecution, at: number, expired?: Expired) {
    // built in, or kept since creation; before definitions were kept, one a reload removed is gone
    const definition = wfe.definition ??
      this.deps.catalogue.get(wfe.definitionKey) ?? {
        key: wfe.definitionKey,
        name: `removed definition ${wfe.definitionKey}`,
        credentials: [],
        capabilities: [],
      }
    const hrefs = this.hrefs(wfe.origin)
    return buildResult({
      definition,
      scenario: wfe.scenario,
      seed: wfe.id,
      now: at,
      // drawn from the workflow execution's id, as its data is: the same whatever happened
      // before, and on whichever replica runs its deadline
      newId: seededIds(`result:${wfe.id}`),
      facemapHref: (credentialId) => hrefs.retrievalPart(wfe.accountId, credentialId, 'FACEMAP'),
      extractionOverrides: wfe.directive?.extractionOverrides,
      ...(expired ? { expired } : {}),
      credentials: wfe.credentials.map((c) => ({
        id: c.id,
        category: c.category,
        classifiers: c.classifiers,
        required: c.required,
        uploaded: Object.keys(c.parts),
        country: c.country,
        documentType: c.documentType,
        preparedData: c.parts['PREPARED_DATA']?.json,
      })),
    })
  }

  /**
   * After a restart on a data directory: arms the deadline timer of every workflow execution in
   * progress and schedules again the callbacks still pending, so expiry and delivery need no reader.
   */
  async resume(): Promise<{ workflowExecutions: number; callbacks: number }> {
    const open = (await this.deps.store.listWorkflowExecutions()).filter(
      (w) => !isTerminal(w.status),
    )
    for (const wfe of open) await this.scheduleNext(wfe)
    const callbacks = this.deps.callbacks.resume(
      (tenant) => this.clock(tenant),
      (origin) => this.hrefs(origin),
    )
    return { workflowExecutions: open.length, callbacks }
  }

  /**
   * Keeps one timer armed per workflow execution for its next deadline, so expiry needs no
   * reader; not before `notBefore` when a full disk refused the transition.
   */
  private async scheduleNext(wfe: WorkflowExecution, notBefore = -Infinity): Promise<void> {
    this.cancelTimer(wfe.id)
    const next = this.nextTransition(wfe)
    if (!next || isTerminal(wfe.status)) return
    if (this.deps.deadlines) {
      await this.deps.deadlines(wfe, Math.max(next.at, notBefore))
      return
    }
    const clock = this.deps.tenants.get(wfe.tenant).clock
    const cancel = clock.schedule(Math.max(next.at, notBefore), () => {
      this.timers.delete(wfe.id)
      // a timer's failure is logged: nothing may reject unhandled and stop the process
      this.settleDue(wfe.tenant, wfe.id).catch((err: unknown) => {
        this.deps.log.error('deadline failed', {
          workflowExecution: wfe.id,
          error: err instanceof Error ? (err.stack ?? err.message) : String(err),
        })
      })
    })
    this.timers.set(wfe.id, { tenant: wfe.tenant, cancel })
  }

  private cancelTimer(id: string): void {
    this.timers.get(id)?.cancel()
    this.timers.delete(id)
  }

  /** Forgets the deadline timers (of one tenant), on reset. */
  forgetTimers(tenant?: string): void {
    for (const [id, t] of this.timers)
      if (tenant === undefined || t.tenant === tenant) this.cancelTimer(id)
  }

  /** Settles a workflow execution whose deadline fell due, if it still exists. */
  async settleDue(tenant: string, id: string): Promise<void> {
    const wfe = await this.deps.store.getWorkflowExecution(tenant, id)
    if (wfe) await this.settle(wfe)
  }

  private credentials(params: AccountParams): StoredCredential[] {
    const used = new Set<number>()
    return params.definition.credentials.map((spec) => {
      // [D] country and type come from the request's credential of the same category (jumio-reference §4.3)
      const i = params.requested.findIndex((r, n) => r.category === spec.category && !used.has(n))
      if (i >= 0) used.add(i)
      const asked = params.requested[i]
      const credential: StoredCredential = {
        id: this.deps.ids(),
        category: spec.category,
        allowedChannels: [...spec.allowedChannels],
        classifiers: [...spec.classifiers],
        required: [...spec.required],
        parts: {},
      }
      const country = asked?.country?.values?.[0]
      const documentType = asked?.type?.values?.[0]
      if (country !== undefined) credential.country = country
      if (documentType !== undefined) credential.documentType = documentType
      return credential
    })
  }

  /** Rejects work on a workflow execution whose journey can no longer take uploads. */
  static requireOpen(wfe: WorkflowExecution): void {
    if (wfe.status === 'TOKEN_EXPIRED' || wfe.status === 'SESSION_EXPIRED') {
      throw problem.unauthorized(`Authorization token has expired (${wfe.status})`)
    }
    if (wfe.status !== 'INITIATED') {
      throw problem.forbidden(`Workflow execution ${wfe.id} is already finalized (${wfe.status})`)
    }
  }
}

/**
 * The life cycle's next step for a workflow execution, and when it falls due ([D] jumio-reference
 * §18): INITIATED expires with its token until the first upload starts the session, then with
 * the session's inactivity timeout; ACQUIRED becomes PROCESSED after the processing delay (or
 * after the scenario's number of status reads); a terminal status has none.
 */
export function nextTransition(
  wfe: Pick<
    WorkflowExecution,
    | 'status'
    | 'scenario'
    | 'statusReads'
    | 'acquiredAt'
    | 'createdAt'
    | 'processingDelayMs'
    | 'startedAt'
    | 'tokenExpiresAt'
    | 'lastActivityAt'
    | 'sessionTimeoutMs'
  >,
): { status: 'PROCESSED' | 'TOKEN_EXPIRED' | 'SESSION_EXPIRED'; at: number } | null {
  if (wfe.status === 'ACQUIRED') {
    const reads = wfe.scenario.timing?.processAfterStatusReads
    if (reads !== undefined && wfe.statusReads < reads) return null
    const at = (wfe.acquiredAt ?? wfe.createdAt) + wfe.processingDelayMs
    return { status: 'PROCESSED', at }
  }
  if (wfe.status !== 'INITIATED') return null
  if (wfe.startedAt === undefined) return { status: 'TOKEN_EXPIRED', at: wfe.tokenExpiresAt }
  const at = (wfe.lastActivityAt ?? wfe.startedAt) + wfe.sessionTimeoutMs
  return { status: 'SESSION_EXPIRED', at }
}

/**
 * Waits for a save a read makes (a count, a due transition): true once stored, false when the
 * disk refused it. The store has then put the workflow execution back as stored.
 */
export async function asStoredOnFullDisk(save: Promise<void>): Promise<boolean> {
  try {
    await save
    return true
  } catch (err) {
    if (err instanceof StorageError) return false
    throw err
  }
}

function requireNotTerminal(wfe: WorkflowExecution): void {
  if (isTerminal(wfe.status)) {
    throw problem.badRequest(`Workflow execution ${wfe.id} is already ${wfe.status}`)
  }
}
