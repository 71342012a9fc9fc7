/**
 * @module Limits of the Node HTTP server the mock listens with. Node 20's defaults let a client
 * hold a connection for 60 s without finishing its headers and 300 s without finishing its body,
 * and check only every 30 s; a mock shared by a QA environment must shed slow senders sooner.
 */
import type { ServerOptions } from 'node:http'

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
