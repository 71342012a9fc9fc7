/**
 * Start-up and memory: spawn to healthy and idle RSS (goal 4) beside the floors'; RSS
 * through many full flows against the image budget (goal 5); and what abuse leaves behind:
 * 100,000 requests that each name a new tenant, and 50 refused 50 MB JSON bodies, each
 * against the idle baseline of the same process. Only 127.0.0.1, bounded counts and time.
 */
import { request } from 'node:http'
import { accessToken, runFlow } from './flow.js'
import { basic } from './http.js'
import { measure } from './measure.js'
import { DEFAULT_IMAGE_BUDGET, LOAD_FLAGS } from './mock-options.js'
import type { Measure } from './measure.js'
import { rssMb, sleep, spawnServer } from './procs.js'
import { startMock, whenHealthy } from './targets.js'
import type { Target } from './targets.js'

/** Spawn-to-healthy times and idle RSS of `times` starts of one kind of server. */
export interface Startup {
  name: string
  readyMs: number[]
  idleRssMb: number[]
}

/**
 * Starts and stops each kind of server `times` times, in turn (a busier moment of the machine
 * then falls on all of them); each idles a second before its RSS is read.
 */
export async function measureStartup(
  kinds: { name: string; start: () => Promise<Target> }[],
  times: number,
): Promise<Startup[]> {
  const out = kinds.map(({ name }): Startup => ({ name, readyMs: [], idleRssMb: [] }))
  for (let i = 0; i < times; i++) {
    for (const [k, { start }] of kinds.entries()) {
      const target = await start()
      await sleep(1000)
      out[k]?.readyMs.push(target.readyMs)
      out[k]?.idleRssMb.push(rssMb(target.pid))
      await target.stop()
    }
  }
  return out
}

/** The barest server Node can run: node:http answering fixed JSON, nothing imported. */
export async function startBareNode(): Promise<Target> {
  const script =
    "const s=require('node:http').createServer((q,r)=>{q.resume();q.on('end',()=>r.end('{}'))});" +
    "s.listen(0,'127.0.0.1',()=>console.log('ready at http://127.0.0.1:'+s.address().port));" +
    "process.on('SIGTERM',()=>process.exit(0))"
  const proc = await spawnServer(process.execPath, ['-e', script], /ready at (http:\/\/[^\s]+)/)
  return whenHealthy('bare node:http', proc, '/')
}

/** RSS through `flows` full flows on a mock with default options, sampled all along. */
export interface FlowMemory {
  flows: number
  idleRssMb: number
  measure: Measure
  maxImageBytes: number
}

/**
 * `flows` full flows on a mock with the default image budget (not set: the default itself) and
 * the bench's processing delay (bench/mock-options.ts), or on another server that keeps images
 * within the same budget (the floor's least work).
 */
export async function measureFlowMemory(
  flows: number,
  log: (s: string) => void,
  start: () => Promise<Target> = () => startMock('mock', LOAD_FLAGS),
): Promise<FlowMemory> {
  const mock = await start()
  try {
    const idle = rssMb(mock.pid)
    const m = await measure(
      mock.pid,
      { concurrency: 8, seconds: 6 * 3600, maxCount: flows },
      async () => {
        await runFlow(mock.http)
      },
    )
    log(`memory: ${mock.name}, ${String(m.count)} flows, peak RSS ${m.peakRssMb.toFixed(0)} MB`)
    return { flows: m.count, idleRssMb: idle, measure: m, maxImageBytes: DEFAULT_IMAGE_BUDGET }
  } finally {
    await mock.stop()
  }
}

/** RSS before and after some abuse, and what the abuse was answered. */
export interface Abuse {
  what: string
  requests: number
  statuses: Record<string, number>
  idleRssMb: number
  /** A second after the last answer: what is kept plus garbage not yet collected. */
  afterRssMb: number
  /** Once idle: the lowest RSS within 15 s after, when V8 has collected the garbage (absent in
   * figures kept from earlier runs). */
  settledRssMb?: number
  seconds: number
}

/** The idle baseline of a mock that has served its first requests, once they are collected. */
async function warmIdleRss(pid: number): Promise<number> {
  await sleep(1000)
  return rssMb(pid)
}

/**
 * The figures of some abuse that ended now: RSS a second later, then the lowest RSS within 15 s,
 * which tells memory kept (a leak stays) from garbage V8 collects once the process is idle.
 */
