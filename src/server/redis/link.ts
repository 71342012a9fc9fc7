/**
 * @module The connection to Redis (`--redis-url`) and whether it works. Commands fail at
 * once while Redis is unreachable (no offline queue): a request answers 503 in Jumio's problem
 * shape rather than hanging, the admin health says DOWN, and ioredis reconnects by itself, so the
 * process recovers when Redis comes back. A Redis that holds the connection but does not answer
 * (stopped, a dropped path) counts as unreachable after {@link COMMAND_TIMEOUT_MS}; one that
 * answers but refuses writes (out of memory, a read-only replica) makes the health DEGRADED and
 * changes answer 507 or 503 until a write works again. ioredis rather than node-redis: BullMQ is
 * built on it.
 */
import type { Redis } from 'ioredis'
import { errorCode, firstLine } from '../../config.js'
import type { Logger } from '../../logger.js'
import { PROBLEMS, StorageError } from '../errors.js'

/** Every key of the mock starts so; another mock on the same Redis uses another database. */
export const PREFIX = 'jumio-mock:'

/** The Redis link as the admin health shows it. */
export interface RedisReport {
  status: 'UP' | 'DEGRADED' | 'DOWN'
  /** The URL without its password. */
  url: string
  reason?: string
  /** When Redis became unreachable (ISO 8601). */
  since?: string
}

/** How long a command may wait for Redis's answer before Redis counts as unreachable. */
export const COMMAND_TIMEOUT_MS = 5000

/** Redis's refusals of a write while it runs: out of memory (`maxmemory`), a read-only replica. */
const REFUSED = /^(OOM|READONLY|MISCONF|NOREPLICAS)\b/

/** Reconnection waits: 100 ms, then up to 2 s between tries, for ever. */
export const retryStrategy = (times: number): number => Math.min(times * 100, 2000)

/** Where Redis is, as ioredis and BullMQ take it. */
export interface RedisAddress {
  host: string
  port: number
  db: number
  username?: string
  password?: string
  tls?: Record<string, never>
  retryStrategy: (times: number) => number
  reconnectOnError: (err: Error) => 1 | false
}

/** ioredis options from `redis://[:password@]host:port/db` (rediss:// for TLS). */
export function redisOptions(url: string): RedisAddress {
  const u = new URL(url)
  const db = Number(u.pathname.replace(/^\//, '') || '0')
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(u.port || '6379'),
    db,
    ...(u.username && { username: decodeURIComponent(u.username) }),
    ...(u.password && { password: decodeURIComponent(u.password) }),
    ...(u.protocol === 'rediss:' && { tls: {} }),
    retryStrategy,
    reconnectOnError,
  }
}

/**
 * A read-only replica's refusal makes the connection anew: after a failover the name may lead to
 * the new primary, which only a new connection reaches. Every connection takes it, BullMQ's
 * included; the refused command fails (503), the next one goes to the new connection.
 */
function reconnectOnError(err: Error): 1 | false {
  return err.message.startsWith('READONLY') ? 1 : false
}

/** The URL as logs and health show it: no password. */
export function safeUrl(url: string): string {
  const u = new URL(url)
  if (u.password) u.password = '***'
  return u.toString()
}

/** True for the errors ioredis gives while Redis cannot be reached. */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  const code = errorCode(err)
  return (
    err.name === 'MaxRetriesPerRequestError' ||
    /Stream isn't writeable|Connection is closed|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|LOADING|enableOfflineQueue/.test(
      err.message,
    ) ||
    (code !== undefined && /^E[A-Z]+$/.test(code))
  )
}

/** One client for commands, and the state of the link. */
export class RedisLink {
  readonly client: Redis
  private down: { reason: string; since: number } | null = null
  /** Since when, and why, Redis refuses writes while it answers. */
  private refusing: { reason: string; since: number } | null = null
  private readonly reconnected = new Set<() => void>()

  private constructor(
    client: Redis,
    readonly url: string,
    private readonly log: Logger,
  ) {
    this.client = client
    client.on('error', (err: unknown) => {
      this.markDown(firstLine(err))
    })
    client.on('close', () => {
      this.markDown('connection closed')
    })
    client.on('ready', () => {
      if (!this.down) return
      this.down = null
      this.log.info('redis reachable again: serving', { redis: safeUrl(url) })
      for (const f of this.reconnected) f()
    })
  }

  /**
   * Connects, waiting for Redis as long as it takes: one line says what is awaited and why, and
   * the wait goes on (an orchestrator may start the mock before Redis).
   */
  static async open(url: string, log: Logger, say: (line: string) => void): Promise<RedisLink> {
    const { Redis } = await import('ioredis')
    const client = new Redis({
      ...redisOptions(url),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: COMMAND_TIMEOUT_MS,
      lazyConnect: true,
    })
    let said = false
    client.on('error', (err: unknown) => {
      if (said) return
      said = true
      say(
        `jumio-mock is waiting for Redis at ${safeUrl(url)} (${firstLine(err)}); retrying until it answers`,
      )
    })
    await waitReady(client)
    client.removeAllListeners('error')
    return new RedisLink(client, url, log)
  }

