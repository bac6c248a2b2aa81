/**
 * Photos and thumbnails for the transports, by photo id only: the thumbnail file from the store,
 * or the photo itself as an EXIF-oriented JPEG (long side at most 2048 px) — and the photo only
 * when its file is under a folder of the library. Rendered photos are kept in a small LRU so that
 * stepping back and forth between photos does not decode them again.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import type { MediaKind } from '../../shared/api-contract.js'
import type { MediaFile } from '../api/services.js'
import type { Library } from '../engine/library/library.js'
import { DEFAULT_MAX_PIXELS } from '../engine/pipeline/decode.js'
import { LruCache } from './lru-cache.js'
import { isUnder } from './folder-service.js'

/** Long side of a served photo. */
export const MEDIA_PHOTO_SIDE = 2048


/** Resolves media of one library. */
export class MediaService {
  private readonly rendered = new LruCache<string, Buffer>({ max: 12 })

  constructor(
    private readonly lib: Library,
    /** The library folder holding a file, if any. */
    private readonly folderOf: (file: string) => string | undefined,
  ) {}

  /** The thumbnail or photo of `photoId`, or null when there is none to serve. */
  async resolve(kind: MediaKind, photoId: number): Promise<MediaFile | null> {
    const photo = this.lib.store.photos.get(photoId)
    if (!photo) return null
    const etag = `"${photo.contentHash.slice(0, 32)}-${kind}"`
    if (kind === 'thumb') {
      const file = photo.thumbnail && path.resolve(photo.thumbnail)
      if (!file || !isUnder(file, path.resolve(this.lib.paths.thumbsDir)) || !existsSync(file)) return null
      return { file, contentType: 'image/jpeg', etag }
    }
    if (!this.folderOf(photo.path) || !existsSync(photo.path)) return null
    const key = `${photo.id}:${photo.contentHash}`
    let body = this.rendered.get(key)
    if (!body) {
      try {
        body = await sharp(photo.path, { limitInputPixels: DEFAULT_MAX_PIXELS, failOn: 'none' })
          .autoOrient()
          .resize(MEDIA_PHOTO_SIDE, MEDIA_PHOTO_SIDE, { fit: 'inside', withoutEnlargement: true })
          .flatten({ background: '#ffffff' })
          .toColourspace('srgb')
          .jpeg({ quality: 88 })
          .toBuffer()
      } catch (err) {
        if (photo.status === 'failed') return null // indexing could not read it either (its error says why)
        throw err
      }
      this.rendered.set(key, body)
    }
    return { body, contentType: 'image/jpeg', etag }
  }
}
