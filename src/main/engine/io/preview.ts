/**
 * Cached previews, one per content hash: the photo as the photo view shows it, an upright sRGB
 * JPEG whose long side is at most {@link PREVIEW_SIDE} px, beside its thumbnail in the library's
 * `thumbs/` folder. Made at index time (from the decoded working copy when that is the whole
 * photo, else from the file), or on first view for photos indexed before previews existed.
 * Serving a preview is a file read; encoding one from a 24 MP JPEG costs ~100 ms of CPU (the
 * app re-encoded the photo at every view before: ~290 ms at 24 MP).
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import sharp, { type Sharp } from 'sharp'
import { thumbnailPath } from './thumbnail.js'

/** Long side of a preview in pixels (the photo view is rarely wider on screen). */
export const PREVIEW_SIDE = 2048

/** JPEG quality of previews (photo view: close to the original at screen size). */
const PREVIEW_QUALITY = 85

/** Path of the preview of a content hash: `<thumbnail name>.preview.jpg` beside the thumbnail. */
export function previewPath(thumbsDir: string, contentHash: string): string {
  return thumbnailPath(thumbsDir, contentHash).replace(/\.jpg$/, '.preview.jpg')
}

/** Where the preview's pixels come from. */
export type PreviewSource =
  /** The decoded photo (upright sRGB, 3 channels) when it is the photo at full size. */
  | { rgb: Uint8Array; width: number; height: number }
  /** The photo file (EXIF orientation applied, reduced while decoding where the format allows). */
  | { file: string; maxPixels: number }

/** The sharp pipeline of a preview: fitted into PREVIEW_SIDE, flattened, sRGB, JPEG. */
function previewPipeline(source: PreviewSource): Sharp {
  const input = 'file' in source
    ? sharp(source.file, { limitInputPixels: source.maxPixels, failOn: 'none' }).autoOrient()
    : sharp(source.rgb, { raw: { width: source.width, height: source.height, channels: 3 } })
  return input
    // Mitchell, not the default Lanczos-3: half the CPU (104 vs 215 ms for a 24 MP JPEG), and a
    // 2x-3x downscale shows no difference on screen.
    .resize(PREVIEW_SIDE, PREVIEW_SIDE, { fit: 'inside', withoutEnlargement: true, kernel: 'mitchell' })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .jpeg({ quality: PREVIEW_QUALITY })
}

/** Encodes a preview in memory (to serve it at once; {@link savePreview} keeps it). */
export function renderPreview(source: PreviewSource): Promise<Buffer> {
  return previewPipeline(source).toBuffer()
}

/** Writes `body` as the preview of `contentHash` (temp file then rename: never half-written). */
export async function savePreview(thumbsDir: string, contentHash: string, body: Buffer | PreviewSource): Promise<string> {
  const file = previewPath(thumbsDir, contentHash)
  await mkdir(path.dirname(file), { recursive: true })
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    if (Buffer.isBuffer(body)) await writeFile(tmp, body)
    else await previewPipeline(body).toFile(tmp)
    await rename(tmp, file)
  } finally {
    await rm(tmp, { force: true })
  }
  return file
}

/** Writes the preview of `contentHash` unless it exists; returns its path. */
export async function ensurePreview(thumbsDir: string, contentHash: string, source: PreviewSource): Promise<string> {
  const file = previewPath(thumbsDir, contentHash)
  if (existsSync(file)) return file
  return savePreview(thumbsDir, contentHash, source)
}
