/**
 * @module The QA console's panels, drawn from admin API bodies with DOM calls (text only, never
 * HTML). Sent to the browser as source text with console-client.ts. A panel is redrawn only
 * when its data changed, so keyboard focus stays put between the 2 s refreshes.
 */
import type * as Client from './console-client.js'

// Bound by name in the browser, where both files' functions are one script (see console route).
declare const consoleEl: typeof Client.consoleEl
declare const consoleApi: typeof Client.consoleApi
declare const consoleAction: typeof Client.consoleAction

/** `GET /__admin/scenarios`, as far as the console reads it. */
export interface ScenariosBody {
  active: { name: string; source: string }
  scenarios: { name: string }[]
  overrides: {
    id: string
    remaining: number
    scenario?: string
    operation?: string
    fault?: { status?: number }
  }[]
}

/** `GET /__admin/workflow-executions`, as far as the console reads it. */
export interface WorkflowsBody {
  workflowExecutions: {
    id: string
    accountId: string
    status: string
    scenario: string
    decision?: { type: string; details: { label: string } }
    createdAt: string
    startedAt?: string
    acquiredAt?: string
    completedAt?: string
  }[]
}

/** `GET /__admin/callbacks`, as far as the console reads it. */
export interface CallbacksBody {
  callbacks: {
    id: string
    workflowExecutionId: string
    status: string
    state: string
    attempts: { responseStatus?: number; error?: string }[]
  }[]
}

/** True when `el` already shows `data`; otherwise remembers it. */
export function unchanged(el: HTMLElement, data: unknown): boolean {
  const key = JSON.stringify(data)
  if (el.dataset['shown'] === key) return true
  el.dataset['shown'] = key
  return false
}

/** The active scenario, the scenario pickers and the overrides. */
export function renderScenarios(body: ScenariosBody): void {
  consoleEl('active-scenario').textContent = body.active.name
  consoleEl('active-source').textContent = `(${body.active.source})`
  const names = body.scenarios.map((s) => s.name)
  fillSelect('scenario-select', names, null)
  fillSelect('bind-scenario', names, '(unbind)')
  fillSelect('override-scenario', names, '(none: fault only)')
  const list = consoleEl('override-list')
  if (unchanged(list, body.overrides)) return
  list.replaceChildren(
    ...body.overrides.map((o) => {
      const li = document.createElement('li')
      const what = [o.scenario, o.fault?.status].filter((x) => x !== undefined).join(', fault ')
      li.textContent = `${what || 'override'} on ${o.operation ?? 'any operation'}, ${String(o.remaining)} left`
      return li
    }),
  )
}

/** Fills a select once per distinct list, keeping the user's choice. */
export function fillSelect(id: string, names: string[], empty: string | null): void {
  const select = consoleEl(id) as HTMLSelectElement
  if (unchanged(select, names)) return
  const chosen = select.value
  const options = (empty === null ? [] : [['', empty]]).concat(names.map((n) => [n, n]))
  select.replaceChildren(
    ...options.map(([value, label]) => {
      const option = document.createElement('option')
      option.value = value ?? ''
      option.textContent = label ?? ''
      return option
    }),
  )
  if (chosen) select.value = chosen
}

/** Workflow executions with their timeline and the force expire / process actions. */
export function renderWorkflows(body: WorkflowsBody): void {
  const rows = consoleEl('wfe-rows')
  if (unchanged(rows, body)) return
  rows.replaceChildren(
    ...body.workflowExecutions.map((w) => {
      const decision = w.decision ? `${w.decision.type} / ${w.decision.details.label}` : '–'
      const steps: [string, string | undefined][] = [
        ['created', w.createdAt],
        ['started', w.startedAt],
        ['acquired', w.acquiredAt],
        ['completed', w.completedAt],
      ]
      const timeline = steps
        .filter(([, at]) => at !== undefined)
        .map(([name, at]) => `${name} ${at?.slice(11, 19) ?? ''}`)
        .join(' → ')
      const actions: Node[] = []
      if (w.status === 'INITIATED' || w.status === 'ACQUIRED') {
        const base = `/workflow-executions/${w.id}`
        actions.push(
          consoleButton('Expire', `Expire ${w.id}`, () => consoleApi('POST', `${base}/expire`)),
          consoleButton('Process', `Process ${w.id}`, () => consoleApi('POST', `${base}/process`)),
        )
      }
      return cellRow([w.id, w.accountId, w.status, w.scenario, decision, timeline, actions])
    }),
  )
}

/** Callback deliveries with their attempts and a redeliver action. */
export function renderCallbacks(body: CallbacksBody): void {
  const rows = consoleEl('callbacks-rows')
  if (unchanged(rows, body)) return
  rows.replaceChildren(
    ...body.callbacks.map((d) => {
      const attempts = d.attempts
        .map((a) => (a.responseStatus === undefined ? (a.error ?? '?') : String(a.responseStatus)))
        .join(', ')
      const redeliver = consoleButton('Redeliver', `Redeliver ${d.id}`, () =>
        consoleApi('POST', `/callbacks/${d.id}/redeliver`),
      )
      return cellRow([d.id, d.workflowExecutionId, d.status, d.state, attempts || '–', [redeliver]])
    }),
  )
}

/** The journal's latest entries and the violations; absent endpoints show a note. */
export async function renderFeeds(): Promise<void> {
  const journal = consoleEl('journal')
  const total = Number(journal.dataset['total'] ?? '0')
  const page = (await consoleApi(
    'GET',
    `/journal?offset=${String(Math.max(total - 15, 0))}&limit=1000`,
  )) as {
    total: number
    entries: {
      time: string
      method: string
      path: string
      status: number
      violations: { code: string }[]
    }[]
  } | null
  const violations = (await consoleApi('GET', '/violations')) as {
    violations: { code: string; section: string; count: number }[]
  } | null
  if (page) journal.dataset['total'] = String(page.total)
  const lines = page
    ? page.entries.slice(-15).map((e) => {
        const codes = e.violations.map((v) => v.code).join(' ')
        return `${e.time.slice(11, 23)} ${e.method} ${e.path} → ${String(e.status)}${codes ? `  ⚠ ${codes}` : ''}`
      })
    : ['The journal is not available on this instance.']
  const text = lines.join('\n') || '(empty)'
  if (journal.textContent !== text) journal.textContent = text
  const shown = violations
    ? violations.violations
        .map((v) => `${v.code} (${v.section}) × ${String(v.count)}`)
        .join('\n') || '(none)'
    : 'Violations are not available on this instance.'
  const box = consoleEl('violations')
  if (box.textContent !== shown) box.textContent = shown
}

/** A table row; a cell is text or a list of nodes. */
export function cellRow(cells: (string | Node[])[]): HTMLTableRowElement {
  const tr = document.createElement('tr')
  for (const cell of cells) {
    const td = document.createElement('td')
    if (typeof cell === 'string') td.textContent = cell
    else td.append(...cell)
    tr.append(td)
  }
  return tr
}

/** A button that runs an admin call and refreshes. */
export function consoleButton(
  text: string,
  label: string,
  call: () => Promise<unknown>,
): HTMLButtonElement {
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'secondary'
  button.textContent = text
  button.setAttribute('aria-label', label)
  button.addEventListener('click', () => {
    void consoleAction(call)
  })
  return button
}

/** The render functions, in the order the script lists them. */
export const RENDER_FUNCTIONS = [
  unchanged,
  renderScenarios,
  fillSelect,
  renderWorkflows,
  renderCallbacks,
  renderFeeds,
  cellRow,
  consoleButton,
]
