/**
 * `/__admin/docs` (issue 5): an interactive reference of both contracts whose every asset is
 * served by the mock itself, so that it works offline; and the contracts as files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { expectNoResponseViolations, startTestServer } from '../helpers/server.js'
import type { TestServer } from '../helpers/server.js'

let s: TestServer
beforeAll(async () => {
  s = await startTestServer()
})
afterAll(async () => {
  expectNoResponseViolations(s)
  await s.close()
})

describe('/__admin/docs', () => {
  it('is an HTML page whose scripts, styles and icons all come from the mock', async () => {
    const page = await s.http
      .get('/__admin/docs')
      .expect(200)
      .expect('Content-Type', /text\/html/)
    const refs = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '')
    expect(refs.length).toBeGreaterThanOrEqual(5)
    for (const ref of refs) {
      expect(ref).toMatch(/^\/__admin\/docs\//)
      const res = await s.http.get(ref).expect(200)
      expect(res.headers['content-type']).toMatch(/^(text\/(css|javascript)|image\/png)/)
    }
    expect(page.text).not.toMatch(/https?:\/\//)
  })

  it('offers both contracts, and sends "Try it out" requests to the mock', async () => {
    const init = await s.http.get('/__admin/docs/init.js').expect(200)
    expect(init.text).toContain("url: '/__admin/contracts/jumio.openapi.yaml'")
    expect(init.text).toContain("url: '/__admin/contracts/admin.openapi.yaml'")
    expect(init.text).toContain('window.location.origin')
  })

  it('serves nothing else from node_modules', async () => {
    await s.http.get('/__admin/docs/assets/package.json').expect(404)
    await s.http.get('/__admin/docs/assets/..%2F..%2Fpackage.json').expect(404)
    await s.http.get('/__admin/docs/assets/swagger-ui-bundle.js.map').expect(404)
  })
})

describe('/__admin/contracts', () => {
  it.each(['jumio', 'admin'])('serves %s.openapi.yaml as OpenAPI 3.1 YAML', async (name) => {
    const res = await s.http
      .get(`/__admin/contracts/${name}.openapi.yaml`)
      .expect(200)
      .expect('Content-Type', /application\/yaml/)
    const doc = parse(res.text) as { openapi: string; paths: Record<string, unknown> }
    expect(doc.openapi).toMatch(/^3\.1/)
    expect(Object.keys(doc.paths).length).toBeGreaterThan(3)
  })

  it('serves no other file of contracts/', async () => {
    await s.http.get('/__admin/contracts/scenarios.schema.json').expect(404)
  })
})
