/** @module Text made safe for one cell of a GitHub Markdown table. */

/**
 * One line; pipes escaped (GitHub needs that inside code spans too); `<` and `>` outside code
 * spans as entities, so that `<family>` is shown rather than taken for an HTML tag.
 */
export function cell(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .split(/(`[^`]*`)/)
    .map((piece) =>
      piece.startsWith('`') ? piece : piece.replaceAll('<', '&lt;').replaceAll('>', '&gt;'),
    )
    .join('')
    .replaceAll('|', '\\|')
}
