import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { samplePng } from '../../src/samples/images.js'
import { cli } from '../helpers/cli.js'
import { startMockJumio } from '../../src/index.js'
import type { MockJumio } from '../../src/index.js'

let mock: MockJumio
beforeAll(async () => {
  mock = await startMockJumio({ flags: ['--processing-delay', '300ms'] })
})
afterAll(() => mock.close())

describe('jumio-mock verify', () => {
  it('passes every check against the mock, scenario checks included', async () => {
    const r = await cli(['verify', '--base-url', mock.url, '--workflows', '10011,10013,10010'])
    expect(r.out).toContain('ok   10011: create account')
    expect(r.out).toContain('ok   scenario jumio-unavailable')
    expect(r.out).toMatch(/\n26 passed, 0 failed\n$/)
    expect(r.code).toBe(0)
    // the deletion check reads after deleting on purpose: that, and only that, is flagged
    expect((await mock.violations()).map((v) => [v.code, v.count])).toEqual([
      ['RETRIEVAL_AFTER_DELETION', 3],
    ])
    await mock.reset()
  })

  it('reports JUnit XML and JSON for CI', async () => {
    const junit = await cli([
      'verify',
      '--base-url',
      mock.url,
      '--workflows',
      '10010',
      '--reporter',
      'junit',
    ])
    expect(junit.out).toContain('<testsuite name="jumio-mock verify" tests="10" failures="0">')
    const json = await cli([
      'verify',
      '--base-url',
      mock.url,
      '--workflows',
      '10010',
      '--checks',
      '10010:token',
      '--reporter',
      'json',
    ])
    expect(JSON.parse(json.out)).toMatchObject({
      passed: 1,
      failed: 0,
      checks: [{ id: '10010:token', ok: true }],
    })
  })

  it('fails, naming the check, against a target that answers 201 on create', async () => {
    const fake = createServer((req, res) => {
      res.setHeader('Content-Type', 'application/json')
      if (req.url === '/oauth2/token') {
        res.end(JSON.stringify({ access_token: 'a.b.c', expires_in: 3600, token_type: 'Bearer' }))
        return
      }
      res.statusCode = req.url === '/api/v1/accounts' ? 201 : 404
      res.end('{}')
    })
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${String((fake.address() as AddressInfo).port)}`
      const r = await cli(['verify', '--base-url', url, '--workflows', '10011'])
      expect(r.code).toBe(1)
      expect(r.out).toContain(
        'FAIL 10011: create account (200, credentials, one transaction token)',
      )
      expect(r.out).toContain('createAccount: expected status 200, got 201')
      expect(r.out).not.toContain('scenario')
    } finally {
      fake.close()
    }
  })

  it('passes a target that answers as Jumio may where its documentation is silent', async () => {
    // in front of the mock: no admin API (not a mock), a deletion answering `{}`, errors as
    // application/problem+json, and parts kept as processed (other bytes, still an image)
    const other = samplePng(1200, 800)
    const proxy = createServer((req, res) => {
      void (async () => {
        const body = await new Promise<Buffer>((resolve) => {
          const chunks: Buffer[] = []
          req.on('data', (c: Buffer) => chunks.push(c))
          req.on('end', () => {
            resolve(Buffer.concat(chunks))
          })
        })
        if (req.url?.startsWith('/__admin')) {
          res.writeHead(404).end()
          return
        }
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length'),
        ) as Record<string, string>
        const answer = await fetch(`${mock.url}${req.url ?? '/'}`, {
          method: req.method ?? 'GET',
          headers,
          ...(body.length > 0 && { body: new Uint8Array(body) }),
        })
        const type = answer.headers.get('content-type') ?? ''
        if (req.method === 'DELETE' && answer.status === 200) {
          res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}')
        } else if (req.method === 'GET' && req.url?.includes('/parts/') && answer.ok) {
          res.writeHead(200, { 'Content-Type': 'image/png' }).end(other)
        } else {
          const problem = answer.status >= 400 && type.startsWith('application/json')
          res.writeHead(answer.status, {
            'Content-Type': problem ? 'application/problem+json' : type,
          })
          res.end(Buffer.from(await answer.arrayBuffer()))
        }
      })()
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${String((proxy.address() as AddressInfo).port)}`
      const r = await cli(['verify', '--base-url', url, '--workflows', '10011'])
      expect(r.out).toContain('ok   10011: uploaded parts come back as images')
      expect(r.out).toContain('ok   10011: delete (200)')
      expect(r.out).toMatch(/\n8 passed, 0 failed\n$/)
      expect(r.code).toBe(0)
    } finally {
      proxy.close()
      await mock.reset()
    }
  })

  it('stops with exit code 2 without a target', async () => {
    const r = await cli(['verify'])
    expect(r.code).toBe(2)
    expect(r.err).toContain('verify needs --base-url URL or --region REGION')
  })
})

