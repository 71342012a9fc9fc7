/**
 * The page scripts when the mock runs from its TypeScript sources (vitest, `npm run dev` through
 * tsx): compiled from src/web/client/ on each request, since no build wrote dist/assets/. The
 * built forms serve the build's files instead (test/browser/shipped-forms.test.ts).
 */
import { describe, expect, it } from 'vitest'
import { kill, ready, spawnCli } from '../cli/process.js'
import { useHttpMock } from '../helpers/http-mock.js'

const s = useHttpMock()
const SCRIPTS = ['/web/v4/assets/journey.js', '/__admin/ui/console.js']

describe('the page scripts, run from the sources', () => {
  it('are compiled on demand into one browser module each', async () => {
    for (const path of SCRIPTS) {
      const res = await s.http.get(path).expect(200)
      expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8')
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.text).toContain('// src/web/client/dom.ts') // bundled: one file, no imports
      expect(res.text).not.toMatch(/^\s*(import|export)\b/m)
    }
  })

  it('are served by `npm run dev` (tsx)', async () => {
    const mock = spawnCli(['--port', '0'])
    try {
      const url = await ready(mock)
      for (const path of SCRIPTS) expect((await fetch(`${url}${path}`)).status).toBe(200)
    } finally {
      kill(mock)
    }
  })
})
