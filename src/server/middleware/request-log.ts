/**
 * @module One log line per request: request id, method, path (never the query, which can carry
 * a transaction token in `web.href`), operation, status, duration, scenario and the number of
 * contract violations the request caused. Headers and bodies are never logged (issue 5).
 */
import type { MiddlewareHandler } from 'hono'
import type { Logger } from '../deps.js'
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
      scenario: c.res.headers.get('X-Mock-Scenario'),
      violations: violationCount(c.get('violations'), c.res.headers.get('X-Mock-Violations')),
    }
    if (status >= 500) log.warn('request', fields)
    else if (c.req.path === HEALTH && status === 200 && debug) debug.call(log, 'request', fields)
    else log.info('request', fields)
  }
}

/** The journal's count, else the leading number of `X-Mock-Violations: N; code: message`. */
function violationCount(list: readonly unknown[] | undefined, header: string | null): number {
  if (list) return list.length
  const n = Number.parseInt(header ?? '', 10)
  return Number.isNaN(n) ? 0 : n
}
