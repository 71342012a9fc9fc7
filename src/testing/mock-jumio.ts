/**
 * @module `startMockJumio()`: an isolated mock in-process on a free port, for client teams' own
 * tests. Each instance has its own state, clock and journal; several run in parallel
 * in one process. The admin helpers are a client generated from `contracts/admin.openapi.yaml`.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import createClient from 'openapi-fetch'
import { ConfigError, loadConfig } from '../config.js'
import { loadScenarios, scenarioFile } from '../scenarios/load.js'
import { serveApp } from '../server/http-server.js'
import { within } from '../server/in-flight.js'
import type { components, paths } from '../server/contract/admin.gen.js'
import { Clock } from '../server/domain/clock.js'
import { createDeps } from '../server/deps.js'
import type { Logger } from '../logger.js'
import type { AppDeps } from '../server/deps.js'

type Schemas = components['schemas']

/** Options of {@link startMockJumio}. */
export interface MockJumioOptions {
  /** A scenarios file; the shipped one by default. */
  scenariosFile?: string
  /** Scenarios inline, in the file's format (`{ default, scenarios: { name: {...} } }`). */
  scenarios?: { default: string; scenarios: Record<string, unknown> }
  /** Seed for deterministic ids. */
  seed?: string
  /** Start time (epoch ms); `frozen: true` moves time only through `advanceClock`. */
  clock?: { start?: number; frozen?: boolean }
  /** Request validation: lenient records violations, strict rejects as Jumio would. */
  validation?: 'lenient' | 'strict'
  /**
   * Any other `serve` flag, e.g. `['--processing-delay', '0']`; but those that cannot hold
   * in-process ({@link NOT_IN_PROCESS}: the CLI's listener, TLS, Redis, watching the file),
   * which are refused.
   */
  flags?: string[]
  /** Where log lines go; silent by default. */
  log?: Logger
  /** Environment variables to read options from (`JUMIO_MOCK_*`); none by default. */
  env?: Readonly<Record<string, string | undefined>>
}

/** A running mock and its typed admin helpers. */
export interface MockJumio {
  /** The base URL of every Jumio host family (the mock serves all on one listener). */
  url: string
  urls: { auth: string; account: string; api: string; retrieval: string; status: string }
  /** Switches the active scenario (globally, or for one tenant = OAuth2 client id). */
  useScenario(name: string | null, tenant?: string): Promise<void>
  /** New workflow executions on this account get the scenario. */
  bindScenario(accountId: string, name: string | null, tenant?: string): Promise<void>
  /** Queues a scenario or a fault for the next N matching requests. */
  override(
    body: Omit<Schemas['OverrideRequest'], 'times'> & { times?: number },
    tenant?: string,
  ): Promise<Schemas['Override']>
  /** The journal, filtered: every entry that matches, or the page a `limit` asks for. */
  journal(
    query?: paths['/__admin/journal']['get']['parameters']['query'],
  ): Promise<Schemas['JournalEntry'][]>
  /** Violations grouped by code. */
  violations(tenant?: string): Promise<Schemas['ViolationGroup'][]>
  /** Throws an Error listing every violation, if there is any. */
  expectNoViolations(tenant?: string): Promise<void>
  /** Moves the clock forward; what falls due happens, in order. */
  advanceClock(ms: number, tenant?: string): Promise<void>
  /** Forgets state, overrides, journal and clock moves; scenarios stay. */
  reset(tenant?: string): Promise<void>
  /** Stops the server. */
  close(): Promise<void>
}

const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined }

/** The longest close() waits for requests still running (after their waits were ended). */
const CLOSE_WAIT_MS = 2000

/**
 * Options an in-process mock cannot honour: it listens on a free loopback port over HTTP, its
 * helpers speak HTTP, its state is its own, and its scenarios are read once (found by a probe:
 * they were taken and ignored, or --tls broke every helper).
 */
export const NOT_IN_PROCESS = ['port', 'host', 'tls', 'redis-url', 'watch']

