/**
 * The bench's own tools, where a mistake would make its figures wrong without failing the run:
 * the photos must be real-looking JPEGs the mock accepts, the floor's multipart reader must give
 * back the file byte for byte however the body is cut, the flow must find its way through both a
 * real answer and Prism's placeholders, and the profile summary must count what it says.
 */
import { Busboy } from '@fastify/busboy'
import { imageSize } from 'image-size'
import { writeFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { MOCK_HEAP_GROWTH } from '../../bench/floor-levels.js'
import { readFileIndexOf } from '../../bench/floor-multipart.js'
import { PHOTOS, multipart, planOf } from '../../bench/flow.js'
import { photoJpeg } from '../../bench/jpeg.js'
import { summarize } from '../../bench/profile-summary.js'
import {
  DEFAULT_IMAGE_BUDGET,
  DEFAULT_KEPT,
  LOAD_FLAGS,
  PROCESSING_DELAY_MS,
} from '../../bench/mock-options.js'
import { OPTIONS } from '../../src/config.js'
import { parseDuration } from '../../src/duration.js'
import { inspectUpload } from '../../src/server/domain/images.js'

describe('bench photos', () => {
  it('are JPEGs of the requested size and resolution, the same bytes every time', () => {
    const a = photoJpeg(2000, 1300, 1_048_576, 5)
    expect(a.length).toBe(1_048_576)
    expect(imageSize(a)).toMatchObject({ width: 2000, height: 1300, type: 'jpg' })
    expect(photoJpeg(2000, 1300, 1_048_576, 5).equals(a)).toBe(true)
    expect(photoJpeg(2000, 1300, 1_048_576, 6).equals(a)).toBe(false)
  })

  it('pass the mock’s checks for their classifier, with noise, not one repeated byte', () => {
    for (const [classifier, photo] of Object.entries(PHOTOS)) {
      expect(inspectUpload(photo, classifier, false)).toMatchObject({ format: 'jpeg' })
      const distinct = new Set(photo.subarray(4096, 8192)).size
      expect(distinct).toBeGreaterThan(200)
    }
  })
})

/** A request-like stream that delivers `body` in pieces of at most `max` bytes. */
function chunked(body: Buffer, type: string, max: number, seed: number): IncomingMessage {
  const stream = new PassThrough()
  Object.assign(stream, { headers: { 'content-type': type } })
  let at = 0
  let x = seed
  while (at < body.length) {
    x = (x * 1103515245 + 12345) & 0x7fffffff
    const n = 1 + (x % max)
    stream.write(body.subarray(at, at + n))
    at += n
  }
  stream.end()
  return stream as unknown as IncomingMessage
}

/** The file field as the mock's parser (@fastify/busboy) reads it. */
function viaBusboy(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    const parser = new Busboy({ headers: { 'content-type': req.headers['content-type'] ?? '' } })
    parser.on('file', (_name, stream) => stream.on('data', (c: Buffer) => chunks.push(c)))
    parser.on('finish', () => {
      resolve(Buffer.concat(chunks))
    })
    ;(req as unknown as PassThrough).pipe(parser)
  })
}

describe("the floor's Buffer.indexOf multipart reader", () => {
  it("gives back what the mock's parser gives back, whatever pieces the body arrives in", async () => {
    const { body, type } = multipart(PHOTOS.FACE, 'face.jpg')
    for (const [max, seeds] of [
      [40, 20], // the delimiter straddles pieces often
      [70_000, 30],
    ] as const) {
      for (let seed = 1; seed <= seeds; seed++) {
        const file = Buffer.concat(await readFileIndexOf(chunked(body, type, max, seed)))
        expect(file.equals(await viaBusboy(chunked(body, type, max, seed)))).toBe(true)
        expect(file.equals(PHOTOS.FACE)).toBe(true)
      }
    }
  })

  it('refuses a body that never closes its part', async () => {
    const { body, type } = multipart(PHOTOS.FACE, 'face.jpg')
    const cut = body.subarray(0, body.length - 50)
    await expect(readFileIndexOf(chunked(cut, type, 70_000, 1))).rejects.toThrow(/delimiter/)
  })
})

