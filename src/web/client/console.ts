/**
 * @module The QA console's page script (entry point, compiled by esbuild into `console.js`). It
 * puts each panel into the page, wires the admin token form, and refreshes every panel from the
 * admin API every 2 s. A new panel is one new module under panels/ and one line in PANELS.
 */
import { TOKEN_KEY } from './console-api.js'
import type { ConsoleContext, Panel } from './console-panel.js'
import { byId, messageOf, setStatus, valueOf } from './dom.js'
import { apiCredentialsPanel } from './panels/api-credentials.js'
import { callbacksPanel } from './panels/callbacks.js'
import { clockPanel } from './panels/clock.js'
import { journalPanel } from './panels/journal.js'
import { scenariosPanel } from './panels/scenarios.js'
import { violationsPanel } from './panels/violations.js'
import { workflowsPanel } from './panels/workflows.js'

/** The panels, in the order the page shows them. */
const PANELS: Panel[] = [
  scenariosPanel,
  clockPanel,
  workflowsPanel,
  callbacksPanel,
  journalPanel,
  violationsPanel,
  apiCredentialsPanel,
]

const REFRESH_MS = 2000

const ctx: ConsoleContext = {
  act: (action) => {
    void act(action)
  },
}

/** Runs an action, reports it in the status line, then refreshes. */
async function act(action: () => Promise<unknown>): Promise<void> {
  const status = byId('console-status')
  try {
    await action()
    setStatus(status, 'Done.', 'ok')
  } catch (err) {
    setStatus(status, messageOf(err), 'bad')
  }
  await refreshAll()
}

/** Redraws every panel; the first failure (a 401, a server gone) shows in the status line. */
async function refreshAll(): Promise<void> {
  try {
    await Promise.all(PANELS.map((p) => p.refresh(ctx)))
  } catch (err) {
    setStatus(byId('console-status'), messageOf(err), 'bad')
  }
}

function main(): void {
  const container = byId('panels')
  for (const panel of PANELS) container.insertAdjacentHTML('beforeend', panel.markup)
  for (const panel of PANELS) panel.wire?.(ctx)
  byId('token-form').addEventListener('submit', (event) => {
    event.preventDefault()
    sessionStorage.setItem(TOKEN_KEY, valueOf('admin-token'))
    byId('token-form').hidden = true
    void refreshAll()
  })
  void refreshAll()
  setInterval(() => void refreshAll(), REFRESH_MS)
}

main()
