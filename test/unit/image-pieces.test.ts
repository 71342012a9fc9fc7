/**
 * Uploads are kept in the pieces they arrived in (domain/multipart.ts, state/image-bytes.ts):
 * whatever the pieces, the bytes read back and the image check must be those of the whole file,
 * and no kept piece may be a small view of a larger buffer (it would keep all of it alive).
 */
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { inspectUpload } from '../../src/server/domain/images.js'
import { readMultipartFile } from '../../src/server/domain/multipart.js'
import { imageBuffer, imageLength, servedImage } from '../../src/server/state/image-bytes.js'
import { sampleJpeg, samplePng } from '../../src/samples/images.js'
import { lateHeaderJpeg } from '../helpers/jpeg.js'

const BOUNDARY = 'pieces-boundary-1'
const TYPE = `multipart/form-data; boundary=${BOUNDARY}`

function body(file: Buffer): Buffer {
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n`
  return Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)])
}

/** A deterministic sequence of cut sizes between 1 and `max`. */
function* cuts(seed: number, max: number): Generator<number> {
  let x = seed
  for (;;) {
    x = (x * 1103515245 + 12345) % 2 ** 31
    yield 1 + (x % max)
  }
}

/** `whole` cut into pieces, each in a buffer of its own (as socket reads arrive). */
function cut(whole: Buffer, seed: number, max: number): Buffer[] {
  const out: Buffer[] = []
  const sizes = cuts(seed, max)
  for (let at = 0; at < whole.length;) {
    const n = Math.min(Number(sizes.next().value ?? 1), whole.length - at)
    out.push(Buffer.from(whole.subarray(at, at + n)))
    at += n
  }
  return out
}

async function upload(pieces: Buffer[]) {
  const source = new PassThrough()
  const read = readMultipartFile(source, TYPE, 'file', 10 * 1024 * 1024)
  for (const p of pieces) source.write(p)
  source.end()
  const file = await read
  if (!('bytes' in file)) throw new Error(`no file: ${JSON.stringify(file)}`)
  return file
}

describe('uploads kept in pieces', () => {
  const photo = sampleJpeg(2000, 1300, 400_000)

  it('read back as the whole file, however the body is cut, without small views', async () => {
    for (const [seed, max] of [
      [1, 65_536],
      [2, 7],
      [3, 3_000],
      [4, 200_000],
    ] as const) {
      const file = await upload(cut(body(photo), seed, max))
      expect(file.size).toBe(photo.length)
      expect(imageLength(file.bytes)).toBe(photo.length)
      expect(imageBuffer(file.bytes).equals(photo)).toBe(true)
      for (const piece of file.bytes) {
        expect(piece.buffer.byteLength).toBeLessThanOrEqual(2 * piece.byteLength)
      }
    }
  })

  it('pass or fail the image check as the whole file does', () => {
    const files = [
      ['FRONT', photo],
      ['FACE', sampleJpeg(480, 640)],
      ['FRONT', samplePng(1000, 630)],
      ['FRONT', photo.subarray(0, photo.length - 5000)], // truncated: no end-of-image marker
      ['FRONT', Buffer.concat([photo, Buffer.alloc(5000, 'SEFT')])], // a trailer after the end
      ['FRONT', Buffer.concat([samplePng(1000, 630), Buffer.from('\n')])],
      ['FACE', sampleJpeg(300, 200)], // below the resolution rules
      ['FRONT', lateHeaderJpeg(300_000)], // the frame header past the first 256 kB
    ] as const
    const outcome = (f: () => unknown) => {
      try {
        return f()
      } catch (err) {
        return (err as Error).message
      }
    }
    for (const [classifier, file] of files) {
      const whole = outcome(() => inspectUpload(file, classifier, false))
      for (const max of [1, 100, 4_096, 65_536]) {
        const pieces = cut(Buffer.from(file), max, max)
        expect(outcome(() => inspectUpload(pieces, classifier, false))).toEqual(whole)
      }
    }
  })

  it('are joined once for an answer, and the part keeps the joined bytes', async () => {
    const file = await upload(cut(body(photo), 5, 65_536))
    const part: { bytes?: readonly Uint8Array<ArrayBuffer>[] | Uint8Array<ArrayBuffer> } = {
      bytes: file.bytes,
    }
    const first = servedImage(part)
    expect(first?.equals(photo)).toBe(true)
    expect(part.bytes).toBe(first)
    expect(servedImage(part)?.buffer).toBe(first?.buffer) // no second copy
    expect(servedImage({})).toBeUndefined()
  })
})
