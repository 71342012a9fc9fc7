/**
 * @module Request bodies, read straight from Node's request rather than through a web stream,
 * and bounded while they arrive: a Content-Length over the bound is refused before a byte is
 * read, and a chunked body is counted as it comes.
 *
 * What becomes of the connection after an answer:
 * - a body read to its end, or never read at all, leaves it usable: Node discards an unread body
 *   as it arrives (bounded in time by `--request-timeout`) and reads the next request;
 * - a body the mock stopped reading part-way (over its bound), or one that announces more than
 *   the largest body the mock ever accepts, makes the answer say `Connection: close`, so that a
 *   keep-alive client opens a new connection instead of writing into one about to close.
 */
import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import { Readable } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from './env.js'
import { JumioProblem, OAuthError, PROBLEMS, problem } from './errors.js'
import { setLateHeader } from './request-context.js'

/** The Node request behind a Hono context; none under `app.request()` in unit tests. */
export function nodeRequest(c: Context): IncomingMessage | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
}

/** The request's declared length, or undefined (chunked, or none). */
export function declaredLength(c: Context): number | undefined {
  const text = c.req.header('Content-Length')
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined
}

/** Jumio's 413, naming the bound: an upload's (--max-upload-bytes) or any other body's. */
export function tooLarge(limit: number, kind: 'upload' | 'body' = 'body'): JumioProblem {
  const detail =
    kind === 'upload'
      ? `The file exceeds the maximum upload size of ${limit} bytes`
      : `The request body exceeds the maximum size of ${limit} bytes`
  return new JumioProblem(PROBLEMS.payloadTooLarge, detail)
}

/**
 * The whole body, at most `limit` bytes, read once: the journal, the admin contract check and the
 * route share it. Over the bound it is a 413, and the connection closes after the answer.
 */
export async function readBody(c: Context<AppEnv>, limit: number): Promise<Buffer> {
  const read = c.get('body')
  if (read) {
    // read first by the journal, whose bound is its own
    if (read.length > limit) throw tooLarge(limit)
    return read
  }
  // an ended request emits nothing more: a second read would wait for ever
  const lost = c.get('bodyLost')
  if (lost) throw lost
  const length = declaredLength(c)
  if (length !== undefined && length > limit) {
    abandonBody(c)
    throw tooLarge(limit)
  }
  const incoming = nodeRequest(c)
  const body = incoming ? await readNode(c, incoming, limit) : await readWeb(c, limit)
  c.set('body', body)
  return body
}

/**
 * The token endpoint's urlencoded form ({@link readBody}). Its 400s are OAuth2's: a body the
 * client stopped sending is `invalid_request`.
 */
export async function readTokenForm(c: Context<AppEnv>, limit: number): Promise<URLSearchParams> {
  try {
    return new URLSearchParams((await readBody(c, limit)).toString('utf8'))
  } catch (err) {
    if (err instanceof JumioProblem && err.status === 400) {
      throw new OAuthError(400, 'invalid_request', err.message)
    }
    throw err
  }
}

/** The body as a Node stream, for a parser that reads it as it comes (multipart). */
export function bodyStream(c: Context): Readable {
  const incoming = nodeRequest(c)
  if (incoming) return incoming
  const web = c.req.raw.body as WebReadableStream<Uint8Array> | null
  return web ? Readable.fromWeb(web) : Readable.from([])
}

/** Marks the body as left part-way: the answer closes the connection. */
export function abandonBody(c: Context<AppEnv>): void {
  c.set('bodyAbandoned', true)
  nodeRequest(c)?.pause()
}

function readNode(c: Context<AppEnv>, incoming: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const lose = () => {
      const lost = problem.badRequest('The request body could not be read')
      c.set('bodyLost', lost)
      reject(lost)
    }
    // gone before this read began (during a scenario's latency, say): no event will come
    if (incoming.destroyed && !incoming.readableEnded) {
      lose()
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    const done = () => {
      incoming.off('data', onData)
      incoming.off('end', onEnd)
      incoming.off('error', onFail)
      incoming.off('close', onFail)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        done()
        abandonBody(c)
        reject(tooLarge(limit))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      done()
      resolve(Buffer.concat(chunks, size))
    }
    // a client gone before the end: nobody is left to answer, but the route must not hang
    const onFail = () => {
      done()
      lose()
    }
    incoming.on('data', onData)
    incoming.once('end', onEnd)
    incoming.once('error', onFail)
    incoming.once('close', onFail)
  })
}

async function readWeb(c: Context, limit: number): Promise<Buffer> {
  let body: Buffer
  try {
    body = Buffer.from(await c.req.arrayBuffer())
  } catch {
    throw problem.badRequest('The request body could not be read')
  }
  if (body.length > limit) throw tooLarge(limit)
  return body
}

/**
 * After the answer is built: `Connection: close` when the body was left part-way, or when an
 * unread body announces more than `drainLimit` bytes (not worth discarding to keep a connection).
 */
export function closeAfterUnreadBodies(drainLimit: number): MiddlewareHandler<AppEnv> {
  return async function connectionAfterBody(c, next) {
    await next()
    const incoming = nodeRequest(c)
    if (!incoming || incoming.complete) return
    const length = declaredLength(c)
    if (c.get('bodyAbandoned') || (length !== undefined && length > drainLimit)) {
      setLateHeader(c, 'Connection', 'close')
      lingerBeforeClosing(incoming)
    }
  }
}

/** How long a connection closed after an answer still takes (and discards) what the client sends. */
const LINGER_MS = 2000

/**
 * A lingering close, as web servers do after refusing a body: Node closes a `Connection: close`
 * socket once the answer is written (`destroySoon`), and the client, still writing its body, would
 * then get a reset instead of the answer. So the write side is ended (FIN after the answer) while
 * the rest of the body is read and discarded, until the client closes or LINGER_MS passes.
 */
function lingerBeforeClosing(incoming: IncomingMessage): void {
  const socket = incoming.socket
  socket.destroySoon = () => {
    incoming.removeAllListeners('data')
    incoming.resume()
    lingeringClose(socket)
  }
}

/**
 * Connections a refusal answered (refusals.ts), a request in flight's included: what its route
 * answers later is never sent, so it is not journalled either.
 */
export const refusedSockets = new WeakSet<Socket>()

/** Ends the write side now and destroys the socket once the client closes or LINGER_MS passes. */
export function lingeringClose(socket: Socket): void {
  socket.end()
  const timer = setTimeout(() => socket.destroy(), LINGER_MS)
  timer.unref()
  socket.once('close', () => {
    clearTimeout(timer)
  })
}
