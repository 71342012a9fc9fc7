/**
 * @module The only reader of the command line and the environment. Every option has a flag and
 * an env var, one default, and one row in docs/configuration.md, generated from this table (npm
 * run gen:docs). Unknown flags and invalid values throw a {@link ConfigError}, which `main.ts`
 * turns into exit code 2.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { MAX_DURATION_MS, MAX_TIMER_MS, parseDuration } from './duration.js'
import { packageFile } from './package-files.js'
import type { HostFamily, PublicUrls } from './server/domain/hrefs.js'
import { defaultCaDir, generatedCaFiles } from './server/tls/ca-paths.js'
import type { CaFiles } from './server/tls/ca-paths.js'

/** The typed configuration every other module receives. */
export interface Config {
  port: number
  host: string
  scenariosPath: string
  /** client id → secret; empty means any non-empty credentials are accepted. */
  clients: Map<string, string>
  /** OAuth2 clients and API users with tenant and permissions (docs/credentials.md); null: none. */
  credentialsFile: string | null
  /** Whether deactivating a credential refuses its access tokens at once. */
  revokeOnDeactivate: boolean
  /** Created API credentials kept (admin API). */
  maxApiCredentials: number
  publicUrls: PublicUrls
  maxUploadBytes: number
  /** Largest body that is not an upload (JSON, forms): 413 above, counted as it arrives. */
  maxBodyBytes: number
  /** Store bounds: past either, the oldest completed workflow executions are evicted. */
  maxWorkflowExecutions: number
  maxImageBytes: number
  /** Tenants kept with state; past it the one unused longest with nothing pending is forgotten. */
  maxTenants: number
  /** Open connections at once; past it new ones are closed as they arrive. */
  maxConnections: number
  /** V8's heap growing percent, set when the CLI serves (0 leaves V8's own, up to 4×). */
  heapGrowthPercent: number
  /** Durable mode: state, images, callbacks and admin settings in SQLite here; null: in memory. */
  dataDir: string | null
  /** Shared state: replicas behind a load balancer act as one mock through this Redis. */
  redisUrl: string | null
  /** Slow senders are cut off after this (see server/http-server.ts). */
  requestTimeoutMs: number
  processingDelayMs: number
  sessionTimeoutMs: number
  tokenSecret: string | null
  seed: string | null
  validateResponses: boolean
  /** Request validation: lenient records violations, strict rejects as Jumio would. */
  validation: 'lenient' | 'strict'
  /** Journal entries kept in memory. */
  journalSize: number
  callbackUrl: string | null
  callbackRetries: number
  callbackBackoffMs: number
  callbackTimeoutMs: number
  intermediateCallbacks: boolean
  /** Bearer token every admin call needs; null leaves the admin API open. */
  adminToken: string | null
  /** Apply Jumio's per-tenant rate limits (jumio-reference §15). */
  rateLimit: boolean
  /** Watch the scenarios file and reload it on change. */
  watchScenarios: boolean
  /** Log lines as JSON, or compact text for a terminal; `auto` picks by whether stderr is a TTY. */
  logFormat: 'auto' | 'json' | 'pretty'
  logLevel: 'debug' | 'info' | 'warn' | 'error'
  /** Longest wait on SIGTERM/SIGINT for in-flight requests and callback attempts. */
  shutdownTimeoutMs: number
  /** HTTPS on the port instead of HTTP (server/tls/). */
  tls: boolean
  /** The CA that signs the certificates of `--tls` and of intercepted CONNECT tunnels. */
  ca: CaFiles
  /** Host patterns a CONNECT may tunnel to unchanged (`*.suffix` allowed); Jumio's are served. */
  proxyAllow: string[]
}

/** A bad flag or value: the message says which and why. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** The `code` of what was thrown (a system error's `ENOENT`, SQLite's `SQLITE_FULL`), if any. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null | undefined)?.code
  return typeof code === 'string' ? code : undefined
}

/** The first line of what was thrown: the reason a one-line ConfigError gives. */
export function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? ''
}

type Kind = 'int' | 'string' | 'duration' | 'bool' | 'url'

