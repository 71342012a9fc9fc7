/**
 * @module What an uploaded file is, read from its first bytes and header only: the format by
 * magic bytes (never the declared type) and the dimensions from the image header, without
 * decoding pixels. Then the resolution rules Jumio publishes (jumio-reference §7.1).
 */
import { imageSize } from 'image-size'
import { problem } from '../errors.js'

/** Formats the mock accepts. */
export type FileFormat = 'jpeg' | 'png' | 'pdf'

/** What the header of an upload says. */
export interface FileSummary {
  format: FileFormat
  contentType: string
  size: number
  width?: number
  height?: number
}

const CONTENT_TYPES: Record<FileFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  pdf: 'application/pdf',
}

/** Detects JPEG, PNG or PDF by magic bytes. */
export function detectFormat(bytes: Uint8Array): FileFormat | null {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg'
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  if (png.every((b, i) => bytes[i] === b)) return 'png'
  if (Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-') return 'pdf'
  return null
}

/** A resolution rule: the long side and the short side each have a minimum. */
interface ResolutionRule {
  what: string
  minLong: number
  minShort: number
}

/** [D] Jumio.s resolution rules (jumio-reference §7.1); portrait or landscape alike. */
const RULES: Record<string, ResolutionRule> = {
  FRONT: { what: 'Document image', minLong: 563, minShort: 355 },
  BACK: { what: 'Document image', minLong: 563, minShort: 355 },
  DOCUMENT: { what: 'Document image', minLong: 563, minShort: 355 },
  FACE: { what: 'Selfie image', minLong: 640, minShort: 480 },
}
const MAX_SIDE = 8000
/** Bytes searched for the dimensions before the whole file is (JPEG frame headers come early). */
const HEADER_WINDOW = 256 * 1024

/**
 * Reads an uploaded image's format and dimensions and checks them against the classifier's
 * rules; a failure is a 400 problem that gives the measured and the required sizes.
 */
export function inspectUpload(
  upload: Uint8Array | readonly Uint8Array[],
  classifier: string,
  allowPdf: boolean,
): FileSummary {
  const pieces = upload instanceof Uint8Array ? [upload] : upload
  const size = pieces.reduce((n, p) => n + p.byteLength, 0)
  const format = detectFormat(prefix(pieces, 8))
  const allowed = allowPdf ? 'JPEG, PNG or PDF' : 'JPEG or PNG'
  if (!format || (format === 'pdf' && !allowPdf)) {
    throw problem.badRequest(
      `File must be ${allowed}, detected by its content, not its declared type`,
    )
  }
  const summary: FileSummary = { format, contentType: CONTENT_TYPES[format], size }
  if (format === 'pdf') return summary
  // the first piece as it arrived holds a photo's frame header: no copy to find it there
  const first = pieces[0] ?? new Uint8Array(0)
  let { width, height } = headerSize(first.subarray(0, HEADER_WINDOW), format)
  if ((!width || !height) && first.byteLength < Math.min(size, HEADER_WINDOW))
    ({ width, height } = headerSize(prefix(pieces, HEADER_WINDOW), format))
  // a JPEG may put its frame header after large APP segments: only then read further
  if ((!width || !height) && size > HEADER_WINDOW)
    ({ width, height } = headerSize(prefix(pieces), format))
  if (!width || !height) {
    throw problem.badRequest(
      `Could not read the dimensions from the ${format.toUpperCase()} header`,
    )
  }
  checkResolution(width, height, classifier)
  if (!complete(pieces, format)) {
    throw problem.badRequest(
      `The ${format.toUpperCase()} file is truncated: it has no end-of-image marker`,
    )
  }
  return { ...summary, width, height }
}

const PNG_END = Buffer.from([0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82])
/** Trailing bytes a JPEG may carry after its end-of-image marker (some cameras add padding). */
const JPEG_TAIL = 1024

/** The first `n` bytes (all when none given) as one array: a copy only across pieces. */
function prefix(pieces: readonly Uint8Array[], n = Infinity): Uint8Array {
  const first = pieces[0] ?? new Uint8Array(0)
  if (first.byteLength >= n || pieces.length === 1) return first.subarray(0, n)
  const joined = Buffer.concat(pieces)
  return joined.subarray(0, n)
}

/** The last `n` bytes as one array: a copy only across pieces. */
function suffix(pieces: readonly Uint8Array[], n: number): Uint8Array {
  const last = pieces[pieces.length - 1] ?? new Uint8Array(0)
  if (last.byteLength >= n || pieces.length === 1) return last.subarray(-n)
  const tail: Uint8Array[] = []
  let have = 0
  for (let i = pieces.length - 1; i >= 0 && have < n; i--) {
    const piece = pieces[i] ?? new Uint8Array(0)
    tail.unshift(piece)
    have += piece.byteLength
  }
  return Buffer.concat(tail).subarray(-n)
}

/**
 * Whether the image is whole: PNG has its IEND chunk, JPEG an end-of-image marker after its frame
 * header. A cheap look at the last bytes first; only when the end is not there, the whole file:
 * phones append data after the end (Samsung's trailer, a motion photo's video), as do tools (a
 * newline), and such a file is whole.
 */
function complete(pieces: readonly Uint8Array[], format: 'jpeg' | 'png'): boolean {
  const tail = suffix(pieces, JPEG_TAIL)
  if (format === 'png' && Buffer.from(tail.subarray(-PNG_END.length)).equals(PNG_END)) return true
  if (format === 'jpeg' && Buffer.from(tail).lastIndexOf(EOI) >= 0) return true
  const joined = prefix(pieces)
  const all = Buffer.from(joined.buffer, joined.byteOffset, joined.byteLength)
  return format === 'png' ? pngChunksEnd(all) : all.indexOf(EOI, jpegHeaderEnd(all)) >= 0
}

const EOI = Buffer.from([0xff, 0xd9])

/** Whether the chain of a PNG's chunks (after its signature) reaches an IEND chunk. */
function pngChunksEnd(png: Buffer): boolean {
  for (let at = 8; at + 8 <= png.byteLength; at += 12 + png.readUInt32BE(at)) {
    // 'IEND', compared byte by byte: no string a chunk (millions of empty ones cost nothing else)
    if (
      png[at + 4] === 0x49 &&
      png[at + 5] === 0x45 &&
      png[at + 6] === 0x4e &&
      png[at + 7] === 0x44
    )
      return true
  }
  return false
}

/**
 * The dimensions in an image header, or none when it is truncated or corrupt: a PNG's read by
 * image-size from a window of the first bytes (so the check costs the same for a 100 kB and a
 * 10 MB upload), a JPEG's at its frame header.
 */
function headerSize(
  bytes: Uint8Array,
  format: FileFormat,
): {
  width?: number | undefined
  height?: number | undefined
} {
  // a JPEG's size is read at its frame header (SOF0 to SOF2, the ones image-size knows), once the
  // chain of segments reaches it: image-size walked the chain again, 800 ms for 15 MB of 4-byte
  // segments (found by a probe)
  if (format === 'jpeg') {
    const { width, height } = jpegFrame(bytes)
    return { width, height }
  }
  try {
    // a Buffer view: image-size slices its input, which copies a plain Uint8Array (a 256 kB
    // copy per upload, and the garbage that goes with it) but only views a Buffer
    return imageSize(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  } catch {
    return {}
  }
}

/**
 * How far a JPEG's header goes: along its chain of segments (each a marker and a length, fill
 * bytes before a marker skipped), to just past the first frame header (SOF0 to SOF2, those
 * image-size knew), or to where the chain breaks, a byte that is no marker. image-size stepped byte
 * by byte past a break (15 MB of zeros after a JPEG signature held the event loop for 3 s, found
 * by an adversarial probe) and refused fill bytes; this walk takes one step a segment (or a fill
 * byte) and stops at a break.
 */
export function jpegHeaderEnd(bytes: Uint8Array): number {
  return jpegFrame(bytes).end
}

/**
 * {@link jpegHeaderEnd}, and the size its frame header gives when the chain reaches one whole
 * (after the marker: length, precision, height, width).
 */
function jpegFrame(bytes: Uint8Array): { end: number; width?: number; height?: number } {
  let at = 2
  while (at + 4 <= bytes.byteLength) {
    // any number of fill bytes (0xFF) may come before a marker (ITU T.81 B.1.1.2)
    while (bytes[at] === 0xff && bytes[at + 1] === 0xff) at++
    if (at + 4 > bytes.byteLength) break
    const marker = bytes[at + 1] ?? 0
    if (bytes[at] !== 0xff) return { end: at }
    // markers that stand alone, without a length: TEM and RST0 to RST7
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2
      continue
    }
    if (marker >= 0xc0 && marker <= 0xc2) {
      const end = Math.min(bytes.byteLength, at + 10)
      if (end < at + 9) return { end }
      const u16 = (i: number) => ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)
      return { end, height: u16(at + 5), width: u16(at + 7) }
    }
    at += 2 + (((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0))
  }
  return { end: Math.min(at, bytes.byteLength) }
}

function checkResolution(width: number, height: number, classifier: string): void {
  const measured = `${width} x ${height} px`
  if (width > MAX_SIDE || height > MAX_SIDE) {
    throw problem.badRequest(`Image is ${measured}; the maximum is ${MAX_SIDE} x ${MAX_SIDE} px`)
  }
  const rule = RULES[classifier]
  if (!rule) return
  const long = Math.max(width, height)
  const short = Math.min(width, height)
  if (long < rule.minLong || short < rule.minShort) {
    throw problem.badRequest(
      `${rule.what} is ${measured}; the minimum is ${rule.minLong} x ${rule.minShort} px ` +
        `(long side >= ${rule.minLong}, short side >= ${rule.minShort})`,
    )
  }
}
