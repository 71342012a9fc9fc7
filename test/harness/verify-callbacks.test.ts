import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli } from '../helpers/cli.js'
import { startMockJumio } from '../../src/index.js'
import type { MockJumio } from '../../src/index.js'

/** A client endpoint that answers 200 and, when `fetch` is on, reads the details as Jumio asks. */
async function clientEndpoint(mock: () => string, behaviour: { fetch: boolean; status: number }) {
  const server = createServer((req, res) => {
    let text = ''
    req.on('data', (c: Buffer) => (text += c.toString()))
    req.on('end', () => {
      res.statusCode = behaviour.status
      res.end()
      if (!behaviour.fetch) return
      const body = JSON.parse(text) as { workflowExecution: { href: string } }
      void fetch(`${mock()}/oauth2/token`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from('acme:s').toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          'User-Agent': 'Acme/1.0',
        },
        body: 'grant_type=client_credentials',
      })
        .then((r) => r.json() as Promise<{ access_token: string }>)
        .then((t) =>
          fetch(body.workflowExecution.href, {
            headers: { Authorization: `Bearer ${t.access_token}`, 'User-Agent': 'Acme/1.0' },
          }),
        )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/jumio/callback`,
    server,
  }
}

let mock: MockJumio
beforeAll(async () => {
  mock = await startMockJumio({ flags: ['--callback-retries', '0'] })
})
afterAll(() => mock.close())

describe('jumio-mock verify-callbacks', () => {
  it('passes a client that answers 200 and fetches the details, case by case', async () => {
    const client = await clientEndpoint(() => mock.url, { fetch: true, status: 200 })
    try {
      const r = await cli([
        'verify-callbacks',
        '--url',
        client.url,
        '--mock-url',
        mock.url,
        '--client-id',
        'acme',
        '--fetch-wait',
        '500ms',
        '--require-fetch',
      ])
      expect(r.out).toContain('ok   PROCESSED (approved): 200 in')
      expect(r.out).toContain('ok   TOKEN_EXPIRED: 200')
      expect(r.out).toContain('ok   SESSION_EXPIRED: 200')
      expect(r.out).toContain('ok   duplicate PROCESSED: 200')
      expect(r.out).toContain('ok   out of order: ACQUIRED after PROCESSED: 200')
      expect(r.out).not.toContain('NOT fetched')
      expect(r.code).toBe(0)
    } finally {
      client.server.close()
    }
  })

  it('fails a client that answers 500, and reports one that never fetches the details', async () => {
    const broken = await clientEndpoint(() => mock.url, { fetch: false, status: 500 })
    try {
      const r = await cli([
        'verify-callbacks',
        '--url',
        broken.url,
        '--mock-url',
        mock.url,
        '--fetch-wait',
        '0',
      ])
      expect(r.code).toBe(1)
      expect(r.out).toContain('FAIL PROCESSED (approved): 500 in')
      expect(r.out).toContain('details NOT fetched')
    } finally {
      broken.server.close()
    }
  })

  it('reports JUnit for CI, counting a case not fetched with --require-fetch as failed', async () => {
    // found by a docs probe: junit (the variable verify shares) printed text and passed
    const silent = await clientEndpoint(() => mock.url, { fetch: false, status: 204 })
    try {
      const args = ['verify-callbacks', '--url', silent.url, '--mock-url', mock.url]
      const quick = [...args, '--fetch-wait', '0', '--require-fetch']
      const r = await cli(quick, { JUMIO_VERIFY_REPORTER: 'junit' })
      expect(r.code).toBe(1)
      const cases = r.out.match(/<testcase /g)?.length ?? 0
      expect(cases).toBeGreaterThanOrEqual(5)
      expect(r.out).toContain(
        `<testsuite name="jumio-mock verify-callbacks" tests="${String(cases)}" failures="${String(cases)}">`,
      )
      expect(r.out).toMatch(
        /<testcase classname="jumio-mock\.verify-callbacks" name="TOKEN_EXPIRED" time="[\d.]+">\n {4}<failure message="204 in \d+ ms; details NOT fetched"\/>/,
      )
      // the text says so too, as the exit code does
      expect((await cli(quick)).out).toContain('FAIL TOKEN_EXPIRED: 204 in')
      const bogus = await cli([...args, '--reporter', 'xml'])
      expect(bogus.code).toBe(2)
      expect(bogus.err).toContain('Invalid value "xml" for --reporter')
    } finally {
      silent.server.close()
    }
  })

  it('runs the same check through the admin API of a running instance', async () => {
    const client = await clientEndpoint(() => mock.url, { fetch: false, status: 204 })
    try {
      const res = await fetch(`${mock.url}/__admin/callbacks/verify`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ url: client.url, fetchWaitMs: 0 }),
      })
      const body = (await res.json()) as {
        passed: number
        failed: number
        cases: { case: string; inTime: boolean }[]
      }
      expect(res.status).toBe(200)
      expect(body.failed).toBe(0)
      expect(body.cases.map((c) => c.case)).toContain('SESSION_EXPIRED')
    } finally {
      client.server.close()
    }
  })
})
