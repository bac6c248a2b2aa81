/**
 * Whether a photo file was cut short, told from its last bytes: the format's end marker is
 * missing. Deterministic, unlike the decoder's error text.
 */
import { openRegularFile } from '../io/content-hash.js'
import type { PhotoFormat } from './photo-format.js'

/** Bytes read from the end of a file to see whether its format's end marker is there. */
export const TAIL_BYTES = 64

/** The last `TAIL_BYTES` of a file (empty if it cannot be read). */
export async function readTail(file: string): Promise<Uint8Array> {
  try {
    const handle = await openRegularFile(file)
    try {
      const { size } = await handle.stat()
      const tail = new Uint8Array(Math.min(TAIL_BYTES, size))
      await handle.read(tail, 0, tail.length, size - tail.length)
      return tail
    } finally {
      await handle.close()
    }
  } catch {
    return new Uint8Array(0)
  }
}

/**
 * Whether a file of `format` whose last bytes are `tail` lacks its format's end marker, i.e. was
 * cut short: JPEG ends with EOI (FF D9, possibly followed by zero padding), PNG with its IEND
 * chunk, GIF with the trailer byte 3B. Undefined for formats without a usable end marker. Used
 * only once decoding has failed (files with data appended after the end marker decode fine), so
 * the classification does not depend on libvips' error text, which is unreliable under load.
 */
export function missingEndMarker(format: PhotoFormat, tail: Uint8Array): boolean | undefined {
  let end = tail.length
  if (format === 'jpeg') {
    while (end > 0 && tail[end - 1] === 0) end--
    return !(end >= 2 && tail[end - 2] === 0xff && tail[end - 1] === 0xd9)
  }
  if (format === 'png') {
    const text = String.fromCharCode(...tail)
    return !text.includes('IEND')
  }
  if (format === 'gif') return !(end >= 1 && tail[end - 1] === 0x3b)
  return undefined
}
