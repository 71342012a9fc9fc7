/**
 * @module Small helpers for the server-rendered pages: escaping, the page layout, data handed to
 * the page's script, and the script itself built from plain functions. Everything is served by
 * the mock itself: no external assets, so the pages work offline.
 */

/** Escapes text for HTML element content and quoted attribute values. */
export function esc(value: string | number): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** What a page is made of. */
export interface PageParts {
  lang: string
  title: string
  /** The banner line above the main content. */
  brand: string
  main: string
  stylesheet: string
  script: string
  /** Handed to the script as `<script type="application/json" id="page-data">`. */
  data: unknown
  /** Use the full width (tables). */
  wide?: boolean
}

/** The common page layout: a banner, one main landmark, the data and the script. */
export function page(p: PageParts): string {
  return `<!doctype html>
<html lang="${esc(p.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(p.title)}</title>
<link rel="stylesheet" href="${esc(p.stylesheet)}">
</head>
<body>
<header><p class="brand">${esc(p.brand)}</p></header>
<main id="main"${p.wide ? ' class="wide"' : ''}>
${p.main}
</main>
<script type="application/json" id="page-data">${jsonForScript(p.data)}</script>
<script src="${esc(p.script)}" defer></script>
</body>
</html>
`
}

/** JSON that cannot close its `<script>` element. */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
}

/**
 * Builds a browser script from plain, self-contained functions (type-checked and linted with the
 * rest of the code): their source text in order, then a call of `entry`. The `__name` shim
 * absorbs the helper that esbuild-based runners (tsx, vitest) insert to keep function names.
 */
export function clientScript(functions: ((...args: never[]) => unknown)[], entry: string): string {
  const body = functions.map((f) => f.toString()).join('\n\n')
  return `'use strict';\nvar __name = function (f) { return f };\n${body}\n\n${entry}();\n`
}
