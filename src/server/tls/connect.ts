/**
 * @module CONNECT on the mock's own port: how clients that tunnel HTTPS through
 * HTTPS_PROXY (curl, Python, Java, Go, .NET, Node with a proxy agent) reach the mock unchanged.
 *
 * - A tunnel to one of Jumio's hosts on 443 ends here: TLS with a leaf certificate for the host
 *   the client names (SNI, else the CONNECT target), then the requests inside go to the same
 *   HTTP server as every other, as `https://<that host>`, so the journal and the hrefs see it.
 * - A tunnel to a host on `--proxy-allow` is passed through, bytes untouched.
 * - Any other is refused with 403: the mock never reaches the internet on a client's behalf.
 */
import type { Server } from 'node:http'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Logger } from '../../logger.js'
import { titleFor } from '../errors.js'
import { nodeNet, nodeTls } from './builtins.js'
import { allowedHost, isJumioHost } from './jumio-hosts.js'
import type { LeafContexts } from './leaf-cache.js'

/** What a CONNECT needs from the server around it. */
export interface ConnectContext {
  server: Server
  log: Logger
  proxyAllow: readonly string[]
  /** The leaf certificates, loaded (with the CA and the X.509 library) on first use. */
  leaves: () => Promise<LeafContexts>
  /** How long a passed-through tunnel may carry no bytes (default {@link TUNNEL_IDLE_MS}). */
  tunnelIdleMs?: number
}

/** A passed-through tunnel with no bytes either way for this long is closed. */
export const TUNNEL_IDLE_MS = 120_000
/** How long a refused CONNECT's connection stays open for the client to read the answer. */
const REFUSAL_LINGER_MS = 1000
/** The longest wait for an allowed upstream to accept the connection. */
const UPSTREAM_CONNECT_MS = 10_000

/** Answers one CONNECT. */
export async function handleConnect(
  ctx: ConnectContext,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  // a client that goes away mid-answer must not take the process with it
  socket.on('error', () => socket.destroy())
  const target = parseTarget(req.url ?? '')
  if (!target) {
    refuse(socket, 400, `"CONNECT ${req.url ?? ''}" does not name a host:port`)
    return
  }
  if (isJumioHost(target.host) && target.port === 443) {
    await intercept(ctx, target.host, socket, head)
    return
  }
  if (allowedHost(target.host, ctx.proxyAllow)) {
    tunnel(ctx, target, socket, head)
    return
  }
  const why = isJumioHost(target.host)
    ? `Jumio's hosts answer HTTPS on port 443 only, not ${String(target.port)}`
    : `jumio-mock answers only for Jumio's hosts and tunnels only the hosts of --proxy-allow; ${target.host} is neither`
  ctx.log.warn('CONNECT refused', { target: req.url, why })
  refuse(socket, 403, why)
}

/** `host:port` of a CONNECT (authority form, RFC 9110 §9.3.6), IPv6 in brackets. */
function parseTarget(authority: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9_.-]+)):(\d{1,5})$/.exec(authority)
  const port = Number(m?.[3])
  const host = m?.[1] ?? m?.[2]
  if (!host || !(port > 0 && port <= 65535)) return undefined
  return { host: host.replace(/\.$/, ''), port }
}

/** Ends the tunnel here: TLS as `host`, then the requests go to the HTTP server. */
async function intercept(ctx: ConnectContext, host: string, socket: Duplex, head: Buffer) {
  let leaves: LeafContexts
  let secureContext
  try {
    leaves = await ctx.leaves()
    secureContext = await leaves.context(host)
  } catch (err) {
    ctx.log.error('HTTPS interception unavailable', { host, error: String(err) })
    refuse(socket, 503, `jumio-mock cannot make a certificate for ${host}: ${String(err)}`)
    return
  }
  if (socket.destroyed) return
  socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
  if (head.length > 0) socket.unshift(head)
  const tls = nodeTls()
  const secure = new tls.TLSSocket(socket, {
    isServer: true,
    secureContext,
    // HTTP/1.1 only: the server behind is Node's HTTP/1.1 one
    ALPNProtocols: ['http/1.1'],
    // the certificate for the name the client checks, when it sends another Jumio host
    SNICallback: (name, done) => {
      leaves.context(isJumioHost(name) ? name : host).then(
        (context) => {
          done(null, context)
        },
        (err: unknown) => {
          done(err instanceof Error ? err : new Error(String(err)), undefined)
        },
      )
    },
  })
  // From here the connection is the HTTP server's, with its timeouts, limits and error answers
  // (a failed handshake is a clientError). An HTTPS server (--tls) takes HTTP on
  // 'secureConnection': its 'connection' would wrap the socket in TLS a second time.
  ctx.server.emit(ctx.server instanceof tls.Server ? 'secureConnection' : 'connection', secure)
}

/** Passes the tunnel through to the allowed host. */
function tunnel(
  ctx: ConnectContext,
  target: { host: string; port: number },
  socket: Duplex,
  head: Buffer,
): void {
  const upstream = nodeNet().connect({ host: target.host, port: target.port })
  let open = false
  upstream.setTimeout(UPSTREAM_CONNECT_MS)
  upstream.once('timeout', () => {
    if (!open) refuse(socket, 504, `${target.host}:${target.port} did not accept in time`)
    upstream.destroy()
  })
  upstream.once('connect', () => {
    open = true
    // bytes either way are activity on the upstream socket: its idle timeout covers both
    upstream.setTimeout(ctx.tunnelIdleMs ?? TUNNEL_IDLE_MS)
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
    if (head.length > 0) upstream.write(head)
    socket.pipe(upstream).pipe(socket)
  })
  upstream.once('error', (err: NodeJS.ErrnoException) => {
    ctx.log.warn('CONNECT tunnel failed', {
      target: `${target.host}:${target.port}`,
      error: err.code ?? err.message,
    })
    if (!open) refuse(socket, 502, `${target.host}:${target.port}: ${err.code ?? err.message}`)
    else socket.destroy()
  })
  upstream.once('close', () => {
    if (open) socket.destroy()
  })
  socket.once('close', () => upstream.destroy())
}

/**
 * An answer to the CONNECT itself, in Jumio's problem shape, and the end of the connection:
 * closed for good a moment later, as Node's HTTP server allows half-open connections and a client
 * that never closes its side would otherwise hold the socket forever.
 */
function refuse(socket: Duplex, status: number, detail: string): void {
  if (socket.destroyed) return
  const body = JSON.stringify({ title: titleFor(status), status, detail })
  const linger = setTimeout(() => socket.destroy(), REFUSAL_LINGER_MS)
  linger.unref()
  socket.once('close', () => {
    clearTimeout(linger)
  })
  socket.end(
    [
      `HTTP/1.1 ${String(status)} ${titleFor(status)}`,
      'Content-Type: application/json',
      `Content-Length: ${String(Buffer.byteLength(body))}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n'),
  )
}
