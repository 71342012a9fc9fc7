/** JPEGs shaped for the image check's tests. */
import { sampleJpeg } from '../../src/samples/images.js'

/**
 * `jpeg` (by default a 2000 x 1300 photo) with `before` bytes of comment segments ahead of its
 * frame header: past the check's first window when `before` is large enough.
 */
export function lateHeaderJpeg(before: number, jpeg = sampleJpeg(2000, 1300)): Buffer {
  const comments: Buffer[] = []
  for (let n = 0; n < before; n += 60_004) {
    const com = Buffer.alloc(60_004, 0x20)
    com.set([0xff, 0xfe], 0)
    com.writeUInt16BE(60_002, 2)
    comments.push(com)
  }
  return Buffer.concat([jpeg.subarray(0, 2), ...comments, jpeg.subarray(2)])
}