  /** Runs `f` each time the link comes back after a loss. */
  onReconnect(f: () => void): void {
    this.reconnected.add(f)
  }

  private markDown(reason: string): void {
    if (this.down) return
    this.down = { reason, since: Date.now() }
    this.log.error('redis unreachable: requests answer 503 until it is back', {
      redis: safeUrl(this.url),
      error: reason,
    })
  }

  get up(): boolean {
    return this.down === null && this.client.status === 'ready'
  }

  /** Throws the 503 a request gets while Redis cannot be reached. */
  requireUp(): void {
    if (!this.up) throw unavailable(this.down?.reason ?? 'not connected')
  }

  /**
   * The problem of an error Redis's state caused: unreachable (503; a command that timed out
   * marks it so, and the connection is made anew, to be ready once Redis answers), or refusing
   * writes (507 out of memory, else 503); undefined for any other error.
   */
  problemOf(err: unknown): StorageError | undefined {
    // a refused MULTI says why in the errors of the commands it queued
    const queued = (err as { previousErrors?: unknown[] } | null)?.previousErrors ?? []
    const cause = queued.find((e) => e instanceof Error && REFUSED.test(e.message)) ?? err
    const message = cause instanceof Error ? cause.message : ''
    if (message === 'Command timed out') {
      this.lost(`Redis did not answer within ${String(COMMAND_TIMEOUT_MS / 1000)} s`)
      return unanswered(this.down?.reason ?? message)
    }
    if (REFUSED.test(message)) {
      if (!this.refusing) {
        this.refusing = { reason: firstLine(cause), since: Date.now() }
        this.log.error('redis refuses writes: changes are refused until it takes them again', {
          redis: safeUrl(this.url),
          error: this.refusing.reason,
        })
      }
      return refused(this.refusing.reason)
    }
    if (isConnectionError(err) || !this.up) return unavailable(this.down?.reason ?? String(err))
    return undefined
  }

  /**
   * Before the health answers: a Redis that holds the connection but does not answer a PING is
   * unreachable, and one that refused writes is asked to take one again.
   */
  async check(): Promise<void> {
    if (!this.up) return
    try {
      await this.client.ping()
      if (this.refusing) {
        await this.client.set(`${PREFIX}probe`, String(Date.now()))
        this.refusing = null
        this.log.info('redis takes writes again: serving', { redis: safeUrl(this.url) })
      }
    } catch (err) {
      this.problemOf(err)
    }
  }

  /** Redis holds the connection but does not answer: dropped, and made anew. */
  private lost(reason: string): void {
    if (this.down) return
    this.markDown(reason)
    this.client.disconnect(true)
  }

  report(): RedisReport {
    const url = safeUrl(this.url)
    if (this.up && this.refusing) {
      const { reason, since } = this.refusing
      return { status: 'DEGRADED', url, reason, since: new Date(since).toISOString() }
    }
    if (this.up) return { status: 'UP', url }
    return {
      status: 'DOWN',
      url,
      reason: this.down?.reason ?? 'not connected',
      since: new Date(this.down?.since ?? Date.now()).toISOString(),
    }
  }

  async close(): Promise<void> {
    this.reconnected.clear()
    this.client.removeAllListeners()
    this.client.on('error', () => undefined)
    await this.client.quit().catch(() => {
      this.client.disconnect()
    })
  }
}

/** The 503 of a request that needs Redis while it cannot be reached. */
export function unavailable(reason: string): StorageError {
  return new StorageError(
    PROBLEMS.serviceUnavailable,
    `The mock's shared state (Redis) cannot be reached: ${reason}. Nothing of this request was kept; try again shortly.`,
  )
}

/**
 * The 503 of a request whose command Redis did not answer in time: it may still run it (a
 * stopped Redis that resumes), so whether the change was kept is not known.
 */
function unanswered(reason: string): StorageError {
  return new StorageError(
    PROBLEMS.serviceUnavailable,
    `The mock's shared state (Redis) did not answer: ${reason}. Whether this request's change was kept is not known: read it back before you retry.`,
  )
}

/** The answer to a change Redis refused while it runs: out of memory is a full disk's 507. */
function refused(reason: string): StorageError {
  const oom = reason.startsWith('OOM')
  return new StorageError(
    oom ? PROBLEMS.insufficientStorage : PROBLEMS.serviceUnavailable,
    `The mock's shared state (Redis) refuses changes: ${reason}. Nothing of this request was kept; reads still work.`,
  )
}

/** Resolves once the client is ready, however many reconnections that takes. */
async function waitReady(client: Redis): Promise<void> {
  await new Promise<void>((resolve) => {
    client.once('ready', () => {
      resolve()
    })
    // the first try: on failure, ioredis keeps reconnecting by the retry strategy
    client.connect().catch(() => undefined)
  })
}
