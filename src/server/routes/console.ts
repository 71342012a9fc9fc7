/**
 * @module The QA console at `/__admin/ui`. The page and its assets hold no data, so
 * they are served without the admin token; every figure comes from the admin API, which the
 * page's script calls with the token as a bearer when the instance has one.
 */
import { Hono } from 'hono'
import type { AppEnv } from '../env.js'
import { CONSOLE_ASSETS, consolePage } from '../../web/console-page.js'
import { contentSecurityPolicy } from '../../web/html.js'
import { pageScript } from '../../web/page-scripts.js'
import { STYLESHEET } from '../../web/styles.js'

/** The console embeds nowhere: it acts on the admin API (no clickjacking of its buttons). */
const PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': contentSecurityPolicy("'none'"),
  'X-Content-Type-Options': 'nosniff',
}
const SCRIPT_HEADERS = {
  'Content-Type': 'text/javascript; charset=utf-8',
  'X-Content-Type-Options': 'nosniff',
}

/** The QA console's routes. */
export function consoleRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const html = consolePage()
  app.get('/__admin/ui', (c) => c.html(html, 200, PAGE_HEADERS))
  // the admin URL of the ready line: a person opening it starts at the console
  app.get('/__admin', (c) => c.redirect('/__admin/ui', 302))
  app.get('/__admin/', (c) => c.redirect('/__admin/ui', 302))
  app.get(CONSOLE_ASSETS.script, async (c) =>
    c.body(await pageScript('console'), 200, SCRIPT_HEADERS),
  )
  app.get(CONSOLE_ASSETS.stylesheet, (c) =>
    c.body(STYLESHEET, 200, {
      'Content-Type': 'text/css; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
    }),
  )
  return app
}
