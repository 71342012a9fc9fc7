/**
 * Requests per second and latency of each measured endpoint, with autocannon in its own process,
 * next to the hello-world ceiling measured in the same run.
 */
import { sampleJpeg } from '../src/samples/images.js'
import type { CannonResult, CannonSpec } from './cannon.js'
import {
  accountBody,
  call,
  create,
  loops,
  flow,
  multipart,
  token,
  uploadAndFinalize,
} from './client.js'
import type { Created } from './client.js'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cannon, cpuSeconds, spawnMock, spawnReady } from './procs.js'

/** One row of the throughput table. */
export interface Row {
  name: string
  method: 'GET' | 'POST' | 'PUT'
  connections: number
  result: CannonResult
  /** Throughput over the ceiling's for the same method and connections; null for the ceiling. */
  ratio: number | null
  /** CPU the server process used per request (all its threads), in microseconds. */
  cpuUs: number
}

/** Runs autocannon against a server process and measures the CPU that process spent. */
async function measured(
  pid: number,
  spec: CannonSpec,
): Promise<{ result: CannonResult; cpuUs: number }> {
  const before = cpuSeconds(pid)
  const result = await cannon(spec)
  return { result, cpuUs: ((cpuSeconds(pid) - before) * 1e6) / Math.max(1, result.total) }
}

type Spec = Omit<CannonSpec, 'connections' | 'seconds'>
const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64')

