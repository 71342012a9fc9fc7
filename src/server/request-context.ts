/**
 * @module What every stage of a request reads and writes about it, on Hono's context: the
 * violations it carries (and strict mode's refusal of them), the scenario that answers it, and
 * the Jumio host family it was sent to. Middleware and routes import this, never each other.
 */
import type { Context } from 'hono'
import { jumioHostFamily } from './domain/hrefs.js'
import type { AppEnv } from './env.js'
import { JumioProblem, titleFor } from './errors.js'
import { refusedInStrictMode } from './journal/violations.js'
import type { Violation } from './journal/violations.js'

/**
 * The Jumio host family a Host header names when it is one of Jumio's host names (through a
 * proxy, or a name that resolves to the mock, as with `--tls`), else "local": any other host,
 * the mock's own public URLs included, is not Jumio's, and no family check applies to it.
 */
export function hostFamily(host: string | undefined): string {
  // most requests name no Jumio host at all: they skip the host name's pattern
  return host && /jumio/i.test(host) ? (jumioHostFamily(host) ?? 'local') : 'local'
}

/** Records a violation on the current request. */
export function recordViolation(c: Context, ...found: Violation[]): void {
  const list = (c as Context<AppEnv>).get('violations')
  if (list) list.push(...found)
}

/**
 * In strict mode, refuses the request for the first violation recorded so far that Jumio is
 * documented to refuse (the catalog in journal/violations.ts), with the catalog's status.
 */
export function refuseInStrictMode(c: Context<AppEnv>): void {
  if (!c.get('strict')) return
  const refused = refusedInStrictMode(c.get('violations') ?? [])
  if (!refused) return
  const { violation: v, status } = refused
  const detail = v.pointer === undefined ? v.message : `${v.pointer}: ${v.message}`
  throw new JumioProblem({ status, title: titleFor(status) }, detail)
}

/**
 * Names the scenario that answers: the context variable, and the `X-Mock-Scenario` header set
 * before the route builds its response (adding a header afterwards rebuilds the response).
 */
export function answeredBy(c: Context, name: string): void {
  ;(c as Context<AppEnv>).set('scenario', name)
  c.header('X-Mock-Scenario', name)
}

/** `<count>; <code>: <first message>`, ASCII only (a header value). */
export function violationHeader(violations: Violation[]): string {
  const first = violations[0]
  const text = first ? `${violations.length}; ${first.code}: ${first.message}` : '0'
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 300)
}

/**
 * Sets `name` on the response a route has already built. Hono's `c.header` would copy it, which
 * makes @hono/node-server turn its lightweight response into a full web `Response` (a third of a
 * status read's time, measured); the built response's own headers are mutable, so they are set
 * in place, and only an immutable one (e.g. `Response.error()`) is copied.
 */
export function setLateHeader(c: Context, name: string, value: string): void {
  try {
    c.res.headers.set(name, value)
  } catch {
    c.header(name, value)
  }
}
