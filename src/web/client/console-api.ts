/**
 * @module The QA console's calls to the admin API (contracts/admin.openapi.yaml): the admin token
 * as a bearer when the instance has one (asked for on a 401, kept in sessionStorage), and the
 * tenant field as `X-Mock-Tenant`.
 */
import type { operations } from '../../server/contract/admin.gen.js'
import { byId, valueOf } from './dom.js'

/** The JSON body of an admin operation's 200 answer, as the contract defines it. */
export type Ok<Op extends keyof operations> = operations[Op]['responses'] extends {
  200: { content: { 'application/json': infer Body } }
}
  ? Body
  : never

/** Where the console keeps the admin token: this tab only. */
export const TOKEN_KEY = 'jumio-mock-admin-token'

/** Calls the admin API; a 401 shows the token form. Returns the parsed body, or null on a GET's 404. */
export async function adminApi(method: string, path: string, body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = {}
  const token = sessionStorage.getItem(TOKEN_KEY)
  if (token) headers['Authorization'] = `Bearer ${token}`
  const tenant = valueOf('tenant')
  if (tenant) headers['X-Mock-Tenant'] = tenant
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const init: RequestInit = { method, headers }
  if (body !== undefined) init.body = JSON.stringify(body)
  const res = await fetch(`/__admin${path}`, init)
  if (res.status === 401) {
    byId('token-form').hidden = false
    throw new Error('The admin token is missing or wrong')
  }
  if (res.status === 404 && method === 'GET') return null
  const text = await res.text()
  const parsed = text ? (JSON.parse(text) as unknown) : {}
  if (!res.ok) {
    const detail = (parsed as { detail?: string }).detail ?? res.statusText
    throw new Error(`${method} ${path}: ${String(res.status)} ${detail}`)
  }
  return parsed
}

/** Reads an admin resource: `op` names its operation, for the body's type. Null on a 404. */
export async function adminGet<Op extends keyof operations>(
  _op: Op,
  path: string,
): Promise<Ok<Op> | null> {
  return (await adminApi('GET', path)) as Ok<Op> | null
}
