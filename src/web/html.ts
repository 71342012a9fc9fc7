/**
 * @module Small helpers for the server-rendered pages: escaping, the page layout, the data handed
 * to the page's script, and the pages' Content-Security-Policy. Everything is served by the mock
 * itself: no external assets, so the pages work offline. The scripts are browser modules of
 * their own (client/, compiled by esbuild: see page-scripts.ts).
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
  /** The page's script: a browser module of the mock's own origin. */
  script: string
  /** Handed to the script as `<script type="application/json" id="page-data">`, if any. */
  data?: unknown
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
${dataBlock(p.data)}<script type="module" src="${esc(p.script)}"></script>
</body>
</html>
`
}

/** The page's data as a JSON data block: inert, never run by the browser. */
function dataBlock(data: unknown): string {
  if (data === undefined) return ''
  return `<script type="application/json" id="page-data">${jsonForScript(data)}</script>\n`
}

/** JSON that cannot close its `<script>` element. */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
}

/**
 * The Content-Security-Policy of the mock's pages. Scripts come only from the mock's
 * own files: no inline script, no eval and no `javascript:` URL runs, so a value that ever
 * reached a page could not run there (the journey and the QA console share the mock's origin).
 * Styles, images and fetches stay on the mock; no plugins, no `<base>`, no form posts.
 * `frameAncestors` says which sites may embed the page. The page's `application/json` data
 * block is not a script: the policy does not apply to it, and the browser never runs it.
 */
export function contentSecurityPolicy(frameAncestors: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ')
}
