/**
 * The mock of a flow test that reaches it only through HTTP (Jumio's API and the admin API): one
 * in-process server, or, with `JUMIO_MOCK_TEST_REPLICAS=N`, N replicas on one Redis behind a
 * round-robin balancer (cluster-mock.ts). Replicas on one Redis must answer as one process does:
 * `npm test` runs a set of these files so (the vitest project "three replicas", CLUSTER_SET in
 * vitest.config.ts), `npm run test:cluster` all of them. A test that reaches into the server's
 * parts (`s.deps`) or its own sockets uses server.ts's useTestServer, and runs on one process.
 */
import type { Config } from '../../src/config.js'
import { startClusterMock } from './cluster-mock.js'
import { startTestServer, useMock } from './server.js'
import type { RunningMock } from './server.js'

/** How many replicas serve each mock of these tests (1: one in-process server). */
export const REPLICAS = Number(process.env['JUMIO_MOCK_TEST_REPLICAS'] ?? '1')

/** Starts a mock on a free port, flags as on the command line: one server, or a cluster. */
export function startHttpMock(
  flags: string[] = [],
  overrides: Partial<Config> = {},
): Promise<RunningMock> {
  return REPLICAS > 1
    ? startClusterMock(REPLICAS, flags, overrides)
    : startTestServer(flags, overrides)
}

/** The mock of a test file, as useTestServer (server.ts) gives one, reached only through HTTP. */
export function useHttpMock(flags: string[] = [], overrides: Partial<Config> = {}): RunningMock {
  return useMock('useHttpMock: the mock', () => startHttpMock(flags, overrides))
}
