import { readdirSync, readFileSync } from 'node:fs'
import { defineConfig, mergeConfig } from 'vitest/config'
import base from './vitest.config.js'

/**
 * `npm run test:cluster`: every flow file that reaches the mock only through HTTP (it uses
 * test/helpers/http-mock.ts), against three replicas on one Redis behind a round-robin balancer.
 * The others reach into one process's parts or sockets, and need one.
 */
const ONLY_HTTP = readdirSync('test/flows')
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => readFileSync(`test/flows/${f}`, 'utf8').includes('helpers/http-mock.js'))
  .map((f) => `test/flows/${f}`)

export default mergeConfig(
  { ...base, test: { ...base.test, projects: undefined } },
  defineConfig({ test: { include: ONLY_HTTP, env: { JUMIO_MOCK_TEST_REPLICAS: '3' } } }),
)
