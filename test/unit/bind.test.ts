import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { AppEnv } from '../../src/server/env.js'
import { binder } from '../../src/server/routes/bind.js'

const OPERATIONS = new Map([
  ['getThing', { method: 'GET', path: '/things/{thingId}' }],
  ['checkThings', { method: 'POST', path: '/things/check' }],
])

describe('binding routes by operationId', () => {
  it('takes the method and the path from the contract', async () => {
    const app = new Hono<AppEnv>()
    binder(app, OPERATIONS)('getThing', (c) => c.text(c.req.param('thingId') ?? ''))
    expect(app.routes.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /things/:thingId'])
    expect(await (await app.request('/things/42')).text()).toBe('42')
    expect((await app.request('/things/42', { method: 'POST' })).status).toBe(404)
  })

  it('runs the `before` middleware of the operation ahead of its handlers', async () => {
    const app = new Hono<AppEnv>()
    const seen: string[] = []
    const route = binder(app, OPERATIONS, {
      before: (id) => async (_c, next) => {
        seen.push(id)
        await next()
      },
    })
    route('getThing', (c) => c.text('ok'))
    await app.request('/things/1')
    expect(seen).toEqual(['getThing'])
  })

  it('serves a static segment under a parameter, and 404s every other value of it', async () => {
    const app = new Hono<AppEnv>()
    const route = binder(app, OPERATIONS, { paths: { checkThings: '/things/:thingId' } })
    route('checkThings', (c) => c.text('checked'))
    expect(await (await app.request('/things/check', { method: 'POST' })).text()).toBe('checked')
    expect((await app.request('/things/other', { method: 'POST' })).status).toBe(404)
  })

  it('refuses an unknown operationId and a path that is not the contract operation', () => {
    const app = new Hono<AppEnv>()
    expect(() => {
      binder(app, OPERATIONS)('nope', (c) => c.text(''))
    }).toThrow(/no operation nope/)
    const route = binder(app, OPERATIONS, { paths: { getThing: '/stuff/:thingId' } })
    expect(() => {
      route('getThing', (c) => c.text(''))
    }).toThrow(/does not match/)
  })
})
