/**
 * @module An image's bytes as the store keeps them ({@link ImageBytes}): one array, or the
 * pieces an upload arrived in, kept as they are. Joining a 1 MB upload into an array of its own
 * cost a fresh allocation and a copy per upload, and doubled the memory the collector had to
 * free (see domain/multipart.ts); the pieces are joined only where one array is needed (a
 * retrieval, a write to disk or Redis).
 */
import type { ImageBytes } from './models.js'

/** How many bytes the image has. */
export function imageLength(bytes: ImageBytes): number {
  if (bytes instanceof Uint8Array) return bytes.byteLength
  let n = 0
  for (const piece of bytes) n += piece.byteLength
  return n
}

/** The image as one Buffer: a view of one array, or its pieces joined (a copy). */
export function imageBuffer(bytes: ImageBytes): Buffer<ArrayBuffer> {
  if (bytes instanceof Uint8Array)
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const [only] = bytes
  if (bytes.length === 1 && only) return imageBuffer(only)
  return Buffer.concat(bytes, imageLength(bytes))
}

/**
 * A stored part's image as one Buffer for an answer: pieces are joined once, on the first read,
 * and the part keeps the joined array from then on (the same bytes: no read pays the copy twice).
 */
export function servedImage(part: { bytes?: ImageBytes }): Buffer<ArrayBuffer> | undefined {
  if (part.bytes === undefined) return undefined
  const one = imageBuffer(part.bytes)
  if (!(part.bytes instanceof Uint8Array)) part.bytes = one
  return one
}
