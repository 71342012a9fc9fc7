/**
 * @module Maps a request's method and path to the contract operation it calls, so that every
 * request (routed or not) is named the same way in faults, logs and the journal.
 */
import type { Operation } from './operations.js'

/** A matched operation, with its facts, and its path parameters. */
export interface OperationMatch {
  operationId: string
  operation: Operation
  params: Record<string, string>
}

interface Route {
  operation: Operation
  pattern: RegExp
  names: string[]
  dynamic: number
}

/** Matches requests against a contract's paths; static segments win over parameters. */
export class OperationRouter {
  private readonly routes: Route[]

  constructor(operations: Iterable<Operation>) {
    this.routes = [...operations]
      .map((op) => {
        const names: string[] = []
        const source = op.path
          .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
          .replace(/\{([^}]+)\}/g, (_m, name: string) => {
            names.push(name)
            return '([^/]+)'
          })
        return { operation: op, pattern: new RegExp(`^${source}$`), names, dynamic: names.length }
      })
      .sort((a, b) => a.dynamic - b.dynamic)
  }

  /** The operation a request calls, or null. */
  match(method: string, path: string): OperationMatch | null {
    for (const route of this.routes) {
      if (route.operation.method !== method) continue
      const m = route.pattern.exec(path)
      if (!m) continue
      const params: Record<string, string> = {}
      route.names.forEach((name, i) => (params[name] = safeDecode(m[i + 1] ?? '')))
      return { operationId: route.operation.operationId, operation: route.operation, params }
    }
    return null
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
