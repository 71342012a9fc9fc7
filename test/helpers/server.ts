/**
 * The one way tests get a mock: a real server instance on a free port, with a frozen clock, a
 * seed, the test scenarios and response validation on. `expectNoResponseViolations` fails a test
 * whose responses broke the contract.
 */
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import request from 'supertest'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { loadConfig } from '../../src/config.js'
import type { Config } from '../../src/config.js'
import { loadScenarios } from '../../src/scenarios/load.js'
import { serveApp } from '../../src/server/http-server.js'
import { Clock } from '../../src/server/domain/clock.js'
import { createDeps } from '../../src/server/deps.js'
import type { Logger } from '../../src/logger.js'
import type { AppDeps, ResponseViolation } from '../../src/server/deps.js'

/** 2026-01-01T00:00:00.000Z: every test starts here. */
export const T0 = Date.UTC(2026, 0, 1)
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url))

/** What the HTTP helpers need of a running mock, in-process or a child process. */
export interface MockHttp {
  url: string
  http: ReturnType<typeof request>
  /** Its admin token, when it has one. */
  adminToken?: string
}

/** A running mock of a test: one in-process server, or a cluster of them (cluster-mock.ts). */
export interface RunningMock extends MockHttp {
  close: () => Promise<void>
  /** The responses that broke the contract since the last call (of every replica), drained. */
  drainViolations: () => ResponseViolation[]
}

/** A running in-process test server, whose parts a test may reach into. */
export interface TestServer extends RunningMock {
  deps: AppDeps
}

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined }

/** The flags of every test mock, before a test's own: a seed, no delay, responses checked. */
export const TEST_FLAGS = [
  ...['--port', '0', '--seed', 'test', '--processing-delay', '0', '--validate-responses'],
  ...['--scenarios', `${FIXTURES}scenarios.test.yaml`, '--callback-timeout', '2s'],
]

/** Starts a mock on a free port; flags as on the command line. */
export async function startTestServer(
  flags: string[] = [],
  overrides: Partial<Config> = {},
): Promise<TestServer> {
  const base = loadConfig([...TEST_FLAGS, ...flags], {})
  const config = { ...base, ...overrides }
  const deps = createDeps(config, {
    clock: new Clock({ start: T0, frozen: true }),
    scenarios: loadScenarios(config.scenariosPath),
    log: quiet,
  })
  const server = serveApp(deps, 0, '127.0.0.1')
  await new Promise<void>((resolve) => server.once('listening', resolve))
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    deps,
    http: request(url),
    ...(config.adminToken && { adminToken: config.adminToken }),
    drainViolations: () => deps.responseViolations.splice(0),
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve()
        })
      }),
  }
}

/**
 * Fails when any response of this server broke the contract since the last check; the list is
 * drained, so one violation fails only the test that caused it.
 */
export function expectNoResponseViolations(server: RunningMock): void {
  expect(server.drainViolations()).toEqual([])
}

/**
 * The server of a test file: started before its tests, checked after each one for responses that
 * broke the contract, closed after all of them. Use the returned server inside tests and hooks
 * (it starts in the first `beforeAll`); reading it earlier throws.
 */
export function useTestServer(flags: string[] = [], overrides: Partial<Config> = {}): TestServer {
  return useMock('useTestServer: the server', () => startTestServer(flags, overrides))
}

/** A running mock of a test file, started by `start` as useTestServer says. */
export function useMock<T extends RunningMock>(what: string, start: () => Promise<T>): T {
  let server: T | undefined
  beforeAll(async () => {
    server = await start()
  })
  afterEach(() => {
    if (server) expectNoResponseViolations(server)
  })
  afterAll(() => server?.close())
  return startedLater(what, () => server)
}

/**
 * An object a `beforeAll` creates, usable as if it existed already: reading it before then throws
 * `<what> starts in beforeAll`.
 */
export function startedLater<T extends object>(what: string, get: () => T | undefined): T {
  return new Proxy({} as T, {
    get(_target, key) {
      const value = get()
      if (!value) throw new Error(`${what} starts in beforeAll; use it in tests`)
      return value[key as keyof T]
    },
  })
}
