/**
 * @module The QA console's browser script: plain functions sent as source text (see
 * `clientScript`), so they use only the DOM and each other. It calls the admin API with fetch,
 * refreshes every 2 s, and asks for the admin token on a 401 (kept in sessionStorage).
 */
import type * as Render from './console-render.js'

// Bound by name in the browser, where both files' functions are one script (see console route).
declare const renderScenarios: typeof Render.renderScenarios
declare const renderWorkflows: typeof Render.renderWorkflows
declare const renderCallbacks: typeof Render.renderCallbacks
declare const renderFeeds: typeof Render.renderFeeds

/** Wires the controls and starts the 2 s refresh. */
export function consoleMain(): void {
  const on = (id: string, action: () => Promise<unknown>) => {
    consoleEl(id).addEventListener('click', () => {
      void consoleAction(action)
    })
  }
  const value = (id: string) => (consoleEl(id) as HTMLInputElement).value.trim()
  on('set-active', () => consoleApi('PUT', '/scenarios/active', { name: value('scenario-select') }))
  on('clear-active', () => consoleApi('PUT', '/scenarios/active', { name: null }))
  on('bind', () =>
    consoleApi('PUT', `/accounts/${encodeURIComponent(value('bind-account'))}/scenario`, {
      name: value('bind-scenario') || null,
    }),
  )
  on('add-override', () => consoleApi('POST', '/scenarios/overrides', overrideBody()))
  on('clear-overrides', () => consoleApi('DELETE', '/scenarios/overrides'))
  on('advance', () => consoleApi('POST', '/clock/advance', { ms: durationMs(value('advance-by')) }))
  on('reset', () => consoleApi('POST', '/reset'))
  consoleEl('token-form').addEventListener('submit', (event) => {
    event.preventDefault()
    sessionStorage.setItem('jumio-mock-admin-token', value('admin-token'))
    consoleEl('token-form').hidden = true
    void refreshConsole()
  })
  void refreshConsole()
  setInterval(() => void refreshConsole(), 2000)
}

/** An element the console page is known to have. */
export function consoleEl(id: string): HTMLElement {
  const el = document.getElementById(id)
  if (!el) throw new Error(`#${id} is missing`)
  return el
}

/** Calls the admin API; a 401 shows the token form. Returns the parsed body, or null on 404. */
export async function consoleApi(method: string, path: string, body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = {}
  const token = sessionStorage.getItem('jumio-mock-admin-token')
  if (token) headers['Authorization'] = `Bearer ${token}`
  const tenant = (consoleEl('tenant') as HTMLInputElement).value.trim()
  if (tenant) headers['X-Mock-Tenant'] = tenant
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const init: RequestInit = { method, headers }
  if (body !== undefined) init.body = JSON.stringify(body)
  const res = await fetch(`/__admin${path}`, init)
  if (res.status === 401) {
    consoleEl('token-form').hidden = false
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

/** Runs an action, reports it in the status line, then refreshes. */
export async function consoleAction(action: () => Promise<unknown>): Promise<void> {
  const status = consoleEl('console-status')
  try {
    await action()
    status.textContent = 'Done.'
    status.className = 'status ok'
  } catch (err) {
    status.textContent = err instanceof Error ? err.message : String(err)
    status.className = 'status bad'
  }
  await refreshConsole()
}

/** Reloads every panel from the admin API. */
export async function refreshConsole(): Promise<void> {
  try {
    const [scenarios, workflows, callbacks, clock] = await Promise.all([
      consoleApi('GET', '/scenarios'),
      consoleApi('GET', '/workflow-executions'),
      consoleApi('GET', '/callbacks'),
      consoleApi('GET', '/clock'),
    ])
    renderScenarios(scenarios as Parameters<typeof renderScenarios>[0])
    renderWorkflows(workflows as Parameters<typeof renderWorkflows>[0])
    renderCallbacks(callbacks as Parameters<typeof renderCallbacks>[0])
    const c = clock as { now: string; skewMs: number }
    consoleEl('clock-now').textContent = c.now
    consoleEl('clock-skew').textContent = String(c.skewMs)
    await renderFeeds()
  } catch (err) {
    const status = consoleEl('console-status')
    status.textContent = err instanceof Error ? err.message : String(err)
    status.className = 'status bad'
  }
}

/** The one-shot override the form describes. */
export function overrideBody(): Record<string, unknown> {
  const value = (id: string) => (consoleEl(id) as HTMLInputElement).value.trim()
  const body: Record<string, unknown> = { times: Number(value('override-times') || '1') }
  if (value('override-scenario')) body['scenario'] = value('override-scenario')
  if (value('override-operation')) body['operation'] = value('override-operation')
  if (value('override-status')) body['fault'] = { status: Number(value('override-status')) }
  return body
}

/** `1500`, `30s`, `15m`, `2h` or `1d` in milliseconds. */
export function durationMs(text: string): number {
  const m = /^(\d+)\s*(ms|s|m|h|d)?$/.exec(text.trim())
  if (!m) throw new Error(`Cannot read "${text}" as a duration`)
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 'ms'] ?? 1
  return Number(m[1]) * unit
}

/** The console's own functions, in the order the script lists them. */
export const CONSOLE_FUNCTIONS = [
  consoleMain,
  consoleEl,
  consoleApi,
  consoleAction,
  refreshConsole,
  overrideBody,
  durationMs,
]
