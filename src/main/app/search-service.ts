/**
 * Search by example for the app: a library photo, an uploaded outside photo (analysed once when it
 * was uploaded, kept in memory only), stored objects, or boxes drawn on a library photo; with label
 * filters. Uploads live in a small LRU (8 photos, 30 minutes) and are never written anywhere.
 */
import { randomUUID } from 'node:crypto'
import sharp from 'sharp'
import type { ParsedRequest, PhotoObject, SearchResponse, UploadedPhoto } from '../../shared/api-contract.js'
import { ApiError } from '../../shared/envelope.js'
import type { Library } from '../engine/library/library.js'
import { DEFAULT_MAX_PIXELS } from '../engine/pipeline/decode.js'
import { resolveQuery } from '../engine/search/query.js'
import { assertSearchable, searchLibrary } from '../engine/search/search-service.js'
import type { QuerySpec, ResolvedQuery } from '../engine/search/types.js'
import { toApiError } from './engine-errors.js'
import { LruCache } from './lru-cache.js'
import { groupObjects } from './photo-objects.js'
import { queryView, resultView } from './search-view.js'

/** Largest uploaded photo, decoded from base64. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024
/** Uploads kept at once, and for how long. */
export const UPLOADS_KEPT = 8
export const UPLOAD_TTL_MS = 30 * 60 * 1000
/** Long side of an upload's preview. */
const PREVIEW_SIDE = 256

interface Upload {
  name: string
  width: number
  height: number
  query: ResolvedQuery
}

/** Search and uploads over one library. */
export class SearchService {
  private readonly uploads = new LruCache<string, Upload>({ max: UPLOADS_KEPT, ttlMs: UPLOAD_TTL_MS })

  constructor(private readonly lib: Library) {}

  /** Decodes (with the indexing guards) and analyses an outside photo; keeps it in memory for search. */
  async upload(name: string, base64: string): Promise<UploadedPhoto> {
    if (Math.floor((base64.length * 3) / 4) > MAX_UPLOAD_BYTES + 3) throw tooLarge()
    const bytes = Buffer.from(base64, 'base64')
    if (bytes.length > MAX_UPLOAD_BYTES) throw tooLarge()
    if (bytes.length === 0) throw new ApiError('bad-request', 'the uploaded photo is empty (or not base64)')
    let query: ResolvedQuery
    try {
      query = await resolveQuery(this.lib, { kind: 'photo-bytes', bytes, name })
    } catch (err) {
      throw toApiError(err)
    }
    // the guards passed: the bytes are a photo within the pixel limit
    const image = sharp(bytes, { limitInputPixels: DEFAULT_MAX_PIXELS }).autoOrient()
    const meta = await sharp(bytes, { limitInputPixels: DEFAULT_MAX_PIXELS }).metadata()
    const turned = (meta.orientation ?? 1) >= 5
    const width = (turned ? meta.height : meta.width) ?? 0
    const height = (turned ? meta.width : meta.height) ?? 0
    const preview = await image.resize(PREVIEW_SIDE, PREVIEW_SIDE, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' }).jpeg({ quality: 80 }).toBuffer()
    const uploadId = randomUUID()
    this.uploads.set(uploadId, { name, width, height, query })
    const className = (c: number) => this.lib.head.header.classNames[c] ?? `class ${c}`
    const records = query.objects.map((o, i) => ({
      id: i + 1, photoId: 0, box: o.box, classId: o.classId, score: o.score, source: 'detector' as const, modelVersion: null, createdAt: 0,
    }))
    const objects = groupObjects(records, className).map(({ id: _id, memberIds: _m, ...rest }): Omit<PhotoObject, 'id' | 'memberIds'> => rest)
    return { uploadId, name, width, height, preview: `data:image/jpeg;base64,${preview.toString('base64')}`, objects }
  }

  /** Runs a search and maps it to the contract's response. */
  async run(request: ParsedRequest<'search.run'>): Promise<SearchResponse> {
    const started = performance.now()
    const clash = request.with.find((c) => request.without.includes(c))
    if (clash !== undefined) throw new ApiError('bad-request', `${this.lib.head.header.classNames[clash] ?? `class ${clash}`} cannot be both required and excluded`)
    const options = { k: request.k, mustHave: request.with, mustNotHave: request.without }
    const q = request.query
    let resolved: ResolvedQuery
    let size: { width: number | null; height: number | null } = { width: null, height: null }
    try {
      assertSearchable(this.lib)
      if (q.kind === 'upload') {
        const upload = this.uploads.get(q.uploadId)
        if (!upload) throw new ApiError('not-found', 'the uploaded photo is no longer held (uploads are kept for 30 minutes): drop it again')
        resolved = upload.query
        size = { width: upload.width, height: upload.height }
      } else {
        resolved = await resolveQuery(this.lib, this.spec(q))
      }
      const photo = resolved.photoId === undefined ? undefined : this.lib.store.photos.get(resolved.photoId)
      if (photo && q.kind !== 'upload') size = { width: photo.width, height: photo.height }
      const results = searchLibrary(this.lib, resolved, options)
      const query = queryView(resolved, size, q.kind === 'upload' ? q.uploadId : null, this.lib.head.header.classNames)
      return { query, results: results.map((r) => resultView(r, query, this.lib.store.photos)), tookMs: Math.round(performance.now() - started) }
    } catch (err) {
      throw toApiError(err)
    }
  }

  private spec(q: Exclude<ParsedRequest<'search.run'>['query'], { kind: 'upload' }>): QuerySpec {
    switch (q.kind) {
      case 'photo':
        return { kind: 'photo-id', photoId: q.photoId }
      case 'objects':
        return q.objectIds.length === 1 ? { kind: 'object-id', objectId: q.objectIds[0] } : { kind: 'object-ids', objectIds: q.objectIds }
      case 'boxes':
        return { kind: 'boxes', photoId: q.photoId, boxes: q.boxes }
    }
  }
}

function tooLarge(): ApiError {
  return new ApiError('bad-request', `the photo is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB: export a smaller copy and drop that`)
}
