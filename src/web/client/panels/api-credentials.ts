/**
 * @module The console's API credentials panel: create an OAuth2 client or a
 * deprecated API user with its permissions (the secret is shown once, here), rotate with a grace
 * period, deactivate (`/__admin/api-credentials…`, `/__admin/api-users…`). A new credential
 * belongs to the tenant named in the console's tenant field, else to a tenant of its own.
 */
import { adminApi, adminGet } from '../console-api.js'
import type { Ok } from '../console-api.js'
import { actionButton, cellRow, unchanged } from '../console-panel.js'
import type { ConsoleContext, Panel } from '../console-panel.js'
import { byId, valueOf } from '../dom.js'

type Credential = Ok<'listApiCredentials'>['apiCredentials'][number]
type NewCredential = Credential & { clientSecret: string }

const PATHS = { OAUTH2_CLIENT: '/api-credentials', API_USER: '/api-users' } as const

const MARKUP = `<section class="wide" aria-labelledby="credentials-h">
<h2 id="credentials-h">API credentials</h2>
<p class="hint">OAuth2 clients, and the deprecated API users that call with Basic auth. A new one belongs to the tenant above (empty: a tenant of its own). Its secret is shown once, here.</p>
<div class="row">
<div><label for="credential-type">Type</label><select id="credential-type">
<option value="OAUTH2_CLIENT">OAuth2 client</option><option value="API_USER">API user (Basic, deprecated)</option></select></div>
<div><label for="credential-name">Name (optional)</label><input type="text" id="credential-name"></div>
<fieldset class="inline"><legend>Permissions</legend>
<input type="checkbox" id="perm-initiate" checked><label for="perm-initiate">Initiate a transaction</label>
<input type="checkbox" id="perm-retrieve" checked><label for="perm-retrieve">Retrieve &amp; delete</label>
</fieldset>
<div><button type="button" id="create-credential">Create credential</button></div>
</div>
<div id="new-secret" hidden>
<p><strong>Copy the secret now: it is not shown again.</strong></p>
<p>ID <span class="code" id="new-secret-id"></span>, secret <span class="code" id="new-secret-value"></span></p>
</div>
<div class="row">
<div><label for="rotate-grace">Grace when rotating (seconds)</label><input type="number" id="rotate-grace" value="0" min="0" max="2592000"></div>
</div>
<table><thead><tr><th scope="col">Client ID</th><th scope="col">Type</th><th scope="col">Name</th><th scope="col">Tenant</th><th scope="col">Permissions</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
<tbody id="credentials-rows"></tbody></table>
</section>`

/** Shows a secret the admin API just made, with its client id. */
function showSecret(made: NewCredential): void {
  byId('new-secret-id').textContent = made.clientId
  byId('new-secret-value').textContent = made.clientSecret
  byId('new-secret').hidden = false
}

function wire(ctx: ConsoleContext): void {
  byId('create-credential').addEventListener('click', () => {
    ctx.act(async () => {
      const type = valueOf('credential-type') as keyof typeof PATHS
      const permissions = [
        ...((byId('perm-initiate') as HTMLInputElement).checked ? ['INITIATE'] : []),
        ...((byId('perm-retrieve') as HTMLInputElement).checked ? ['RETRIEVE_DELETE'] : []),
      ]
      const body: Record<string, unknown> = { permissions }
      if (valueOf('credential-name')) body['name'] = valueOf('credential-name')
      showSecret((await adminApi('POST', PATHS[type], body)) as NewCredential)
    })
  })
}

async function refresh(ctx: ConsoleContext): Promise<void> {
  const [clients, users] = await Promise.all([
    adminGet('listApiCredentials', PATHS.OAUTH2_CLIENT),
    adminGet('listApiUsers', PATHS.API_USER),
  ])
  const all = [...(clients?.apiCredentials ?? []), ...(users?.apiCredentials ?? [])]
  const rows = byId('credentials-rows')
  if (unchanged(rows, all)) return
  rows.replaceChildren(...all.map((c) => row(ctx, c)))
}

function row(ctx: ConsoleContext, c: Credential): HTMLTableRowElement {
  const base = `${PATHS[c.type]}/${encodeURIComponent(c.clientId)}`
  const actions: Node[] = []
  if (c.source === 'admin' && c.status === 'ACTIVE') {
    actions.push(
      actionButton(ctx, 'Rotate', `Rotate ${c.clientId}`, async () => {
        const graceSeconds = Number(valueOf('rotate-grace') || '0')
        showSecret((await adminApi('POST', `${base}/rotate`, { graceSeconds })) as NewCredential)
      }),
      actionButton(ctx, 'Deactivate', `Deactivate ${c.clientId}`, () =>
        adminApi('POST', `${base}/deactivate`, {}),
      ),
    )
  }
  const type = c.type === 'API_USER' ? 'API user' : 'OAuth2 client'
  const grace = c.previousSecretExpiresAt ? ` (old secret until ${c.previousSecretExpiresAt})` : ''
  const status = `${c.status}${c.source === 'configured' ? ', configured' : ''}${grace}`
  return cellRow([c.clientId, type, c.name, c.tenant, c.permissions.join(', '), status, actions])
}

/** The API credentials panel. */
export const apiCredentialsPanel: Panel = { markup: MARKUP, wire, refresh }
