/**
 * @module Journals every Jumio request and its response: time, method, path, host
 * family, principal, scenario, status, duration and the violations it carried, with bodies kept
 * up to a cap, uploads summarised and secrets redacted. Adds `X-Mock-Violations` when the request
 * broke the contract or a policy.
 */
import type { Context, MiddlewareHandler } from 'hono'
import type { AppDeps } from '../deps.js'
import type { AppEnv } from '../env.js'
import { JumioProblem, OAuthError } from '../errors.js'
import { headerLines } from '../journal/journal.js'
import { declaredLength, nodeRequest, readBody, refusedSockets } from '../request-body.js'
import { DEFAULT_TENANT } from '../domain/tenants.js'
import { claimedTenant } from '../auth.js'
import { hostFamily, setLateHeader, violationHeader } from '../request-context.js'

const BODY_CAP = 64 * 1024

/**
 * The journal middleware; admin, web and docs pages are not journaled. The hot path keeps a
 * compact `JournalRecord`; redaction and rendering happen when the journal is read.
 */
export function journalRequests(deps: AppDeps): MiddlewareHandler<AppEnv> {
  // never more than the route would read: a body over its bound is refused before a byte
  const cap = Math.min(BODY_CAP, deps.config.maxBodyBytes)
  return async function journal(c, next) {
    if (c.req.path.startsWith('/__admin') || c.req.path.startsWith('/web/')) {
      await next()
      return
    }
    c.set('violations', [])
    const started = performance.now()
    const contentType = c.req.header('Content-Type') ?? ''
    const request = await readSmallBody(c, contentType, cap)
    const sent = captureJson(c)
    await next()
    // answered by a refusal meanwhile (a timeout mid-body), which journalled it: this answer
    // is never sent
    const socket = nodeRequest(c)?.socket
    if (socket && refusedSockets.has(socket)) return
    const violations = c.get('violations') ?? []
    if (violations.length > 0) setLateHeader(c, 'X-Mock-Violations', violationHeader(violations))
    const tenant = c.get('tenant') ?? claimedTenant(c, deps) ?? DEFAULT_TENANT
    const now = deps.tenants.clockOf(tenant).now()
    const res = c.res
    deps.journal.add({
      id: c.get('requestId'),
      epochMs: now,
      tenant,
      method: c.req.method,
      path: c.req.path,
      hostFamily: hostFamily(c.req.header('Host')),
      principal: principalOf(c),
      operationId: c.get('operationId'),
      scenario: c.get('scenario'),
      status: res.status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      violations,
      requestHeaders: headerLines(rawRequestHeaders(c)),
      responseHeaders: headerLines(res.headers),
      requestContentType: contentType,
      requestBody: c.get('requestSummary') ?? request,
      responseJson: sent.text,
      responseBody:
        sent.text !== undefined
          ? undefined
          : res.status >= 400
            ? await errorBody(c, res)
            : binarySummary(res),
    })
  }
}

type Arg = number | ResponseInit

/**
 * Answers `c.json` with the same response Hono would build, keeping its text: the journal holds
 * that one string rather than the answer's objects.
 */
function captureJson(c: Context<AppEnv>): { text: string | undefined } {
  const captured: { text: string | undefined } = { text: undefined }
  const body = c.body as (text: string, arg?: Arg, headers?: Record<string, string>) => Response
  c.json = ((object: unknown, arg?: Arg, headers?: Record<string, string>) => {
    const text = JSON.stringify(object)
    captured.text = text
    return body(text, arg, { 'Content-Type': 'application/json', ...headers })
  }) as unknown as typeof c.json
  return captured
}

/** An error answer not built with `c.json` (a thrown one): its body, else read back. */
async function errorBody(c: Context, res: Response): Promise<unknown> {
  if (c.error instanceof JumioProblem || c.error instanceof OAuthError) return c.error.toJSON()
  if (!(res.headers.get('Content-Type') ?? '').includes('json')) return binarySummary(res)
  try {
    return JSON.parse(await res.clone().text()) as unknown
  } catch {
    return undefined
  }
}

function binarySummary(res: Response): unknown {
  const type = res.headers.get('Content-Type')
  const size = Number(res.headers.get('Content-Length') ?? 'NaN')
  return type ? { contentType: type, ...(Number.isFinite(size) && { size }) } : undefined
}

/** JSON and form bodies up to the cap, as text (the route reads the same bytes); else a summary. */
async function readSmallBody(c: Context<AppEnv>, type: string, cap: number): Promise<unknown> {
  const length = declaredLength(c)
  const small = length !== undefined && length <= cap
  if (!(type.includes('json') || type.includes('x-www-form-urlencoded')) || !small) {
    return length !== undefined && length > 0 ? { contentType: type, size: length } : undefined
  }
  try {
    return (await readBody(c, cap)).toString('utf8')
  } catch {
    return undefined
  }
}

/** The request's headers as Node received them (name, value, …), else its `Headers`. */
function rawRequestHeaders(c: Context): string[] | Headers {
  const incoming = (c.env as { incoming?: { rawHeaders?: string[] } } | undefined)?.incoming
  return incoming?.rawHeaders ?? c.req.raw.headers // app.request() in unit tests: no Node request
}

function principalOf(c: Context): string | undefined {
  const auth = c.req.header('Authorization') ?? ''
  if (/^basic /i.test(auth)) return 'basic'
  if (/^bearer eyJhbGciOiJIUzUxMiIsInppcCI6IkdaSVAifQ/i.test(auth)) return 'transaction-token'
  if (/^bearer /i.test(auth)) return 'access-token'
  return undefined
}
