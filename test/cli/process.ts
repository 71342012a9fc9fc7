/**
 * Runs `jumio-mock` as a real child process, from the sources (through tsx), in a given folder:
 * the CLI, signals and exit codes are only honest across a process boundary.
 */
import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url))
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

/** The environment without the mock's own settings, plus `env`. */
export function cleanEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const mine = (name: string) =>
    name === 'PORT' || name === 'HOST' || name.startsWith('JUMIO_MOCK_')
  const rest = Object.entries(process.env).filter(([name]) => !mine(name))
  return { ...Object.fromEntries(rest), ...env }
}

/** A started child and what it printed so far. */
export interface Child {
  child: ChildProcessWithoutNullStreams
  stdout: () => string
  stderr: () => string
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>
}

/** Spawns `jumio-mock ARGS` (or another command line) and collects its output. */
export function spawnCli(
  args: string[],
  options: {
    env?: Record<string, string>
    cwd?: string
    command?: string[]
    /** Node options before the CLI (e.g. `--require` a preload). */
    nodeOptions?: string[]
    /** Own process group, so that `kill` can signal the command and all it started. */
    group?: boolean
  } = {},
): Child {
  const [cmd = process.execPath, ...pre] = options.command ?? [
    process.execPath,
    ...(options.nodeOptions ?? []),
    '--import',
    TSX,
    MAIN,
  ]
  const child = spawn(cmd, [...pre, ...args], {
    cwd: options.cwd ?? ROOT,
    env: cleanEnv(options.env),
    detached: options.group ?? false,
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr.on('data', (c: Buffer) => (err += c.toString()))
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code) => {
      resolve(code)
    })
  })
  return { child, stdout: () => out, stderr: () => err, exited }
}

/** Runs a command to its end (at most 10 s). */
export async function runCli(
  args: string[],
  options: Parameters<typeof spawnCli>[1] = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const c = spawnCli(args, options)
  // one that does not exit (a server that started) is killed: never left running after the test
  const timer = setTimeout(() => c.child.kill('SIGKILL'), 10_000)
  const code = await c.exited
  clearTimeout(timer)
  return { code, stdout: c.stdout(), stderr: c.stderr() }
}

/** Waits for the ready line and returns the URL in it; fails with the output on exit or timeout. */
export async function ready(c: Child, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const m = /jumio-mock ready at (http:\/\/\S+)/.exec(c.stdout())
    if (m?.[1]) return m[1]
    if (c.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(
        `no ready line (exit ${String(c.child.exitCode)}):\n${c.stdout()}\n${c.stderr()}`,
      )
    }
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** Sends a signal to the child's process group (as a terminal or a CI runner does). */
export function signalGroup(c: Child, signal: NodeJS.Signals): void {
  if (c.child.pid !== undefined) process.kill(-c.child.pid, signal)
}

/** Stops a child that is still running, with all it started (test clean-up). */
export function kill(c: Child | undefined): void {
  if (!c || c.child.exitCode !== null || c.child.signalCode !== null) return
  try {
    signalGroup(c, 'SIGKILL')
  } catch {
    c.child.kill('SIGKILL')
  }
}
