import { defineConfig } from 'vitest/config'

/** `npm run test:load`: the load and soak tests against real processes, for longer (issue 7). */
export default defineConfig({
  test: {
    include: ['test/load/**/*.test.ts'],
    env: { LOAD_SECONDS: process.env['LOAD_SECONDS'] ?? '20' },
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
})
