/**
 * @module Graceful shutdown: stop accepting, let in-flight requests finish, let callback
 * attempts settle, all within one bounded wait, so a container stop never cuts a client's
 * request or a callback in half (and never hangs past the orchestrator's kill timeout).
 */
import type { Server } from 'node:http'
import type { Logger } from '../logger.js'
import { within } from '../server/in-flight.js'

/** What shutdown waits for besides the HTTP server. */
export interface Settleable {
  settled(): Promise<void>
}

/**
 * Closes the server and waits for in-flight requests, then for callbacks, at most `timeoutMs`
 * in all. Resolves true when everything finished in time.
 */
export async function shutdown(
  server: Server,
  callbacks: Settleable,
  timeoutMs: number,
  log: Logger,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  const closed = new Promise<void>((resolve) => {
    server.close(() => {
      resolve()
    })
  })
  // A keep-alive connection whose request has finished would hold close() open: drop idle ones
  // now and again as in-flight responses complete.
  server.closeIdleConnections()
  const sweeper = setInterval(() => {
    server.closeIdleConnections()
  }, 50)
  const drained = await within(closed, timeoutMs)
  clearInterval(sweeper)
  if (!drained) {
    log.warn('shutdown timeout: closing connections with requests still in flight', { timeoutMs })
    server.closeAllConnections()
  }
  const settled = await within(callbacks.settled(), Math.max(0, deadline - Date.now()))
  if (!settled) log.warn('shutdown timeout: callback attempts still pending', { timeoutMs })
  return drained && settled
}
