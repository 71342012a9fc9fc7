/**
 * A drop-in for any client: four unchanged clients, in four languages, each run the
 * whole API-channel journey against `https://*.amer-1.jumio.ai` through the shipped mock as their
 * HTTPS proxy, trusting only its CA; the journal shows every exchange under its Jumio host.
 * Clients that do not trust the CA fail their handshake, and hosts that are not Jumio's are
 * refused without a connection ever being made.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { samplePng } from '../../src/samples/images.js'
import type { components } from '../../src/server/contract/admin.gen.js'
import { ROOT } from '../cli/process.js'
import { buildStaged, run, sendConnect, startMock, tempDir, tunnelTls } from './kit.js'
import type { MockProcess } from './kit.js'

type JournalEntry = components['schemas']['JournalEntry']

const CLIENTS = join(ROOT, 'test', 'https', 'clients')
let stage: string
let tmp: ReturnType<typeof tempDir>
let mock: MockProcess
/** The CA's path, as `jumio-mock ca` printed it. */
let ca: string
let images: string

beforeAll(async () => {
  stage = await buildStaged()
  tmp = tempDir('jumio-mock-https-')
  // the documented first step: `jumio-mock ca` makes the CA and prints where it is, so that
  // clients which read their trust store once, at start, find the file
  const made = await run(process.execPath, [join(stage, 'dist', 'main.js'), 'ca'], {
    JUMIO_MOCK_CA_DIR: join(tmp.dir, 'ca'),
  })
  expect(made.code, made.stderr).toBe(0)
  ca = made.stdout.trim()
  expect(ca).toBe(join(tmp.dir, 'ca', 'jumio-mock-ca.pem'))
  expect(made.stderr).toMatch(/SHA-256 [0-9A-F:]{95}/)
  mock = await startMock(stage, ['--ca-dir', join(tmp.dir, 'ca'), '--processing-delay', '0'], {
    JUMIO_MOCK_LOG_FORMAT: 'json',
  })
  images = join(tmp.dir, 'images')
  mkdirSync(images)
  writeFileSync(join(images, 'front.png'), samplePng(1000, 630))
  writeFileSync(join(images, 'back.png'), samplePng(1000, 630))
  writeFileSync(join(images, 'face.png'), samplePng(480, 640))
}, 240_000)

afterAll(async () => {
  await mock.stop()
  tmp.remove()
})

async function journal(tenant: string): Promise<JournalEntry[]> {
  const res = await fetch(`${mock.url}/__admin/journal?tenant=${tenant}&limit=1000`)
  return ((await res.json()) as { entries: JournalEntry[] }).entries
}

/**
 * Checks one client's run: it ended PROCESSED, called only `https://<family>.amer-1.jumio.ai`,
 * and the journal holds each of its calls, in order, under the host it called.
 */
async function expectJourney(
  result: { code: number | null; stdout: string; stderr: string },
  tenant: string,
) {
  expect(result.code, result.stderr).toBe(0)
  expect(result.stdout.trim()).toBe('status PROCESSED')
  const calls = [...result.stderr.matchAll(/^(GET|POST|PUT) (https:\/\/\S+) 200$/gm)].map((m) => ({
    method: m[1],
    url: new URL(m[2] ?? ''),
  }))
  // token, create, FRONT, BACK, FACE, finalize, then one status read or more
  expect(calls.length).toBeGreaterThanOrEqual(7)
  const entries = await journal(tenant)
  expect(entries).toHaveLength(calls.length)
  for (const [i, call] of calls.entries()) {
    expect(call.url.host).toMatch(/^(auth|account|api|retrieval)\.amer-1\.jumio\.ai$/)
    expect(entries[i]).toMatchObject({
      method: call.method,
      path: call.url.pathname,
      status: 200,
      hostFamily: call.url.host.split('.')[0],
      request: { headers: { host: call.url.host } },
    })
  }
  expect(entries.map((e) => e.operationId)).toEqual(
    expect.arrayContaining([
      'requestAccessToken',
      'createAccount',
      'uploadPart',
      'finalizeWorkflowExecution',
      'getWorkflowExecutionStatus',
    ]),
  )
  // Every call, those the client addressed itself and those to the hrefs the mock returned,
  // goes to the host Jumio documents for it and breaks no rule.
  for (const e of entries) expect(e.violations, e.path).toEqual([])
}

