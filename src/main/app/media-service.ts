/**
 * Photos and thumbnails for the transports, by photo id only, and the photo only while its file
 * is under a folder of the library:
 * - `thumb`: the 320-px thumbnail file from the store;
 * - `photo`: the photo view's preview (upright sRGB JPEG, long side at most 2048 px), a file made
 *   at index time beside the thumbnail. A photo indexed before previews existed gets its preview
 *   encoded on first view (served at once, then kept); a small LRU holds those just encoded;
 * - `original`: the file itself at full resolution when browsers show its format (JPEG, PNG,
 *   WebP, AVIF, GIF), else an upright full-size JPEG of it (TIFF), encoded on each request.
 * A preview is smaller than the photo: its viewer scales boxes by the photo's own width and
 * height (`PhotoDetail`), never by the image's natural size.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import type { MediaKind } from '../../shared/api-contract.js'
import type { MediaFile } from '../api/services.js'
import type { Library } from '../engine/library/library.js'
import { previewPath, PREVIEW_SIDE, renderPreview, savePreview } from '../engine/io/preview.js'
import { DEFAULT_MAX_PIXELS } from '../engine/pipeline/decode.js'
import type { PhotoRecord } from '../engine/store/types.js'
import { LruCache } from './lru-cache.js'
import { isUnder } from './folder-service.js'

/** Long side of a served photo (the preview's). */
export const MEDIA_PHOTO_SIDE = PREVIEW_SIDE

/** Formats served as they are for `original` (browsers decode them and apply EXIF orientation). */
const BROWSER_FORMATS: Readonly<Record<string, string>> = {
  jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif', gif: 'image/gif',
}

/** Resolves media of one library. */
export class MediaService {
  private readonly rendered = new LruCache<string, Buffer>({ max: 12 })
  /** Previews being encoded (a prefetch and the <img> asking at once encode once). */
  private readonly pending = new Map<string, Promise<Buffer>>()

  constructor(
    private readonly lib: Library,
    /** The library folder holding a file, if any. */
    private readonly folderOf: (file: string) => string | undefined,
  ) {}

  /** The thumbnail, preview or original of `photoId`, or null when there is none to serve. */
  async resolve(kind: MediaKind, photoId: number): Promise<MediaFile | null> {
    const photo = this.lib.store.photos.get(photoId)
    if (!photo) return null
    const etag = `"${photo.contentHash.slice(0, 32)}-${kind}"`
    if (kind === 'thumb') {
      const file = photo.thumbnail && path.resolve(photo.thumbnail)
      if (!file || !isUnder(file, path.resolve(this.lib.paths.thumbsDir)) || !existsSync(file)) return null
      return { file, contentType: 'image/jpeg', etag, version: photo.contentHash }
    }
    if (!this.folderOf(photo.path) || !existsSync(photo.path)) return null
    if (kind === 'original') return this.original(photo, etag)
    const preview = previewPath(this.lib.paths.thumbsDir, photo.contentHash)
    if (existsSync(preview)) return { file: preview, contentType: 'image/jpeg', etag, version: photo.contentHash }
    const body = await this.encodePreview(photo)
    return body ? { body, contentType: 'image/jpeg', etag, version: photo.contentHash } : null
  }

  /** The preview of a photo that has none on disk yet: encoded now, and kept for next time. */
  private async encodePreview(photo: PhotoRecord): Promise<Buffer | null> {
    const key = `${photo.id}:${photo.contentHash}`
    const cached = this.rendered.get(key)
    if (cached) return cached
    let task = this.pending.get(key)
    if (!task) {
      task = renderPreview({ file: photo.path, maxPixels: DEFAULT_MAX_PIXELS })
      this.pending.set(key, task)
      task.then(
        (body) => {
          this.rendered.set(key, body)
          // kept beside the thumbnail; a failed write only means encoding again next time
          savePreview(this.lib.paths.thumbsDir, photo.contentHash, body).catch(() => undefined)
        },
        () => undefined,
      ).finally(() => this.pending.delete(key))
    }
    try {
      return await task
    } catch (err) {
      if (photo.status === 'failed') return null // indexing could not read it either (its error says why)
      throw err
    }
  }

  /** The photo at full resolution: its own file when browsers show its format, else a JPEG of it. */
  private async original(photo: PhotoRecord, etag: string): Promise<MediaFile | null> {
    const type = photo.format ? BROWSER_FORMATS[photo.format] : undefined
    if (type) return { file: photo.path, contentType: type, etag, version: photo.contentHash }
    try {
      const body = await sharp(photo.path, { limitInputPixels: DEFAULT_MAX_PIXELS, failOn: 'none' })
        .autoOrient().flatten({ background: '#ffffff' }).toColourspace('srgb').jpeg({ quality: 92 }).toBuffer()
      return { body, contentType: 'image/jpeg', etag, version: photo.contentHash }
    } catch (err) {
      if (photo.status === 'failed') return null
      throw err
    }
  }
}
