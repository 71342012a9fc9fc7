/**
 * A real `jumio-mock` process from the sources (through tsx, no build needed), for properties
 * that depend on how the server is started: its HTTP timeouts, its memory.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** A spawned mock. */
export interface MockProcess {
  url: string
  pid: number
  child: ChildProcess
  stop: () => Promise<void>
}

/** Starts `src/main.ts` with `flags` and resolves with the URL of its ready line. */
export function spawnMock(flags: string[]): Promise<MockProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/main.ts', '--port', '0', ...flags],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const url = /ready at (http:\/\/\S+)/.exec(out)?.[1]
      if (url && child.pid !== undefined) {
        const stop = () =>
          new Promise<void>((done) => {
            child.once('exit', () => {
              done()
            })
            child.kill('SIGTERM')
          })
        resolve({ url, pid: child.pid, child, stop })
      }
    })
    child.once('exit', (code) => {
      reject(new Error(`mock exited ${String(code)}: ${err}`))
    })
  })
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'))?.[1]
  return Number(kb ?? 0) * 1024
}