describe('unchanged clients through HTTPS_PROXY, trusting only the CA', () => {
  it('curl (--proxy, --cacert)', async () => {
    const result = await run('bash', [join(CLIENTS, 'flow-curl.sh')], {
      PROXY: mock.url,
      CA: ca,
      CLIENT_ID: 'curl-client',
      IMAGES: images,
    })
    await expectJourney(result, 'curl-client')
  }, 60_000)

  it('Python 3, the standard library (urllib; HTTPS_PROXY, SSL_CERT_FILE)', async () => {
    const result = await run('python3', [join(CLIENTS, 'flow.py')], {
      HTTPS_PROXY: mock.url,
      SSL_CERT_FILE: ca,
      // the machine's CA folder out of the way: the mock's CA is the only one trusted
      SSL_CERT_DIR: join(tmp.dir, 'no-ca-dir'),
      CLIENT_ID: 'python-client',
      IMAGES: images,
    })
    await expectJourney(result, 'python-client')
  }, 60_000)

  it('Java 17 java.net.http.HttpClient (-Dhttps.proxyHost, a keytool trust store)', async () => {
    const classes = join(tmp.dir, 'classes')
    const javac = await run('javac', ['-d', classes, join(CLIENTS, 'Flow.java')], {})
    expect(javac.code, javac.stderr).toBe(0)
    const store = join(tmp.dir, 'trust.p12')
    const keytool = await run(
      'keytool',
      [
        ...['-importcert', '-noprompt', '-alias', 'jumio-mock', '-file', ca],
        ...['-keystore', store, '-storetype', 'PKCS12', '-storepass', 'changeit'],
      ],
      {},
    )
    expect(keytool.code, keytool.stderr).toBe(0)
    const result = await run(
      'java',
      [
        ...['-Dhttps.proxyHost=127.0.0.1', `-Dhttps.proxyPort=${String(mock.port)}`],
        ...[`-Djavax.net.ssl.trustStore=${store}`, '-Djavax.net.ssl.trustStorePassword=changeit'],
        ...['-cp', classes, 'Flow'],
      ],
      { CLIENT_ID: 'java-client', IMAGES: images },
    )
    await expectJourney(result, 'java-client')
  }, 120_000)

  it("Node with undici's ProxyAgent", async () => {
    const result = await run(process.execPath, [join(CLIENTS, 'flow-undici.mjs')], {
      HTTPS_PROXY: mock.url,
      CA: ca,
      CLIENT_ID: 'node-client',
      IMAGES: images,
    })
    await expectJourney(result, 'node-client')
  }, 60_000)
})

describe('what is refused', () => {
  it('a CONNECT to a host that is not Jumio’s: 403, and no connection is made to it', async () => {
    // a local listener stands in for "the internet": it must see nothing
    let dialled = 0
    const upstream = createServer((socket) => {
      dialled++
      socket.destroy()
    })
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    const { port } = upstream.address() as AddressInfo
    try {
      for (const target of [`127.0.0.1:${String(port)}`, `localhost:${String(port)}`]) {
        const { status, response } = await sendConnect(mock.port, target)
        expect(status).toBe(403)
        const body = JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as unknown
        expect(body).toMatchObject({ title: 'Forbidden', status: 403 })
      }
      const other = await sendConnect(mock.port, 'example.com:443')
      expect(other.status).toBe(403)
      expect(dialled).toBe(0)
      // the log says what was refused (log lines are written in batches: wait for this one)
      await expect
        .poll(() => mock.stderr())
        .toContain('"msg":"CONNECT refused","target":"example.com:443"')
    } finally {
      upstream.close()
    }
  })

  it('a Jumio host on another port than 443: 403; a target that is not host:port: 400', async () => {
    expect((await sendConnect(mock.port, 'api.amer-1.jumio.ai:80')).status).toBe(403)
    expect((await sendConnect(mock.port, 'api.amer-1.jumio.ai')).status).toBe(400)
    expect((await sendConnect(mock.port, 'api.amer-1.jumio.ai:99999')).status).toBe(400)
  })

  it('a client that does not trust the CA fails its TLS handshake, and nothing is journalled', async () => {
    const before = (await journal('untrusting')).length
    // curl with the machine's CAs only
    const curl = await run(
      'curl',
      [
        ...['-sS', '--proxy', mock.url, '-u', 'untrusting:secret'],
        ...['-d', 'grant_type=client_credentials', 'https://auth.amer-1.jumio.ai/oauth2/token'],
      ],
      {},
    )
    expect(curl.code).toBe(60) // CURLE_PEER_FAILED_VERIFICATION
    expect(curl.stderr).toMatch(/self-signed certificate in certificate chain/)
    // Node, likewise
    await expect(tunnelTls(mock.port, 'auth.amer-1.jumio.ai')).rejects.toMatchObject({
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    })
    expect(await journal('untrusting')).toHaveLength(before)
    // and the mock goes on serving
    const health = await fetch(`${mock.url}/__admin/health`)
    expect(health.status).toBe(200)
  })
})
