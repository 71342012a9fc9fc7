/**
 * A JPEG's dimensions are read by following its segments to the frame header (images.ts,
 * jpegHeaderEnd), never by image-size, which steps one byte at a time where they break and walked
 * a long chain again: garbage after a JPEG signature, or millions of tiny segments, cost nothing.
 */
import type * as ImageSize from 'image-size'
import { describe, expect, it, vi } from 'vitest'
import { sampleJpeg } from '../../src/samples/images.js'
import { lateHeaderJpeg } from '../helpers/jpeg.js'

/** The lengths of what image-size was given. */
const seen = vi.hoisted((): number[] => [])
vi.mock('image-size', async (original) => {
  const real = await original<typeof ImageSize>()
  return {
    ...real,
    imageSize: (input: Uint8Array) => {
      seen.push(input.byteLength)
      return real.imageSize(input)
    },
  }
})
const { inspectUpload, jpegHeaderEnd } = await import('../../src/server/domain/images.js')

describe('the JPEG header image-size reads', () => {
  it('stops where the chain of segments breaks: 15 MB of zeros are refused from 4 bytes', () => {
    const zeros = Buffer.alloc(15 * 1024 * 1024)
    zeros.set([0xff, 0xd8, 0xff])
    seen.length = 0
    expect(() => inspectUpload(zeros, 'FRONT', false)).toThrow(
      'Could not read the dimensions from the JPEG header',
    )
    expect(Math.max(...seen)).toBeLessThanOrEqual(4)
  })

  it('stops at a fill byte: image-size would read it as a marker and step byte by byte after it', () => {
    // segments of length 2 after a fill byte each: followed as a chain, 15 MB for image-size
    const pattern = Buffer.from([0xff, 0xff, 0x01, 0x00, 0x02])
    const crafted = Buffer.alloc(15 * 1024 * 1024)
    crafted.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x02])
    for (let at = 6; at + pattern.length <= crafted.length; at += pattern.length) {
      crafted.set(pattern, at)
    }
    expect(jpegHeaderEnd(crafted)).toBe(6)
    const ones = Buffer.alloc(15 * 1024 * 1024, 0xff)
    ones.set([0xff, 0xd8])
    expect(jpegHeaderEnd(ones)).toBe(2)
    seen.length = 0
    expect(() => inspectUpload(crafted, 'FRONT', false)).toThrow('Could not read the dimensions')
    expect(Math.max(...seen)).toBeLessThanOrEqual(6)
  })

  it('reads the size at the frame header itself: 15 MB of tiny segments are not walked twice', () => {
    // regression (found by a probe): image-size walked the chain again, 800 ms of event loop
    const jpeg = sampleJpeg(1000, 630)
    const comment = Buffer.from([0xff, 0xfe, 0x00, 0x02])
    const segments = Buffer.alloc(15 * 1024 * 1024)
    for (let at = 0; at + 4 <= segments.length; at += 4) segments.set(comment, at)
    const crafted = Buffer.concat([jpeg.subarray(0, 2), segments, jpeg.subarray(2)])
    seen.length = 0
    expect(inspectUpload(crafted, 'FRONT', false)).toMatchObject({ width: 1000, height: 630 })
    expect(seen).toEqual([])
  })

  it('stops at the break after valid segments, and reads a frame header 1 MB in', () => {
    const jpeg = sampleJpeg(2000, 1300)
    const late = lateHeaderJpeg(1024 * 1024, jpeg)
    seen.length = 0
    expect(inspectUpload(late, 'FRONT', false)).toMatchObject({ width: 2000, height: 1300 })
    // read at the frame header: image-size never walks the whole file
    expect(Math.max(0, ...seen)).toBeLessThan(late.length - jpeg.length + 200)

    const broken = lateHeaderJpeg(600 * 1024, jpeg)
    const at = broken.length - jpeg.length + 2 // the first segment after the comments
    broken.fill(0, at)
    expect(jpegHeaderEnd(broken)).toBe(at)
    seen.length = 0
    expect(() => inspectUpload([broken, Buffer.alloc(4 * 1024 * 1024)], 'FRONT', false)).toThrow(
      'Could not read the dimensions',
    )
    expect(Math.max(...seen)).toBeLessThanOrEqual(at)
  })
})
