/**
 * @module The one file field of a multipart upload, read with @fastify/busboy as the body streams
 * in. Parsing with `Request.formData()` went through Blobs and web streams and cost about 9 ms of
 * CPU for a 1 MB image (measured); busboy keeps the bytes in Buffers. @fastify/busboy, a fork of
 * busboy with its API of old, finds the boundary with `Buffer.indexOf` where busboy 1.6 searches
 * byte by byte in JavaScript: 240 against 420 µs of CPU for a 1 MiB upload's body (measured).
 */
import { Transform } from 'node:stream'
import type { Readable } from 'node:stream'
import { Busboy } from '@fastify/busboy'
import type { BusboyInstance } from '@fastify/busboy'
import { problem } from '../errors.js'

/** Room for the multipart framing around a file of the maximum size. */
export const MULTIPART_OVERHEAD = 64 * 1024

/** The file's bytes, or why there are none. */
export type MultipartFile =
  | { bytes: readonly Uint8Array<ArrayBuffer>[]; size: number }
  | { problem: 'malformed' | 'missing' | 'duplicate' }
  | { problem: 'too-large'; maxBytes: number }
  | { problem: 'no-room'; read: number }

/**
 * Room for a body of unknown length (no Content-Length), asked for as it arrives, `step` bytes at
 * a time; `room` takes more, false when there is none.
 */
export interface Room {
  step: number
  room(bytes: number): Promise<boolean>
}

/**
 * Reads the file part named `field` of a `multipart/form-data` body, at most `maxBytes` of it;
 * other parts are skipped. A second part named `field` makes the body a `duplicate`, whichever
 * pieces it arrives in. Past `maxBytes` for the file, or past `maxBytes` + MULTIPART_OVERHEAD for
 * the whole body, it stops reading at once (the caller closes the connection), as it does when
 * `room` has none for what arrives. A body cut off (a client gone) rejects with a 400 problem.
 */
export function readMultipartFile(
  source: Readable,
  contentType: string,
  field: string,
  maxBytes: number,
  room?: Room,
): Promise<MultipartFile> {
  return new Promise((resolve, reject) => {
    let parser: BusboyInstance
    try {
      // one byte over: busboy reports a file of exactly its limit as truncated
      const limits = { fileSize: maxBytes + 1 }
      parser = new Busboy({ headers: { 'content-type': contentType }, limits })
    } catch {
      resolve({ problem: 'malformed' }) // no boundary, not multipart
      return
    }
    resumeAfterSkippedParts(parser)
    const gate =
      room &&
      withRoom(
        source,
        room,
        (read) => {
          stop({ problem: 'no-room', read })
        },
        (err) => {
          stop(undefined, err)
        },
      )
    const feed: Readable = gate ?? source
    /** Stops reading: the answer, or the error of asking for room (Redis gone, say). */
    const stop = (answer: MultipartFile | undefined, err?: unknown) => {
      source.off('data', count)
      feed.unpipe(parser)
      if (gate) source.unpipe(gate)
      if (answer) resolve(answer)
      else reject(err instanceof Error ? err : new Error(String(err)))
    }
    let read = 0
    const count = (chunk: Buffer) => {
      read += chunk.length
      if (read > maxBytes + MULTIPART_OVERHEAD) stop({ problem: 'too-large', maxBytes })
    }
    let seen = 0
    let file: { bytes: Uint8Array<ArrayBuffer>[]; size: number } | undefined
    parser.on('file', (name, stream) => {
      // a body that ends inside a part fails that part's stream too: the parser's error answers
      stream.on('error', () => undefined)
      if (name !== field) {
        stream.resume()
        return
      }
      // counted when the part begins, not when its bytes end: the same answer for any chunking
      if (++seen > 1) {
        stream.resume()
        return
      }
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      // answered at once: the rest of an oversized body is never read
      stream.on('limit', () => {
        stop({ problem: 'too-large', maxBytes })
      })
      stream.on('end', () => {
        file = { bytes: kept(chunks), size: chunks.reduce((n, c) => n + c.length, 0) }
      })
    })
    parser.on('error', () => {
      resolve({ problem: 'malformed' })
    })
    parser.on('finish', () => {
      if (seen > 1) resolve({ problem: 'duplicate' })
      else if (file === undefined) resolve({ problem: 'missing' })
      else if (file.size > maxBytes) resolve({ problem: 'too-large', maxBytes })
      else resolve(file)
    })
    // a client gone mid-body: nobody is left to answer, but the route must not hang or fail
    const cutOff = () => {
      reject(problem.badRequest('The request body could not be read'))
    }
    // gone before this read began: no event will come
    if (source.destroyed && !source.readableEnded) {
      cutOff()
      return
    }
    source.once('error', cutOff)
    source.once('close', () => {
      if (!source.readableEnded) cutOff()
    })
    source.on('data', count)
    feed.pipe(parser)
  })
}

