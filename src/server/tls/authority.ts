/**
 * @module The mock's certificate authority: the user's own (`--ca-cert`, `--ca-key`),
 * or the one generated on first use and kept in its folder (see ca-paths.ts) for every later
 * start, so that clients keep trusting the same file.
 */
import { createPrivateKey, X509Certificate, webcrypto } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { ConfigError, errorCode, firstLine } from '../../config.js'
import type { CaFiles } from './ca-paths.js'
import { createCa, issuerOf } from './x509.js'
import type { Issuer } from './x509.js'

/** A loaded CA: its certificate (PEM), where it is, and what signs with its key. */
export interface Authority {
  certPem: string
  files: CaFiles
  issuer: Issuer
  /** Whether this call generated it. */
  created: boolean
}

/** How long a second process waits for the CA that a first one is writing. */
const WRITER_WAIT_MS = 5000

/** Loads the CA, generating it first when it is the mock's own and does not exist yet. */
export async function loadAuthority(files: CaFiles): Promise<Authority> {
  const existing = await readPair(files)
  if (existing) return { ...(await authorityOf(existing, files)), created: false }
  if (files.own) throw new ConfigError(`--ca-cert ${files.cert}: cannot be read`)
  try {
    return await generate(files)
  } catch (err) {
    if (err instanceof ConfigError) throw err
    // a folder that cannot be written (permissions, a read-only volume): say which
    throw new ConfigError(`Cannot create the CA in ${dirname(files.cert)}: ${firstLine(err)}`)
  }
}

/** Both PEM files, or undefined when the CA was never generated; half of it is an error. */
async function readPair(files: CaFiles): Promise<{ cert: string; key: string } | undefined> {
  const [cert, key] = await Promise.all([readOrNull(files.cert), readOrNull(files.key)])
  if (cert !== null && key !== null) return { cert, key }
  if (cert === null && key === null) return undefined
  const [found, missing] = cert === null ? [files.key, files.cert] : [files.cert, files.key]
  throw new ConfigError(
    `The CA is incomplete: ${found} exists but ${missing} does not (delete the other to generate a new CA)`,
  )
}

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    // absent, or a folder on the way is a file: not there, and making it will say why
    const code = errorCode(err)
    if (code === 'ENOENT' || code === 'ENOTDIR') return null
    throw new ConfigError(`${path}: cannot be read (${firstLine(err)})`)
  }
}

/**
 * Generates the CA and writes it: the key first, created exclusively, so that of two processes
 * starting at once (two CI jobs on one machine) one writes and the other waits for its files,
 * instead of each overwriting what the other's clients were told to trust.
 */
async function generate(files: CaFiles): Promise<Authority> {
  await mkdir(dirname(files.key), { recursive: true, mode: 0o700 })
  const { certPem, keyPem } = await createCa()
  let handle
  try {
    handle = await open(files.key, 'wx', 0o600)
  } catch (err) {
    if (errorCode(err) !== 'EEXIST') throw err
    return { ...(await authorityOf(await waitForWriter(files), files)), created: false }
  }
  await handle.writeFile(keyPem)
  await handle.close()
  // the certificate appears whole or not at all: readers take its presence as "done"
  const partial = `${files.cert}.${String(process.pid)}.tmp`
  await writeFile(partial, certPem, { mode: 0o644 })
  await rename(partial, files.cert)
  return { ...(await authorityOf({ cert: certPem, key: keyPem }, files)), created: true }
}

async function waitForWriter(files: CaFiles): Promise<{ cert: string; key: string }> {
  const deadline = Date.now() + WRITER_WAIT_MS
  for (;;) {
    const cert = await readOrNull(files.cert)
    if (cert !== null) return { cert, key: await readFile(files.key, 'utf8') }
    if (Date.now() > deadline) {
      throw new ConfigError(
        `${files.key} exists without ${files.cert}: another jumio-mock died writing its CA; delete the key to generate a new one`,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Checks the pair (a CA, whose key it is) and imports the key for signing. */
async function authorityOf(
  pem: { cert: string; key: string },
  files: CaFiles,
): Promise<Omit<Authority, 'created'>> {
  const where = `${files.cert} / ${files.key}`
  let cert: X509Certificate
  let key: KeyObject
  try {
    cert = new X509Certificate(pem.cert)
    key = createPrivateKey(pem.key)
  } catch (err) {
    throw new ConfigError(`The CA ${where} cannot be read: ${firstLine(err)}`)
  }
  if (!cert.ca) throw new ConfigError(`${files.cert} is not a CA certificate (no CA:TRUE)`)
  if (!cert.checkPrivateKey(key))
    throw new ConfigError(`${files.key} is not the key of ${files.cert}`)
  const algorithm = signingAlgorithm(key, files.key)
  const der = key.export({ type: 'pkcs8', format: 'der' })
  const signingKey = await webcrypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign'])
  return { certPem: pem.cert, files, issuer: await issuerOf(pem.cert, signingKey, algorithm) }
}

/** The WebCrypto algorithm a CA key signs with: RSA PKCS#1 v1.5, or ECDSA on P-256 or P-384. */
function signingAlgorithm(key: KeyObject, path: string): RsaHashedImportParams | EcKeyImportParams {
  if (key.asymmetricKeyType === 'rsa') return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
  const curve = key.asymmetricKeyDetails?.namedCurve
  if (key.asymmetricKeyType === 'ec' && curve === 'prime256v1')
    return { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
  if (key.asymmetricKeyType === 'ec' && curve === 'secp384r1')
    return { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' }
  throw new ConfigError(
    `${path}: a ${key.asymmetricKeyType ?? 'unknown'}${curve ? ` ${curve}` : ''} key; the CA key must be RSA or EC P-256/P-384`,
  )
}
