/**
 * @module Health: Jumio's status host root (the mock's own is `/__admin/health`)
 * ([D] jumio-reference §14).
 */
import { Hono } from 'hono'
import type { AppEnv } from '../env.js'
import type { HealthResponse } from '../contract/types.js'
import type { AppDeps } from '../deps.js'
import { binder } from './bind.js'

/** The health routes. */
export function healthRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  binder(app, deps.operations)('getHealth', (c) => {
    const body: HealthResponse = { status: 'UP' }
    return c.json(body, 200)
  })
  return app
}
