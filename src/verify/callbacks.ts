/**
 * @module Callback contract test of a client's endpoint: the mock sends every terminal
 * status's callback (PROCESSED for each outcome scenario, TOKEN_EXPIRED, SESSION_EXPIRED), a
 * duplicate and an out-of-order pair to the client's URL, through its real callback machinery,
 * and reports per case whether the endpoint answered 2xx in time and whether the client then
 * fetched the workflow's details from the mock, as Jumio's best practice asks (jumio-reference §12.1).
 * It talks to the mock over HTTP only, so it runs against any running instance.
 */
import { samplePng } from '../samples/images.js'
import type { operations } from '../server/contract/admin.gen.js'

/** One case and what happened: the admin contract's shape (POST /__admin/callbacks/verify). */
export type CallbackCaseResult =
  operations['verifyClientCallbacks']['responses'][200]['content']['application/json']['cases'][number]

/** Options of a callback check. */
export interface CallbackCheckOptions {
  mockUrl: string
  clientUrl: string
  /** How long the client has to fetch the details after a callback. */
  fetchWaitMs: number
  /** An answer slower than this is not "in time" (Jumio documents no figure). */
  timeoutMs: number
  adminToken?: string | null
  /** The OAuth2 client id the client's own code uses: the cases are created in its tenant so that its fetches find them. */
  clientId: string
}

interface Case {
  name: string
  wfe: string
  status: string
}
const UA = 'jumio-mock verify-callbacks'
interface Delivery {
  id: string
  workflowExecutionId: string
  status: string
  state: string
  attempts: { responseStatus?: number; durationMs: number; error?: string }[]
}

/** Runs every case and returns one result each. */
export async function checkCallbacks(o: CallbackCheckOptions): Promise<CallbackCaseResult[]> {
  const http = caller(o)
  const { epochMs: since } = (await http('GET', '/__admin/clock')) as { epochMs: number }
  const scenarios = (await http('GET', '/__admin/scenarios')) as { scenarios: { name: string }[] }
  const token = await accessToken(o.mockUrl, o.clientId)
  const cases: Case[] = []
  const outcome = [
    'approved',
    ...scenarios.scenarios
      .map((s) => s.name)
      .filter((n) => /^(approved-|rejected|bad-|watchlist|technical)/.test(n)),
  ]
  for (const name of [...new Set(outcome)]) {
    if (!scenarios.scenarios.some((s) => s.name === name)) continue
    const wfe = await create(o, token, name)
    await http('POST', `/__admin/workflow-executions/${wfe.id}/process`)
    cases.push({ name: `PROCESSED (${name})`, wfe: wfe.id, status: 'PROCESSED' })
  }
  const expired = await create(o, token)
  await http('POST', `/__admin/workflow-executions/${expired.id}/expire`)
  cases.push({ name: 'TOKEN_EXPIRED', wfe: expired.id, status: 'TOKEN_EXPIRED' })
  const session = await create(o, token)
  await uploadFront(session)
  await http('POST', `/__admin/workflow-executions/${session.id}/expire`)
  cases.push({ name: 'SESSION_EXPIRED', wfe: session.id, status: 'SESSION_EXPIRED' })
  const first = await settled(http, cases.length, cases)
  const processed = first.find(
    (d) => d.status === 'PROCESSED' && d.workflowExecutionId === cases[0]?.wfe,
  )
  if (processed) {
    await http('POST', `/__admin/callbacks/${processed.id}/redeliver`)
    cases.push({
      name: 'duplicate PROCESSED',
      wfe: processed.workflowExecutionId,
      status: 'PROCESSED',
    })
    await http('POST', `/__admin/callbacks/${processed.id}/redeliver`, { status: 'ACQUIRED' })
    cases.push({
      name: 'out of order: ACQUIRED after PROCESSED',
      wfe: processed.workflowExecutionId,
      status: 'ACQUIRED',
    })
  }
  const deliveries = await settled(http, cases.length, cases)
  await new Promise((resolve) => setTimeout(resolve, o.fetchWaitMs))
  const journal = (await http('GET', `/__admin/journal?since=${String(since)}&limit=1000`)) as {
    entries: { method: string; path: string; status: number }[]
  }
  const used = new Set<string>()
  return cases.map((c) => {
    const d = deliveries.find(
      (x) => !used.has(x.id) && x.workflowExecutionId === c.wfe && x.status === c.status,
    )
    if (d) used.add(d.id)
    return result(c, d, journal.entries, o.timeoutMs)
  })
}

