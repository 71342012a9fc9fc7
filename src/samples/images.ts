/**
 * @module Sample images made on the fly: a real, decodable grey PNG of any size, and a JPEG whose
 * header declares any size (padded to any byte count). They meet or break the resolution rules
 * on purpose, for tests, the verification suite and the web journey.
 */
import { crc32, deflateSync } from 'node:zlib'

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0)
  return Buffer.concat([head, data, crc])
}

/** A valid 8-bit greyscale PNG of `width` × `height`, light grey. */
export function samplePng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 0 // greyscale
  const row = Buffer.alloc(width + 1, 0xd0)
  row[0] = 0 // filter: none
  const raw = Buffer.alloc(row.length * height)
  for (let y = 0; y < height; y++) row.copy(raw, y * row.length)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** A JPEG whose SOF0 header declares `width` × `height`, padded with comments to `size` bytes. */
export function sampleJpeg(width: number, height: number, size = 0): Buffer {
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x0b, 0x08, 0, 0, 0, 0, 0x01, 0x01, 0x11, 0x00])
  sof.writeUInt16BE(height, 5)
  sof.writeUInt16BE(width, 7)
  const app0 = Buffer.from([
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0, 0, 1, 0, 1, 0, 0,
  ])
  const parts = [Buffer.from([0xff, 0xd8]), app0, sof]
  let length = 2 + app0.length + sof.length + 2
  while (length < size) {
    const n = Math.min(65533, size - length - 4)
    if (n <= 0) break
    const com = Buffer.alloc(n + 4, 0x20)
    com[0] = 0xff
    com[1] = 0xfe
    com.writeUInt16BE(n + 2, 2)
    parts.push(com)
    length += com.length
  }
  parts.push(Buffer.from([0xff, 0xd9]))
  return Buffer.concat(parts)
}
