import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  // examples/ import the package by name, as a client team would: its public entry point
  resolve: { alias: { 'jumio-mock': fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    // the files that test what ships share one `npm run build` (test/helpers/dist.ts)
    globalSetup: ['test/setup/dist-build.ts'],
    // test/load runs here for 3 s (LOAD_SECONDS); `npm run test:load` runs it for 20 s
    testTimeout: 15_000,
    // a poll waits for what a busy machine does later (a browser's uploads, a delivery), not 1 s
    expect: { poll: { timeout: 5_000 } },
  },
})