function result(
  c: Case,
  d: Delivery | undefined,
  journal: { method: string; path: string; status: number }[],
  timeoutMs: number,
): CallbackCaseResult {
  const last = d?.attempts[0]
  const answered = last?.responseStatus ?? null
  const fetched = journal.some(
    (e) =>
      e.method === 'GET' && e.status === 200 && e.path.endsWith(`/workflow-executions/${c.wfe}`),
  )
  return {
    case: c.name,
    workflowExecutionId: c.wfe,
    status: d?.status ?? 'not sent',
    answered,
    durationMs: last?.durationMs ?? null,
    inTime:
      answered !== null &&
      answered >= 200 &&
      answered < 300 &&
      (last?.durationMs ?? Infinity) <= timeoutMs,
    fetchedDetails: fetched,
    ...(last?.error !== undefined && { error: last.error }),
  }
}

type Http = (method: string, path: string, body?: unknown) => Promise<unknown>

function caller(o: CallbackCheckOptions): Http {
  return async (method, path, body) => {
    const headers: Record<string, string> = {
      'X-Mock-Tenant': o.clientId,
      'User-Agent': UA,
      'Content-Type': 'application/json',
    }
    if (o.adminToken) headers['Authorization'] = `Bearer ${o.adminToken}`
    const res = await fetch(`${o.mockUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    })
    if (!res.ok)
      throw new Error(`${method} ${path} answered ${String(res.status)}: ${await res.text()}`)
    return res.status === 204 ? undefined : ((await res.json()) as unknown)
  }
}

async function accessToken(mockUrl: string, clientId: string): Promise<string> {
  const res = await fetch(`${mockUrl}/oauth2/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${clientId}:secret`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      'User-Agent': UA,
    },
    body: 'grant_type=client_credentials',
  })
  return ((await res.json()) as { access_token: string }).access_token
}

interface Created {
  id: string
  front: string
  token: string
}

async function create(o: CallbackCheckOptions, token: string, scenario?: string): Promise<Created> {
  const res = await fetch(`${o.mockUrl}/api/v1/accounts`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      'User-Agent': UA,
      ...(scenario && { 'X-Mock-Scenario': scenario }),
    },
    body: JSON.stringify({
      customerInternalReference: 'callback-check',
      workflowDefinition: { key: 10011 },
      callbackUrl: o.clientUrl,
    }),
  })
  if (!res.ok) throw new Error(`creating a workflow execution answered ${String(res.status)}`)
  const body = (await res.json()) as {
    workflowExecution: {
      id: string
      credentials: { api?: { token: string; parts: Record<string, string> } }[]
    }
  }
  const api = body.workflowExecution.credentials.find((c) => c.api?.parts['front'])?.api
  return {
    id: body.workflowExecution.id,
    front: api?.parts['front'] ?? '',
    token: api?.token ?? '',
  }
}

async function uploadFront(w: Created): Promise<void> {
  const form = new FormData()
  form.append(
    'file',
    new Blob([new Uint8Array(samplePng(1000, 630))], { type: 'image/png' }),
    'front.png',
  )
  await fetch(w.front, {
    method: 'POST',
    headers: { Authorization: `Bearer ${w.token}`, 'User-Agent': UA },
    body: form,
  })
}

/**
 * Waits until `count` deliveries of the cases' workflow executions have finished their first
 * attempt; oldest first. The tenant's other deliveries are left alone (nothing is reset).
 */
async function settled(http: Http, count: number, cases: Case[]): Promise<Delivery[]> {
  const ours = new Set(cases.map((c) => c.wfe))
  const until = Date.now() + 30_000
  for (;;) {
    const all = ((await http('GET', '/__admin/callbacks')) as { callbacks: Delivery[] }).callbacks
    const callbacks = all.filter((d) => ours.has(d.workflowExecutionId))
    const done = callbacks.filter((d) => d.attempts.length > 0)
    if (done.length >= count || Date.now() > until) return callbacks
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
