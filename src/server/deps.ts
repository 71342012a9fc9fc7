/**
 * @module The composition root's parts: everything `createApp` needs, built from a config.
 * Tests build their own with a frozen clock and a seed.
 */
import { randomBytes } from 'node:crypto'
import { ConfigError, firstLine } from '../config.js'
import type { Config } from '../config.js'
import { consoleLogger } from '../logger.js'
import type { Logger } from '../logger.js'
import { packageVersion } from '../package-files.js'
import { loadScenarios } from '../scenarios/load.js'
import type { ScenarioFile } from '../scenarios/load.js'
import { ScenarioRegistry } from '../scenarios/registry.js'
import { operationsOf } from './contract/operations.js'
import type { Operation } from './contract/operations.js'
import { OperationRouter } from './contract/router.js'
import { Contract } from './contract/validators.js'
import { ApiCredentials } from './domain/api-credentials.js'
import { Callbacks } from './domain/callbacks.js'
import type { CallbackSettings } from './domain/callbacks.js'
import { configuredCredentials } from './domain/configured-credentials.js'
import type { CredentialStore } from './domain/credential-model.js'
import type { JumioProblem } from './errors.js'
import { ImageBudget } from './domain/image-budget.js'
import { Clock } from './domain/clock.js'
import { randomIds, seededIds } from './domain/ids.js'
import type { IdSource } from './domain/ids.js'
import { RateLimiter } from './domain/rate-limit.js'
import { Tenants } from './domain/tenants.js'
import { TokenService } from './domain/tokens.js'
import { DefinitionCatalogue } from '../model/workflow-definitions.js'
import { Workflows } from './domain/workflows.js'
import type { WorkflowsDeps } from './domain/workflows.js'
import { Journal } from './journal/journal.js'
import { InFlight } from './in-flight.js'
import { persistentTokenSecret } from './state/data-dir.js'
import { SqliteCallbackJournal, SqliteSettings, openDatabase } from './state/sqlite.js'
import { SqliteCredentials } from './state/sqlite-credentials.js'
import { SqliteStore } from './state/sqlite-store.js'
import { StorageHealth } from './state/storage-health.js'
import { MemoryStore } from './state/store.js'
import type { Store, StoreLimits } from './state/store.js'

/** A response that broke the contract, kept for tests and logs. */
export interface ResponseViolation {
  operationId: string
  method: string
  path: string
  status: number
  messages: string[]
}

/** Everything the app is built from. */
export interface AppDeps {
  config: Readonly<Config>
  store: Store
  clock: Clock
  ids: IdSource
  tokens: TokenService
  catalogue: DefinitionCatalogue
  workflows: Workflows
  /** Reservations of uploads against --max-image-bytes. */
  images: ImageBudget
  tenants: Tenants
  /** The API credentials: configured, and created through the admin API. */
  credentials: ApiCredentials
  callbacks: Callbacks
  contract: Contract
  adminContract: Contract
  /** Every Jumio operation and the facts the mock needs about it (the contract's x- fields). */
  operations: Map<string, Operation>
  router: OperationRouter
  /** Jumio's per-tenant rate limits; null when off (the default). */
  rateLimiter: RateLimiter | null
  journal: Journal
  /** The package version, for health and logs. */
  version: string
  scenarios: ScenarioRegistry
  log: Logger
  responseViolations: ResponseViolation[]
  /** Durable mode's disk: whether it takes writes (the admin health); null in memory. */
  storage: StorageHealth | null
  /** Shared state (`--redis-url`): its health, and the gate every request passes; else absent. */
  shared?: SharedState
  /** The requests running, and the signal their long waits end on when the instance closes. */
  inFlight: InFlight
  /**
   * Stops every timer, callback and wait and closes durable mode's database, which frees its
   * data directory. Requests still running then fail (close the server and wait for
   * {@link InFlight.idle} first to let them end).
   */
  close(): void | Promise<void>
}

/** What the app needs of shared state (src/server/redis/), without importing it. */
export interface SharedState {
  report(): { status: 'UP' | 'DEGRADED' | 'DOWN'; url: string; reason?: string; since?: string }
  /** Before the health answers: whether Redis answers, and takes writes again. */
  check(): Promise<void>
  /** Before a request: 503 while Redis is unreachable, else the shared settings brought up to date. */
  gate(path: string): Promise<void>
  /** The 503 (507) of an error that Redis's state caused; undefined for any other. */
  unavailable(err: unknown): JumioProblem | undefined
}

/** Parts a caller may supply instead of the defaults (shared state supplies most). */
export interface DepsOverrides {
  clock?: Clock
  store?: Store
  scenarios?: ScenarioFile
  log?: Logger
  ids?: IdSource
  secret?: Uint8Array
  tenants?: (clock: Clock) => Tenants
  callbacks?: (ids: IdSource, settings: CallbackSettings) => Callbacks
  journal?: Journal
  rateLimiter?: RateLimiter | null
  images?: ImageBudget
  deadlines?: WorkflowsDeps['deadlines']
  /** Where created API credentials are kept (durable mode's table otherwise, or nowhere). */
  credentialStore?: CredentialStore
}

