/**
 * @module Health: Jumio's status host root and the mock's own `/__admin/health`
 * ([D] REFERENCE §14).
 */
import { Hono } from 'hono'
import type { AppDeps } from '../deps.js'
import type { AppEnv } from '../env.js'
import type { HealthResponse } from '../contract/types.js'
import { methodNotAllowed, operation } from './operation.js'

/** The health routes. */
export function healthRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.get('/', operation('getHealth'), (c) => {
    const body: HealthResponse = { status: 'UP' }
    return c.json(body, 200)
  })
  app.all('/', methodNotAllowed)
  app.get('/__admin/health', (c) =>
    c.json(
      {
        status: 'UP',
        scenarios: deps.scenarios.path,
        defaultScenario: deps.scenarios.default.name,
      },
      200,
    ),
  )
  return app
}
