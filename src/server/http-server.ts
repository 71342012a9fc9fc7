/**
 * @module The Node HTTP server the mock listens with, the same for the CLI, `startMockJumio()`
 * and the tests.
 *
 * - Limits: Node 20's defaults let a client hold a connection for 60 s without finishing its
 *   headers and 300 s without finishing its body, and check only every 30 s; a mock shared by a
 *   QA environment must shed slow senders sooner.
 * - Requests refused before any route sees them are answered in Jumio's problem shape and
 *   journalled (refusals.ts).
 */
import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { getRequestListener, RequestError } from '@hono/node-server'
import { createApp } from './app.js'
import type { AppDeps } from './deps.js'
import { answer, answerProtocolError, hostProblem, refusedRequest } from './refusals.js'
import type { ParserError } from './refusals.js'
import { listenOn, serverFactory } from './tls/hook.js'

/** The longest a client may take to send its headers, whatever the request timeout. */
const MAX_HEADERS_TIMEOUT_MS = 10_000

/** The Node server's options, from `--request-timeout`. */
export function httpServerOptions(config: { requestTimeoutMs: number }): ServerOptions {
  const requestTimeout = config.requestTimeoutMs
  return {
    requestTimeout,
    // Node requires headersTimeout <= requestTimeout; 0 turns the whole-request limit off only
    headersTimeout:
      requestTimeout === 0
        ? MAX_HEADERS_TIMEOUT_MS
        : Math.min(requestTimeout, MAX_HEADERS_TIMEOUT_MS),
    // how often Node looks for connections past either deadline (default 30 s)
    connectionsCheckingInterval: Math.min(
      1000,
      Math.max(100, Math.floor((requestTimeout || MAX_HEADERS_TIMEOUT_MS) / 4)),
    ),
    // a missing Host is refused below, in the problem shape, rather than by Node's bare 400
    requireHostHeader: false,
  }
}

/** Serves the mock's app on `hostname:port` (0: any free port) with the limits above. */
export function serveApp(
  deps: AppDeps,
  port: number,
  hostname: string,
  { inProcess = false }: { inProcess?: boolean } = {},
): Server {
  // The request being turned into a web Request: when it cannot be, @hono/node-server calls
  // errorHandler synchronously, inside the listener call below.
  let current: IncomingMessage | undefined
  const listener = getRequestListener(createApp(deps).fetch, {
    hostname,
    // request-body.ts reads bodies from Node's request itself; an unread one is left to Node,
    // which discards it as it arrives and keeps the connection (this option's own cleanup cut
    // connections whose unread body took over 500 ms to arrive, after answering keep-alive)
    autoCleanupIncoming: false,
    // @hono/node-server puts its lighter Request and Response in place of the global ones: the
    // CLI's process is the mock's, but a test suite's is its own (found by a probe: its
    // `new Response('{}')` lost its content type)
    overrideGlobalObjects: !inProcess,
    errorHandler: (err) => {
      const { status, headers, body } = refusedRequest(deps, err, current)
      return new Response(body, { status, headers })
    },
  })
  // HTTP, or HTTPS with --tls; CONNECT on the same port is intercepted (server/tls/)
  const createServer = serverFactory(deps.config)
  const server = createServer(httpServerOptions(deps.config), (incoming, outgoing) => {
    const host = hostProblem(incoming)
    if (host) {
      answer(outgoing, refusedRequest(deps, new RequestError(host), incoming))
      return
    }
    current = incoming
    void listener(incoming, outgoing)
    current = undefined
  })
  // an Expect other than 100-continue: Node's own answer is a bare 417 (RFC 9110 §10.1.1)
  server.on('checkExpectation', (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const err = new RequestError('Unsupported expectation')
    answer(outgoing, refusedRequest(deps, err, incoming, 417))
  })
  server.on('clientError', (err: ParserError, socket: Socket) => {
    answerProtocolError(deps, err, socket)
  })
  // one caller must not exhaust a shared instance's sockets: past the bound Node closes new
  // connections at once (logged at most once a second)
  server.maxConnections = deps.config.maxConnections
  let warned = 0
  server.on('drop', () => {
    if (Date.now() - warned < 1000) return
    warned = Date.now()
    deps.log.warn('connection refused: --max-connections reached', {
      maxConnections: deps.config.maxConnections,
    })
  })
  return listenOn(server, deps.config, deps.log, port, hostname)
}
