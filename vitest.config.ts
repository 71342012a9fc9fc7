import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * Flow files run a second time against three replicas on one Redis behind a round-robin
 * balancer (test/helpers/http-mock.ts), so that every run shows a cluster answers as one process
 * does: a set that touches every part of the shared state (credentials, callbacks and timers,
 * clocks and deadlines, settings and overrides, tenants and rate limits, the journal, ids and
 * images). `npm run test:cluster` runs all of them so (vitest.cluster.config.ts).
 */
export const CLUSTER_SET = [
  'admin',
  'api-credentials',
  'callbacks',
  'errors-expiry',
  'errors-uploads',
  'idiv-10011',
  'image-budget',
  'scenario-precedence',
  'tenants',
  'violations',
].map((name) => `test/flows/${name}.test.ts`)

export default defineConfig({
  // examples/ import the package by name, as a client team would: its public entry point
  resolve: { alias: { 'jumio-mock': fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    // the files that test what ships share one `npm run build` (test/helpers/dist.ts)
    globalSetup: ['test/setup/dist-build.ts'],
    // test/load runs here for 3 s (LOAD_SECONDS); `npm run test:load` runs it for 20 s
    testTimeout: 15_000,
    // a poll waits for what a busy machine does later (a browser's uploads, a delivery), not 1 s
    expect: { poll: { timeout: 5_000 } },
    projects: [
      {
        extends: true,
        test: { name: 'one process', include: ['test/**/*.test.ts', 'examples/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'three replicas',
          include: CLUSTER_SET,
          env: { JUMIO_MOCK_TEST_REPLICAS: '3' },
        },
      },
    ],
  },
})