async function afterAbuse(
  pid: number,
  abuse: Omit<Abuse, 'afterRssMb' | 'settledRssMb'>,
): Promise<Abuse & { settledRssMb: number }> {
  await sleep(1000)
  const afterRssMb = rssMb(pid)
  let settledRssMb = afterRssMb
  for (let waited = 0; waited < 15_000; waited += 500) {
    await sleep(500)
    settledRssMb = Math.min(settledRssMb, rssMb(pid))
  }
  return { ...abuse, afterRssMb, settledRssMb }
}

/**
 * 100,000 requests, each naming a new tenant in `X-Mock-Tenant`, four kinds in turn: a status read
 * without a token (401), one with a forged token (401), a token request (200) and a status read of
 * an unknown workflow execution with a valid token (404).
 */
export async function measureTenantFlood(count: number): Promise<Abuse> {
  const mock = await startMock('mock', [])
  try {
    const access = await accessToken(mock.http)
    const idle = await warmIdleRss(mock.pid)
    const status = '/api/v1/accounts/acc/workflow-executions/wfe/status'
    const statuses: Record<string, number> = {}
    let n = 0
    const started = performance.now()
    await measure(mock.pid, { concurrency: 8, seconds: 600, maxCount: count }, async () => {
      const i = n++
      const tenant = { 'X-Mock-Tenant': `tenant-${String(i)}` }
      const kinds = [
        () => mock.http.send('GET', status, tenant),
        () => mock.http.send('GET', status, { ...tenant, Authorization: 'Bearer forged.token.x' }),
        () =>
          mock.http.send(
            'POST',
            '/oauth2/token',
            {
              ...tenant,
              Authorization: basic(`client-${String(i)}`, 'secret'),
              'Content-Type': 'application/x-www-form-urlencoded',
            },
            'grant_type=client_credentials',
          ),
        () => mock.http.send('GET', status, { ...tenant, Authorization: `Bearer ${access}` }),
      ]
      const kind = kinds[i % kinds.length]
      if (!kind) return
      const res = await kind()
      statuses[res.status] = (statuses[res.status] ?? 0) + 1
    })
    const seconds = (performance.now() - started) / 1000
    return await afterAbuse(mock.pid, {
      what: 'new tenant each',
      requests: n,
      statuses,
      idleRssMb: idle,
      seconds,
    })
  } finally {
    await mock.stop()
  }
}

/** One oversized JSON body on a connection of its own; resolves with the status (0: none). */
function oversized(base: string, bytes: number, chunked: boolean): Promise<number> {
  const url = new URL('/api/v1/accounts', base)
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Authorization: basic('bench', 'secret'),
    'User-Agent': 'AcmeBank KYC/1.0',
    ...(!chunked && { 'Content-Length': String(bytes) }),
  }
  const piece = Buffer.alloc(1024 * 1024, 0x20)
  piece[0] = 0x7b // a JSON object that never ends
  return new Promise((resolve) => {
    let status = 0
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      status = res.statusCode ?? 0
      res.resume()
      res.on('end', () => req.destroy())
    })
    req.on('error', () => undefined) // the server may close the socket while we still write
    req.on('close', () => {
      resolve(status)
    })
    let sent = 0
    const write = () => {
      while (sent < bytes && !req.destroyed && status === 0) {
        sent += piece.length
        if (!req.write(sent >= bytes ? piece.subarray(0, piece.length - (sent - bytes)) : piece)) {
          req.once('drain', write)
          return
        }
      }
      if (sent >= bytes && !req.destroyed) req.end()
    }
    write()
  })
}

/** 50 JSON bodies of 50 MB (half with a Content-Length, half chunked), four at a time. */
export async function measureOversizedBodies(count: number, mb: number): Promise<Abuse> {
  const mock = await startMock('mock', [])
  try {
    // one of each kind first: the code a first request loads on demand is not what abuse costs
    await oversized(mock.http.base, mb * 1024 * 1024, false)
    await oversized(mock.http.base, mb * 1024 * 1024, true)
    const idle = await warmIdleRss(mock.pid)
    const statuses: Record<string, number> = {}
    const started = performance.now()
    let next = 0
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < count) {
          const i = next++
          const status = await oversized(mock.http.base, mb * 1024 * 1024, i % 2 === 1)
          statuses[status] = (statuses[status] ?? 0) + 1
        }
      }),
    )
    const seconds = (performance.now() - started) / 1000
    return await afterAbuse(mock.pid, {
      what: `${String(mb)} MB JSON bodies`,
      requests: count,
      statuses,
      idleRssMb: idle,
      seconds,
    })
  } finally {
    await mock.stop()
  }
}
