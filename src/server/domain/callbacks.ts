/**
 * @module Outbound callbacks ([D] jumio-reference §12): on PROCESSED, TOKEN_EXPIRED and SESSION_EXPIRED
 * (and ACQUIRED when intermediate callbacks are on), POST §12's body to the account's callbackUrl
 * after the scenario's delay; retry with exponential backoff on a non-2xx answer, a timeout or a
 * refused connection, then give up. Every attempt is kept for the admin API. Jumio documents
 * neither retries nor headers ([D] §12.2), so both are configurable.
 */
import type { CallbackBody } from '../contract/types.js'
import type { WorkflowExecution, WorkflowStatus } from '../state/models.js'
import { isoTimestamp } from './clock.js'
import type { Clock } from './clock.js'
import type { Hrefs } from './hrefs.js'
import type { IdSource } from './ids.js'
import { quietController } from '../in-flight.js'

/** One try at delivering a callback. */
export interface CallbackAttempt {
  attempt: number
  sentAt: string
  durationMs: number
  responseStatus?: number
  error?: string
}

/** A callback and every attempt at delivering it. */
export interface CallbackDelivery {
  id: string
  tenant: string
  workflowExecutionId: string
  accountId: string
  url: string
  status: WorkflowStatus
  state: 'scheduled' | 'retrying' | 'delivered' | 'gave-up'
  body?: CallbackBody
  attempts: CallbackAttempt[]
}

/** Delivery settings. */
export interface CallbackSettings {
  defaultUrl: string | null
  retries: number
  backoffMs: number
  timeoutMs: number
  /** Keep at most this many deliveries; the oldest are dropped first. */
  historyLimit: number
}

export interface Pending {
  delivery: CallbackDelivery
  clock: Clock
  hrefs: Hrefs
  wfe: Pick<WorkflowExecution, 'id' | 'accountId' | 'definitionKey' | 'userReference'>
  /** The workflow execution's origin, which the hrefs are built on; journalled only with it. */
  origin?: string
}

/** A delivery as a journal keeps it: enough to send it again after a restart. */
export interface JournalledCallback {
  delivery: CallbackDelivery
  wfe: Pending['wfe']
  origin: string
  /** When the next attempt is due, on the tenant's clock. */
  dueAt: number
}

/** Where deliveries are recorded, so that pending ones survive a restart (durable mode). */
export interface CallbackJournal {
  save(entry: JournalledCallback): void
  /** Deliveries still scheduled or retrying. */
  pending(): JournalledCallback[]
  clear(tenant?: string): void
}

/** Schedules, sends and records callbacks. */
export class Callbacks {
  private readonly deliveries: CallbackDelivery[] = []
  private readonly inFlight = new Set<Promise<void>>()
  /** Deliveries a reset forgot: never attempted again. */
  private readonly forgotten = new WeakSet<CallbackDelivery>()
  /** Aborted when the instance closes: no attempt starts or retries, those in flight end. */
  private readonly stopping = quietController()
  dropped = 0

  constructor(
    protected readonly settings: CallbackSettings,
    protected readonly ids: IdSource,
    private readonly journal?: CallbackJournal,
  ) {}

  /**
   * Schedules a callback for `status` after `delayMs` on the tenant's clock; null without a URL.
   * `copy` numbers the copies of one status change (a scenario may duplicate it): a shared
   * backend schedules each copy once, however many replicas settle the change.
   */
  schedule(
    wfe: WorkflowExecution,
    status: WorkflowStatus,
    delayMs: number,
    clock: Clock,
    hrefs: Hrefs,
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- in one process each copy is its own delivery
    copy = 0,
  ): CallbackDelivery | null | Promise<CallbackDelivery | null> {
    const url = wfe.callbackUrl ?? this.settings.defaultUrl
    if (!url) return null
    const delivery: CallbackDelivery = {
      id: this.ids(),
      tenant: wfe.tenant,
      workflowExecutionId: wfe.id,
      accountId: wfe.accountId,
      url,
      status,
      state: 'scheduled',
      attempts: [],
    }
    this.remember(delivery)
    const pending: Pending = { delivery, clock, hrefs, wfe: { ...wfe }, origin: wfe.origin }
    this.record(pending, clock.now() + delayMs)
    clock.schedule(clock.now() + delayMs, () => {
      this.track(this.attempt(pending))
    })
    return delivery
  }

