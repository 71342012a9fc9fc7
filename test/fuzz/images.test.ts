import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { samplePng, sampleJpeg } from '../../src/samples/images.js'
import { accessToken, createAccount, credentialOf, uploadImage } from '../helpers/jumio.js'
import type { Created } from '../helpers/jumio.js'
import { useTestServer } from '../helpers/server.js'
import { FC_SEED, snapshot } from './kit.js'

const s = useTestServer()
let w: Created
beforeAll(async () => {
  w = await createAccount(s, await accessToken(s), {
    customerInternalReference: 'img',
    workflowDefinition: { key: 10011 },
  })
})

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff])

/** A PNG whose IHDR declares any size, CRC left as is (decoders would refuse; the header is read). */
function declaredPng(width: number, height: number): Buffer {
  const png = samplePng(1, 1)
  png.writeUInt32BE(width >>> 0, 16)
  png.writeUInt32BE(height >>> 0, 20)
  return png
}

const broken = fc.oneof(
  fc
    .uint8Array({ minLength: 1, maxLength: 2048 })
    .map((b) => ({ what: 'garbage', bytes: Buffer.from(b) })),
  fc
    .integer({ min: 1, max: 60 })
    .map((n) => ({ what: 'truncated PNG', bytes: samplePng(1000, 630).subarray(0, n) })),
  fc
    .integer({ min: 1, max: 20 })
    .map((n) => ({ what: 'truncated JPEG', bytes: sampleJpeg(1000, 630).subarray(0, n) })),
  fc.uint8Array({ minLength: 8, maxLength: 512 }).map((b) => ({
    what: 'PNG magic, garbage after',
    bytes: Buffer.concat([PNG_MAGIC, Buffer.from(b)]),
  })),
  fc.uint8Array({ minLength: 8, maxLength: 512 }).map((b) => ({
    what: 'JPEG magic, garbage after',
    bytes: Buffer.concat([JPEG_MAGIC, Buffer.from(b)]),
  })),
  fc
    .tuple(
      fc.constantFrom(0, 1, 8001, 65535, 2 ** 31, 2 ** 32 - 1),
      fc.constantFrom(0, 1, 8001, 65535, 2 ** 31),
    )
    .map(([x, y]) => ({
      what: `PNG declaring ${String(x)}x${String(y)}`,
      bytes: declaredPng(x, y),
    })),
  fc
    .tuple(fc.constantFrom(0, 1, 8001, 65535), fc.constantFrom(0, 1, 8001, 65535))
    .map(([x, y]) => ({
      what: `JPEG declaring ${String(x)}x${String(y)}`,
      bytes: sampleJpeg(x, y),
    })),
  fc.constant({
    what: 'PNG/JPEG polyglot',
    bytes: Buffer.concat([JPEG_MAGIC, samplePng(1000, 630)]),
  }),
  fc.constant({
    what: 'JPEG/PNG polyglot',
    bytes: Buffer.concat([PNG_MAGIC, sampleJpeg(1000, 630)]),
  }),
)

describe('broken images', () => {
  it('are refused with a contract-valid 400, never a 5xx, and change nothing stored', async () => {
    const id = credentialOf(w, 'ID')
    const before = await snapshot(s)
    let runs = 0
    await fc.assert(
      fc.asyncProperty(broken, async ({ bytes }) => {
        runs++
        const res = await uploadImage(s, id.api?.parts['front'] ?? '', id.api?.token ?? '', bytes)
        expect(res.status).toBe(400)
        expect(res.body).toMatchObject({ title: 'Bad Request', status: 400 })
      }),
      { numRuns: 150, seed: FC_SEED },
    )
    expect(runs).toBe(150)
    expect(await snapshot(s)).toBe(before)
    await s.http.get('/').expect(200)
  })
})

describe('regression: a truncated image whose header is complete', () => {
  it.each([
    ['PNG cut after its IHDR', samplePng(1000, 630).subarray(0, 33)],
    ['JPEG cut after its frame header', sampleJpeg(1000, 630, 4096).subarray(0, 2000)],
  ])('refuses a %s with 400 (found by the image fuzzing)', async (_what, bytes) => {
    const id = credentialOf(w, 'ID')
    const res = await uploadImage(
      s,
      id.api?.parts['front'] ?? '',
      id.api?.token ?? '',
      Buffer.from(bytes),
    ).expect(400)
    expect((res.body as { detail: string }).detail).toMatch(
      /is truncated: it has no end-of-image marker$/,
    )
  })
})

describe('regression: a whole image with bytes after its end', () => {
  // a phone's trailer (Samsung's), a motion photo's video, a newline a tool added: found by a
  // probe, refused as truncated when the end was looked for in the last kilobyte only
  const trailer = (n: number) => Buffer.alloc(n, 'SEFT')
  it.each([
    ['PNG with a newline', Buffer.concat([samplePng(1000, 630), Buffer.from('\n')])],
    ['PNG with 2 kB', Buffer.concat([samplePng(1000, 630), trailer(2_000)])],
    ['JPEG with 2 kB', Buffer.concat([sampleJpeg(1000, 630), trailer(2_000)])],
    ['JPEG with 300 kB', Buffer.concat([sampleJpeg(1000, 630), trailer(300_000)])],
  ])('accepts a %s after its end', async (_what, bytes) => {
    const id = credentialOf(w, 'ID')
    await uploadImage(s, id.api?.parts['front'] ?? '', id.api?.token ?? '', bytes).expect(200)
  })
})
