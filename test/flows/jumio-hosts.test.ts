/**
 * A client that reaches the mock under Jumio's own host names, as through HTTPS_PROXY with an
 * HTTP client that sends absolute-form targets (axios does): every request goes to the mock's
 * port with the full `https://<host>/…` URL as its target. It calls only the hosts Jumio
 * documents and then follows only the hrefs the mock returns; the journal must find nothing
 * wrong with it, in every region and on the pre-production domain.
 */
import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { samplePng } from '../../src/samples/images.js'
import type { Created } from '../helpers/jumio.js'
import { USER_AGENT } from '../helpers/jumio.js'
import { admin } from '../helpers/flow.js'
import { useHttpMock } from '../helpers/http-mock.js'

const s = useHttpMock()

interface Answer {
  status: number
  body: unknown
}

/** Sends a request with an absolute-form target to the mock, as a proxy client does. */
async function viaProxy(
  target: string,
  init: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<Answer> {
  const { port } = new URL(s.url)
  const headers = { 'User-Agent': USER_AGENT, Host: new URL(target).host, ...init.headers }
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      method: init.method ?? 'GET',
      path: target,
      headers,
    })
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString()
        const json = (res.headers['content-type'] ?? '').includes('json') && text !== ''
        resolve({ status: res.statusCode ?? 0, body: json ? (JSON.parse(text) as unknown) : text })
      })
    })
    req.on('error', reject)
    req.end(init.body)
  })
}

/** A multipart body with one image in the field "file". */
async function multipart(bytes: Buffer): Promise<{ body: Buffer; type: string }> {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'image.png')
  const encoded = new Request('http://form.invalid/', { method: 'POST', body: form })
  return {
    body: Buffer.from(await encoded.arrayBuffer()),
    type: encoded.headers.get('content-type') ?? '',
  }
}

/** Every string in a JSON value that looks like an absolute URL. */
function hrefsIn(value: unknown): string[] {
  if (typeof value === 'string') return /^https?:\/\//.test(value) ? [value] : []
  if (Array.isArray(value)) return value.flatMap(hrefsIn)
  if (value && typeof value === 'object') return Object.values(value).flatMap(hrefsIn)
  return []
}

const IMAGES: Record<string, Buffer> = {
  front: samplePng(1000, 630),
  back: samplePng(1000, 630),
  face: samplePng(480, 640),
}

describe("a client under Jumio's host names, following the mock's hrefs", () => {
  it.each([
    ['amer-1', 'jumio.ai'],
    ['emea-1', 'jumio.ai'],
    ['apac-1', 'jumio.ai'],
    ['amer-1', 'jumiopp.link'],
  ])('runs a whole flow in %s on %s with no violation', async (region, domain) => {
    const host = (family: string) => `https://${family}.${region}.${domain}`
    const client = `hosts-${region}-${domain}`
    const basic = `Basic ${Buffer.from(`${client}:secret`).toString('base64')}`
    const token = await viaProxy(`${host('auth')}/oauth2/token`, {
      method: 'POST',
      headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    })
    const bearer = {
      Authorization: `Bearer ${(token.body as { access_token: string }).access_token}`,
    }
    const create = await viaProxy(`${host('account')}/api/v1/accounts`, {
      method: 'POST',
      headers: { ...bearer, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        customerInternalReference: 'hosts',
        workflowDefinition: { key: 10011 },
      }),
    })
    expect(create.status).toBe(200)
    const created = create.body as Created
    // uploads and finalize on api., the web client on <prefix>.web.
    const apis = created.workflowExecution.credentials.flatMap((c) => (c.api ? [c.api] : []))
    for (const href of apis.flatMap((a) => [...Object.values(a.parts), a.workflowExecution])) {
      expect(href.startsWith(`${host('api')}/`), href).toBe(true)
    }
    expect(created.web?.href).toMatch(
      new RegExp(
        `^https://[a-z0-9-]+\\.web\\.${region}\\.${domain.replace('.', '\\.')}/web/v4/app\\?`,
      ),
    )

    for (const credential of created.workflowExecution.credentials) {
      for (const [classifier, href] of Object.entries(credential.api?.parts ?? {})) {
        const file = await multipart(IMAGES[classifier] ?? IMAGES['front'] ?? Buffer.alloc(0))
        const upload = await viaProxy(href, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${credential.api?.token ?? ''}`,
            'Content-Type': file.type,
          },
          body: file.body,
        })
        expect(upload.status, href).toBe(200)
        for (const next of hrefsIn(upload.body))
          expect(next.startsWith(`${host('api')}/`), next).toBe(true)
      }
    }
    const api = created.workflowExecution.credentials.find((c) => c.api)?.api
    const finalized = await viaProxy(api?.workflowExecution ?? '', {
      method: 'PUT',
      headers: { Authorization: `Bearer ${api?.token ?? ''}` },
    })
    expect(finalized.status).toBe(200)

    // the status URL is built from the retrieval host, as Jumio documents; the rest is followed
    const wfe = `${host('retrieval')}/api/v1/accounts/${created.account.id}/workflow-executions/${created.workflowExecution.id}`
    const status = await viaProxy(`${wfe}/status`, { headers: bearer })
    expect(status.status).toBe(200)
    const followed = new Set<string>()
    const queue = hrefsIn(status.body)
    // account.href names the account: Jumio documents no GET on it (docs/fidelity.md)
    const account = `${host('retrieval')}/api/v1/accounts/${created.account.id}`
    while (queue.length > 0) {
      const href = queue.shift() ?? ''
      if (followed.has(href)) continue
      followed.add(href)
      expect(href.startsWith(`${host('retrieval')}/`), href).toBe(true)
      if (href === account) continue
      const got = await viaProxy(href, { headers: bearer })
      expect(got.status, href).toBe(200)
      queue.push(...hrefsIn(got.body))
    }
    expect(followed.size).toBeGreaterThan(3)
    expect(
      (
        await viaProxy(`${host('retrieval')}/api/v1/accounts/${created.account.id}`, {
          method: 'DELETE',
          headers: bearer,
        })
      ).status,
    ).toBe(200)

    const journal = (await admin(s, 'get', `/journal?limit=1000`, undefined, client).expect(200))
      .body as {
      entries: { path: string; hostFamily: string; violations: { code: string }[] }[]
    }
    expect(journal.entries.length).toBeGreaterThan(8)
    expect(journal.entries.flatMap((e) => e.violations.map((v) => `${e.path}: ${v.code}`))).toEqual(
      [],
    )
    expect(new Set(journal.entries.map((e) => e.hostFamily))).toEqual(
      new Set(['auth', 'account', 'api', 'retrieval']),
    )
  })
})
