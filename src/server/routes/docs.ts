/**
 * @module The contracts and an interactive reference of both APIs at `/__admin/docs`, with every
 * asset served from the installed `swagger-ui-dist` package: no CDN, so it works offline. The page
 * reads each contract with the mock that serves it as the first, and so the default, server, so
 * that "Try it out" calls the mock; Jumio's hosts stay listed after it, for reference.
 * Open like the health check: nothing here is secret, and a browser cannot send the admin token.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Hono } from 'hono'
import { CONTRACTS_DIR } from '../../package-files.js'
import { readContract } from '../contract/validators.js'
import type { AppDeps } from '../deps.js'
import type { AppEnv } from '../env.js'

const SWAGGER_UI = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))

/** The served contracts: URL name → file in `contracts/`. */
const CONTRACT_FILES: Record<string, string> = {
  'jumio.openapi.yaml': 'jumio.openapi.yaml',
  'admin.openapi.yaml': 'admin.openapi.yaml',
}

/** The contracts the docs page reads: URL name → contract name for `readContract`. */
const DOCS_SPECS: Record<string, string> = {
  'jumio.openapi.json': 'jumio',
  'admin.openapi.json': 'admin',
}

/**
 * The server "Try it out" uses by default. Relative, so Swagger UI resolves it against the
 * spec's own URL: the origin the browser reached the mock at, behind any proxy or port mapping.
 */
export const THIS_MOCK_SERVER = {
  url: '/',
  description: 'This mock (the origin serving this page)',
}

/** The only files of swagger-ui-dist the page needs, with their content types. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
}

/** `/__admin/docs`, its assets, and `/__admin/contracts/*.openapi.yaml`. */
export function docsRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.get('/__admin/docs', (c) => c.html(page(deps.version)))
  app.get('/__admin/docs/', (c) => c.redirect('/__admin/docs', 301))
  app.get('/__admin/docs/init.js', (c) =>
    c.body(INIT_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }),
  )
  app.get('/__admin/docs/specs/:file', (c) => {
    const name = c.req.param('file')
    const contract = Object.hasOwn(DOCS_SPECS, name) ? DOCS_SPECS[name] : undefined
    if (contract === undefined) return c.notFound()
    return c.json(docsSpec(contract))
  })
  app.get('/__admin/docs/assets/:file', async (c) => {
    const name = c.req.param('file')
    // own keys only: `constructor` or `__proto__` is no asset
    const type = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined
    if (type === undefined) return c.notFound()
    const bytes = await readFile(join(SWAGGER_UI, name))
    return c.body(new Uint8Array(bytes), 200, {
      'Content-Type': type,
      'Cache-Control': 'public, max-age=86400',
    })
  })
  app.get('/__admin/contracts/:file', async (c) => {
    const name = c.req.param('file')
    const file = Object.hasOwn(CONTRACT_FILES, name) ? CONTRACT_FILES[name] : undefined
    if (file === undefined) return c.notFound()
    const text = await readFile(join(CONTRACTS_DIR, file), 'utf8')
    return c.body(text, 200, { 'Content-Type': 'application/yaml; charset=utf-8' })
  })
  return app
}

const docsSpecs = new Map<string, Record<string, unknown>>()

/** A contract with this mock as its first server, then the servers it names (Jumio's hosts). */
function docsSpec(contract: string): Record<string, unknown> {
  let spec = docsSpecs.get(contract)
  if (!spec) {
    const doc = readContract(contract)
    const servers = Array.isArray(doc['servers']) ? (doc['servers'] as unknown[]) : []
    spec = { ...doc, servers: [THIS_MOCK_SERVER, ...servers] }
    docsSpecs.set(contract, spec)
  }
  return spec
}

function page(version: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>jumio-mock ${version}: API reference</title>
  <link rel="icon" type="image/png" href="/__admin/docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/__admin/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="docs"></div>
  <script src="/__admin/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/__admin/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script src="/__admin/docs/init.js"></script>
</body>
</html>
`
}

// Both contracts in the top bar's selector, each read with this mock as its default server (no
// request rewriting: the server a reader picks in the page is the one that gets the request).
const INIT_JS = `window.ui = SwaggerUIBundle({
  urls: [
    { name: 'Jumio KYX API (mocked)', url: '/__admin/docs/specs/jumio.openapi.json' },
    { name: 'jumio-mock admin API', url: '/__admin/docs/specs/admin.openapi.json' },
  ],
  dom_id: '#docs',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
})
`
