/**
 * Single operations (goal 3): each request of a client's life on its own, repeated by
 * 8 concurrent loops, on the mock and on WireMock's static stubs, in alternation, three rounds.
 * The same requests on both: WireMock's stubs answer any ids, so the paths are the mock's.
 * Finalize can only happen once per workflow execution: each round finalizes a fixed number of
 * workflow executions created beforehand (the mock finalizes one without parts, as Jumio does).
 */
import {
  PHOTOS,
  TOKEN_REQUEST,
  accessToken,
  createAccount,
  multipart,
  runFlow,
  untilProcessed,
} from './flow.js'
import type { FlowPlan } from './flow.js'
import { ACCOUNT_REQUEST } from './flow.js'
import type { HttpClient } from './http.js'
import { measure } from './measure.js'
import type { Measure } from './measure.js'
import type { Target } from './targets.js'

/** The operations measured, in the order of a flow. */
export const OPERATIONS = [
  'token',
  'create',
  'upload, 1 MiB JPEG',
  'finalize',
  'status',
  'details',
  'image GET, 1 MiB',
] as const
export type Operation = (typeof OPERATIONS)[number]

/** Finalizes per round. */
const FINALIZES = 400

/** What each operation's request is, around a live mock: an open and a processed workflow execution. */
interface Fixture {
  access: string
  open: FlowPlan
  done: FlowPlan
}

async function prepare(http: HttpClient): Promise<Fixture> {
  const access = await accessToken(http)
  const open = await createAccount(http, access)
  const done = await runFlow(http)
  await untilProcessed(http, done, access) // then with its details and images
  return { access, open, done }
}

const front = multipart(PHOTOS.FRONT, 'front.jpg')

/** One request of `op`; `pool` holds the workflow executions left to finalize. */
function request(
  http: HttpClient,
  op: Operation,
  f: Fixture,
  pool: FlowPlan[],
): () => Promise<void> {
  const bearer = { Authorization: `Bearer ${f.access}` }
  const ok = (what: string) => (res: { status: number; body: string }) => {
    if (res.status !== 200)
      throw new Error(`${what}: ${String(res.status)} ${res.body.slice(0, 200)}`)
  }
  const upload = f.open.uploads.find((u) => u.classifier === 'FRONT')?.path ?? ''
  const calls: Record<Operation, () => Promise<unknown>> = {
    token: () =>
      http
        .send('POST', '/oauth2/token', TOKEN_REQUEST.headers, TOKEN_REQUEST.body)
        .then(ok('token')),
    create: () =>
      http
        .send(
          'POST',
          '/api/v1/accounts',
          { ...bearer, 'Content-Type': 'application/json' },
          ACCOUNT_REQUEST,
        )
        .then(ok('create')),
    'upload, 1 MiB JPEG': () =>
      http
        .send(
          'POST',
          upload,
          { Authorization: `Bearer ${f.open.token}`, 'Content-Type': front.type },
          front.body,
        )
        .then(ok('upload')),
    finalize: () => {
      const plan = pool.pop()
      if (!plan) throw new Error('finalize: the pool is empty')
      return http
        .send('PUT', plan.finalize, { Authorization: `Bearer ${plan.token}` })
        .then(ok('finalize'))
    },
    status: () => http.send('GET', f.done.status, bearer).then(ok('status')),
    details: () => http.send('GET', f.done.details, bearer).then(ok('details')),
    'image GET, 1 MiB': () =>
      http.send('GET', f.done.image, bearer, undefined, false).then((res) => {
        if (res.status !== 200 || res.bytes !== PHOTOS.FRONT.length)
          throw new Error(`image: ${String(res.status)}`)
      }),
  }
  const call = calls[op]
  return async () => {
    await call()
  }
}

/** Each operation's measurements, per target name, round by round. */
export type OpResults = Record<string, Partial<Record<Operation, Measure[]>>>

/**
 * Measures every operation on the mock, on `others` (static stubs that answer any ids: the mock's
 * fixture serves them) and on `floors` (servers with state of their own, each with its own
 * fixture, no admin API), alternating, `rounds` times `seconds` each.
 */
export async function measureOperations(
  mock: Target,
  others: Target[],
  rounds: number,
  seconds: number,
  log: (line: string) => void,
  floors: Target[] = [],
): Promise<OpResults> {
  const fixture = await prepare(mock.http)
  const own = new Map<Target, Fixture>()
  for (const f of floors) own.set(f, await prepare(f.http))
  const fixtureOf = (t: Target) => own.get(t) ?? fixture
  const stateful = (t: Target) => t === mock || own.has(t)
  const targets = [mock, ...others, ...floors]
  const out: OpResults = Object.fromEntries(targets.map((t) => [t.name, {}]))
  for (const t of targets) {
    // warm up (the JVM compiles its hot paths in the first seconds)
    for (const op of OPERATIONS.filter((o) => o !== 'finalize')) {
      await measure(t.pid, { concurrency: 8, seconds: 1 }, request(t.http, op, fixtureOf(t), []))
    }
  }
  for (let round = 0; round < rounds; round++) {
    for (const op of OPERATIONS) {
      if (op === 'status') {
        // The creations before left thousands of INITIATED workflow executions, which are never
        // evicted: past the default bound of 2,000 every completed one, this fixture's too, goes
        // at the next write. Start the reads from a clean store (and the next round's uploads).
        const reset = await mock.http.send('POST', '/__admin/reset')
        if (reset.status !== 204) throw new Error(`reset: ${String(reset.status)}`)
        Object.assign(fixture, await prepare(mock.http))
      }
      for (const t of targets) {
        const pool: FlowPlan[] = []
        // a floor remembers the last 10,000 tokens of each kind it issued: the token and create
        // rounds push its fixture's out, so each operation starts on a fresh fixture
        if (own.has(t)) own.set(t, await prepare(t.http))
        const f = fixtureOf(t)
        // a mock finalizes each workflow execution once; WireMock's stub answers any path
        for (let i = 0; op === 'finalize' && i < FINALIZES; i++) {
          pool.push(stateful(t) ? await createAccount(t.http, f.access) : f.open)
        }
        const load = { concurrency: 8, seconds, ...(op === 'finalize' && { maxCount: FINALIZES }) }
        const m = await measure(t.pid, load, request(t.http, op, f, pool))
        ;(out[t.name] ??= {})[op] = [...(out[t.name]?.[op] ?? []), m]
        if (m.failed) log(`${t.name} ${op}: ${String(m.failed)} failed (${m.error ?? ''})`)
      }
    }
    log(`operations: round ${String(round + 1)} of ${String(rounds)}`)
  }
  return out
}
