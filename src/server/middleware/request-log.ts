/**
 * @module One log line per request: request id, method, path (never the query, which can carry
 * a transaction token in `web.href`), operation, status, duration, scenario and the number of
 * contract violations the request caused. Headers and bodies are never logged.
 */
import type { MiddlewareHandler } from 'hono'
import type { Logger } from '../../logger.js'
import type { AppEnv } from '../env.js'

const HEALTH = '/__admin/health'

/** Logs every request once ready: `warn` for a 5xx, `debug` for a health check, else `info`. */
export function requestLog(log: Logger): MiddlewareHandler<AppEnv> {
  // Health checks every few seconds (container HEALTHCHECK, CI services) are debug noise.
  const debug = (log as Logger & { debug?: Logger['info'] }).debug
  return async function logRequest(c, next) {
    const start = performance.now()
    await next()
    const status = c.res.status
    const fields = {
      id: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      operation: (c.get('operationId') as string | undefined) ?? null,
      status,
      durationMs: Math.round((performance.now() - start) * 10) / 10,
      // from the context, not c.res.headers: reading a response's headers makes
      // @hono/node-server build a full web Response (a third of the throughput, measured)
      scenario: c.get('scenario') ?? null,
      violations: c.get('violations')?.length ?? 0,
    }
    if (status >= 500) log.warn('request', fields)
    else if (c.req.path === HEALTH && status === 200 && debug) debug.call(log, 'request', fields)
    else log.info('request', fields)
  }
}
