/**
 * @module The console's journal panel: the latest Jumio requests with the violations they
 * carried (`/__admin/journal`); an instance without a journal shows a note.
 */
import { adminGet } from '../console-api.js'
import { feedMarkup, showText } from '../console-panel.js'
import type { Panel } from '../console-panel.js'
import { byId } from '../dom.js'

const LATEST = 15

async function refresh(): Promise<void> {
  const journal = byId('journal')
  // the last page seen tells where the latest entries start
  const offset = Math.max(Number(journal.dataset['total'] ?? '0') - LATEST, 0)
  const page = await adminGet('getJournal', `/journal?offset=${String(offset)}&limit=1000`)
  if (!page) {
    showText(journal, 'The journal is not available on this instance.')
    return
  }
  journal.dataset['total'] = String(page.total)
  const lines = page.entries.slice(-LATEST).map((e) => {
    const codes = e.violations.map((v) => v.code).join(' ')
    return `${e.time.slice(11, 23)} ${e.method} ${e.path} → ${String(e.status)}${codes ? `  ⚠ ${codes}` : ''}`
  })
  showText(journal, lines.join('\n') || '(empty)')
}

/** The journal panel. */
export const journalPanel: Panel = {
  markup: feedMarkup('journal', 'Journal (latest requests)'),
  refresh,
}
