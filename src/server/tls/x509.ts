/**
 * @module Certificates, through @peculiar/x509: a self-signed CA, and leaf
 * certificates it signs for the hosts the mock answers for.
 *
 * Why @peculiar/x509: a typed, high-level X.509 API (no hand-built ASN.1, unlike pkijs, whose
 * extensions are assembled from OIDs and bit strings) over WebCrypto, so keys are EC P-256 made and
 * used by Node's native crypto: about 5 ms a leaf, where node-forge's pure-JS RSA signs in about
 * 140 ms (measured on the CI machine). It declares Node >= 20 and is kept by PeculiarVentures,
 * who also keep pkijs and asn1js. Its cost, about 180 ms to load, and the `reflect-metadata`
 * polyfill its dependency tsyringe needs, are paid only when HTTPS is first used: this module
 * loads both on its first call, never at start-up.
 */
import type * as X509 from '@peculiar/x509'
import { randomBytes, webcrypto } from 'node:crypto'
import { createRequire } from 'node:module'
import { nodeNet } from './builtins.js'

/** What signs leaf certificates: the CA's name, key and identifier. */
export interface Issuer {
  name: X509.Name
  signingKey: CryptoKey
  signingAlgorithm: Algorithm | EcdsaParams
  /** Its subject key identifier, which each leaf names as its authority key identifier. */
  keyId: string
  notAfter: Date
}

/** EC P-256 with SHA-256: what every TLS client of the last decade accepts. */
export const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const DAY_MS = 86_400_000
/** CA/Browser Forum limit for a server certificate: some clients refuse longer ones. */
const LEAF_DAYS = 397
const CA_DAYS = 3650

let loaded: typeof X509 | undefined

/** @peculiar/x509, loaded on first use. */
export function x509(): typeof X509 {
  if (!loaded) {
    const require = createRequire(import.meta.url)
    // tsyringe (inside @peculiar/x509) throws at import without the Reflect metadata API
    require('reflect-metadata')
    loaded = require('@peculiar/x509') as typeof X509
    loaded.cryptoProvider.set(webcrypto as Crypto)
  }
  return loaded
}

/** A positive 128-bit serial number, in hex: random, as CAs must make them (RFC 5280 §4.1.2.2). */
function serialNumber(): string {
  const bytes = randomBytes(16)
  bytes[0] = (bytes[0] ?? 0) & 0x7f
  return bytes.toString('hex')
}

/** A new EC P-256 key pair, extractable so that it can be written as PEM. */
export function generateKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify'])
}

/** A private key as PKCS#8 PEM, as Node's TLS and `--ca-key` read it. */
export async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key)
  return `${x509().PemConverter.encode(der, 'PRIVATE KEY')}\n`
}

/** A new CA: self-signed, allowed to sign server certificates only (path length 0). */
export async function createCa(now = new Date()): Promise<{ certPem: string; keyPem: string }> {
  const lib = x509()
  const keys = await generateKeys()
  const day = now.toISOString().slice(0, 10)
  const cert = await lib.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    // a distinct name per CA, so that a trust store holding an older one shows which is which
    name: `CN=jumio-mock local CA ${day} ${randomBytes(4).toString('hex')}, O=jumio-mock`,
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + CA_DAYS * DAY_MS),
    keys,
    signingAlgorithm: EC_P256,
    extensions: [
      new lib.BasicConstraintsExtension(true, 0, true),
      new lib.KeyUsagesExtension(
        lib.KeyUsageFlags.keyCertSign |
          lib.KeyUsageFlags.cRLSign |
          lib.KeyUsageFlags.digitalSignature,
        true,
      ),
      await lib.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  return { certPem: `${cert.toString('pem')}\n`, keyPem: await privateKeyPem(keys.privateKey) }
}

/** The issuer behind a CA certificate (PEM) and its private key, imported for signing. */
export async function issuerOf(
  certPem: string,
  signingKey: CryptoKey,
  signingAlgorithm: Algorithm | EcdsaParams,
): Promise<Issuer> {
  const lib = x509()
  const cert = new lib.X509Certificate(certPem)
  const ski = cert.getExtension(lib.SubjectKeyIdentifierExtension)
  // a CA without one (allowed, if rare): the identifier RFC 5280 §4.2.1.2 method 1 derives
  const keyId = ski?.keyId ?? (await lib.SubjectKeyIdentifierExtension.create(cert)).keyId
  return { name: cert.subjectName, signingKey, signingAlgorithm, keyId, notAfter: cert.notAfter }
}

/** A server certificate for `names` (hosts or IP addresses), on the leaf key, signed by `issuer`. */
export async function issueLeaf(
  issuer: Issuer,
  leafKeys: CryptoKeyPair,
  names: readonly string[],
  now = new Date(),
): Promise<{ certPem: string; notAfter: Date }> {
  const lib = x509()
  const notAfter = new Date(Math.min(now.getTime() + LEAF_DAYS * DAY_MS, issuer.notAfter.getTime()))
  const cert = await lib.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${names[0] ?? 'jumio-mock'}`,
    issuer: issuer.name,
    // a day back: a client whose clock is a little behind still accepts it
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter,
    publicKey: leafKeys.publicKey,
    signingKey: issuer.signingKey,
    signingAlgorithm: issuer.signingAlgorithm,
    extensions: [
      new lib.BasicConstraintsExtension(false, undefined, true),
      new lib.KeyUsagesExtension(lib.KeyUsageFlags.digitalSignature, true),
      new lib.ExtendedKeyUsageExtension([lib.ExtendedKeyUsage.serverAuth]),
      new lib.SubjectAlternativeNameExtension(
        names.map((n) => ({
          type: nodeNet().isIP(n) ? ('ip' as const) : ('dns' as const),
          value: n,
        })),
      ),
      await lib.SubjectKeyIdentifierExtension.create(leafKeys.publicKey),
      new lib.AuthorityKeyIdentifierExtension(issuer.keyId),
    ],
  })
  return { certPem: cert.toString('pem'), notAfter }
}