/**
 * The body passed on as far as `room` holds it: past what is held, the next piece waits for more
 * (the source is not read meanwhile): a step, or what the piece needs if more, and when that
 * does not fit, no more than the piece needs. So it never holds a step more than has arrived;
 * with no room even for the piece, `none` hears how much had arrived.
 */
function withRoom(
  source: Readable,
  room: Room,
  none: (read: number) => void,
  fail: (err: unknown) => void,
): Transform {
  let held = 0
  let read = 0
  const gate = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      read += chunk.length
      if (read <= held) {
        done(null, chunk)
        return
      }
      const need = read - held
      const ask = async (): Promise<number> => {
        const step = Math.max(need, room.step)
        if (await room.room(step)) return step
        return step > need && (await room.room(need)) ? need : 0
      }
      ask().then(
        (more) => {
          if (more === 0) {
            none(read)
            return
          }
          held += more
          done(null, chunk)
        },
        (err: unknown) => {
          fail(err)
        },
      )
    },
  })
  source.pipe(gate)
  return gate
}

/** The part of @fastify/busboy's multipart parser (its Dicer) that {@link resumeAfterSkippedParts} uses. */
interface Dicer {
  on(event: 'part', listener: (part: Readable) => void): void
  _unpause?: () => void
}

/**
 * @fastify/busboy 3.2.6 stops reading a body for good when a part it skips (one without a
 * form-data Content-Disposition) takes more than its buffer, 16 kB, in one write: its parser
 * pauses, and resumes only when that part asks for more, which a part already ended never does.
 * The upload hung, holding its share of the image budget, until the client left (found by a
 * probe; test/flows/errors-upload-files.test.ts). So the parser resumes at the end of each part.
 */
function resumeAfterSkippedParts(parser: BusboyInstance): void {
  const dicer = (parser as unknown as { _parser?: { parser?: Dicer } })._parser?.parser
  const unpause = dicer?._unpause
  if (!dicer || typeof unpause !== 'function') return
  dicer.on('part', (part) => {
    part.once('end', () => {
      unpause.call(dicer)
    })
  })
}

/**
 * The file's pieces as the store keeps them. A piece that is most of the memory under it (a
 * socket read, the bulk of a large upload) is kept as it is: joining a 1 MB upload into an array
 * of its own was a fresh allocation and a copy per upload, and twice the memory for the
 * collector to free (measured: 5 % of a flow's CPU in the copy alone). A piece that is a small
 * view of a larger buffer (the ends of a read, busboy's own small copies from Node's shared 8 kB
 * pool) would keep all of that buffer alive: those are copied, runs of them into one array.
 */
function kept(chunks: Buffer[]): Uint8Array<ArrayBuffer>[] {
  const out: Uint8Array<ArrayBuffer>[] = []
  let small: Buffer[] = []
  const copySmall = () => {
    if (small.length === 0) return
    const copy = new Uint8Array(small.reduce((n, c) => n + c.length, 0))
    let at = 0
    for (const piece of small) {
      copy.set(piece, at)
      at += piece.length
    }
    out.push(copy)
    small = []
  }
  for (const chunk of chunks) {
    if (chunk.length === 0) continue
    if (chunk.buffer.byteLength > 2 * chunk.length || !(chunk.buffer instanceof ArrayBuffer)) {
      small.push(chunk)
      continue
    }
    copySmall()
    out.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length))
  }
  copySmall()
  return out
}
