/**
 * @module DOM helpers shared by the page scripts (the journey and the QA console).
 */

/** An element the page is known to have. */
export function byId(id: string): HTMLElement {
  const el = document.getElementById(id)
  if (!el) throw new Error(`#${id} is missing`)
  return el
}

/** The trimmed value of a form control the page is known to have. */
export function valueOf(id: string): string {
  return (byId(id) as HTMLInputElement | HTMLSelectElement).value.trim()
}

/** Shows a message in a status line; `kind` is '', 'ok' or 'bad' (the stylesheet's colours). */
export function setStatus(el: HTMLElement | null, text: string, kind: '' | 'ok' | 'bad'): void {
  if (!el) return
  el.textContent = text
  el.className = `status ${kind}`.trim()
}

/** The message of anything thrown. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
