import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { createApp } from '../../src/server/app.js'
import { createDeps } from '../../src/server/deps.js'

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined }

describe('the app router', () => {
  it("keeps every route on Hono's RegExpRouter, not the slower TrieRouter fallback", async () => {
    // regression: a static segment beside a parameter (`/__admin/callbacks/verify` beside
    // `/__admin/callbacks/:callbackId/redeliver`) sent every request through the TrieRouter
    const app = createApp(createDeps(loadConfig(['--watch=false'], {}), { log: silent }))
    const res = await app.request('/__admin/health')
    expect(res.status).toBe(200)
    expect(app.router.name).toBe('SmartRouter + RegExpRouter')
  })

  it('still answers the verify route, and 404 for any other POST under /__admin/callbacks/', async () => {
    const app = createApp(createDeps(loadConfig(['--watch=false'], {}), { log: silent }))
    const verify = await app.request('/__admin/callbacks/verify', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({}),
    })
    expect(verify.status).toBe(400)
    expect(((await verify.json()) as { detail: string }).detail).toContain('url')
    const other = await app.request('/__admin/callbacks/other-id', { method: 'POST' })
    expect(other.status).toBe(404)
  })

  it('answers another method on a known path from one last route, not a catch-all per path', async () => {
    // regression: a catch-all per path was 40 of 144 routes, which Hono's router compiles for
    // every method at the first request (about 2.7 MB of idle RSS)
    const app = createApp(createDeps(loadConfig(['--watch=false'], {}), { log: silent }))
    const catchAlls = app.routes.filter((r) => r.method === 'ALL' && r.path !== '/*')
    expect(catchAlls.map((r) => r.path)).toEqual([])
    const other = await app.request('/__admin/journal', { method: 'PUT' })
    expect([other.status, other.headers.get('Allow')]).toEqual([405, 'GET, DELETE'])
    // the route table is strict about a trailing slash, and so is the 405
    expect((await app.request('/__admin/journal/', { method: 'PUT' })).status).toBe(404)
    expect((await app.request('/__admin/nothing', { method: 'PUT' })).status).toBe(404)
  })
})
