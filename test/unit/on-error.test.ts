/**
 * What the app answers for errors no route meant: Hono's own exceptions keep their status in
 * Jumio's problem shape; an unknown scenario name is a 400; anything else is a 500 that is logged.
 */
import { HTTPException } from 'hono/http-exception'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { UnknownScenario } from '../../src/scenarios/registry.js'
import { createApp } from '../../src/server/app.js'
import { createDeps } from '../../src/server/deps.js'
import { FIXTURES } from '../helpers/server.js'

function appThrowing(err: Error) {
  const logged: string[] = []
  const config = loadConfig(['--scenarios', `${FIXTURES}scenarios.test.yaml`], {})
  const log = {
    info: () => undefined,
    warn: () => undefined,
    error: (msg: string) => logged.push(msg),
  }
  const deps = createDeps(config, { log })
  // thrown inside a route (the admin health reads the store's figures), as no route means to
  deps.store.stats = () => {
    throw err
  }
  return { app: createApp(deps), logged }
}

describe('errors no route meant', () => {
  it.each<[Error, number, string, string]>([
    [
      new HTTPException(422, { message: 'not processable' }),
      422,
      'Unprocessable Content',
      'not processable',
    ],
    [new HTTPException(408, { message: 'too slow' }), 408, 'Request Timeout', 'too slow'],
    [new UnknownScenario('Unknown scenario "x"'), 400, 'Bad Request', 'Unknown scenario "x"'],
  ])('%s keeps its meaning: %i in the problem shape', async (err, status, title, detail) => {
    const { app, logged } = appThrowing(err)
    const res = await app.request('/__admin/health')
    expect({ status: res.status, body: (await res.json()) as unknown }).toEqual({
      status,
      body: { title, status, detail },
    })
    expect(logged).toEqual([])
  })

  it('anything else is a 500 that is logged', async () => {
    const { app, logged } = appThrowing(new TypeError('a bug'))
    const res = await app.request('/__admin/health')
    expect(res.status).toBe(500)
    expect(logged).toEqual(['unhandled error'])
  })
})
