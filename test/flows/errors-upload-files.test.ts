import { request as httpRequest } from 'node:http'
import { beforeAll, describe, expect, it } from 'vitest'
import { sampleJpeg, samplePng } from '../../src/samples/images.js'
import {
  credentialOf,
  pathOf,
  txTokenOf,
  useClient,
  USER_AGENT,
  workflowPath,
} from '../helpers/jumio.js'
import type { Created, Details } from '../helpers/jumio.js'
import { expectProblem } from '../helpers/expect.js'
import { useHttpMock } from '../helpers/http-mock.js'

const s = useHttpMock(['--max-upload-bytes', '100000'])
const jumio = useClient(s)
let w: Created
beforeAll(async () => {
  w = await jumio.create({
    customerInternalReference: 'files',
    workflowDefinition: { key: 10011 },
  })
})

const href = (key: 'front' | 'face') =>
  credentialOf(w, key === 'face' ? 'SELFIE' : 'ID').api?.parts[key] ?? ''
const TOO_SMALL = 'Document image is 500 x 300 px; the minimum is 563 x 355 px'
const truncatedPng = samplePng(800, 500).subarray(0, 20)

describe('part upload: file rules', () => {
  it.each([
    ['a PNG of 800 x 500', 'front', samplePng(800, 500)],
    ['a portrait PNG of 355 x 563', 'front', samplePng(355, 563)],
    ['a landscape JPEG of 563 x 355', 'front', sampleJpeg(563, 355)],
    ['a JPEG of 8000 x 8000 (header only)', 'front', sampleJpeg(8000, 8000)],
    ['a face of 480 x 640', 'face', samplePng(480, 640)],
    ['a landscape face of 640 x 480', 'face', sampleJpeg(640, 480)],
    ['a JPEG of exactly the size limit', 'front', sampleJpeg(800, 500, 100_000)],
  ] as const)('accepts %s', async (_, key, bytes) => {
    await jumio.upload(href(key), txTokenOf(w), bytes).expect(200)
  })

  it.each([
    ['a PNG of 500 x 300 on FRONT', 'front', samplePng(500, 300), TOO_SMALL],
    ['a PNG of 354 x 563 on FRONT', 'front', samplePng(354, 563), 'Document image is 354 x 563 px'],
    [
      'a JPEG of 562 x 400 on FRONT',
      'front',
      sampleJpeg(562, 400),
      'Document image is 562 x 400 px',
    ],
    [
      'a face of 400 x 600',
      'face',
      samplePng(400, 600),
      'Selfie image is 400 x 600 px; the minimum is 640 x 480 px',
    ],
    ['a face of 479 x 640', 'face', sampleJpeg(479, 640), 'Selfie image is 479 x 640 px'],
    [
      'a JPEG 8001 px wide',
      'front',
      sampleJpeg(8001, 600),
      'Image is 8001 x 600 px; the maximum is 8000 x 8000 px',
    ],
    [
      'a JPEG 8001 px high',
      'face',
      sampleJpeg(600, 8001),
      'Image is 600 x 8001 px; the maximum is 8000 x 8000 px',
    ],
    [
      'a truncated PNG header',
      'front',
      truncatedPng,
      'Could not read the dimensions from the PNG header',
    ],
    [
      'a JPEG without a frame header',
      'front',
      Buffer.from([0xff, 0xd8, 0xff, 0xd9]),
      'Could not read the dimensions from the JPEG header',
    ],
    [
      'a PDF on an ID credential',
      'front',
      Buffer.from('%PDF-1.7\n%%EOF\n'),
      'File must be JPEG or PNG',
    ],
    [
      'a GIF',
      'front',
      Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;'),
      'File must be JPEG or PNG',
    ],
    ['an empty file', 'front', Buffer.alloc(0), 'The uploaded file is empty'],
  ] as const)('refuses %s with 400', async (_, key, bytes, detail) => {
    expectProblem(await jumio.upload(href(key), txTokenOf(w), bytes), 400, detail)
  })

  it('detects the type by content: a text file declared image/png is refused', async () => {
    const res = await s.http
      .post(pathOf(href('front')))
      .set('Authorization', `Bearer ${txTokenOf(w)}`)
      .attach('file', Buffer.from('hello, I am a text file'), {
        filename: 'front.png',
        contentType: 'image/png',
      })
    expectProblem(res, 400, 'File must be JPEG or PNG, detected by its content')
  })

  it('detects the type by content: a PNG declared text/plain is accepted as image/png', async () => {
    const bytes = samplePng(700, 450)
    await s.http
      .post(pathOf(href('front')))
      .set('Authorization', `Bearer ${txTokenOf(w)}`)
      .attach('file', bytes, { filename: 'front.txt', contentType: 'text/plain' })
      .expect(200)
    const path = `/api/v1/accounts/${w.account.id}/credentials/${credentialOf(w, 'ID').id}/parts/FRONT`
    const res = await jumio.retrieve(path).buffer(true).expect(200)
    expect(res.headers['content-type']).toBe('image/png')
  })

  it('refuses a multipart body without the file field', async () => {
    const res = await s.http
      .post(pathOf(href('front')))
      .set('Authorization', `Bearer ${txTokenOf(w)}`)
      .field('image', 'front')
      .attach('document', samplePng(800, 500), 'front.png')
    expectProblem(res, 400, 'The multipart field "file" with the image is missing')
  })

  it('refuses a file field sent as text', async () => {
    const res = await s.http
      .post(pathOf(href('front')))
      .set('Authorization', `Bearer ${txTokenOf(w)}`)
      .field('file', 'iVBORw0KGgo=')
    expectProblem(res, 400, 'The multipart field "file" with the image is missing')
  })

  it('refuses a multipart body that ends inside the file with 400, and keeps serving', async () => {
    // regression: the ended part's stream errored unhandled, an uncaught exception in the server
    const head =
      '--xyz\r\nContent-Disposition: form-data; name="file"; filename="f.png"\r\n' +
      'Content-Type: image/png\r\n\r\n'
    const res = await s.http
      .post(pathOf(href('front')))
      .set('Authorization', `Bearer ${txTokenOf(w)}`)
      .set('Content-Type', 'multipart/form-data; boundary=xyz')
      .send(Buffer.concat([Buffer.from(head), samplePng(800, 500).subarray(0, 30)]))
    expectProblem(res, 400, 'The multipart body could not be parsed')
    await jumio.upload(href('front'), txTokenOf(w), samplePng(800, 500)).expect(200)
  })

  /** Sends a raw multipart body to FRONT in pieces of `size` bytes; the status and the body. */
  /** Sends `body` in pieces of `size` bytes, each in its own turn of the event loop. */
  const sendInPieces = (body: Buffer, size: number, boundary = 'xyz') => {
    const pieces = Array.from({ length: Math.ceil(body.length / size) }, (_, i) =>
      body.subarray(i * size, (i + 1) * size),
    )
    return sendPieces(pieces, { length: body.length, boundary })
  }

  const filePart = (name: string, bytes: Buffer) =>
    Buffer.concat([
      Buffer.from(
        `--xyz\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      bytes,
      Buffer.from('\r\n'),
    ])

  it.each([1, 7, 64, 4096, 1 << 20])(
    'refuses two "file" fields with 400, whatever pieces the body arrives in (%i bytes)',
    async (size) => {
      const body = Buffer.concat([
        filePart('one.png', samplePng(800, 500)),
        filePart('two.png', samplePng(900, 600)),
        Buffer.from('--xyz--\r\n'),
      ])
      const res = await sendInPieces(body, size)
      expect(res.status).toBe(400)
      expect(JSON.parse(res.body)).toMatchObject({
        detail: 'The multipart body has more than one "file" field; send the image in one',
      })
    },
  )

  it.each([
    ['no headers', ''],
    ['a header that is not Content-Disposition', 'X-Foo: bar\r\n'],
    ['a header line without a colon', 'nonsense\r\n'],
    ['an attachment', 'Content-Disposition: attachment; filename="a.png"\r\n'],
  ])('answers a part with %s of 60 kB before the file (busboy skips it)', async (_what, head) => {
    // regression (found by a probe): busboy never finished such a body past 16 kB, so the request
    // hung, holding its share of the image budget until the client left
    const body = Buffer.concat([
      Buffer.from(`--xyz\r\n${head}\r\n`),
      Buffer.alloc(60_000),
      Buffer.from('\r\n'),
      filePart('front.png', samplePng(800, 500)),
      Buffer.from('--xyz--\r\n'),
    ])
    for (const size of [1 << 20, 4096]) {
      const res = await sendInPieces(body, size)
      expect(res.status).toBe(200)
    }
    const alone = Buffer.concat([Buffer.from(`--xyz\r\n${head}\r\n`), Buffer.alloc(60_000)])
    const missing = await sendInPieces(Buffer.concat([alone, Buffer.from('\r\n--xyz--\r\n')]), 4096)
    expect(missing.status).toBe(400)
  })

  it('refuses a chunked body of many small fields past the limit with 413', async () => {
    const field = (i: number) =>
      `--xyz\r\nContent-Disposition: form-data; name="f${String(i)}"\r\n\r\n${'v'.repeat(1000)}\r\n`
    const pieces = Array.from({ length: 400 }, (_, i) => field(i))
    const res = await sendPieces([...pieces, '--xyz--\r\n'])
    expect(res.status).toBe(413)
  })

  it('refuses an image body that is not multipart', async () => {
    const res = await s.http
      .post(pathOf(href('front')))
      .set('Authorization', `Bearer ${txTokenOf(w)}`)
      .set('Content-Type', 'image/png')
      .send(samplePng(800, 500))
    expectProblem(res, 400, 'must be multipart/form-data with the image in the field "file"')
  })

  it('refuses a file one byte over the configured limit with 413', async () => {
    const res = await jumio.upload(href('front'), txTokenOf(w), sampleJpeg(800, 500, 100_001))
    expectProblem(res, 413, 'The file exceeds the maximum upload size of 100000 bytes')
  })

  it('refuses a 200 kB JPEG with 413', async () => {
    const res = await jumio.upload(href('front'), txTokenOf(w), sampleJpeg(800, 500, 200_000))
    expectProblem(res, 413, 'maximum upload size of 100000 bytes')
  })

  it('refuses a declared 50 MB body with 413 before it is sent', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>(
      (resolve, reject) => {
        const req = httpRequest(`${s.url}${pathOf(href('front'))}`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${txTokenOf(w)}`,
            'User-Agent': USER_AGENT,
            'Content-Type': 'multipart/form-data; boundary=xyz',
            'Content-Length': String(50 * 1024 * 1024),
          },
        })
        req.on('response', (res) => {
          let text = ''
          res.on('data', (chunk: Buffer) => (text += chunk.toString()))
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body: text })
            req.destroy()
          })
        })
        req.on('error', reject)
        req.write('--xyz\r\n') // and nothing more: the answer must not wait for 50 MB
      },
    )
    expect(status).toBe(413)
    expect(JSON.parse(body)).toEqual({
      title: 'Payload Too Large',
      status: 413,
      detail: 'The file exceeds the maximum upload size of 100000 bytes',
    })
  })

  it('refuses a chunked body that grows over the limit with 413', async () => {
    const res = await sendPieces([
      '--xyz\r\nContent-Disposition: form-data; name="file"; filename="f.jpg"\r\n\r\n',
      ...Array.from({ length: 20 }, () => Buffer.alloc(10_000, 0x20)),
      '\r\n--xyz--\r\n',
    ])
    expect(res.status).toBe(413)
    expect(JSON.parse(res.body)).toMatchObject({ status: 413, title: 'Payload Too Large' })
  })

  it('sets startedAt at the first upload, not at finalize', async () => {
    const res = await jumio.retrieve(workflowPath(w)).expect(200)
    const details = res.body as Details
    expect(details.startedAt).toBe('2026-01-01T00:00:00.000Z')
    expect(details.workflow['status']).toBe('INITIATED')
  })
})

/**
 * POSTs a multipart body to the FRONT part piece by piece, each in its own turn of the event loop:
 * with a Content-Length when `length` is given, chunked otherwise.
 */
function sendPieces(
  pieces: (string | Buffer)[],
  { length, boundary = 'xyz' }: { length?: number; boundary?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${s.url}${pathOf(href('front'))}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${txTokenOf(w)}`,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        ...(length === undefined
          ? { 'Transfer-Encoding': 'chunked' }
          : { 'Content-Length': String(length) }),
      },
    })
    req.on('response', (r) => {
      let text = ''
      r.on('data', (chunk: Buffer) => (text += chunk.toString()))
      r.on('end', () => {
        resolve({ status: r.statusCode ?? 0, body: text })
      })
    })
    req.on('error', reject)
    let at = 0
    const next = () => {
      const piece = pieces[at++]
      if (piece === undefined) return void req.end()
      req.write(piece)
      setImmediate(next)
    }
    next()
  })
}
