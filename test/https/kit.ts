/**
 * What the HTTPS tests share: the shipped bundle, built by `npm run build` in a
 * staging folder of its own (the README test rebuilds `dist/` meanwhile, and a process starting
 * from a half-written bundle would fail for no reason of ours), real `jumio-mock` processes from
 * it, and raw CONNECT tunnels.
 */
import { execFile, spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { connect } from 'node:net'
import type { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect as tlsConnect } from 'node:tls'
import type { TLSSocket } from 'node:tls'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { cleanEnv, ROOT } from '../cli/process.js'

const exec = promisify(execFile)

const STAGED = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'scenarios.yaml']
const STAGED_DIRS = ['src', 'scripts', 'contracts']
/** A stage older than this belongs to no running test. */
const STALE_MS = 3_600_000

/** A digest of everything the build reads: the same sources, the same bundle. */
function sourceDigest(): string {
  const hash = createHash('sha256')
  const add = (path: string) => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) add(join(path, name))
    } else hash.update(path).update(readFileSync(path))
  }
  for (const f of [...STAGED, ...STAGED_DIRS]) add(join(ROOT, f))
  return hash.digest('hex').slice(0, 16)
}

/**
 * Copies what the build reads into a folder under `node_modules/.cache` (so that the bundle
 * finds the installed dependencies, as it would in an install) and runs `npm run build` there,
 * once per version of the sources: test files running at once share it (the first builds, the
 * others wait for its marker). Resolves with the folder; its `dist/main.js` is what ships.
 */
export async function buildStaged(): Promise<string> {
  const cache = join(ROOT, 'node_modules', '.cache')
  const stage = join(cache, `jumio-mock-https-${sourceDigest()}`)
  const done = join(stage, '.built')
  mkdirSync(cache, { recursive: true })
  try {
    mkdirSync(stage)
  } catch {
    // another test file builds it: wait for its marker (a build takes well under 3 minutes)
    for (let i = 0; i < 1800 && !existsSync(done); i++) await sleep(100)
    if (!existsSync(done)) throw new Error(`${stage} was never built`)
    return stage
  }
  // earlier versions' stages, once no run can still be using them
  for (const name of readdirSync(cache).filter((n) => n.startsWith('jumio-mock-https-'))) {
    const old = join(cache, name)
    if (old !== stage && Date.now() - statSync(old).mtimeMs > STALE_MS) {
      rmSync(old, { recursive: true, force: true })
    }
  }
  for (const f of STAGED) cpSync(join(ROOT, f), join(stage, f))
  for (const d of STAGED_DIRS) cpSync(join(ROOT, d), join(stage, d), { recursive: true })
  try {
    await exec('npm', ['run', 'build'], { cwd: stage, env: cleanEnv() })
  } catch (err) {
    rmSync(stage, { recursive: true, force: true })
    throw err
  }
  writeFileSync(done, '')
  return stage
}

/** A running `node dist/main.js` and what it wrote. */
export interface MockProcess {
  url: string
  port: number
  pid: number
  child: ChildProcessWithoutNullStreams
  stdout: () => string
  stderr: () => string
  /** SIGTERM, then resolves with the exit code once it exited. */
  stop: () => Promise<number | null>
}

/** Starts the staged bundle with `args` and resolves once its ready line is out. */
export function startMock(stage: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [join(stage, 'dist', 'main.js'), '--port', '0', ...args], {
    cwd: stage,
    env: cleanEnv(env),
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr.on('data', (c: Buffer) => (err += c.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  return new Promise<MockProcess>((resolve, reject) => {
    const timer = setInterval(() => {
      const url = /jumio-mock ready at (https?:\/\/\S+)/.exec(out)?.[1]
      if (url && child.pid !== undefined) {
        clearInterval(timer)
        const stop = () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
          return exited
        }
        const port = Number(new URL(url).port)
        resolve({ url, port, pid: child.pid, child, stdout: () => out, stderr: () => err, stop })
      } else if (child.exitCode !== null) {
        clearInterval(timer)
        reject(new Error(`the mock exited with ${String(child.exitCode)}:\n${out}\n${err}`))
      }
    }, 20)
  })
}

/** Runs a command to its end and collects its output (never throws on a non-zero exit). */
export function run(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  cwd = ROOT,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(cmd, args, { cwd, env: cleanEnv(env) })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  child.stdin.end()
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => {
      resolve({ code, stdout, stderr })
    })
  })
}

/**
 * Sends `CONNECT target` and resolves with the status, the response so far and the socket: at
 * once on a 200 (the tunnel is open), else once the mock has closed the connection.
 */
export function sendConnect(
  port: number,
  target: string,
): Promise<{ status: number; response: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let response = ''
    let settled = false
    const status = () => Number(/^HTTP\/1\.1 (\d{3})[^]*?\r\n\r\n/.exec(response)?.[1] ?? 0)
    const settle = () => {
      settled = true
      socket.off('data', onData)
      resolve({ status: status(), response, socket })
    }
    const onData = (chunk: Buffer) => {
      response += chunk.toString('latin1')
      if (status() === 200) settle()
    }
    socket.on('data', onData)
    socket.once('end', () => {
      if (!settled) settle()
    })
    socket.once('error', reject)
    socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`)
  })
}

/** A TLS connection to `host` through the mock's CONNECT, with SNI `servername`. */
export async function tunnelTls(
  port: number,
  host: string,
  options: { ca?: string; servername?: string } = {},
): Promise<TLSSocket> {
  const { status, socket } = await sendConnect(port, `${host}:443`)
  if (status !== 200) throw new Error(`CONNECT ${host}: ${String(status)}`)
  return new Promise((resolve, reject) => {
    const secure = tlsConnect({
      socket,
      servername: options.servername ?? host,
      ...(options.ca !== undefined && { ca: options.ca }),
    })
    secure.once('secureConnect', () => {
      resolve(secure)
    })
    secure.once('error', reject)
  })
}

/** One request on a TLS tunnel, `Connection: close`; resolves with the whole response. */
export function requestOver(secure: TLSSocket, host: string, path = '/'): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    secure.on('data', (c: Buffer) => (text += c.toString()))
    secure.once('end', () => {
      secure.destroy()
      resolve(text)
    })
    secure.once('error', reject)
    secure.write(
      `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: AcmeBank KYC/1.0\r\nConnection: close\r\n\r\n`,
    )
  })
}

/** Open file descriptors of a process (Linux): sockets left open show here. */
export function openFds(pid: number): number {
  return readdirSync(`/proc/${String(pid)}/fd`).length
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'))?.[1]
  return Number(kb ?? 0) * 1024
}

/** A temporary folder, and how to remove it. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return {
    dir,
    remove: () => {
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