  /** Schedules again the deliveries a journal holds as pending (at start, after a crash). */
  resume(clockOf: (tenant: string) => Clock, hrefsOf: (origin: string) => Hrefs): number {
    const entries = this.journal?.pending() ?? []
    for (const { delivery, wfe, origin, dueAt } of entries) {
      this.remember(delivery)
      const clock = clockOf(delivery.tenant)
      const pending: Pending = { delivery, clock, hrefs: hrefsOf(origin), wfe, origin }
      clock.schedule(Math.max(dueAt, clock.now()), () => {
        this.track(this.attempt(pending))
      })
    }
    return entries.length
  }

  /** Journals a delivery's state; `dueAt` is when its next attempt falls due, if any. */
  private record(p: Pending, dueAt = 0): void {
    if (!this.journal || p.origin === undefined) return
    const { id, accountId, definitionKey, userReference } = p.wfe
    const wfe = {
      id,
      accountId,
      definitionKey,
      ...(userReference !== undefined && { userReference }),
    }
    this.journal.save({ delivery: p.delivery, wfe, origin: p.origin, dueAt })
  }

  /**
   * Sends a recorded callback again, now, as a new chain of attempts: a duplicate, or with an
   * older `status` an out-of-order delivery, as real networks produce them.
   */
  redeliver(
    id: string,
    clock: Clock,
    hrefs: Hrefs,
    status?: WorkflowStatus,
  ): CallbackDelivery | null | Promise<CallbackDelivery | null> {
    const old = this.deliveries.find((d) => d.id === id)
    if (!old) return null
    const delivery: CallbackDelivery = {
      ...old,
      id: this.ids(),
      state: 'scheduled',
      attempts: [],
      status: status ?? old.status,
    }
    delete delivery.body
    this.remember(delivery)
    const wfe = {
      id: old.workflowExecutionId,
      accountId: old.accountId,
      definitionKey: old.body?.workflowExecution.definitionKey ?? '',
      ...(old.body?.userReference !== undefined && { userReference: old.body.userReference }),
    }
    this.track(this.attempt({ delivery, clock, hrefs, wfe }))
    return delivery
  }

  /** Deliveries, newest last, optionally of one tenant. */
  list(tenant?: string): CallbackDelivery[] | Promise<CallbackDelivery[]> {
    return tenant === undefined
      ? [...this.deliveries]
      : this.deliveries.filter((d) => d.tenant === tenant)
  }

  /**
   * Forgets deliveries (of one tenant): none of them is attempted again, even one whose attempt
   * is in flight now or whose retry is already scheduled.
   */
  reset(tenant?: string): void | Promise<void> {
    const keep: CallbackDelivery[] = []
    for (const d of this.deliveries) {
      if (tenant === undefined || d.tenant === tenant) this.forgotten.add(d)
      else keep.push(d)
    }
    this.deliveries.splice(0, this.deliveries.length, ...keep)
    this.journal?.clear(tenant)
  }

  /**
   * Stops for good, as the instance closes: attempts in flight are aborted, and none starts or
   * is retried (a closed in-process mock must not post into the next test's receiver).
   */
  stop(): void {
    this.stopping.abort()
  }

  /** Waits for attempts in flight (graceful shutdown, tests). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight])
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p)
    void p.finally(() => this.inFlight.delete(p))
  }

  private remember(delivery: CallbackDelivery): void {
    this.deliveries.push(delivery)
    while (this.deliveries.length > this.settings.historyLimit) {
      this.deliveries.shift()
      this.dropped++
    }
  }

  /** Whether a delivery is not to be attempted any more: reset, or the instance closed. */
  private over(delivery: CallbackDelivery): boolean {
    return this.forgotten.has(delivery) || this.stopping.signal.aborted
  }

