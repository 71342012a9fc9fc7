/**
 * Flows per second with 1, 2 and 3 replicas sharing one Redis, behind a round-robin
 * balancer in this process, and where the CPU went: each replica, Redis, and the load generator
 * with its balancer. On a machine with few cores they all share them, so the CPU split says what
 * limits scaling here. A separate section for the bench report: `measureReplicas()`; run alone
 * with `npm run build && node --import tsx bench/replicas.ts`.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { flow, loops, token } from './client.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** One measurement. */
export interface ReplicaRun {
  replicas: number
  flows: number
  flowsPerSecond: number
  /** CPU seconds per second of wall time: 1.0 is one core busy. */
  cpu: { replicas: number[]; redis: number; loadAndBalancer: number }
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return (Number(fields[11]) + Number(fields[12])) / 100
}

function waitFor(child: ChildProcess, stream: 'stdout', pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = ''
    child[stream]?.on('data', (c: Buffer) => {
      out += c.toString()
      const m = pattern.exec(out)
      if (m) resolve(m[1] ?? m[0])
    })
    child.once('exit', () => {
      reject(new Error(`exited before ${String(pattern)}:\n${out}`))
    })
  })
}

/** A round-robin balancer that keeps the Host header, so hrefs come back through it. */
async function balancer(targets: string[]) {
  let next = 0
  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', targets[next++ % targets.length])
    const out = request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    out.on('error', () => res.destroy())
    req.pipe(out)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

/** Measures `seconds` of flows on `concurrency` loops for each replica count. */
export async function measureReplicas(
  options: { counts?: number[]; seconds?: number; concurrency?: number } = {},
): Promise<ReplicaRun[]> {
  const { counts = [1, 2, 3], seconds = 10, concurrency = 24 } = options
  const port = 20_000 + Math.floor(Math.random() * 20_000)
  const redis = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'])
  await waitFor(redis, 'stdout', /Ready to accept connections/)
  const runs: ReplicaRun[] = []
  try {
    for (const n of counts) {
      const mocks = Array.from({ length: n }, () =>
        spawn(process.execPath, [
          join(ROOT, 'dist/main.js'),
          ...['--port', '0', '--redis-url', `redis://127.0.0.1:${port}/0`],
          ...['--processing-delay', '0', '--log-level', 'warn', '--journal-size', '1000'],
        ]),
      )
      try {
        const urls = await Promise.all(
          mocks.map((m) => waitFor(m, 'stdout', /ready at (http:\/\/\S+)/)),
        )
        const lb = await balancer(urls)
        const access = await token(lb.url)
        await flow(lb.url, access) // warm-up
        const pids = mocks.map((m) => m.pid ?? 0)
        const before = [...pids.map(cpuSeconds), cpuSeconds(redis.pid ?? 0)]
        const self = process.cpuUsage()
        const started = performance.now()
        const end = started + seconds * 1000
        const done = await loops(
          concurrency,
          () => performance.now() < end,
          async () => {
            await flow(lb.url, access)
          },
        )
        const wall = (performance.now() - started) / 1000
        const after = [...pids.map(cpuSeconds), cpuSeconds(redis.pid ?? 0)]
        const used = process.cpuUsage(self)
        const share = (i: number) => ((after[i] ?? 0) - (before[i] ?? 0)) / wall
        runs.push({
          replicas: n,
          flows: done,
          flowsPerSecond: Math.round((done / wall) * 10) / 10,
          cpu: {
            replicas: pids.map((_, i) => Math.round(share(i) * 100) / 100),
            redis: Math.round(share(n) * 100) / 100,
            loadAndBalancer: Math.round(((used.user + used.system) / 1e6 / wall) * 100) / 100,
          },
        })
        lb.server.closeAllConnections()
        lb.server.close()
      } finally {
        for (const m of mocks) m.kill('SIGKILL')
      }
      // the next count starts on an empty Redis
      spawn('redis-cli', ['-p', String(port), 'FLUSHALL'])
      await new Promise((r) => setTimeout(r, 500))
    }
  } finally {
    redis.kill('SIGKILL')
  }
  return runs
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await measureReplicas(), null, 2))
}
