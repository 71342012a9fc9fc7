/**
 * @module Binds handlers to a contract's operations by operationId: the method and the path come
 * from the contract, so a route cannot drift from what the contract declares, and adding an
 * operation is its contract entry plus one handler.
 */
import type { Hono, MiddlewareHandler } from 'hono'
import type { H } from 'hono/types'
import type { AppEnv } from '../env.js'

/** What binding needs of an operation: its method and its `{param}`-style path. */
export interface Bindable {
  method: string
  path: string
}

/** How an operation is bound: its handlers, in order (middleware first, the answer last). */
export type Bind = (operationId: string, ...handlers: H<AppEnv>[]) => void

/** Hono's form of a contract path: `/a/{id}` is `/a/:id`. */
export function honoPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1')
}

/**
 * A binder for `app` over `operations`; `before(operationId)`, when given, runs ahead of every
 * operation's handlers (the admin API's token and request checks). `paths` routes an operation
 * under another Hono path that still matches the contract's (a parameter in place of a static
 * segment), which keeps every route on Hono's fastest router.
 */
export function binder(
  app: Hono<AppEnv>,
  operations: ReadonlyMap<string, Bindable>,
  options: {
    before?: (operationId: string) => MiddlewareHandler<AppEnv>
    paths?: Record<string, string>
  } = {},
): Bind {
  return (operationId, ...handlers) => {
    const op = operations.get(operationId)
    if (!op) throw new Error(`no operation ${operationId} in the contract`)
    const path = options.paths?.[operationId] ?? honoPath(op.path)
    const fixed = staticSegments(path, op.path)
    if (!fixed) {
      throw new Error(`${operationId}: route ${path} does not match the contract's ${op.path}`)
    }
    const all = [
      ...(fixed.length > 0 ? [onlyThe(fixed)] : []),
      ...(options.before ? [options.before(operationId)] : []),
      ...handlers,
    ]
    // one method and one path; Hono's typed overloads cannot follow a spread of handlers
    const on = app.on as (method: string, path: string, ...handlers: H<AppEnv>[]) => unknown
    on(op.method, path, ...all)
  }
}

/**
 * The route's parameters that stand for a static segment of the contract path, each with the
 * value it must have; null when the route does not serve the contract path.
 */
function staticSegments(route: string, contractPath: string): [string, string][] | null {
  const ours = route.split('/')
  const theirs = honoPath(contractPath).split('/')
  if (ours.length !== theirs.length) return null
  const fixed: [string, string][] = []
  for (const [i, segment] of ours.entries()) {
    const declared = theirs[i] ?? ''
    if (segment === declared) continue
    if (!segment.startsWith(':')) return null
    if (!declared.startsWith(':')) fixed.push([segment.slice(1), declared])
  }
  return fixed
}

/** Passes only requests whose parameters hold the static segments they stand for; 404 else. */
function onlyThe(fixed: [string, string][]): MiddlewareHandler<AppEnv> {
  return async function staticSegment(c, next) {
    if (fixed.some(([name, value]) => c.req.param(name) !== value)) return c.notFound()
    await next()
    return undefined
  }
}
