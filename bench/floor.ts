/**
 * The floor: how fast any mock of this shape can answer on this stack. A bare Hono app that does
 * only the least the mock must do, in cumulative levels (argv[2]):
 *
 * - `headers`: one middleware sets the four headers every mock response carries (request id,
 *   `X-Content-Type-Options`, `Referrer-Policy`, `X-Mock-Scenario`);
 * - `journal`: and each exchange is recorded (method, path, status, time, the response's headers
 *   as one string, its body text) in a ring of 1,000;
 * - `work`: and the route does an endpoint's least work. `GET /status`: a remembered access
 *   token and a workflow execution looked up, a status JSON. `POST /accounts`: the JSON body read,
 *   ids drawn, a gzipped HS512 transaction token signed with jose, a JSON answer.
 *
 * No scenarios, tenants, contract validation, policies, auth errors or request log. Prints
 * "floor ready at URL" like the mock's ready line.
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { CompactSign } from 'jose'
import { createSecretKey, randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'

// each level does what the one before does, and more
const LEVELS = ['headers', 'journal', 'work']
const level = LEVELS.indexOf(process.argv[2] ?? '')
if (level < 0) throw new Error(`usage: floor.ts ${LEVELS.join('|')}`)
const key = createSecretKey(Buffer.alloc(64, 7))
// the bearer token the `work` level accepts
const tokens = new Map([['floor-token', { clientId: 'bench', expiresAt: Date.now() + 86_400_000 }]])
const executions = new Map([['wfe', { id: 'wfe', accountId: 'acc', status: 'PROCESSED' }]])
const journal: unknown[] = new Array(1000)
let next = 0

const app = new Hono()
app.use(async (c, proceed) => {
  c.header('X-Request-Id', randomUUID())
  c.header('X-Content-Type-Options', 'nosniff')
  c.header('Referrer-Policy', 'no-referrer')
  c.header('X-Mock-Scenario', 'approved')
  await proceed()
  if (level < 1) return
  const headers: string[] = []
  c.res.headers.forEach((value, name) => headers.push(`${name}: ${value}`))
  journal[next++ % journal.length] = {
    at: Date.now(),
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    headers: headers.join('\n'),
  }
})

app.get('/status', (c) => {
  if (level < 2) return c.json({ ok: true })
  const principal = tokens.get(c.req.header('Authorization')?.slice('Bearer '.length) ?? '')
  const wfe = executions.get('wfe')
  if (!principal || Date.now() > principal.expiresAt || !wfe) return c.json({ message: 'no' }, 401)
  const href = `http://127.0.0.1/api/v1/accounts/${wfe.accountId}`
  return c.json({
    account: { id: wfe.accountId, href },
    workflowExecution: {
      id: wfe.id,
      href: `${href}/workflow-executions/${wfe.id}`,
      definitionKey: '10011',
      status: wfe.status,
    },
  })
})

app.post('/accounts', async (c) => {
  const body = await c.req.json<{ customerInternalReference?: string }>()
  if (level < 2) return c.json({ ok: true })
  const [accId, wfeId] = [randomUUID(), randomUUID()]
  const claims = {
    exAt: String(Date.now() + 1_800_000),
    accId,
    aId: wfeId,
    wfeId,
    cRef: body.customerInternalReference ?? '',
    cId: randomUUID(),
  }
  const token = await new CompactSign(gzipSync(Buffer.from(JSON.stringify(claims))))
    .setProtectedHeader({ alg: 'HS512', zip: 'GZIP' })
    .sign(key)
  const href = `http://127.0.0.1/api/v1/accounts/${accId}`
  return c.json({
    timestamp: new Date().toISOString(),
    account: { id: accId, href },
    workflowExecution: {
      id: wfeId,
      href: `${href}/workflow-executions/${wfeId}`,
      definitionKey: '10011',
      status: 'INITIATED',
      credentials: [{ id: randomUUID(), category: 'ID', api: { token, parts: {} } }],
    },
  })
})

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
  const { port } = server.address() as AddressInfo
  console.log(`floor ready at http://127.0.0.1:${String(port)}`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