/** One option: its flag, env var, default and help line. */
interface OptionSpec {
  flag: string
  env: string
  kind: Kind
  default: string
  help: string
  /** The only accepted values, when the option is an enumeration. */
  choices?: readonly string[]
  /** A duration one Node timer waits for: at most MAX_TIMER_MS. */
  timer?: true
  /** The least whole number accepted. */
  min?: number
}

const FAMILIES: HostFamily[] = ['auth', 'account', 'api', 'retrieval', 'status', 'web']
const SHIPPED_SCENARIOS = packageFile('scenarios.yaml')

/** Every option, in the order `--help` lists them. */
export const OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'port',
    env: 'PORT',
    kind: 'int',
    default: '3000',
    help: 'TCP port to listen on (0 picks a free one)',
  },
  {
    flag: 'host',
    env: 'HOST',
    kind: 'string',
    default: '127.0.0.1',
    help: 'Interface to bind (0.0.0.0 in containers)',
  },
  {
    flag: 'scenarios',
    env: 'JUMIO_MOCK_SCENARIOS',
    kind: 'string',
    default: './scenarios.yaml',
    help: 'Scenarios file; the shipped one when ./scenarios.yaml does not exist',
  },
  {
    flag: 'clients',
    env: 'JUMIO_MOCK_CLIENTS',
    kind: 'string',
    default: '',
    help: 'OAuth2 clients as id:secret,id:secret (each its own tenant, all permissions); with it or --credentials-file only configured and created credentials are accepted, else any non-empty pair',
  },
  {
    flag: 'credentials-file',
    env: 'JUMIO_MOCK_CREDENTIALS_FILE',
    kind: 'string',
    default: '',
    help: 'YAML or JSON file of OAuth2 clients and API users with tenant and permissions (docs/credentials.md); closes the instance as --clients does',
  },
  {
    flag: 'revoke-on-deactivate',
    env: 'JUMIO_MOCK_REVOKE_ON_DEACTIVATE',
    kind: 'bool',
    default: 'false',
    help: 'Deactivating a credential also refuses its access tokens at once (default: they stay valid until they expire)',
  },
  {
    flag: 'max-api-credentials',
    env: 'JUMIO_MOCK_MAX_API_CREDENTIALS',
    kind: 'int',
    default: '1000',
    min: 1,
    help: 'API credentials created through the admin API kept; past it the oldest deactivated one is forgotten, and with none deactivated creation answers 409',
  },
  {
    flag: 'public-url',
    env: 'JUMIO_MOCK_PUBLIC_URL',
    kind: 'url',
    default: '',
    help: 'Base URL of every href (default: the request origin)',
  },
  ...FAMILIES.map((f) => ({
    flag: `public-url-${f}`,
    env: `JUMIO_MOCK_PUBLIC_URL_${f.toUpperCase()}`,
    kind: 'url' as const,
    default: '',
    help: `Base URL of hrefs on Jumio's ${f}. host (default: --public-url)`,
  })),
  {
    flag: 'max-upload-bytes',
    env: 'JUMIO_MOCK_MAX_UPLOAD_BYTES',
    kind: 'int',
    default: String(15 * 1024 * 1024),
    help: 'Largest accepted upload (413 above)',
  },
  {
    flag: 'max-body-bytes',
    env: 'JUMIO_MOCK_MAX_BODY_BYTES',
    kind: 'int',
    default: String(1024 * 1024),
    help: 'Largest accepted body that is not an image upload (JSON, forms; 413 above)',
  },
  {
    flag: 'max-workflow-executions',
    env: 'JUMIO_MOCK_MAX_WORKFLOW_EXECUTIONS',
    kind: 'int',
    default: '2000',
    help: 'Workflow executions kept; past it the oldest completed ones are evicted',
  },
  {
    flag: 'max-image-bytes',
    env: 'JUMIO_MOCK_MAX_IMAGE_BYTES',
    kind: 'int',
    default: String(128 * 1024 * 1024),
    help: 'Image bytes kept and arriving; the oldest completed workflow executions make room, else an upload gets 507',
  },
  {
    flag: 'max-tenants',
    env: 'JUMIO_MOCK_MAX_TENANTS',
    kind: 'int',
    default: '10000',
    min: 1,
    help: 'Tenants kept with state (settings, clock, workflow executions); past it the one unused longest with nothing pending is forgotten (with --redis-url: counted in Redis for the cluster)',
  },
  {
    flag: 'max-connections',
    env: 'JUMIO_MOCK_MAX_CONNECTIONS',
    kind: 'int',
    default: '1000',
    min: 1,
    help: 'Open connections at once (CONNECT tunnels included); past it new ones are closed as they arrive',
  },
  {
    flag: 'heap-growth',
    env: 'JUMIO_MOCK_HEAP_GROWTH',
    kind: 'int',
    default: '200',
    help: 'Percent the V8 heap may grow past its live data, young generation kept small (0: V8 decides)',
  },
  {
    flag: 'data-dir',
    env: 'JUMIO_MOCK_DATA_DIR',
    kind: 'string',
    default: '',
    help: 'Keep state, images, callbacks and admin settings on disk here (default: in memory)',
  },
  {
    flag: 'redis-url',
    env: 'JUMIO_MOCK_REDIS_URL',
    kind: 'string',
    default: '',
    help: 'Keep all state in this Redis, redis://[:password@]host:port/db, so that replicas behind a load balancer act as one mock (see docs/deployment.md)',
  },
  {
    flag: 'request-timeout',
    env: 'JUMIO_MOCK_REQUEST_TIMEOUT',
    kind: 'duration',
    default: '30s',
    help: 'Time a client has to send a whole request (headers: at most 10s; 0: no limit but theirs); then 408',
    timer: true,
  },
  {
    flag: 'processing-delay',
    env: 'JUMIO_MOCK_PROCESSING_DELAY',
    kind: 'duration',
    default: '1s',
    help: 'Time from finalize (ACQUIRED) to PROCESSED',
  },
  {
    flag: 'session-timeout',
    env: 'JUMIO_MOCK_SESSION_TIMEOUT',
    kind: 'duration',
    default: '15m',
    help: 'Idle time after which a started journey is SESSION_EXPIRED',
  },
  {
    flag: 'token-secret',
    env: 'JUMIO_MOCK_TOKEN_SECRET',
    kind: 'string',
    default: '',
    help: 'Secret that signs tokens (default: random per start)',
  },
  {
    flag: 'seed',
    env: 'JUMIO_MOCK_SEED',
    kind: 'string',
    default: '',
    help: 'Seed for deterministic ids (default: random UUIDs); replicas on one Redis each draw their own sequence, by the order they joined',
  },
  {
    flag: 'callback-url',
    env: 'JUMIO_MOCK_CALLBACK_URL',
    kind: 'url',
    default: '',
    help: 'Callback URL for accounts created without callbackUrl (portal setting)',
  },
  {
    flag: 'callback-retries',
    env: 'JUMIO_MOCK_CALLBACK_RETRIES',
    kind: 'int',
    default: '3',
    help: 'Retries after a failed callback (non-2xx, timeout, refused)',
  },
  {
    flag: 'callback-backoff',
    env: 'JUMIO_MOCK_CALLBACK_BACKOFF',
    kind: 'duration',
    default: '1s',
    help: 'Wait before the first retry; doubles each time',
  },
  {
    flag: 'callback-timeout',
    env: 'JUMIO_MOCK_CALLBACK_TIMEOUT',
    kind: 'duration',
    default: '5s',
    help: 'Time a callback receiver has to answer',
    timer: true,
  },
  {
    flag: 'intermediate-callbacks',
    env: 'JUMIO_MOCK_INTERMEDIATE_CALLBACKS',
    kind: 'bool',
    default: 'false',
    help: 'Also call back on ACQUIRED (unverified in Jumio docs)',
  },
  {
    flag: 'admin-token',
    env: 'JUMIO_MOCK_ADMIN_TOKEN',
    kind: 'string',
    default: '',
    help: 'Bearer token required by every /__admin call (default: open)',
  },
  {
    flag: 'rate-limit',
    env: 'JUMIO_MOCK_RATE_LIMIT',
    kind: 'bool',
    default: 'false',
    help: "Enforce Jumio's per-tenant rate limits (429)",
  },
  {
    flag: 'watch',
    env: 'JUMIO_MOCK_WATCH',
    kind: 'bool',
    default: 'true',
    help: 'Reload the scenarios file when it changes',
  },
  {
    flag: 'validation',
    env: 'JUMIO_MOCK_VALIDATION',
    kind: 'string',
    default: 'lenient',
    choices: ['lenient', 'strict'],
    help: 'lenient records contract and policy violations; strict also refuses what Jumio is documented to refuse',
  },
  {
    flag: 'journal-size',
    env: 'JUMIO_MOCK_JOURNAL_SIZE',
    kind: 'int',
    default: '5000',
    help: 'Requests kept in the journal (oldest dropped first)',
  },
  {
    flag: 'validate-responses',
    env: 'JUMIO_MOCK_VALIDATE_RESPONSES',
    kind: 'bool',
    default: 'false',
    help: 'Check every response against the contract and log violations',
  },
  {
    flag: 'log-format',
    env: 'JUMIO_MOCK_LOG_FORMAT',
    kind: 'string',
    default: 'auto',
    choices: ['auto', 'json', 'pretty'],
    help: 'Log lines as json, or pretty text; auto is pretty on a terminal, json otherwise',
  },
  {
    flag: 'log-level',
    env: 'JUMIO_MOCK_LOG_LEVEL',
    kind: 'string',
    default: 'info',
    choices: ['debug', 'info', 'warn', 'error'],
    help: 'Least severe level logged (info logs one line per request)',
  },
  {
    flag: 'shutdown-timeout',
    env: 'JUMIO_MOCK_SHUTDOWN_TIMEOUT',
    kind: 'duration',
    default: '8s',
    help: 'On SIGTERM/SIGINT, longest wait for in-flight requests and callbacks',
    timer: true,
  },
  {
    flag: 'tls',
    env: 'JUMIO_MOCK_TLS',
    kind: 'bool',
    default: 'false',
    help: "Serve HTTPS on the port, with a certificate for Jumio's hosts, localhost and 127.0.0.1",
  },
  {
    flag: 'ca-dir',
    env: 'JUMIO_MOCK_CA_DIR',
    kind: 'string',
    default: '',
    help: 'Folder of the CA generated on first HTTPS use (default: <data-dir>/ca, else ~/.config/jumio-mock/ca)',
  },
  {
    flag: 'ca-cert',
    env: 'JUMIO_MOCK_CA_CERT',
    kind: 'string',
    default: '',
    help: 'Your own CA certificate (PEM) to sign HTTPS certificates with; needs --ca-key',
  },
  {
    flag: 'ca-key',
    env: 'JUMIO_MOCK_CA_KEY',
    kind: 'string',
    default: '',
    help: "Your own CA's private key (PEM: PKCS#8, PKCS#1 or SEC1; RSA or EC P-256/P-384)",
  },
  {
    flag: 'proxy-allow',
    env: 'JUMIO_MOCK_PROXY_ALLOW',
    kind: 'string',
    default: '',
    help: "Hosts a CONNECT may tunnel to unchanged, as host,*.suffix (default: none; Jumio's are served, others get 403)",
  },
]

