/**
 * `--tls` and `--proxy-allow` of the shipped mock: HTTPS on the port for Jumio's
 * hosts, localhost and 127.0.0.1, with the compose recipe of docs/https.md; other hosts tunnelled
 * only when allowed (a local upstream stands in for them), passed-through tunnels that go quiet
 * closed.
 */
import { readFileSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import type { Server } from 'node:http'
import { request } from 'node:https'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { OPTIONS } from '../../src/config.js'
import { handleConnect } from '../../src/server/tls/connect.js'
import { isJumioHost } from '../../src/server/tls/jumio-hosts.js'
import { ROOT } from '../cli/process.js'
import { buildStaged, openFds, run, sendConnect, startMock, tempDir } from './kit.js'
import type { MockProcess } from './kit.js'

let stage: string
let tmp: ReturnType<typeof tempDir>
beforeAll(async () => {
  stage = await buildStaged()
  tmp = tempDir('jumio-mock-tls-')
}, 240_000)
afterAll(() => {
  tmp.remove()
})

/** GET `path` over HTTPS from 127.0.0.1:port, naming `servername` (none for an IP). */
function get(port: number, ca: string, servername?: string, path = '/__admin/health') {
  return new Promise<number>((resolve, reject) => {
    request(
      {
        host: '127.0.0.1',
        port,
        path,
        ca,
        headers: { 'User-Agent': 'AcmeBank KYC/1.0', ...(servername && { Host: servername }) },
        ...(servername !== undefined && { servername }),
      },
      (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      },
    )
      .on('error', reject)
      .end()
  })
}

describe('--tls', () => {
  let mock: MockProcess
  let ca: string
  beforeAll(async () => {
    mock = await startMock(stage, ['--tls', '--ca-dir', join(tmp.dir, 'tls-ca')])
    ca = readFileSync(join(tmp.dir, 'tls-ca', 'jumio-mock-ca.pem'), 'utf8')
  }, 30_000)
  afterAll(async () => {
    await mock.stop()
  })

  it('prints an https:// URL and the CA in its ready line', () => {
    expect(mock.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(mock.stdout()).toContain(`CA ${join(tmp.dir, 'tls-ca', 'jumio-mock-ca.pem')})`)
  })

  it.each([
    'auth.amer-1.jumio.ai',
    'retrieval.emea-1.jumio.ai',
    'acme.web.apac-1.jumio.ai',
    'api.amer-1.jumiopp.link',
    'localhost',
  ])('serves %s with a certificate a client trusting only the CA accepts', async (name) => {
    expect(await get(mock.port, ca, name)).toBe(200)
  })

  it('closes a connection that never finishes its handshake within the request timeout', async () => {
    // regression (found by a probe): Node's default handshake timeout, 120 s, held such
    // connections, each a --max-connections slot
    const quiet = await startMock(stage, [
      ...['--tls', '--ca-dir', join(tmp.dir, 'tls-ca'), '--request-timeout', '1s'],
    ])
    try {
      const started = Date.now()
      const socket = connect({ port: quiet.port, host: '127.0.0.1' })
      socket.on('error', () => undefined)
      // half a ClientHello, then nothing
      socket.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x80, 0x01]))
      await new Promise((resolve) => socket.once('close', resolve))
      expect(Date.now() - started).toBeLessThan(5_000)
    } finally {
      await quiet.stop()
    }
  })

  it('serves 127.0.0.1 (no SNI) too, and no other name', async () => {
    expect(await get(mock.port, ca)).toBe(200)
    await expect(get(mock.port, ca, 'example.com')).rejects.toMatchObject({
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    })
  })

  it('answers CONNECT on the same port, over TLS (curl --proxy https://)', async () => {
    const caFile = join(tmp.dir, 'tls-ca', 'jumio-mock-ca.pem')
    const curl = await run(
      'curl',
      [
        ...['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--proxy', mock.url],
        ...['--proxy-cacert', caFile, '--cacert', caFile, '-A', 'AcmeBank KYC/1.0'],
        'https://status.amer-1.jumio.ai/',
      ],
      {},
    )
    expect(curl.stdout, curl.stderr).toBe('200')
  })

  describe('the compose recipe of docs/https.md', () => {
    interface Service {
      environment?: Record<string, string>
      volumes?: string[]
      networks?: { default?: { aliases?: string[] } }
      healthcheck?: { test: string[] }
    }
    const block = /```yaml\n([\s\S]*?)\n```/.exec(
      readFileSync(join(ROOT, 'docs', 'https.md'), 'utf8'),
    )?.[1]
    const compose = parse(block ?? '') as { services: Record<string, Service> }
    const mockService = compose.services['jumio-mock']
    const client = compose.services['your-service']

    it('gives the mock Jumio’s names, HTTPS on 443, and real options only', () => {
      const env = mockService?.environment ?? {}
      const names = new Set(OPTIONS.map((o) => o.env))
      for (const name of Object.keys(env)) expect(names).toContain(name)
      expect(env).toMatchObject({ PORT: '443', JUMIO_MOCK_TLS: 'true' })
      const aliases = mockService?.networks?.default?.aliases ?? []
      expect(aliases.every(isJumioHost)).toBe(true)
      for (const f of ['auth', 'account', 'api', 'retrieval']) {
        expect(aliases).toContain(`${f}.amer-1.jumio.ai`)
      }
    })

    it('shares the CA with the client through one volume, where the client trusts it', () => {
      const dir = mockService?.environment?.['JUMIO_MOCK_CA_DIR'] ?? ''
      const volume = mockService?.volumes?.[0]?.split(':')
      expect(volume?.[1]).toBe(dir)
      expect(client?.volumes).toContain(`${volume?.[0] ?? ''}:${dir}:ro`)
      const pem = `${dir}/jumio-mock-ca.pem`
      expect(client?.environment).toMatchObject({
        SSL_CERT_FILE: pem,
        REQUESTS_CA_BUNDLE: pem,
        NODE_EXTRA_CA_CERTS: pem,
      })
    })

    it('has a health check that passes against a --tls mock and fails without one', async () => {
      const [cmd = '', ...args] = mockService?.healthcheck?.test.slice(1) ?? []
      const env = { JUMIO_MOCK_CA_DIR: join(tmp.dir, 'tls-ca') }
      const up = await run(cmd, args, { ...env, PORT: String(mock.port) })
      expect(up.code, up.stderr).toBe(0)
      const down = await run(cmd, args, { ...env, PORT: '1' })
      expect(down.code).toBe(1)
    })
  })
})

