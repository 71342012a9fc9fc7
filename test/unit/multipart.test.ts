/**
 * The file field of a multipart upload (domain/multipart.ts): the same answer however the body is
 * cut into reads, for every shape of body a client may send.
 */
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { readMultipartFile } from '../../src/server/domain/multipart.js'
import type { MultipartFile } from '../../src/server/domain/multipart.js'

const B = 'X-boundary-7f3a'
const TYPE = `multipart/form-data; boundary=${B}`
const MAX = 1000

const part = (disposition: string, content: string | Buffer, type?: string) =>
  Buffer.concat([
    Buffer.from(
      `--${B}\r\nContent-Disposition: ${disposition}\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`,
    ),
    Buffer.from(content),
    Buffer.from('\r\n'),
  ])
const file = (content: string | Buffer, name = 'file') =>
  part(`form-data; name="${name}"; filename="a.jpg"`, content, 'image/jpeg')
const close = Buffer.from(`--${B}--\r\n`)
const body = (...pieces: Buffer[]) => Buffer.concat(pieces)

/** `whole` in reads of `size` bytes, each in a buffer of its own. */
function reads(whole: Buffer, size: number): Buffer[] {
  const out: Buffer[] = []
  for (let at = 0; at < whole.length; at += size)
    out.push(Buffer.from(whole.subarray(at, at + size)))
  return out
}

async function answer(whole: Buffer, size: number, type = TYPE): Promise<unknown> {
  const source = new PassThrough()
  const read = readMultipartFile(source, type, 'file', MAX)
  for (const r of reads(whole, size)) source.write(r)
  source.end()
  const got: MultipartFile = await read
  return 'bytes' in got ? Buffer.concat(got.bytes).toString('latin1') : got.problem
}

/** The answer for `whole`, the same for every way of cutting it. */
async function each(whole: Buffer, type = TYPE): Promise<unknown> {
  const answers = new Set<unknown>()
  for (const size of [1, 2, 3, 5, 17, B.length + 3, 64, 1 << 20])
    answers.add(await answer(whole, size, type))
  expect(answers.size, [...answers].join(' | ')).toBe(1)
  return [...answers][0]
}

describe('the file field of a multipart body', () => {
  const photo = Buffer.from(`\xff\xd8 -- \r\n--${B.slice(0, 5)} \r\n\r\n photo \xff\xd9`, 'latin1')

  it('is the bytes of the part named file, whatever else the body holds', async () => {
    expect(await each(body(file(photo), close))).toBe(photo.toString('latin1'))
    const others = body(
      part('form-data; name="note"', 'hello'),
      file('not this one', 'other'),
      file(photo),
      part('form-data; name="big"', 'x'.repeat(900)),
      close,
    )
    expect(await each(others)).toBe(photo.toString('latin1'))
  })

  it('takes a preamble before the first boundary and an epilogue after the last', async () => {
    const whole = body(
      Buffer.from('a preamble\r\n'),
      file(photo),
      close,
      Buffer.from('epilogue \r\n--'),
    )
    expect(await each(whole)).toBe(photo.toString('latin1'))
  })

  it('is the empty file when the part is empty, and exactly the limit is allowed', async () => {
    expect(await each(body(file(''), close))).toBe('')
    expect(await each(body(file('y'.repeat(MAX)), close))).toBe('y'.repeat(MAX))
  })

  it('is missing without a file part named file', async () => {
    expect(await each(body(part('form-data; name="note"', 'hello'), close))).toBe('missing')
    // a text field named file is not a file (no file name, a type of text)
    expect(await each(body(part('form-data; name="file"', 'text'), close))).toBe('missing')
    expect(await each(body(part('attachment; name="file"; filename="a.jpg"', 'x'), close))).toBe(
      'missing',
    )
    expect(await each(close)).toBe('missing')
  })

  it('counts a file without a name but of type octet-stream as a file', async () => {
    const bare = part('form-data; name="file"', photo, 'application/octet-stream')
    expect(await each(body(bare, close))).toBe(photo.toString('latin1'))
  })

  it('is a duplicate when two parts are named file', async () => {
    expect(await each(body(file(photo), file(photo), close))).toBe('duplicate')
    expect(await each(body(file(''), file('x'.repeat(50)), close))).toBe('duplicate')
  })

  it('is malformed when cut off before the closing boundary, or with no boundary', async () => {
    expect(await each(body(file(photo)))).toBe('malformed')
    expect(await each(file(photo).subarray(0, 40))).toBe('malformed')
    expect(await each(Buffer.from(''))).toBe('malformed')
    expect(await each(Buffer.from('just some text'))).toBe('malformed')
    expect(await each(body(file(photo), close), 'multipart/form-data')).toBe('malformed')
  })

  it('is too large past the limit for the file, or for the whole body', async () => {
    expect(await each(body(file('y'.repeat(MAX + 1)), close))).toBe('too-large')
    const padded = body(part('form-data; name="pad"', 'p'.repeat(70 * 1024)), file(photo), close)
    expect(await each(padded)).toBe('too-large')
  })
})

describe('a body of unknown length, read as far as the room it is given', () => {
  /** Reads `whole` in reads of `size` with room of `budget` bytes asked in steps of `step`. */
  async function roomed(whole: Buffer, size: number, step: number, budget: number) {
    let held = 0
    let read = 0
    let most = 0
    const source = new PassThrough()
    source.on('data', (c: Buffer) => {
      read += c.length
    })
    const answer = readMultipartFile(source, TYPE, 'file', MAX, {
      step,
      room: (bytes) => {
        if (held + bytes > budget) return Promise.resolve(false)
        held += bytes
        // never more than a step beyond what has arrived
        most = Math.max(most, held - read)
        return Promise.resolve(true)
      },
    })
    for (const r of reads(whole, size)) source.write(r)
    source.end()
    const got = await answer
    return { got: 'bytes' in got ? Buffer.concat(got.bytes).toString() : got, held, most }
  }

  const whole = body(file('x'.repeat(600)), close)

  it('holds no more than a step beyond what has arrived, and all of it in the end', async () => {
    for (const size of [1, 7, 64, 1000]) {
      const { got, held, most } = await roomed(whole, size, 50, 10_000)
      expect(got).toBe('x'.repeat(600))
      expect(held).toBeGreaterThanOrEqual(whole.length)
      expect(most).toBeLessThanOrEqual(50)
    }
  })

  it('takes a body that fits a room smaller than a step, and stops one that does not', async () => {
    // found by a probe: a first hold of 64 kB refused a 10 kB upload with 50 kB of room left
    expect((await roomed(whole, 64, 10_000, whole.length)).got).toBe('x'.repeat(600))
    expect((await roomed(whole, 64, 50, whole.length - 1)).got).toMatchObject({
      problem: 'no-room',
    })
  })
})
