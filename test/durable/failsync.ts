/**
 * A disk whose syncs fail with EIO, for durable mode's tests: test/fixtures/failsync.c, built with
 * the system's C compiler (the one npm ci builds better-sqlite3 with) and loaded into the mock
 * with LD_PRELOAD. No root, no device mapper: only the syncs of the files whose path contains
 * `match` fail, and only while {@link FailingSyncs.fail} is in force. Fails (never skips) where
 * no C compiler is found.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const SOURCE = fileURLToPath(new URL('../fixtures/failsync.c', import.meta.url))

/** The library, and the switch of its failures. */
export interface FailingSyncs {
  /** The environment that loads the library into a process: syncs of paths with `match` fail. */
  env(match: string): Record<string, string>
  /** From now on, those syncs fail. */
  fail(): void
  /** From now on, they work again. */
  heal(): void
  close(): void
}

/** Builds the library in a folder of its own. */
export function failingSyncs(): FailingSyncs {
  const dir = mkdtempSync(join(tmpdir(), 'jumio-mock-failsync-'))
  const lib = join(dir, 'failsync.so')
  const cc = spawnSync('cc', ['-shared', '-fPIC', '-O2', '-o', lib, SOURCE, '-ldl'], {
    encoding: 'utf8',
  })
  if (cc.status !== 0) {
    rmSync(dir, { recursive: true, force: true })
    throw new Error(`cannot build ${SOURCE} with cc: ${cc.error?.message ?? cc.stderr}`)
  }
  const trigger = join(dir, 'fail')
  return {
    env: (match) => ({ LD_PRELOAD: lib, FAILSYNC_TRIGGER: trigger, FAILSYNC_MATCH: match }),
    fail: () => {
      writeFileSync(trigger, '')
    },
    heal: () => {
      rmSync(trigger, { force: true })
    },
    close: () => {
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