describe('jumio-mock exec', () => {
  const probe = (script: string) => ['node', '-e', script]

  it("runs the command with the mock's URLs and exits with its code", async () => {
    const ok = await cli([
      'exec',
      '--',
      ...probe(
        'fetch(process.env.JUMIO_MOCK_RETRIEVAL_URL+"/",{headers:{"User-Agent":"Acme KYC/1.0"}}).then(r=>process.exit(r.status===200?0:3))',
      ),
    ])
    expect(ok.code).toBe(0)
    expect(ok.err).toContain('jumio-mock: no contract violations')
    expect((await cli(['exec', '--', ...probe('process.exit(7)')])).code).toBe(7)
  })

  it('prints the violations and fails on them with --fail-on-violations', async () => {
    const script = probe(
      'fetch(process.env.JUMIO_MOCK_URL+"/").then(r=>process.exit(r.status===200?0:3))',
    )
    const lenient = await cli(['exec', '--', ...script])
    expect(lenient.code).toBe(0)
    expect(lenient.err).toContain('USER_AGENT_GENERIC x1 (jumio-reference §2.2)')
    expect((await cli(['exec', '--fail-on-violations', '--', ...script])).code).toBe(1)
  })

  it('fails on a violation whose entry the journal dropped long before the end', async () => {
    const script = probe(
      'const u=process.env.JUMIO_MOCK_URL+"/";fetch(u).then(()=>fetch(u,{headers:{"User-Agent":"Acme KYC/1.0"}})).then(()=>process.exit(0))',
    )
    const r = await cli(['exec', '--journal-size', '1', '--fail-on-violations', '--', ...script])
    expect(r.code).toBe(1)
    expect(r.err).toContain(
      'USER_AGENT_GENERIC x1 (jumio-reference §2.2): no example left (its entries were dropped past --journal-size)',
    )
  })

  it('reads --fail-on-violations as serve reads a boolean: the flag over its variable', async () => {
    // found by a docs probe: the variable won over the flag, and 1 or a typo were not read
    const script = probe('fetch(process.env.JUMIO_MOCK_URL+"/").then(()=>process.exit(0))')
    const run = async (flags: string[], env: Record<string, string> = {}) =>
      (await cli(['exec', ...flags, '--', ...script], env)).code
    const on = { JUMIO_MOCK_FAIL_ON_VIOLATIONS: 'true' }
    expect(await run(['--fail-on-violations=false'], on)).toBe(0)
    expect(await run([], on)).toBe(1)
    expect(await run([], { JUMIO_MOCK_FAIL_ON_VIOLATIONS: '1' })).toBe(1)
    expect(await run(['--fail-on-violations=true'])).toBe(1)
    const typo = await cli(['exec', '--fail-on-violations=ture', '--', ...script])
    expect(typo.code).toBe(2)
    expect(typo.err).toContain('Invalid value "ture" for --fail-on-violations')
  })

  it('ignores the environment of options it cannot honour, and refuses them as flags', async () => {
    // a CI's settings for a service container must not stop exec (found in review)
    const env = { JUMIO_MOCK_REDIS_URL: 'redis://127.0.0.1:1/0', JUMIO_MOCK_TLS: 'true' }
    expect((await cli(['exec', '--tls=false', '--', ...probe('process.exit(0)')], env)).code).toBe(
      0,
    )
    const refused = await cli(['exec', '--tls', '--', ...probe('process.exit(0)')])
    expect(refused.code).toBe(2)
    expect(refused.err).toContain('cannot take --tls')
  })

  it('needs a command after --', async () => {
    expect((await cli(['exec'])).code).toBe(2)
  })
})
