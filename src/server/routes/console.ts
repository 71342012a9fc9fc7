/**
 * @module The QA console at `/__admin/ui` (issue 6). The page and its assets hold no data, so
 * they are served without the admin token; every figure comes from the admin API, which the
 * page's script calls with the token as a bearer when the instance has one.
 */
import { Hono } from 'hono'
import type { AppEnv } from '../env.js'
import { CONSOLE_FUNCTIONS } from '../../web/console-client.js'
import { CONSOLE_ASSETS, consolePage } from '../../web/console-page.js'
import { RENDER_FUNCTIONS } from '../../web/console-render.js'
import { clientScript } from '../../web/html.js'
import { STYLESHEET } from '../../web/styles.js'

const SCRIPT = clientScript([...CONSOLE_FUNCTIONS, ...RENDER_FUNCTIONS], 'consoleMain')

/** The QA console's routes. */
export function consoleRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const html = consolePage()
  app.get('/__admin/ui', (c) => c.html(html, 200, { 'Cache-Control': 'no-store' }))
  app.get(CONSOLE_ASSETS.script, (c) =>
    c.body(SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }),
  )
  app.get(CONSOLE_ASSETS.stylesheet, (c) =>
    c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8' }),
  )
  return app
}
