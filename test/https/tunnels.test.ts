/**
 * CONNECT tunnels of the shipped mock: leaf certificates chosen by SNI and cached per
 * host, strict enough for the strictest verifier; 1,000 tunnels in a row leave memory and open
 * connections bounded; a tunnel that never starts TLS is closed by the request timeout; an open
 * tunnel does not hold up a graceful stop.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { PeerCertificate } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildStaged,
  openFds,
  requestOver,
  rssOf,
  sendConnect,
  startMock,
  tempDir,
  tunnelTls,
} from './kit.js'
import type { MockProcess } from './kit.js'

let stage: string
let tmp: ReturnType<typeof tempDir>
let mock: MockProcess
let caPem: string

beforeAll(async () => {
  stage = await buildStaged()
  tmp = tempDir('jumio-mock-tunnels-')
  mock = await startMock(stage, ['--ca-dir', join(tmp.dir, 'ca'), '--request-timeout', '2s'], {
    JUMIO_MOCK_LOG_FORMAT: 'json',
  })
}, 240_000)

afterAll(async () => {
  await mock.stop()
  tmp.remove()
})

/** The certificate the mock shows for `host` (SNI `servername`), trusting only its CA. */
async function certificateFor(host: string, servername = host): Promise<PeerCertificate> {
  const secure = await tunnelTls(mock.port, host, { ca: caPem, servername })
  const cert = secure.getPeerCertificate()
  secure.destroy()
  return cert
}

describe('leaf certificates', () => {
  it('are made on the first tunnel, with the CA generated then, and cached per host', async () => {
    // the first CONNECT generates the CA: its file appears only now
    const { status, socket } = await sendConnect(mock.port, 'api.amer-1.jumio.ai:443')
    socket.destroy()
    expect(status).toBe(200)
    caPem = readFileSync(join(tmp.dir, 'ca', 'jumio-mock-ca.pem'), 'utf8')
    const first = await certificateFor('api.amer-1.jumio.ai')
    const again = await certificateFor('api.amer-1.jumio.ai')
    const other = await certificateFor('retrieval.amer-1.jumio.ai')
    expect(first.subjectaltname).toBe('DNS:api.amer-1.jumio.ai')
    expect(again.serialNumber).toBe(first.serialNumber)
    expect(again.fingerprint256).toBe(first.fingerprint256)
    expect(other.subjectaltname).toBe('DNS:retrieval.amer-1.jumio.ai')
    expect(other.serialNumber).not.toBe(first.serialNumber)
  })

  it('follow the SNI when it names another Jumio host, else the CONNECT target', async () => {
    const bySni = await certificateFor('api.amer-1.jumio.ai', 'acme.web.emea-1.jumiopp.link')
    expect(bySni.subjectaltname).toBe('DNS:acme.web.emea-1.jumiopp.link')
    // a name that is not Jumio's gets no certificate of its own: the client sees a mismatch
    await expect(
      tunnelTls(mock.port, 'status.apac-1.jumio.ai', { ca: caPem, servername: 'example.com' }),
    ).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' })
  })

  it('pass `openssl verify -x509_strict` as a TLS server certificate', async () => {
    const cert = await certificateFor('auth.emea-1.jumio.ai')
    const pem = `-----BEGIN CERTIFICATE-----\n${cert.raw.toString('base64')}\n-----END CERTIFICATE-----\n`
    writeFileSync(join(tmp.dir, 'leaf.pem'), pem)
    const out = execFileSync('openssl', [
      ...['verify', '-x509_strict', '-purpose', 'sslserver', '-verify_hostname'],
      ...['auth.emea-1.jumio.ai', '-CAfile', join(tmp.dir, 'ca', 'jumio-mock-ca.pem')],
      join(tmp.dir, 'leaf.pem'),
    ])
    expect(out.toString()).toContain(': OK')
  })
})

describe('bounds', () => {
  /** One tunnel: CONNECT, TLS, one request, closed. */
  async function oneTunnel(host: string): Promise<void> {
    const secure = await tunnelTls(mock.port, host, { ca: caPem })
    const response = await requestOver(secure, host)
    expect(response).toMatch(/^HTTP\/1\.1 200 /)
  }

  it('1,000 tunnels in a row, each to a host of its own, leave memory and sockets bounded', async () => {
    // warm up: code loaded, caches filled past their bound (256 hosts), V8 settled
    for (let i = 0; i < 300; i++) await oneTunnel(`warm${String(i)}.web.amer-1.jumio.ai`)
    const health = async () =>
      (
        (await (await fetch(`${mock.url}/__admin/health`)).json()) as {
          memory: { heapUsedBytes: number }
        }
      ).memory.heapUsedBytes
    const before = { rss: rssOf(mock.pid), heap: await health(), fds: openFds(mock.pid) }
    for (let i = 0; i < 1000; i++) await oneTunnel(`p${String(i)}.web.amer-1.jumio.ai`)
    const after = { rss: rssOf(mock.pid), heap: await health(), fds: openFds(mock.pid) }
    // Generous: each cached context is a few kB and the cache holds 256; a leak of one socket,
    // context or certificate per tunnel would pass these by far (1,000 TLS sockets alone hold
    // well over 64 MB).
    expect(after.rss - before.rss).toBeLessThan(64 * 1024 * 1024)
    expect(after.heap - before.heap).toBeLessThan(32 * 1024 * 1024)
    expect(after.fds - before.fds).toBeLessThan(20)
  }, 300_000)

  it('a tunnel that never starts TLS is closed by the request timeout', async () => {
    const { status, socket } = await sendConnect(mock.port, 'api.amer-1.jumio.ai:443')
    expect(status).toBe(200)
    // --request-timeout 2s: its headers' part (2 s) ends the silent connection
    await new Promise((resolve) => socket.once('close', resolve))
  }, 15_000)

  it('an open keep-alive tunnel does not hold up a graceful stop', async () => {
    const secure = await tunnelTls(mock.port, 'status.amer-1.jumio.ai', { ca: caPem })
    await new Promise<void>((resolve) => {
      secure.once('data', () => {
        resolve()
      })
      secure.write('GET / HTTP/1.1\r\nHost: status.amer-1.jumio.ai\r\nUser-Agent: t/1\r\n\r\n')
    })
    const code = await mock.stop()
    expect(code).toBe(0)
    expect(mock.stderr()).toMatch(/"msg":"stopped","clean":true/)
    secure.destroy()
  }, 30_000)
})