/** Reads flags (`--name value` or `--name=value`) over env vars over defaults. */
export function loadConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Readonly<Config> {
  const flags = parseFlags(argv)
  const raw = (o: OptionSpec) => flags.get(o.flag) ?? env[o.env] ?? o.default
  const value = new Map(OPTIONS.map((o) => [o.flag, check(o, raw(o))]))
  const get = (flag: string) => value.get(flag) ?? ''
  const publicUrls: PublicUrls = {}
  for (const f of FAMILIES) {
    const url = get(`public-url-${f}`) || get('public-url')
    if (url) publicUrls[f] = url
  }
  return {
    port: Number(get('port')),
    host: get('host'),
    scenariosPath: scenariosPath(
      get('scenarios'),
      flags.has('scenarios') || env['JUMIO_MOCK_SCENARIOS'] !== undefined,
    ),
    clients: parseClients(get('clients')),
    credentialsFile: get('credentials-file') ? resolve(get('credentials-file')) : null,
    revokeOnDeactivate: get('revoke-on-deactivate') === 'true',
    maxApiCredentials: Number(get('max-api-credentials')),
    publicUrls,
    maxUploadBytes: Number(get('max-upload-bytes')),
    maxBodyBytes: Number(get('max-body-bytes')),
    maxWorkflowExecutions: Number(get('max-workflow-executions')),
    maxImageBytes: Number(get('max-image-bytes')),
    maxTenants: Number(get('max-tenants')),
    maxConnections: Number(get('max-connections')),
    heapGrowthPercent: Number(get('heap-growth')),
    dataDir: get('data-dir') ? resolve(get('data-dir')) : null,
    redisUrl: redisUrl(get('redis-url'), get('data-dir')),
    requestTimeoutMs: parseDuration(get('request-timeout')),
    processingDelayMs: parseDuration(get('processing-delay')),
    sessionTimeoutMs: parseDuration(get('session-timeout')),
    tokenSecret: get('token-secret') || null,
    seed: get('seed') || null,
    validateResponses: get('validate-responses') === 'true',
    validation: get('validation') === 'strict' ? 'strict' : 'lenient',
    journalSize: Number(get('journal-size')),
    callbackUrl: get('callback-url') || null,
    callbackRetries: Number(get('callback-retries')),
    callbackBackoffMs: parseDuration(get('callback-backoff')),
    callbackTimeoutMs: parseDuration(get('callback-timeout')),
    intermediateCallbacks: get('intermediate-callbacks') === 'true',
    adminToken: get('admin-token') || null,
    rateLimit: get('rate-limit') === 'true',
    watchScenarios: get('watch') === 'true',
    logFormat: get('log-format') as Config['logFormat'],
    logLevel: get('log-level') as Config['logLevel'],
    shutdownTimeoutMs: parseDuration(get('shutdown-timeout')),
    tls: get('tls') === 'true',
    ca: caFiles(get, env),
    proxyAllow: parseProxyAllow(get('proxy-allow')),
  }
}

