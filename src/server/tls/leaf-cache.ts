/**
 * @module Leaf certificates for the hosts the mock answers for, as Node TLS contexts, made on
 * first use and cached per host. The cache is bounded: web hosts carry any portal
 * prefix, so a client could name endless hosts; past the bound the least recently used goes.
 * All leaves share one key pair per process, as mockttp's do: a key takes longer to make than
 * a certificate, and the key never leaves memory.
 */
import type { SecureContext } from 'node:tls'
import type { Authority } from './authority.js'
import { nodeTls } from './builtins.js'
import { generateKeys, issueLeaf, privateKeyPem } from './x509.js'

/** Hosts kept; each context is a few kB. */
export const MAX_CACHED_HOSTS = 256
/** A leaf this close to its end is made anew. */
const RENEW_BEFORE_MS = 86_400_000

/** A leaf: its TLS context, and the PEMs it was made of (for `server.setSecureContext`). */
export interface Leaf {
  context: SecureContext
  notAfter: Date
  key: string
  cert: string
}

/** TLS contexts by host name, signed by one authority. */
export class LeafContexts {
  private readonly cache = new Map<string, Promise<Leaf>>()
  private keys: Promise<{ pair: CryptoKeyPair; pem: string }> | undefined

  constructor(
    private readonly authority: Authority,
    private readonly max = MAX_CACHED_HOSTS,
  ) {}

  /** How many hosts have a cached certificate. */
  get size(): number {
    return this.cache.size
  }

  /** The context for one host (lower-cased), cached; made once even when asked for at once. */
  async context(host: string): Promise<SecureContext> {
    const name = host.toLowerCase()
    const cached = this.cache.get(name)
    if (cached) {
      const leaf = await cached
      if (leaf.notAfter.getTime() - Date.now() > RENEW_BEFORE_MS) {
        // most recently used last: Map keeps insertion order
        this.cache.delete(name)
        this.cache.set(name, cached)
        return leaf.context
      }
      this.cache.delete(name)
    }
    const made = this.issue([name])
    this.cache.set(name, made)
    made.catch(() => {
      if (this.cache.get(name) === made) this.cache.delete(name)
    })
    while (this.cache.size > this.max) {
      const oldest = this.cache.keys().next().value
      if (oldest === undefined) break
      this.cache.delete(oldest)
    }
    return (await made).context
  }

  /** A context whose certificate covers every one of `names`, not cached (--tls has one). */
  async issue(names: readonly string[]): Promise<Leaf> {
    const keys = await this.leafKeys()
    const { certPem, notAfter } = await issueLeaf(this.authority.issuer, keys.pair, names)
    // the chain: the leaf, then the CA, for clients that trust an intermediate the user brought
    const cert = `${certPem.trim()}\n${this.authority.certPem.trim()}\n`
    return {
      context: nodeTls().createSecureContext({ key: keys.pem, cert }),
      notAfter,
      key: keys.pem,
      cert,
    }
  }

  private leafKeys(): Promise<{ pair: CryptoKeyPair; pem: string }> {
    this.keys ??= generateKeys().then(async (pair) => ({
      pair,
      pem: await privateKeyPem(pair.privateKey),
    }))
    return this.keys
  }
}
