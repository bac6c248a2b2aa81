/** Cached thumbnails, one per content hash, as 320-px WebP in the library's `thumbs/` folder. */
import { mkdir } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'

/** Long side of a thumbnail in pixels. */
export const THUMBNAIL_SIZE = 320

/** Path of the thumbnail of a content hash (sharded by the first two hex digits). */
export function thumbnailPath(thumbsDir: string, contentHash: string): string {
  return path.join(thumbsDir, contentHash.slice(0, 2), `${contentHash}.webp`)
}

/** Writes the thumbnail from decoded RGB pixels unless it exists; returns its path. */
export async function ensureThumbnail(thumbsDir: string, contentHash: string, rgb: Uint8Array, width: number, height: number): Promise<string> {
  const file = thumbnailPath(thumbsDir, contentHash)
  if (existsSync(file)) return file
  await mkdir(path.dirname(file), { recursive: true })
  await sharp(rgb, { raw: { width, height, channels: 3 } })
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 78 })
    .toFile(file)
  return file
}
