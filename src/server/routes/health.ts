/**
 * @module Health: Jumio's status host root (the mock's own is `/__admin/health`)
 * ([D] jumio-reference §14).
 */
import { Hono } from 'hono'
import type { AppEnv } from '../env.js'
import type { HealthResponse } from '../contract/types.js'
import { allowOnly } from './operation.js'

/** The health routes. */
export function healthRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  // operationId: getHealth
  app.get('/', (c) => {
    const body: HealthResponse = { status: 'UP' }
    return c.json(body, 200)
  })
  app.all('/', allowOnly('GET'))
  return app
}
