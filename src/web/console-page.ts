/**
 * @module The QA console's page at `/__admin/ui`: a static shell with no data in it. Its script
 * (console-client.ts) fills it from the admin API (contracts/admin.openapi.yaml) every 2 s,
 * sending the admin token as a bearer when the instance has one.
 */
import { page } from './html.js'

/** Where the console's assets are served. */
export const CONSOLE_ASSETS = {
  script: '/__admin/ui/console.js',
  stylesheet: '/__admin/ui/console.css',
}

const TOKEN_FORM = `<form id="token-form" hidden>
<label for="admin-token">Admin token</label>
<p class="hint" id="token-hint">This instance needs its admin token. It is kept in this tab's session storage only.</p>
<input type="password" id="admin-token" autocomplete="off" aria-describedby="token-hint">
<button type="submit">Use token</button>
</form>`

const SCENARIOS = `<section aria-labelledby="scenarios-h">
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

const CLOCK = `<section aria-labelledby="clock-h">
<h2 id="clock-h">Clock</h2>
<p>Now: <span id="clock-now" class="code">–</span> (moved by <span id="clock-skew">0</span> ms)</p>
<div class="row">
<div><label for="advance-by">Advance by (ms, or 30s, 15m, 2h, 1d)</label><input type="text" id="advance-by" value="15m"></div>
<div><button type="button" id="advance">Advance</button></div>
</div>
<h2>Reset</h2>
<p class="hint" id="reset-hint">Clears accounts, workflow executions, callbacks, overrides and the clock.</p>
<button type="button" class="danger" id="reset" aria-describedby="reset-hint">Reset all state</button>
</section>`

function table(id: string, title: string, headings: string[]): string {
  return `<section aria-labelledby="${id}-h">
<h2 id="${id}-h">${title}</h2>
<table><thead><tr>${headings.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead>
<tbody id="${id}-rows"></tbody></table>
</section>`
}

function feed(id: string, title: string): string {
  return `<section aria-labelledby="${id}-h">
<h2 id="${id}-h">${title}</h2>
<pre id="${id}" tabindex="0" aria-labelledby="${id}-h">–</pre>
</section>`
}

/** The console's HTML shell. */
export function consolePage(): string {
  const main = `<h1>QA console</h1>
<p class="status" id="console-status" role="status"></p>
${TOKEN_FORM}
<div class="row">
<div><label for="tenant">Tenant (empty: all tenants and the global settings)</label><input type="text" id="tenant"></div>
</div>
<div class="grid">
${SCENARIOS}
${CLOCK}
</div>
${table('wfe', 'Workflow executions', ['ID', 'Account', 'Status', 'Scenario', 'Decision', 'Timeline', 'Actions'])}
${table('callbacks', 'Callback attempts', ['ID', 'Workflow execution', 'Status', 'State', 'Attempts', 'Actions'])}
<div class="grid">
${feed('journal', 'Journal (latest requests)')}
${feed('violations', 'Violations')}
</div>`
  return page({
    lang: 'en',
    title: 'Jumio mock: QA console',
    brand: 'Jumio mock: QA console',
    main,
    stylesheet: CONSOLE_ASSETS.stylesheet,
    script: CONSOLE_ASSETS.script,
    data: {},
    wide: true,
  })
}
