/**
 * Requests Node's HTTP parser refuses before any route sees them are answered in Jumio's problem
 * shape with the headers every answer carries, and journalled with an HTTP_PROTOCOL_ERROR
 * violation that names the likely cause (before, Node answered a bare status line and the journal
 * showed nothing). Dot segments in a path are resolved before routing, as URL resolution does.
 */
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { admin } from '../helpers/flow.js'
import { accessToken, createAccount, USER_AGENT } from '../helpers/jumio.js'
import { startTestServer, useTestServer } from '../helpers/server.js'

const s = useTestServer()
const BODY = { customerInternalReference: 'protocol', workflowDefinition: { key: 10011 } }
afterEach(async () => {
  await admin(s, 'post', '/reset').expect(204)
})

/** Writes `text` to `base`'s server in one write; resolves with all the server sent. */
function raw(text: string, base = s.url): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(base).port), '127.0.0.1', () => socket.write(text))
    let reply = ''
    socket.on('data', (d: Buffer) => (reply += d.toString('latin1')))
    socket.on('error', reject)
    socket.on('close', () => {
      resolve(reply)
    })
  })
}

/** Status, headers (lower-case names) and JSON body of a raw HTTP/1.1 answer. */
function parse(reply: string): { status: number; headers: Record<string, string>; body: unknown } {
  const [head = '', body = ''] = reply.split('\r\n\r\n')
  const [line = '', ...fields] = head.split('\r\n')
  const headers = Object.fromEntries(
    fields.map((f) => [f.slice(0, f.indexOf(':')).toLowerCase(), f.slice(f.indexOf(':') + 2)]),
  )
  return { status: Number(line.split(' ')[1]), headers, body: JSON.parse(body) as unknown }
}

interface Entry {
  method: string
  path: string
  status: number
  violations: { code: string; message: string; section: string }[]
}

async function refused(): Promise<Entry[]> {
  const page = (await admin(s, 'get', '/journal?hasViolations=true&limit=100').expect(200))
    .body as { entries: Entry[] }
  return page.entries.filter((e) => e.violations.some((v) => v.code === 'HTTP_PROTOCOL_ERROR'))
}

