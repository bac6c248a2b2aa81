/**
 * Pipeline stage 1: a photo file -> oriented 8-bit sRGB pixels. EXIF orientation is applied,
 * alpha is flattened onto white, any colour space (CMYK, grey, 16-bit, ICC-tagged) becomes sRGB.
 * Every failure is a `PhotoDecodeError` that names the file, says what is wrong and what to do.
 */
import { openRegularFile } from '../io/content-hash.js'
import { missingEndMarker, readTail, TAIL_BYTES } from './end-marker.js'
import path from 'node:path'
import sharp, { type Metadata } from 'sharp'
import { declaredFileSize, SNIFF_BYTES, sniffFormat, type PhotoFormat } from './photo-format.js'

export type { PhotoFormat } from './photo-format.js'
export { missingEndMarker } from './end-marker.js'

/**
 * A decoded photo: `rgb` is row-major, `height x width x 3` bytes, sRGB, already upright (first
 * page/frame of multi-page files). Photos larger than the working size are decoded as a smaller
 * working copy (`original` then holds the photo's own upright size, in which boxes are given).
 */
export interface DecodedPhoto {
  rgb: Uint8Array
  /** Width of `rgb`, after EXIF orientation was applied. */
  width: number
  /** Height of `rgb`, after EXIF orientation was applied. */
  height: number
  /** The photo's upright size when `rgb` is a reduced working copy of it. */
  original?: { width: number; height: number }
  /** The EXIF orientation (1..8) found in the file and applied; 1 when the file has none. */
  orientation: number
  format: PhotoFormat
}

/** Options of `decodePhoto`. */
export interface DecodeOptions {
  /** Largest accepted width x height, a guard against decompression bombs. Default 100 MP. */
  maxPixels?: number
  /**
   * Longest side of the pixels returned: larger photos are decoded at reduced size (JPEG and WebP
   * decode straight to it, 2-4x less work for 12-24 MP photos). Default 1024, twice the detector's
   * input; 0 keeps full resolution.
   */
  workingSide?: number
}

/** Default `workingSide` of `decodePhoto`. */
export const DEFAULT_WORKING_SIDE = 1024

/** Default pixel limit of `decodePhoto`: 100 megapixels. */
export const DEFAULT_MAX_PIXELS = 100_000_000

/** Why a photo could not be decoded. */
export type PhotoDecodeFailure = 'empty' | 'not-an-image' | 'truncated' | 'too-large' | 'unreadable' | 'unsupported'

