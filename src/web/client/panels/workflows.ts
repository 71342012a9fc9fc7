/**
 * @module The console's workflow executions panel: each one's status, scenario, decision and
 * timeline, with force expire and process while it is open (`/__admin/workflow-executions…`).
 */
import { adminApi, adminGet } from '../console-api.js'
import type { Ok } from '../console-api.js'
import { actionButton, cellRow, tableMarkup, unchanged } from '../console-panel.js'
import type { ConsoleContext, Panel } from '../console-panel.js'
import { byId } from '../dom.js'

type WorkflowExecution = Ok<'listWorkflowExecutions'>['workflowExecutions'][number]

const MARKUP = tableMarkup('wfe', 'Workflow executions', [
  'ID',
  'Account',
  'Status',
  'Scenario',
  'Decision',
  'Timeline',
  'Actions',
])

async function refresh(ctx: ConsoleContext): Promise<void> {
  const body = await adminGet('listWorkflowExecutions', '/workflow-executions')
  const rows = byId('wfe-rows')
  if (!body || unchanged(rows, body)) return
  rows.replaceChildren(...body.workflowExecutions.map((w) => row(ctx, w)))
}

function row(ctx: ConsoleContext, w: WorkflowExecution): HTMLTableRowElement {
  const decision = w.decision
    ? `${w.decision.type ?? '?'} / ${w.decision.details?.label ?? '?'}`
    : '–'
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
      actionButton(ctx, 'Expire', `Expire ${w.id}`, () => adminApi('POST', `${base}/expire`)),
      actionButton(ctx, 'Process', `Process ${w.id}`, () => adminApi('POST', `${base}/process`)),
    )
  }
  return cellRow([w.id, w.accountId, w.status, w.scenario, decision, timeline, actions])
}

/** The workflow executions panel. */
export const workflowsPanel: Panel = { markup: MARKUP, refresh }
