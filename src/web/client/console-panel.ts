/**
 * @module What a panel of the QA console is, and the helpers panels share. A panel is one module
 * under panels/ that owns its markup, its controls and its refresh; console.ts lists them.
 * Panels draw admin API data with DOM calls (text only, never HTML), and redraw a part only
 * when its data changed, so keyboard focus stays put between the 2 s refreshes.
 */

/** What the console hands its panels. */
export interface ConsoleContext {
  /** Runs an admin call, reports it in the status line, then refreshes every panel. */
  act: (action: () => Promise<unknown>) => void
}

/** One panel of the console. */
export interface Panel {
  /**
   * The panel's `<section>`: static markup written in the panel's module, never data. Its class
   * `wide` makes it span the console's full width (tables).
   */
  readonly markup: string
  /** Wires the section's controls, once it is in the page. */
  wire?: (ctx: ConsoleContext) => void
  /** Redraws the panel from the admin API: on load, every 2 s and after each action. */
  refresh: (ctx: ConsoleContext) => Promise<void>
}

/** True when `el` already shows `data`; otherwise remembers it. */
export function unchanged(el: HTMLElement, data: unknown): boolean {
  const key = JSON.stringify(data)
  if (el.dataset['shown'] === key) return true
  el.dataset['shown'] = key
  return false
}

/** Sets an element's text unless it shows it already (keeps a selection made in it). */
export function showText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text
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

/** A row button that runs an admin call through `ctx.act`. */
export function actionButton(
  ctx: ConsoleContext,
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
    ctx.act(call)
  })
  return button
}

/** A wide section holding a table whose body is `#<id>-rows`. */
export function tableMarkup(id: string, title: string, headings: string[]): string {
  return `<section class="wide" aria-labelledby="${id}-h">
<h2 id="${id}-h">${title}</h2>
<table><thead><tr>${headings.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead>
<tbody id="${id}-rows"></tbody></table>
</section>`
}

/** A section holding a scrollable text feed `#<id>`. */
export function feedMarkup(id: string, title: string): string {
  return `<section aria-labelledby="${id}-h">
<h2 id="${id}-h">${title}</h2>
<pre id="${id}" tabindex="0" aria-labelledby="${id}-h">–</pre>
</section>`
}
