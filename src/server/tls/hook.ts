/**
 * @module What `http-server.ts` calls for HTTPS: the server (HTTPS with `--tls`),
 * CONNECT interception on the same port, and listening once the `--tls` certificate is ready.
 *
 * Nothing here costs anything at start-up with `--tls` off: the CA, the X.509 library and the
 * leaf certificates are loaded on the first CONNECT to a Jumio host (see x509.ts).
 */
import { createServer } from 'node:http'
import type { RequestListener, Server, ServerOptions } from 'node:http'
import type { Config } from '../../config.js'
import type { Logger } from '../../logger.js'
import { loadAuthority } from './authority.js'
import { nodeHttps } from './builtins.js'
import { handleConnect } from './connect.js'
import { directTlsNames } from './jumio-hosts.js'
import { LeafContexts } from './leaf-cache.js'

type TlsConfig = Pick<Config, 'tls' | 'ca' | 'proxyAllow'>

/**
 * Node's `createServer`, or with `--tls` HTTPS's (its certificate is set by {@link listenOn}):
 * an https.Server is an http.Server over TLS, with the same events, limits and connections.
 */
export function serverFactory(
  config: TlsConfig,
): (options: ServerOptions, listener: RequestListener) => Server {
  if (!config.tls) return createServer
  const https = nodeHttps()
  // a handshake has the headers' time, not Node's default 120 s: a client that opens connections
  // and never finishes one held a --max-connections slot each that long (found by a probe)
  return (options, listener) =>
    https.createServer(
      {
        ...options,
        ALPNProtocols: ['http/1.1'],
        handshakeTimeout: options.headersTimeout ?? 10_000,
      },
      listener,
    )
}

/** Leaf certificates of one server, made with its CA, both loaded once on first use. */
function lazyLeaves(config: TlsConfig, log: Logger): () => Promise<LeafContexts> {
  let leaves: Promise<LeafContexts> | undefined
  return () => {
    leaves ??= loadAuthority(config.ca).then((authority) => {
      if (authority.created) {
        log.info('created a CA: trust this file in clients (see "jumio-mock ca")', {
          cert: authority.files.cert,
        })
      }
      return new LeafContexts(authority)
    })
    // a CA that could not be loaded is tried again on the next use (the user may fix the files)
    leaves.catch(() => {
      leaves = undefined
    })
    return leaves
  }
}

/**
 * Handles CONNECT on `server`, and listens: at once over HTTP; with `--tls` once the CA and the
 * certificate for Jumio's hosts, `localhost` and `127.0.0.1` are ready. A CA that cannot be
 * loaded is the server's 'error' (`serve` exits with its message), as a busy port is.
 */
export function listenOn(
  server: Server,
  config: TlsConfig,
  log: Logger,
  port: number,
  hostname: string,
): Server {
  const leaves = lazyLeaves(config, log)
  server.on('connect', (req, socket, head) => {
    void handleConnect({ server, log, proxyAllow: config.proxyAllow, leaves }, req, socket, head)
  })
  if (!config.tls) return server.listen(port, hostname)
  leaves()
    .then((l) => l.issue(directTlsNames()))
    .then(({ key, cert }) => {
      if (server instanceof nodeHttps().Server) server.setSecureContext({ key, cert })
      server.listen(port, hostname)
    })
    .catch((err: unknown) => server.emit('error', err))
  return server
}