/** A photo that cannot be decoded; `message` names the file, the problem and what to do. */
export class PhotoDecodeError extends Error {
  constructor(
    readonly file: string,
    readonly reason: PhotoDecodeFailure,
    problem: string,
    remedy: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot read photo ${file}: ${problem}. ${remedy}`, options)
    this.name = 'PhotoDecodeError'
  }
}

const TRUNCATION = /premature end|unexpected end|end of file|truncat|bad seek|outside of file bounds|read error|short read/i
const SKIP_OR_REEXPORT = 'Re-export or re-copy it from the original, or exclude it from the library'

/** Reads the leading bytes and size of a file, mapping I/O failures to `PhotoDecodeError`. */
async function readHead(file: string): Promise<{ head: Uint8Array; size: number }> {
  let handle
  try {
    handle = await openRegularFile(file)
    const stat = await handle.stat()
    const head = new Uint8Array(Math.min(SNIFF_BYTES, stat.size))
    if (head.length > 0) await handle.read(head, 0, head.length, 0)
    return { head, size: stat.size }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const problem = code === 'EACCES' || code === 'EPERM' ? 'permission denied'
      : code === 'ENOENT' ? 'the file does not exist'
        : code === 'EISDIR' ? 'it is a folder, not a file'
          : code === 'ENOTREG' ? (err as Error).message.slice(file.length + 2)
            : `the file cannot be read (${code ?? (err as Error).message})`
    const remedy = code === 'EACCES' || code === 'EPERM'
      ? 'Give the account running Constella read access to it (e.g. chmod a+r), or exclude it from the library'
      : code === 'ENOTREG' ? 'Only regular photo files can be read; leave it out' : 'Check the path, and that the disk or folder holding it is mounted'
    throw new PhotoDecodeError(file, 'unreadable', problem, remedy, { cause: err })
  } finally {
    await handle?.close()
  }
}

/** Maps a libvips error on a file whose first bytes looked right to a decode failure. */
function decoderFailure(file: string, format: PhotoFormat, err: unknown, tail: Uint8Array): PhotoDecodeError {
  const message = (err as Error).message ?? String(err)
  const detail = message.split('\n').find((line) => line.trim() !== '') ?? message
  if (/exceeds pixel limit/i.test(message)) {
    return new PhotoDecodeError(file, 'too-large', 'it has more pixels than the decode limit', 'Downscale it, or raise the pixel limit if it is trusted', { cause: err })
  }
  const cut = missingEndMarker(format, tail)
  if (cut === true || (cut === undefined && (TRUNCATION.test(message) || /unsupported image format/i.test(message)))) {
    return new PhotoDecodeError(file, 'truncated', `the ${format.toUpperCase()} data is cut short or damaged (${detail})`,
      `The file was probably not copied completely. ${SKIP_OR_REEXPORT}`, { cause: err })
  }
  return new PhotoDecodeError(file, 'unreadable', `the ${format.toUpperCase()} data is corrupt (${detail})`, SKIP_OR_REEXPORT, { cause: err })
}

/** Where the bytes of a photo come from: a file, or bytes in memory (an uploaded photo). */
interface PhotoSource {
  /** What sharp reads. */
  input: string | Buffer
  /** The name messages use: the file's path, or the upload's name. */
  name: string
  head: Uint8Array
  size: number
  tail(): Promise<Uint8Array>
}

/**
 * Decodes a photo file to upright 8-bit sRGB pixels with sharp. Checks, in order: the file can be
 * opened and is a regular file (a named pipe or device is refused before it is read), is not
 * empty, its first bytes are a supported format, its declared size is within `maxPixels` (before
 * any pixel is decoded), and its pixel data is complete (`failOn: 'truncated'`).
 * @throws PhotoDecodeError
 */
export async function decodePhoto(file: string, options: DecodeOptions = {}): Promise<DecodedPhoto> {
  const { head, size } = await readHead(file)
  return decodeSource({ input: file, name: file, head, size, tail: () => readTail(file) }, options)
}

/**
 * Decodes a photo held in memory (e.g. an outside photo uploaded for search) with the same
 * checks as `decodePhoto`; `name` is used in messages. Callers limit the upload's size first.
 * @throws PhotoDecodeError
 */
export async function decodePhotoBuffer(bytes: Uint8Array, name: string, options: DecodeOptions = {}): Promise<DecodedPhoto> {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const tail = async (): Promise<Uint8Array> => input.subarray(Math.max(0, input.length - TAIL_BYTES))
  return decodeSource({ input, name, head: input.subarray(0, SNIFF_BYTES), size: input.length, tail }, options)
}

async function decodeSource(src: PhotoSource, options: DecodeOptions): Promise<DecodedPhoto> {
  const file = src.name
  const { head, size } = src
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS
  if (size === 0) {
    throw new PhotoDecodeError(file, 'empty', 'the file is empty (0 bytes)', `It was probably not copied completely. ${SKIP_OR_REEXPORT}`)
  }
  const sniffed = sniffFormat(head)
  if (sniffed.kind === 'unknown') {
    const ext = path.extname(file) || 'its extension'
    throw new PhotoDecodeError(file, 'not-an-image', `its contents are not an image, despite ${ext}`,
      'Exclude it from the library, or restore the real photo from a backup')
  }
  if (sniffed.kind === 'unsupported') {
    const advice = sniffed.format === 'HEIC' || sniffed.format === 'HEIF'
      ? 'HEIC/HEIF (HEVC-coded) photos cannot be decoded by the bundled image library; convert it to JPEG or AVIF (e.g. with the phone\'s "Most Compatible" setting) and add it again'
      : 'Convert it to JPEG, PNG, WebP, AVIF, TIFF or GIF and add it again'
    throw new PhotoDecodeError(file, 'unsupported', `it is ${sniffed.format}, which is not a supported format`, advice)
  }
  const format = sniffed.format
  const declaredSize = declaredFileSize(head)
  if (declaredSize !== null && declaredSize > size) {
    throw new PhotoDecodeError(file, 'truncated', `the ${format.toUpperCase()} data is cut short (${size} of ${declaredSize} bytes)`,
      `The file was probably not copied completely. ${SKIP_OR_REEXPORT}`)
  }
  let meta: Metadata
  try {
    meta = await sharp(src.input, { limitInputPixels: false }).metadata()
  } catch (err) {
    throw decoderFailure(file, format, err, await src.tail())
  }
  const declared = (meta.width ?? 0) * (meta.height ?? 0)
  if (declared > maxPixels) {
    const mp = (n: number): string => `${Math.round(n / 1e5) / 10} MP`
    throw new PhotoDecodeError(file, 'too-large',
      `it declares ${meta.width} x ${meta.height} pixels (${mp(declared)}), more than the ${mp(maxPixels)} limit that guards against decompression bombs`,
      'Downscale it, or raise the pixel limit (maxPixels) if the file is trusted')
  }
  try {
    const side = options.workingSide ?? DEFAULT_WORKING_SIDE
    const { data, info } = await sharp(src.input, { failOn: 'truncated', limitInputPixels: maxPixels, sequentialRead: true })
      .autoOrient()
      .resize(side > 0 ? { width: side, height: side, fit: 'inside', withoutEnlargement: true } : undefined)
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true })
    if (info.channels !== 3) throw new Error(`decoder produced ${info.channels} channels instead of 3`)
    const upright = (meta.orientation ?? 1) >= 5 ? { width: meta.height ?? 0, height: meta.width ?? 0 } : { width: meta.width ?? 0, height: meta.height ?? 0 }
    const reduced = info.width < upright.width || info.height < upright.height
    return {
      rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      ...(reduced ? { original: upright } : {}),
      orientation: meta.orientation ?? 1,
      format,
    }
  } catch (err) {
    throw decoderFailure(file, format, err, await src.tail())
  }
}
