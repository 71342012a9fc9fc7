import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  // examples/ import the package by name, as a client team would: its public entry point
  resolve: { alias: { 'jumio-mock': fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    // the long load run is `npm run test:load` (vitest.load.config.ts); its short form runs here
    exclude: ['**/node_modules/**', 'test/load/**'],
    testTimeout: 15_000,
  },
})
