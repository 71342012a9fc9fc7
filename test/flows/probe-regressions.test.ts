/**
 * Regressions for the bad input an adversarial probe of the running server found (one `it` each):
 * every answer is a problem with the status the route's contract gives, never a 500.
 */
import { describe, expect, it } from 'vitest'
import { admin, runFlow } from '../helpers/flow.js'
import { credentialOf, USER_AGENT } from '../helpers/jumio.js'
import { useTestServer } from '../helpers/server.js'

const s = useTestServer()

describe('bad input found by probing', () => {
  it('advancing the clock with a JSON null, array or number body is a 400, not a 500', async () => {
    for (const body of ['null', '[]', '5']) {
      const res = await s.http
        .post('/__admin/clock/advance')
        .set('Content-Type', 'application/json')
        .send(body)
      expect([res.status, (res.body as { title?: string }).title]).toEqual([400, 'Bad Request'])
    }
  })

  it('a docs asset or contract named like an object property is a 404, not a 500', async () => {
    for (const name of ['constructor', '__proto__', 'hasOwnProperty', 'toString']) {
      await s.http.get(`/__admin/contracts/${name}`).expect(404)
      await s.http.get(`/__admin/docs/assets/${name}`).expect(404)
    }
  })

  it('a part classifier named like an object property is a 404, not a 200 {}', async () => {
    const r = await runFlow(s, {})
    const id = credentialOf(r.created, 'ID').id
    for (const name of ['constructor', '__proto__', 'toString', 'valueOf']) {
      const res = await s.http
        .get(`/api/v1/accounts/${r.created.account.id}/credentials/${id}/parts/${name}`)
        .set('Authorization', `Bearer ${r.token}`)
        .set('User-Agent', USER_AGENT)
      expect([name, res.status]).toEqual([name, 404])
    }
  })

  it('another method on an admin, web or docs path is a 405 with Allow, as on the Jumio paths', async () => {
    const cases: [string, string, string][] = [
      ['delete', '/__admin/health', 'GET'],
      ['get', '/__admin/clock/advance', 'POST'],
      ['put', '/__admin/journal', 'GET, DELETE'],
      ['get', '/web/v4/app/outcome', 'POST'],
      ['post', '/__admin/docs', 'GET'],
      ['post', '/', 'GET'],
    ]
    for (const [method, path, allow] of cases) {
      const res = await s.http[method as 'get'](path)
      expect([path, res.status, res.headers['allow']]).toEqual([path, 405, allow])
      expect(res.body).toMatchObject({ title: 'Method Not Allowed', status: 405 })
    }
    // an unknown path is still a 404
    await s.http.delete('/__admin/nothing-here').expect(404)
    await admin(s, 'get', '/health').expect(200)
  })
})