describe('the flow plan', () => {
  it('follows the hrefs of a real answer, on the target', () => {
    const created = {
      account: { id: 'a1' },
      workflowExecution: {
        id: 'w1',
        credentials: [
          {
            id: 'c1',
            api: {
              token: 'tx',
              parts: { front: 'http://elsewhere:1/p/FRONT', back: 'http://elsewhere:1/p/BACK' },
              workflowExecution: 'http://elsewhere:1/fin',
            },
          },
          { id: 'c2', api: { token: 'tx', parts: { face: 'http://elsewhere:1/p/FACE' } } },
        ],
      },
    }
    const plan = planOf(JSON.stringify(created))
    expect(plan.uploads.map((u) => u.path)).toEqual(['/p/FRONT', '/p/BACK', '/p/FACE'])
    expect(plan.finalize).toBe('/fin')
    expect(plan.token).toBe('tx')
    expect(plan.image).toBe('/api/v1/accounts/a1/credentials/c1/parts/FRONT')
  })

  it("builds the documented paths from Prism's placeholders", () => {
    const prism = {
      account: { id: 'string' },
      workflowExecution: {
        id: 'string',
        credentials: [{ id: 'string', api: { token: 'string', parts: { property1: 'string' } } }],
      },
    }
    const plan = planOf(JSON.stringify(prism))
    const execution = '/api/v1/accounts/string/workflow-executions/string'
    expect(plan.uploads[2]?.path).toBe(`${execution}/credentials/string/parts/FACE`)
    expect(plan.finalize).toBe(execution)
    expect(plan.status).toBe(`${execution}/status`)
  })
})

describe('the profile summary', () => {
  it('counts busy samples in the window, by package and function, self and inclusive', () => {
    const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({
      id,
      callFrame: { functionName, url, lineNumber: 0 },
      children,
    })
    const profile = {
      nodes: [
        frame(1, '(root)', '', [2, 4, 5]),
        frame(2, 'handle', 'file:///x/node_modules/busboy/lib/main.js', [3]),
        frame(3, 'feed', 'file:///x/node_modules/streamsearch/lib/sbmh.js'),
        frame(4, '(garbage collector)', ''),
        frame(5, '(idle)', ''),
      ],
      // times 10, 20, 30, 40, 50 µs; the window [15, 45] keeps samples 2 to 4
      samples: [3, 3, 4, 5, 2],
      startTime: 0,
      timeDeltas: [10, 10, 10, 10, 10],
    }
    const file = join(mkdtempSync(join(tmpdir(), 'bench-prof-')), 'p.cpuprofile')
    writeFileSync(file, JSON.stringify(profile))
    const s = summarize(file, 10, [15, 45])
    expect(s.samples).toBe(3)
    expect(s.busy).toBe(2) // the idle one is not busy
    const group = (name: string) => s.groups.find((g) => g.name === name)
    expect(group('streamsearch')).toMatchObject({ self: 0.5, inclusive: 0.5 })
    expect(group('V8: garbage collection')).toMatchObject({ self: 0.5, inclusive: 0.5 })
    expect(group('busboy')).toMatchObject({ self: 0, inclusive: 0.5 }) // a caller of feed
    const all = summarize(file)
    expect(all.busy).toBe(4)
    expect(all.groups.find((g) => g.name === 'busboy')).toMatchObject({
      self: 0.25,
      inclusive: 0.75,
    })
  })
})

describe("the bench's mock options", () => {
  it("are the mock's defaults where the bench says so (the memory goal is judged on them)", () => {
    const defaultOf = (flag: string) => Number(OPTIONS.find((o) => o.flag === flag)?.default)
    expect(DEFAULT_IMAGE_BUDGET).toBe(defaultOf('max-image-bytes'))
    expect(DEFAULT_KEPT).toBe(defaultOf('max-workflow-executions'))
    expect(MOCK_HEAP_GROWTH).toBe(defaultOf('heap-growth'))
    expect(parseDuration(LOAD_FLAGS[1] ?? '')).toBe(PROCESSING_DELAY_MS)
  })
})
