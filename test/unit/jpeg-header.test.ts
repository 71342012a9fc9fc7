/**
 * A JPEG's dimensions are read by following its segments to the frame header (images.ts,
 * jpegHeaderEnd), never by image-size, which steps one byte at a time where they break and walked
 * a long chain again: garbage after a JPEG signature, or millions of tiny segments, cost nothing.
 */
import type * as ImageSize from 'image-size'
import { describe, expect, it, vi } from 'vitest'
import { sampleJpeg, samplePng } from '../../src/samples/images.js'
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

describe('the JPEG header read for its size', () => {
  it('gives image-size a PNG (what the spy below counts), never a JPEG', () => {
    seen.length = 0
    inspectUpload(samplePng(1000, 630), 'FRONT', false)
    inspectUpload(sampleJpeg(1000, 630), 'FRONT', false)
    expect(seen.length).toBe(1)
  })

  it('stops where the chain of segments breaks: 15 MB of zeros are refused from 4 bytes', () => {
    const zeros = Buffer.alloc(15 * 1024 * 1024)
    zeros.set([0xff, 0xd8, 0xff])
    seen.length = 0
    expect(() => inspectUpload(zeros, 'FRONT', false)).toThrow(
      'Could not read the dimensions from the JPEG header',
    )
    expect(seen).toEqual([])
  })

  it('skips fill bytes before a marker, as T.81 allows, and reads the size after them', () => {
    // found by a probe: a JPEG with 0xFF fill bytes before its markers was refused
    const jpeg = sampleJpeg(1000, 630)
    const filled = Buffer.concat([jpeg.subarray(0, 2), Buffer.alloc(3, 0xff), jpeg.subarray(2)])
    expect(inspectUpload(filled, 'FRONT', false)).toMatchObject({ width: 1000, height: 630 })
    // a run of fill bytes to the end, or segments after a standalone marker, hold no frame: one
    // step a byte or a segment, then refused
    const ones = Buffer.alloc(15 * 1024 * 1024, 0xff)
    ones.set([0xff, 0xd8])
    const pattern = Buffer.from([0xff, 0xff, 0x01, 0xff, 0xfe, 0x00, 0x02])
    const crafted = Buffer.alloc(15 * 1024 * 1024)
    crafted.set([0xff, 0xd8])
    for (let at = 2; at + pattern.length <= crafted.length; at += pattern.length) {
      crafted.set(pattern, at)
    }
    seen.length = 0
    for (const file of [ones, crafted]) {
      expect(() => inspectUpload(file, 'FRONT', false)).toThrow('Could not read the dimensions')
    }
    expect(seen).toEqual([])
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
    // read at the frame header: image-size never walks the file
    expect(seen).toEqual([])

    const broken = lateHeaderJpeg(600 * 1024, jpeg)
    const at = broken.length - jpeg.length + 2 // the first segment after the comments
    broken.fill(0, at)
    expect(jpegHeaderEnd(broken)).toBe(at)
    seen.length = 0
    expect(() => inspectUpload([broken, Buffer.alloc(4 * 1024 * 1024)], 'FRONT', false)).toThrow(
      'Could not read the dimensions',
    )
    expect(seen).toEqual([])
  })
})
