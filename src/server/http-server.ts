/**
 * @module The Node HTTP server the mock listens with, the same for the CLI, `startMockJumio()`
 * and the tests.
 *
 * - Limits: Node 20's defaults let a client hold a connection for 60 s without finishing its
 *   headers and 300 s without finishing its body, and check only every 30 s; a mock shared by a
 *   QA environment must shed slow senders sooner.
 * - Requests Node's parser refuses before any route sees them (not HTTP/1.1, headers too large,
 *   too slow) are answered in Jumio's problem shape instead of Node's bare status line, and
 *   journalled with an `HTTP_PROTOCOL_ERROR` violation: a client team sees what its HTTP library
 *   sent, e.g. a DELETE whose body had no `Content-Length`.
 */
import { randomUUID } from 'node:crypto'
import type { Server, ServerOptions } from 'node:http'
import type { Socket } from 'node:net'
import { serve } from '@hono/node-server'
import { createApp } from './app.js'
import type { AppDeps } from './deps.js'
import { DEFAULT_TENANT } from './domain/tenants.js'
import { titleFor } from './errors.js'
import type { Violation } from './journal/violations.js'
import { violation } from './journal/violations.js'
import { hostFamily } from './middleware/journal.js'

/** The longest a client may take to send its headers, whatever the request timeout. */
const MAX_HEADERS_TIMEOUT_MS = 10_000

/** `serverOptions` for `@hono/node-server`'s `serve`, from `--request-timeout`. */
export function httpServerOptions(config: { requestTimeoutMs: number }): ServerOptions {
  const requestTimeout = config.requestTimeoutMs
  return {
    requestTimeout,
    // Node requires headersTimeout <= requestTimeout
    headersTimeout: Math.min(requestTimeout, MAX_HEADERS_TIMEOUT_MS),
    // how often Node looks for connections past either deadline (default 30 s)
    connectionsCheckingInterval: Math.min(1000, Math.max(100, Math.floor(requestTimeout / 4))),
  }
}

/** Serves the mock's app on `hostname:port` (0: any free port) with the limits above. */
export function serveApp(deps: AppDeps, port: number, hostname: string): Server {
  const server = serve({
    fetch: createApp(deps).fetch,
    port,
    hostname,
    serverOptions: httpServerOptions(deps.config),
  }) as Server
  server.on('clientError', (err: ParserError, socket: Socket) => {
    answerProtocolError(deps, err, socket)
  })
  return server
}

/** What Node's HTTP parser reports. */
type ParserError = Error & { code?: string; reason?: string; rawPacket?: Buffer }

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
      'bytes came where a request line should start: often a body sent without Content-Length or Transfer-Encoding (a DELETE or GET with a body)',
  },
}

function answerProtocolError(deps: AppDeps, err: ParserError, socket: Socket): void {
  // the client went away: nobody to answer, nothing it sent to report
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE') {
    socket.destroy()
    return
  }
  const code = err.code ?? 'UNKNOWN'
  const known = KNOWN[code]
  const status = known?.status ?? 400
  const id = randomUUID()
  const detail = `${known?.detail ?? 'The request is not valid HTTP/1.1'} (${code}${err.reason ? `: ${err.reason}` : ''})`
  const found = violation(
    'HTTP_PROTOCOL_ERROR',
    `${detail}: ${known?.cause ?? 'check what your HTTP client sends'}`,
  )
  const body = JSON.stringify({ title: titleFor(status), status, detail })
  // as Node does: only when no answer has started on this connection
  if (socket.writable && socket.bytesWritten === 0) {
    socket.write(
      [
        `HTTP/1.1 ${String(status)} ${titleFor(status)}`,
        'Content-Type: application/json',
        `Content-Length: ${String(Buffer.byteLength(body))}`,
        `X-Request-Id: ${id}`,
        'X-Content-Type-Options: nosniff',
        'Referrer-Policy: no-referrer',
        `X-Mock-Violations: 1; HTTP_PROTOCOL_ERROR: ${found.message.slice(0, 200)}`,
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    )
  }
  socket.destroy()
  journal(deps, id, status, err, found, body)
}

/** Records the refused request, with the method and path of its request line when there is one. */
function journal(
  deps: AppDeps,
  id: string,
  status: number,
  err: ParserError,
  found: Violation,
  body: string,
): void {
  const line = /^([A-Z]{1,20}) (\S{1,2000}) HTTP\/1\.[01]\r?\n/.exec(
    err.rawPacket?.subarray(0, 2100).toString('latin1') ?? '',
  )
  const path = line?.[2]?.split('?')[0] ?? '-'
  deps.journal.add({
    id,
    epochMs: deps.tenants.get(DEFAULT_TENANT).clock.now(),
    tenant: DEFAULT_TENANT,
    method: line?.[1] ?? '-',
    path,
    hostFamily: hostFamily(undefined),
    principal: undefined,
    operationId: undefined,
    scenario: undefined,
    status,
    durationMs: 0,
    violations: [found],
    requestHeaders: '',
    responseHeaders: 'content-type: application/json',
    requestContentType: '',
    requestBody: undefined,
    responseJson: body,
    responseBody: undefined,
  })
  deps.log.warn('request refused by the HTTP parser', { id, status, code: err.code, path })
}
