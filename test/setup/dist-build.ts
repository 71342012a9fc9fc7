/**
 * vitest global set-up: a folder where the test files of one run agree on one `npm run build`
 * (see test/helpers/dist.ts). Nothing is built here: a run of unit tests builds nothing, and the
 * first test file that needs `dist/` builds it for all the others.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder where this run's test files agree on one build of `dist/`. */
    distBuildDir: string
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'jumio-mock-build-'))
  project.provide('distBuildDir', dir)
  return () => {
    rmSync(dir, { recursive: true, force: true })
  }
}
