/**
 * The mock's CA and its leaf certificates: generated once and shared, even by two
 * starts at once; the user's own CA (RSA here) signs leaves that a real TLS client accepts;
 * unusable CA files are one clear configuration error; the leaf cache keeps its bound.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer, request } from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/config.js'
import { loadAuthority } from '../../src/server/tls/authority.js'
import { generatedCaFiles } from '../../src/server/tls/ca-paths.js'
import { LeafContexts } from '../../src/server/tls/leaf-cache.js'
import { tempDir } from '../https/kit.js'

const tmp = tempDir('jumio-mock-ca-')
afterAll(() => {
  tmp.remove()
})

/** `openssl req` making a CA (or, with `ca: false`, a plain certificate) and its key. */
function opensslCa(name: string, key: string[], ca = true): { cert: string; key: string } {
  const dir = join(tmp.dir, name)
  mkdirSync(dir)
  const files = { cert: join(dir, 'ca.pem'), key: join(dir, 'ca-key.pem') }
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-nodes', '-days', '30', '-subj', `/CN=${name}`, ...key],
      ...['-keyout', files.key, '-out', files.cert],
      ...['-addext', `basicConstraints=critical,CA:${ca ? 'TRUE' : 'FALSE'}`],
      ...(ca ? ['-addext', 'keyUsage=critical,keyCertSign,cRLSign'] : []),
    ],
    { stdio: 'pipe' },
  )
  return files
}

/** Serves HTTPS with `leaves`' certificate for `host`; a client trusting `caPem` connects. */
async function handshake(leaves: LeafContexts, host: string, caPem: string): Promise<number> {
  const leaf = await leaves.issue([host])
  const server = createServer({ key: leaf.key, cert: leaf.cert }, (_req, res) => res.end('ok'))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  try {
    return await new Promise((resolve, reject) => {
      request({ host: '127.0.0.1', port, servername: host, ca: caPem }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
        .on('error', reject)
        .end()
    })
  } finally {
    server.close()
  }
}

describe('the generated CA', () => {
  it('is made once, private key 0600, and reused by the next start', async () => {
    const files = generatedCaFiles(join(tmp.dir, 'generated'))
    const first = await loadAuthority(files)
    const second = await loadAuthority(files)
    expect(first.created).toBe(true)
    expect(second.created).toBe(false)
    expect(second.certPem).toBe(first.certPem)
    expect(readFileSync(files.cert, 'utf8')).toBe(first.certPem)
    expect(statSync(files.key).mode & 0o777).toBe(0o600)
    expect(await handshake(new LeafContexts(second), 'api.amer-1.jumio.ai', first.certPem)).toBe(
      200,
    )
  })

  it('is one CA when two starts make it at once', async () => {
    const files = generatedCaFiles(join(tmp.dir, 'race'))
    const [a, b] = await Promise.all([loadAuthority(files), loadAuthority(files)])
    expect(a.certPem).toBe(b.certPem)
    expect([a.created, b.created].sort()).toEqual([false, true])
    expect(readFileSync(files.cert, 'utf8')).toBe(a.certPem)
  })

  it('half of it on disk is a configuration error that says which file to delete', async () => {
    const files = generatedCaFiles(join(tmp.dir, 'half'))
    mkdirSync(join(tmp.dir, 'half'))
    writeFileSync(files.cert, readFileSync(generatedCaFiles(join(tmp.dir, 'generated')).cert))
    await expect(loadAuthority(files)).rejects.toThrow(ConfigError)
    await expect(loadAuthority(files)).rejects.toThrow(/jumio-mock-ca-key\.pem does not/)
  })
})

describe('your own CA (--ca-cert, --ca-key)', () => {
  it('an RSA one signs leaves that a client trusting it accepts', async () => {
    const own = opensslCa('own-rsa', ['-newkey', 'rsa:2048'])
    const authority = await loadAuthority({ ...own, own: true })
    expect(authority.created).toBe(false)
    const caPem = readFileSync(own.cert, 'utf8')
    expect(await handshake(new LeafContexts(authority), 'retrieval.emea-1.jumio.ai', caPem)).toBe(
      200,
    )
  })

  it('an EC P-384 one too', async () => {
    const own = opensslCa('own-p384', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'])
    const authority = await loadAuthority({ ...own, own: true })
    const caPem = readFileSync(own.cert, 'utf8')
    expect(await handshake(new LeafContexts(authority), 'auth.apac-1.jumio.ai', caPem)).toBe(200)
  })

  it('is refused when the certificate is not a CA, or the key is not its own', async () => {
    const plain = opensslCa('not-a-ca', ['-newkey', 'rsa:2048'], false)
    await expect(loadAuthority({ ...plain, own: true })).rejects.toThrow(/is not a CA certificate/)
    const other = opensslCa('other', ['-newkey', 'rsa:2048'])
    const rsa = opensslCa('own-rsa-2', ['-newkey', 'rsa:2048'])
    await expect(loadAuthority({ cert: rsa.cert, key: other.key, own: true })).rejects.toThrow(
      /is not the key of/,
    )
  })

  it('is refused with a key of another kind (Ed25519)', async () => {
    const ed = opensslCa('ed25519', ['-newkey', 'ed25519'])
    await expect(loadAuthority({ ...ed, own: true })).rejects.toThrow(/must be RSA or EC/)
  })
})

describe('the leaf cache', () => {
  it('keeps one context per host, at most `max`, dropping the least recently used', async () => {
    const authority = await loadAuthority(generatedCaFiles(join(tmp.dir, 'generated')))
    const leaves = new LeafContexts(authority, 2)
    const a = await leaves.context('api.amer-1.jumio.ai')
    const b = await leaves.context('retrieval.amer-1.jumio.ai')
    expect(await leaves.context('API.amer-1.jumio.ai')).toBe(a) // a is now the most recent
    await leaves.context('auth.amer-1.jumio.ai') // evicts b
    expect(leaves.size).toBe(2)
    expect(await leaves.context('api.amer-1.jumio.ai')).toBe(a)
    expect(await leaves.context('retrieval.amer-1.jumio.ai')).not.toBe(b)
    expect(leaves.size).toBe(2)
  })

  it('makes a host’s certificate once when asked for it at once', async () => {
    const authority = await loadAuthority(generatedCaFiles(join(tmp.dir, 'generated')))
    const leaves = new LeafContexts(authority)
    const [x, y] = await Promise.all([
      leaves.context('status.amer-1.jumio.ai'),
      leaves.context('status.amer-1.jumio.ai'),
    ])
    expect(x).toBe(y)
  })
})
