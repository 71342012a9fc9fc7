/**
 * @module The console's violations panel: the journal's contract violations grouped by code
 * (`/__admin/violations`); an instance without a journal shows a note.
 */
import { adminGet } from '../console-api.js'
import { feedMarkup, showText } from '../console-panel.js'
import type { Panel } from '../console-panel.js'
import { byId } from '../dom.js'

async function refresh(): Promise<void> {
  const body = await adminGet('getViolations', '/violations')
  const text = body
    ? body.violations.map((v) => `${v.code} (${v.section}) × ${String(v.count)}`).join('\n') ||
      '(none)'
    : 'Violations are not available on this instance.'
  showText(byId('violations'), text)
}

/** The violations panel. */
export const violationsPanel: Panel = { markup: feedMarkup('violations', 'Violations'), refresh }