/**
 * Reads another command's options (verify): flags over env vars over defaults, each value
 * checked as the serve options are.
 */
export function parseFlagsWith(
  options: readonly OptionSpec[],
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Map<string, string> {
  const flags = parseFlags(argv, options)
  return new Map(
    options.map((o) => [o.flag, check(o, flags.get(o.flag) ?? env[o.env] ?? o.default)]),
  )
}

function parseFlags(
  argv: readonly string[],
  options: readonly OptionSpec[] = OPTIONS,
): Map<string, string> {
  const flags = new Map<string, string>()
  const known = new Map(options.map((o) => [o.flag, o]))
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg)
    const spec = m ? known.get(m[1] ?? '') : undefined
    if (!m || !spec) throw new ConfigError(`Unknown option "${arg}" (see --help)`)
    if (m[2] !== undefined) flags.set(spec.flag, m[2])
    else if (spec.kind === 'bool') flags.set(spec.flag, 'true')
    else {
      const next = argv[++i]
      if (next === undefined) throw new ConfigError(`Option --${spec.flag} needs a value`)
      flags.set(spec.flag, next)
    }
  }
  return flags
}

function check(o: OptionSpec, v: string): string {
  const bad = (why: string) =>
    new ConfigError(`Invalid value "${v}" for --${o.flag} / ${o.env}: ${why}`)
  if (o.kind === 'int' && !/^\d+$/.test(v)) throw bad('expected a whole number')
  if (o.min !== undefined && Number(v) < o.min) throw bad(`expected at least ${o.min}`)
  if (o.choices && !o.choices.includes(v)) throw bad(`expected one of ${o.choices.join(', ')}`)
  if (o.flag === 'port' && Number(v) > 65535) throw bad('expected a port from 0 to 65535')
  if (o.kind === 'bool' && !['true', 'false', '1', '0'].includes(v))
    throw bad('expected true or false')
  if (o.kind === 'duration') parseDurationFor(o, v)
  if (o.kind === 'url' && v !== '' && !(URL.canParse(v) && /^https?:$/.test(new URL(v).protocol)))
    throw bad('expected an absolute http or https URL')
  return o.kind === 'bool' ? String(v === 'true' || v === '1') : v
}