describe('requests that are not valid HTTP/1.1', () => {
  it('a DELETE whose body has no Content-Length: 400 in the problem shape, journalled with the cause', async () => {
    const token = await accessToken(s)
    const { account } = await createAccount(s, token, BODY)
    const reply = parse(
      await raw(
        [
          `DELETE /api/v1/accounts/${account.id} HTTP/1.1`,
          'Host: 127.0.0.1',
          `Authorization: Bearer ${token}`,
          `User-Agent: ${USER_AGENT}`,
          'Content-Type: application/json',
          '',
          '{"reason":"gdpr"}',
        ].join('\r\n'),
      ),
    )
    expect(reply.status).toBe(400)
    expect(reply.body).toEqual({
      title: 'Bad Request',
      status: 400,
      detail: expect.stringContaining('HPE_INVALID_METHOD') as unknown,
    })
    expect(reply.headers).toMatchObject({
      'content-type': 'application/json',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      connection: 'close',
    })
    expect(reply.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(reply.headers['x-mock-violations']).toMatch(/^1; HTTP_PROTOCOL_ERROR: /)
    const [entry] = await refused()
    expect(entry).toMatchObject({ method: 'DELETE', status: 400 })
    expect(entry?.path).toBe(`/api/v1/accounts/${account.id}`)
    expect(entry?.violations[0]?.message).toMatch(/without Content-Length or Transfer-Encoding/)
    expect(entry?.violations[0]?.section).toBe('RFC 9112')
    await admin(s, 'get', '/health').expect(200)
  })

  it('headers over 16 kB: 431 in the problem shape, journalled', async () => {
    const reply = parse(
      await raw(`GET /api/v1/accounts HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
    )
    expect(reply.status).toBe(431)
    expect(reply.body).toMatchObject({ title: 'Request Header Fields Too Large', status: 431 })
    const [entry] = await refused()
    expect(entry).toMatchObject({ method: 'GET', path: '/api/v1/accounts', status: 431 })
    expect(entry?.violations[0]?.message).toMatch(/16 kB/)
  })

  it('bytes that are no request at all: 400, journalled without a method or path', async () => {
    const reply = parse(await raw('\u0016\u0003\u0001 hello?\r\n\r\n'))
    expect(reply.status).toBe(400)
    const [entry] = await refused()
    expect(entry).toMatchObject({ method: '-', path: '-', status: 400 })
    await admin(s, 'get', '/health').expect(200)
  })

  it.each([
    ['no Host', 'GET /api/v1/accounts HTTP/1.1\r\n', 'GET', '/api/v1/accounts', 'requires a Host'],
    ['a bad Host', 'GET /x HTTP/1.1\r\nHost: x:99999\r\n', 'GET', '/x', 'do not make a URL'],
    ['a backslash', 'GET /a\\b HTTP/1.1\r\nHost: x\r\n', 'GET', '/a\\b', 'backslash'],
    ['OPTIONS *', 'OPTIONS * HTTP/1.1\r\nHost: x\r\n', 'OPTIONS', '*', 'do not make a URL'],
    ['two Hosts', 'GET /x HTTP/1.1\r\nHost: a\r\nhost: b\r\n', 'GET', '/x', 'more than one Host'],
  ])(
    'a request with %s: 400 in the problem shape, journalled',
    async (_, head, method, path, why) => {
      const reply = parse(await raw(`${head}Connection: close\r\n\r\n`))
      expect(reply.status).toBe(400)
      expect(reply.body).toMatchObject({ title: 'Bad Request', status: 400 })
      expect(reply.headers).toMatchObject({
        'content-type': 'application/json',
        'x-content-type-options': 'nosniff',
      })
      const entry = (await refused()).at(-1)
      expect(entry).toMatchObject({ method, path, status: 400 })
      expect(entry?.violations[0]?.message).toContain(why)
    },
  )

  it('an Expect other than 100-continue: 417 in the problem shape, journalled', async () => {
    const reply = parse(
      await raw(
        'GET /api/v1/accounts HTTP/1.1\r\nHost: x\r\nExpect: foo\r\nConnection: close\r\n\r\n',
      ),
    )
    expect(reply.status).toBe(417)
    expect(reply.body).toMatchObject({ title: 'Expectation Failed', status: 417 })
    expect(reply.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    const entry = (await refused()).at(-1)
    expect(entry).toMatchObject({ method: 'GET', path: '/api/v1/accounts', status: 417 })
    expect(entry?.violations[0]?.message).toContain('100-continue')
  })

  it('a method Node does not read, pipelined after a request: the cause names it', async () => {
    const reply = await raw(
      'GET / HTTP/1.1\r\nHost: x\r\n\r\nFOO /api/v1/accounts HTTP/1.1\r\nHost: x\r\n\r\n',
    )
    // the parser's refusal closes the connection, whatever became of the GET's answer
    expect(reply.match(/^HTTP\/1\.1 \d+/gm)?.at(-1)).toBe('HTTP/1.1 400')
    const entry = (await refused()).at(-1)
    expect(entry).toMatchObject({ method: 'FOO', path: '/api/v1/accounts', status: 400 })
    expect(entry?.violations[0]?.message).toContain('the method FOO is not one')
  })

  it.each(['FOO', 'get'])(
    'a method Node does not read (%s): 400, journalled with the method as the cause',
    async (method) => {
      const reply = parse(await raw(`${method} /api/v1/accounts HTTP/1.1\r\nHost: x\r\n\r\n`))
      expect(reply.status).toBe(400)
      const entry = (await refused()).at(-1)
      expect(entry).toMatchObject({ method, path: '/api/v1/accounts', status: 400 })
      expect(entry?.violations[0]?.message).toContain(`the method ${method} is not one`)
    },
  )

  it('is answered on a keep-alive connection that already carried an answer', async () => {
    // regression: only a connection with nothing written yet got the 400 (review)
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(s.url).port), '127.0.0.1', () =>
        socket.write('GET /__admin/health HTTP/1.1\r\nHost: x\r\n\r\n'),
      )
      let text = ''
      let sent = false
      socket.on('data', (d: Buffer) => {
        text += d.toString('latin1')
        // the first answer is complete: now the garbage, on the same connection
        if (!sent && text.startsWith('HTTP/1.1 200') && text.endsWith('}')) {
          sent = true
          socket.write('GARBAGE / HTTP/1.1\r\nHost: x\r\n\r\n')
        }
      })
      socket.on('error', reject)
      socket.on('close', () => {
        resolve(text)
      })
    })
    expect(reply).toMatch(/^HTTP\/1\.1 200[\s\S]*\}HTTP\/1\.1 400 Bad Request/)
  })

  it('a client that half-closes in the middle of its body is no protocol error', async () => {
    // regression: journalled as HPE_INVALID_EOF_STATE with a misleading cause (review)
    await new Promise<void>((resolve) => {
      const socket = connect(Number(new URL(s.url).port), '127.0.0.1', () => {
        socket.end(
          'POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant',
        )
      })
      socket.on('error', () => undefined)
      socket.on('close', () => {
        resolve()
      })
      socket.resume()
    })
    expect(await refused()).toEqual([])
  })

  it('a refused DELETE deletes nothing', async () => {
    const token = await accessToken(s)
    const { account } = await createAccount(s, token, BODY)
    const reply = parse(
      await raw(
        `DELETE /api/v1/accounts/${account.id} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nBad Header\r\n\r\n`,
      ),
    )
    expect(reply.status).toBe(400)
    const wfes = (await admin(s, 'get', '/workflow-executions').expect(200)).body as {
      workflowExecutions: unknown[]
    }
    expect(wfes.workflowExecutions).toHaveLength(1)
  })
})

describe('dot segments in a path', () => {
  it('are resolved before routing (RFC 3986 §5.2.4), never taken for an id', async () => {
    const token = await accessToken(s)
    const { account, workflowExecution } = await createAccount(s, token, BODY)
    const auth = `Authorization: Bearer ${token}\r\nUser-Agent: ${USER_AGENT}\r\nHost: x`
    // /api/v1/accounts/../workflow-executions/{id} is /api/v1/workflow-executions/{id}
    const viaDots = parse(
      await raw(
        `GET /api/v1/accounts/../workflow-executions/${workflowExecution.id} HTTP/1.1\r\n${auth}\r\nConnection: close\r\n\r\n`,
      ),
    )
    expect(viaDots.status).toBe(200)
    expect(viaDots.body).toMatchObject({ account: { id: account.id } })
  })

  it('cannot reach past the admin token', async () => {
    const guarded = await startTestServer(['--admin-token', 's3cret'])
    try {
      const reset = await raw(
        'POST /api/v1/../../__admin/reset HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
        guarded.url,
      )
      expect(parse(reset).status).toBe(401)
    } finally {
      await guarded.close()
    }
  })
})