/** Starts an isolated mock on a free loopback port. */
export async function startMockJumio(options: MockJumioOptions = {}): Promise<MockJumio> {
  const given = options.flags ?? []
  const env = options.env ?? {}
  const flags = ['--port', '0', '--watch=false', ...given]
  if (options.seed !== undefined) flags.push('--seed', options.seed)
  if (options.validation !== undefined) flags.push('--validation', options.validation)
  if (options.scenariosFile !== undefined) flags.push('--scenarios', options.scenariosFile)
  const config = loadConfig(flags, env)
  // what the parsed options ask for (`--tls=false` asks for nothing), and a port or host given
  const refused = [
    ...(config.tls ? ['--tls'] : []),
    ...(config.redisUrl !== null ? ['--redis-url'] : []),
    ...(config.watchScenarios ? ['--watch'] : []),
    ...given.filter((f) => /^--(port|host)(=|$)/.test(f)),
  ]
  if (refused.length > 0) {
    throw new ConfigError(
      `an in-process mock cannot take ${refused.join(', ')}: it listens on a free loopback port over HTTP, keeps its own state and reads its scenarios once; run jumio-mock serve for these`,
    )
  }
  const start = options.clock?.start
  if (start !== undefined && !(Number.isFinite(start) && Math.abs(start) <= 8.64e15)) {
    throw new RangeError(`clock.start must be epoch milliseconds, got ${String(start)}`)
  }
  const deps = createDeps(config, {
    log: options.log ?? silent,
    clock: new Clock(options.clock ?? {}),
    scenarios: options.scenarios
      ? scenarioFile(options.scenarios, '(inline scenarios)')
      : loadScenarios(config.scenariosPath),
  })
  if (config.dataDir !== null) await deps.workflows.resume()
  const server = serveApp(deps, 0, '127.0.0.1', { inProcess: true })
  await new Promise<void>((resolve, reject) => {
    const failed = (err: Error) => {
      void Promise.resolve(deps.close()).finally(() => {
        reject(err)
      })
    }
    server.once('error', failed)
    server.once('listening', () => {
      server.off('error', failed)
      resolve()
    })
  })
  const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`
  return withAdmin(url, server, deps)
}

function withAdmin(url: string, server: Server, deps: AppDeps): MockJumio {
  // with --admin-token, the helpers present it as every admin call must
  const token = deps.config.adminToken
  const api = createClient<paths>({
    baseUrl: url,
    ...(token !== null && { headers: { Authorization: `Bearer ${token}` } }),
  })
  const tenantHeader = (tenant?: string) => {
    // an empty name would act globally: a mistake, not a tenant
    if (tenant === '') throw new Error('A tenant is a non-empty name; leave it out to act globally')
    return tenant === undefined ? {} : { 'X-Mock-Tenant': tenant }
  }
  const ok = <T>(r: { data?: T; error?: unknown; response: Response }): T => {
    if (!r.response.ok)
      throw new Error(
        `admin call failed with ${String(r.response.status)}: ${JSON.stringify(r.error)}`,
      )
    return r.data as T
  }
  const violations = async (tenant?: string) =>
    ok(await api.GET('/__admin/violations', { headers: tenantHeader(tenant) })).violations
  return {
    url,
    urls: { auth: url, account: url, api: url, retrieval: url, status: url },
    useScenario: async (name, tenant) => {
      ok(
        await api.PUT('/__admin/scenarios/active', {
          body: { name },
          headers: tenantHeader(tenant),
        }),
      )
    },
    bindScenario: async (accountId, name, tenant) => {
      ok(
        await api.PUT('/__admin/accounts/{accountId}/scenario', {
          params: { path: { accountId } },
          body: { name },
          headers: tenantHeader(tenant),
        }),
      )
    },
    override: async (body, tenant) =>
      ok(
        await api.POST('/__admin/scenarios/overrides', {
          // `times` has a default (1), which the generated type marks as required
          body: { times: 1, ...body },
          headers: tenantHeader(tenant),
        }),
      ),
    journal: async (query) => {
      // a page when the query asks for one, else every entry (a page holds at most 1,000)
      if (query?.limit !== undefined)
        return ok(await api.GET('/__admin/journal', { params: { query } })).entries
      const entries: Schemas['JournalEntry'][] = []
      for (let offset = query?.offset ?? 0; ;) {
        const params = { query: { ...query, offset, limit: 1000 } }
        const page = ok(await api.GET('/__admin/journal', { params }))
        entries.push(...page.entries)
        offset += page.entries.length
        if (page.entries.length === 0 || offset >= page.total) return entries
      }
    },
    violations,
    expectNoViolations: async (tenant) => {
      const found = await violations(tenant)
      if (found.length === 0) return
      throw new Error(`The client broke Jumio's contract:\n${violationLines(found).join('\n')}`)
    },
    advanceClock: async (ms, tenant) => {
      ok(await api.POST('/__admin/clock/advance', { body: { ms }, headers: tenantHeader(tenant) }))
    },
    reset: async (tenant) => {
      ok(await api.POST('/__admin/reset', { headers: tenantHeader(tenant) }))
    },
    close: async () => {
      // nothing of a closed mock goes on into the next test: waits end (a fault's latency), no
      // callback is sent or retried, and the requests still running end before the state closes
      deps.inFlight.stop()
      deps.callbacks.stop()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await within(deps.inFlight.idle(), CLOSE_WAIT_MS)
      // frees a --data-dir for the next mock on it
      await deps.close()
    },
  }
}

/** One line per violation code: how often, the rule's section, and an example's message. */
export function violationLines(groups: Schemas['ViolationGroup'][]): string[] {
  return groups.map(
    (g) =>
      `${g.code} x${String(g.count)} (jumio-reference ${g.section}): ${g.examples[0]?.message ?? 'no example left (its entries were dropped past --journal-size)'}`,
  )
}