function parseDurationFor(o: OptionSpec, v: string): void {
  try {
    parseDuration(v, o.timer ? MAX_TIMER_MS : MAX_DURATION_MS)
  } catch (err) {
    throw new ConfigError(`Invalid value for --${o.flag} / ${o.env}: ${(err as Error).message}`)
  }
}

function parseClients(value: string): Map<string, string> {
  const clients = new Map<string, string>()
  for (const pair of value.split(',').filter(Boolean)) {
    const at = pair.indexOf(':')
    if (at <= 0 || at === pair.length - 1) {
      throw new ConfigError(
        `Invalid --clients / JUMIO_MOCK_CLIENTS entry "${pair}": expected id:secret`,
      )
    }
    const id = pair.slice(0, at)
    if (clients.has(id)) {
      throw new ConfigError(`Invalid --clients / JUMIO_MOCK_CLIENTS: client "${id}" is given twice`)
    }
    clients.set(id, pair.slice(at + 1))
  }
  return clients
}

/** `--ca-cert` and `--ca-key` (both or neither), else the generated CA's folder. */
export function caFiles(
  get: (flag: string) => string,
  env: Readonly<Record<string, string | undefined>>,
): CaFiles {
  const [cert, key] = [get('ca-cert'), get('ca-key')]
  if (cert || key) {
    if (!cert || !key) throw new ConfigError('--ca-cert and --ca-key go together: give both')
    for (const [flag, path] of [
      ['ca-cert', cert],
      ['ca-key', key],
    ] as const) {
      if (!existsSync(path)) throw new ConfigError(`--${flag} ${path}: no such file`)
    }
    return { cert: resolve(cert), key: resolve(key), own: true }
  }
  const dataDir = get('data-dir')
  const dir = get('ca-dir') || (dataDir ? join(dataDir, 'ca') : defaultCaDir(env))
  return generatedCaFiles(resolve(dir))
}

