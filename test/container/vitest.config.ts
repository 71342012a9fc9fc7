import { defineConfig } from 'vitest/config'

/** The flow checks `scripts/container-test.sh` runs against a running container (not `npm test`). */
export default defineConfig({
  test: {
    include: ['test/container/*.spec.ts'],
    testTimeout: 15_000,
  },
})
