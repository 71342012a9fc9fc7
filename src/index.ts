/**
 * @module The package's public API: start an isolated mock in-process for your own tests.
 */
export { startMockJumio } from './testing/mock-jumio.js'
export type { MockJumio, MockJumioOptions } from './testing/mock-jumio.js'
export { JumioClient } from './client/jumio-client.js'
export type {
  JumioClientOptions,
  JumioHosts,
  JumioPaths,
  JumioSchemas,
} from './client/jumio-client.js'