describe('a CA that cannot be used', () => {
  const main = () => join(stage, 'dist', 'main.js')

  it('stops --tls with one line and exit code 2', async () => {
    const pem = ['--ca-cert', join(ROOT, 'package.json'), '--ca-key', join(ROOT, 'README.md')]
    const served = await run(process.execPath, [main(), '--port', '0', '--tls', ...pem], {})
    expect(served.code).toBe(2)
    expect(served.stderr).toMatch(/^jumio-mock: The CA .*package\.json .* cannot be read/m)
  })

  it('stops `jumio-mock ca` likewise: half a pair, a folder that cannot be made', async () => {
    const half = await run(
      process.execPath,
      [main(), 'ca', '--ca-key', join(ROOT, 'README.md')],
      {},
    )
    expect(half.code).toBe(2)
    expect(half.stderr).toContain('--ca-cert and --ca-key go together')
    const under = join(ROOT, 'package.json', 'ca')
    const folder = await run(process.execPath, [main(), 'ca', '--ca-dir', under], {})
    expect(folder.code).toBe(2)
    expect(folder.stderr).toContain(`Cannot create the CA in ${under}`)
  })
})

describe('--proxy-allow', () => {
  let mock: MockProcess
  let upstream: Server
  let upstreamPort: number
  beforeAll(async () => {
    upstream = createHttpServer((req, res) => res.end(`upstream saw ${req.url ?? ''}`))
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    upstreamPort = (upstream.address() as AddressInfo).port
    mock = await startMock(stage, ['--ca-dir', join(tmp.dir, 'allow-ca')], {
      JUMIO_MOCK_PROXY_ALLOW: '127.0.0.1,*.never.test',
    })
  }, 30_000)
  afterAll(async () => {
    await mock.stop()
    upstream.close()
  })

  it('tunnels an allowed host untouched (curl --proxytunnel)', async () => {
    const curl = await run(
      'curl',
      ['-sS', '--proxytunnel', '--proxy', mock.url, `http://127.0.0.1:${String(upstreamPort)}/x`],
      {},
    )
    expect(curl.stdout, curl.stderr).toBe('upstream saw /x')
  })

  it('refuses a host that is not on the list, even the same listener by another name', async () => {
    const { status } = await sendConnect(mock.port, `localhost:${String(upstreamPort)}`)
    expect(status).toBe(403)
  })

  it('closes refused CONNECTs even when their clients never close their side', async () => {
    const before = openFds(mock.pid)
    const sockets = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const socket = connect({ port: mock.port, host: '127.0.0.1', allowHalfOpen: true })
        socket.on('error', () => undefined)
        socket.resume()
        socket.write('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n')
        // the answer and the mock's end arrive; this side stays open
        await new Promise((resolve) => socket.once('end', resolve))
        return socket
      }),
    )
    // the mock's side does not wait for them: its sockets are gone
    await expect.poll(() => openFds(mock.pid), { timeout: 10_000 }).toBeLessThanOrEqual(before)
    for (const socket of sockets) socket.destroy()
  })

  it('answers 502 when the allowed host refuses the connection', async () => {
    const closed = createHttpServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const { status, response } = await sendConnect(mock.port, `127.0.0.1:${String(port)}`)
    expect(status).toBe(502)
    expect(response).toContain('ECONNREFUSED')
  })
})

describe('a passed-through tunnel', () => {
  it('is closed once no bytes went either way for the idle time', async () => {
    const upstream = createHttpServer()
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    const port = (upstream.address() as AddressInfo).port
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined }
    const proxy: Server = createHttpServer()
    proxy.on('connect', (req, socket, head) => {
      const leaves = () => Promise.reject(new Error('not used'))
      const ctx = {
        server: proxy,
        log: quiet,
        proxyAllow: ['127.0.0.1'],
        leaves,
        tunnelIdleMs: 200,
      }
      void handleConnect(ctx, req, socket, head)
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    try {
      const { status, socket } = await sendConnect(
        (proxy.address() as AddressInfo).port,
        `127.0.0.1:${String(port)}`,
      )
      expect(status).toBe(200)
      await new Promise((resolve) => socket.once('close', resolve))
    } finally {
      proxy.close()
      upstream.close()
    }
  })
})
