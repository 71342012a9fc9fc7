/**
 * Profiles the built mock under load: `node --import tsx bench/profile.ts <case> [seconds]
 * [log level]` runs autocannon (50 connections) or 8 flow loops against `node --cpu-prof
 * dist/main.js` and writes the server's V8 CPU profile to /tmp/jumio-mock-prof (open it in
 * Chrome DevTools). Cases: status, create, token, upload (1 MB JPEG), unauthorized (a status read
 * without a token: the error path), flow. The log level is `error` unless given (`info` is the
 * serve command's default, and what `npm run bench` measures).
 */
import type { CannonSpec } from './cannon.js'
import { sampleJpeg } from '../src/samples/images.js'
import { accountBody, create, flow, loops, multipart, token, uploadAndFinalize } from './client.js'
import { cannon, cpuSeconds, spawnMock } from './procs.js'

const which = process.argv[2] ?? 'status'
const seconds = Number(process.argv[3] ?? 5)
const dir = '/tmp/jumio-mock-prof'
const proc = await spawnMock(
  ['--log-level', process.argv[4] ?? 'error', '--watch=false'],
  ['--cpu-prof', `--cpu-prof-dir=${dir}`],
)
const base = proc.url
const access = await token(base)
const bearer = { Authorization: `Bearer ${access}` }
const done = await create(base, access)
await uploadAndFinalize(done)
await new Promise((r) => setTimeout(r, 1200)) // the default processing delay is 1 s
const status = `${base}/api/v1/accounts/${done.account.id}/workflow-executions/${done.workflowExecution.id}/status`

const api = (await create(base, access)).workflowExecution.credentials.find((c) => c.api)?.api
const jpeg = multipart(sampleJpeg(1200, 800, 1024 * 1024))

const specs: Record<string, Omit<CannonSpec, 'connections' | 'seconds'>> = {
  upload: {
    url: api?.parts['front'] ?? '',
    method: 'POST',
    headers: { Authorization: `Bearer ${api?.token ?? ''}`, 'Content-Type': jpeg.type },
    bodyBase64: jpeg.body.toString('base64'),
  },
  status: { url: status, method: 'GET', headers: bearer },
  unauthorized: { url: status, method: 'GET', headers: {} },
  create: {
    url: `${base}/api/v1/accounts`,
    method: 'POST',
    headers: { ...bearer, 'Content-Type': 'application/json' },
    bodyBase64: Buffer.from(accountBody()).toString('base64'),
  },
  token: {
    url: `${base}/oauth2/token`,
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from('bench:secret').toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    bodyBase64: Buffer.from('grant_type=client_credentials').toString('base64'),
  },
}

const cpu0 = cpuSeconds(proc.pid)
let requests: number
if (which === 'flow') {
  const end = Date.now() + seconds * 1000
  const flows = await loops(
    8,
    () => Date.now() < end,
    async () => {
      await flow(base, access)
    },
  )
  requests = flows * 7
  console.log(`${String(flows / seconds)} flows/s`)
} else {
  const spec = specs[which]
  if (!spec) throw new Error(`unknown case ${which}; one of flow, ${Object.keys(specs).join(', ')}`)
  const result = await cannon({ ...spec, connections: 50, seconds })
  requests = result.total
  console.log(`${String(Math.round(result.rps))} requests/s, ${String(result.non2xx)} non-2xx`)
}
const cpu = cpuSeconds(proc.pid) - cpu0
console.log(`server CPU ${String(Math.round((cpu * 1e6) / requests))} µs per request`)
await proc.stop()
console.log(`profile written to ${dir}`)