  private async attempt(p: Pending): Promise<void> {
    const { delivery, clock, hrefs, wfe } = p
    if (this.over(delivery)) return
    const { timeoutMs } = this.settings
    const stopped = this.stopping.signal
    const record = await sendAttempt(delivery, clock.now(), hrefs, wfe, timeoutMs, stopped)
    // reset or closed while this attempt was in flight: no record, no retry
    if (this.over(delivery)) return
    delivery.attempts.push(record)
    if (!record.error) {
      delivery.state = 'delivered'
      this.record(p)
      return
    }
    if (delivery.attempts.length > this.settings.retries) {
      delivery.state = 'gave-up'
      this.record(p)
      return
    }
    delivery.state = 'retrying'
    const wait = this.settings.backoffMs * 2 ** (delivery.attempts.length - 1)
    this.record(p, clock.now() + wait)
    clock.schedule(clock.now() + wait, () => {
      this.track(this.attempt(p))
    })
  }
}

/**
 * The next attempt of a delivery, sent at `now` on the tenant's clock: the body it sends is kept
 * on the delivery (the admin API shows it); the attempt's record is returned, not yet added.
 */
export function sendAttempt(
  delivery: CallbackDelivery,
  now: number,
  hrefs: Hrefs,
  wfe: Pending['wfe'],
  timeoutMs: number,
  stopped?: AbortSignal,
): Promise<CallbackAttempt> {
  const body = callbackBody(delivery.status, now, hrefs, wfe)
  delivery.body = body
  return postCallback(delivery.url, body, delivery.attempts.length + 1, timeoutMs, stopped)
}

/** The body of a callback ([D] jumio-reference §12), sent at `now` on the tenant's clock. */
export function callbackBody(
  status: WorkflowStatus,
  now: number,
  hrefs: Hrefs,
  wfe: Pending['wfe'],
): CallbackBody {
  return {
    callbackSentAt: isoTimestamp(now),
    ...(wfe.userReference !== undefined && { userReference: wfe.userReference }),
    workflowExecution: {
      id: wfe.id,
      href: hrefs.workflowExecutionById(wfe.id),
      definitionKey: wfe.definitionKey,
      status,
    },
    account: { id: wfe.accountId, href: hrefs.account(wfe.accountId) },
  }
}

/** One attempt at delivering `body` to `url`: its record, with the error when it failed. */
export async function postCallback(
  url: string,
  body: CallbackBody,
  attempt: number,
  timeoutMs: number,
  stopped?: AbortSignal,
): Promise<CallbackAttempt> {
  const record: CallbackAttempt = { attempt, sentAt: body.callbackSentAt, durationMs: 0 }
  const started = performance.now()
  // ends at the timeout, or when the instance closes
  const ends = new AbortController()
  const timer = setTimeout(() => {
    ends.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))
  }, timeoutMs)
  timer.unref()
  const stop = () => {
    ends.abort(stopped?.reason)
  }
  stopped?.addEventListener('abort', stop, { once: true })
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Jumio Callback (jumio-mock)',
      },
      body: JSON.stringify(body),
      signal: ends.signal,
      redirect: 'manual',
    })
    await res.body?.cancel()
    record.responseStatus = res.status
    if (res.status < 200 || res.status > 299) record.error = `answered ${res.status}`
  } catch (err) {
    record.error = describe(err)
  } finally {
    clearTimeout(timer)
    stopped?.removeEventListener('abort', stop)
  }
  record.durationMs = Math.round(performance.now() - started)
  return record
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: { code?: string } }).cause
    if (err.name === 'TimeoutError') return 'timed out'
    return cause?.code ? `${err.message} (${cause.code})` : err.message
  }
  return String(err)
}
