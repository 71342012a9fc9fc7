/**
 * Photo-like JPEGs for the benchmarks, made deterministically: the segments a camera or phone
 * writes (JFIF, quantisation and Huffman tables, a 3-component baseline frame, a scan) around
 * entropy-coded data of the requested size. The scan is seeded noise with JPEG's byte stuffing (an
 * 0xFF is followed by 0x00) and restart markers, so a parser, a multipart boundary search or a
 * copy sees what it sees in a real photo, not a run of one byte that searches skip cheaply.
 * Nothing decodes the pixels: the mock reads the header only (src/server/domain/images.ts).
 */

/** A JPEG segment: marker, big-endian length (that counts itself), payload. */
function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0])
  head.writeUInt16BE(payload.length + 2, 2)
  return Buffer.concat([head, payload])
}

/** xorshift32: small, fast and the same bytes on every run and platform. */
function noise(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) & 0xff
  }
}

const JFIF = Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 1, 0, 72, 0, 72, 0, 0])

/** Two quantisation tables (luma, chroma) of a quality-90 camera, 64 entries each. */
function quantTables(): Buffer {
  const table = (id: number, base: number) => [
    id,
    ...Array.from({ length: 64 }, (_, i) => base + Math.floor(i / 4)),
  ]
  return Buffer.from([...table(0, 2), ...table(1, 3)])
}

/** Four Huffman table headers (DC/AC × luma/chroma), each with a plausible count histogram. */
function huffmanTables(): Buffer {
  const bytes: number[] = []
  for (const id of [0x00, 0x10, 0x01, 0x11]) {
    const ac = id >= 0x10
    const counts = ac
      ? [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d]
      : [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    const symbols = counts.reduce((a, b) => a + b, 0)
    bytes.push(id, ...counts, ...Array.from({ length: symbols }, (_, i) => i & 0xff))
  }
  return Buffer.from(bytes)
}

/** A baseline frame header: 8-bit, `height` × `width`, Y (2×2) Cb Cr (1×1). */
function frame(width: number, height: number): Buffer {
  const sof = Buffer.from([8, 0, 0, 0, 0, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1])
  sof.writeUInt16BE(height, 1)
  sof.writeUInt16BE(width, 3)
  return sof
}

const SCAN = Buffer.from([3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0])
/** Bytes of entropy-coded data between restart markers. */
const RESTART_EVERY = 4096

/**
 * A photo-like JPEG declaring `width` × `height`, exactly `size` bytes long, the same bytes for
 * the same arguments.
 */
export function photoJpeg(width: number, height: number, size: number, seed = 1): Buffer {
  const head = Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, JFIF),
    segment(0xdb, quantTables()),
    segment(0xc0, frame(width, height)),
    segment(0xc4, huffmanTables()),
    segment(0xdd, Buffer.from([0, 64])), // a restart interval, in MCUs
    segment(0xda, SCAN),
  ])
  const end = Buffer.from([0xff, 0xd9])
  const scan = Buffer.alloc(size - head.length - end.length)
  if (scan.length <= 0) throw new Error(`photoJpeg: ${String(size)} bytes is too small`)
  const next = noise(seed)
  let restart = 0
  for (let i = 0; i < scan.length; i++) {
    if (i > 0 && i % RESTART_EVERY === 0 && i + 2 < scan.length) {
      scan[i++] = 0xff
      scan[i] = 0xd0 + (restart++ % 8)
      continue
    }
    const b = next()
    scan[i] = b
    // byte stuffing: an entropy-coded 0xFF is always followed by 0x00
    if (b === 0xff && i + 1 < scan.length) scan[++i] = 0
  }
  // the last data byte must not be a lone 0xFF before the end marker
  if (scan[scan.length - 1] === 0xff) scan[scan.length - 1] = 0xfe
  return Buffer.concat([head, scan, end])
}
