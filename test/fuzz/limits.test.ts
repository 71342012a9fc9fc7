/**
 * Bodies too big and senders too slow, against a real process: a 100 MB upload is refused with
 * 413 before it is all sent and without the server's memory growing by it; a client that stalls
 * in its headers or its body is cut off after --request-timeout (server/http-server.ts).
 */
import { request } from 'node:http'
import { connect } from 'node:net'
import type { Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Contract } from '../../src/server/contract/validators.js'
import { rssOf, spawnMock } from './process.js'
import type { MockProcess } from './process.js'

const MB = 1024 * 1024
let mock: MockProcess
let part: { url: URL; token: string }

beforeAll(async () => {
  mock = await spawnMock(['--request-timeout', '1s', '--processing-delay', '0'])
  const ua = { 'User-Agent': 'AcmeBank KYC/1.0' }
  const auth = `Basic ${Buffer.from('client-a:secret').toString('base64')}`
  const tokenRes = await fetch(`${mock.url}/oauth2/token`, {
    method: 'POST',
    headers: { ...ua, Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  })
  const { access_token } = (await tokenRes.json()) as { access_token: string }
  const created = (await (
    await fetch(`${mock.url}/api/v1/accounts`, {
      method: 'POST',
      headers: {
        ...ua,
        Authorization: `Bearer ${access_token}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        customerInternalReference: 'big',
        workflowDefinition: { key: 10011 },
      }),
    })
  ).json()) as {
    workflowExecution: { credentials: { api?: { token: string; parts: Record<string, string> } }[] }
  }
  const api = created.workflowExecution.credentials.find((c) => c.api)?.api
  if (!api?.parts['front']) throw new Error('no front part')
  part = { url: new URL(api.parts['front']), token: api.token }
}, 30_000)
afterAll(() => mock.stop())

/**
 * Sends `head` and then 1 MB pieces, `total` bytes in all, until the answer comes; resolves with
 * its status, how much was sent and its Connection header. Between two pieces the event loop gets
 * a turn: a piece the kernel takes at once (a server discarding as fast as it reads) drains on the
 * same tick, and a loop of those would send everything before it ever saw the answer.
 */
function sendUntilAnswered(
  url: URL,
  method: string,
  headers: Record<string, string>,
  total: number,
  head?: Buffer,
): Promise<{ status: number; sent: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers })
    let sent = 0
    let answered = false
    const chunk = Buffer.alloc(MB, 0x20)
    req.on('response', (res) => {
      answered = true
      res.resume()
      res.on('end', () => {
        req.destroy()
        resolve({ status: res.statusCode ?? 0, sent, connection: res.headers.connection })
      })
    })
    req.on('error', (err) => {
      if (!answered) reject(new Error(`${method} ${url.pathname}: ${err.message}`))
    })
    const pump = () => {
      if (answered) return
      if (sent >= total) return void req.end()
      const piece = sent === 0 && head ? head : chunk
      sent += piece.length
      req.write(piece, () => setImmediate(pump))
    }
    pump()
  })
}

/** Streams `total` bytes of multipart upload: the status and how much was sent. */
function upload(total: number, chunked: boolean) {
  const boundary = 'big'
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff`,
    'latin1',
  )
  const headers: Record<string, string> = {
    Authorization: `Bearer ${part.token}`,
    'User-Agent': 'AcmeBank KYC/1.0',
    'Content-Type': `multipart/form-data; boundary=${boundary}`,
  }
  if (!chunked) headers['Content-Length'] = String(total)
  return sendUntilAnswered(part.url, 'POST', headers, total, head)
}

describe('too big', () => {
  it.each([
    ['with a Content-Length', false],
    ['chunked, without a Content-Length', true],
  ])(
    'a 100 MB upload %s is refused with 413 before it is sent, without buffering it',
    async (_, chunked) => {
      const before = rssOf(mock.pid)
      const { status, sent } = await upload(100 * MB, chunked)
      expect(status).toBe(413)
      expect(sent).toBeLessThan(100 * MB)
      expect(rssOf(mock.pid) - before).toBeLessThan(40 * MB)
      expect((await fetch(`${mock.url}/__admin/health`)).status).toBe(200)
    },
  )
})

const FIRST_READ = new Set(['requestAccessToken', 'createAccount'])

/** Every operation of both contracts, its path parameters filled in. */
const ROUTES = (['jumio', 'admin'] as const).flatMap((name) =>
  [...Contract.load(name).operations.values()].map((op) => ({
    id: op.operationId,
    method: op.method,
    path: op.path.replace(/\{[^}]+\}/g, 'x').replace('/parts/x', '/parts/PREPARED_DATA'),
    type: [...op.requests.keys()][0] ?? 'application/json',
    // these read the body first; the others look up what the path names (or the token) before
    reads: op.requests.size > 0 && (name === 'admin' || FIRST_READ.has(op.operationId)),
  })),
)

/** Declares a 50 MB body of the route's type, sent until answered. */
function oversized(route: (typeof ROUTES)[number], chunked: boolean) {
  const headers: Record<string, string> = {
    'Content-Type': route.type,
    'User-Agent': 'AcmeBank KYC/1.0',
    Authorization: `Basic ${Buffer.from('client-a:secret').toString('base64')}`,
  }
  if (!chunked) headers['Content-Length'] = String(50 * MB)
  return sendUntilAnswered(new URL(route.path, mock.url), route.method, headers, 50 * MB)
}

describe('oversized JSON bodies on every route', () => {
  it('are refused with 413 where the mock reads a body, never buffered, never a 5xx', async () => {
    const before = rssOf(mock.pid)
    for (const route of ROUTES) {
      for (const chunked of [false, true]) {
        const { status, sent, connection } = await oversized(route, chunked)
        expect(status, `${route.method} ${route.path}`).toBeLessThan(500)
        if (route.reads) expect(status, `${route.method} ${route.path}`).toBe(413)
        expect(sent, `${route.method} ${route.path}`).toBeLessThan(50 * MB)
        if (!chunked) expect(connection).toBe('close')
      }
    }
    expect(rssOf(mock.pid) - before).toBeLessThan(40 * MB)
    expect((await fetch(`${mock.url}/__admin/health`)).status).toBe(200)
  })
})

describe('floods of new tenant names', () => {
  it('keep nothing for a tenant that only a header or a client id named, also on 401s', async () => {
    const health = async () =>
      ((await (await fetch(`${mock.url}/__admin/health`)).json()) as { tenants: { count: number } })
        .tenants.count
    const kept = await health()
    expect(kept).toBeTypeOf('number')
    const names = Array.from({ length: 300 }, (_, i) => `flood-${String(i)}`)
    for (let i = 0; i < names.length; i += 50) {
      await Promise.all(
        names.slice(i, i + 50).map(async (name, j) => {
          const ask = [
            // 401: a bad access token
            fetch(`${mock.url}/api/v1/accounts/a/workflow-executions/w/status`, {
              headers: { 'X-Mock-Tenant': name, Authorization: 'Bearer x' },
            }),
            // 404: a good token of a client never seen, naming another new tenant
            fetch(`${mock.url}/api/v1/accounts/a/workflow-executions/w`, {
              headers: { 'X-Mock-Tenant': name, Authorization: `Basic ${btoa(`${name}:s`)}` },
            }),
            // 200: a token for a new client id
            fetch(`${mock.url}/oauth2/token`, {
              method: 'POST',
              headers: {
                Authorization: `Basic ${btoa(`${name}:s`)}`,
                'Content-Type': 'application/x-www-form-urlencoded',
              },
              body: 'grant_type=client_credentials',
            }),
          ][j % 3]
          await (await ask)?.arrayBuffer()
        }),
      )
    }
    expect(await health()).toBe(kept)
  })
})

/** A 408 in the problem shape, as every refused request gets (server/http-server.ts). */
function expectTimeoutAnswer(reply: string): void {
  expect(reply).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/)
  expect(reply).toContain('\r\nContent-Type: application/json\r\n')
  expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4))).toMatchObject({
    title: 'Request Timeout',
    status: 408,
  })
}

/** Opens a connection, sends `text`, then stalls; resolves with what the server did and when. */
function stall(text: string): Promise<{ ms: number; reply: string }> {
  return new Promise((resolve) => {
    const started = Date.now()
    const socket = connect(Number(new URL(mock.url).port), '127.0.0.1', () => socket.write(text))
    let reply = ''
    socket.on('data', (d: Buffer) => (reply += d.toString()))
    socket.on('error', () => undefined)
    socket.on('close', () => {
      resolve({ ms: Date.now() - started, reply })
    })
  })
}

describe('too slow', () => {
  it('a client that never finishes its headers is cut off after the timeout', async () => {
    const { ms, reply } = await stall('POST /oauth2/token HTTP/1.1\r\nHost: x\r\nX-Slow: ')
    expect(ms).toBeGreaterThanOrEqual(900)
    expect(ms).toBeLessThan(5000)
    expectTimeoutAnswer(reply)
  })

  it('a client that never finishes its body is cut off after the timeout', async () => {
    // after the millisecond the test before stamped its 408 in (both read this host's clock)
    const since = Date.now() + 1
    const { ms, reply } = await stall(
      'POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ngrant_type',
    )
    expect(ms).toBeGreaterThanOrEqual(900)
    expect(ms).toBeLessThan(5000)
    expectTimeoutAnswer(reply)
    expect((await fetch(`${mock.url}/__admin/health`)).status).toBe(200)
    // both slow senders are in the journal once each, with the cause; the one whose headers
    // arrived with its request line (found by a probe: '-', and a 400 its route never sent)
    const read = async (query: string) =>
      (
        (await (await fetch(`${mock.url}/__admin/journal?${query}`)).json()) as {
          entries: { path: string; status: number; violations: { message: string }[] }[]
        }
      ).entries
    expect((await read('status=408')).map((e) => e.path)).toEqual(['-', '/oauth2/token'])
    const slow = await read(`since=${String(since)}`)
    expect(slow.map((e) => [e.status, e.path])).toEqual([[408, '/oauth2/token']])
    expect(slow[0]?.violations[0]).toMatchObject({
      code: 'HTTP_PROTOCOL_ERROR',
      message: expect.stringContaining('--request-timeout') as unknown,
    })
  })
})

describe('too many connections', () => {
  it('closes connections past --max-connections as they arrive, and takes new ones once some close', async () => {
    const capped = await spawnMock(['--max-connections', '3'])
    const port = Number(new URL(capped.url).port)
    /** Opens a connection, sends one keep-alive request, resolves with what came back. */
    const open = () =>
      new Promise<{ socket: Socket; reply: string }>((resolve) => {
        const socket = connect(port, '127.0.0.1', () =>
          socket.write('GET /__admin/health HTTP/1.1\r\nHost: x\r\n\r\n'),
        )
        let reply = ''
        socket.on('error', () => undefined)
        socket.on('data', (d: Buffer) => {
          reply += d.toString()
          if (reply.includes('\r\n\r\n')) resolve({ socket, reply })
        })
        socket.on('close', () => {
          resolve({ socket, reply })
        })
      })
    try {
      const held = [await open(), await open(), await open()]
      expect(held.map((h) => h.reply.split('\r\n')[0])).toEqual(Array(3).fill('HTTP/1.1 200 OK'))
      const refused = await open()
      expect(refused.reply).toBe('')
      expect(refused.socket.destroyed).toBe(true)
      held[0]?.socket.destroy()
      // the mock counts it out once it has handled its close, which a loaded machine delays
      let next = await open()
      for (const deadline = Date.now() + 5000; !next.reply && Date.now() < deadline;) {
        await new Promise((r) => setTimeout(r, 20))
        next = await open()
      }
      expect(next.reply.split('\r\n')[0]).toBe('HTTP/1.1 200 OK')
      for (const h of [...held, next]) h.socket.destroy()
    } finally {
      await capped.stop()
    }
  })
})
