// The API-channel journey with Node and undici's ProxyAgent: the mock as HTTPS_PROXY, trusting
// only its CA (requestTls.ca). token → create (10011) → FRONT, BACK, FACE uploads → finalize →
// status until PROCESSED. Env: HTTPS_PROXY, CA, CLIENT_ID, IMAGES. Prints "status <status>".
/* global process, console, Buffer, Blob */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { FormData, ProxyAgent, fetch } from 'undici'

const dispatcher = new ProxyAgent({
  uri: process.env.HTTPS_PROXY,
  requestTls: { ca: readFileSync(process.env.CA, 'utf8') },
})
const UA = 'AcmeBank KYC/1.0 (undici)'

async function call(method, url, auth, body) {
  const res = await fetch(url, {
    method,
    dispatcher,
    body,
    headers: {
      'User-Agent': UA,
      Authorization: auth,
      ...(typeof body === 'string' && {
        'Content-Type': body.startsWith('{')
          ? 'application/json'
          : 'application/x-www-form-urlencoded',
      }),
    },
  })
  console.error(method, url, res.status)
  if (res.status !== 200) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`)
  return res.json()
}

const basic = `Basic ${Buffer.from(`${process.env.CLIENT_ID}:secret`).toString('base64')}`
const { access_token: token } = await call(
  'POST',
  'https://auth.amer-1.jumio.ai/oauth2/token',
  basic,
  'grant_type=client_credentials',
)
const created = await call(
  'POST',
  'https://account.amer-1.jumio.ai/api/v1/accounts',
  `Bearer ${token}`,
  JSON.stringify({ customerInternalReference: 'https-undici', workflowDefinition: { key: 10011 } }),
)
let api
for (const credential of created.workflowExecution.credentials) {
  if (!credential.api) continue
  api = credential.api
  for (const [part, href] of Object.entries(api.parts)) {
    const form = new FormData()
    const image = readFileSync(join(process.env.IMAGES, `${part}.png`))
    form.set('file', new Blob([image], { type: 'image/png' }), `${part}.png`)
    await call('POST', href, `Bearer ${api.token}`, form)
  }
}
await call('PUT', api.workflowExecution, `Bearer ${api.token}`)
const status = `https://retrieval.amer-1.jumio.ai/api/v1/accounts/${created.account.id}/workflow-executions/${created.workflowExecution.id}/status`
let found
for (let i = 0; i < 50 && found !== 'PROCESSED'; i++) {
  if (i > 0) await sleep(100)
  found = (await call('GET', status, `Bearer ${token}`)).workflowExecution.status
}
await dispatcher.close()
console.log('status', found)
