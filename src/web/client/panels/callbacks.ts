/**
 * @module The console's callbacks panel: each delivery with its attempts, and redelivery
 * (`/__admin/callbacks…`).
 */
import { adminApi, adminGet } from '../console-api.js'
import { actionButton, cellRow, tableMarkup, unchanged } from '../console-panel.js'
import type { ConsoleContext, Panel } from '../console-panel.js'
import { byId } from '../dom.js'

const MARKUP = tableMarkup('callbacks', 'Callback attempts', [
  'ID',
  'Workflow execution',
  'Status',
  'State',
  'Attempts',
  'Actions',
])

async function refresh(ctx: ConsoleContext): Promise<void> {
  const body = await adminGet('listCallbacks', '/callbacks')
  const rows = byId('callbacks-rows')
  if (!body || unchanged(rows, body)) return
  rows.replaceChildren(
    ...body.callbacks.map((d) => {
      const attempts = d.attempts
        .map((a) => (a.responseStatus === undefined ? (a.error ?? '?') : String(a.responseStatus)))
        .join(', ')
      const redeliver = actionButton(ctx, 'Redeliver', `Redeliver ${d.id}`, () =>
        adminApi('POST', `/callbacks/${d.id}/redeliver`),
      )
      return cellRow([d.id, d.workflowExecutionId, d.status, d.state, attempts || '–', [redeliver]])
    }),
  )
}

/** The callbacks panel. */
export const callbacksPanel: Panel = { markup: MARKUP, refresh }
