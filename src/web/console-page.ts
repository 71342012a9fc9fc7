/**
 * @module The QA console's page at `/__admin/ui`: a static shell with no data in it, and no
 * panels. Its script (client/console.ts) puts the panels in and fills them from the admin API
 * (contracts/admin.openapi.yaml) every 2 s, sending the admin token as a bearer when the
 * instance has one.
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

/** The console's HTML shell. */
export function consolePage(): string {
  const main = `<h1>QA console</h1>
<p class="status" id="console-status" role="status"></p>
${TOKEN_FORM}
<div class="row">
<div><label for="tenant">Tenant (empty: all tenants and the global settings)</label><input type="text" id="tenant"></div>
</div>
<div id="panels" class="panels"></div>`
  return page({
    lang: 'en',
    title: 'Jumio mock: QA console',
    brand: 'Jumio mock: QA console',
    main,
    stylesheet: CONSOLE_ASSETS.stylesheet,
    script: CONSOLE_ASSETS.script,
    wide: true,
  })
}
