/**
 * @module The console's scenarios panel: the active scenario, binding one to an account and the
 * one-shot overrides (`/__admin/scenarios…`).
 */
import { adminApi, adminGet } from '../console-api.js'
import type { Ok } from '../console-api.js'
import { unchanged } from '../console-panel.js'
import type { ConsoleContext, Panel } from '../console-panel.js'
import { byId, valueOf } from '../dom.js'

const MARKUP = `<section aria-labelledby="scenarios-h">
<h2 id="scenarios-h">Scenarios</h2>
<p>Active: <strong id="active-scenario">–</strong> <span id="active-source"></span></p>
<div class="row">
<div><label for="scenario-select">Scenario</label><select id="scenario-select"></select></div>
<div><button type="button" id="set-active">Make active</button></div>
<div><button type="button" class="secondary" id="clear-active">Back to default</button></div>
</div>
<h3>Bind to an account</h3>
<div class="row">
<div><label for="bind-account">Account ID</label><input type="text" id="bind-account"></div>
<div><label for="bind-scenario">Scenario</label><select id="bind-scenario"></select></div>
<div><button type="button" id="bind">Bind</button></div>
</div>
<h3>One-shot overrides</h3>
<div class="row">
<div><label for="override-scenario">Scenario</label><select id="override-scenario"></select></div>
<div><label for="override-operation">Operation (optional)</label><input type="text" id="override-operation"></div>
<div><label for="override-status">Fault status (optional)</label><input type="number" id="override-status" min="100" max="599"></div>
<div><label for="override-times">Times</label><input type="number" id="override-times" value="1" min="1"></div>
</div>
<button type="button" id="add-override">Add override</button>
<button type="button" class="secondary" id="clear-overrides">Clear overrides</button>
<ul id="override-list"></ul>
</section>`

function wire(ctx: ConsoleContext): void {
  const on = (id: string, call: () => Promise<unknown>) => {
    byId(id).addEventListener('click', () => {
      ctx.act(call)
    })
  }
  const active = (name: string | null) => adminApi('PUT', '/scenarios/active', { name })
  on('set-active', () => active(valueOf('scenario-select')))
  on('clear-active', () => active(null))
  on('bind', () =>
    adminApi('PUT', `/accounts/${encodeURIComponent(valueOf('bind-account'))}/scenario`, {
      name: valueOf('bind-scenario') || null,
    }),
  )
  on('add-override', () => adminApi('POST', '/scenarios/overrides', overrideBody()))
  on('clear-overrides', () => adminApi('DELETE', '/scenarios/overrides'))
}

/** The one-shot override the form describes. */
function overrideBody(): Record<string, unknown> {
  const body: Record<string, unknown> = { times: Number(valueOf('override-times') || '1') }
  if (valueOf('override-scenario')) body['scenario'] = valueOf('override-scenario')
  if (valueOf('override-operation')) body['operation'] = valueOf('override-operation')
  if (valueOf('override-status')) body['fault'] = { status: Number(valueOf('override-status')) }
  return body
}

async function refresh(): Promise<void> {
  const body = await adminGet('listScenarios', '/scenarios')
  if (body) render(body)
}

function render(body: Ok<'listScenarios'>): void {
  byId('active-scenario').textContent = body.active.name
  byId('active-source').textContent = `(${body.active.source})`
  const names = body.scenarios.map((s) => s.name)
  fillSelect('scenario-select', names, null)
  fillSelect('bind-scenario', names, '(unbind)')
  fillSelect('override-scenario', names, '(none: fault only)')
  const list = byId('override-list')
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
function fillSelect(id: string, names: string[], empty: string | null): void {
  const select = byId(id) as HTMLSelectElement
  if (unchanged(select, names)) return
  const chosen = select.value
  const options = (empty === null ? [] : [['', empty]]).concat(names.map((n) => [n, n]))
  select.replaceChildren(
    ...options.map(([value = '', label = '']) => {
      const option = document.createElement('option')
      option.value = value
      option.textContent = label
      return option
    }),
  )
  if (chosen) select.value = chosen
}

/** The scenarios panel. */
export const scenariosPanel: Panel = { markup: MARKUP, wire, refresh }