/**
 * Durable mode's database, store and token secret. A directory that cannot be used (a file, no
 * permission, a read-only disk, a damaged database) is one configuration error, not a stack trace.
 */
function openDataDir(dir: string, limits: StoreLimits, secretGiven: boolean, log: Logger) {
  let db: ReturnType<typeof openDatabase> | undefined
  try {
    db = openDatabase(dir)
    const health = new StorageHealth(db, dir, log)
    const store = new SqliteStore(db, limits, health)
    // with --token-secret, DIR/token-secret is neither read nor made
    return { db, health, store, secret: secretGiven ? undefined : persistentTokenSecret(dir) }
  } catch (err) {
    db?.close()
    if (err instanceof ConfigError) throw err
    throw new ConfigError(`--data-dir ${dir} cannot be used: ${firstLine(err)}`)
  }
}

/** Builds the dependencies from a config. */
export function createDeps(config: Readonly<Config>, overrides: DepsOverrides = {}): AppDeps {
  const clock = overrides.clock ?? new Clock()
  const log = overrides.log ?? consoleLogger
  // before the data directory is opened: a bad credentials file leaves nothing open
  const configured = configuredCredentials(config)
  const limits = {
    maxWorkflowExecutions: config.maxWorkflowExecutions,
    maxImageBytes: config.maxImageBytes,
  }
  // durable mode: one SQLite database holds the store, the callback journal and the admin
  // settings, and the token secret outlives restarts
  const durable =
    config.dataDir === null
      ? null
      : openDataDir(config.dataDir, limits, config.tokenSecret !== null, log)
  const db = durable?.db ?? null
  const store = overrides.store ?? durable?.store ?? new MemoryStore(limits)
  const ids = overrides.ids ?? (config.seed === null ? randomIds : seededIds(config.seed))
  const secret =
    config.tokenSecret !== null
      ? Buffer.from(config.tokenSecret)
      : (overrides.secret ?? durable?.secret ?? randomBytes(64))
  const tokens = new TokenService(secret)
  const scenarios = new ScenarioRegistry(overrides.scenarios ?? loadScenarios(config.scenariosPath))
  const catalogue = new DefinitionCatalogue(undefined, () => scenarios.definitions())
  const storage = durable?.health ?? null
  const tenants =
    overrides.tenants?.(clock) ??
    new Tenants(
      clock,
      db && storage ? new SqliteSettings(db, storage) : undefined,
      config.maxTenants,
    )
  const credentials = new ApiCredentials({
    configured,
    startedAt: clock.now(),
    closed: config.clients.size > 0 || config.credentialsFile !== null,
    max: config.maxApiCredentials,
    revokeOnDeactivate: config.revokeOnDeactivate,
    now: (tenant) => tenants.clockOf(tenant).now(),
    ids,
    store:
      overrides.credentialStore ?? (db && storage ? new SqliteCredentials(db, storage) : undefined),
  })
  const dropped = tenants.restore((name) => scenarios.find(name) !== undefined)
  if (dropped.length > 0) {
    log.warn('saved admin settings named scenarios the scenarios file no longer has: dropped', {
      scenarios: dropped,
    })
  }
  const settings: CallbackSettings = {
    defaultUrl: config.callbackUrl,
    retries: config.callbackRetries,
    backoffMs: config.callbackBackoffMs,
    timeoutMs: config.callbackTimeoutMs,
    historyLimit: 10_000,
  }
  const inFlight = new InFlight()
  const callbacks =
    overrides.callbacks?.(ids, settings) ??
    new Callbacks(settings, ids, db && storage ? new SqliteCallbackJournal(db, storage) : undefined)
  const contract = Contract.load('jumio')
  const operations = operationsOf(contract)
  const workflows = new Workflows({
    store,
    tenants,
    callbacks,
    ids,
    tokens,
    catalogue,
    publicUrls: config.publicUrls,
    sessionTimeoutMs: config.sessionTimeoutMs,
    processingDelayMs: config.processingDelayMs,
    intermediateCallbacks: config.intermediateCallbacks,
    log,
    ...(overrides.deadlines && { deadlines: overrides.deadlines }),
  })
  return {
    config,
    store,
    clock,
    ids,
    tokens,
    catalogue,
    workflows,
    images: overrides.images ?? new ImageBudget(store, config.maxImageBytes),
    tenants,
    credentials,
    callbacks,
    contract,
    adminContract: Contract.load('admin'),
    operations,
    router: new OperationRouter(operations.values()),
    rateLimiter:
      overrides.rateLimiter !== undefined
        ? overrides.rateLimiter
        : config.rateLimit
          ? new RateLimiter()
          : null,
    journal: overrides.journal ?? new Journal(config.journalSize),
    version: packageVersion(),
    scenarios,
    log,
    responseViolations: [],
    inFlight,
    storage,
    close: () => {
      // nothing of a closed instance goes on: waits end, no callback is sent or retried
      inFlight.stop()
      callbacks.stop()
      // no timer may reach the database once it is closed
      for (const t of tenants.list()) t.clock.clear()
      clock.clear()
      // the writes of this turn, answered or not, are kept
      try {
        storage?.flush()
      } catch {
        // refused: its writes were answered so; the database closes all the same
      }
      durable?.store.close()
      db?.close()
    },
  }
}
