/**
 * A keep-alive client (Node's http.Agent, one socket) after every early refusal of a body the
 * mock does not read to its end: either the connection stays usable, or the answer says
 * `Connection: close` and the client opens a new one. Never an answer that promises keep-alive
 * on a socket the server then closes ("socket hang up" on the next request), and never a reset
 * that loses the answer.
 */
import { Agent, request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accessToken, createAccount, credentialOf, finalize, txTokenOf } from '../helpers/jumio.js'
import type { Created } from '../helpers/jumio.js'
import { USER_AGENT } from '../helpers/jumio.js'
import { useTestServer } from '../helpers/server.js'

const KB = 1024
const s = useTestServer([
  '--max-upload-bytes',
  String(1000 * KB),
  '--max-body-bytes',
  String(64 * KB),
])
let agent: Agent
let token: string
let created: Created
let other: Created

beforeAll(async () => {
  token = await accessToken(s)
  const body = { customerInternalReference: 'keep-alive', workflowDefinition: { key: 10011 } }
  ;[created, other] = [await createAccount(s, token, body), await createAccount(s, token, body)]
})
afterAll(() => {
  agent.destroy()
})

interface Answer {
  status: number
  connection: string | undefined
  error?: string
}

/** Sends `size` bytes in 64 kB pieces, 10 ms apart (a body that takes a while to arrive). */
function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  size: number,
  chunked = false,
): Promise<Answer> {
  return new Promise((resolve) => {
    const all: Record<string, string> = { 'User-Agent': USER_AGENT, ...headers }
    if (!chunked) all['Content-Length'] = String(size)
    const req = request(s.url + path, { method, headers: all, agent }, (res) => {
      res.resume()
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection })
      })
    })
    req.on('error', (err) => {
      resolve({ status: 0, connection: undefined, error: err.message })
    })
    let sent = 0
    const filler = Buffer.alloc(64 * KB, 0x61)
    // a multipart body starts as a real one: its file part's header, then the file's bytes
    const head = (headers['Content-Type'] ?? '').startsWith('multipart/') ? FILE_HEAD : filler
    const next = () => {
      if (sent >= size || req.destroyed) {
        req.end()
        return
      }
      const piece = sent === 0 ? head : filler
      const part = piece.subarray(0, Math.min(piece.length, size - sent))
      sent += part.length
      req.write(part)
      setTimeout(next, 10)
    }
    next()
  })
}

/** The part path of a credential and its bearer header. */
function partOf(wfe: Created, classifier = 'front') {
  const api = credentialOf(wfe, 'ID').api
  if (!api?.parts[classifier]) throw new Error(`no ${classifier} part`)
  return new URL(api.parts[classifier]).pathname
}

const multipart = { 'Content-Type': 'multipart/form-data; boundary=b' }
const FILE_HEAD = Buffer.from(
  '--b\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n',
)
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` })

describe('a keep-alive client after an early refusal', () => {
  it.each<[string, () => [string, string, Record<string, string>, number, boolean?], number]>([
    [
      'a bad transaction token',
      () => ['POST', partOf(created), { ...multipart, ...bearer('x.y.z') }, 1100 * KB],
      401,
    ],
    [
      "another workflow execution's token",
      () => ['POST', partOf(created), { ...multipart, ...bearer(txTokenOf(other)) }, 1100 * KB],
      403,
    ],
    [
      'an unknown credential',
      () => [
        'POST',
        partOf(created).replace(/credentials\/[^/]+/, 'credentials/nope'),
        { ...multipart, ...bearer(txTokenOf(created)) },
        1100 * KB,
      ],
      404,
    ],
    [
      'a part the credential has not',
      () => [
        'POST',
        partOf(created).replace(/FRONT$/, 'FACE'),
        { ...multipart, ...bearer(txTokenOf(created)) },
        1100 * KB,
      ],
      400,
    ],
    [
      'an image that is not multipart',
      () => [
        'POST',
        partOf(created),
        { 'Content-Type': 'image/png', ...bearer(txTokenOf(created)) },
        900 * KB,
      ],
      400,
    ],
    [
      'a file over --max-upload-bytes, by its Content-Length',
      () => ['POST', partOf(created), { ...multipart, ...bearer(txTokenOf(created)) }, 1200 * KB],
      413,
    ],
    [
      'a file over --max-upload-bytes, chunked',
      () => [
        'POST',
        partOf(created),
        { ...multipart, ...bearer(txTokenOf(created)) },
        1200 * KB,
        true,
      ],
      413,
    ],
    [
      'an account body over --max-body-bytes, by its Content-Length',
      () => [
        'POST',
        '/api/v1/accounts',
        { 'Content-Type': 'application/json', ...bearer(token) },
        1100 * KB,
      ],
      413,
    ],
    [
      'an account body over --max-body-bytes, chunked',
      () => [
        'POST',
        '/api/v1/accounts',
        { 'Content-Type': 'application/json', ...bearer(token) },
        1100 * KB,
        true,
      ],
      413,
    ],
    [
      'a token request over --max-body-bytes',
      () => [
        'POST',
        '/oauth2/token',
        {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${Buffer.from('client-a:secret').toString('base64')}`,
        },
        1100 * KB,
      ],
      413,
    ],
    [
      'an admin body over --max-body-bytes',
      () => [
        'PUT',
        '/__admin/scenarios/active',
        { 'Content-Type': 'application/json' },
        1100 * KB,
        true,
      ],
      413,
    ],
  ])('refused for %s', async (_, args, status) => {
    agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const [method, path, headers, size, chunked] = args()
    const first = await send(method, path, headers, size, chunked)
    expect(first).toMatchObject({ status })
    const next = await send('GET', '/__admin/health', {}, 0)
    expect(next).toEqual({ status: 200, connection: 'keep-alive' })
    agent.destroy()
  })

  it('refused for an upload after finalize', async () => {
    agent = new Agent({ keepAlive: true, maxSockets: 1 })
    await finalize(s, other).expect(200)
    const late = await send(
      'POST',
      partOf(other),
      { ...multipart, ...bearer(txTokenOf(other)) },
      1100 * KB,
    )
    expect(late).toMatchObject({ status: 403 })
    expect(await send('GET', '/__admin/health', {}, 0)).toEqual({
      status: 200,
      connection: 'keep-alive',
    })
    agent.destroy()
  })
})
