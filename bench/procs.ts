/**
 * Processes of a benchmark run: servers that print the URL or port they listen on, their CPU and
 * resident memory read from /proc (with their child processes: a peer may run as a wrapper and a
 * child), and how busy the rest of the machine is while a figure is taken.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The project root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** A server process that announced where it listens. */
export interface Proc {
  url: string
  pid: number
  child: ChildProcess
  /** When it was spawned (`performance.now()`). */
  spawnedAt: number
  /** The process's output so far (the last 8 kB), for an error message. */
  output: () => string
  stop: () => Promise<void>
}

/**
 * Spawns `command args…` and resolves once its output matches `pattern`, whose first group is
 * the URL it listens on (or, when `port` is set, the port number on 127.0.0.1).
 */
export function spawnServer(
  command: string,
  args: string[],
  pattern: RegExp,
  options: { cwd?: string; port?: boolean } = {},
): Promise<Proc> {
  const started = performance.now()
  const child = spawn(command, args, {
    cwd: options.cwd ?? ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const output = () => out
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out = (out + d.toString()).slice(-8000)
      const found = pattern.exec(out)?.[1]
      if (!found || child.pid === undefined) return
      // from here on the output is read and dropped, not kept (a request log would fill memory)
      child.stdout.off('data', onData)
      child.stderr.off('data', onData)
      child.stdout.resume()
      child.stderr.resume()
      const url = options.port ? `http://127.0.0.1:${found}` : found
      resolve({ url, pid: child.pid, child, spawnedAt: started, output, stop })
    }
    const stop = () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          done()
          return
        }
        const hard = setTimeout(() => child.kill('SIGKILL'), 10_000)
        child.once('exit', () => {
          clearTimeout(hard)
          done()
        })
        child.kill('SIGTERM')
      })
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('error', reject)
    child.once('exit', (code) => {
      reject(new Error(`${command} ${args.join(' ')} exited ${String(code)}: ${out}`))
    })
  })
}

/** Starts `node args…` (a TypeScript file through tsx, or a built script). */
export function spawnNode(args: string[]): Promise<Proc> {
  return spawnServer(process.execPath, args, /ready at (https?:\/\/[^\s,)]+)/)
}

/** Starts the built mock (`dist/main.js`) with `flags` (and Node options before the script). */
export function spawnMock(flags: string[] = [], nodeOptions: string[] = []): Promise<Proc> {
  return spawnNode([...nodeOptions, 'dist/main.js', '--port', '0', ...flags])
}

/** A process and all its descendants (a wrapper's child is where the work happens). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const ppid = Number(statFields(Number(name))[1])
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)])
    } catch {
      // the process ended while we looked
    }
  }
  const out = [pid]
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i] ?? 0) ?? []))
  return out
}

/** The fields of /proc/PID/stat after the command name: state, ppid, … (Linux). */
function statFields(pid: number): string[] {
  const text = readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
  return text.slice(text.lastIndexOf(') ') + 2).split(' ')
}

/** CPU time the processes have used so far (user + system, all threads), in seconds. */
export function cpuSecondsOf(pids: number[]): number {
  let ticks = 0
  for (const p of pids) {
    try {
      const f = statFields(p)
      ticks += Number(f[11]) + Number(f[12]) // utime + stime, in clock ticks (100 a second)
    } catch {
      // gone
    }
  }
  return ticks / 100
}

/** Resident set size of the processes in MB (VmRSS, summed). */
export function rssMbOf(pids: number[]): number {
  let kb = 0
  for (const p of pids) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${String(p)}/status`, 'utf8'))?.[1])
    } catch {
      // gone
    }
  }
  return kb / 1024
}

/** CPU seconds of a process tree so far. */
export const cpuSeconds = (pid: number) => cpuSecondsOf(processTree(pid))
/** Resident MB of a process tree. */
export const rssMb = (pid: number) => rssMbOf(processTree(pid))

/** The 1, 5 and 15-minute load averages. */
export function loadAverage(): [number, number, number] {
  const [a, b, c] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number)
  return [a ?? 0, b ?? 0, c ?? 0]
}

/** CPU seconds the whole machine has been busy so far, all cores (from /proc/stat). */
export function machineBusySeconds(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.split(/\s+/).slice(1) ?? []
  const [user, nice, system, , , irq, softirq, steal] = cpu.map(Number)
  return (
    ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100
  )
}

/** This process's own CPU time so far, in seconds (the driver's share of the machine). */
export function selfCpuSeconds(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1e6
}

/** The median of some numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2
}

/** Waits `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
