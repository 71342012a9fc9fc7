/**
 * One process per `--data-dir`: a second process on a directory in use
 * refuses to start, with exit code 2 and one line naming the directory and the holder's pid. The
 * lock is the kernel's, so a SIGKILL'd holder leaves nothing behind: the next start succeeds.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { kill, ready, runCli, spawnCli } from '../cli/process.js'
import type { Child } from '../cli/process.js'
import { accessToken, flow, statusOf } from './client.js'
import type { Acked } from './client.js'

const SqliteDatabase = createRequire(import.meta.url)('better-sqlite3') as typeof Database

let dir = ''
const running: Child[] = []

const start = () => {
  const server = spawnCli(['--port', '0', '--data-dir', dir, '--processing-delay', '0'])
  running.push(server)
  return { server, url: ready(server, 20_000) }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jumio-mock-lock-'))
})

afterEach(() => {
  for (const server of running.splice(0)) kill(server)
  rmSync(dir, { recursive: true, force: true })
})

describe('a --data-dir another process holds', () => {
  it('is refused: exit 2, one line naming the directory and the pid, the holder unharmed', async () => {
    const first = start()
    const url = await first.url
    const second = await runCli(['--port', '0', '--data-dir', dir])
    expect(second.code).toBe(2)
    expect(second.stdout).toBe('')
    const lines = second.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(`--data-dir ${dir} is in use by jumio-mock pid`)
    expect(lines[0]).toContain(`pid ${String(first.server.child.pid)} on host ${hostname()}`)

    // the holder never saw the second one: its flows all succeed
    const token = await accessToken(url, 'lock-client')
    const acked: Acked[] = []
    await Promise.all([0, 1, 2, 3].map((n) => flow(url, token, 'http://127.0.0.1:9/', n, acked)))
    expect(acked.filter((a) => a.finalized)).toHaveLength(4)
  })

  it('is free again once its holder is SIGKILLed: the next start succeeds, with its data', async () => {
    const first = start()
    let url = await first.url
    const token = await accessToken(url, 'lock-client')
    const acked: Acked[] = []
    await flow(url, token, 'http://127.0.0.1:9/', 0, acked)
    first.server.child.kill('SIGKILL')
    await first.server.exited

    const next = start()
    url = await next.url
    expect(await statusOf(url, token, acked[0] as Acked)).toBe('PROCESSED')
    // and the next one names the new holder
    const third = await runCli(['--port', '0', '--data-dir', dir])
    expect(third.code).toBe(2)
    expect(third.stderr).toContain(`pid ${String(next.server.child.pid)} `)
  })

  it('is refused too when something else holds the database, without naming a dead pid', async () => {
    // a SQLite client with a write transaction open, and a holder file left by a crashed mock
    const db = new SqliteDatabase(join(dir, 'jumio-mock.db'))
    db.exec('CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)')
    // above Linux's largest pid (2^22): never a live process
    const dead = { pid: 2 ** 22 + 1, host: hostname(), since: '2020-01-01T00:00:00.000Z' }
    writeFileSync(join(dir, 'jumio-mock.pid'), JSON.stringify(dead))
    try {
      const refused = await runCli(['--port', '0', '--data-dir', dir])
      expect(refused.code).toBe(2)
      expect(refused.stderr.trim().split('\n')).toHaveLength(1)
      expect(refused.stderr).toContain(
        `is in use by another process (not jumio-mock pid ${String(dead.pid)}`,
      )
    } finally {
      db.close()
    }
  })
})
