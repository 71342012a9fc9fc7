/**
 * @module Requests refused before any route sees them, answered in Jumio's problem shape instead
 * of a bare status line and journalled with an `HTTP_PROTOCOL_ERROR` violation: a client team
 * sees what its HTTP library sent. Node's parser refuses what is not HTTP/1.1 (e.g. a DELETE
 * whose body had no `Content-Length`, a method it does not read), headers too large and senders
 * too slow; `@hono/node-server` refuses a request it cannot turn into a URL (no or a bad `Host`,
 * a backslash in the path, `OPTIONS *`); the server refuses two `Host` headers and an `Expect`
 * other than `100-continue`.
 */
import { randomUUID } from 'node:crypto'
import { METHODS } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { RequestError } from '@hono/node-server'
import { SCANNER_HEADERS } from './app.js'
import type { AppDeps } from './deps.js'
import { DEFAULT_TENANT } from './domain/tenants.js'
import { titleFor } from './errors.js'
import type { Violation } from './journal/violations.js'
import { violation } from './journal/violations.js'
import { headerLines } from './journal/journal.js'
import { hostFamily, violationHeader } from './request-context.js'
import { lingeringClose, refusedSockets } from './request-body.js'

/**
 * RFC 9112 §3.2: a 400 without a Host in HTTP/1.1 (@hono/node-server would serve it as if sent
 * to the listening host) and with more than one (Node keeps the first); the refusal's message.
 */
export function hostProblem(incoming: IncomingMessage): string | undefined {
  if (incoming.httpVersion === '1.1' && !incoming.headers.host) return 'Missing host header'
  let n = 0
  const raw = incoming.rawHeaders
  for (let i = 0; i < raw.length; i += 2) if (raw[i]?.toLowerCase() === 'host') n++
  return n > 1 ? 'Duplicate host header' : undefined
}

/** Writes a refusal built before any route ran. */
export function answer(
  outgoing: ServerResponse,
  refusal: { status: number; headers: Record<string, string>; body: string },
): void {
  outgoing.writeHead(refusal.status, {
    ...refusal.headers,
    'Content-Length': Buffer.byteLength(refusal.body),
  })
  outgoing.end(refusal.body)
}

/** Why a request is refused before routing (most: `@hono/node-server` could not build a URL). */
const REQUEST_ERRORS: Record<string, string> = {
  'Missing host header': 'HTTP/1.1 requires a Host header',
  'Duplicate host header': 'the request has more than one Host header (RFC 9112 §3.2)',
  'Unsupported expectation':
    'the Expect header asks for something other than 100-continue, the only expectation HTTP defines',
  'Invalid host header': 'the Host header is not a valid host[:port]',
  'Backslash in request path': 'the path has a backslash',
  'Invalid URL':
    'the request target and Host do not make a URL (OPTIONS *, a port over 65535 in the Host, a malformed absolute URL)',
}

/** A request refused before routing (a bad target or Host, an Expect), answered and journalled. */
export function refusedRequest(
  deps: AppDeps,
  err: unknown,
  incoming: IncomingMessage | undefined,
  status = 400,
) {
  if (!(err instanceof RequestError) || !incoming) {
    // not a refused request: an error escaped the app, which answers every error itself
    deps.log.error('unhandled error', { error: err instanceof Error ? err.stack : String(err) })
    const body = { title: titleFor(500), status: 500, detail: 'The mock hit an internal error' }
    return {
      status: 500,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }
  }
  const id = randomUUID()
  const detail = `The request cannot be served (${err.message})`
  const found = violation(
    'HTTP_PROTOCOL_ERROR',
    `${detail}: ${REQUEST_ERRORS[err.message] ?? 'check what your HTTP client sends'}`,
  )
  const body = JSON.stringify({ title: titleFor(status), status, detail })
  const target = (incoming.url ?? '-').slice(0, 2000).split('?')[0] ?? '-'
  record(deps, { id, method: incoming.method ?? '-', path: target, status, found, body })
  return { status, headers: refusalHeaders(id, found), body }
}

/** What Node's HTTP parser reports. */
export type ParserError = Error & {
  code?: string
  reason?: string
  rawPacket?: Buffer
  /** Where in `rawPacket` the parser stopped. */
  bytesParsed?: number
}

/** Node's own status for the parser errors it answers specially, what they mean and their cause. */
const KNOWN: Record<string, { status: number; detail: string; cause: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    detail: "The request's headers are too large",
    cause: "they are over Node's 16 kB limit",
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    status: 413,
    detail: "The request's chunk extensions are too large",
    cause: 'they are over 16 kB',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    detail: 'The request did not arrive in time',
    cause: 'its headers or body did not all arrive within the request timeout (--request-timeout)',
  },
  HPE_INVALID_METHOD: {
    status: 400,
    detail: 'The request is not valid HTTP/1.1',
    cause:
      'bytes came where a request line should start: often a body sent without Content-Length or Transfer-Encoding (a DELETE or GET with a body), after a request that then ran but whose answer is lost',
  },
}