function parseProxyAllow(value: string): string[] {
  const patterns = value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
  for (const p of patterns) {
    // a host name or address, or *. and a suffix: no scheme, port or path
    if (!/^(\*\.)?[A-Za-z0-9_.-]+$|^\[?[0-9A-Fa-f:.]+\]?$/.test(p)) {
      throw new ConfigError(
        `Invalid --proxy-allow / JUMIO_MOCK_PROXY_ALLOW entry "${p}": expected a host or *.suffix`,
      )
    }
  }
  return patterns.map((p) => p.replace(/^\[(.*)\]$/, '$1'))
}

function redisUrl(value: string, dataDir: string): string | null {
  if (value === '') return null
  if (!URL.canParse(value) || !/^rediss?:$/.test(new URL(value).protocol)) {
    throw new ConfigError(
      `Invalid value "${value}" for --redis-url / JUMIO_MOCK_REDIS_URL: expected redis://host:port/db`,
    )
  }
  if (!/^\/?\d*$/.test(new URL(value).pathname)) {
    throw new ConfigError(`--redis-url ${value}: the path must be a database number (/0 to /15)`)
  }
  if (dataDir !== '') {
    throw new ConfigError('--redis-url and --data-dir exclude each other: state lives in one place')
  }
  return value
}

function scenariosPath(value: string, explicit: boolean): string {
  // empty means the default, as for every other option
  if (value === '')
    return scenariosPath(OPTIONS.find((o) => o.flag === 'scenarios')?.default ?? '', false)
  const path = resolve(value)
  return explicit || existsSync(path) ? path : SHIPPED_SCENARIOS
}