/** The endpoints under test, built around a live mock: a token, an open and a processed workflow. */
async function endpoints(base: string): Promise<{ name: string; spec: Spec }[]> {
  const access = await token(base)
  const open: Created = await create(base, access)
  const done: Created = await create(base, access)
  await uploadAndFinalize(done)
  await new Promise((r) => setTimeout(r, 1200)) // the default processing delay is 1 s
  const wfe = (c: Created) =>
    `${base}/api/v1/accounts/${c.account.id}/workflow-executions/${c.workflowExecution.id}`
  const api = open.workflowExecution.credentials.find((c) => c.api)?.api
  if (!api?.parts['front']) throw new Error('no front part')
  const jpeg = multipart(sampleJpeg(1200, 800, 1024 * 1024))
  const bearer = { Authorization: `Bearer ${access}` }
  // Reads first: account creation at 50 connections creates thousands of active workflow
  // executions, and the bounded store then evicts the completed one the reads need.
  return [
    { name: 'status read', spec: { url: `${wfe(done)}/status`, method: 'GET', headers: bearer } },
    { name: 'details read', spec: { url: wfe(done), method: 'GET', headers: bearer } },
    {
      name: 'OAuth2 token',
      spec: {
        url: `${base}/oauth2/token`,
        method: 'POST',
        headers: {
          Authorization: `Basic ${b64('bench:secret')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        bodyBase64: b64('grant_type=client_credentials'),
      },
    },
    {
      name: 'account creation',
      spec: {
        url: `${base}/api/v1/accounts`,
        method: 'POST',
        headers: { ...bearer, 'Content-Type': 'application/json' },
        bodyBase64: b64(accountBody()),
      },
    },
    {
      name: 'upload, 1 MB JPEG',
      spec: {
        url: api.parts['front'],
        method: 'POST',
        headers: { Authorization: `Bearer ${api.token}`, 'Content-Type': jpeg.type },
        bodyBase64: b64(jpeg.body),
      },
    },
  ]
}

const ua = { 'User-Agent': 'AcmeBank KYC/1.0' }

/** The hello-world ceiling and every endpoint, at each connection count. */
export async function measureThroughput(seconds: number, conns: number[]): Promise<Row[]> {
  const rows: Row[] = []
  const ceiling = new Map<string, number>()
  const hello = await spawnReady(['--import', 'tsx', 'bench/hello.ts'])
  for (const method of ['GET', 'POST'] as const) {
    for (const connections of conns) {
      const spec: CannonSpec = {
        url: hello.url,
        method,
        headers: { ...ua, 'Content-Type': 'application/json' },
        connections,
        seconds,
      }
      if (method === 'POST') spec.bodyBase64 = b64(accountBody())
      const { result, cpuUs } = await measured(hello.pid, spec)
      ceiling.set(`${method}${String(connections)}`, result.rps)
      rows.push({
        name: `hello-world ${method} (ceiling)`,
        method,
        connections,
        result,
        ratio: null,
        cpuUs,
      })
    }
  }
  await hello.stop()
  const top = (method: string, connections: number) =>
    ceiling.get(`${method === 'GET' ? 'GET' : 'POST'}${String(connections)}`) ?? 0
  rows.push(...(await measureMock([], '', conns, seconds, top)))
  // durable mode: every write an fsync'd SQLite transaction (at 50 connections only)
  const dir = mkdtempSync(join(tmpdir(), 'jumio-mock-bench-'))
  try {
    rows.push(...(await measureMock(['--data-dir', dir], ', --data-dir', [50], seconds, top)))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return rows
}

/** Every endpoint of one mock process started with `flags`, its rows named with `suffix`. */
async function measureMock(
  flags: string[],
  suffix: string,
  conns: number[],
  seconds: number,
  top: (method: string, connections: number) => number,
): Promise<Row[]> {
  const rows: Row[] = []
  const mock = await spawnMock(flags)
  try {
    for (const { name, spec } of await endpoints(mock.url)) {
      for (const connections of conns) {
        const { result, cpuUs } = await measured(mock.pid, {
          ...spec,
          headers: { ...ua, ...spec.headers },
          connections,
          seconds,
        })
        const ceiling = top(spec.method, connections)
        rows.push({
          name: `${name}${suffix}`,
          method: spec.method,
          connections,
          result,
          ratio: ceiling ? result.rps / ceiling : null,
          cpuUs,
        })
      }
    }
  } finally {
    await mock.stop()
  }
  return rows
}

/** The floor's levels (bench/floor.ts), as the report names them. */
export const FLOOR_LEVELS = {
  headers: 'the four headers every response carries',
  journal: '+ a journal record of each exchange',
  work: "+ the endpoint's least work",
} as const

/**
 * The floor (bench/floor.ts) at 50 connections: a status read's and an account creation's least
 * work on a bare Hono app, level by level, each against the ceiling of the same run.
 */
export async function measureFloor(seconds: number, ceiling: Row[]): Promise<Row[]> {
  const top = (method: string) =>
    ceiling.find((r) => r.ratio === null && r.method === method && r.connections === 50)?.result
      .rps ?? 0
  const rows: Row[] = []
  for (const level of Object.keys(FLOOR_LEVELS)) {
    const floor = await spawnReady(['--import', 'tsx', 'bench/floor.ts', level])
    try {
      for (const [method, path, body] of [
        ['GET', '/status', undefined],
        ['POST', '/accounts', b64(accountBody())],
      ] as const) {
        const { result, cpuUs } = await measured(floor.pid, {
          url: `${floor.url}${path}`,
          method,
          headers: {
            ...ua,
            Authorization: 'Bearer floor-token',
            'Content-Type': 'application/json',
          },
          ...(body !== undefined && { bodyBase64: body }),
          connections: 50,
          seconds,
        })
        // a floor that answers errors measures nothing
        if (result.non2xx + result.errors > 0) throw new Error(`floor ${level} ${path} failed`)
        rows.push({
          name: level,
          method,
          connections: 50,
          result,
          ratio: result.rps / top(method),
          cpuUs,
        })
      }
    } finally {
      await floor.stop()
    }
  }
  return rows
}

/** Full flows per second (token reused; create, three uploads, finalize, status, details). */
export async function measureFlows(
  seconds: number,
  concurrency: number[],
): Promise<{ concurrency: number; flowsPerSec: number; failures: number }[]> {
  const out = []
  for (const c of concurrency) {
    const mock = await spawnMock(['--processing-delay', '0'])
    try {
      const access = await token(mock.url)
      let failures = 0
      const end = performance.now() + seconds * 1000
      const started = performance.now()
      const n = await loops(
        c,
        () => performance.now() < end,
        async () => {
          const { statuses } = await flow(mock.url, access)
          if (statuses.some((s) => s !== 200)) failures += 1
        },
      )
      out.push({
        concurrency: c,
        flowsPerSec: n / ((performance.now() - started) / 1000),
        failures,
      })
    } finally {
      await mock.stop()
    }
  }
  return out
}

/** Upload latency at 1 connection for JPEGs of growing size (same declared dimensions). */
export async function measureUploadSizes(
  seconds: number,
  sizes: number[],
): Promise<{ bytes: number; result: CannonResult }[]> {
  const mock = await spawnMock()
  try {
    const access = await token(mock.url)
    const open = await create(mock.url, access)
    const api = open.workflowExecution.credentials.find((c) => c.api)?.api
    if (!api?.parts['front']) throw new Error('no front part')
    const out = []
    for (const bytes of sizes) {
      const m = multipart(sampleJpeg(1200, 800, bytes))
      const check = await call(
        api.parts['front'],
        'POST',
        { Authorization: `Bearer ${api.token}`, 'Content-Type': m.type },
        m.body,
      )
      if (check.status !== 200) throw new Error(`upload ${String(bytes)}: ${check.body}`)
      const result = await cannon({
        url: api.parts['front'],
        method: 'POST',
        headers: { ...ua, Authorization: `Bearer ${api.token}`, 'Content-Type': m.type },
        bodyBase64: b64(m.body),
        connections: 1,
        seconds,
      })
      out.push({ bytes, result })
    }
    return out
  } finally {
    await mock.stop()
  }
}
