import { defineConfig } from 'vitest/config'

/** `npm run test:load`: the load and soak tests against a real process (issue 7). */
export default defineConfig({
  test: {
    include: ['test/load/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
})
