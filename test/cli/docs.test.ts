/**
 * `/__admin/docs`: an interactive reference of both contracts whose every asset is served by the
 * mock itself, so that it works offline, and whose "Try it out" calls the mock that serves the
 * page by default; and the contracts as files.
 */
import { readFileSync } from 'node:fs'
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

  it('offers both contracts, read with the mock as their server, and rewrites no request', async () => {
    const init = await s.http.get('/__admin/docs/init.js').expect(200)
    expect(init.text).toContain("url: '/__admin/docs/specs/jumio.openapi.json'")
    expect(init.text).toContain("url: '/__admin/docs/specs/admin.openapi.json'")
    // the server picked in the page is the one that gets the request
    expect(init.text).not.toContain('requestInterceptor')
  })

  it("lists the mock first, as the default server of the Jumio contract, then Jumio's hosts", async () => {
    const contract = parse(readFileSync('contracts/jumio.openapi.yaml', 'utf8')) as Spec
    const res = await s.http
      .get('/__admin/docs/specs/jumio.openapi.json')
      .expect(200)
      .expect('Content-Type', /application\/json/)
    const spec = res.body as Spec
    // relative: Swagger UI resolves it against the spec's URL, the origin the browser used
    expect(spec.servers[0]).toEqual({ url: '/', description: expect.any(String) as unknown })
    expect(spec.servers.slice(1)).toEqual(contract.servers)
    expect(contract.servers.map((server) => server.url)).toContain(
      'https://{family}.amer-1.jumio.ai',
    )
    expect(spec.paths).toEqual(contract.paths)
  })

  it('lists the mock as the server of the admin contract', async () => {
    const res = await s.http.get('/__admin/docs/specs/admin.openapi.json').expect(200)
    const spec = res.body as Spec
    expect(spec.servers.map((server) => server.url)).toEqual(['/'])
    expect(Object.keys(spec.paths)).toContain('/__admin/health')
  })

  it('serves no other spec', async () => {
    await s.http.get('/__admin/docs/specs/scenarios.schema.json').expect(404)
    await s.http.get('/__admin/docs/specs/constructor').expect(404)
    await s.http.get('/__admin/docs/specs/jumio.openapi.yaml').expect(404)
  })

  it('serves nothing else from node_modules', async () => {
    await s.http.get('/__admin/docs/assets/package.json').expect(404)
    await s.http.get('/__admin/docs/assets/..%2F..%2Fpackage.json').expect(404)
    await s.http.get('/__admin/docs/assets/swagger-ui-bundle.js.map').expect(404)
  })
})

interface Spec {
  servers: { url: string; description?: string }[]
  paths: Record<string, unknown>
}

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
