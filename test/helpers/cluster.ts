/**
 * Replicas of the built mock sharing one Redis, for the tests of test/cluster: a
 * Debian `redis-server` of the test's own on a free port (never the default instance), started
 * without persistence; N `dist/main.js` processes on it; and a round-robin proxy in front that
 * sends each request to the next replica in turn, as a load balancer does.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createServer, request as httpRequest } from 'node:http'
import type { Server } from 'node:http'
import { createServer as createTcpServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import request from 'supertest'
import { ROOT, kill, ready, spawnCli } from '../cli/process.js'
import type { Child } from '../cli/process.js'
import { builtDist } from './dist.js'
import type { MockHttp } from './server.js'
import { FIXTURES } from './server.js'

/** A free TCP port on the loopback (closed again, so a server can take it). */
export async function freePort(): Promise<number> {
  const server = createTcpServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A redis-server of the test's own. */
export interface TestRedis {
  url: string
  port: number
  /** Stops it (SIGKILL: its data is gone, as after a crash without persistence). */
  stop: () => Promise<void>
  /** Starts it again on the same port. */
  start: () => Promise<void>
  /** Sends it a signal (SIGSTOP: it holds its connections and answers nothing). */
  signal: (signal: NodeJS.Signals) => void
}

/** Starts `redis-server` on a free port, in memory only. */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort()
  let proc: ChildProcess | undefined
  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    proc = child
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    const deadline = Date.now() + 10_000
    while (!out.includes('Ready to accept connections')) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server:\n${out}`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }
  const stop = async () => {
    const child = proc
    // gone already (a SIGKILL leaves no exit code): no exit event will come
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const gone = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await gone
  }
  await start()
  const signal = (sig: NodeJS.Signals) => {
    proc?.kill(sig)
  }
  return { url: `redis://127.0.0.1:${port}/0`, port, stop, start, signal }
}

/** One replica: the built CLI on the shared Redis. */
export interface Replica extends MockHttp {
  process: Child
}

/** The flags every replica gets (as the other process tests'), and the cluster scenarios. */
export const REPLICA_FLAGS = [
  ...['--processing-delay', '0', '--validate-responses', '--callback-timeout', '2s'],
  ...['--scenarios', `${FIXTURES}scenarios.cluster.yaml`, '--log-format', 'json'],
  ...['--log-level', 'warn', '--callback-backoff', '200ms'],
]

/** Starts a replica of the built mock on `redisUrl`. */
export async function startReplica(redisUrl: string, flags: string[] = []): Promise<Replica> {
  await builtDist()
  const child = spawnCli(['--port', '0', '--redis-url', redisUrl, ...REPLICA_FLAGS, ...flags], {
    command: [process.execPath, join(ROOT, 'dist/main.js')],
  })
  try {
    const url = await ready(child, 20_000)
    return { url, http: request(url), process: child }
  } catch (err) {
    kill(child)
    throw err
  }
}

/**
 * The errors a replica logged (a response that broke the contract is one), but for losing Redis:
 * none is expected.
 */
export function loggedErrors(r: Replica): string[] {
  return r.process
    .stderr()
    .split('\n')
    .filter((l) => l.includes('"level":"error"') && !l.includes('redis unreachable'))
}

/** A round-robin load balancer in front of replicas. */
export interface Balancer extends MockHttp {
  /** Which replica answered each request so far, in order. */
  sentTo: number[]
  close: () => Promise<void>
}

/**
 * Sends each request to the next replica in turn. Host is passed on, as the compose recipe's
 * nginx does, so hrefs point back at the balancer. A replica that cannot be reached answers 502;
 * a connection the replica cuts is cut towards the client too (a fault that drops it).
 */
export async function roundRobin(replicas: { url: string }[]): Promise<Balancer> {
  const sentTo: number[] = []
  let next = 0
  const server: Server = createServer((req, res) => {
    const i = next++ % replicas.length
    sentTo.push(i)
    const { hostname, port } = new URL(replicas[i]?.url ?? '')
    // the target as the client sent it: an absolute-form one (a client behind HTTPS_PROXY) too
    const target = { hostname, port, path: req.url, method: req.method, headers: req.headers }
    const out = httpRequest(target, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders)
      answer.pipe(res)
      answer.once('error', () => res.destroy())
      answer.once('aborted', () => res.destroy())
    })
    out.on('error', (err: NodeJS.ErrnoException) => {
      if (res.headersSent || err.code !== 'ECONNREFUSED') {
        res.destroy()
        return
      }
      res.writeHead(502)
      res.end()
    })
    req.pipe(out)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    http: request(url),
    sentTo,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => {
          resolve()
        })
      }),
  }
}

/** Stops replicas with SIGTERM and waits for them. */
export async function stopReplicas(replicas: (Replica | undefined)[]): Promise<void> {
  await Promise.all(
    replicas.map(async (r) => {
      if (!r || r.process.child.exitCode !== null || r.process.child.signalCode !== null) return
      r.process.child.kill('SIGTERM')
      const timer = setTimeout(() => {
        kill(r.process)
      }, 10_000)
      await r.process.exited
      clearTimeout(timer)
    }),
  )
}

/**
 * 100 concurrent status reads of an unknown workflow execution with `token`, sent to `replicas`
 * in turn; their statuses (404 each, unless a fault answered).
 */
export async function hundredReadsAcross(replicas: MockHttp[], token: string): Promise<number[]> {
  const answers = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      (replicas[i % replicas.length] as MockHttp).http
        .get('/api/v1/accounts/nope/workflow-executions/nope')
        .set('Authorization', `Bearer ${token}`)
        .set('User-Agent', 'AcmeBank KYC/1.0'),
    ),
  )
  return answers.map((a) => a.status)
}
