/**
 * Processes of a benchmark run: servers that print a "ready at URL" line, the autocannon worker,
 * and the resident memory of a process.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CannonResult, CannonSpec } from './cannon.js'

/** The project root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** A server process that announced its URL. */
export interface Proc {
  url: string
  pid: number
  child: ChildProcess
  /** Milliseconds from spawn to the ready line. */
  readyMs: number
  stop: () => Promise<void>
}

/** Spawns `node args…` and resolves once stdout names the URL it listens on. */
export function spawnReady(args: string[]): Promise<Proc> {
  const started = performance.now()
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let err = ''
  child.stderr.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000)
  })
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', function ready(d: Buffer) {
      out += d.toString()
      const url = /ready at (http:\/\/[^\s,)]+)/.exec(out)?.[1]
      if (!url || child.pid === undefined) return
      // from here on the request log is read and dropped, not kept
      child.stdout.off('data', ready).resume()
      const stop = () =>
        new Promise<void>((done) => {
          if (child.exitCode !== null) {
            done()
            return
          }
          child.once('exit', () => {
            done()
          })
          child.kill('SIGTERM')
        })
      resolve({ url, pid: child.pid, child, readyMs: performance.now() - started, stop })
    })
    child.once('exit', (code) => {
      reject(new Error(`${args.join(' ')} exited ${String(code)}: ${err}`))
    })
  })
}

/** Starts the built mock (`dist/main.js`) with `flags` (and Node options before the script). */
export function spawnMock(flags: string[] = [], nodeOptions: string[] = []): Promise<Proc> {
  return spawnReady([...nodeOptions, 'dist/main.js', '--port', '0', ...flags])
}

/** Runs autocannon in its own process. */
export function cannon(spec: CannonSpec): Promise<CannonResult> {
  const file = join(tmpdir(), `jumio-mock-cannon-${String(process.pid)}.json`)
  writeFileSync(file, JSON.stringify(spec))
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/cannon.ts', file], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.once('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`autocannon exited ${String(code)}`))
        return
      }
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as CannonResult)
    })
  })
}

/** Resident set size of a process in MB, from /proc (Linux). */
export function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'))?.[1]
  return Number(kb ?? 0) / 1024
}

/** CPU time a process has used so far (user + system, all threads), in seconds (Linux). */
export function cpuSeconds(pid: number): number {
  const fields =
    readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
      .split(') ')[1]
      ?.split(' ') ?? []
  return (Number(fields[11]) + Number(fields[12])) / 100 // utime + stime, in clock ticks
}

/** The median of some numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2
}