/** A request line: a method (any token), a target, the version. */
const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]{1,20}) (\S{1,2000}) HTTP\/1\.[01]\r?\n/

/** What a request line with an unknown method is told (methods are case-sensitive). */
const unknownMethod = (method: string) =>
  `the method ${method} is not one Node's HTTP parser reads (methods are case-sensitive: Jumio's API uses GET, POST, PUT and DELETE), so no route can answer 405`

/** The request line a packet starts with, and the one where the parser stopped, if any. */
function requestLines(err: ParserError) {
  const raw = err.rawPacket ?? Buffer.alloc(0)
  const at = Math.min(err.bytesParsed ?? 0, raw.length)
  const from = at > 0 ? raw.lastIndexOf(0x0a, at - 1) + 1 : 0
  const read = (start: number) =>
    REQUEST_LINE.exec(raw.subarray(start, start + 2100).toString('latin1'))
  return { first: read(0), failing: read(from) }
}

/** What a parser error is answered: its status, detail and violation, and the request line. */
function protocolProblem(err: ParserError) {
  const code = err.code ?? 'UNKNOWN'
  const known = KNOWN[code]
  const status = known?.status ?? 400
  const detail = `${known?.detail ?? 'The request is not valid HTTP/1.1'} (${code}${err.reason ? `: ${err.reason}` : ''})`
  const { first, failing } = requestLines(err)
  // a method Node does not read, in the line where the parser stopped (a pipelined request's
  // too); a DELETE before its stray body is no such case: the stray body is no request line
  const method = failing?.[1]
  const cause =
    code === 'HPE_INVALID_METHOD' && method !== undefined && !METHODS.includes(method)
      ? unknownMethod(method)
      : (known?.cause ?? 'check what your HTTP client sends')
  const found = violation('HTTP_PROTOCOL_ERROR', `${detail}: ${cause}`)
  return { status, detail, found, line: failing ?? first }
}

export function answerProtocolError(deps: AppDeps, err: ParserError, socket: Socket): void {
  // answered already: Node's parser reports every later chunk of a refused one again
  if (refusedSockets.has(socket)) return
  // Only what the parser refused, and timeouts, are the client's protocol errors. A client that
  // went away (a reset, a half-close mid-body: a cancelled upload) has nobody to answer.
  const refused =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ||
    (err.code?.startsWith('HPE_') === true && err.code !== 'HPE_INVALID_EOF_STATE')
  if (!refused) {
    socket.destroy()
    return
  }
  const { status, detail, found, line } = protocolProblem(err)
  const id = randomUUID()
  const body = JSON.stringify({ title: titleFor(status), status, detail })
  // as Node's own handler does: unless an answer on this connection has started (a keep-alive
  // connection has written earlier answers; `_httpMessage` is the one in flight, if any)
  const inFlight = (
    socket as Socket & { _httpMessage?: { _headerSent?: boolean; req?: IncomingMessage } }
  )._httpMessage
  refusedSockets.add(socket)
  if (socket.writable && !inFlight?._headerSent) {
    const headers = Object.entries(refusalHeaders(id, found)).map(([k, v]) => `${k}: ${v}`)
    socket.write(
      [
        `HTTP/1.1 ${String(status)} ${titleFor(status)}`,
        ...headers,
        `Content-Length: ${String(Buffer.byteLength(body))}`,
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    )
    // the client may still be sending: a reset now could lose the answer
    lingeringClose(socket)
  } else socket.destroy()
  // a timeout has no packet to read a request line from: the request in flight has one
  const method = line?.[1] ?? inFlight?.req?.method ?? '-'
  const path = (line?.[2] ?? inFlight?.req?.url)?.split('?')[0] ?? '-'
  record(deps, { id, method, path, status, found, body })
}

/** The headers of a refusal: those every answer carries, and the violation. */
function refusalHeaders(id: string, found: Violation): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'X-Request-Id': id,
    ...Object.fromEntries(SCANNER_HEADERS),
    'X-Mock-Violations': violationHeader([found]),
  }
}

/** Journals and logs a refused request (tenant `default`: no route decided one). */
function record(
  deps: AppDeps,
  r: { id: string; method: string; path: string; status: number; found: Violation; body: string },
): void {
  deps.journal.add({
    id: r.id,
    epochMs: deps.tenants.clockOf(DEFAULT_TENANT).now(),
    tenant: DEFAULT_TENANT,
    method: r.method,
    path: r.path,
    hostFamily: hostFamily(undefined),
    principal: undefined,
    operationId: undefined,
    scenario: undefined,
    status: r.status,
    durationMs: 0,
    violations: [r.found],
    requestHeaders: '',
    responseHeaders: headerLines(Object.entries(refusalHeaders(r.id, r.found)).flat()),
    requestContentType: '',
    requestBody: undefined,
    responseJson: r.body,
    responseBody: undefined,
  })
  deps.log.warn('request refused', {
    id: r.id,
    status: r.status,
    path: r.path,
    why: r.found.message,
  })
}
